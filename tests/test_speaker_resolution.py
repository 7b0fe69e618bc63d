"""Speaker resolution through the real parser: descriptions, documents, datelines, short and family names.

Each case checks one rule of :mod:`attribution.engine`, :mod:`attribution.quotes.frames` or
:mod:`attribution.speakers.entities` on a short invented news text (invented people, places and organisations):

* a definite description ("the company", "the veteran defenceman") is the entity the text is about;
  indefinite and restrictive descriptions ("a local shopkeeper", "the shopkeeper who …") stay as written;
* a document ("her statement", "a statement") speaks for its author;
* a dateline or section label the parser made the subject is not the speaker;
* a short name of an organisation named before ("the Grey Herons") is that organisation;
* a new voice introduced by full name right before "he says" wins over the previous speaker (also
  across a quoted sentence, and after a caption named them far back), but a name in a photo credit
  does not;
* the subject of a sentence selective parsing left unparsed is found by word order;
* a family name alone that is also a common word ("says House") is the person named in full before;
* a party's word before a title or a common noun ("Pellham Leader Ivo Marsh", "Pellham supporters")
  is the party, not a person;
* of two subjects of one cue (a parse error), the one nearest the cue is the source;
* an acronym in brackets joins the words before it that spell it ("Harvest Development Canada (HDC)");
* a cue-less quotation after a narrative sentence about another named person is that person's;
* "“…,” says architect Lorena Vashti Okoro": the name after an inverted cue;
* a family member's full name tagged as an organisation is a person, and their first name joins it;
* a capitalised first name is not a title.

The texts were chosen so that the compact Stanza models produce the structure each rule handles
(e.g. an organisation name the NER tags); each case fails when its rule is removed, unless noted.
"""

from __future__ import annotations

import pytest

from attribution import ExtractionResult, Extractor, Quote
from tests.test_extract_direct import check_result, describe, quote_with, run_all

