"""How a person's decision about who said a quote is written on the quote row (``quote.speaker_review``).

Both review queues (through :func:`db.review.session.change_speaker`) and a re-extraction carrying reviews
over to the new quotes (:mod:`db.write.carry`) write it through here, so that a corrected quote always looks
the same: rule ``manual``, confidence 1.0, ``speaker_review`` ``corrected``, and the reviewer at the end of
its trace. It lives with the writer because the writer needs it and must not import the review package.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..store.models import Quote

#: ``quote.speaker_review`` values: the extractor's speaker confirmed, or replaced by a person's.
ACCEPTED, CORRECTED = "accepted", "corrected"
#: The rule of a quote whose speaker a person chose.
MANUAL = "manual"
#: How a reviewer's speaker decision starts in ``quote.rule_trace``.
TRACE_PREFIX = "review:speaker"


def trace_entry(reviewer: str | None) -> str:
    """The rule-trace entry of a reviewer's speaker decision (``review:speaker by ana``)."""
    return f"{TRACE_PREFIX} by {reviewer}" if reviewer else TRACE_PREFIX


def review_entries(trace: Iterable[str] | None) -> list[str]:
    """The reviewers' speaker decisions in a rule trace, in order."""
    return [step for step in trace or [] if step.startswith(TRACE_PREFIX)]


def mark_corrected(quote: Quote, speaker_id: int, speaker_name: str | None, entries: Iterable[str]) -> None:
    """Attribute ``quote`` to a speaker a person chose: rule ``manual``, confidence 1.0, ``corrected``, and
    ``entries`` (the reviewers' decisions, see :func:`trace_entry`) after the extractor's trace.

    Speaker totals are the caller's: a review moves one quote, a re-extraction recounts.
    """
    quote.speaker_id, quote.speaker_name, quote.rule, quote.confidence = speaker_id, speaker_name, MANUAL, 1.0
    quote.speaker_review = CORRECTED
    # The trace says who decided last: the extractor's chain, then the reviewers (a new list, so the JSON column
    # is seen as changed).
    quote.rule_trace = [*(quote.rule_trace or []), *entries]
