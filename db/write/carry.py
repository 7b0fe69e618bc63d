"""Speaker reviews outlive a re-extraction: a reviewed quote's review moves to the new quote over the same text.

A re-extraction (a newer extractor version) replaces an article's quote rows. Before the old ones go,
:func:`reviewed_quotes` reads those a person checked (``speaker_review`` set, or rule ``manual``: a claim-queue
correction made before ``speaker_review`` existed), and :func:`carry_reviews` gives each review to the new
quote :func:`match_spans` pairs it with:

* **corrected**: the reviewer's speaker wins over the new extraction. The new quote takes the corrected
  speaker (``speaker_id`` and ``speaker_name``), rule ``manual``, confidence 1.0, ``corrected``, and the
  reviewers' ``review:speaker by ...`` entries of the old trace after the new extractor's trace
  (:func:`db.write.speaker_review.mark_corrected`, the correction path's own writer).
* **accepted**, and the new extraction names the same speaker (the same canonical speaker: merges count):
  it stays ``accepted``, with the confidence the new extractor gives, which stays the model's own estimate.
* **accepted**, and the new extraction names someone else (or nobody): the speaker the reviewer confirmed
  wins, and the quote becomes ``corrected`` (rule ``manual``, confidence 1.0, ``review:speaker by`` the
  reviewer who accepted). Not ``accepted``: in the store ``accepted`` means "the extractor's speaker, at the
  extractor's confidence" (what calibration holds against reviewers), and ``corrected`` means "a person's
  speaker instead of the extractor's", which is now the case; ``export corrections`` also drops a corrected
  quote's role unless the article states it for the speaker, and the new quote's role was the new
  extractor's speaker's. The audit trail keeps that it was accepted (the ``carry`` event's ``was``).

Every carried review is one ``carry`` audit event on the new quote (from which quote, what review, who
accepted), so a review carried several times still knows its reviewer. A review with no matching new quote
is lost only from the quotes: the re-extraction's audit event counts it and lists its span and speaker.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store import audit
from ..store.models import AuditEvent, Quote, Speaker, pk
from .speaker_review import ACCEPTED, CORRECTED, MANUAL, mark_corrected, review_entries, trace_entry

Span = tuple[int, int]


@dataclass(frozen=True)
class ReviewedQuote:
    """What a re-extraction needs to know of an old reviewed quote (read before the row is deleted)."""

    id: int
    start: int
    end: int
    speaker_id: int | None
    speaker_name: str | None
    review: str
    rule_trace: list[str]


@dataclass
class Carried:
    """What :func:`carry_reviews` did: reviews kept, reviews lost, and the speakers the kept ones point to."""

    kept: int = 0
    lost: list[ReviewedQuote] = field(default_factory=list)
    speaker_ids: set[int] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        """For the re-extraction's audit event: counts, and the lost reviews themselves."""
        out: dict[str, Any] = {"speaker_reviews_kept": self.kept, "speaker_reviews_lost": len(self.lost)}
        if self.lost:
            out["lost_speaker_reviews"] = [{k: v for k, v in asdict(q).items() if k != "rule_trace"}
                                           for q in self.lost]
        return out


def reviewed_quotes(s: Session, article_id: int) -> list[ReviewedQuote]:
    """The article's quotes whose speaker a person checked, in text order."""
    rows = s.execute(select(col(Quote.id), col(Quote.start), col(Quote.end), col(Quote.speaker_id),
                            col(Quote.speaker_name), col(Quote.speaker_review), col(Quote.rule_trace))
                     .where(col(Quote.article_id) == article_id,
                            or_(col(Quote.speaker_review).is_not(None), col(Quote.rule) == MANUAL))
                     .order_by(col(Quote.start), col(Quote.id)))
    return [ReviewedQuote(pk(qid), start, end, sid, name, review or CORRECTED, list(trace or []))
            for qid, start, end, sid, name, review, trace in rows]