TEXTS = {
    # 1. definite description of an organisation
    "the-company": ("Northwind Freight Inc. posted a loss of 40 million dollars for the year.\n"
                    "The company said it would cut 200 jobs at its depot in Calloway."),
    # 2. definite, indefinite and restrictive person descriptions
    "the-defenceman": ("Grace Okonkwofeather scored twice on Saturday as the Kestrel Bay Harbour Hawks beat the "
                       "Dunmore Otters 5-2.\n"
                       "“We finally found our rhythm in the third period,” the veteran defenceman said."),
    "a-shopkeeper": ("Grace Okonkwofeather scored twice on Saturday as the Harbour Hawks won 5-2 at home.\n"
                     "“The whole street was watching the game,” a local shopkeeper said."),
    "the-shopkeeper-who": ("Grace Okonkwofeather scored twice on Saturday as the Harbour Hawks won 5-2 at home.\n"
                           "The shopkeeper who sold the tickets said nobody had expected the win."),
    # 3. documents speak for their authors
    "her-statement": ("Councillor Ysolde Marchbank resigned from the Pellham council on Monday.\n"
                      "“I can no longer support a budget that closes our libraries,” her statement read."),
    "a-statement": ("Ferrowell Mining Corp. said on Tuesday that it would close its pit in Fenwick.\n"
                    "A statement said the pit had lost money for three years."),
    # 4. datelines and section labels
    "dateline-full-name": ("LAKEVILLE, Ont. — Mayor Tomas Brenner on Monday said the new bridge will open "
                           "in the spring."),
    "dateline-surname": "LAKEVILLE — Brenner says the new bridge will open in the spring.",
    "section-label": "MARKETS: Quillon Energy said on Tuesday that profits rose by 12 per cent.",
    "section-label-long-name": ("MARKETS: Ferrowell Mining Corp. on Tuesday said that profits rose by "
                                "12 per cent."),
    # 5. short names of organisations
    "short-grey-herons": ("The Pellham Grey Herons signed two new players on Monday.\n"
                          "The Grey Herons said the two forwards would join the team next week."),
    "short-ironsides": ("The Fenwick Ironsides signed two new players on Monday.\n"
                        "The Ironsides said the two forwards would join the team next week."),
    "short-harbour-hawks": ("The Kestrel Bay Harbour Hawks signed two new players on Monday.\n"
                            "The Harbour Hawks said the two forwards would join the team next week."),
    # 6. a new voice introduced by full name; a photo credit is not one
    "new-voice": ("Councillor Ivan Marchbank launched the boiler repair scheme in Pellham last year.\n"
                  "“We have fixed more than 300 boilers so far,” he said.\n"
                  "The scheme also helped retired plumber Desmond Okafor, 71.\n"
                  "“I could not have afforded a new boiler on my pension,” he says."),
    "photo-credit": ("Mayor Rufus Tennant opened the new ferry terminal on Friday.\n"
                     "“This terminal will serve the island for fifty years,” he said.\n"
                     "The terminal replaces a wooden pier built in 1961 (Ivo Kranjc/Daily Ledger).\n"
                     "“We kept one of the old posts as a souvenir,” he said."),
    "new-voice-after-quoted-sentence": (
        "Retired plumber Desmond Okafor with his new boiler in Pellham.\n"
        "Councillor Ivan Marchbank launched the boiler repair scheme last year. It has a budget of two "
        "million dollars. Forty homes joined in the first month. The council hired six fitters. Each repair "
        "takes two days. Most homes are more than fifty years old. The waiting list has 90 names. "
        "“We have fixed more than 300 boilers so far,” he said.\n"
        "The scheme also helped retired plumber Desmond Okafor, 71. “I had no savings left. I could not "
        "have afforded a new boiler on my pension,” he says."),
    "subject-of-unparsed-sentence": (
        "Ana Ruiz, who chairs the residents' group, welcomed the vote. “We waited ten years for this,” "
        "she said.\n"
        "Across town, Grace Okonkwo also celebrated with her neighbours. Her street in Pellham floods every "
        "spring. “Now the hard work starts,” she said."),
    # 8. inverted cue with a title before the name
    "says-architect": ("“We designed the library around the light from the river,” says architect "
                       "Lorena Vashti Okoro."),
    # 9. a family member's name tagged as an organisation; a first name alone
    "family-org-tag": ("Denise Goldsworth and James Goldsworth reported their daughter missing on Friday.\n"
                       "Liberty Goldsworth was found safe in Pellham on Sunday.\n"
                       "“I just wanted to see the sea,” Liberty said."),
    "family-loc-tag": ("PELLHAM, Ont. – Madison Sterling stood by the second tee with a driver in hand.\n"
                       "“Into the wind is not my game,” Sterling said after the round.\n"
                       "“Next year I want the trophy,” said Sterling."),
    "gendered-noun": ("A navy spokeswoman said the harbour base would stay closed until Monday.\n"
                      "“We will not reopen the gates before the inquiry ends,” he said."),
    "first-name-alone": ("Jessa Marlow opened a bakery in Fenwick in March.\n"
                         "“People queue before we open,” Jessa said."),
    "surname-also-a-noun": ("Choreographer Lila House founded the Pellham Dance Theatre in 1998. The company "
                            "now has twelve dancers.\n"
                            "“I always wanted the piece to be longer,” says House."),
    "party-word-before-title": ("The Pellham Party held its seat on Wednesday.\n"
                                "Pellham Leader Ivo Marsh said he was not surprised by the result. He said he "
                                "heard from many Pellham supporters who stayed home.\n"
                                "He said the party would change its campaign."),
    "two-subjects": ("Accountant Ana Ruiz joined the program in May. A cooking class along with advice from a "
                     "nurse on how to read food labels, “was a real eye-opener” Ruiz says."),
    "acronym-spelled-out": ("Harvest Development Canada (HDC) approved the loan on Monday.\n"
                            "HDC said the money would reach farmers in Pellham by March."),
    # 10. a capitalised first name is not a title
    "first-name-not-title": ("The council approved the new skate park on Wednesday.\n"
                             "“The kids have waited long enough,” Brittany Ashcombe said."),
    "possessor-not-speaker": (
        "Senator Ana Kim left the debate early. Kim's spokesman said she had a cold. According to Kim's "
        "memoir, the senator never misses a vote."),
    "name-run-across-a-verb": (
        "The test came a week after the Security Council condemned North Korea's newest rocket launch. The "
        "latest test, North Korea said, was its biggest yet."),
}

# 7. a cue-less quotation after a narrative sentence about another named person
NARRATED = ("“The old mill could be saved,” says Rowe.\n"
            "Pellin did not need much persuading.\n"
            "“I grew up next to that mill and I want my children to see it working.”")


