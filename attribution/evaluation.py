"""Scoring predictions against ``attribution-gold/1`` gold files.

The metric is the Gender Gap Tracker's published evaluation, as the shared ``score.py`` defines it, so
that ``attribution eval`` and ``score.py`` give the same figures on the same predictions:

* a prediction matches a gold quote when ``|gold ∩ pred| / |gold|`` (characters) exceeds the threshold
  (0.3 and 0.8); gold quotes are taken in order, each with its best-overlapping unmatched prediction;
* gold quotes with ``required: false`` neither count as misses nor let their match count as spurious;
* on matched quotes: speaker span (mentions overlap, or both absent), speaker name (a gold name or a
  multi-word alias appears as a run of words in the predicted name, and no longer ``not_speaker`` name
  does), cue (same words) and role (every gold role word appears in the predicted role);
* with ``calibration``, how well each matched quote's ``confidence`` predicts that its speaker name is right
  (score.py's ``--calibration``): a reliability table in ten equal-width bins, the expected calibration
  error (ECE) in points, and the share right and the coverage at confidence >= 0.9.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import GoldFormatError

THRESHOLDS: tuple[float, ...] = (0.3, 0.8)
#: Reliability bins and the confidence called high, as score.py's ``calibration()`` has them.
CALIBRATION_BINS = 10
HIGH_CONFIDENCE = 0.9


def _words(s: str | None) -> list[str]:
    return re.findall(r"[\w’'-]+", (s or "").lower().replace("’", "'"))


def _contains_run(hay: list[str], needle: list[str]) -> bool:
    n = len(needle)
    return n > 0 and any(hay[i:i + n] == needle for i in range(len(hay) - n + 1))


def name_matches(pred_name: str | None, gold: dict[str, Any]) -> bool | None:
    """Whether a predicted speaker name names the gold speaker (``None``: gold has no resolved name)."""
    if not gold.get("speaker"):
        return None
    p = _words(pred_name)
    if not p:
        return False
    gold_len = len(_words(gold["speaker"]))
    for bad in gold.get("not_speaker", []):
        if _contains_run(p, _words(bad)) and len(_words(bad)) >= gold_len:
            return False
    names = [gold["speaker"]] + [
        a for a in gold.get("speaker_aliases", []) if len(_words(a)) > 1 or a == gold["speaker"]
    ]
    return any(_contains_run(p, _words(n)) for n in names)


#: Words a role or affiliation comparison ignores (as score.py's ``--roles``).
_SMALL_WORDS = frozenset({"the", "a", "an", "of"})


def title_words(s: str | None) -> set[str]:
    """The words of a role or affiliation, compared as a set: case, articles, "of" and a possessive 's
    ignored (score.py's ``--roles``)."""
    return {w[:-2] if w.endswith("'s") else w for w in _words(s)} - _SMALL_WORDS


def _overlap(gs: int, ge: int, ps: int, pe: int) -> int:
    return max(0, min(ge, pe) - max(gs, ps))


def _span_match(g: dict[str, Any], p: dict[str, Any]) -> bool:
    if g.get("speaker_start") is None:
        return p.get("speaker_start") is None
    if p.get("speaker_start") is None:
        return False
    return _overlap(g["speaker_start"], g["speaker_end"], p["speaker_start"], p["speaker_end"]) > 0


@dataclass
class ErrorRecord:
    """One miss, spurious quote or wrong speaker, for error analysis."""

    doc: str
    type: str
    gold: str | None = None
    pred: str | None = None
    quote: str | None = None
    #: The predicted quote's ``rule_trace`` (wrong speakers): shown by ``eval --errors``, never serialised.
    rule_trace: list[str] | None = field(default=None, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that are set, as score.py prints them."""
        return {k: v for k, v in self.__dict__.items() if v is not None and k != "rule_trace"}


@dataclass
class Scores:
    """Figures at one overlap threshold."""

    threshold: float
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    counts: Counter = field(default_factory=Counter)
    by_kind: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    #: ``(confidence, name right)`` for every matched quote whose gold names a speaker and whose prediction
    #: carries a numeric confidence (score.py's ``calib``).
    calib: list[tuple[float, bool]] = field(default_factory=list)

    @staticmethod
    def _pct(a: int, b: int) -> float | None:
        return round(100 * a / b, 1) if b else None

    def to_dict(self) -> dict[str, Any]:
        """The same keys and rounding as score.py's ``--json``."""
        c = self.counts
        prec = self.matched / self.predicted if self.predicted else 0.0
        rec = self.matched / self.gold if self.gold else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        return {
            "gold": self.gold, "predicted": self.predicted, "matched": self.matched,
            "false_positives": self.predicted - self.matched,
            "precision": round(100 * prec, 1), "recall": round(100 * rec, 1), "f1": round(100 * f1, 1),
            "speaker_span_acc": self._pct(c["speaker_span"], self.matched),
            "speaker_name_acc": self._pct(c["speaker_name"], c["name_scored"]),
            "cue_acc": self._pct(c["cue"], c["cue_scored"]),
            "role_acc": self._pct(c["role"], c["role_scored"]),
            "recall_by_kind": {k: self._pct(v["tp"], v["gold"]) for k, v in sorted(self.by_kind.items())},
        }

    def roles_dict(self) -> dict[str, Any]:
        """Exact role and affiliation figures, as score.py's ``--roles`` prints them."""
        c = self.counts
        return {"role_scored": c["role_scored"], "role_strict": self._pct(c["role_strict"], c["role_scored"]),
                "affiliation_scored": c["aff_scored"],
                "affiliation_lenient": self._pct(c["aff_lenient"], c["aff_scored"]),
                "affiliation_strict": self._pct(c["aff_strict"], c["aff_scored"]),
                "name_role_affiliation_scored": c["all_scored"],
                "name_role_affiliation": self._pct(c["all"], c["all_scored"])}

    def calibration_dict(self) -> dict[str, Any]:
        """The reliability table, ECE and high-confidence figures, as score.py's ``--calibration`` prints them."""
        return calibration(self.calib)


def calibration(pairs: list[tuple[float, bool]], bins: int = CALIBRATION_BINS,
                high: float = HIGH_CONFIDENCE) -> dict[str, Any]:
    """How well a confidence predicts that a speaker name is right (score.py's ``calibration()``, figure for
    figure): ``bins`` equal-width bins of ``[0, 1]`` (the last one closed, so 1.0 falls in it), each with its
    quote count, mean confidence and share right in percent; the expected calibration error (the count-weighted
    mean gap between confidence and share right, in points); and at confidence >= ``high`` the share right and
    the share of quotes covered. Empty bins are left out; no pairs at all gives ``{"scored": 0}``."""
    if not pairs:
        return {"scored": 0}
    table, ece = [], 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        inb = [(p, y) for p, y in pairs if lo <= p < hi or (b == bins - 1 and p == 1.0)]
        if not inb:
            continue
        conf = sum(p for p, _ in inb) / len(inb)
        acc = sum(y for _, y in inb) / len(inb)
        ece += len(inb) / len(pairs) * abs(conf - acc)
        table.append({"bin": f"{lo:.1f}-{hi:.1f}", "n": len(inb), "confidence": round(100 * conf, 1),
                      "right": round(100 * acc, 1)})
    top = [y for p, y in pairs if p >= high]
    return {"scored": len(pairs), "ece": round(100 * ece, 1), "bins": table,
            f"right_at_{high}": round(100 * sum(top) / len(top), 1) if top else None,
            f"coverage_at_{high}": round(100 * len(top) / len(pairs), 1)}


def _best_overlap(g: dict[str, Any], preds: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The prediction that overlaps gold quote ``g`` most (the first of equals), if any."""
    return max(preds, key=lambda p: _overlap(g["start"], g["end"], p["start"], p["end"]), default=None)


def score_threshold(gold: dict[str, dict], pred: dict[str, dict], threshold: float,
                    errors: list[ErrorRecord] | None = None) -> Scores:
    """Score all documents at one threshold, appending error records to ``errors`` if given."""
    s = Scores(threshold)
    for doc_id, gd in gold.items():
        preds = [q for q in pred.get(doc_id, {}).get("quotes", []) if isinstance(q.get("start"), int)]
        remaining = list(preds)
        s.predicted += len(preds)
        for g in gd["quotes"]:
            glen = max(1, g["end"] - g["start"])
            if not g.get("required", True):
                best = _best_overlap(g, remaining)
                if best and _overlap(g["start"], g["end"], best["start"], best["end"]) / glen > threshold:
                    remaining.remove(best)
                    s.predicted -= 1
                continue
            s.gold += 1
            kind = g.get("kind") or "unknown"
            s.by_kind[kind]["gold"] += 1
            best, best_s = None, threshold
            for p in remaining:
                ov = _overlap(g["start"], g["end"], p["start"], p["end"]) / glen
                if ov > best_s:
                    best, best_s = p, ov
            if best is None:
                if errors is not None:
                    errors.append(ErrorRecord(doc_id, "missed", gold=g["content"][:160]))
                continue
            remaining.remove(best)
            s.matched += 1
            s.by_kind[kind]["tp"] += 1
            _score_match(s, g, best, doc_id, errors)
        if errors is not None:
            for p in remaining:
                text = p.get("content") or gd["text"][p["start"]:p["end"]]
                errors.append(ErrorRecord(doc_id, "spurious", pred=text[:160]))
    return s


def _score_match(s: Scores, g: dict[str, Any], best: dict[str, Any], doc_id: str,
                 errors: list[ErrorRecord] | None) -> None:
    """Count what a matched prediction gets right: speaker span and name, cue, role and affiliation."""
    c = s.counts
    c["speaker_span"] += _span_match(g, best)
    nm = name_matches(best.get("speaker"), g)
    if nm is not None:
        c["name_scored"] += 1
        c["speaker_name"] += nm
        # As score.py: any int or float (bool included) is a confidence; a missing one leaves the quote out.
        if isinstance(best.get("confidence"), (int, float)):
            s.calib.append((float(best["confidence"]), bool(nm)))
        if not nm and errors is not None:
            errors.append(ErrorRecord(doc_id, "wrong speaker", gold=g["speaker"], pred=best.get("speaker"),
                                      quote=g["content"][:120], rule_trace=best.get("rule_trace", [])))
    if g.get("cue") is not None:
        c["cue_scored"] += 1
        c["cue"] += " ".join(_words(g["cue"])) == " ".join(_words(best.get("cue")))
    role_ok = title_words(g.get("role")) == title_words(best.get("role"))
    aff_ok = title_words(g.get("affiliation")) == title_words(best.get("affiliation"))
    if g.get("role"):
        c["role_scored"] += 1
        c["role"] += set(_words(g["role"])) <= set(_words(best.get("role")))
        c["role_strict"] += role_ok
    if g.get("affiliation"):
        c["aff_scored"] += 1
        c["aff_lenient"] += title_words(g["affiliation"]) <= title_words(best.get("affiliation"))
        c["aff_strict"] += aff_ok
    if g.get("role") and g.get("affiliation") and g.get("speaker"):
        c["all_scored"] += 1
        c["all"] += bool(nm) and role_ok and aff_ok


def evaluate(gold: dict[str, dict], pred: dict[str, dict], *, roles: bool = False,
             calibration: bool = False) -> tuple[dict[str, Any], list[ErrorRecord]]:
    """All thresholds, in score.py's ``--json`` shape, and the error list at the first threshold.

    ``roles`` adds exact role and affiliation figures at the first threshold under ``"roles"``, as
    ``score.py --roles`` does; ``calibration`` adds the reliability figures at the first threshold under
    ``"calibration"``, as ``score.py --calibration`` does.
    """
    errors: list[ErrorRecord] = []
    scores = [score_threshold(gold, pred, t, errors if t == THRESHOLDS[0] else None) for t in THRESHOLDS]
    result: dict[str, Any] = {f"t{s.threshold}": s.to_dict() for s in scores}
    if roles:
        result["roles"] = scores[0].roles_dict()
    if calibration:
        result["calibration"] = scores[0].calibration_dict()
    result["documents"] = len(gold)
    result["documents_predicted"] = len(set(gold) & set(pred))
    return result, errors


def load_gold(path: str | Path) -> dict[str, dict]:
    """Read an ``attribution-gold/1`` JSONL file into ``{id: document}``, checking its shape."""
    docs: dict[str, dict] = {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise GoldFormatError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GoldFormatError(f"{path}: cannot read ({exc})") from None
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
        except ValueError as exc:
            raise GoldFormatError(f"{path}:{n}: not JSON ({exc})") from None
        if not isinstance(d, dict) or "id" not in d or not isinstance(d.get("text"), str) \
                or not isinstance(d.get("quotes"), list):
            raise GoldFormatError(f'{path}:{n}: not an attribution-gold/1 document (needs "id", "text", "quotes")')
        for q in d["quotes"]:
            if not isinstance(q, dict) or not isinstance(q.get("start"), int) or not isinstance(q.get("end"), int):
                raise GoldFormatError(f"{path}:{n}: a gold quote without integer start/end")
            q.setdefault("content", d["text"][q["start"]:q["end"]])
        docs[str(d["id"])] = d
    if not docs:
        raise GoldFormatError(f"{path}: no documents")
    return docs


def predictions_by_id(lines: Iterable[dict[str, Any]]) -> dict[str, dict]:
    """Index prediction records (``{"id", "quotes"}``) by id."""
    return {str(d["id"]): d for d in lines}
