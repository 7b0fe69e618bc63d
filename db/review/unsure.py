"""The unsure queue: attributions (quotes, not claims) whose speaker no person has checked, least sure first.
No UI, no printing; ``attribution review --unsure`` is its terminal front end.

A reviewer looks at one quote at a time and either **accepts** its speaker or **corrects** it (through
:func:`db.review.session.change_speaker`, the path the claim queue's speaker correction takes). Either way the quote
is marked in ``quote.speaker_review`` (``accepted`` or ``corrected``) and leaves the queue for everyone.
Accepting leaves ``confidence`` as the extractor gave it: it stays the model's own estimate, so a
newsroom can hold it against what its reviewers found (and ``attribution export corrections`` exports both
kinds as gold). A correction sets it to 1.0 with ``rule`` "manual", as it always has.

The queue is every unreviewed quote passing the quote filters (as ``attribution quotes`` applies them),
lowest confidence first, then the newest article, then the oldest quote. Progress (quotes passed, skipped,
the undo stack) is kept in the ``review_session`` table, as for claims, so quitting and coming back resumes.
Quotes carry no lease: two reviewers on the same queue may be shown the same quote. The quote row is locked
(``SELECT ... FOR UPDATE`` on PostgreSQL; the write transaction on SQLite) and checked before every change,
so the second to act is told who reviewed it and nothing is overwritten.

Every action is one transaction with one ``audit_event`` row (entity ``quote``), which also records the
quote's article and span, so the review outlives a re-extraction in the trail; the review itself moves to the
re-extraction's quote over the same text (:mod:`db.write.carry`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import NotFound
from ..search.queries import QuoteFields, QuoteFilter, QuoteRow, base_select, build_filter
from ..store import audit
from ..store.models import Article, AuditEvent, Quote, ReviewSessionState, pk, utcnow
from ..store.store import Store
from ..write.speaker_review import ACCEPTED, CORRECTED
from .saved_session import SavedSession
from .session import (
    NothingToUndo,
    ReviewConflict,
    ReviewError,
    SpeakerChoice,
    change_speaker,
    check_correction,
    find_speakers,
    paragraph_of,
    restore_speaker,
)

#: Queue order: least sure first, then the newest article, then the oldest quote.
ORDER = (col(Quote.confidence), col(Quote.dated_at).desc(), col(Quote.id))


@dataclass
class UnsureQueue(QuoteFields):
    """Which attributions an unsure session reviews: the quote filters (empty ones do not filter)."""

    def key(self) -> str:
        """What identifies this queue for resuming (never equal to a claim queue's key)."""
        filters = {"queue": "unsure", **asdict(self)}
        return hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:32]

    def quote_filter(self) -> QuoteFilter:
        """The quote filters, as ``attribution quotes`` applies them."""
        return QuoteFilter(**{f.name: getattr(self, f.name) for f in fields(QuoteFields)})


def unsure_conditions(s: Session, queue: UnsureQueue) -> list[Any]:
    """WHERE conditions over quote and article: the queue's filters, and no speaker review yet."""
    conds, _, search = build_filter(s, queue.quote_filter())
    if conds is None:
        hint = f"; did you mean {' or '.join(repr(n) for n in search.suggestions)}?" if search.suggestions else "."
        raise NotFound(f"No speaker named {queue.speaker!r}{hint}")
    return [*conds, col(Quote.speaker_review).is_(None)]


def _queue_select(*columns: Any) -> Any:
    return select(*columns).select_from(Quote).join(Article, col(Article.id) == col(Quote.article_id))


@dataclass
class QuoteCard:
    """One attribution on screen: the quote, its paragraph, and where the quote and the speaker mention are."""

    quote: QuoteRow
    paragraph: str
    quote_span: tuple[int, int] | None
    mention_span: tuple[int, int] | None
    position: int
    total: int


@dataclass
class UnsureOutcome:
    """What an action did: ``detail`` is a short phrase for the reviewer."""

    action: str
    quote_id: int
    detail: str
    moved_on: bool = False
    event_id: int | None = None


def _span_in(start: int | None, end: int | None, offset: int, paragraph: str) -> tuple[int, int] | None:
    if start is None or end is None:
        return None
    s, e = start - offset, end - offset
    return (s, e) if 0 <= s < e <= len(paragraph) else None


