"""Speakers through the real parser: pronouns, organisations, and people who share a surname."""

from __future__ import annotations

import pytest

from tests.test_extract_direct import check_result, describe, quote_with, run_all

TEXTS = {
    "she-honorific": ("Ms Amaka Eze met Mr Tom Birch at the clinic on Tuesday.\n"
                      "“I have never seen the ward this full,” she said."),
    "he-honorific": ("Ms Amaka Eze met Mr Tom Birch at the clinic on Tuesday.\n"
                     "“I have never seen the ward this full,” he said."),
    "she-skips-male-speaker": (
        "Ms Amaka Eze has run the clinic in Dunmore since 2015.\n"
        "Mr Tom Birch said the waiting list had doubled since the spring.\n"
        "“We turned away forty patients on Monday alone,” she said."),
    "quote-names-someone": ("Mr Tom Birch arrived late at the council meeting.\n"
                            "“I called Peter Lang and he agreed to help us,” he said."),
    "they-group": ("The striking dockers marched to the town hall on Monday.\n"
                   "“We want our jobs back by the end of the month,” they said."),
    "they-org": ("The Harbour Alliance met port officials on Monday.\n"
                 "“We asked for 500 more berths and got nothing,” they said."),
    "it-org": ("Greenfield Logistics closed its depot in Norwell last year. "
               "It said that demand had collapsed after the floods."),
    "no-antecedent": "“I am not going anywhere,” she said.",
    "ministry": "The ministry said the new rules would take effect in June.",
    "named-org": "Greenfield Logistics said in a statement that it would cut 200 jobs at its depot in Norwell.",
    "org-quote": "“Every train will run on time from Monday,” the transport ministry said.",
    "dahl-latest": (
        "The farmer Henrik Dahl, 71, runs the orchard with his son Erik Dahl, 40.\n"
        "“We lost half the apples to frost,” Henrik Dahl said.\n"
        "Erik Dahl said the family would plant new trees in the spring.\n"
        "“I will study fruit farming in Wageningen next year,” Mr Dahl said."),
    # two people who share a family name: the bare name is the one the article has been calling by it,
    # not someone introduced as a relative or named once in passing
    "calder-kin": ("Ruth Calder, whose husband, Army medic Ian Calder, died in 2014, defended the plan on Monday.\n"
                   "Calder said she had read every page of it. “It is the right thing to do,” Calder said."),
    "horvat-in-passing": ("Senator Dale Horvat spoke for six hours. “We cannot wait,” Horvat said. Horvat named the "
                          "victims, among them a nurse, Edith Horvat, who died shielding a child.\n"
                          "“She showed us what courage is,” Horvat said."),
    "dahl-back-to-father": (
        "The farmer Henrik Dahl, 71, runs the orchard with his son Erik Dahl, 40.\n"
        "Erik Dahl said the family would plant new trees in the spring.\n"
        "Henrik Dahl said the frost had destroyed half of the apples.\n"
        "“I have not seen a spring this cold in fifty years,” Mr Dahl said."),
    # the article's own pronouns give a person's gender, but not a pronoun in a clause the name only
    # opens as a subordinate ("When X arrived, he …"), nor an object pronoun ("X thanked him")
    "gender-subordinate-clause": (
        "Omar Haddad waited outside the court in Pellham for an hour.\n"
        "Lena Varga has led her legal team for two years. When Lena Varga arrived at the court, he shook "
        "his head.\n"
        "“I have nothing more to say,” he said."),
    "gender-object-pronoun": (
        "Omar Haddad waited outside the court in Pellham for an hour.\n"
        "Lena Varga has led her legal team for two years. Lena Varga met him at the door and thanked him.\n"
        "“I have nothing more to say,” he said."),
    "plural-subject-opens-sentence": "Prosecutors said the man would appear in court in Pellham on Friday.",
    "her-brother": ("Chef Lena Moreau met her brother Paul Moreau in Lyon on Sunday.\n"
                    "“We told our staff we would survive the winter,” she said."),
    # a generational suffix ends the full name; the family name used alone still finds it
    "suffix": ("Walter P. Hensley Jr. toured the flooded farms near Ardmore on Friday.\n"
               "“Nobody here has seen the river this high,” Hensley said."),
    # ... but where the article names a father without the suffix, the family name alone is his
    "suffix-father": ("Walter Hensley founded the mill in Ardmore in 1971. His son, Walter Hensley Jr., runs it now.\n"
                      "“We never closed for a single day,” Hensley said."),
    # the same person with and without a middle initial; another initial is another person
    "initial": ("Governor Nora Castell visited the shipyard on Monday.\n"
                "“We will keep every job in this town,” Nora B. Castell said."),
    "other-initial": ("Harold K. Minsky founded the bakery in 1961.\n"
                      "“My father never took a day off,” said Harold J. Minsky, who runs it now."),
    # a body that a name only qualifies is that body
    "campaign": ("Frank Hollis spoke in Dayton on Tuesday, and the crowd cheered.\n"
                 "The Hollis campaign said on Sunday that it had raised $4 million in March."),
    # "the" before a name that qualifies a thing goes with the thing: the name stays a person's
    "the-name-noun": ("The Margit Sollen report on the harbour was published on Monday.\n"
                      "Sollen said the harbour needed $40 million of repairs."),
    "agency": ("Borovia fired two rockets across the border on Sunday.\n"
               "The BTA news agency said the launch was a routine drill."),
    # a source described in the lead and named in the next paragraph by the same title is that person;
    # someone given the title only much later is someone else
    "governor-named-next": ("The regional governor said on Monday that two drones had been shot down over Tarsk.\n\n"
                            "Governor Elena Varga said the air defences had worked through the night."),
    "commissioner-named-next": (
        "Three former players sued the Coastal Hockey League on Monday.\n\n"
        "The CHL commissioner said the league had not yet seen the claim.\n\n"
        "“We will read it carefully when it arrives,” said CHL commissioner Ron Abel."),
    "governor-named-late": ("The regional governor said on Monday that two drones had been shot down over Tarsk.\n\n"
                            "The drones hit a warehouse and a school. Firefighters worked through the night.\n\n"
                            "Residents of the city queued for water on Tuesday morning.\n\n"
                            "Trains to the capital were cancelled until Friday.\n\n"
                            "Governor Elena Varga of the neighbouring province said she would send buses."),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


def test_first_person_inside_a_quote_is_never_the_speaker(results):
    for r in results.values():
        for q in r.quotes:
            if q.speaker_mention is not None:
                assert q.speaker_mention.lower() not in ("i", "we", "me", "us", "you"), describe(r)
            if q.speaker is not None:
                assert q.speaker.lower() not in ("i", "we", "me", "us", "you"), describe(r)


@pytest.mark.parametrize("key, pronoun, speaker", [
    ("she-honorific", "she", "Amaka Eze"),
    ("he-honorific", "he", "Tom Birch"),
    ("she-skips-male-speaker", "she", "Amaka Eze"),
    ("quote-names-someone", "he", "Tom Birch"),
])
def test_pronoun_resolves_to_nearest_compatible_person(results, key, pronoun, speaker):
    r = results[key]
    [q] = [q for q in r.quotes if q.kind == "direct"]
    assert q.speaker_mention == pronoun
    assert r.article.text[q.speaker_start:q.speaker_end] == pronoun
    assert q.speaker == speaker, describe(r)
    assert q.speaker_type == "PERSON"
    assert q.rule == "pronoun"
    assert q.cue == "said"


def test_name_inside_the_quote_is_not_an_antecedent(results):
    q = quote_with(results["quote-names-someone"], "Peter Lang")
    assert q.speaker != "Peter Lang"


@pytest.mark.parametrize("key, speaker, kind", [
    ("they-group", "striking dockers", "GROUP"),
    ("they-org", "Harbour Alliance", "ORG"),
])
def test_they_resolves_to_a_group_or_organisation(results, key, speaker, kind):
    r = results[key]
    [q] = r.quotes
    assert q.speaker_mention == "they"
    assert q.speaker is not None and speaker in q.speaker, describe(r)
    assert q.speaker_type == kind


def test_it_resolves_to_an_organisation(results):
    q = quote_with(results["it-org"], "demand had collapsed")
    assert q.speaker_mention == "It"
    assert q.speaker == "Greenfield Logistics"
    assert q.speaker_type == "ORG"


def test_pronoun_without_antecedent_stays_unresolved(results):
    [q] = results["no-antecedent"].quotes
    assert q.speaker_mention == "she"
    assert q.speaker is None
    assert q.speaker_type is None
    assert q.rule == "none"
    assert q.confidence < 0.5


@pytest.mark.parametrize("key, needle, name", [
    ("ministry", "new rules", "ministry"),
    ("named-org", "cut 200 jobs", "Greenfield Logistics"),
    ("org-quote", "Every train", "transport ministry"),
])
def test_organisation_speakers(results, key, needle, name):
    q = quote_with(results[key], needle)
    assert q.speaker is not None
    assert name.lower() in q.speaker.lower()
    assert q.speaker_type == "ORG"
    assert q.cue == "said"


def _entity_names(r):
    return {e.id: e.name for e in r.entities}


@pytest.mark.parametrize("key", ["dahl-latest", "dahl-back-to-father"])
def test_father_and_son_are_never_merged(results, key):
    r = results[key]
    dahls = [e for e in r.entities if "Dahl" in e.name and e.type == "PERSON"]
    names = {e.name for e in dahls}
    assert {"Henrik Dahl", "Erik Dahl"} <= names, [e.name for e in r.entities]
    for e in dahls:
        all_names = " ".join([e.name, *e.aliases])
        assert not ("Henrik" in all_names and "Erik" in all_names), f"merged: {e.name} {e.aliases}"
    for q in r.quotes:
        if q.speaker and "Dahl" in q.speaker:
            assert q.speaker in ("Henrik Dahl", "Erik Dahl")


def test_mr_surname_resolves_to_the_latest_bearer_in_the_discourse(results):
    r = results["dahl-latest"]
    father = quote_with(r, "half the apples")
    son = quote_with(r, "study fruit farming")
    assert father.speaker == "Henrik Dahl"
    assert son.speaker == "Erik Dahl"
    assert son.speaker_mention in ("Dahl", "Mr Dahl")
    assert father.entity_id != son.entity_id


def test_mr_surname_goes_back_to_the_father_when_he_spoke_last(results):
    r = results["dahl-back-to-father"]
    son = quote_with(r, "plant new trees")
    father = quote_with(r, "spring this cold")
    assert son.speaker == "Erik Dahl"
    assert father.speaker == "Henrik Dahl"
    assert father.entity_id != son.entity_id


@pytest.mark.parametrize(("key", "owner", "other"), [("calder-kin", "Ruth Calder", "Ian Calder"),
                                                     ("horvat-in-passing", "Dale Horvat", "Edith Horvat")])
def test_a_shared_family_name_alone_is_the_person_the_article_calls_by_it(results, key, owner, other):
    r = results[key]
    assert {owner, other} <= {e.name for e in r.entities}, describe(r)  # two people, never merged
    assert [q.speaker for q in r.quotes] == [owner, owner], describe(r)


def test_she_does_not_resolve_to_a_brother(results):
    r = results["her-brother"]
    [q] = r.quotes
    assert q.speaker is not None and "Lena Moreau" in q.speaker, describe(r)


def test_entities_have_exact_mention_offsets(results):
    for r in results.values():
        text = r.article.text
        for e in r.entities:
            assert e.name
            assert e.type in ("PERSON", "ORG", "GROUP")
            for s, t in e.mentions:
                assert 0 <= s < t <= len(text)
                assert text[s:t].strip() == text[s:t]
        ids = [e.id for e in r.entities]
        assert len(ids) == len(set(ids))
        for q in r.quotes:
            if q.entity_id is not None:
                assert _entity_names(r)[q.entity_id] == q.speaker


@pytest.mark.parametrize("key", ["gender-subordinate-clause", "gender-object-pronoun"])
def test_gender_comes_from_pronouns_about_the_named_person_only(results, key):
    r = results[key]
    q = quote_with(r, "nothing more to say")
    assert q.speaker == "Omar Haddad", describe(r)
    assert q.rule == "pronoun"


def test_plural_subject_tagged_as_a_proper_noun_is_a_group(results):
    r = results["plural-subject-opens-sentence"]
    q = quote_with(r, "appear in court")
    assert q.speaker == "Prosecutors", describe(r)
    assert q.speaker_type == "GROUP"


@pytest.mark.parametrize("key, needle, speaker, people", [  # people: every entity named with the family name
    # a family name alone finds a full name that ends in a suffix ...
    ("suffix", "river this high", "Walter P. Hensley Jr.", {"Walter P. Hensley Jr."}),
    # ... unless a father is named without it
    ("suffix-father", "single day", "Walter Hensley", {"Walter Hensley", "Walter Hensley Jr."}),
    # a middle initial does not make another person; other initials do
    ("initial", "keep every job", "Nora B. Castell", {"Nora B. Castell"}),
    ("other-initial", "never took a day off", "Harold J. Minsky", {"Harold K. Minsky", "Harold J. Minsky"}),
], ids=["suffix", "suffix-father", "initial", "other-initial"])
def test_suffixes_and_initials_join_or_part_people_as_their_names_say(results, key, needle, speaker, people):
    r = results[key]
    family = speaker.removesuffix(" Jr.").split()[-1]
    assert quote_with(r, needle).speaker == speaker
    assert {e.name for e in r.entities if family in e.name} == people


@pytest.mark.parametrize("key, needle, body", [
    ("campaign", "raised $4 million", "hollis campaign"),
    ("agency", "routine drill", "bta news agency"),
])
def test_a_body_named_after_a_person_or_organisation_is_the_body(results, key, needle, body):
    q = quote_with(results[key], needle)
    assert q.speaker is not None and q.speaker.lower().endswith(body)
    assert q.speaker_type == "ORG"


def test_the_before_a_name_that_qualifies_a_thing_does_not_make_it_an_organisation(results):
    r = results["the-name-noun"]
    q = quote_with(r, "$40 million of repairs")
    assert (q.speaker, q.speaker_type) == ("Margit Sollen", "PERSON")
    assert [(e.name, e.type) for e in r.entities if "Sollen" in e.name] == [("Margit Sollen", "PERSON")]


@pytest.mark.parametrize("key, needle, name", [
    ("governor-named-next", "two drones", "Elena Varga"),
    ("commissioner-named-next", "not yet seen the claim", "Ron Abel"),
])
def test_described_source_named_in_the_next_paragraph(results, key, needle, name):
    q = quote_with(results[key], needle)
    assert q.speaker == name, describe(results[key])
    assert q.speaker_type == "PERSON"
    assert "description:title-holder" in q.rule_trace


def test_described_source_is_not_someone_named_much_later(results):
    q = quote_with(results["governor-named-late"], "two drones")
    assert q.speaker != "Elena Varga", describe(results["governor-named-late"])