@pytest.fixture(scope="module")
def results(extractor) -> dict[str, ExtractionResult]:
    return run_all(extractor, TEXTS)


def mention_text(r: ExtractionResult, q: Quote) -> str:
    """The article text at the quote's speaker mention offsets."""
    assert q.speaker_start is not None and q.speaker_end is not None, describe(r)
    return r.article.text[q.speaker_start:q.speaker_end]


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


# --- 1. definite organisation description --------------------------------------------------------


def test_the_company_is_the_organisation_just_named(results):
    r = results["the-company"]
    q = quote_with(r, "cut 200 jobs")
    assert q.speaker == "Northwind Freight Inc.", describe(r)
    assert q.speaker_type == "ORG"
    assert q.speaker_mention == "The company"
    assert mention_text(r, q) == "The company"
    assert q.cue == "said"


# --- 2. person descriptions ------------------------------------------------------------------------


def test_definite_person_description_is_the_person_the_text_is_about(results):
    r = results["the-defenceman"]
    q = quote_with(r, "found our rhythm")
    assert q.speaker == "Grace Okonkwofeather", describe(r)
    assert q.speaker_type == "PERSON"
    assert q.speaker_mention == "the veteran defenceman"
    assert mention_text(r, q) == "the veteran defenceman"


@pytest.mark.parametrize("key, needle, speaker", [
    # indefinite: not anaphoric. The sieves keep it as written; the resolver (issue 23) prefers the person
    # the sentence before names, a preference the annotated news taught it (there a description usually
    # stands for someone named): a known error of the model, kept visible here until it learns otherwise.
    pytest.param("a-shopkeeper", "watching the game", "a local shopkeeper",
                 marks=pytest.mark.xfail(strict=True, reason="the resolver overrules the sieves here")),
    ("the-shopkeeper-who", "expected the win", "The shopkeeper"),  # relative clause: restrictive
])
def test_indefinite_or_restrictive_description_stays_as_written(results, key, needle, speaker):
    r = results[key]
    q = quote_with(r, needle)
    assert q.speaker == speaker, describe(r)
    assert q.speaker_mention == speaker
    assert q.speaker_type == "PERSON"


# --- 3. documents --------------------------------------------------------------------------------


def test_her_statement_speaks_for_the_woman_named_before(results):
    r = results["her-statement"]
    q = quote_with(r, "support a budget")
    assert q.kind == "direct"
    assert q.speaker == "Ysolde Marchbank", describe(r)
    assert q.speaker_type == "PERSON"
    assert q.speaker_mention == "her statement"
    assert q.cue == "read"


def test_a_statement_after_an_organisation_spoke_is_that_organisation(results):
    r = results["a-statement"]
    first = quote_with(r, "close its pit")
    second = quote_with(r, "lost money")
    assert first.speaker == "Ferrowell Mining Corp.", describe(r)
    assert second.speaker == "Ferrowell Mining Corp.", describe(r)
    assert second.speaker_type == "ORG"
    assert second.speaker_mention == "A statement"
    assert mention_text(r, second) == "A statement"


# --- 4. datelines and section labels -------------------------------------------------------------


@pytest.mark.parametrize("key, speaker, speaker_type", [
    ("dateline-full-name", "Tomas Brenner", "PERSON"),
    ("dateline-surname", "Brenner", "PERSON"),
    ("section-label", "Quillon Energy", "ORG"),
    ("section-label-long-name", "Ferrowell Mining Corp.", "ORG"),
])
def test_dateline_or_section_label_is_not_the_speaker(results, key, speaker, speaker_type):
    r = results[key]
    [q] = r.quotes
    assert q.kind == "indirect"
    assert q.speaker == speaker, describe(r)
    assert q.speaker_type == speaker_type
    assert q.speaker_mention is not None and speaker.endswith(q.speaker_mention)
    for label in ("LAKEVILLE", "MARKETS"):
        assert label not in q.speaker_mention


# --- 5. short names of organisations -------------------------------------------------------------


