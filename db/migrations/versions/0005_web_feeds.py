"""Web ingest: followed feeds with their validators, the items they listed, and URLs that failed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = False) -> sa.Column:
    return sa.Column(name, sa.DateTime(), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("fetch_url", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=True),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("last_modified", sa.String(), nullable=True),
        _ts("added_at"), _ts("checked_at", True), _ts("changed_at", True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.UniqueConstraint("url", name=op.f("uq_feed_url")),
    )
    op.create_table(
        "feed_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feed.id", ondelete="CASCADE"), nullable=False),
        sa.Column("key_sha256", sa.String(64), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("title", sa.String(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("article.id", ondelete="SET NULL"), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        _ts("first_seen_at"), _ts("fetched_at", True),
        sa.UniqueConstraint("feed_id", "key_sha256", name=op.f("uq_feed_item_feed_id_key_sha256")),
    )
    for column in ("feed_id", "status", "article_id"):
        op.create_index(op.f(f"ix_feed_item_{column}"), "feed_item", [column])
    op.create_table(
        "fetch_failure",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("feed_id", sa.Integer(), sa.ForeignKey("feed.id", ondelete="CASCADE"), nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        _ts("at"),
    )
    for column in ("feed_id", "at"):
        op.create_index(op.f(f"ix_fetch_failure_{column}"), "fetch_failure", [column])


def downgrade() -> None:
    for column in ("feed_id", "at"):
        op.drop_index(op.f(f"ix_fetch_failure_{column}"), table_name="fetch_failure")
    op.drop_table("fetch_failure")
    for column in ("feed_id", "status", "article_id"):
        op.drop_index(op.f(f"ix_feed_item_{column}"), table_name="feed_item")
    op.drop_table("feed_item")
    op.drop_table("feed")
