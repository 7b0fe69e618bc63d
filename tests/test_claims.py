"""Claims and check-worthiness of quotes, through the real parser."""

from __future__ import annotations

import pytest

from tests.test_extract_direct import check_result, quote_with, run_all

TEXTS = {
    "fact": "“The council spent 4 million euros on the bridge in 2021,” said Ana Flores.",
    "fact-entity": "“Norwell Council sold the old harbour office to Greenfield Logistics in May,” said Ana Flores.",
    "opinion": "“I think the new bridge is beautiful,” said Ana Flores.",
    "promise": "“We will build a better town for everyone,” said Ana Flores.",
    "question": "“Why would anyone trust the council again?” Ana Flores asked.",
    "call": "“Stay at home and keep your children indoors tonight,” police said.",
    "call-2": "“Donate blood at the town hall this weekend,” the mayor said.",
    "pledge": "Mayor Clara Oduya vowed to rebuild the bridge before the first snow.",
    "two-sentences": "“Exports fell 12 per cent in March. I think the worst is behind us,” said Ana Flores.",
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def _quote(results, key):
    r = results[key]
    assert len(r.quotes) == 1, [q.content for q in r.quotes]
    return r.quotes[0]


def _top(results, key) -> float:
    return max(c.check_worthiness for c in _quote(results, key).claims)


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


def test_every_quote_has_claims_inside_it(results):
    for r in results.values():
        text = r.article.text
        for q in r.quotes:
            assert q.claims, q.content
            for c in q.claims:
                assert q.start <= c.start < c.end <= q.end
                assert text[c.start:c.end] == c.text
                assert c.text == c.text.strip()
                assert 0.0 <= c.check_worthiness <= 1.0
                assert c.reason
            starts = [c.start for c in q.claims]
            assert starts == sorted(starts)


@pytest.mark.parametrize("key", ["fact", "fact-entity"])
def test_factual_assertion_is_checkable(results, key):
    q = _quote(results, key)
    assert all(c.checkable for c in q.claims)


def test_number_and_past_tense_are_the_reasons(results):
    [c] = _quote(results, "fact").claims
    assert "number" in c.reason
    assert "past" in c.reason


@pytest.mark.parametrize("weaker", ["opinion", "promise", "question", "call", "call-2"])
def test_facts_score_higher_than_opinions_promises_questions_and_calls(results, weaker):
    assert _top(results, "fact") > _top(results, weaker)
    assert _top(results, "fact-entity") > _top(results, weaker)


@pytest.mark.parametrize("key", [
    "promise",
    "question",
    "call",
    pytest.param("call-2", marks=pytest.mark.xfail(
        strict=True, reason="engine: an imperative call to action ('Donate blood …') is marked checkable")),
    "pledge",
])
def test_promises_pledges_questions_and_calls_are_not_checkable(results, key):
    q = _quote(results, key)
    assert not any(c.checkable for c in q.claims), [(c.text, c.reason) for c in q.claims]


def test_a_quote_is_split_into_claims_by_sentence(results):
    r = results["two-sentences"]
    q = quote_with(r, "Exports fell")
    assert len(q.claims) == 2
    fact, opinion = q.claims
    assert fact.text.startswith("Exports fell 12 per cent")
    assert opinion.text.startswith("I think")
    assert fact.check_worthiness > opinion.check_worthiness
    assert "opinion" in opinion.reason
    assert fact.end <= opinion.start
