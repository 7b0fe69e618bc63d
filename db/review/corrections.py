"""Reviewers' speaker checks as gold: ``attribution-gold/1`` JSON Lines that ``attribution eval``, ``score.py``
and the resolver's training script read (``attribution.evaluation.load_gold``).

One line per article with at least one checked attribution, holding only its checked quotes: those whose
speaker a reviewer **corrected** (in either review queue) and those a reviewer **accepted** in ``review
--unsure`` (a confirmed speaker is as much a label as a corrected one). Each quote carries the speaker as the
store has it now (the canonical name, after merges), its type, the mention and cue as the extractor found
them, the role and affiliation, and ``review`` (``accepted`` or ``corrected``). A role stored with a quote
belongs to the speaker the extractor chose, so for a corrected speaker it is kept only if the article states
it for the new speaker; otherwise the new speaker's first role stated in the article is given (the gold
convention: roles are taken from anywhere in the article), or none. The article's other quotes are not in the
line: nobody checked them, so the file is gold for speakers, not for finding quotes (its ``note`` says so).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..index.speakers import group_ids
from ..search.queries import QuoteFilter, QuoteRow, base_select, build_filter
from ..store.models import Article, Quote, Role
from .export import jsonl_line

FORMAT = "attribution-gold/1"
NOTE = ("speaker corrections and confirmations by reviewers (attribution export corrections); only the checked "
        "quotes of the article are listed")


def gold_quote(q: QuoteRow) -> dict[str, Any]:
    """One checked attribution as a gold quote."""
    return {"start": q.start, "end": q.end, "content": q.quote, "kind": q.kind, "speaker": q.speaker,
            "speaker_type": q.speaker_type, "speaker_mention": q.speaker_mention, "speaker_start": q.speaker_start,
            "speaker_end": q.speaker_end, "cue": q.cue, "role": q.role, "affiliation": q.affiliation,
            "review": q.speaker_review}


def _stated_roles(session: Session, article_id: int, speaker_id: int) -> list[tuple[str | None, str | None]]:
    """The (title, affiliation) pairs the article states for a speaker (merged rows included), in text order."""
    members = group_ids(session, [speaker_id])
    return [(t, a) for t, a in session.execute(
        select(col(Role.title), col(Role.affiliation))
        .where(col(Role.article_id) == article_id, col(Role.speaker_id).in_(members))
        .order_by(col(Role.start), col(Role.id)))]


def _role_for(session: Session, q: QuoteRow) -> QuoteRow:
    """A corrected quote with a role the article states for its new speaker (see the module's docstring)."""
    if q.speaker_review != "corrected" or q.speaker_id is None:
        return q
    stated = _stated_roles(session, q.article_id, q.speaker_id)
    if (q.role, q.affiliation) in stated:
        return q
    q.role, q.affiliation = stated[0] if stated else (None, None)
    return q


def gold_document(article: Article, quotes: list[QuoteRow]) -> dict[str, Any]:
    """An article and its checked quotes as one gold line; the id is the one it was ingested with, else its
    SHA-256 (what identifies an article in the store)."""
    return {"id": article.source_id or article.sha256, "text": article.text, "source": "review",
            "url": article.url, "outlet": article.outlet,
            "date": article.published.date().isoformat() if article.published else None, "title": article.title,
            "note": NOTE, "quotes": [gold_quote(q) for q in quotes]}


def correction_documents(session: Session, f: QuoteFilter | None = None,
                         chunk: int = 1000) -> Iterator[dict[str, Any]]:
    """Gold documents of the checked attributions passing the quote filters, article by article (streamed)."""
    conds, _, _ = build_filter(session, f or QuoteFilter())
    if conds is None:  # --speaker matched nobody: nothing to export, as for csv and jsonl
        return
    stmt = (base_select().where(*conds, col(Quote.speaker_review).is_not(None), col(Quote.speaker_id).is_not(None))
            .order_by(col(Quote.article_id), col(Quote.start), col(Quote.id)))
    if f is not None and f.limit is not None:
        stmt = stmt.limit(f.limit)
    current: list[QuoteRow] = []
    for part in session.execute(stmt.execution_options(yield_per=chunk)).partitions(chunk):
        for row in (QuoteRow(*r) for r in part):
            if current and current[0].article_id != row.article_id:
                yield _document(session, current)
                current = []
            current.append(row)
    if current:
        yield _document(session, current)


def _document(session: Session, quotes: list[QuoteRow]) -> dict[str, Any]:
    article = session.get(Article, quotes[0].article_id)
    assert article is not None  # the quotes were just read joined to it
    return gold_document(article, [_role_for(session, q) for q in quotes])


def write_corrections(session: Session, stream: IO[str], f: QuoteFilter | None = None) -> tuple[int, int]:
    """Write the checked attributions as gold JSON Lines; returns (articles, quotes) written."""
    articles = quotes = 0
    for doc in correction_documents(session, f):
        stream.write(jsonl_line(doc))
        articles += 1
        quotes += len(doc["quotes"])
    return articles, quotes
