"""Quote rule traces: the ordered stages and speaker sieves that decided each quote.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    # A plain ADD COLUMN on both backends (no SQLite batch rebuild: rebuilding the quote table would drop
    # the full-text triggers on it). The server default gives existing rows an empty trace, and keeps
    # inserts from a not yet upgraded writer valid.
    op.add_column("quote", sa.Column("rule_trace", JSON, nullable=False, server_default=sa.text("'[]'")))


def downgrade() -> None:
    op.drop_column("quote", "rule_trace")
