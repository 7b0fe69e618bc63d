"""Full-text search over quote contents: SQLite FTS5, PostgreSQL tsvector with a GIN index.

User input is searched as plain terms (every word must occur, in any order): FTS syntax such as
``NEAR``, ``*``, ``OR`` or a lone ``"`` is just text. English stop words are left out of a plain
query on SQLite as PostgreSQL's ``english`` configuration leaves them out (unless the query has
nothing else): "the bridge" finds the same quotes on both, and never scans half the index for "the".

``raw=True`` hands the query to the engine as is (FTS5 query syntax on SQLite, ``to_tsquery`` syntax on
PostgreSQL); a query the engine rejects becomes a :class:`~db.errors.SearchSyntaxError`.

On SQLite the FTS5 index is keyed by date: a posting's rowid is the second of the quote's ``dated_at``
shifted over its id (:func:`fts_key`; the triggers in migration 0004 compute the same). FTS5 walks a
term's postings backwards from any rowid, so :func:`newest_matching` reads "the 50 newest quotes with
this word" off the end of the index instead of sorting every match, which is what made common words slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, column, false, func, literal_column, select, table
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import SearchSyntaxError
from ..store.models import Quote
from ..store.names import normalise

# The FTS5 table and the tsvector column exist only in the migrations (backend-specific).
_fts = table("quote_fts", column("rowid"), column("quote_fts"))
#: The FTS5 rowid: second of dated_at (33 bits, clamped) << ID_BITS | quote id (ID_BITS bits).
ID_BITS = 29
ID_MASK = (1 << ID_BITS) - 1
MAX_SECOND = (1 << 33) - 1
# Spelled out so it stays on the query's own "quote" FROM entry (a table() would add a second one).
_search_vector: ColumnClause[Any] = literal_column("quote.search_vector")
# A constant regconfig (not a bound parameter) so the planner matches the generated column's expression.
_ENGLISH: ColumnClause[Any] = literal_column("'english'::regconfig")
_WORD = re.compile(r"\w")
#: The Snowball English stop words, as PostgreSQL's ``english`` text-search configuration drops them.
STOPWORDS = frozenset(re.findall(r"\w+", """
a about above after again against all am an and any are as at be because been before being below between
both but by can did do does doing don down during each few for from further had has have having he her here
hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of
off on once only or other our ours ourselves out over own s same she should so some such t than that the
their theirs them themselves then there these they this those through to too under until up very was we were
what when where which while who whom why will with you your yours yourself yourselves
"""))


def fts5_terms(text: str) -> str | None:
    """User text as an FTS5 query of quoted terms (implicit AND); None when it holds no word at all."""
    terms = [t for t in text.split() if _WORD.search(t)]
    if not terms:
        return None
    content = [t for t in terms if normalise(t) not in STOPWORDS]
    terms = content or terms
    return " ".join('"' + t.replace('"', '""') + '"' for t in terms)


def text_predicate(dialect: str, text: str, raw: bool = False) -> ColumnElement[bool]:
    """A WHERE clause matching quotes whose content contains ``text``."""
    if dialect == "postgresql":
        query = func.to_tsquery(_ENGLISH, text) if raw else func.plainto_tsquery(_ENGLISH, text)
        return _search_vector.op("@@")(query)
    match = text if raw else fts5_terms(text)
    if match is None or not match.strip():
        return false()
    return col(Quote.id).in_(select(_fts.c.rowid.op("&")(ID_MASK)).where(_fts.c.quote_fts.match(match)))


def second_of(when: datetime) -> int:
    """The second a stored (naive UTC) datetime falls in, clamped as the index keys clamp it."""
    seconds = int(when.replace(tzinfo=timezone.utc).timestamp() // 1)
    return max(0, min(seconds, MAX_SECOND))


def fts_key(dated_at: datetime, quote_id: int) -> int:
    """The FTS5 rowid of a quote (see the module docstring)."""
    return (second_of(dated_at) << ID_BITS) | (quote_id & ID_MASK)


def newest_matching(session: Session, match: str, conds: list[Any], limit: int, *,
                    since: datetime | None = None, until: datetime | None = None,
                    budget: int = 20_000, first_chunk: int = 64) -> list[int] | None:
    """Ids of the quotes matching an FTS5 query and ``conds`` that can be among the ``limit`` newest.

    Walks the date-keyed index from the newest posting down, a chunk at a time, keeping those that pass
    ``conds``, until it holds ``limit`` of them and has passed the second the last of those falls in (so
    that ties within that second are all there for the exact ORDER BY). Returns None when ``conds`` let too
    few postings through (``budget`` read without filling the page): the caller then filters the usual way.
    ``since``/``until`` only narrow the walk; ``conds`` must still hold them.
    """
    if (session.scalar(select(func.max(Quote.id))) or 0) > ID_MASK:
        return None  # ids past the key's bits: keys would not be unique (never at any realistic size)
    upper = ((second_of(until) + 2) << ID_BITS) if until is not None else None
    lower = (second_of(since) << ID_BITS) if since is not None else None
    found: list[tuple[int, int]] = []  # (second, id), newest first
    boundary: int | None = None
    chunk, read = first_chunk, 0
    while True:
        stmt = select(_fts.c.rowid).where(_fts.c.quote_fts.match(match)).order_by(_fts.c.rowid.desc()).limit(chunk)
        if upper is not None:
            stmt = stmt.where(_fts.c.rowid < upper)
        if lower is not None:
            stmt = stmt.where(_fts.c.rowid >= lower)
        keys = list(session.scalars(stmt))
        read += len(keys)
        ids = [k & ID_MASK for k in keys]
        passed = set(ids) if not conds else set(
            session.scalars(select(col(Quote.id)).where(col(Quote.id).in_(ids), *conds)))
        found += [(k >> ID_BITS, k & ID_MASK) for k in keys if (k & ID_MASK) in passed]
        if boundary is None and len(found) >= limit:
            boundary = found[limit - 1][0]
        if len(keys) < chunk or (boundary is not None and keys[-1] >> ID_BITS < boundary):
            return [qid for _second, qid in found]
        if boundary is None and read >= budget:
            return None
        upper, chunk = keys[-1], min(chunk * 4, 4096)


#: How FTS5 and PostgreSQL word their complaints about a query (FTS5 reads ``foo:bar`` or ``a - b`` as a
#: column filter, hence "no such column").
_QUERY_COMPLAINTS = ("fts5", "tsquery", "syntax error", "no such column", "unterminated string",
                     "unknown special query")


@contextmanager
def search_errors(raw: bool) -> Iterator[None]:
    """Turn a full-text engine's complaint about a raw query into one line."""
    try:
        yield
    except DBAPIError as exc:
        message = str(exc.orig) if exc.orig is not None else str(exc)
        syntax = getattr(exc.orig, "sqlstate", None) == "42601"  # PostgreSQL's syntax_error class
        if raw and (syntax or any(c in message for c in _QUERY_COMPLAINTS)):
            first = message.strip().splitlines()[0]
            raise SearchSyntaxError(f"The search engine rejected the --raw-search query: {first}.") from None
        raise
