"""Speaker review of attributions: ``quote.speaker_review`` and the unsure queue's index.

``speaker_review`` is NULL until a person has looked at who said the quote, then ``accepted`` (the
extractor's speaker confirmed, ``attribution review --unsure``) or ``corrected`` (the speaker changed by
hand, in either review queue). The extractor's ``confidence`` is left as it was on an accepted quote: it
stays the model's own estimate, which a newsroom can hold against its reviewers' answers. The index serves
the unsure queue: the not yet reviewed quotes, least confident first.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN on both backends (no SQLite batch rebuild: rebuilding the quote table would drop
    # the full-text triggers on it); NULL for every quote stored before: none was reviewed this way.
    op.add_column("quote", sa.Column("speaker_review", sa.String(16), nullable=True))
    op.create_index("ix_quote_speaker_review_confidence", "quote", ["speaker_review", "confidence"])


def downgrade() -> None:
    op.drop_index("ix_quote_speaker_review_confidence", table_name="quote")
    op.drop_column("quote", "speaker_review")
