"""The append-only audit trail: who changed what, when, from what to what."""

from __future__ import annotations

import getpass
import os
from typing import Any

from sqlalchemy.orm import Session

from .models import AuditEvent

ENV_USER = "ATTRIBUTION_USER"


def default_actor() -> str:
    """Who is acting: ``ATTRIBUTION_USER``, else the login name."""
    env = os.environ.get(ENV_USER)
    if env:
        return env
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name in some containers
        return "unknown"


def record(session: Session, entity_type: str, entity_id: object, action: str, *,
           before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
           actor: str | None = None) -> AuditEvent:
    """Append one event to the trail (in the caller's transaction, so it commits with the change)."""
    event = AuditEvent(actor=actor or default_actor(), entity_type=entity_type, entity_id=str(entity_id),
                       action=action, before=before, after=after)
    session.add(event)
    return event
