"""Review sessions: where each reviewer stands in a review queue (resume, skipped claims, undo stack).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "review_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("reviewer", sa.String(), nullable=False),
        sa.Column("queue_key", sa.String(64), nullable=False),
        sa.Column("queue", JSON, nullable=False),
        sa.Column("scale_id", sa.Integer(), sa.ForeignKey("rating_scale.id"), nullable=True),
        sa.Column("current_claim_id", sa.Integer(), sa.ForeignKey("claim.id", ondelete="SET NULL"), nullable=True),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("skipped", JSON, nullable=False),
        sa.Column("actions", JSON, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_review_session_reviewer_queue_key", "review_session", ["reviewer", "queue_key"])


def downgrade() -> None:
    op.drop_index("ix_review_session_reviewer_queue_key", table_name="review_session")
    op.drop_table("review_session")
