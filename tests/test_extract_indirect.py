"""Reported speech through the real parser: that-clauses, "according to", trailing attributions,
partial quotes inside reported speech and mixed quotes (reported speech carrying quoted fragments)."""

from __future__ import annotations

import pytest

from tests.test_extract_direct import check_result, describe, quote_with, run_all

TEXTS = {
    "that-clause": "Ravi Patel said that the factory would close its doors in March.",
    "bare-clause": "The Ministry of Health said hospitals had received 300 extra ventilators.",
    "statement": "Greenfield Logistics said in a statement that it would cut 200 jobs at its depot in Norwell.",
    "according-after": "The storm destroyed 40 homes in Brackley, according to Greta Vollmer.",
    "according-before": "According to Greta Vollmer, the storm destroyed 40 homes in Brackley.",
    "according-org": "The storm destroyed 40 homes in Brackley last night, according to the county fire service.",
    "trailing": "The suspect fled on foot towards the harbour, police said.",
    "trailing-name": "The ferry will resume its crossings on Friday, harbour master Ingrid Solberg said.",
    "partial": "The senator called for the plant to be “shut down at once”.",
    "partial-call-on": "The senator called on the company to “stop poisoning the river” before the summer.",
    "mixed": ("Teachers’ union leader Omar Faizi said the proposal was “a slap in the face” to staff and that "
              "the district had “ignored every warning.”"),
    "no-cue": "The storm destroyed 40 homes in Brackley on Tuesday night.",
    "vow": "Mayor Clara Oduya vowed to rebuild the bridge before the first snow.",
    "told": "Union official Ravi Patel told reporters the strike would go ahead on Friday.",
    "described-as": "Fire chief Ana Ruiz described the blaze as the worst she had seen in twenty years.",
    "called-x-y": "Mayor Tom Reyes called the plan a disaster for the town.",
    "called-x-quoted": "Tom Reyes called the verdict “a travesty” and left the court.",
    "called-the-police": "Tom Reyes called the police on Monday.",
    "relative-before-cue": ("For his part, Tom Reyes, who still has the phone he was given, said he found "
                            "housing with the help of a charity."),
    "says-full-name-after": ("Hypertension is the leading cause of stroke and one of the most common reasons to "
                             "see a doctor, says Ana Kim. It affects millions."),
    "two-subjects-company": ("In early November the company announced that Ana Kim, chief financial officer of a "
                             "telecom firm, would take on those duties."),
    "coordinated-reports": ("Tom Reyes said the vote sent a clear message to the council, and he said the party "
                            "would change its campaign."),
    "colon-then-report": ("Ana Kim says she grew up far from the sea: she notes that her family never ate fish "
                          "at home."),
    "participle-report": "Tom Reyes told police he left the house at noon, saying he had to catch a train.",
    "participle-speaker": ("Tom Reyes said the message from voters is that his party needs renewal, noting that "
                           "it did increase its share of the vote."),
    "continued-after-quote": "“The bridge is safe,” Mayor Clara Oduya said. “We checked it twice,” she continued.",
    "continues-not-a-cue": ("The longer the strike continues, the bigger the pile of parcels the depot will have "
                            "to clear when work resumes."),
    "gone-on-not-a-cue": "The senator has gone on a tour of the state to talk with farmers about the drought.",
    "title-with-cue": "On the train Tom Reyes was reading They Call Me George: A Life on the Docks, a memoir.",
    "said-and-added": "Tom Reyes said “nobody knows the full story,” and added: “I promise you, they were punished.”",
    "abbreviation-mid-report": ("Tom Reyes says he has lost 16 lbs. since he started walking to work. His doctor is "
                                "pleased."),
    "trailing-long-subject": ("The president left for Rome on Monday with his wife and two aides, Freedonia's "
                              "state-run FNA news agency said."),
    "relative-before-trailing-cue": "Ana Diaz was thrilled to work for Tom Reyes, whom she calls a fine golfer.",
    "negated-cue": "The mayor would not say which councillors are planning to retire before the election.",
    "subordinate-report": "Although critics say the fee is too high, Tom Reyes says it makes everyone work harder.",
    "inverted-after-mixed": ("The project was launched last year. Results for the first 500 people enrolled last May "
                             "are “very exciting,” says Heart and Stroke senior manager Ana Kim, who is leading it."),
    "infinitive-of-a-noun": ("It is an odd thing to say: the old bridge closed in 2005, while the new one opened "
                             "in 2009."),
    "infinitive-in-a-subject": ("The new guide is out. The move to emphasize water and limit sugary drinks was "
                                "expected by most doctors."),
    "adjunct-after-cue": "Top lawmakers said Friday afternoon, as they bristled at the questions about the mayor.",
    "question-put-first": ("Asked about the claim that it had been a bomb, Ms. Kim said, “I think it is important to "
                           "know the facts first.”"),
    "participle-after-parenthetical": ("The team lost again on Sunday, the coach said, not even trying to hide his "
                                       "anger at the referees."),
    "what-they-call": "The park was closed after what the government is calling “inflamed rhetoric.”",
    "naming-coordinated": "Prosecutor Ana Kim called the conclusion “bold” and based on “one giant guess.”",
    "object-with-relatives": ("Mayor Clara Oduya announced the end of a strike that closed the port of "
                              "Brackley for a month."),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


def test_that_clause(results):
    r = results["that-clause"]
    q = quote_with(r, "factory would close")
    assert q.kind == "indirect"
    assert q.content.rstrip(".").endswith("in March")
    assert q.speaker == "Ravi Patel"
    assert q.speaker_mention == "Ravi Patel"
    assert q.speaker_start == 0
    assert q.cue == "said"
    assert q.fragments == []
    assert len(r.quotes) == 1


def test_clause_without_that(results):
    q = quote_with(results["bare-clause"], "received 300 extra ventilators")
    assert q.kind == "indirect"
    assert q.content.startswith("hospitals")
    assert q.speaker_type == "ORG"
    assert "Ministry of Health" in q.speaker
    assert q.cue == "said"


def test_said_in_a_statement_that(results):
    q = quote_with(results["statement"], "cut 200 jobs")
    assert q.kind == "indirect"
    assert q.speaker == "Greenfield Logistics"
    assert q.speaker_type == "ORG"
    assert "in a statement" not in q.content


@pytest.mark.parametrize("key, source", [
    ("according-after", "Greta Vollmer"),
    ("according-before", "Greta Vollmer"),
    ("according-org", "county fire service"),
])
def test_according_to(results, key, source):
    r = results[key]
    q = quote_with(r, "destroyed 40 homes")
    assert q.kind == "indirect"
    assert q.cue is not None and q.cue.lower() == "according to"
    assert q.speaker is not None and source in q.speaker
    assert source in q.speaker_mention
    assert "according" not in q.speaker.lower() and "according" not in q.speaker_mention.lower()
    assert not q.speaker_mention.startswith(",")
    assert "according" not in q.content.lower()
    assert q.rule == "according-to"


def test_trailing_attribution_org(results):
    r = results["trailing"]
    q = quote_with(r, "fled on foot")
    assert q.kind == "indirect"
    assert q.content == "The suspect fled on foot towards the harbour"
    assert q.speaker == "police"
    assert q.speaker_type == "ORG"
    assert q.cue == "said"
    assert q.cue_start > q.end


def test_trailing_attribution_named(results):
    q = quote_with(results["trailing-name"], "resume its crossings")
    assert q.content.startswith("The ferry will resume")
    assert q.speaker is not None and "Ingrid Solberg" in q.speaker
    assert q.cue == "said"


@pytest.mark.parametrize("key, words, cue", [
    ("partial", "shut down at once", "called for"),
    ("partial-call-on", "stop poisoning the river", "called on"),
])
def test_partial_quote_inside_reported_speech(results, key, words, cue):
    r = results[key]
    q = quote_with(r, words)
    assert len(r.quotes) == 1, describe(r)
    assert q.kind in ("partial", "mixed")
    assert q.speaker is not None and "senator" in q.speaker.lower()
    assert q.speaker_mention == "The senator"
    assert q.cue == cue
    if q.kind == "mixed":
        text = r.article.text
        assert [text[s:e] for s, e in q.fragments] == [words]


def test_mixed_quote_is_one_quote_with_its_fragments(results):
    r = results["mixed"]
    text = r.article.text
    q = quote_with(r, "slap in the face")
    assert len(r.quotes) == 1, describe(r)
    assert q.kind == "mixed"
    assert "ignored every warning" in q.content
    assert q.content.startswith("the proposal was")
    assert [text[s:e].rstrip(".") for s, e in q.fragments] == ["a slap in the face", "ignored every warning"]
    assert q.speaker == "Omar Faizi"
    assert q.cue == "said"


def test_sentence_without_a_cue_is_not_reported_speech(results):
    assert results["no-cue"].quotes == []


def test_pledge_is_reported_speech(results):
    q = quote_with(results["vow"], "rebuild the bridge")
    assert q.speaker is not None and "Clara Oduya" in q.speaker
    assert q.cue == "vowed"
    assert "rebuild the bridge before the first snow" in q.content


def test_told_reporters(results):
    q = quote_with(results["told"], "strike would go ahead")
    assert q.kind == "indirect"
    assert q.speaker == "Ravi Patel"
    assert q.cue is not None and q.cue.startswith("told")
    assert "reporters" not in q.content


def test_object_whose_only_verbs_are_relative_is_not_reported_speech(results):
    # every verb after "announced" sits in a relative clause: the cue has an object, not a clause
    assert results["object-with-relatives"].quotes == [], describe(results["object-with-relatives"])



@pytest.mark.parametrize("key, content", [
    ("described-as", "the blaze as the worst she had seen in twenty years"),
    ("called-x-y", "the plan a disaster for the town"),
])
def test_verb_of_naming_reports_what_something_is(results, key, content):
    # "describe X as Y", "call X Y": object and predicate, to the end of the clause
    r = results[key]
    [q] = r.quotes
    assert q.kind == "indirect"
    assert q.content.rstrip(".") == content, describe(r)
    assert q.speaker in ("Ana Ruiz", "Tom Reyes")


def test_verb_of_naming_with_a_quoted_predicate_is_mixed(results):
    r = results["called-x-quoted"]
    [q] = r.quotes
    assert q.kind == "mixed"
    assert q.content == "the verdict “a travesty”", describe(r)
    assert [r.article.text[s:e] for s, e in q.fragments] == ["a travesty"]


def test_calling_someone_is_not_naming(results):
    assert results["called-the-police"].quotes == []


def test_speaker_before_a_relative_clause_and_the_cue(results):
    # the parser leaves "said" without a subject; "he" after the cue is the subject of what was said
    r = results["relative-before-cue"]
    [q] = r.quotes
    assert q.speaker == "Tom Reyes", describe(r)
    assert q.content.startswith("he found housing")


def test_inverted_cue_after_reported_speech_names_the_speaker_after_it(results):
    # "…, says Ana Kim": the parser hangs "says" off the reported clause, whose subject is not the source
    r = results["says-full-name-after"]
    [q] = r.quotes
    assert q.speaker == "Ana Kim", describe(r)
    assert q.content.startswith("Hypertension is the leading cause")
    assert q.cue == "says"


def test_the_subject_before_the_cue_wins_over_one_the_parser_adds_after_it(results):
    # the compact parser makes both "company" and "Ana Kim" subjects of "announced"
    r = results["two-subjects-company"]
    [q] = r.quotes
    assert q.speaker == "the company", describe(r)
    assert "Ana Kim" in q.content and q.content.rstrip(".").endswith("those duties")


@pytest.mark.parametrize("key, first, second", [
    ("coordinated-reports", "the vote sent a clear message to the council", "the party would change its campaign"),
    ("subordinate-report", "the fee is too high", "it makes everyone work harder"),
    ("colon-then-report", "she grew up far from the sea", "that her family never ate fish at home"),
    ("participle-report", "he left the house at noon", "he had to catch a train"),
])
def test_a_coordinated_report_ends_the_one_before_it(results, key, first, second):
    r = results[key]
    assert [q.content.rstrip(".") for q in r.quotes] == [first, second], describe(r)


def test_the_listener_is_not_part_of_what_was_told(results):
    r = results["participle-report"]
    told = quote_with(r, "left the house")
    assert told.cue == "told"
    assert told.content == "he left the house at noon", describe(r)


def test_a_participle_report_keeps_the_speaker_of_the_report_it_continues(results):
    # the parser hangs "noting" inside the reported clause, whose subject is "his party"
    r = results["participle-speaker"]
    q = quote_with(r, "increase its share")
    assert q.cue == "noting"
    assert q.speaker == "Tom Reyes", describe(r)


def test_continue_reports_speech_only_next_to_a_quotation(results):
    q = quote_with(results["continued-after-quote"], "checked it twice")
    assert q.speaker == "Clara Oduya", describe(results["continued-after-quote"])
    for key in ("continues-not-a-cue", "gone-on-not-a-cue"):
        assert results[key].quotes == [], describe(results[key])


def test_a_capitalised_cue_inside_a_sentence_is_a_title(results):
    assert results["title-with-cue"].quotes == [], describe(results["title-with-cue"])


def test_a_second_verb_of_saying_makes_a_quote_of_its_own(results):
    r = results["said-and-added"]
    first, second = quote_with(r, "nobody knows"), quote_with(r, "I promise you")
    assert first is not second, describe(r)
    assert "added" not in first.content
    assert first.speaker == second.speaker == "Tom Reyes"


def test_reported_speech_runs_past_an_abbreviation_the_tokenizer_took_for_a_full_stop(results):
    r = results["abbreviation-mid-report"]
    assert quote_with(r, "16 lbs").content == "he has lost 16 lbs. since he started walking to work", describe(r)


def test_a_trailing_cue_with_a_long_subject_names_the_organisation_not_its_possessor(results):
    r = results["trailing-long-subject"]
    q = quote_with(r, "left for Rome")
    assert q.content == "The president left for Rome on Monday with his wife and two aides", describe(r)
    # the body the name qualifies, as the article writes it; never the possessor, Freedonia
    assert q.speaker == "FNA news agency", describe(r)


def test_a_relative_clause_is_not_a_trailing_attribution(results):
    assert results["relative-before-trailing-cue"].quotes == [], describe(results["relative-before-trailing-cue"])


def test_a_negated_cue_reports_nothing(results):
    assert results["negated-cue"].quotes == [], describe(results["negated-cue"])


def test_an_inverted_cue_after_what_was_said_names_the_speaker_after_it(results):
    # the parse takes "Results" for the subject of "says"; the name that ends the phrase after the cue is it
    r = results["inverted-after-mixed"]
    assert quote_with(r, "very exciting").speaker == "Ana Kim", describe(r)


@pytest.mark.parametrize("key", ["infinitive-of-a-noun", "infinitive-in-a-subject"])
def test_an_infinitive_cue_that_only_describes_a_noun_reports_nothing(results, key):
    assert results[key].quotes == [], describe(results[key])


def test_an_adjunct_of_the_cue_is_not_what_was_said(results):
    assert results["adjunct-after-cue"].quotes == [], describe(results["adjunct-after-cue"])


def test_the_question_put_to_a_speaker_is_not_what_they_said(results):
    r = results["question-put-first"]
    assert [q.content for q in r.quotes] == ["I think it is important to know the facts first."], describe(r)


def test_a_participle_after_a_parenthetical_cue_is_not_the_second_half_of_the_report(results):
    r = results["participle-after-parenthetical"]
    assert [q.content for q in r.quotes] == ["The team lost again on Sunday"], describe(r)


def test_what_someone_calls_a_thing_is_a_name_not_a_quotation(results):
    assert results["what-they-call"].quotes == [], describe(results["what-they-call"])


def test_a_naming_runs_on_through_a_coordinated_participle(results):
    r = results["naming-coordinated"]
    assert [q.content for q in r.quotes] == ["the conclusion “bold” and based on “one giant guess.”"], describe(r)
