"""Full-text search over quote contents: SQLite FTS5, PostgreSQL tsvector with a GIN index.

User input is searched as plain terms (every word must occur, in any order): FTS syntax such as
``NEAR``, ``*``, ``OR`` or a lone ``"`` is just text. English stop words are left out of a plain
query on SQLite as PostgreSQL's ``english`` configuration leaves them out (unless the query has
nothing else): "the bridge" finds the same quotes on both, and never scans half the index for "the".

``raw=True`` hands the query to the engine as is (FTS5 query syntax on SQLite, ``to_tsquery`` syntax on
PostgreSQL); a query the engine rejects becomes a :class:`~db.errors.SearchSyntaxError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnClause, ColumnElement, column, false, func, literal_column, select, table
from sqlalchemy.exc import DBAPIError
from sqlmodel import col

from .errors import SearchSyntaxError
from .models import Quote
from .names import normalise

# The FTS5 table and the tsvector column exist only in the migrations (backend-specific).
_fts = table("quote_fts", column("rowid"), column("quote_fts"))
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
    return col(Quote.id).in_(select(_fts.c.rowid).where(_fts.c.quote_fts.match(match)))


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