def overlap(a: Span, b: Span) -> int:
    """Characters two spans share."""
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def match_spans(old: Sequence[Span], new: Sequence[Span]) -> dict[int, int]:
    """Pair old quote spans with new ones: ``{index in old: index in new}``, each index used at most once.

    First every old span takes a new span with exactly its ``(start, end)``. Then, among the spans still
    unpaired, an old span ``(s, e)`` may take a new span whose overlap with it (characters in both,
    ``min(ends) - max(starts)``) is more than half its length (``2 * overlap > e - s``); such pairs are taken
    largest overlap first (ties: the nearer start, then text order), so an old span goes to the new span
    covering most of it. A new span never takes two old ones (its quote can hold only one review): when two
    old quotes were merged into one new quote, the one it covers most keeps its review.
    """
    paired: dict[int, int] = {}
    free = dict.fromkeys(range(len(new)))  # insertion-ordered: the first of equal spans is taken first
    for i, span in enumerate(old):
        j = next((j for j in free if new[j] == span), None)
        if j is not None:
            paired[i] = j
            del free[j]
    candidates = sorted((-overlap(span, new[j]), abs(new[j][0] - span[0]), i, j)
                        for i, span in enumerate(old) if i not in paired
                        for j in free if 2 * overlap(span, new[j]) > span[1] - span[0])
    for _more, _nearer, i, j in candidates:
        if i not in paired and j in free:
            paired[i] = j
            del free[j]
    return paired


def carry_reviews(s: Session, old: Sequence[ReviewedQuote], new: Sequence[Quote]) -> Carried:
    """Give each old reviewed quote's review to the new quote its span matches (see the module docstring).

    ``new`` are the re-extraction's quote rows, flushed (they need ids); the caller recounts the speakers in
    :attr:`Carried.speaker_ids` with the rest of the article's.
    """
    carried = Carried()
    if not old:
        return carried
    paired = match_spans([(q.start, q.end) for q in old], [(q.start, q.end) for q in new])
    carried.lost = [q for i, q in enumerate(old) if i not in paired]
    accepted_by = _accepted_by(s, [old[i].id for i in paired if old[i].review == ACCEPTED])
    for i, j in sorted(paired.items()):
        before, quote = old[i], new[j]
        reviewer = accepted_by.get(before.id)
        if before.review == ACCEPTED and _same_speaker(s, before.speaker_id, quote.speaker_id):
            quote.speaker_review = ACCEPTED
        elif before.speaker_id is not None:
            entries = review_entries(before.rule_trace) if before.review == CORRECTED else []
            mark_corrected(quote, before.speaker_id, before.speaker_name, entries or [trace_entry(reviewer)])
            carried.speaker_ids.add(before.speaker_id)
        else:  # a review naming no speaker (the review queues never write one): nothing to carry
            carried.lost.append(before)
            continue
        carried.kept += 1
        _record_carry(s, before, quote, reviewer)
    return carried


def _record_carry(s: Session, before: ReviewedQuote, quote: Quote, reviewer: str | None) -> None:
    """The ``carry`` event on the new quote: where the review came from, and what it is now."""
    s.flush()
    audit.record(s, "quote", quote.id, "carry",
                 before={"quote_id": before.id, "start": before.start, "end": before.end,
                         "speaker_id": before.speaker_id, "speaker_review": before.review},
                 after={"quote_id": quote.id, "article_id": quote.article_id, "start": quote.start, "end": quote.end,
                        "speaker_id": quote.speaker_id, "speaker": quote.speaker_name,
                        "speaker_review": quote.speaker_review, "was": before.review, "reviewer": reviewer})


def _same_speaker(s: Session, old_id: int | None, new_id: int | None) -> bool:
    """Whether two speaker rows report as one speaker (the same row, or merged into the same one)."""
    if old_id is None or new_id is None:
        return False
    return _canonical(s, old_id) == _canonical(s, new_id)


def _canonical(s: Session, speaker_id: int) -> int:
    speaker = s.get(Speaker, speaker_id)
    return speaker.merged_into_id or speaker_id if speaker is not None else speaker_id


def _accepted_by(s: Session, quote_ids: list[int]) -> dict[int, str]:
    """Who accepted each of these quotes' speaker: the latest ``accept`` on the quote, or the reviewer an
    earlier re-extraction's ``carry`` event passed on."""
    if not quote_ids:
        return {}
    events = s.execute(select(col(AuditEvent.entity_id), col(AuditEvent.action), col(AuditEvent.actor),
                              col(AuditEvent.after))
                       .where(col(AuditEvent.entity_type) == "quote",
                              col(AuditEvent.entity_id).in_([str(q) for q in quote_ids]),
                              col(AuditEvent.action).in_(("accept", "carry")))
                       .order_by(col(AuditEvent.id)))
    found: dict[int, str] = {}
    for entity_id, action, actor, after in events:
        reviewer = actor if action == "accept" else (after or {}).get("reviewer")
        if reviewer:
            found[int(entity_id)] = reviewer  # later events overwrite earlier ones
    return found
