"""Feed state: which feeds are followed, their validators, what each item became; and failed URLs.

Every function is one transaction. A listing is recorded with its validators in the same transaction
as its new items, so a crash between the two can never leave a 304 hiding items never stored. Items
are inserted with ON CONFLICT DO NOTHING, so two ``follow`` runs over the same feed do not collide.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from attribution.reading.sources import SourceError, WebSourceError

from ..errors import NotFound
from ..store.models import Article, pk, utcnow
from ..store.sql import dialect_insert, table_of
from ..store.store import Store
from .models import Feed, FeedItem, FetchFailure

if TYPE_CHECKING:  # only a type here: the listing parser (lxml) is not loaded with the store
    from attribution.web.feeds import ListedItem

#: A transient failure (time-out, 5xx) is tried again on later passes, up to this many attempts in all.
MAX_ATTEMPTS = 3
_CHUNK = 500  # rows per INSERT: well under SQLite's limit of bound parameters


@dataclass(frozen=True)
class FeedState:
    """A followed feed as a pass needs it."""

    id: int
    url: str
    fetch_url: str
    etag: str | None
    last_modified: str | None


@dataclass(frozen=True)
class ItemToRead:
    """A feed item a pass must (still) read."""

    id: int
    feed_id: int
    url: str
    attempts: int


def _state(row: Feed) -> FeedState:
    assert row.id is not None
    return FeedState(row.id, row.url, row.fetch_url, row.etag, row.last_modified)


def _insert_ignore(s: Session, table: Any, rows: list[dict[str, Any]], keys: list[str]) -> int:
    """Insert rows, skipping those that would break the unique constraint over ``keys``; returns how many went in."""
    if not rows:
        return 0
    insert = dialect_insert(s)
    added = 0
    for start in range(0, len(rows), _CHUNK):
        stmt = insert(table).values(rows[start:start + _CHUNK]).on_conflict_do_nothing(index_elements=keys)
        # Counted from RETURNING: psycopg reports no rowcount for a multi-row INSERT ... ON CONFLICT.
        added += len(s.execute(stmt.returning(table.c.id)).all())
    return added


def add_feed(store: Store, url: str) -> FeedState:
    """The feed at ``url`` (normalised by the caller), recorded now if it was not followed yet."""
    with store.session(write=True) as s:
        _insert_ignore(s, table_of(Feed), [{"url": url, "fetch_url": url, "added_at": utcnow()}], ["url"])
        return _state(s.scalars(select(Feed).where(col(Feed.url) == url)).one())


def known_feeds(store: Store) -> list[FeedState]:
    """Every followed feed, oldest first."""
    with store.session() as s:
        return [_state(row) for row in s.scalars(select(Feed).order_by(col(Feed.id)))]


def record_not_modified(store: Store, feed_id: int) -> None:
    """The feed answered 304: only the time of the check changes."""
    with store.session(write=True) as s:
        s.execute(update(Feed).where(col(Feed.id) == feed_id).values(
            checked_at=utcnow(), last_status=304, last_error=None))


def record_listing(store: Store, feed_id: int, *, fetch_url: str, kind: str, title: str | None, etag: str | None,
                   last_modified: str | None, status: int, items: Iterable[ListedItem]) -> int:
    """A fresh listing: its validators and its items not seen before (returns how many were new)."""
    now = utcnow()
    rows = [{"feed_id": feed_id, "key_sha256": hashlib.sha256(item.key.encode("utf-8")).hexdigest(),
             "key": item.key, "url": item.url, "title": item.title, "status": "pending", "attempts": 0,
             "first_seen_at": now} for item in items]
    with store.session(write=True) as s:
        s.execute(update(Feed).where(col(Feed.id) == feed_id).values(
            fetch_url=fetch_url, kind=kind, title=title, etag=etag, last_modified=last_modified, checked_at=now,
            changed_at=now, last_status=status, last_error=None))
        return _insert_ignore(s, table_of(FeedItem), rows, ["feed_id", "key_sha256"])


def record_feed_error(store: Store, feed_id: int, failure: WebSourceError) -> None:
    """The feed could not be read: noted on the feed (validators kept) and in the failure log."""
    with store.session(write=True) as s:
        s.execute(update(Feed).where(col(Feed.id) == feed_id).values(
            checked_at=utcnow(), last_status=failure.status, last_error=failure.message))
        _log(s, failure, feed_id)


def items_to_read(store: Store, feed_id: int) -> list[ItemToRead]:
    """Items never read, and transient failures with attempts left, in the order they were listed."""
    with store.session() as s:
        rows = s.execute(
            select(col(FeedItem.id), col(FeedItem.feed_id), col(FeedItem.url), col(FeedItem.attempts))
            .where(col(FeedItem.feed_id) == feed_id)
            .where((col(FeedItem.status) == "pending") |
                   ((col(FeedItem.status) == "retry") & (col(FeedItem.attempts) < MAX_ATTEMPTS)))
            .order_by(col(FeedItem.id))).all()
    return [ItemToRead(pk(item_id), fid, url, attempts) for item_id, fid, url, attempts in rows]


def article_with_url(store: Store, url: str) -> int | None:
    """The id of the article stored under ``url``, if any (an item ``ingest`` already read)."""
    with store.session() as s:
        return s.scalar(select(col(Article.id)).where(col(Article.url) == url).order_by(col(Article.id)).limit(1))


def item_stored(store: Store, item_id: int, article_id: int | None) -> None:
    """The item's article is in the store (new, or found there already)."""
    with store.session(write=True) as s:
        s.execute(update(FeedItem).where(col(FeedItem.id) == item_id).values(
            status="stored", article_id=article_id, attempts=FeedItem.attempts + 1, error=None, fetched_at=utcnow()))


