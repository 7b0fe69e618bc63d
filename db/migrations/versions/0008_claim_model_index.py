"""An index on ``claim.claim_model``: which claims another check-worthiness model scored.

Every ``attribution setup`` and ingest asks for the claims whose model is not the running one
(db.write.claim_scores.stale_claims), and ``attribution stats`` counts claims by model. Without the index
both read the whole claim table; with it, a store already re-scored answers from the index alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-08
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_claim_claim_model", "claim", ["claim_model"])


def downgrade() -> None:
    op.drop_index("ix_claim_claim_model", table_name="claim")
