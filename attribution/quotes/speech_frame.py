"""A speech frame: one cue with its source word and the content it reports."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..parsing.document import Doc


@dataclass
class Frame:
    """One cue with its source and (for reported speech) its content words.

    ``source_rule`` says how the source word was found (``cue-subject``, ``according-to``...); ``notes``
    record the corrections later steps made to the frame, for the quote's ``rule_trace``.
    """

    cue_first: int
    cue_last: int
    source: int | None  # head word of the source phrase
    source_rule: str
    content: tuple[int, int] | None = None  # character span of reported content
    colon: bool = False
    #: the rest of the sentence after a parenthetical cue ("…, he said, but one person ran …")
    after: tuple[int, int] | None = None
    notes: list[str] = field(default_factory=list)

    def cue_text(self, doc: Doc) -> str:
        """The cue as written ("said", "called for", "according to")."""
        return doc.span_text(self.cue_first, self.cue_last)
