"""Every construction news uses to state a title, read into the role and the body it is held in.

The convention is ../shared/gold/FORMAT.md's: the role is the title with the rank words that belong to
it, without descriptive words and military ranks; the affiliation is the body the title is held in, in
the article's words (possessive dropped, an acronym the article spells out written out). Texts are
invented; each runs through the real pipeline.
"""

from __future__ import annotations

import pytest

from tests.test_extract_direct import describe, quote_with, run_all

CASES = {
    # title before the name, with the body in front of the title
    "body-before-title": ("Harbour Alliance spokesman Tomas Brennick said the strike would go on until "
                          "the port authority agreed to talks.", "strike would go on",
                          "Tomas Brennick", "spokesman", "Harbour Alliance"),
    "principal-before-title": ("Provincial governor spokesman Idris Okafor said the road to the border "
                               "had been closed since Monday.", "road to the border",
                               "Idris Okafor", "spokesman", "Provincial governor"),
    "demonym-before-title": ("Estonian Prime Minister Kadri Vask said the ferry contract would be signed "
                             "in the spring.", "ferry contract", "Kadri Vask", "Prime Minister", "Estonian"),
    "possessive-body-before-title": ("Moldova's foreign ministry spokesman Andrei Lupan said the ambassador "
                                     "had been called in for talks.", "ambassador had been called",
                                     "Andrei Lupan", "spokesman", "Moldova foreign ministry"),
    "rank-and-body-inside-title": ("Ruth Adeyemi, the chief military spokesperson, said the convoy had "
                                   "reached the northern depot on Friday.", "convoy had reached",
                                   "Ruth Adeyemi", "chief spokesperson", "military"),
    "military-rank-is-not-the-role": ("Army spokesman Colonel Piet Vermaak said the soldiers had left the "
                                      "village before dawn.", "soldiers had left", "Piet Vermaak",
                                      "spokesman", "Army"),
    # apposition after the name, with "for", "of" or "at"
    "apposition-for": ("Farid Nazari, army spokesman for northern Kordofan, said the ceasefire had held "
                       "through the night.", "ceasefire had held", "Farid Nazari", "spokesman", "army"),
    "apposition-possessive-principal": ("Helga Brandt, the UN secretary-general's special representative for "
                                        "Libya, said the talks would resume in Geneva.", "talks would resume",
                                        "Helga Brandt", "special representative", "UN secretary-general"),
    "apposition-of": ("Ahmad Karimi, leader of the Harbour Resistance Front, said his fighters still held "
                      "the pass.", "fighters still held", "Ahmad Karimi", "leader", "Harbour Resistance Front"),
    "apposition-at": ("Dr. Lena Sorel, one of the remaining surgeons at Calloway General Hospital, said the "
                      "generators had failed twice.", "generators had failed", "Lena Sorel", "surgeon",
                      "Calloway General Hospital"),
    "apposition-before-with-of": ("The head of the Norwell Regional Water Board, Marta Quill, said the reservoir "
                                  "was full.", "reservoir was full", "Marta Quill", "head",
                                  "Norwell Regional Water Board"),
    "chief-of-staff": ("A statement by chief of staff General Omar Diallo said the attack had been repelled "
                       "before noon.", "attack had been repelled", "Omar Diallo", "chief of staff", None),
    # possessors, and a body noun the article named before
    "possessor-apposition-before": ("“The crossing will stay closed,” said Harbour Front's spokesman, Ivo Brask.",
                                    "crossing will stay closed", "Ivo Brask", "spokesman", "Harbour Front"),
    "possessor-in-apposition": ("Mikhail Orlov, Norvalia's ambassador to the United Nations, said the vote was "
                                "illegal.", "vote was illegal", "Mikhail Orlov", "ambassador", "Norvalia"),
    "for-the-body-named-before": ("The Harbour Resistance Front militia shelled the port on Sunday.\n"
                                  "A spokesperson for the militia, Yara Saleh, said the ships had been warned.",
                                  "ships had been warned", "Yara Saleh", "spokesperson",
                                  "Harbour Resistance Front militia"),
    "apposition-before-in-a-list": ("The Alliance said spokesman Ivo Brask – a well-known local journalist – and "
                                    "a top commander, General Tomas Reyes, had been wounded.",
                                    "had been wounded", "the Alliance", None, None),
    # acronyms written out
    "acronym-written-out": ("The Harbour Workers Union (HWU) called a strike on Monday.\n"
                            "“We have waited long enough,” HWU spokesperson Nia Oduya said.",
                            "waited long enough", "Nia Oduya", "spokesperson", "Harbour Workers Union"),
    # relative and copular clauses
    "who-heads": ("Selma Okafor, who heads the Harbour Alliance, addressed the dockers on Friday.\n"
                  "“This quay belongs to the fishermen,” she said.", "quay belongs", "Selma Okafor", "head",
                  "Harbour Alliance"),
    "copular": ("Ivo Marsh is a member of the Pellham Town Council.\n"
                "“The budget leaves the libraries without a penny,” Marsh said.", "budget leaves",
                "Ivo Marsh", "member", "Pellham Town Council"),
    # US political titles: an abbreviation written out, a party as the body, descriptive words and ages out
    "abbreviated-title": ("Sen. Mara Quill said the farm bill would pass before the recess.",
                          "farm bill would pass", "Mara Quill", "senator", None),
    "party-before-title": ("Democratic presidential candidate Ivo Marsh said the tariffs had cost farmers "
                           "billions.", "tariffs had cost", "Ivo Marsh", "presidential candidate", "Democratic"),
    "descriptive-before-title": ("Billionaire real estate developer Tomas Brennick said the tower would open "
                                 "in May.", "tower would open", "Tomas Brennick", "real estate developer", None),
    "hyphenated-title": ("Republican front-runner Dale Horvat said the primary was far from over.",
                         "primary was far from over", "Dale Horvat", "front-runner", "Republican"),
    "compound-title": ("The Marsh campaign manager Ines Varga said the count would take all night.",
                       "count would take", "Ines Varga", "campaign manager", "Marsh campaign"),
    # a fronted adverbial before the name is no title
    "adverbial-before-name": ("In a lengthy interview with the Courier, Nora Pell said the mill would close.",
                              "mill would close", "Nora Pell", None, None),
    # a noun the tagger may read as a verb before a title word; the body an anaphoric noun stands for
    "noun-read-as-verb": ("The floods are turning a hard winter into “a disaster”, Lena Varo, the senior UN aid "
                          "official in the region, told reporters.", "a disaster", "Lena Varo", "senior aid official",
                          "UN"),
    "watchdog-possessor": ("Harbour Rights Watch asked for an inquiry on Monday.\n"
                           "The call followed talks between the watchdog's executive director, Ines Varga, and the "
                           "mayor. “The inquiry must be independent,” Varga said.", "must be independent",
                           "Ines Varga", "executive director", "Harbour Rights Watch"),
    # a title stated once, used later
    "the-spokesman-said": ("Harbour Alliance spokesman Tomas Brennick met the port authority on Monday.\n"
                           "The spokesman said the dockers would return to work on Tuesday.",
                           "dockers would return", "Tomas Brennick", "spokesman", "Harbour Alliance"),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, {k: v[0] for k, v in CASES.items()})


