"""Stored claims follow the check-worthiness model: re-scoring the claims another model version scored.

A claim row keeps what the model needs (its text) and the reasons of the not-checkable rules (in its
``reason``), so a new model re-scores it without parsing the article again (attribution.claims.statements.rescore).
Only ``check_worthiness``, ``reason`` and ``claim_model`` change: a reviewer's status, the ``checkable``
flag and the optimistic-locking ``version`` are left alone, so a review in progress is not disturbed.
Each batch leaves one ``rescore`` event in the audit trail, in its own transaction: which model versions
scored the claims before, which scores them now, and how many claims that was.
"""

from __future__ import annotations

from sqlalchemy import bindparam, func, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from attribution.claims.statements import rescore
from attribution.claims.worthiness import CLAIM_MODEL_VERSION

from ..store import audit
from ..store.models import Claim
from ..store.sql import table_of
from ..store.store import Store

#: Claims re-scored per write transaction: the SQLite write lock is held for one batch at a time.
BATCH = 500


def _stale() -> object:
    # "< or >" rather than "!=": both backends answer ranges from ix_claim_claim_model (migration 0008),
    # while "!=" reads every row, and this runs at every setup and ingest
    model = col(Claim.claim_model)
    return or_(model.is_(None), model < CLAIM_MODEL_VERSION, model > CLAIM_MODEL_VERSION)


def stale_claims(session: Session) -> int:
    """How many stored claims another claim model (or the heuristic before any model) scored."""
    return session.scalar(select(func.count(col(Claim.id))).where(_stale())) or 0  # type: ignore[arg-type]


def claim_models(session: Session) -> dict[str, int]:
    """Claims per claim-model version that scored them (``none``: scored before claim models were recorded)."""
    rows = session.execute(select(col(Claim.claim_model), func.count(col(Claim.id))).group_by(col(Claim.claim_model))
                           .order_by(col(Claim.claim_model)))
    return {version or "none": count for version, count in rows}


def rescore_claims(store: Store, batch: int = BATCH) -> int:
    """Re-score every claim that another claim model scored, a batch per transaction; returns how many."""
    table = table_of(Claim)
    statement = (update(table).where(table.c.id == bindparam("claim_id"))
                 .values(check_worthiness=bindparam("score"), reason=bindparam("new_reason"),
                         claim_model=CLAIM_MODEL_VERSION))
    done = 0
    while True:
        with store.session(write=True) as s:
            rows = s.execute(select(col(Claim.id), col(Claim.text), col(Claim.reason), col(Claim.checkable),
                                    col(Claim.claim_model))
                             .where(_stale()).order_by(col(Claim.id)).limit(batch)).all()  # type: ignore[arg-type]
            if not rows:
                return done
            params = []
            before: dict[str, int] = {}
            for claim_id, text, reason, checkable, old_model in rows:
                before[old_model or "none"] = before.get(old_model or "none", 0) + 1
                score, new_reason = rescore(text, reason or "", checkable)
                params.append({"claim_id": claim_id, "score": score, "new_reason": new_reason})
            s.connection().execute(statement, params)
            audit.record(s, "claims", CLAIM_MODEL_VERSION, "rescore", before={"claim_models": before},
                         after={"claim_model": CLAIM_MODEL_VERSION, "claims": len(rows),
                                "first_claim": rows[0][0], "last_claim": rows[-1][0]})
            done += len(rows)
