"""A speaker row's totals, kept in step with its quotes and roles by the transaction that changes them.

``speaker.quote_count`` (quotes attributed to the row itself) and ``speaker_role`` (its roles summed over
articles, with first and last seen) let the speakers list and a profile read a page of speakers instead of
aggregating every quote and role in the store (see benchmarks/bench_store.py).

Writers lock the speaker rows they touch first, in id order (``quote_count = quote_count + n`` takes the
row lock on PostgreSQL), so concurrent writers never deadlock on them, and a recount that follows sees
every committed change. Adding quotes or roles adjusts totals (:func:`add`); removing or moving them
recounts the speakers concerned (:func:`recount`), which is exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Connection,
    Insert,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store.models import Quote, Role, Speaker, SpeakerRole
from ..store.sql import dialect_insert, dialect_name, table_of


def lock(session: Session, quote_deltas: Mapping[int, int]) -> None:
    """Lock these speaker rows in id order and add each one's change in quote count (0 just locks)."""
    if not quote_deltas:
        return
    table = table_of(Speaker)
    # One statement executed for many rows, in id order (executemany keeps it): see the module docstring.
    session.execute(update(table).where(table.c.id == bindparam("sid"))
                    .values(quote_count=table.c.quote_count + bindparam("n")),
                    [{"sid": sid, "n": quote_deltas[sid]} for sid in sorted(quote_deltas)])


def add_roles(session: Session, roles: Iterable[tuple[int, str | None, str | None, datetime]]) -> None:
    """Count one more article for each ``(speaker_id, title, affiliation, article date)``."""
    rows = sorted({(sid, title or "", affiliation or "", when) for sid, title, affiliation, when in roles},
                  key=lambda r: (r[0], r[1], r[2]))
    if not rows:
        return
    dialect = dialect_name(session)
    table = table_of(SpeakerRole)
    stmt = dialect_insert(session)(table)
    earliest = func.min if dialect == "sqlite" else func.least
    latest = func.max if dialect == "sqlite" else func.greatest
    upsert = stmt.on_conflict_do_update(
        index_elements=["speaker_id", "title", "affiliation"],
        set_={"articles": table.c.articles + 1,
              "first_seen": earliest(table.c.first_seen, stmt.excluded.first_seen),
              "last_seen": latest(table.c.last_seen, stmt.excluded.last_seen)})
    session.execute(upsert, [{"speaker_id": sid, "title": title, "affiliation": affiliation, "articles": 1,
                              "first_seen": when, "last_seen": when} for sid, title, affiliation, when in rows])


def recount(session: Session, speaker_ids: Iterable[int]) -> None:
    """Recompute the quote counts and role summaries of these speakers from their rows (after locking them)."""
    ids = sorted(set(speaker_ids))
    if not ids:
        return
    lock(session, dict.fromkeys(ids, 0))
    counts = dict(session.execute(select(col(Quote.speaker_id), func.count()).where(col(Quote.speaker_id).in_(ids))
                                  .group_by(col(Quote.speaker_id))).all())
    for sid in ids:
        session.execute(update(Speaker).where(col(Speaker.id) == sid).values(quote_count=counts.get(sid, 0)))
    session.execute(delete(SpeakerRole).where(col(SpeakerRole.speaker_id).in_(ids)))
    session.execute(_summarise_roles(col(Role.speaker_id).in_(ids)))


def _summarise_roles(where: ColumnElement[bool]) -> Insert:
    title, affiliation = func.coalesce(Role.title, literal("")), func.coalesce(Role.affiliation, literal(""))
    summary = (select(col(Role.speaker_id), title, affiliation, func.count(), func.min(col(Role.first_seen)),
                      func.max(Role.last_seen))
               .where(where).group_by(col(Role.speaker_id), title, affiliation))
    return insert(SpeakerRole).from_select(
        ["speaker_id", "title", "affiliation", "articles", "first_seen", "last_seen"], summary)


def rebuild(conn: Connection) -> None:
    """Recompute every speaker's totals (migrations and bulk loads)."""
    conn.execute(update(Speaker).values(quote_count=0))
    counts = conn.execute(select(col(Quote.speaker_id), func.count()).where(col(Quote.speaker_id).is_not(None))
                          .group_by(col(Quote.speaker_id))).all()
    if counts:
        table = table_of(Speaker)
        conn.execute(update(table).where(table.c.id == bindparam("sid")).values(quote_count=bindparam("n")),
                     [{"sid": sid, "n": n} for sid, n in counts])
    conn.execute(delete(SpeakerRole))
    conn.execute(_summarise_roles(col(Role.speaker_id).is_not(None)))

