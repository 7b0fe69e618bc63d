"""Claim-model versions: which check-worthiness model scored each claim.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # NULL for the claims already stored: the hand-weighted score of the extractors before the learned
    # model. ``attribution setup`` re-scores every claim whose model is not the running one (db.write.claim_scores).
    op.add_column("claim", sa.Column("claim_model", sa.String(32), nullable=True))


def downgrade() -> None:
    op.drop_column("claim", "claim_model")
