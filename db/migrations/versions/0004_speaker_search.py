"""Speaker search by any run of words, organisation names without "the", fast lists and text search.

* ``speaker_term``: the normalised names, aliases, runs of their words and fuzzy keys a speaker search hits
  (:mod:`db.index.name_index`);
* ``speaker.quote_count`` and ``speaker_role``: a speaker's quote count and roles over time, so that the
  speakers list and profiles never aggregate every quote (:mod:`db.index.speaker_stats`);
* ``role_text``: stated roles and affiliations with their normalised words, for ``--role``/``--affiliation``
  (:mod:`db.index.role_match`), and quote indexes on (role, dated_at) and (affiliation, dated_at);
* organisations and groups lose a leading "the" and a trailing "(ACRONYM)" in their display names, in
  stated affiliations, and in the speaker name stored with each quote (keys do not change: they already
  ignored "the");
* SQLite: the FTS5 index over quote contents is keyed by date (``rowid`` = second of ``dated_at`` << 29 |
  quote id), so that "the newest quotes containing a common word" reads 50 postings instead of sorting
  hundreds of thousands of matches (:mod:`db.search.text`).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The FTS5 rowid of a quote, frozen here (tests check db.search.text computes the same keys): the second of
# dated_at (its first 19 characters, so fractions never round up), clamped to 33 bits, shifted over the
# quote id's low 29 bits:
#   ((max(0, min(CAST(strftime('%s', substr(dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29) | (id & 536870911))


def upgrade() -> None:
    op.add_column("speaker", sa.Column("quote_count", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_speaker_rank", "speaker",
                    ["merged_into_id", sa.text("quote_count DESC"), "name", "id", "type"])
    op.create_table(
        "speaker_term",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("speaker_id", sa.Integer(), sa.ForeignKey("speaker.id"), nullable=False),
        sa.Column("term", sa.String(), nullable=False),
        sa.Column("kind", sa.Integer(), nullable=False),
        sa.UniqueConstraint("term", "kind", "speaker_id", name="uq_speaker_term_term_kind_speaker_id"),
    )
    op.create_index("ix_speaker_term_speaker_id_kind", "speaker_term", ["speaker_id", "kind"])
    op.create_table(
        "speaker_role",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("speaker_id", sa.Integer(), sa.ForeignKey("speaker.id"), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("affiliation", sa.String(), nullable=False),
        sa.Column("articles", sa.Integer(), nullable=False),
        sa.Column("first_seen", sa.DateTime(), nullable=False),
        sa.Column("last_seen", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("speaker_id", "title", "affiliation", name="uq_speaker_role_speaker_id_title_affiliation"),
    )
    op.create_table(
        "role_text",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("column", sa.String(16), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("norm", sa.String(), nullable=False),
        sa.UniqueConstraint("column", "value", name="uq_role_text_column_value"),
    )
    bind = op.get_bind()
    _clean_organisation_names(bind)
    op.create_index("ix_quote_role_dated_at", "quote", ["role", "dated_at"])
    op.create_index("ix_quote_affiliation_dated_at", "quote", ["affiliation", "dated_at"])
    if bind.dialect.name == "sqlite":
        _date_keyed_fts()
    # The derived tables are filled by the same code that keeps them in step (imported here, not copied, so
    # that an existing store gets exactly what a fresh ingest would write).
    from db.index import name_index, role_match, speaker_stats

    speaker_stats.rebuild(bind)
    role_match.rebuild(bind)
    name_index.rebuild(bind)


def _clean_organisation_names(bind: sa.Connection) -> None:
    """Display names, aliases, quotes' speaker names and affiliations of organisations without "the"."""
    from db.store.names import clean_org_name

    speaker = sa.table("speaker", sa.column("id"), sa.column("type"), sa.column("name"))
    alias = sa.table("speaker_alias", sa.column("speaker_id"), sa.column("alias"))
    quote = sa.table("quote", sa.column("speaker_id"), sa.column("speaker_name"), sa.column("affiliation"))
    role = sa.table("role", sa.column("affiliation"))
    orgs = sa.select(speaker.c.id).where(speaker.c.type.in_(("ORG", "GROUP")))
    targets = [(speaker, speaker.c.name, speaker.c.id.in_(orgs)), (alias, alias.c.alias, alias.c.speaker_id.in_(orgs)),
               (quote, quote.c.speaker_name, quote.c.speaker_id.in_(orgs)), (quote, quote.c.affiliation, sa.true()),
               (role, role.c.affiliation, sa.true())]
    names = sa.table("org_name_map", sa.column("old"), sa.column("new"))
    for table, column, scope in targets:
        maybe = sa.or_(sa.func.lower(column).like("the %"), column.like("%)"), column.like(" %"), column.like("% "))
        values = bind.execute(sa.select(column).where(scope, column.is_not(None), maybe).distinct()).scalars().all()
        mapping = [{"old": v, "new": clean_org_name(v)} for v in values]
        mapping = [m for m in mapping if m["new"] and m["new"] != m["old"]]
        if not mapping:
            continue
        # One pass over the table whatever the number of names (an UPDATE per name would scan it each time).
        op.create_table("org_name_map", sa.Column("old", sa.String(), primary_key=True),
                        sa.Column("new", sa.String(), nullable=False))
        op.bulk_insert(names, mapping)
        bind.execute(sa.update(table).where(column.in_(sa.select(names.c.old)), scope)
                     .values({column: sa.select(names.c.new).where(names.c.old == column).scalar_subquery()}))
        op.drop_table("org_name_map")


