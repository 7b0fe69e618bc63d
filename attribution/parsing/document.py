"""A flat, index-based view of a parsed Stanza document that the extraction rules read.

Words get one global index; heads and children point at global indices; every word keeps character
offsets into the original text (multi-word tokens share their token's offsets).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

from ..text.quotemarks import paragraphs

PERSON_TYPES = {"PER", "PERSON"}
ORG_TYPES = {"ORG", "NORP", "GPE"}  # official models: NORP ("the Taliban"), GPE ("Canada said")


@dataclass
class Word:
    """One syntactic word."""

    i: int
    text: str
    lemma: str
    upos: str
    feats: str
    head: int  # global index of the head, -1 for the root
    deprel: str
    start: int
    end: int
    sent: int
    para: int
    ner: str = "O"
    children: list[int] = field(default_factory=list)

    def feat(self, name: str) -> str | None:
        """One morphological feature (``Number``, ``Person``, ``Tense``...)."""
        for kv in self.feats.split("|"):
            k, _, v = kv.partition("=")
            if k == name:
                return v
        return None


@dataclass(frozen=True)
class EntitySpan:
    """A named-entity mention from the NER layer."""

    first: int  # word indices, inclusive
    last: int
    type: str  # PER / ORG / LOC / ... as the loaded model names them
    start: int
    end: int
    text: str


class Doc:
    """The parsed article."""

    def __init__(self, text: str, stanza_doc: Any):
        self.text = text
        self.paras = paragraphs(text)
        self._para_starts = [s for s, _ in self.paras]
        self.words: list[Word] = []
        self.sents: list[tuple[int, int]] = []  # (first, last) word index
        self.ents: list[EntitySpan] = []
        for si, sent in enumerate(stanza_doc.sentences):
            base = len(self.words)
            for tok in sent.tokens:
                for w in tok.words:
                    start = w.start_char if w.start_char is not None else tok.start_char
                    end = w.end_char if w.end_char is not None else tok.end_char
                    head = base + w.head - 1 if w.head and w.head > 0 else -1
                    self.words.append(Word(
                        i=base + w.id - 1, text=w.text, lemma=(w.lemma or w.text).lower(), upos=w.upos or "X",
                        feats=w.feats or "", head=head, deprel=w.deprel or "dep", start=start, end=end,
                        sent=si, para=self.para_of(start), ner=tok.ner or "O"))
            self.sents.append((base, len(self.words) - 1))
        for w in self.words:
            if w.head >= 0:
                self.words[w.head].children.append(w.i)
        self._starts = [w.start for w in self.words]
        for ent in stanza_doc.ents:
            first = self.word_at(ent.start_char)
            last = self.word_before(ent.end_char)
            if first is not None and last is not None and first <= last:
                self.ents.append(EntitySpan(first, last, ent.type, ent.start_char, ent.end_char, ent.text))

    # --- positions -----------------------------------------------------------------------------

    def para_of(self, char: int) -> int:
        """Index of the paragraph holding a character offset (the previous one if between)."""
        return max(0, bisect_right(self._para_starts, char) - 1)

    def word_at(self, char: int) -> int | None:
        """The first word starting at or after ``char``."""
        k = bisect_right(self._starts, char - 1) if self.words else 0
        return k if k < len(self.words) else None

    def word_before(self, char: int) -> int | None:
        """The last word ending at or before ``char``."""
        k = bisect_right(self._starts, char - 1) - 1
        while k >= 0 and self.words[k].end > char:
            k -= 1
        return k if k >= 0 else None

    def words_in(self, start: int, end: int) -> range:
        """Indices of the words lying inside a character span."""
        first = self.word_at(start)
        last = self.word_before(end)
        if first is None or last is None or last < first:
            return range(0)
        return range(first, last + 1)

    def span_text(self, first: int, last: int) -> str:
        """The original text from word ``first`` to word ``last`` inclusive."""
        return self.text[self.words[first].start:self.words[last].end]

    # --- tree ----------------------------------------------------------------------------------

    def subtree(self, i: int, exclude: set[int] | None = None) -> list[int]:
        """Word indices of ``i``'s subtree, without the subtrees rooted at ``exclude``."""
        out, stack = [], [i]
        exclude = exclude or set()
        while stack:
            j = stack.pop()
            out.append(j)
            stack.extend(c for c in self.words[j].children if c not in exclude)
        return sorted(out)

    def kids(self, i: int, *deprels: str) -> list[int]:
        """Children of ``i`` whose relation (or its base before ':') is one of ``deprels``."""
        return [c for c in self.words[i].children
                if self.words[c].deprel in deprels or self.words[c].deprel.split(":")[0] in deprels]

    def ancestors(self, i: int) -> list[int]:
        """Heads from ``i`` up to the root."""
        out, j, guard = [], self.words[i].head, 0
        while j >= 0 and guard < 200:
            out.append(j)
            j, guard = self.words[j].head, guard + 1
        return out

    def entity_at(self, i: int) -> EntitySpan | None:
        """The named-entity mention that word ``i`` belongs to."""
        for e in self.ents:
            if e.first <= i <= e.last:
                return e
        return None