def item_failed(store: Store, item: ItemToRead, failure: SourceError, feed_id: int) -> str:
    """The item could not be read or stored: ``retry`` (a transient failure with attempts left) or ``failed``."""
    transient = isinstance(failure, WebSourceError) and failure.transient
    status = "retry" if transient and item.attempts + 1 < MAX_ATTEMPTS else "failed"
    with store.session(write=True) as s:
        s.execute(update(FeedItem).where(col(FeedItem.id) == item.id).values(
            status=status, attempts=FeedItem.attempts + 1, error=failure.message, fetched_at=utcnow()))
        _log(s, failure, feed_id)
    return status


def _log(s: Session, failure: SourceError, feed_id: int | None) -> None:
    web = failure if isinstance(failure, WebSourceError) else None
    s.add(FetchFailure(url=failure.where, feed_id=feed_id, kind=web.kind if web else "extract",
                       status_code=web.status if web else None, message=failure.message))


def record_failure(store: Store, failure: SourceError, feed_id: int | None = None) -> None:
    """Log one URL that could not be read."""
    with store.session(write=True) as s:
        _log(s, failure, feed_id)


def record_fetch_failures(store: Store, items: Iterable[Any]) -> Iterator[Any]:
    """Pass ``items`` through, logging every :class:`WebSourceError` among them as it goes by."""
    for item in items:
        if isinstance(item, WebSourceError):
            record_failure(store, item)
        yield item


@dataclass(frozen=True)
class FeedSummary:
    """A followed feed with its counts, for listings."""

    url: str
    title: str | None
    kind: str | None
    checked_at: str | None
    items: int
    stored: int
    failed: int


def feed_summaries(store: Store) -> list[FeedSummary]:
    """Every followed feed with how many items it listed, how many are stored and how many failed."""
    with store.session() as s:
        counts: dict[tuple[int, str], int] = {
            (fid, status): n for fid, status, n in s.execute(
                select(col(FeedItem.feed_id), col(FeedItem.status), func.count())
                .group_by(col(FeedItem.feed_id), col(FeedItem.status)))}
        feeds = s.scalars(select(Feed).order_by(col(Feed.id))).all()
    out = []
    for f in feeds:
        mine = {status: n for (fid, status), n in counts.items() if fid == f.id}
        out.append(FeedSummary(f.url, f.title, f.kind, f.checked_at.isoformat() if f.checked_at else None,
                               sum(mine.values()), mine.get("stored", 0), mine.get("failed", 0)))
    return out


def remove_feeds(store: Store, urls: Iterable[str]) -> list[FeedSummary]:
    """Stop following these feeds (normalised URLs); returns what each had listed, as :func:`feed_summaries`.

    Their items and fetch failures go with them; the articles they brought stay in the store, since quotes,
    claims and reviews hang on those. One transaction: a URL that is not followed raises :class:`NotFound`
    before anything is removed.
    """
    wanted = list(dict.fromkeys(urls))
    by_url = {f.url: f for f in feed_summaries(store)}
    missing = [u for u in wanted if u not in by_url]
    if missing:
        raise NotFound(f"Not following {missing[0]}: `attribution follow --list` shows the feeds followed.")
    with store.session(write=True) as s:
        ids = list(s.scalars(select(col(Feed.id)).where(col(Feed.url).in_(wanted))))
        # Explicit deletes rather than ON DELETE CASCADE alone: a database made without foreign keys
        # enforced would otherwise keep orphan rows.
        s.execute(delete(FeedItem).where(col(FeedItem.feed_id).in_(ids)))
        s.execute(delete(FetchFailure).where(col(FetchFailure.feed_id).in_(ids)))
        s.execute(delete(Feed).where(col(Feed.id).in_(ids)))
    return [by_url[u] for u in wanted]
