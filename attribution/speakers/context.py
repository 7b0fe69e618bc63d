"""One article as the extraction stages see it: the parse, and what each stage has found so far."""

from __future__ import annotations

from dataclasses import dataclass

from ..parsing.document import Doc
from ..quotes.speech_frame import Frame
from ..text.lexicon import Lexicon
from ..text.quotemarks import QuoteSpan
from ..types import RoleFact
from .entities import EntityIndex


@dataclass
class Context:
    """The shared state of one article's extraction.

    ``skip_paras`` are furniture paragraphs; ``spans`` the quotations found by their marks and
    ``quoted`` the words inside them; ``frames`` the speech frames; ``idx`` the entities and their
    mentions (the speaker sieves add mentions the NER layer missed); ``roles`` the roles the article
    states, by entity.
    """

    text: str
    doc: Doc
    lex: Lexicon
    skip_paras: set[int]
    spans: list[QuoteSpan]
    quoted: set[int]
    frames: list[Frame]
    idx: EntityIndex
    roles: dict[int, list[RoleFact]]

    def add_role(self, entity: int, fact: RoleFact) -> None:
        """Record a role found after the roles stage (a title the speaker sieves read)."""
        self.roles.setdefault(entity, []).append(fact)
