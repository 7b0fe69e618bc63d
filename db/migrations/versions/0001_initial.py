"""Initial schema: articles, speakers, roles, quotes, claims, reviews, rating scales, audit trail.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

SCHEMA_VERSION = "1"
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

POLITIFACT = [  # (label, definition), most true first; definitions in our own words
    ("True", "Accurate, and nothing significant is missing."),
    ("Mostly True", "Accurate, but needs clarification or more information."),
    ("Half True", "Partly accurate, but leaves out important details or takes things out of context."),
    ("Mostly False", "Holds an element of truth but ignores facts that would change the impression it gives."),
    ("False", "Not accurate."),
    ("Pants on Fire", "Not accurate, and makes a ridiculous claim."),
]


def _id() -> sa.Column:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(name: str, target: str, nullable: bool = False, ondelete: str | None = None) -> sa.Column:
    return sa.Column(name, sa.Integer(), sa.ForeignKey(f"{target}.id", ondelete=ondelete), nullable=nullable)


def _str(name: str, nullable: bool = True, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def _int(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column])


def upgrade() -> None:
    op.create_table(
        "article", _id(), _str("sha256", False, 64), _str("source_id"), _str("url"), _str("outlet"), _str("title"),
        _str("author"), _ts("published", True), _ts("dated_at"), sa.Column("text", sa.Text(), nullable=False),
        _str("source_path"), _ts("ingested_at"), _ts("extracted_at"), _str("extractor_version", False),
        sa.Column("model_ids", JSON, nullable=False),
        sa.UniqueConstraint("sha256", name=op.f("uq_article_sha256")),
    )
    _indexes("article", "dated_at", "outlet", "url")
    op.create_table(
        "speaker", _id(), _str("key", False), _str("type", False, 8), _str("name", False), _str("norm_name", False),
        _fk("article_id", "article", True), _fk("merged_into_id", "speaker", True), _ts("created_at"),
        sa.UniqueConstraint("key", name=op.f("uq_speaker_key")),
    )
    _indexes("speaker", "article_id", "merged_into_id", "norm_name")
    op.create_table(
        "speaker_alias", _id(), _fk("speaker_id", "speaker"), _fk("article_id", "article", ondelete="CASCADE"),
        _str("alias", False), _str("norm_alias", False),
        sa.UniqueConstraint("speaker_id", "article_id", "norm_alias",
                            name=op.f("uq_speaker_alias_speaker_id_article_id_norm_alias")),
    )
    _indexes("speaker_alias", "article_id", "norm_alias", "speaker_id")
    op.create_table(
        "role", _id(), _fk("speaker_id", "speaker"), _fk("article_id", "article", ondelete="CASCADE"),
        _str("title"), _str("affiliation"), _int("start"), _int("end"), _str("rule"), _ts("first_seen"),
        _ts("last_seen"),
    )
    _indexes("role", "article_id", "speaker_id")
    op.create_table(
        "quote", _id(), _fk("article_id", "article", ondelete="CASCADE"), _fk("speaker_id", "speaker", True),
        _ts("dated_at"), _int("start"), _int("end"), sa.Column("content", sa.Text(), nullable=False),
        _str("kind", False, 16),
        _str("cue"), _int("cue_start", True), _int("cue_end", True), _str("speaker_name"), _str("speaker_mention"),
        _int("speaker_start", True), _int("speaker_end", True), _str("role"), _str("affiliation"),
        sa.Column("confidence", sa.Float(), nullable=False), _str("rule", False), _str("extractor_version", False),
        sa.Column("fragments", JSON, nullable=False),
    )
    _indexes("quote", "article_id", "dated_at")
    op.create_index("ix_quote_speaker_id_dated_at", "quote", ["speaker_id", "dated_at"])
    op.create_table(
        "claim", _id(), _fk("quote_id", "quote", True, "SET NULL"), _fk("article_id", "article", ondelete="CASCADE"),
        sa.Column("text", sa.Text(), nullable=False), _int("start"), _int("end"),
        sa.Column("check_worthiness", sa.Float(), nullable=False), _str("reason"),
        sa.Column("checkable", sa.Boolean(), nullable=False), _str("status", False, 16), _str("group_id", False, 32),
        _int("version"), _str("lease_owner"), _ts("lease_expires", True), _ts("created_at"), _ts("updated_at"),
        _ts("detached_at", True),
    )
    _indexes("claim", "article_id", "group_id", "quote_id", "status")
    op.create_table("rating_scale", _id(), _str("name", False), _str("description"),
                    sa.UniqueConstraint("name", name=op.f("uq_rating_scale_name")))
    op.create_table(
        "rating_label", _id(), _fk("scale_id", "rating_scale"), _int("position"), _str("label", False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.UniqueConstraint("scale_id", "label", name=op.f("uq_rating_label_scale_id_label")),
        sa.UniqueConstraint("scale_id", "position", name=op.f("uq_rating_label_scale_id_position")),
    )
    _indexes("rating_label", "scale_id")
    op.create_table(
        "review", _id(), _fk("claim_id", "claim"), _str("reviewer", False), _str("verdict"),
        _fk("rating_scale_id", "rating_scale", True), sa.Column("note", sa.Text()), _ts("created_at"),
    )
    _indexes("review", "claim_id")
    op.create_table(
        "evidence", _id(), _fk("claim_id", "claim"), _str("url", False), sa.Column("note", sa.Text()),
        _str("reviewer"), _ts("created_at"),
    )
    _indexes("evidence", "claim_id")
    op.create_table(
        "audit_event", _id(), _ts("at"), _str("actor", False), _str("entity_type", False), _str("entity_id", False),
        _str("action", False), sa.Column("before", JSON), sa.Column("after", JSON),
    )
    op.create_index("ix_audit_event_entity", "audit_event", ["entity_type", "entity_id"])
    op.create_table("store_meta", sa.Column("key", sa.String(), primary_key=True),
                    sa.Column("value", sa.String(), nullable=False))

    if op.get_bind().dialect.name == "postgresql":
        _postgresql_extras()
    else:
        _sqlite_extras()
    _seed()


def _sqlite_extras() -> None:
    # External-content FTS5 index over quote.content, kept in sync by triggers.
    op.execute("CREATE VIRTUAL TABLE quote_fts USING fts5(content, content='quote', content_rowid='id', "
               "tokenize='porter unicode61 remove_diacritics 2')")
    op.execute("CREATE TRIGGER quote_fts_ai AFTER INSERT ON quote BEGIN "
               "INSERT INTO quote_fts(rowid, content) VALUES (new.id, new.content); END")
    op.execute("CREATE TRIGGER quote_fts_ad AFTER DELETE ON quote BEGIN "
               "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', old.id, old.content); END")
    op.execute("CREATE TRIGGER quote_fts_au AFTER UPDATE OF content ON quote BEGIN "
               "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', old.id, old.content); "
               "INSERT INTO quote_fts(rowid, content) VALUES (new.id, new.content); END")
    for verb in ("UPDATE", "DELETE"):
        op.execute(f"CREATE TRIGGER audit_event_no_{verb.lower()} BEFORE {verb} ON audit_event BEGIN "
                   "SELECT RAISE(ABORT, 'audit_event is append-only'); END")


def _postgresql_extras() -> None:
    op.execute("ALTER TABLE quote ADD COLUMN search_vector tsvector "
               "GENERATED ALWAYS AS (to_tsvector('english'::regconfig, content)) STORED")
    op.execute("CREATE INDEX ix_quote_search_vector ON quote USING gin (search_vector)")
    op.execute("CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
               "$$ BEGIN RAISE EXCEPTION 'audit_event is append-only'; END $$")
    op.execute("CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
               "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()")
    op.execute("CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
               "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()")


def _seed() -> None:
    scale = sa.table("rating_scale", sa.column("id"), sa.column("name"), sa.column("description"))
    label = sa.table("rating_label", sa.column("scale_id"), sa.column("position"), sa.column("label"),
                     sa.column("definition"))
    meta = sa.table("store_meta", sa.column("key"), sa.column("value"))
    bind = op.get_bind()
    scale_id = bind.execute(
        scale.insert().values(name="politifact", description="PolitiFact-style six-step truth scale")
        .returning(scale.c.id)).scalar_one()
    op.bulk_insert(label, [{"scale_id": scale_id, "position": i, "label": name, "definition": text}
                           for i, (name, text) in enumerate(POLITIFACT)])
    op.bulk_insert(meta, [{"key": "schema_version", "value": SCHEMA_VERSION}])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_event_append_only ON audit_event")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
    else:
        op.execute("DROP TABLE IF EXISTS quote_fts")
    for table in ("store_meta", "audit_event", "evidence", "review", "rating_label", "rating_scale", "claim",
                  "quote", "role", "speaker_alias", "speaker", "article"):
        op.drop_table(table)
