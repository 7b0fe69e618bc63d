"""Attribution shapes beyond a plain "X said", through the real Stanza pipeline: quotations signed with
a dash and a name, "X reports:" introductions, relative pronouns as the cue's subject, quoted titles that
end with a full stop, a long description between a quotation and its cue, and inverted cues whose
source is a description.

Every text is invented for these tests; all go through the parser in one batch.
"""

from __future__ import annotations

import pytest

from .test_extract_direct import check_result, describe, quote_with, run_all

TEXTS = {
    "dash-byline": (
        "Readers wrote in after the debate on the harbour plan.\n\n"
        "“He never answered a single question about the port. I was disappointed.” ― Marisol Vance\n\n"
        "“The night showed who he really is.” — Peter Odum\n\n"
        "The station thanked everyone who wrote."),
    "reports-colon": (
        "Donations to the campaign fell sharply in the spring.\n\n"
        "The Harbour Gazette reports:\n\n"
        "\"Only 12 percent of the donors gave more than $500 this year, a sharp fall from last year.\"\n\n"
        "The campaign did not respond."),
    "relative-who": (
        "The council hired an engineer who said the bridge needed new cables before the winter storms."),
    "title-full-stop": (
        "The festival on Elm Street opens on Friday with “The Girl Who Sailed Alone Across the Sea.” "
        "Tickets sold out within an hour."),
    "long-apposition": (
        "“The treaty gives both sides a way out of the standoff,” Hedda Lindqvist, director of maritime "
        "studies at the Oslo-based Institute for Coastal Affairs, said in an emailed statement."),
    "short-fragment-lead-in": (
        "Guards at the depot described the night in detail.\n\n"
        "The crowd pushed against the fence \u201clike waves,\u201d he said, and the gate gave way."),
    "cue-inside-a-clause": "The harbour board met on Monday. The latest test, its engineers said, was the hardest yet.",
    "parenthetical-cue": (
        "Inspector Mara Lindgren led the search on Tuesday.\n\n"
        "The boat drifted for six hours, she said, but the crew kept the radio working until dawn."),
    "inverted-description": (
        "The family spent the afternoon at the farm museum.\n\n"
        "“No, that’s the goat,” says my four-year-old.\n\n"
        "“The tractor is older than the barn,” said one of the volunteers at the gate."),
    "signed-paragraph": (
        "Rents in the city rose by a fifth last year. Nora Blake, who runs a tenants' group, said many families "
        "were leaving.\n\n"
        "Councils will have to build far more homes or the young will keep moving away from the towns they grew "
        "up in. Nora Blake, Tenant Voice\n\n"
        "The agency will publish its next report in March.\n\n"
        "A cyclist rides past a row of shuttered shops in the old harbour district in Vancouver on Oct. 29, 2015. "
        "Daniel Reyes"),
}


@pytest.fixture(scope="module")
def results(extractor):
    """Every text of the module, extracted in one batch."""
    out = run_all(extractor, TEXTS)
    for r in out.values():
        check_result(r)
    return out


def test_dash_signed_quotations_go_to_the_signed_name(results) -> None:
    r = results["dash-byline"]
    first = quote_with(r, "never answered")
    second = quote_with(r, "who he really is")
    assert (first.speaker, first.rule) == ("Marisol Vance", "dash-byline"), describe(r)
    assert first.speaker_mention == "Marisol Vance"
    assert second.speaker == "Peter Odum", describe(r)
    assert len(r.quotes) == 2, describe(r)  # the lines around them are prose, not quotations


def test_a_colon_intro_whose_verb_the_tagger_reads_as_a_noun(results) -> None:
    r = results["reports-colon"]
    q = quote_with(r, "Only 12 percent")
    assert q.speaker is not None and "Harbour Gazette" in q.speaker, describe(r)
    assert q.cue == "reports"
    assert q.rule == "colon-subject"


def test_a_relative_pronoun_is_the_mention_and_its_noun_the_speaker(results) -> None:
    r = results["relative-who"]
    q = quote_with(r, "the bridge needed new cables")
    assert q.kind == "indirect"
    assert q.speaker_mention == "who", describe(r)
    assert q.speaker is not None and "engineer" in q.speaker, describe(r)
    assert q.rule == "relative-pronoun"


def test_a_quoted_title_ending_with_a_full_stop_is_not_a_quotation(results) -> None:
    r = results["title-full-stop"]
    assert r.quotes == [], describe(r)


def test_a_long_description_between_quotation_and_cue_keeps_the_named_speaker(results) -> None:
    r = results["long-apposition"]
    q = quote_with(r, "both sides a way out")
    assert q.speaker == "Hedda Lindqvist", describe(r)
    assert q.cue == "said"


def test_an_inverted_cue_with_a_description_names_the_description(results) -> None:
    r = results["inverted-description"]
    child = quote_with(r, "that’s the goat")
    volunteer = quote_with(r, "older than the barn")
    assert child.speaker_mention is not None and "four-year-old" in child.speaker_mention, describe(r)
    assert volunteer.speaker_mention is not None and volunteer.speaker_mention.startswith("one of the volunteers"), \
        describe(r)


def test_a_short_fragment_led_into_by_reported_speech_is_one_mixed_quote(results) -> None:
    r = results["short-fragment-lead-in"]
    q = quote_with(r, "like waves")
    assert q.kind == "mixed", describe(r)
    assert q.content.startswith("The crowd pushed"), describe(r)
    assert q.fragments and r.article.text[q.fragments[0][0]:q.fragments[0][1]] == "like waves,"


def test_a_parenthetical_cue_reports_both_halves_of_its_sentence(results) -> None:
    r = results["parenthetical-cue"]
    first = quote_with(r, "drifted for six hours")
    second = quote_with(r, "kept the radio working")
    assert first.kind == second.kind == "indirect", describe(r)
    assert first.speaker == second.speaker == "Mara Lindgren", describe(r)
    assert "she said" not in first.content and "she said" not in second.content


def test_a_cue_between_subject_and_predicate_reports_both_halves(results) -> None:
    r = results["cue-inside-a-clause"]
    assert [q.content for q in r.quotes] == ["The latest test", "was the hardest yet"], describe(r)
    assert {q.speaker for q in r.quotes} == {"its engineers"}, describe(r)


def test_a_paragraph_signed_with_a_name_the_article_knows_is_a_pull_quote(results) -> None:
    r = results["signed-paragraph"]
    q = quote_with(r, "build far more homes")
    assert (q.speaker, q.rule) == ("Nora Blake", "signed-paragraph"), describe(r)
    assert q.content.endswith("grew up in")  # the signature is not part of what was said
    assert not [x for x in r.quotes if "cyclist" in x.content], describe(r)  # a photographer's credit
