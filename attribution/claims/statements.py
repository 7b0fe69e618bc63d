"""Claims: the checkable statements a quote makes, each with a check-worthiness score and its reason.

Method: a quote is split at its sentences (from the parse); each sentence's check-worthiness is the
probability of a model learned on the ClaimBuster and CLEF CheckThat! 2019 benchmarks (Hassan et al.
2017; Atanasova et al. 2019; attribution.claims.worthiness), and its reason names the features that pushed that
probability most. Rules on the parse and the quote's cue mark questions, promises and predictions (future
"will", "we are with you"), calls to action (imperatives, appeal cues) and pledges (pledge cues) not
checkable, whatever the score.
"""

from __future__ import annotations

import re

from .. import wordlists
from ..parsing.document import Doc
from ..types import Claim, Quote
from . import worthiness


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


#: The reasons of the rules that make a claim not checkable, whatever its score: they are kept when a
#: new claim model re-scores a stored claim (:func:`rescore`), which has its text but not its parse.
RULE_REASONS = ("a question", "a promise or prediction", "a call to action", "a pledge")


_PROMISE = re.compile(r"\b(we are with you|we promise|I promise|we pledge|we vow)\b", re.I)
_WILL = re.compile(r"\b(will|won['’]t|shall)\b|\w['’]ll\b", re.I)


def _is_question(text: str) -> bool:
    return text.rstrip().rstrip("\"”’'").endswith("?")


def text_rules(text: str) -> list[str]:
    """The not-checkable rules that need no parse nor cue, for bare sentences (``attribution eval-claims``):
    a question, a promise or prediction ("will", "'ll", "we promise"). Calls to action and pledges need the
    parse or the quote's cue and are not looked for."""
    reasons = ["a question"] if _is_question(text) else []
    if _WILL.search(text) or _PROMISE.search(text):
        reasons.append("a promise or prediction")
    return reasons


def _not_checkable(doc: Doc, words: list, text: str, cue: str | None) -> list[str]:
    """The rules' reasons for a claim a fact-checker cannot check: a question, a promise or prediction, a
    call to action (an imperative, or an appeal cue) or a pledge (a pledge cue)."""
    reasons = ["a question"] if _is_question(text) else []
    if any(w.lemma == "will" or w.text.lower() in ("'ll", "’ll") for w in words) or _PROMISE.search(text):
        reasons.append("a promise or prediction")
    root = next((w for w in words if w.deprel == "root"), None)
    cue_lemma = (cue or "").split()[0].lower() if cue else ""
    cue_lemma = next((c for c in PLEDGE_CUES | APPEAL_CUES if cue_lemma.startswith(c)), cue_lemma)
    if (root is not None and root.upos == "VERB" and root.feat("Mood") == "Imp") or _is_imperative(words) \
            or cue_lemma in APPEAL_CUES:
        reasons.append("a call to action")
    elif cue_lemma in PLEDGE_CUES:
        reasons.append("a pledge")
    return reasons


def _joined(rules: list[str], model: tuple[str, ...]) -> str:
    # The rules first: they say why a claim is not checkable, which matters more than its score.
    return ", ".join(dict.fromkeys([*rules, *model])) or "a plain assertion"


def _score(doc: Doc, s: int, e: int, cue: str | None = None) -> tuple[float, str, bool]:
    """(check-worthiness, reason, checkable) of the claim ``doc.text[s:e]``: the learned model's probability
    and the features that pushed it most (attribution.claims.worthiness), and the not-checkable rules."""
    words = [w for w in doc.words if w.start >= s and w.end <= e]
    text = doc.text[s:e]
    scored = worthiness.score_text(text)
    rules = _not_checkable(doc, words, text, cue)
    return scored.score, _joined(rules, scored.reasons), not rules


def rescore(text: str, reason: str, checkable: bool) -> tuple[float, str]:
    """(check-worthiness, reason) of a stored claim under the current claim model: the score from its text,
    the rules' reasons kept from the stored reason (the rules themselves need the parse)."""
    scored = worthiness.score_text(text)
    kept = [] if checkable else [r for r in reason.split(", ") if r in RULE_REASONS]
    return scored.score, _joined(kept, scored.reasons)


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
