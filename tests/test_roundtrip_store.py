"""Property: what goes into the store comes out unchanged -- article text, quote content and offsets, claims --
through the database and the JSONL export, for arbitrary Unicode text (NBSP, zero-width, bidi controls, emoji,
NUL-free control characters). Fed with hand-built extraction results, so no parser is involved.
"""

from __future__ import annotations

import io
import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

import db
from attribution.types import Article, Claim
from db.store.models import Article as StoredArticle
from tests.db_helpers import VERSION, Canned, entity, quote, result

pytestmark = pytest.mark.db

#: Characters that break naive text handling, mixed into arbitrary Unicode.
AWKWARD = ("\u00a0", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u202c", "\u2066",
           "\u2069", "\u200f", "👩\u200d👩\u200d👧", "🇪🇺", "e\u0301", "\r", "\r\n", "\t", "\x1b[31m", "\x07", "\x7f",
           "\x85", "\u2028", "\u2029", "“", "”", "«", "»", "'", '"', "\\", "%", "_", "[red]", "=SUM(A1)", "\U0010fffd")

chunks = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12),
    st.sampled_from(AWKWARD),
)
pieces = st.lists(chunks, max_size=6).map("".join)
ids = itertools.count()


def _roundtrip(store, prefix: str, content: str, middle: str, claim_text: str, suffix: str) -> None:
    n = next(ids)
    # A unique head, so every example is a new text (the store skips texts it already holds).
    head = f"#{n} {prefix}"
    text = head + content + middle + claim_text + suffix
    q_start = len(head)
    q_end = q_start + len(content)
    c_start = q_end + len(middle)
    c_end = c_start + len(claim_text)
    article = Article(id=f"p{n}", text=text)
    q = quote(text, text[q_start:q_end] or text, "Ann Lee", entity_id=1)
    q.start, q.end, q.content = q_start, q_end, content
    q.claims = [Claim(claim_text, c_start, c_end, 0.7, "numbers", True)]
    res = result(article, [q], [entity(text, 1, "Ann Lee")])
    report = db.ingest(store, [article], Canned({article.id: res}), version=VERSION)
    assert report.failed == 0, report.failures
    with store.session() as s:
        [stored] = s.scalars(select(StoredArticle).where(StoredArticle.source_id == article.id)).all() or \
            s.scalars(select(StoredArticle).where(StoredArticle.text == text)).all()
        assert stored.text == text
        out = io.StringIO()
        db.write_export(s, "jsonl", db.QuoteFilter(article=str(stored.id)), out)
    [record] = [json.loads(line) for line in out.getvalue().splitlines()]
    assert (record["quote"], record["start"], record["end"]) == (content, q_start, q_end)
    assert text[record["start"]:record["end"]] == record["quote"]
    [c] = record["claims"]
    assert (c["text"], c["start"], c["end"]) == (claim_text, c_start, c_end)
    assert text[c["start"]:c["end"]] == c["text"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prefix=pieces, content=pieces.filter(bool), middle=pieces, claim_text=pieces.filter(bool), suffix=pieces)
def test_text_quotes_and_claims_round_trip(store, prefix, content, middle, claim_text, suffix):
    _roundtrip(store, prefix, content, middle, claim_text, suffix)


@pytest.mark.parametrize("piece", AWKWARD)
def test_each_awkward_character_round_trips(store, piece):
    _roundtrip(store, piece, f"{piece}quoted{piece}", piece, f"claim{piece}", piece)
