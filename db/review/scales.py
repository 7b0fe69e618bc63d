"""Rating scales as data: named, ordered verdict labels with definitions.

The PolitiFact-style six-step scale (``politifact``) is seeded by the first migration; a newsroom adds its
own with :func:`add_scale`. Position 0 is the most true. A review session picks a verdict by its number on
the scale (position + 1), which is why a scale has at most nine steps: one key each.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import InvalidArgument, NotFound
from ..store import audit
from ..store.models import RatingLabel, RatingScale, pk

DEFAULT_SCALE = "politifact"
MIN_LABELS, MAX_LABELS = 2, 9
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}")


@dataclass(frozen=True)
class ScaleLabel:
    """One step of a scale: ``number`` is what a reviewer presses (1 = most true)."""

    position: int
    label: str
    definition: str

    @property
    def number(self) -> int:
        """The key a reviewer presses for this verdict."""
        return self.position + 1


@dataclass
class Scale:
    """A rating scale with its labels in order."""

    id: int
    name: str
    description: str | None
    labels: list[ScaleLabel] = field(default_factory=list)

    def by_number(self, number: int) -> ScaleLabel:
        """The label a reviewer's number picks; :class:`InvalidArgument` outside the scale."""
        if not 1 <= number <= len(self.labels):
            raise InvalidArgument(f"No verdict {number} on the {self.name} scale: use 1 to {len(self.labels)}.")
        return self.labels[number - 1]

    def by_label(self, label: str | None) -> ScaleLabel | None:
        """The step with this label (case-insensitive), if any."""
        if label is None:
            return None
        wanted = label.casefold()
        return next((lb for lb in self.labels if lb.label.casefold() == wanted), None)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON."""
        return {"id": self.id, "name": self.name, "description": self.description,
                "labels": [{"number": lb.number, "label": lb.label, "definition": lb.definition}
                           for lb in self.labels]}


def _load(session: Session, rows: list[RatingScale]) -> list[Scale]:
    scales = {pk(r.id): Scale(pk(r.id), r.name, r.description) for r in rows}
    if scales:
        for lb in session.scalars(select(RatingLabel).where(col(RatingLabel.scale_id).in_(scales))
                                  .order_by(col(RatingLabel.scale_id), col(RatingLabel.position))):
            scales[lb.scale_id].labels.append(ScaleLabel(lb.position, lb.label, lb.definition))
    return list(scales.values())


def list_scales(session: Session) -> list[Scale]:
    """Every scale, by name."""
    return _load(session, list(session.scalars(select(RatingScale).order_by(RatingScale.name))))


def get_scale(session: Session, name: str | None = None) -> Scale:
    """A scale by name (the built-in PolitiFact-style one when ``name`` is None)."""
    wanted = (name or DEFAULT_SCALE).strip()
    row = session.scalars(select(RatingScale).where(col(RatingScale.name) == wanted)).one_or_none()
    if row is None:
        known = ", ".join(session.scalars(select(col(RatingScale.name)).order_by(col(RatingScale.name)))) or "none"
        raise NotFound(f"No rating scale {wanted!r}: known scales are {known} (add one with `attribution scales add`).")
    return _load(session, [row])[0]


def scale_by_id(session: Session, scale_id: int) -> Scale | None:
    """A scale by id, or None."""
    row = session.get(RatingScale, scale_id)
    return _load(session, [row])[0] if row is not None else None


def parse_label(text: str) -> tuple[str, str]:
    """``"Label: definition"`` (or ``"Label=definition"``) as ``(label, definition)``."""
    label, sep, definition = text.partition(":")
    if not sep:
        label, sep, definition = text.partition("=")
    label, definition = label.strip(), definition.strip()
    if not label or not definition:
        raise InvalidArgument(f"Write each step as 'Label: definition', not {text!r}.")
    return label, definition


def add_scale(session: Session, name: str, labels: list[tuple[str, str]], *, description: str | None = None,
              actor: str | None = None) -> Scale:
    """Add a scale whose labels are given most true first; recorded in the audit trail."""
    name = name.strip()
    if not _NAME.fullmatch(name):
        raise InvalidArgument(f"Scale name {name!r}: use 1-40 letters, digits, '-', '_' or '.'.")
    if not MIN_LABELS <= len(labels) <= MAX_LABELS:
        raise InvalidArgument(f"A scale has {MIN_LABELS} to {MAX_LABELS} steps (one key each), not {len(labels)}.")
    folded = [label.strip().casefold() for label, _ in labels]
    if len(set(folded)) != len(folded):
        raise InvalidArgument("Each step of a scale needs its own label.")
    if session.scalars(select(col(RatingScale.id)).where(col(RatingScale.name) == name)).first() is not None:
        raise InvalidArgument(f"A rating scale named {name!r} exists already.")
    row = RatingScale(name=name, description=description)
    session.add(row)
    session.flush()
    for position, (label, definition) in enumerate(labels):
        session.add(RatingLabel(scale_id=pk(row.id), position=position, label=label.strip(),
                                definition=definition.strip()))
    session.flush()
    audit.record(session, "rating_scale", row.id, "create", actor=actor,
                 after={"name": name, "labels": [label for label, _ in labels]})
    return _load(session, [row])[0]
