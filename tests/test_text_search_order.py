"""Text search pages through the newest matches first (issue 16): on SQLite the FTS5 index is keyed by date,
and reading a page off it gives exactly what sorting every match gives, ties within a second included."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

import db
from attribution.types import Article
from db.search import text as search
from db.store.models import Quote
from tests.db_helpers import VERSION, Canned, quote, result

pytestmark = pytest.mark.db

WORDS = ["harbour", "ferry", "toll", "bridge", "tunnel"]


@pytest.fixture
def store_with_many(store):
    """40 articles over 12 dates (several share a date, so their quotes share a second), 3 quotes each."""
    canned, articles = Canned(), []
    for i in range(40):
        sentences = []
        for j in range(3):
            words = " ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(1 + (i * j) % 3))
            sentences.append(f"Note {i}-{j} on the {words} plan,")
        body = " ".join(f'"{s}" said Ada Lind.' for s in sentences)
        article = Article(id=f"a{i}", text=body, published=f"2024-03-{1 + i % 12:02d}")
        kinds = ["direct", "direct", "partial"]
        canned.add(result(article, [quote(body, s, "Ada Lind", kind=kinds[j]) for j, s in enumerate(sentences)]))
        articles.append(article)
    db.ingest(store, articles, canned, version=VERSION)
    return store


def _ids(store, **kw) -> list[int]:
    with store.session() as s:
        return [q.quote_id for q in db.find_quotes(s, db.QuoteFilter(**kw)).rows]


@pytest.mark.parametrize("words", ["harbour", "ferry toll", "bridge", "plan", "tunnel harbour", "nothing"])
@pytest.mark.parametrize("limit", [1, 3, 7, 50])
def test_a_page_is_the_head_of_the_full_ordering(store_with_many, words, limit):
    everything = _ids(store_with_many, text=words)
    assert _ids(store_with_many, text=words, limit=limit) == everything[:limit]


@pytest.mark.parametrize("extra", [{"kind": "partial"}, {"since": "2024-03-05", "until": "2024-03-08"},
                                   {"min_confidence": 0.5, "until": "2024-03-03"}, {"speaker": "Lind"}])
def test_other_filters_walk_the_same_ordering(store_with_many, extra):
    everything = _ids(store_with_many, text="harbour", **extra)
    assert everything
    for limit in (1, 4, 10):
        assert _ids(store_with_many, text="harbour", limit=limit, **extra) == everything[:limit]


def test_a_selective_filter_falls_back_to_sorting(store_with_many, db_backend):
    if db_backend != "sqlite":
        pytest.skip("the date-keyed index is SQLite's")
    with store_with_many.session() as s:
        walked = search.newest_matching(s, '"harbour"', [Quote.kind == "partial"], 20, budget=3, first_chunk=2)
    assert walked is None  # too few postings pass: the caller sorts the matches instead
    assert _ids(store_with_many, text="harbour", kind="partial", limit=5) == \
        _ids(store_with_many, text="harbour", kind="partial")[:5]


def test_index_keys_are_date_then_id(store_with_many, db_backend):
    if db_backend != "sqlite":
        pytest.skip("the date-keyed index is SQLite's")
    with store_with_many.session() as s:
        keys = set(s.scalars(text("SELECT rowid FROM quote_fts WHERE quote_fts MATCH 'plan'")))
        expected = {search.fts_key(d, i) for i, d in s.execute(select(Quote.id, Quote.dated_at))}
        assert keys == expected
        # Deleting and re-dating keep the index in step.
        s.execute(text("DELETE FROM quote WHERE id = 1"))
        s.execute(text("UPDATE quote SET dated_at = '2030-01-01 00:00:00.000000' WHERE id = 2"))
    with store_with_many.session() as s:
        assert _ids(store_with_many, text="plan", limit=1) == [2]
        assert 1 not in _ids(store_with_many, text="plan")
