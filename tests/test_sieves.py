"""The speaker decision as ordered lists of named sieves, and the trace every quote keeps of it.

Each case runs the real pipeline on a text written for it and checks that the sieve named for the
construction decided the speaker, that ``rule_trace`` names the stages in order, and that switching one
sieve off changes exactly what it decides.
"""

from __future__ import annotations

import pytest

from attribution.speakers import sieves
from tests.test_extract_direct import describe, quote_with, run_all

TEXTS = {
    "named": "Harbour master Ingrid Solberg said the pier would reopen on Friday after the storm.",
    "pronoun": ("Councillor Maria Santos opened the budget meeting on Tuesday.\n"
                "“The budget is balanced for the first time in a decade,” she said."),
    "title-holder": ("Mayor Clara Oduya visited the flooded district of Norwell on Monday.\n"
                     "According to the mayor, the bridge will be rebuilt before the winter storms."),
    "inherited": ("“We will not leave this quay until the ferries run again,” said Selma Okafor.\n"
                  "“The town cannot live without them, and everyone here knows it.”"),
    "relative": "The council hired an engineer who said the bridge needed new cables before the winter storms.",
    "one-of": ("The Harbour Hawks lost 5-2 to the Dunmore Otters on Saturday.\n"
               "“We were beaten by a better team tonight,” said one of the players."),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def test_sieve_lists_are_named_data():
    for stage in (sieves.MENTION_SIEVES, sieves.SPEAKER_SIEVES, sieves.REFERENCE_SIEVES):
        names = [s.name for s in stage]
        assert len(names) == len(set(names)), names
        assert all('"' in (s.decide.__doc__ or "") for s in stage), \
            "every sieve's docstring shows the construction it handles"


def test_a_named_source_is_decided_by_the_named_source_sieve(results):
    r = results["named"]
    q = quote_with(r, "pier would reopen")
    assert q.speaker == "Ingrid Solberg", describe(r)
    assert q.rule == "cue-subject"
    assert q.rule_trace[:3] == ["quotes:reported", "frame:cue-subject", "speaker:cue-source"]
    assert any(t.startswith("mention:") for t in q.rule_trace)


def test_a_pronoun_is_resolved_by_the_pronoun_sieve(results):
    q = quote_with(results["pronoun"], "budget is balanced")
    assert q.speaker == "Maria Santos" and q.rule == "pronoun"
    assert "reference:pronoun" in q.rule_trace
    assert any(t.startswith("antecedent:") for t in q.rule_trace)
    assert not any(t.startswith("speaker:") for t in q.rule_trace), "pronouns are the reference stage's"


def test_a_title_given_before_names_the_person(results):
    r = results["title-holder"]
    q = quote_with(r, "bridge will be rebuilt")
    assert q.speaker == "Clara Oduya", describe(r)
    assert q.rule == "according-to"
    assert "mention:title-given-before" in q.rule_trace


def test_a_quote_only_paragraph_continues_the_previous_speaker(results):
    q = quote_with(results["inherited"], "cannot live without them")
    assert q.speaker == "Selma Okafor" and q.rule == "inherited"
    assert q.rule_trace[:3] == ["quotes:quote-only-paragraph", "reference:continues-previous", "resolver:kept"]


def test_a_relative_pronoun_speaks_for_its_noun(results):
    q = quote_with(results["relative"], "needed new cables")
    assert q.speaker_mention == "who" and q.rule == "relative-pronoun"
    assert q.rule_trace[2] == "speaker:relative-pronoun"


def test_every_trace_starts_with_assembly_and_ends_with_a_deciding_sieve(results):
    for r in results.values():
        for q in r.quotes:
            assert q.rule_trace and q.rule_trace[0].startswith("quotes:"), q
            stages = [t.split(":")[0] for t in q.rule_trace]
            assert stages.index("quotes") == 0
            if "frame" in stages and "speaker" in stages:
                assert stages.index("frame") < stages.index("speaker")
            if "resolver" in stages:  # the resolver weighs what the sieves decided: it comes after them
                assert all(s == "resolver" for s in stages[stages.index("resolver"):]), q.rule_trace


def test_switching_a_sieve_off_changes_only_what_it_decides(extractor, monkeypatch):
    """Without the one-of-a-group sieve, the sieves name nobody for "said one of the players"; the quotes
    stay the same. (What the sieves decide, before the resolver weighs it: :func:`attribution.engine.attribute`.)"""
    from attribution.engine import attribute

    text = TEXTS["one-of"]
    parsed = extractor.parser.parse([text])[0]

    def decided() -> list[tuple[int, int, str | None, list[str]]]:
        _ctx, items = attribute(text, parsed)
        return [(it.start, it.end, it.cluster.name if it.cluster else None, list(it.trace)) for it in items]

    before = decided()
    q = next(d for d in before if "better team" in text[d[0]:d[1]])
    assert q[2] == "one of the players" and "mention:one-of-a-group" in q[3], before
    monkeypatch.setattr(sieves, "MENTION_SIEVES",
                        tuple(s for s in sieves.MENTION_SIEVES if s.name != "one-of-a-group"))
    after = decided()
    q = next(d for d in after if "better team" in text[d[0]:d[1]])
    assert q[2] is None and "mention:one-of-a-group" not in q[3], after
    assert [d[:2] for d in after] == [d[:2] for d in before]
