"""The small typed results the extractor returns.

Every offset is a Python ``str`` index into the original article text, exactly as given:
``text[q.start:q.end] == q.content`` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

QuoteKind = Literal["direct", "partial", "mixed", "indirect"]
SpeakerType = Literal["PERSON", "ORG", "GROUP"]


@dataclass(frozen=True)
class Article:
    """One article to extract from: its text and whatever metadata came with it."""

    id: str
    text: str
    url: str | None = None
    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    source_path: str | None = None


@dataclass
class RoleFact:
    """A role the article states for an entity, with the evidence span."""

    title: str | None
    affiliation: str | None
    start: int
    end: int
    rule: str

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return asdict(self)


@dataclass
class Entity:
    """One speaker-like entity of an article: a cluster of its mentions."""

    id: int
    name: str
    type: SpeakerType
    mentions: list[tuple[int, int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    roles: list[RoleFact] = field(default_factory=list)

    @property
    def role(self) -> RoleFact | None:
        """The role to show with the entity's quotes: the first one stated with a title."""
        return next((r for r in self.roles if r.title), None)

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "aliases": list(self.aliases),
            "mentions": [list(m) for m in self.mentions],
            "roles": [r.to_dict() for r in self.roles],
        }


@dataclass
class Claim:
    """One checkable (or not) statement a quote makes."""

    text: str
    start: int
    end: int
    check_worthiness: float
    reason: str
    checkable: bool

    def to_dict(self) -> dict[str, Any]:
        """Plain-JSON form."""
        return asdict(self)


@dataclass
class Quote:
    """A quotation and its attribution.

    ``rule`` names the rule that decided the speaker (``cue-subject``, ``pronoun``, ``inherited``,
    ``according-to`` ...), so a reviewer can see why. ``rule_trace`` lists, in order, every stage and
    speaker sieve that touched the quote (``frame:cue-subject``, ``sieve:source-name``, ...); its last
    sieve is ``rule``.
    """

    start: int
    end: int
    content: str
    kind: QuoteKind
    speaker: str | None = None
    speaker_type: SpeakerType | None = None
    speaker_mention: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    cue: str | None = None
    cue_start: int | None = None
    cue_end: int | None = None
    role: str | None = None
    affiliation: str | None = None
    confidence: float = 0.0
    rule: str = "none"
    entity_id: int | None = None
    fragments: list[tuple[int, int]] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    rule_trace: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The prediction format of ``attribution-gold/1`` (plus ``rule``, ``rule_trace``, ``fragments`` and
        ``claims``)."""
        d = asdict(self)
        d["fragments"] = [list(f) for f in self.fragments]
        d["confidence"] = round(self.confidence, 3)
        return d


@dataclass
class ExtractionResult:
    """What extraction finds in one article."""

    article: Article
    quotes: list[Quote]
    entities: list[Entity]
    extractor_version: str
    model_ids: dict[str, str] = field(default_factory=dict)

    def to_prediction(self) -> dict[str, Any]:
        """One line of the prediction JSONL that ``score.py`` reads."""
        return {"id": self.article.id, "quotes": [q.to_dict() for q in self.quotes]}

    def to_dict(self) -> dict[str, Any]:
        """Everything, as plain JSON."""
        d = self.to_prediction()
        d["entities"] = [e.to_dict() for e in self.entities]
        d["extractor_version"] = self.extractor_version
        d["model_ids"] = dict(self.model_ids)
        return d
