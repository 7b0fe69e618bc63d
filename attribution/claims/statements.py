"""Claims: the checkable statements a quote makes, each with a check-worthiness score and its reason.

Method, after the feature sets of ClaimBuster-style check-worthiness work: a quote is split at its
sentences (from the parse); each sentence scores higher for numbers, named entities and past-tense or
present factual assertions, and lower for opinions ("I think"), promises and pledges (future "will",
"we are with you"), calls to action (imperatives) and questions. Pledges, calls and questions are
marked not checkable.
"""

from __future__ import annotations

import re

from .. import wordlists
from ..parsing.document import Doc
from ..types import Claim, Quote

_OPINION = wordlists.words("opinion_verbs")
_NUMBER = re.compile(r"\d|\b(" + "|".join(re.escape(w) for w in sorted(wordlists.words("number_words"))) + r")\b", re.I)


def _segments(doc: Doc, q: Quote) -> list[tuple[int, int]]:
    """Sentence pieces of the quote's content, as character spans inside it."""
    spans = []
    for first, last in doc.sents:
        s = max(q.start, doc.words[first].start)
        e = min(q.end, doc.words[last].end)
        if e > s and re.search(r"\w", doc.text[s:e]):
            spans.append((s, e))
    return spans or [(q.start, q.end)]


PLEDGE_CUES = wordlists.words("pledge_cues")
APPEAL_CUES = wordlists.words("appeal_cues")


def _is_imperative(words: list) -> bool:
    """A sentence led by a bare verb with no subject of its own ("Stay at home", "Donate blood")."""
    content = [w for w in words if w.upos not in ("PUNCT",) and w.lemma not in ("please", "just", "now")]
    if not content:
        return False
    first = content[0]
    if first.upos != "VERB" or first.text.lower() != first.lemma or first.feat("VerbForm") in ("Part", "Ger"):
        return False
    return not any(w.deprel.startswith("nsubj") and w.head == first.i for w in words)


def _score(doc: Doc, s: int, e: int, cue: str | None = None) -> tuple[float, str, bool]:
    words = [w for w in doc.words if w.start >= s and w.end <= e]
    text = doc.text[s:e]
    reasons, score, checkable = [], 0.35, True
    if _NUMBER.search(text):
        score += 0.25
        reasons.append("a number")
    if any(w.ner not in ("O", "") for w in words):
        score += 0.15
        reasons.append("a named entity")
    verbs = [w for w in words if w.upos in ("VERB", "AUX")]
    if any(w.feat("Tense") == "Past" for w in verbs):
        score += 0.15
        reasons.append("a past-tense assertion")
    if text.rstrip().rstrip("\"”’'").endswith("?"):
        score -= 0.3
        checkable = False
        reasons.append("a question")
    if any(w.lemma in _OPINION and w.feat("Person") in ("1", None) for w in verbs) or re.search(
            r"\b(I|we) (think|believe|feel|hope)\b", text, re.I):
        score -= 0.25
        reasons.append("an opinion")
    if any(w.lemma == "will" or w.text.lower() in ("'ll", "’ll") for w in words) or re.search(
            r"\b(we are with you|we promise|I promise|we pledge|we vow)\b", text, re.I):
        score -= 0.2
        checkable = False
        reasons.append("a promise or prediction")
    root = next((w for w in words if w.deprel == "root"), None)
    cue_lemma = (cue or "").split()[0].lower() if cue else ""
    cue_lemma = next((c for c in PLEDGE_CUES | APPEAL_CUES if cue_lemma.startswith(c)), cue_lemma)
    if (root is not None and root.upos == "VERB" and root.feat("Mood") == "Imp") or _is_imperative(words) \
            or cue_lemma in APPEAL_CUES:
        score -= 0.25
        checkable = False
        reasons.append("a call to action")
    elif cue_lemma in PLEDGE_CUES:
        score -= 0.25
        checkable = False
        reasons.append("a pledge")
    if len(words) < 4:
        score -= 0.2
        reasons.append("very short")
    score = max(0.0, min(1.0, score))
    return round(score, 3), ", ".join(reasons) or "a plain assertion", checkable


def claims_for(doc: Doc, q: Quote) -> list[Claim]:
    """The claims of one quote, one per sentence it contains."""
    out = []
    for s, e in _segments(doc, q):
        text = doc.text[s:e]
        lead = len(text) - len(text.lstrip())
        trail = len(text) - len(text.rstrip())
        s, e = s + lead, e - trail
        score, reason, checkable = _score(doc, s, e, q.cue)
        out.append(Claim(doc.text[s:e], s, e, score, reason, checkable))
    return out
