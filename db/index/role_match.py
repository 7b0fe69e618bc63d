"""``--role`` and ``--affiliation``: whole runs of words of the role or affiliation a quote states.

``--role spokesman`` finds "chief spokesman" and "Spokesman" but not "spokesmanship"; matching ignores
case, accents and punctuation as speaker search does. The ``role_text`` table holds every distinct stated
value once, with its normalised words padded by spaces (`` chief spokesman ``), so a filter is a scan of
the distinct values (far fewer than quotes) and an ``IN`` on the quotes, which have an index on each
column and date: a few values are read as one newest-first index range each. Values are added by the
transaction that writes them (:func:`remember`) and never removed: a value no quote states any more only
costs a row.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, false, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store.models import Quote, RoleText
from ..store.names import clean_org_name, normalise
from ..store.sql import dialect_insert, table_of

COLUMNS = ("role", "affiliation")


def padded(value: str) -> str:
    """A value's normalised words with a space on each side (what a whole-run LIKE pattern needs)."""
    return f" {normalise(value)} "


def remember(bind: Session | Connection, values: Iterable[tuple[str, str | None]]) -> None:
    """Record ``(column, value)`` pairs as stated values (known ones are skipped)."""
    rows = sorted({(column, value) for column, value in values if value and normalise(value)})
    if not rows:
        return
    params = [{"column": c, "value": v, "norm": padded(v)} for c, v in rows]
    # executemany on the table, as in name_index._insert_ignore
    bind.execute(dialect_insert(bind)(table_of(RoleText)).on_conflict_do_nothing(), params)


#: Up to this many stated values are matched by value (an index range each); more by a subquery.
MAX_VALUES = 2000


def _target(column: str) -> Any:
    return Quote.role if column == "role" else Quote.affiliation


def _words(column: str, query: str) -> str:
    # Affiliations are stored as organisations are shown, without a leading "the": so is the query.
    return normalise(clean_org_name(query) if column == "affiliation" else query)


def matching_values(session: Session, column: str, query: str) -> list[str] | None:
    """The stated values of ``column`` containing ``query`` as a whole run of words; None when there are more
    than :data:`MAX_VALUES` (the condition then keeps them in a subquery)."""
    words = _words(column, query)
    if not words:
        return []
    values = list(session.scalars(_values(column, words).limit(MAX_VALUES + 1)))
    return None if len(values) > MAX_VALUES else values


def _values(column: str, words: str) -> Select:
    # Normalised text holds only letters, digits and single spaces: no LIKE wildcard can come from the user.
    return select(col(RoleText.value)).where(col(RoleText.column) == column, col(RoleText.norm).like(f"% {words} %"))


def condition(column: str, query: str, values: list[str] | None = None) -> ColumnElement[bool]:
    """Quotes whose stated ``column`` ("role" or "affiliation") contains ``query`` as a whole run of words
    (``values``: :func:`matching_values` when the caller has them)."""
    if values is not None:
        return _target(column).in_(values) if values else false()
    words = _words(column, query)
    return _target(column).in_(_values(column, words)) if words else false()


def rebuild(conn: Connection) -> None:
    """Record every value quotes state now (migrations and bulk loads)."""
    for column in COLUMNS:
        target = _target(column)
        values = conn.execute(select(target).where(target.is_not(None)).distinct()).scalars().all()
        remember(conn, [(column, v) for v in values])
