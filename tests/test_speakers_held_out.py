"""The kinds of speaker error that turned up on unseen articles, each on a text written for it.

* descriptions resolved to the entity the article names ("the utility", "her office", "the director of
  operations", "the government" after "the Colombian government");
* coordinated speakers kept together ("A and B said");
* time words never a speaker ("said late Friday");
* the listener never the speaker ("told AFP");
* short quotations that are all that was said ("“No,” she said").
"""

from __future__ import annotations

import pytest

from tests.test_extract_direct import describe, quote_with, run_all

TEXTS = {
    "utility": ("Northern Grid Power Co. raised its rates by 4 per cent on Monday.\n"
                "The utility said the increase would pay for new lines in the valley."),
    "her-office": ("Premier Lorna Beck has faced questions about the pipeline for weeks.\n"
                   "Her office said on Friday that the premier would meet the protesters."),
    "director-of": ("Tomas Brennick, the director of operations at Calloway Ferries, met the workers on Monday.\n"
                    "The director of operations said the boats would sail again on Tuesday."),
    "fuller-body": ("Talks between the Norvalian government and the rebels resumed in Calloway on Monday.\n"
                    "The government said the rebels must free the two hostages first."),
    "coordinated": "Mayor Clara Oduya and councillor Ivo Marsh said the bridge would reopen in the spring.",
    "coordinated-appositive": ("The union leaders Ana Ruiz and Tom Birch told reporters the strike would "
                               "continue."),
    "coordinated-titles": ("Harbour councillor and ferry campaigner Jo Pellew said the timetable had been "
                           "cut without notice."),
    "time-after-cue": "“We are not leaving,” Jo Doe said late Friday.",
    "listener": "“The convoy was turned back at the border,” an aid official told AFP on Sunday.",
    "we-won": "The final ended 2-1 after extra time.\n“We won,” Jo Bloggs said.",
    "no": "The coach was asked whether the team could still reach the playoffs.\n“No,” she said.",
    "interrupted": "“My hope,” she said, “is that the council will listen this time.”",
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


@pytest.mark.parametrize("key, needle, speaker, mention", [
    ("utility", "increase would pay", "Northern Grid Power Co.", "The utility"),
    ("her-office", "premier would meet", "Lorna Beck's office", "Her office"),
    ("director-of", "boats would sail", "Tomas Brennick", "The director"),
    ("fuller-body", "free the two hostages", "Norvalian government", "The government"),
])
def test_a_description_is_the_entity_the_article_names(results, key, needle, speaker, mention):
    r = results[key]
    q = quote_with(r, needle)
    assert q.speaker is not None and q.speaker.removeprefix("the ") == speaker, describe(r)
    assert q.speaker_mention == mention
    assert r.article.text[q.speaker_start:q.speaker_end] == mention


@pytest.mark.parametrize("key, needle, speaker", [
    ("coordinated", "bridge would reopen", "Clara Oduya and Ivo Marsh"),
    ("coordinated-appositive", "strike would continue", "Ana Ruiz and Tom Birch"),
])
def test_people_named_together_speak_together(results, key, needle, speaker):
    q = quote_with(results[key], needle)
    assert q.speaker == speaker, describe(results[key])
    assert q.speaker_type == "GROUP"
    assert "mention:coordinated-people" in q.rule_trace


def test_coordinated_titles_are_one_person(results):
    q = quote_with(results["coordinated-titles"], "timetable had been cut")
    assert q.speaker == "Jo Pellew", describe(results["coordinated-titles"])
    assert q.speaker_type == "PERSON"


def test_a_time_after_the_cue_is_not_the_speaker(results):
    q = quote_with(results["time-after-cue"], "not leaving")
    assert q.speaker == "Jo Doe", describe(results["time-after-cue"])


def test_the_listener_is_not_the_speaker(results):
    q = quote_with(results["listener"], "convoy was turned back")
    assert q.speaker != "AFP", describe(results["listener"])
    assert q.speaker_mention == "an aid official"


@pytest.mark.parametrize("key, needle, speaker", [("we-won", "We won", "Jo Bloggs"), ("no", "No", "The coach")])
def test_a_short_quotation_that_is_all_that_was_said(results, key, needle, speaker):
    r = results[key]
    q = quote_with(r, needle)
    assert q.content.rstrip(",") == needle, describe(r)
    assert q.kind == "direct"
    assert q.speaker == speaker


def test_the_first_words_of_an_interrupted_quotation_are_not_a_quote_of_their_own(results):
    r = results["interrupted"]
    assert not [q for q in r.quotes if q.content.startswith("My hope")], describe(r)


@pytest.mark.parametrize("raw, clean", [
    (", at which the envoy spoke", None),  # a fragment of a clause names no one
    ("one of several veterans who have come to work with her", "one of several veterans"),
    ("early results of exit polls conducted by Norwell Research", "early results of exit polls"),
    ("An expert cited in the report", "An expert cited in the report"),
    ("― ", None),
    ("Clara Oduya", "Clara Oduya"),
])
def test_a_speaker_field_is_a_clean_name_or_mention(raw, clean):
    from attribution.results import speaker_name

    assert speaker_name(raw) == clean


def test_an_epithet_for_the_organisation_that_spoke(extractor):
    """"the Harbour-based group said" after the Observatory spoke, with another group named in between."""
    r = extractor.extract(
        "The Norvalian Observatory for Human Rights said on Monday that nine fighters had been killed.\n"
        "The fighting followed an attack by the Dunmore Defence Forces on a village near the border.\n"
        "The Harbour-based group said the clashes had continued overnight.")
    q = quote_with(r, "clashes had continued")
    assert q.speaker is not None and "Observatory" in q.speaker, describe(r)
    assert "description:organisation-that-spoke" in q.rule_trace
