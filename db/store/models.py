"""The store's tables (SQLModel). The schema itself is created and upgraded by the Alembic migrations
in :mod:`db.migrations`; these classes must match them (``tests/test_db_schema.py`` checks that).

Datetimes are stored naive, in UTC. Offsets are ``str`` indices into ``article.text``.
Full-text search structures (SQLite FTS5 table, PostgreSQL tsvector column) live only in the
migrations: they are backend-specific and never loaded as attributes.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Integer, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel, col

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

JSONType = JSON().with_variant(JSONB(), "postgresql")
#: Naive UTC on every backend (timestamptz would hand back session-zone datetimes on PostgreSQL).
UTCDateTime = DateTime(timezone=False)

CLAIM_STATUSES = ("unreviewed", "in_review", "reviewed", "not_checkable")
SPEAKER_TYPES = ("PERSON", "ORG", "GROUP")


def pk(value: int | None) -> int:
    """A stored row's id. SQLModel types ids ``int | None`` (``None`` until the row is flushed); a row read
    from the database or flushed always has one, so ``None`` here is a bug and raises."""
    if value is None:
        raise AssertionError("a row without an id: flush it first")
    return value


def utcnow() -> datetime:
    """Now, as the store keeps times: naive UTC."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Article(SQLModel, table=True):
    """One article, identified by the SHA-256 of its text."""

    __tablename__ = "article"

    id: int | None = Field(default=None, primary_key=True)
    sha256: str = Field(max_length=64, unique=True)
    source_id: str | None = None
    url: str | None = Field(default=None, index=True)
    outlet: str | None = Field(default=None, index=True)
    title: str | None = None
    author: str | None = None
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    #: ``published`` when known, else ``ingested_at``: what --since/--until and ordering use.
    dated_at: datetime = Field(index=True, sa_type=UTCDateTime)
    text: str = Field(sa_type=Text)
    source_path: str | None = None
    ingested_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    extracted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    extractor_version: str
    model_ids: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)


class Speaker(SQLModel, table=True):
    """A person, organisation or group that speaks or holds roles.

    ``key`` is unique: ``TYPE|normalised name`` for speakers shared across articles, with ``@article_id``
    appended for article-local ones (see :mod:`db.store.names`). ``merged_into_id`` points at the canonical
    speaker after a manual merge; the row itself stays, so a merge can be undone.
    """

    __tablename__ = "speaker"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    type: str = Field(max_length=8)
    name: str
    norm_name: str = Field(index=True)
    article_id: int | None = Field(default=None, foreign_key="article.id", index=True)
    merged_into_id: int | None = Field(default=None, foreign_key="speaker.id", index=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    #: Quotes attributed to this row itself (not to what is merged into it); kept in step by
    #: :mod:`db.index.speaker_stats` in the transaction that adds, removes or moves quotes.
    quote_count: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class SpeakerAlias(SQLModel, table=True):
    """A name a speaker went by in one article."""

    __tablename__ = "speaker_alias"
    __table_args__ = (UniqueConstraint("speaker_id", "article_id", "norm_alias"),)

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    alias: str
    norm_alias: str = Field(index=True)


#: The speakers list reads canonical speakers (``merged_into_id IS NULL``) in its order straight off this index,
#: so a page, even a deep one, costs index entries only.
Index("ix_speaker_rank", col(Speaker.merged_into_id), col(Speaker.quote_count).desc(), col(Speaker.name),
      col(Speaker.id), col(Speaker.type))


class SpeakerTerm(SQLModel, table=True):
    """A normalised form a speaker search can hit: a name, an alias, a run of their words, or a word's
    first or last three letters (candidates for "did you mean"). See :mod:`db.index.name_index`."""

    __tablename__ = "speaker_term"
    __table_args__ = (UniqueConstraint("term", "kind", "speaker_id"),
                      Index("ix_speaker_term_speaker_id_kind", "speaker_id", "kind"))

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id")
    term: str
    kind: int


class SpeakerRole(SQLModel, table=True):
    """One role of one speaker row summed over articles: what the speakers list and a profile show.

    Kept in step with the ``role`` table by :mod:`db.index.speaker_stats`; ``''`` stands for no title or no
    affiliation (so that the unique constraint holds on every backend).
    """

    __tablename__ = "speaker_role"
    __table_args__ = (UniqueConstraint("speaker_id", "title", "affiliation"),)

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id")
    title: str = ""
    affiliation: str = ""
    articles: int = 0
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)


