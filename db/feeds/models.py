"""The tables of web ingest: followed feeds, their items, and every URL that could not be read.

Created by migration 0005. A feed's items are keyed by the SHA-256 of the key the feed gives them (RSS
``guid``, Atom ``id``, else the URL): keys can be long URLs, which PostgreSQL will not put in a b-tree
index whole.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from ..store.models import UTCDateTime, utcnow

#: What became of a feed item: not yet read; stored (or found already stored); failed for good;
#: failed in a way that may pass (a time-out, a 5xx), so a later pass tries again.
ITEM_STATUSES = ("pending", "stored", "failed", "retry")


class Feed(SQLModel, table=True):
    """A feed or sitemap that ``attribution follow`` polls, and the validators of its last answer."""

    __tablename__ = "feed"

    id: int | None = Field(default=None, primary_key=True)
    #: The URL as first given (normalised): how users name the feed.
    url: str = Field(sa_type=Text, unique=True)
    #: Where the listing is fetched: the URL after permanent redirects, or the feed a page announced.
    fetch_url: str = Field(sa_type=Text)
    kind: str | None = Field(default=None, max_length=16)
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    added_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: When the feed last answered with a listing (not a 304).
    changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status: int | None = None
    last_error: str | None = Field(default=None, sa_type=Text)


class FeedItem(SQLModel, table=True):
    """One item a feed listed, and what became of it (see :data:`ITEM_STATUSES`)."""

    __tablename__ = "feed_item"
    __table_args__ = (UniqueConstraint("feed_id", "key_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = Field(foreign_key="feed.id", index=True, ondelete="CASCADE")
    key_sha256: str = Field(max_length=64)
    key: str = Field(sa_type=Text)
    url: str = Field(sa_type=Text)
    title: str | None = None
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    article_id: int | None = Field(default=None, foreign_key="article.id", index=True, ondelete="SET NULL")
    error: str | None = Field(default=None, sa_type=Text)
    first_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FetchFailure(SQLModel, table=True):
    """A URL that could not be read, by ``ingest`` or ``follow``: one row per failure, kept as a log."""

    __tablename__ = "fetch_failure"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(sa_type=Text)
    feed_id: int | None = Field(default=None, foreign_key="feed.id", index=True, ondelete="CASCADE")
    #: ``http``, ``timeout``, ``network``, ``robots``, ``too_large``, ``not_html``, ``no_text``, ``not_feed``...
    kind: str = Field(max_length=16)
    status_code: int | None = None
    message: str = Field(sa_type=Text)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