@pytest.mark.parametrize("key, speaker, mention", [
    ("short-grey-herons", "the Pellham Grey Herons", "Grey Herons"),
    ("short-ironsides", "the Fenwick Ironsides", "Ironsides"),
    ("short-harbour-hawks", "the Kestrel Bay Harbour Hawks", "Harbour Hawks"),
])
def test_short_name_is_the_organisation_named_before(results, key, speaker, mention):
    # Whether the NER layer tags the short name itself (as an organisation, or as a person: "the
    # Ironsides") or not at all, it is the organisation named in full before. The mention is the short
    # name, with its article where the rules found it without the NER layer's help.
    r = results[key]
    q = quote_with(r, "two forwards")
    assert q.speaker == speaker, describe(r)
    assert q.speaker_type == "ORG"
    assert q.speaker_mention in (mention, f"The {mention}")
    assert mention_text(r, q) == q.speaker_mention


# --- 6. new voices and photo credits -------------------------------------------------------------


# The sieves give the second quote to Okafor (the pronoun sieve); the resolver of 0.9.1 overruled them
# in favour of the previous speaker (an expected failure then), the one of 0.9.2 keeps their choice.
def test_new_voice_introduced_by_full_name_wins_over_previous_speaker(results):
    r = results["new-voice"]
    first = quote_with(r, "300 boilers")
    second = quote_with(r, "my pension")
    assert first.speaker == "Ivan Marchbank", describe(r)
    assert second.speaker == "Desmond Okafor", describe(r)
    assert second.speaker_type == "PERSON"
    assert second.speaker_mention == "he"
    assert second.rule == "pronoun"
    assert second.cue == "says"


def test_new_voice_introduced_before_a_quotation_of_several_sentences(results):
    # the narrative sentence before "“…. …,” he says" is two sentences back (the first is quoted
    # speech), and the caption naming the same man at the top is too far back to make him old news
    r = results["new-voice-after-quoted-sentence"]
    assert quote_with(r, "300 boilers").speaker == "Ivan Marchbank", describe(r)
    q = quote_with(r, "my pension")
    assert q.speaker == "Desmond Okafor", describe(r)
    assert q.rule == "pronoun" and q.speaker_mention == "he"


def test_subject_of_a_sentence_left_unparsed_is_an_antecedent(results):
    # selective parsing leaves "Across town, Grace Okonkwo also celebrated …" unparsed (no cue, and a
    # sentence with a name lies between it and "she said"): word order says she is its subject
    r = results["subject-of-unparsed-sentence"]
    assert quote_with(r, "ten years").speaker == "Ana Ruiz", describe(r)
    q = quote_with(r, "hard work starts")
    assert q.speaker == "Grace Okonkwo", describe(r)
    assert q.rule == "pronoun" and q.speaker_mention == "she"


def test_name_in_photo_credit_is_not_a_new_voice(results):
    r = results["photo-credit"]
    first = quote_with(r, "fifty years")
    second = quote_with(r, "old posts")
    assert first.speaker == "Rufus Tennant", describe(r)
    assert second.speaker == "Rufus Tennant", describe(r)
    assert second.speaker_mention == "he"
    assert second.rule == "pronoun"


# --- 7. narrated subject before a cue-less quotation ----------------------------------------------


@pytest.fixture(scope="module")
def full_extractor(models_dir):
    """The extractor with every sentence parsed: the rule alone, whatever sentence selection parses."""
    return Extractor(models_dir, mode="full")


def _check_narrated(ex: Extractor) -> None:
    r = ex.extract(NARRATED)
    check_result(r)
    first = quote_with(r, "could be saved")
    second = quote_with(r, "grew up next to that mill")
    assert first.speaker == "Rowe", describe(r)
    assert second.kind == "direct"
    assert second.speaker == "Pellin", describe(r)
    assert second.speaker_type == "PERSON"
    assert second.rule == "previous-sentence-subject"
    assert second.cue is None and second.speaker_mention is None


# The sieves give this quote to Pellin (previous-sentence-subject); the resolver keeps their choice (the
# resolver of 0.8.0 and 0.9.0 preferred the previous speaker).
def test_cueless_quote_goes_to_subject_of_narrative_sentence_before_it(extractor):
    _check_narrated(extractor)  # default (selective) parse mode: the narrative sentence must be parsed


def test_cueless_quote_goes_to_narrated_subject_in_full_parse_mode(full_extractor):
    _check_narrated(full_extractor)


# --- 8. inverted cue with a title before the name ------------------------------------------------


def test_inverted_cue_names_the_speaker_after_a_title(results):
    r = results["says-architect"]
    [q] = r.quotes
    assert q.kind == "direct"
    assert q.speaker == "Lorena Vashti Okoro", describe(r)
    assert q.speaker_type == "PERSON"
    assert q.cue == "says"
    assert q.role == "architect"