class RoleText(SQLModel, table=True):
    """A role or affiliation as quotes state it, with its normalised words (`` chief spokesman ``, padded
    with spaces) so that ``--role``/``--affiliation`` match whole runs of words. See :mod:`db.index.role_match`."""

    __tablename__ = "role_text"
    __table_args__ = (UniqueConstraint("column", "value"),)

    id: int | None = Field(default=None, primary_key=True)
    column: str = Field(max_length=16)
    value: str
    norm: str


class Role(SQLModel, table=True):
    """A role an article states for a speaker, with its evidence span.

    One row per speaker, article and (title, affiliation); ``first_seen``/``last_seen`` are the article's
    date, so a speaker's roles over time are the min/max over rows.
    """

    __tablename__ = "role"

    id: int | None = Field(default=None, primary_key=True)
    speaker_id: int = Field(foreign_key="speaker.id", index=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    title: str | None = None
    affiliation: str | None = None
    start: int
    end: int
    rule: str | None = None
    first_seen: datetime = Field(sa_type=UTCDateTime)
    last_seen: datetime = Field(sa_type=UTCDateTime)


class Quote(SQLModel, table=True):
    """A quotation in an article and its attribution, as the extractor found it.

    ``dated_at`` copies the article's date so that "a speaker's newest quotes" and date filters are
    one index range scan instead of a join and sort over every quote (see benchmarks/bench_store.py).
    """

    __tablename__ = "quote"
    # --role/--affiliation read a few stated values newest first, one index range each (db.index.role_match).
    __table_args__ = (Index("ix_quote_speaker_id_dated_at", "speaker_id", "dated_at"),
                      Index("ix_quote_role_dated_at", "role", "dated_at"),
                      Index("ix_quote_affiliation_dated_at", "affiliation", "dated_at"),
                      # The unsure queue: quotes nobody has reviewed, least confident first (db.review.unsure).
                      Index("ix_quote_speaker_review_confidence", "speaker_review", "confidence"))

    id: int | None = Field(default=None, primary_key=True)
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    speaker_id: int | None = Field(default=None, foreign_key="speaker.id")
    dated_at: datetime = Field(index=True, sa_type=UTCDateTime)
    start: int
    end: int
    content: str = Field(sa_type=Text)
    kind: str = Field(max_length=16)
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    #: The speaker's name as resolved in this article (before any merge).
    speaker_name: str | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    role: str | None = None
    affiliation: str | None = None
    confidence: float = 0.0
    rule: str = "none"
    extractor_version: str
    fragments: list[Any] = Field(default_factory=list, sa_type=JSONType)
    #: The stages and speaker sieves that decided the quote, in order (``Quote.rule_trace`` of the extractor);
    #: empty for quotes stored before migration 0003.
    rule_trace: list[str] = Field(default_factory=list, sa_type=JSONType)
    #: Whether a person checked the speaker: None (not yet), ``accepted`` or ``corrected`` (migration 0006).
    speaker_review: str | None = Field(default=None, max_length=16)


_claim_version = Column("version", Integer, nullable=False)


class Claim(SQLModel, table=True):
    """A statement a quote makes, and where its review stands.

    ``group_id`` (hash of the normalised text) links the same claim across articles and lets a
    re-extraction find the claim a review belongs to. ``version`` is bumped by every ORM update
    (optimistic locking); ``lease_owner``/``lease_expires`` let a review session hold a claim.
    ``quote_id`` is NULL for a reviewed claim whose quote a re-extraction no longer finds.
    """

    __tablename__ = "claim"
    __mapper_args__ = {"version_id_col": _claim_version}

    id: int | None = Field(default=None, primary_key=True)
    quote_id: int | None = Field(default=None, foreign_key="quote.id", index=True, ondelete="SET NULL")
    article_id: int = Field(foreign_key="article.id", index=True, ondelete="CASCADE")
    text: str = Field(sa_type=Text)
    start: int
    end: int
    check_worthiness: float = 0.0
    reason: str | None = None
    checkable: bool = True
    #: The check-worthiness model that scored the claim (attribution.claims.worthiness.CLAIM_MODEL_VERSION); NULL
    #: for claims scored before migration 0007. Another model's claims are re-scored by ``attribution setup``
    #: (indexed since migration 0008: setup and every ingest look for them).
    claim_model: str | None = Field(default=None, max_length=32, index=True)
    status: str = Field(default="unreviewed", max_length=16, index=True)
    group_id: str = Field(max_length=32, index=True)
    version: int | None = Field(default=None, sa_column=_claim_version)
    lease_owner: str | None = None
    lease_expires: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    detached_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RatingScale(SQLModel, table=True):
    """A named verdict scale (the PolitiFact-style six steps are seeded)."""

    __tablename__ = "rating_scale"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    description: str | None = None


class RatingLabel(SQLModel, table=True):
    """One step of a rating scale, in order (0 = most true)."""

    __tablename__ = "rating_label"
    __table_args__ = (UniqueConstraint("scale_id", "position"), UniqueConstraint("scale_id", "label"))

    id: int | None = Field(default=None, primary_key=True)
    scale_id: int = Field(foreign_key="rating_scale.id", index=True)
    position: int
    label: str
    definition: str = Field(sa_type=Text)


class Review(SQLModel, table=True):
    """A reviewer's verdict on a claim."""

    __tablename__ = "review"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    reviewer: str
    verdict: str | None = None
    rating_scale_id: int | None = Field(default=None, foreign_key="rating_scale.id")
    note: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Evidence(SQLModel, table=True):
    """A source a reviewer cites for a claim."""

    __tablename__ = "evidence"

    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = Field(foreign_key="claim.id", index=True)
    url: str
    note: str | None = Field(default=None, sa_type=Text)
    reviewer: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, from what to what. Append-only: triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_entity", "entity_type", "entity_id"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor: str
    entity_type: str
    entity_id: str
    action: str
    before: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSONType)


class ReviewSessionState(SQLModel, table=True):
    """Where one reviewer stands in one review queue, so that quitting and coming back resumes there.

    ``queue_key`` identifies the filters (see :mod:`db.review.session`); ``actions`` is the undo stack (audit event
    ids, newest last); ``skipped`` the claims this session passed over. A finished session is kept as history.
    """

    __tablename__ = "review_session"
    __table_args__ = (Index("ix_review_session_reviewer_queue_key", "reviewer", "queue_key"),)

    id: int | None = Field(default=None, primary_key=True)
    reviewer: str
    queue_key: str = Field(max_length=64)
    queue: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    scale_id: int | None = Field(default=None, foreign_key="rating_scale.id")
    current_claim_id: int | None = Field(default=None, foreign_key="claim.id", ondelete="SET NULL")
    done: int = 0
    skipped: list[Any] = Field(default_factory=list, sa_type=JSONType)
    actions: list[Any] = Field(default_factory=list, sa_type=JSONType)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StoreMeta(SQLModel, table=True):
    """Key/value facts about the database itself (``schema_version``, ``created_with``)."""

    __tablename__ = "store_meta"

    key: str = Field(primary_key=True)
    value: str