class UnsureSession(SavedSession):
    """One reviewer working through the unsure queue. Call :meth:`open` first, then :meth:`card` and the actions.

    ``clock`` returns naive UTC.
    """

    def __init__(self, store: Store, reviewer: str, queue: UnsureQueue | None = None, *,
                 clock: Callable[[], datetime] = utcnow):
        super().__init__(store, reviewer, clock)
        self.queue = queue or UnsureQueue()
        self._quote_id: int | None = None
        #: The speaker the reviewer was shown for the quote on screen: a change meanwhile is a conflict.
        self._seen: tuple[int | None, str | None] | None = None

    def open(self) -> UnsureSession:
        """Resume this reviewer's unfinished session on this queue, or start one."""
        with self.store.session(write=True) as s:
            unsure_conditions(s, self.queue)  # bad filters fail here, before anything is written
            row = s.scalars(select(ReviewSessionState).where(
                col(ReviewSessionState.reviewer) == self.reviewer,
                col(ReviewSessionState.queue_key) == self.queue.key(),
                col(ReviewSessionState.finished_at).is_(None))
                .order_by(col(ReviewSessionState.id).desc()).limit(1)).first()
            if row is None:
                row = ReviewSessionState(reviewer=self.reviewer, queue_key=self.queue.key(),
                                         queue={"unsure": True, **asdict(self.queue)}, started_at=self.clock(),
                                         updated_at=self.clock())
                s.add(row)
                s.flush()
            else:
                self.resumed = True
            self.state_id = row.id
            self._passed, self._skipped, self._actions = row.done, list(row.skipped), list(row.actions)
        return self

    @property
    def skipped(self) -> int:
        """How many quotes this session skipped (they come back in the next session)."""
        return len(self._skipped)

    def _own_state(self) -> tuple[Any, ...]:
        return self._quote_id, self._seen

    def _restore_own_state(self, state: tuple[Any, ...]) -> None:
        self._quote_id, self._seen = state

    def _error(self, message: str) -> Exception:
        return ReviewError(message)

    def _audit(self, s: Session, quote: Quote, action: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, *, undoable: bool = True) -> AuditEvent:
        # The article and span ride along: a re-extraction replaces quote rows, the trail keeps what was reviewed.
        where = {"article_id": quote.article_id, "start": quote.start, "end": quote.end}
        event = audit.record(s, "quote", quote.id, action, before=before,
                             after={**(after or {}), **where, "session": self.state_id}, actor=self.reviewer)
        event.at = self.clock()
        s.flush()
        if undoable:
            self._actions.append(pk(event.id))
        return event

    # --- the queue -----------------------------------------------------------------------------------

    def _next(self, s: Session) -> int | None:
        conds = unsure_conditions(s, self.queue)
        if self._skipped:
            conds.append(col(Quote.id).not_in(self._skipped))
        return s.scalar(_queue_select(col(Quote.id)).where(*conds).order_by(*ORDER).limit(1))

    def card(self) -> QuoteCard | None:
        """The attribution to show now; None when the queue has nothing left."""
        with self._tx() as s:
            if self._quote_id is None or not self._still_queued(s, self._quote_id):
                self._quote_id = self._next(s)
            self._finished = self._quote_id is None
            if self._quote_id is None:
                self._seen = None
                return None
            found = s.execute(base_select().where(col(Quote.id) == self._quote_id)).first()
            if found is None:
                raise NotFound(f"No quote {self._quote_id}.")
            row = QuoteRow(*found)
            article = s.get(Article, row.article_id)
            if article is None:
                raise NotFound(f"No article {row.article_id}.")
            self._seen = (row.speaker_id, row.speaker_review)
            remaining = s.scalar(_queue_select(func.count(col(Quote.id))).where(
                *unsure_conditions(s, self.queue),
                *([col(Quote.id).not_in(self._skipped)] if self._skipped else []))) or 0
        paragraph, offset = paragraph_of(article.text, row.start, row.end)
        return QuoteCard(row, paragraph, _span_in(row.start, row.end, offset, paragraph),
                         _span_in(row.speaker_start, row.speaker_end, offset, paragraph), self._passed + 1,
                         self._passed + max(remaining, 1))

    def _still_queued(self, s: Session, quote_id: int) -> bool:
        conds = [*unsure_conditions(s, self.queue), col(Quote.id) == quote_id]
        return s.scalar(_queue_select(col(Quote.id)).where(*conds)) is not None

    def close(self) -> None:
        """Quit: the session resumes at the least sure quote left next time."""
        if self.state_id is not None:
            with self._tx():
                pass

    # --- actions -------------------------------------------------------------------------------------

    def _locked_current(self, s: Session) -> Quote:
        """The quote on screen, locked, as the reviewer saw it; :class:`ReviewConflict` if it changed since."""
        if self._quote_id is None:
            raise ReviewError("No quote is on screen: the queue is empty.")
        quote = s.get(Quote, self._quote_id, with_for_update=True)
        if quote is None:
            raise ReviewConflict(f"Quote {self._quote_id} no longer exists (a re-extraction replaced it); "
                                 "nothing was saved.")
        if (quote.speaker_id, quote.speaker_review) != self._seen:
            event = s.scalars(select(AuditEvent).where(col(AuditEvent.entity_type) == "quote",
                                                       col(AuditEvent.entity_id) == str(quote.id))
                              .order_by(col(AuditEvent.id).desc()).limit(1)).first()
            who = f" by {event.actor} ({event.action}, {event.at:%Y-%m-%d %H:%M} UTC)" if event else ""
            raise ReviewConflict(f"Quote {quote.id}'s speaker was changed{who} after you opened it: nothing was "
                                 "saved.")
        return quote

    def _moved_on(self) -> None:
        self._passed += 1
        self._quote_id, self._seen = None, None

    def accept(self) -> UnsureOutcome:
        """Confirm the speaker of the quote on screen (its confidence stays the extractor's) and move on."""
        with self._tx() as s:
            quote = self._locked_current(s)
            if quote.speaker_id is None:
                raise ReviewError("This quote has no speaker to accept: press s to name one, or k to skip it.")
            quote.speaker_review = ACCEPTED
            s.flush()
            who = quote.speaker_name or ""
            event = self._audit(s, quote, "accept", {"speaker_review": None, "speaker_id": quote.speaker_id},
                                {"speaker_review": ACCEPTED, "speaker_id": quote.speaker_id, "speaker": who,
                                 "confidence": quote.confidence})
            quote_id, event_id = pk(quote.id), event.id
            self._moved_on()
        return UnsureOutcome("accept", quote_id, f"accepted {who}", True, event_id)

    def find_speakers(self, query: str, limit: int = 8) -> list[SpeakerChoice]:
        """Known speakers whose name or an alias is close to ``query``, best first."""
        with self.store.session() as s:
            return find_speakers(s, query, limit)

    def correct_speaker(self, speaker_id: int | None = None, *, new_name: str | None = None,
                        speaker_type: str = "PERSON") -> UnsureOutcome:
        """Attribute the quote on screen to a known speaker (by id) or a new one, and move on."""
        check_correction(speaker_id, new_name, speaker_type)
        with self._tx() as s:
            quote = self._locked_current(s)
            change = change_speaker(s, quote, self.reviewer, speaker_id, new_name=new_name, speaker_type=speaker_type)
            event = self._audit(s, quote, "speaker", change.before, change.after)
            quote_id, event_id = pk(quote.id), event.id
            detail = f"speaker: {change.speaker.name}" + (" (new)" if change.created else "")
            self._moved_on()
        return UnsureOutcome("speaker", quote_id, detail, True, event_id)

    def skip(self) -> UnsureOutcome:
        """Pass over the quote on screen for the rest of this session."""
        with self._tx() as s:
            if self._quote_id is None:
                raise ReviewError("No quote is on screen: the queue is empty.")
            quote = s.get(Quote, self._quote_id)
            if quote is None:
                raise ReviewConflict(f"Quote {self._quote_id} no longer exists; nothing to skip.")
            event = self._audit(s, quote, "skip", None, {"skipped": True})
            quote_id, event_id = pk(quote.id), event.id
            self._skipped.append(quote_id)
            self._moved_on()
        return UnsureOutcome("skip", quote_id, "skipped", True, event_id)

    def undo(self) -> UnsureOutcome:
        """Undo this session's last action and go back to its quote; refused if the quote changed since."""
        if not self._actions:
            raise NothingToUndo("Nothing to undo in this session.")
        with self._tx() as s:
            event = s.get(AuditEvent, self._actions[-1])
            if event is None:
                raise ReviewError("The action to undo is missing from the audit trail.")
            quote = s.get(Quote, int(event.entity_id), with_for_update=True)
            if quote is None:
                raise ReviewConflict(f"Quote {event.entity_id} was replaced by a re-extraction: your "
                                     f"{event.action} cannot be undone.")
            self._reverse(s, quote, event)
            undone = self._audit(s, quote, "undo", None, {"undoes": event.id, "undone": event.action},
                                 undoable=False)
            self._actions.pop()
            self._passed = max(0, self._passed - 1)
            quote_id, action = pk(quote.id), event.action
            if action == "skip" and quote_id in self._skipped:
                self._skipped.remove(quote_id)
            self._quote_id, self._seen, self._finished = quote_id, (quote.speaker_id, quote.speaker_review), False
            undone_id = undone.id
        return UnsureOutcome("undo", quote_id, f"undid {action}", event_id=undone_id)

    def _reverse(self, s: Session, quote: Quote, event: AuditEvent) -> None:
        after = dict(event.after or {})
        if event.action == "accept":
            if quote.speaker_review != ACCEPTED or quote.speaker_id != after.get("speaker_id"):
                raise ReviewConflict(f"Quote {quote.id} was changed after you accepted it: not undone.")
            quote.speaker_review = None
        elif event.action == "speaker":
            if quote.speaker_review != CORRECTED or quote.speaker_id != after.get("speaker_id"):
                raise ReviewConflict(f"Quote {quote.id} was changed after your correction: not undone.")
            restore_speaker(s, quote, dict(event.before or {}))
        s.flush()