# --- 9. family names -----------------------------------------------------------------------------


@pytest.mark.parametrize("key, speaker, mention", [
    ("family-org-tag", "Liberty Goldsworth", "Liberty"),  # the NER tags "Liberty Goldsworth" ORG
    ("first-name-alone", "Jessa Marlow", "Jessa"),
])
def test_first_name_alone_joins_the_family_members_full_name(results, key, speaker, mention):
    r = results[key]
    [q] = [q for q in r.quotes if q.kind == "direct"]
    assert q.speaker == speaker, describe(r)
    assert q.speaker_type == "PERSON"
    assert q.speaker_mention == mention
    [entity] = [e for e in r.entities if e.name == speaker]
    assert entity.type == "PERSON"
    assert mention in entity.aliases and speaker in entity.aliases


def test_he_never_resolves_to_a_spokeswoman(results):
    """A gendered noun is the article's own evidence: with no man named, "he" stays unresolved."""
    r = results["gendered-noun"]
    q = quote_with(r, "reopen the gates")
    assert q.speaker_mention == "he"
    assert q.speaker is None, describe(r)
    assert q.rule == "none"


def test_a_name_tagged_as_a_place_joins_its_surname_used_alone(results):
    """The NER tags "Madison Sterling" a place and "Sterling" a person: the full name is the person's."""
    r = results["family-loc-tag"]
    quotes = [q for q in r.quotes if q.kind == "direct"]
    assert len(quotes) == 2, describe(r)
    assert {q.speaker for q in quotes} == {"Madison Sterling"}, describe(r)
    assert all(q.speaker_mention == "Sterling" for q in quotes)


# --- 10. capitalised first names -----------------------------------------------------------------


def test_family_name_that_is_also_a_noun_is_the_person_named_before(results):
    # the NER layer does not tag "House" alone; the article named Lila House in full before
    r = results["surname-also-a-noun"]
    q = quote_with(r, "longer")
    assert q.speaker is not None and "Lila House" in q.speaker, describe(r)
    assert q.speaker_type == "PERSON"
    assert q.speaker_mention == "House"


def test_party_word_before_a_title_or_a_noun_is_not_a_person(results):
    # the NER layer tags "Pellham" in "Pellham supporters" a person; the article names the Pellham Party
    r = results["party-word-before-title"]
    people = [e.name for e in r.entities if e.type == "PERSON"]
    assert people == ["Ivo Marsh"], describe(r)
    assert {q.speaker for q in r.quotes} == {"Ivo Marsh"}


def test_of_two_subjects_the_parser_gives_a_cue_the_nearest_is_its_own(results):
    # the compact parser makes both "class" and "Ruiz" subjects of "says"
    r = results["two-subjects"]
    q = quote_with(r, "eye-opener")
    assert q.speaker == "Ana Ruiz", describe(r)
    assert q.rule == "cue-subject" and q.speaker_mention == "Ruiz"


def test_acronym_after_the_words_it_spells_joins_them(results):
    r = results["acronym-spelled-out"]
    q = quote_with(r, "reach farmers")
    assert q.speaker == "Harvest Development Canada", describe(r)
    assert q.speaker_type == "ORG"
    assert q.speaker_mention == "HDC"


def test_capitalised_first_name_is_not_a_title(results):
    # Note: with the compact tagger "Brittany" comes out PROPN, so this guards the output rather than
    # the NOUN branch of entities._name_words.
    r = results["first-name-not-title"]
    q = quote_with(r, "waited long enough")
    assert q.speaker == "Brittany Ashcombe", describe(r)
    assert q.speaker_type == "PERSON"
    assert q.role is None


def test_the_owner_of_a_speaking_noun_is_not_the_speaker_but_a_document_speaks_for_its_author(results):
    r = results["possessor-not-speaker"]
    assert quote_with(r, "had a cold").speaker == "Kim's spokesman", describe(r)
    assert quote_with(r, "never misses a vote").speaker == "Ana Kim", describe(r)


def test_a_name_the_ner_ran_across_a_verb_is_the_part_after_it(results):
    r = results["name-run-across-a-verb"]
    assert quote_with(r, "biggest yet").speaker == "North Korea", describe(r)