@pytest.mark.parametrize("key", sorted(CASES))
def test_role_and_affiliation(results, key):
    _, needle, speaker, role, affiliation = CASES[key]
    r = results[key]
    q = quote_with(r, needle)
    assert q.speaker == speaker, describe(r)
    assert q.role == role, describe(r) + f"\n  role {q.role!r}, affiliation {q.affiliation!r}"
    assert q.affiliation == affiliation, f"role {q.role!r}, affiliation {q.affiliation!r}"


def test_every_person_named_keeps_the_roles_stated_for_them(results):
    """Roles are kept for everyone the article names, speaking or not: the commander in a list, and a
    hyphenated title and descriptive word kept whole ("well-known" is not part of "journalist")."""
    r = results["apposition-before-in-a-list"]
    roles = {e.name: {(f.title, f.affiliation) for f in e.roles} for e in r.entities}
    assert ("commander", None) in roles["Tomas Reyes"], roles
    assert ("journalist", None) in roles["Ivo Brask"] or any(t == "local journalist" for t, _ in roles["Ivo Brask"])


def test_organisation_speakers_have_no_role(extractor):
    r = extractor.extract("The Harbour Alliance said on Monday that the strike would go on until Friday.")
    q = quote_with(r, "strike would go on")
    assert q.speaker_type == "ORG"
    assert q.role is None and q.affiliation is None