# The key (see the top of this file) is spelled out in each statement: SQL here is never built by formatting strings.
def _date_keyed_fts() -> None:
    op.execute("DROP TRIGGER IF EXISTS quote_fts_ai")
    op.execute("DROP TRIGGER IF EXISTS quote_fts_ad")
    op.execute("DROP TRIGGER IF EXISTS quote_fts_au")
    op.execute("DROP TABLE IF EXISTS quote_fts")
    op.execute("CREATE VIRTUAL TABLE quote_fts USING fts5(content, content='', "
               "tokenize='porter unicode61 remove_diacritics 2')")
    op.execute("CREATE TRIGGER quote_fts_ai AFTER INSERT ON quote BEGIN "
               "INSERT INTO quote_fts(rowid, content) VALUES ("
               "((max(0, min(CAST(strftime('%s', substr(new.dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29)"
               " | (new.id & 536870911)), new.content); END")
    op.execute("CREATE TRIGGER quote_fts_ad AFTER DELETE ON quote BEGIN "
               "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', "
               "((max(0, min(CAST(strftime('%s', substr(old.dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29)"
               " | (old.id & 536870911)), old.content); END")
    op.execute("CREATE TRIGGER quote_fts_au AFTER UPDATE OF content, dated_at ON quote BEGIN "
               "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', "
               "((max(0, min(CAST(strftime('%s', substr(old.dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29)"
               " | (old.id & 536870911)), old.content); "
               "INSERT INTO quote_fts(rowid, content) VALUES ("
               "((max(0, min(CAST(strftime('%s', substr(new.dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29)"
               " | (new.id & 536870911)), new.content); END")
    op.execute("INSERT INTO quote_fts(rowid, content) SELECT "
               "((max(0, min(CAST(strftime('%s', substr(dated_at, 1, 19)) AS INTEGER), 8589934591)) << 29)"
               " | (id & 536870911)), content FROM quote")


def downgrade() -> None:
    # Organisation display names stay cleaned: the "the" they lost is not recorded anywhere.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS quote_fts_ai")
        op.execute("DROP TRIGGER IF EXISTS quote_fts_ad")
        op.execute("DROP TRIGGER IF EXISTS quote_fts_au")
        op.execute("DROP TABLE IF EXISTS quote_fts")
        op.execute("CREATE VIRTUAL TABLE quote_fts USING fts5(content, content='quote', content_rowid='id', "
                   "tokenize='porter unicode61 remove_diacritics 2')")
        op.execute("CREATE TRIGGER quote_fts_ai AFTER INSERT ON quote BEGIN "
                   "INSERT INTO quote_fts(rowid, content) VALUES (new.id, new.content); END")
        op.execute("CREATE TRIGGER quote_fts_ad AFTER DELETE ON quote BEGIN "
                   "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', old.id, old.content); END")
        op.execute("CREATE TRIGGER quote_fts_au AFTER UPDATE OF content ON quote BEGIN "
                   "INSERT INTO quote_fts(quote_fts, rowid, content) VALUES ('delete', old.id, old.content); "
                   "INSERT INTO quote_fts(rowid, content) VALUES (new.id, new.content); END")
        op.execute("INSERT INTO quote_fts(quote_fts) VALUES ('rebuild')")
    op.drop_index("ix_quote_affiliation_dated_at", table_name="quote")
    op.drop_index("ix_quote_role_dated_at", table_name="quote")
    op.drop_table("role_text")
    op.drop_table("speaker_role")
    op.drop_index("ix_speaker_term_speaker_id_kind", table_name="speaker_term")
    op.drop_table("speaker_term")
    op.drop_index("ix_speaker_rank", table_name="speaker")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite (3.35+) drops a plain column in place; a batch rebuild would drop a table others reference.
        op.execute("ALTER TABLE speaker DROP COLUMN quote_count")
    else:
        op.drop_column("speaker", "quote_count")
