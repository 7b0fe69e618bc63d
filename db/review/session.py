"""Fact-checker review sessions: a queue of claims, leases, verdicts, corrections, undo. No UI, no printing.

A :class:`ReviewSession` is one reviewer working through one queue (filters as for ``attribution quotes``
plus a claim status, ordered by check-worthiness, then newest article). Its state (current claim, claims
passed, skipped claims, undo stack) lives in the ``review_session`` table, so quitting and coming back with
the same reviewer and filters resumes where the reviewer was.

Several reviewers at once:

* **Leases.** The claim on a reviewer's screen is leased to them (``claim.lease_owner``/``lease_expires``,
  renewed by every action, released by a verdict, a skip or quitting). Taking the next claim is one
  transaction: on PostgreSQL ``SELECT ... FOR UPDATE OF claim SKIP LOCKED`` picks a row nobody else is
  taking; on SQLite the write transaction (``BEGIN IMMEDIATE``) serialises takers. Either way the lease is
  then set by a conditional ``UPDATE ... WHERE lease is free, expired or ours``, so two reviewers never get
  the same claim while a lease runs.
* **Optimistic locking.** Every change to a claim is ``UPDATE claim SET ..., version = version + 1 WHERE
  id = :id AND version = :seen AND (lease is free, expired or ours)``. When someone else changed the claim
  after the reviewer saw it (their lease had expired, a re-extraction, another tool), nothing is
  overwritten: :class:`ReviewConflict` says who changed it, and the next :meth:`ReviewSession.card` shows
  the claim as it is now (or moves on when it has left the queue).

Every action is one transaction with one ``audit_event`` row (entity ``claim``: reviewer, time, before and
after), and :func:`claim_history` reads that trail back.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from rapidfuzz import fuzz, process
from sqlalchemy import CursorResult, Select, Table, Update, delete, func, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import SQLModel, col

from ..errors import InvalidArgument, NotFound, StoreError
from ..index import name_index, role_match, speaker_stats
from ..index.speakers import group_ids, resolve_for_article
from ..search.queries import ORDER as QUOTE_ORDER
from ..search.queries import QuoteFields, QuoteFilter, QuoteRow, base_select, build_filter
from ..search.text import STOPWORDS
from ..store import audit
from ..store.models import (
    CLAIM_STATUSES,
    SPEAKER_TYPES,
    Article,
    AuditEvent,
    Claim,
    Evidence,
    Quote,
    Review,
    ReviewSessionState,
    Speaker,
    pk,
    utcnow,
)
from ..store.names import normalise
from ..store.store import Store
from ..write.speaker_review import CORRECTED, MANUAL, mark_corrected, trace_entry
from .saved_session import SavedSession
from .scales import Scale, get_scale, scale_by_id

#: How long a claim stays with a reviewer who does nothing (every action renews it).
LEASE_SECONDS = 15 * 60
#: ``--status`` values: a claim status, or every claim.
QUEUE_STATUSES = (*CLAIM_STATUSES, "all")
#: Actions after which the session moves on to the next claim.
MOVES_ON = frozenset({"verdict", "not_checkable", "skip"})
#: How similar (rapidfuzz token-sort ratio over normalised text, 0-100) another claim must be to count as
#: near-identical when its claim group differs.
SIMILARITY_CUTOFF = 85
#: How many recently reviewed claims the similarity search looks at.
SIMILARITY_POOL = 5000
PARAGRAPH_MAX = 900

#: The claim table, for Core updates: these must not go through the ORM's own version counter.
_claim_table: Table = SQLModel.metadata.tables["claim"]
_claim = _claim_table.c


def _rows_updated(s: Session, stmt: Update) -> int:
    """How many rows a Core UPDATE changed (``Session.execute`` is typed as returning a plain Result)."""
    result = s.execute(stmt)
    return result.rowcount if isinstance(result, CursorResult) else 0


class ReviewError(StoreError):
    """A review action that cannot be done as asked."""


class ReviewConflict(ReviewError):
    """The claim changed (or was taken) after the reviewer saw it; nothing was saved."""


class NothingToUndo(ReviewError):
    """The session has no action left to undo."""


@dataclass
class ReviewQueue(QuoteFields):
    """Which claims a session reviews. Empty fields do not filter; ``status="all"`` takes every claim."""

    min_worthiness: float | None = None
    status: str = "unreviewed"

    def key(self) -> str:
        """What identifies this queue for resuming: a hash of its filters."""
        filters = asdict(self)
        if filters.get("max_confidence") is None:
            # Added after sessions were first saved: left out when unset, so those sessions still resume.
            filters.pop("max_confidence", None)
        return hashlib.sha256(json.dumps(filters, sort_keys=True).encode()).hexdigest()[:32]

    def quote_filter(self) -> QuoteFilter:
        """The quote filters, as ``attribution quotes`` applies them."""
        return QuoteFilter(**{f.name: getattr(self, f.name) for f in fields(QuoteFields)})


#: Queue order: most check-worthy first, then the newest article, then the oldest claim.
ORDER = (col(Claim.check_worthiness).desc(), col(Article.dated_at).desc(), col(Claim.id))


def queue_conditions(session: Session, queue: ReviewQueue) -> list[Any]:
    """WHERE conditions over claim, article and (outer-joined) quote for a queue."""
    conds, _, search = build_filter(session, queue.quote_filter())
    if conds is None:
        hint = f"; did you mean {' or '.join(repr(n) for n in search.suggestions)}?" if search.suggestions else "."
        raise NotFound(f"No speaker named {queue.speaker!r}{hint}")
    if queue.status not in QUEUE_STATUSES:
        raise InvalidArgument(f"Unknown claim status {queue.status!r}: use one of {', '.join(QUEUE_STATUSES)}.")
    if queue.status != "all":
        conds.append(Claim.status == queue.status)
    if queue.min_worthiness is not None:
        if not 0.0 <= queue.min_worthiness <= 1.0:
            raise InvalidArgument("--min-worthiness must be between 0 and 1.")
        conds.append(Claim.check_worthiness >= queue.min_worthiness)
    return conds


def claim_select(*columns: Any) -> Select:
    """``SELECT columns FROM claim JOIN article LEFT JOIN quote``: what queue conditions apply to."""
    return (select(*columns).select_from(Claim).join(Article, col(Article.id) == col(Claim.article_id))
            .outerjoin(Quote, col(Quote.id) == col(Claim.quote_id)))


def _free_for(owner: str, now: datetime) -> Any:
    """The claim's lease is free, expired, or already ``owner``'s."""
    return or_(_claim.lease_owner.is_(None), _claim.lease_owner == owner, _claim.lease_expires.is_(None),
               _claim.lease_expires < now)


@dataclass
class EarlierVerdict:
    """A verdict given before on this claim or a near-identical one."""

    claim_id: int
    claim: str
    verdict: str
    reviewer: str
    at: datetime
    match: str  # "this claim", "same claim" (same group id elsewhere) or "similar 91%"
    outlet: str | None
    article_id: int


@dataclass
class ClaimCard:
    """Everything a reviewer needs on one screen."""

    claim_id: int
    version: int
    text: str
    status: str
    checkable: bool
    check_worthiness: float
    reason: str | None
    group_id: str
    quote: QuoteRow | None
    #: The paragraph around the quote (or claim), and spans within it (None when not inside).
    paragraph: str
    quote_span: tuple[int, int] | None
    claim_span: tuple[int, int] | None
    article_id: int
    article_title: str | None
    outlet: str | None
    url: str | None
    published: datetime | None
    dated_at: datetime
    position: int
    total: int
    verdict: str | None = None
    verdict_by: str | None = None
    notes: list[tuple[str, str, datetime]] = field(default_factory=list)
    evidence: list[tuple[str, str | None, str | None]] = field(default_factory=list)
    earlier: list[EarlierVerdict] = field(default_factory=list)
    related: list[QuoteRow] = field(default_factory=list)


@dataclass
class SpeakerChoice:
    """A known speaker offered when correcting who said a quote."""

    id: int
    name: str
    type: str
    quotes: int
    score: float


@dataclass
class Outcome:
    """What an action did: ``detail`` is a short phrase for the reviewer."""

    action: str
    claim_id: int
    detail: str
    moved_on: bool = False
    event_id: int | None = None


@dataclass
class SessionSummary:
    """Where a session stands when there is nothing left to show."""

    passed: int
    skipped: int
    held_by_others: int


class ReviewSession(SavedSession):
    """One reviewer working through one queue. Call :meth:`open` first, then :meth:`card` and the actions.

    ``clock`` returns naive UTC (tests move it to let leases expire).
    """

    def __init__(self, store: Store, reviewer: str, queue: ReviewQueue | None = None, *,
                 scale: str | None = None, lease_seconds: float = LEASE_SECONDS,
                 clock: Callable[[], datetime] = utcnow):
        super().__init__(store, reviewer, clock)
        if lease_seconds <= 0:
            raise InvalidArgument("The lease must last longer than 0 seconds.")
        self.queue = queue or ReviewQueue()
        self.lease = timedelta(seconds=lease_seconds)
        self._scale_name = scale
        self.scale: Scale
        self._claim_id: int | None = None
        self._version: int | None = None

    # --- session state -------------------------------------------------------------------------------

    def open(self) -> ReviewSession:
        """Resume this reviewer's unfinished session on this queue, or start one."""
        with self.store.session(write=True) as s:
            queue_conditions(s, self.queue)  # bad filters fail here, before anything is written
            row = s.scalars(select(ReviewSessionState).where(
                col(ReviewSessionState.reviewer) == self.reviewer,
                col(ReviewSessionState.queue_key) == self.queue.key(),
                col(ReviewSessionState.finished_at).is_(None))
                .order_by(col(ReviewSessionState.id).desc()).limit(1)).first()
            if self._scale_name is not None or row is None or row.scale_id is None:
                self.scale = get_scale(s, self._scale_name)
            else:
                self.scale = scale_by_id(s, row.scale_id) or get_scale(s, None)
            if row is None:
                row = ReviewSessionState(reviewer=self.reviewer, queue_key=self.queue.key(),
                                         queue=asdict(self.queue), scale_id=self.scale.id, started_at=self.clock(),
                                         updated_at=self.clock())
                s.add(row)
                s.flush()
            else:
                self.resumed = True
                row.scale_id = self.scale.id
            self.state_id = row.id
            self._claim_id = row.current_claim_id
            self._passed, self._skipped, self._actions = row.done, list(row.skipped), list(row.actions)
        return self

    def _own_state(self) -> tuple[Any, ...]:
        return self._claim_id, self._version

    def _restore_own_state(self, state: tuple[Any, ...]) -> None:
        self._claim_id, self._version = state

    def _save_own_state(self, row: ReviewSessionState) -> None:
        row.current_claim_id = self._claim_id

    def _error(self, message: str) -> Exception:
        return ReviewError(message)

    def _audit(self, s: Session, claim_id: int, action: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None, now: datetime) -> AuditEvent:
        event = audit.record(s, "claim", claim_id, action, before=before,
                             after={**(after or {}), "session": self.state_id}, actor=self.reviewer)
        event.at = now
        s.flush()
        return event

    # --- taking claims -------------------------------------------------------------------------------

    def _take(self, s: Session, now: datetime, only: int | None = None) -> int | None:
        """Lease the next claim of the queue (or, with ``only``, that claim if it is still in the queue)."""
        conds = [*queue_conditions(s, self.queue), _free_for(self.reviewer, now)]
        if only is not None:
            conds.append(Claim.id == only)
        elif self._skipped:
            conds.append(col(Claim.id).not_in(self._skipped))
        stmt = claim_select(col(Claim.id)).where(*conds).order_by(*ORDER).limit(1)
        if s.get_bind().dialect.name == "postgresql":
            # Rows another transaction is taking right now are passed over instead of waited for.
            stmt = stmt.with_for_update(skip_locked=True, of=Claim)
        for _ in range(5):
            claim_id = s.scalar(stmt)
            if claim_id is None:
                return None
            taken = _rows_updated(s, update(_claim_table).where(_claim.id == claim_id, _free_for(self.reviewer, now))
                                  .values(lease_owner=self.reviewer, lease_expires=now + self.lease))
            if taken == 1:
                return claim_id
        return None

    def _release(self, s: Session, claim_id: int | None) -> None:
        if claim_id is not None:
            s.execute(update(_claim_table).where(_claim.id == claim_id, _claim.lease_owner == self.reviewer)
                      .values(lease_owner=None, lease_expires=None))

    def card(self) -> ClaimCard | None:
        """The claim to show now (taking the next one when needed); None when the queue has nothing left."""
        with self._tx() as s:
            now = self.clock()
            previous = self._claim_id
            claim_id = self._take(s, now, only=previous) if previous is not None else None
            if claim_id is None:
                claim_id = self._take(s, now)
            if previous is not None and claim_id != previous:
                self._release(s, previous)
            self._claim_id = claim_id
            self._finished = claim_id is None
            if claim_id is None:
                self._version = None
                return None
            card = self._card(s, claim_id)
            self._version = card.version
        return card

    def summary(self) -> SessionSummary:
        """Claims passed and skipped in this session, and queue claims other reviewers hold now."""
        with self.store.session() as s:
            now = self.clock()
            held = s.scalar(claim_select(func.count(col(Claim.id))).where(
                *queue_conditions(s, self.queue), _claim.lease_owner != self.reviewer, _claim.lease_expires >= now))
        return SessionSummary(self._passed, len(self._skipped), held or 0)

    def close(self) -> None:
        """Quit: give the current claim back to the queue; the session resumes on it next time."""
        if self.state_id is None:
            return
        with self._tx() as s:
            self._release(s, self._claim_id)

    # --- the card ------------------------------------------------------------------------------------

    def _card(self, s: Session, claim_id: int) -> ClaimCard:
        claim = s.get(Claim, claim_id)
        article = s.get(Article, claim.article_id) if claim is not None else None
        if claim is None or article is None:
            raise NotFound(f"No claim {claim_id}.")
        quote = None
        if claim.quote_id is not None:
            found = s.execute(base_select().where(col(Quote.id) == claim.quote_id)).first()
            quote = QuoteRow(*found) if found is not None else None
        spans = [(quote.start, quote.end)] if quote is not None else []
        paragraph, offset = paragraph_of(article.text, *(spans[0] if spans else (claim.start, claim.end)))
        remaining = s.scalar(claim_select(func.count(col(Claim.id))).where(
            *queue_conditions(s, self.queue), _free_for(self.reviewer, self.clock()),
            *([col(Claim.id).not_in(self._skipped)] if self._skipped else []))) or 0
        card = ClaimCard(
            claim_id=claim_id, version=claim.version or 0, text=claim.text, status=claim.status,
            checkable=claim.checkable, check_worthiness=claim.check_worthiness, reason=claim.reason,
            group_id=claim.group_id, quote=quote, paragraph=paragraph,
            quote_span=_within(quote.start, quote.end, offset, paragraph) if quote is not None else None,
            claim_span=_within(claim.start, claim.end, offset, paragraph), article_id=pk(article.id),
            article_title=article.title, outlet=article.outlet, url=article.url, published=article.published,
            dated_at=article.dated_at, position=self._passed + 1, total=self._passed + max(remaining, 1))
        for r in s.scalars(select(Review).where(col(Review.claim_id) == claim_id).order_by(col(Review.id))):
            if r.verdict is not None:
                card.verdict, card.verdict_by = r.verdict, r.reviewer
            if r.note:
                card.notes.append((r.reviewer, r.note, r.created_at))
        card.evidence = [(e.url, e.note, e.reviewer) for e in s.scalars(
            select(Evidence).where(col(Evidence.claim_id) == claim_id).order_by(col(Evidence.id)))]
        card.earlier = earlier_verdicts(s, claim)
        card.related = related_quotes(s, quote, claim.text)
        return card

    # --- actions -------------------------------------------------------------------------------------

    def _current(self) -> int:
        if self._claim_id is None:
            raise ReviewError("No claim is on screen: the queue is empty.")
        return self._claim_id

    def _change(self, s: Session, now: datetime, claim_id: int, expected: int | None, *, release: bool = False,
                **values: Any) -> int:
        """The optimistic-locking update of a claim; returns its new version or raises :class:`ReviewConflict`."""
        lease = {"lease_owner": None, "lease_expires": None} if release else \
            {"lease_owner": self.reviewer, "lease_expires": now + self.lease}
        done = _rows_updated(s, update(_claim_table)
                             .where(_claim.id == claim_id, _claim.version == expected, _free_for(self.reviewer, now))
                             .values(version=_claim.version + 1, updated_at=now, **lease, **values))
        if done != 1:
            raise self._conflict(s, claim_id, expected, now)
        return (expected or 0) + 1

    def _conflict(self, s: Session, claim_id: int, expected: int | None, now: datetime) -> ReviewConflict:
        row = s.execute(select(_claim.version, _claim.lease_owner, _claim.lease_expires)
                        .where(_claim.id == claim_id)).first()
        if row is None:
            return ReviewConflict(f"Claim {claim_id} no longer exists (its article was removed); nothing was saved.")
        if row.version != expected:
            event = s.scalars(select(AuditEvent).where(col(AuditEvent.entity_type) == "claim",
                                                       col(AuditEvent.entity_id) == str(claim_id))
                              .order_by(col(AuditEvent.id).desc()).limit(1)).first()
            who = f" by {event.actor} ({event.action}, {event.at:%Y-%m-%d %H:%M} UTC)" if event else ""
            return ReviewConflict(f"Claim {claim_id} was changed{who} after you opened it (version {expected} -> "
                                  f"{row.version}): nothing was saved; look at it again.")
        return ReviewConflict(f"Claim {claim_id} is being reviewed by {row.lease_owner} now (your hold on it "
                              "expired): nothing was saved.")

    def _moved_on(self) -> None:
        self._passed += 1
        self._claim_id = None
        self._version = None

    def verdict(self, number: int) -> Outcome:
        """Save the verdict with this number on the session's scale and move on."""
        label = self.scale.by_number(number)
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            claim = s.get(Claim, claim_id)
            before = {"status": claim.status if claim else None, "checkable": claim.checkable if claim else None,
                      "version": self._version, "verdict": _latest_verdict(s, claim_id)}
            version = self._change(s, now, claim_id, self._version, release=True, status="reviewed", checkable=True)
            review = Review(claim_id=claim_id, reviewer=self.reviewer, verdict=label.label,
                            rating_scale_id=self.scale.id, created_at=now)
            s.add(review)
            s.flush()
            event = self._audit(s, claim_id, "verdict", before, {
                "status": "reviewed", "checkable": True, "version": version, "verdict": label.label,
                "scale": self.scale.name, "review_id": review.id}, now)
            self._actions.append(pk(event.id))
            self._moved_on()
        return Outcome("verdict", claim_id, f"{label.number} {label.label}", True, event.id)

    def note(self, text: str) -> Outcome:
        """Add a note to the claim on screen."""
        text = text.strip()
        if not text:
            raise InvalidArgument("An empty note is not saved.")
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            version = self._change(s, now, claim_id, self._version)
            review = Review(claim_id=claim_id, reviewer=self.reviewer, note=text, created_at=now)
            s.add(review)
            s.flush()
            event = self._audit(s, claim_id, "note", {"version": self._version},
                                {"version": version, "note": text, "review_id": review.id}, now)
            self._actions.append(pk(event.id))
            self._version = version
        return Outcome("note", claim_id, "note saved", event_id=event.id)

    def evidence(self, url: str, note: str | None = None) -> Outcome:
        """Cite a source (an http(s) URL) for the claim on screen."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise InvalidArgument(f"Evidence needs an http(s) URL, not {url!r}.")
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            version = self._change(s, now, claim_id, self._version)
            row = Evidence(claim_id=claim_id, url=url, note=(note or "").strip() or None, reviewer=self.reviewer,
                           created_at=now)
            s.add(row)
            s.flush()
            event = self._audit(s, claim_id, "evidence", {"version": self._version},
                                {"version": version, "url": url, "note": row.note, "evidence_id": row.id}, now)
            self._actions.append(pk(event.id))
            self._version = version
        return Outcome("evidence", claim_id, f"evidence {url}", event_id=event.id)

    def find_speakers(self, query: str, limit: int = 8) -> list[SpeakerChoice]:
        """Known speakers whose name or an alias is close to ``query``, best first."""
        with self.store.session() as s:
            return find_speakers(s, query, limit)

    def correct_speaker(self, speaker_id: int | None = None, *, new_name: str | None = None,
                        speaker_type: str = "PERSON") -> Outcome:
        """Attribute the claim's quote to a known speaker (by id) or to a speaker of a new name."""
        check_correction(speaker_id, new_name, speaker_type)
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            quote = _quote_of(s, claim_id)
            version = self._change(s, now, claim_id, self._version)
            change = change_speaker(s, quote, self.reviewer, speaker_id, new_name=new_name, speaker_type=speaker_type)
            event = self._audit(s, claim_id, "speaker", {**change.before, "version": self._version},
                                {**change.after, "version": version}, now)
            self._actions.append(pk(event.id))
            self._version = version
        return Outcome("speaker", claim_id, f"speaker: {change.speaker.name}" + (" (new)" if change.created else ""),
                       event_id=event.id)

    def correct_role(self, role: str | None, affiliation: str | None) -> Outcome:
        """Set the role and affiliation the claim's quote states for its speaker (None clears one)."""
        role, affiliation = (role or "").strip() or None, (affiliation or "").strip() or None
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            quote = _quote_of(s, claim_id)
            before = {"quote_id": quote.id, "role": quote.role, "affiliation": quote.affiliation,
                      "version": self._version}
            version = self._change(s, now, claim_id, self._version)
            quote.role, quote.affiliation = role, affiliation
            role_match.remember(s, [("role", role), ("affiliation", affiliation)])
            s.flush()
            event = self._audit(s, claim_id, "role", before, {"quote_id": quote.id, "role": role,
                                                              "affiliation": affiliation, "version": version}, now)
            self._actions.append(pk(event.id))
            self._version = version
        shown = ", ".join(x for x in (role, affiliation) if x) or "none"
        return Outcome("role", claim_id, f"role: {shown}", event_id=event.id)

    def not_checkable(self) -> Outcome:
        """Mark the claim on screen as not checkable (opinion, prediction...) and move on."""
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            claim = s.get(Claim, claim_id)
            before = {"status": claim.status if claim else None, "checkable": claim.checkable if claim else None,
                      "version": self._version}
            version = self._change(s, now, claim_id, self._version, release=True, status="not_checkable",
                                   checkable=False)
            event = self._audit(s, claim_id, "not_checkable", before,
                                {"status": "not_checkable", "checkable": False, "version": version}, now)
            self._actions.append(pk(event.id))
            self._moved_on()
        return Outcome("not_checkable", claim_id, "not checkable", True, event.id)

    def skip(self) -> Outcome:
        """Pass over the claim on screen for the rest of this session (others may take it)."""
        with self._tx() as s:
            now, claim_id = self.clock(), self._current()
            self._release(s, claim_id)
            event = self._audit(s, claim_id, "skip", {"version": self._version}, {"skipped": True}, now)
            self._skipped.append(claim_id)
            self._actions.append(pk(event.id))
            self._moved_on()
        return Outcome("skip", claim_id, "skipped", True, event.id)

    def undo(self) -> Outcome:
        """Undo this session's last action, going back to its claim; refused if the claim changed since."""
        if not self._actions:
            raise NothingToUndo("Nothing to undo in this session.")
        with self._tx() as s:
            now = self.clock()
            event = s.get(AuditEvent, self._actions[-1])
            if event is None:
                raise ReviewError("The action to undo is missing from the audit trail.")
            claim_id, before, after = int(event.entity_id), dict(event.before or {}), dict(event.after or {})
            if self._claim_id is not None and self._claim_id != claim_id:
                self._release(s, self._claim_id)
                self._claim_id, self._version = None, None
            taken = _rows_updated(s, update(_claim_table).where(_claim.id == claim_id, _free_for(self.reviewer, now))
                                  .values(lease_owner=self.reviewer, lease_expires=now + self.lease))
            if taken != 1:
                owner = s.scalar(select(_claim.lease_owner).where(_claim.id == claim_id))
                raise ReviewConflict(f"Claim {claim_id} is being reviewed by {owner} now: your "
                                     f"{event.action.replace('_', ' ')} was not undone." if owner else
                                     f"Claim {claim_id} no longer exists: your {event.action} cannot be undone.")
            version = self._reverse(s, now, event.action, claim_id, before, after)
            undone = self._audit(s, claim_id, "undo", {k: v for k, v in after.items() if k != "session"},
                                 {**before, "version": version, "undoes": event.id, "undone": event.action}, now)
            self._actions.pop()
            if event.action in MOVES_ON:
                self._passed = max(0, self._passed - 1)
            if event.action == "skip" and claim_id in self._skipped:
                self._skipped.remove(claim_id)
            self._claim_id, self._version, self._finished = claim_id, version, False
        return Outcome("undo", claim_id, f"undid {event.action.replace('_', ' ')}", event_id=undone.id)

    def _reverse(self, s: Session, now: datetime, action: str, claim_id: int, before: dict[str, Any],
                 after: dict[str, Any]) -> int:
        """Put back what one action changed; returns the claim's version afterwards."""
        if action == "skip":
            return s.scalar(select(_claim.version).where(_claim.id == claim_id)) or 0
        # The version this session last knew: the one after the action, or, when the reviewer has been on the
        # claim since (an earlier undo brought them back to it), the one they have seen since.
        expected = self._version if self._claim_id == claim_id and self._version is not None else after.get("version")
        if action in ("verdict", "not_checkable"):
            version = self._change(s, now, claim_id, expected, status=before.get("status") or "unreviewed",
                                   checkable=bool(before.get("checkable", True)))
        else:
            version = self._change(s, now, claim_id, expected)
        if action in ("verdict", "note") and after.get("review_id") is not None:
            s.execute(delete(Review).where(Review.id == after["review_id"]))
        elif action == "evidence" and after.get("evidence_id") is not None:
            s.execute(delete(Evidence).where(Evidence.id == after["evidence_id"]))
        elif action in ("speaker", "role"):
            quote = s.get(Quote, after.get("quote_id"))
            if quote is None:
                raise ReviewConflict(f"Claim {claim_id}'s quote was replaced by a re-extraction: the {action} "
                                     "correction cannot be undone.")
            # Events from before migration 0006 have no speaker_review: the quote had none then.
            keys = SPEAKER_FIELDS if action == "speaker" else ("role", "affiliation")
            if action == "speaker":
                _moved_quote(s, quote.speaker_id, before.get("speaker_id"))
                if "rule_trace" in before:  # audit events written before the trace was kept have none
                    quote.rule_trace = list(before["rule_trace"])
            for key in keys:
                setattr(quote, key, before.get(key))
            s.flush()
        return version


@dataclass
class SpeakerChange:
    """What a speaker correction did to a quote: its values before and after (for the audit trail), the
    speaker it is now attributed to, and whether that speaker was created for it."""

    before: dict[str, Any]
    after: dict[str, Any]
    speaker: Speaker
    created: bool


#: What a speaker correction changes on a quote, and what undoing it puts back.
SPEAKER_FIELDS = ("speaker_id", "speaker_name", "rule", "confidence", "speaker_review")


def check_correction(speaker_id: int | None, new_name: str | None, speaker_type: str) -> None:
    """Refuse a correction that names no speaker or two, or a speaker type the store does not know."""
    if (speaker_id is None) == (new_name is None):
        raise InvalidArgument("Correct the speaker with exactly one of a known speaker or a new name.")
    if speaker_type not in SPEAKER_TYPES:
        raise InvalidArgument(f"Speaker type {speaker_type!r}: use one of {', '.join(SPEAKER_TYPES)}.")


def change_speaker(s: Session, quote: Quote, reviewer: str, speaker_id: int | None = None, *,
                   new_name: str | None = None, speaker_type: str = "PERSON") -> SpeakerChange:
    """Attribute ``quote`` to a known speaker (by id; a merged one goes to its canonical speaker) or to a
    speaker of a new name, in the caller's transaction. The quote becomes ``rule`` "manual" at confidence 1.0,
    marked ``speaker_review`` "corrected", with the reviewer appended to its trace. Both review queues (claims,
    and attributions with ``--unsure``) correct speakers through here."""
    check_correction(speaker_id, new_name, speaker_type)
    old = s.get(Speaker, quote.speaker_id) if quote.speaker_id is not None else None
    before = {"quote_id": quote.id, "speaker_id": quote.speaker_id, "speaker": _canonical_name(s, old),
              "speaker_name": quote.speaker_name, "rule": quote.rule, "confidence": quote.confidence,
              "rule_trace": list(quote.rule_trace or []), "speaker_review": quote.speaker_review}
    created = False
    if speaker_id is not None:
        speaker = s.get(Speaker, speaker_id)
        if speaker is None:
            raise NotFound(f"No speaker #{speaker_id}.")
        if speaker.merged_into_id is not None:
            speaker = s.get(Speaker, speaker.merged_into_id) or speaker
    else:
        name = (new_name or "").strip()
        if not normalise(name):
            raise InvalidArgument("A new speaker needs a name.")
        found, created = resolve_for_article(s, name, speaker_type, quote.article_id, {})
        assert found is not None
        speaker = found
    assert speaker.id is not None
    if created:
        name_index.add_names(s, [(speaker.id, speaker.norm_name, name_index.FULL)])
    _moved_quote(s, quote.speaker_id, speaker.id)
    mark_corrected(quote, speaker.id, speaker.name, [trace_entry(reviewer)])
    s.flush()
    after = {"quote_id": quote.id, "speaker_id": speaker.id, "speaker": speaker.name, "speaker_name": speaker.name,
             "rule": MANUAL, "confidence": 1.0, "rule_trace": quote.rule_trace, "speaker_review": CORRECTED,
             "created": created}
    return SpeakerChange(before, after, speaker, created)


def restore_speaker(s: Session, quote: Quote, before: dict[str, Any]) -> None:
    """Put back what :func:`change_speaker` changed, from its ``before`` (the audit event's), speaker counts
    included."""
    _moved_quote(s, quote.speaker_id, before.get("speaker_id"))
    if "rule_trace" in before:
        quote.rule_trace = list(before["rule_trace"])
    for key in SPEAKER_FIELDS:
        setattr(quote, key, before.get(key))
    s.flush()


def _quote_of(s: Session, claim_id: int) -> Quote:
    claim = s.get(Claim, claim_id)
    quote = s.get(Quote, claim.quote_id) if claim is not None and claim.quote_id is not None else None
    if quote is None:
        raise ReviewError(f"Claim {claim_id} has no quote any more (a re-extraction dropped it): nothing to correct.")
    return quote


def _moved_quote(s: Session, old: int | None, new: int | None) -> None:
    """Keep both speakers' quote counts in step with one quote moving from ``old`` to ``new``."""
    deltas: dict[int, int] = {}
    if old is not None:
        deltas[old] = deltas.get(old, 0) - 1
    if new is not None:
        deltas[new] = deltas.get(new, 0) + 1
    speaker_stats.lock(s, deltas)


def _canonical_name(s: Session, speaker: Speaker | None) -> str | None:
    if speaker is None:
        return None
    if speaker.merged_into_id is not None:
        target = s.get(Speaker, speaker.merged_into_id)
        return target.name if target is not None else speaker.name
    return speaker.name


def _latest_verdict(s: Session, claim_id: int) -> str | None:
    return s.scalar(select(col(Review.verdict))
                    .where(col(Review.claim_id) == claim_id, col(Review.verdict).is_not(None))
                    .order_by(col(Review.id).desc()).limit(1))


def _within(start: int, end: int, offset: int, paragraph: str) -> tuple[int, int] | None:
    s, e = start - offset, end - offset
    return (s, e) if 0 <= s < e <= len(paragraph) else None


def paragraph_of(text: str, start: int, end: int, max_chars: int = PARAGRAPH_MAX) -> tuple[str, int]:
    """The paragraph (between blank lines) holding ``text[start:end]`` and its offset in ``text``.

    A paragraph longer than ``max_chars`` is cut to a window around the span, at spaces where possible.
    """
    lo = text.rfind("\n\n", 0, start)
    lo = 0 if lo < 0 else lo + 2
    hi = text.find("\n\n", end)
    hi = len(text) if hi < 0 else hi
    if hi - lo > max_chars:
        spare = max(0, max_chars - (end - start)) // 2
        new_lo, new_hi = max(lo, start - spare), min(hi, end + spare)
        if new_lo > lo:
            space = text.find(" ", new_lo, start)
            new_lo = space + 1 if space >= 0 else new_lo
        if new_hi < hi:
            space = text.rfind(" ", end, new_hi)
            new_hi = space if space >= 0 else new_hi
        lo, hi = new_lo, new_hi
    while lo < start and text[lo].isspace():
        lo += 1
    while hi > end and text[hi - 1].isspace():
        hi -= 1
    return text[lo:hi], lo


def earlier_verdicts(s: Session, claim: Claim, limit: int = 6) -> list[EarlierVerdict]:
    """Verdicts by anyone on this claim, on the same claim elsewhere (group id), or on near-identical ones."""
    how: dict[int, str] = {pk(cid): "same claim" for cid in s.scalars(select(col(Claim.id)).where(
        col(Claim.group_id) == claim.group_id))}
    how[pk(claim.id)] = "this claim"
    pool = dict(s.execute(select(col(Claim.id), col(Claim.text)).where(col(Claim.status) == "reviewed",
                                                             col(Claim.group_id) != claim.group_id)
                          .order_by(col(Claim.updated_at).desc()).limit(SIMILARITY_POOL)).all())
    for _text, score, cid in process.extract(claim.text, pool, scorer=fuzz.token_sort_ratio, processor=normalise,
                                             score_cutoff=SIMILARITY_CUTOFF, limit=limit * 2):
        how[pk(cid)] = f"similar {score:.0f}%"
    rows = s.execute(select(col(Review.claim_id), col(Claim.text), col(Review.verdict), col(Review.reviewer),
                            col(Review.created_at), col(Article.outlet), col(Article.id))
                     .join(Claim, col(Claim.id) == col(Review.claim_id))
                     .join(Article, col(Article.id) == col(Claim.article_id))
                     .where(col(Review.claim_id).in_(how), col(Review.verdict).is_not(None))
                     .order_by(col(Review.created_at).desc(), col(Review.id).desc()).limit(limit)).all()
    # The query keeps reviews with a verdict only: "" never shows.
    return [EarlierVerdict(cid, text, verdict or "", reviewer, at, how[cid], outlet, pk(aid))
            for cid, text, verdict, reviewer, at, outlet, aid in rows]


_TOKEN = re.compile(r"[^\W_]+")


def _keywords(text: str) -> set[str]:
    """Content words of a text, crudely singular, for "the same subject"."""
    words = (w.removesuffix("s") if len(w) > 4 else w for w in _TOKEN.findall(normalise(text)))
    return {w for w in words if len(w) >= 4 and w not in STOPWORDS}


def related_quotes(s: Session, quote: QuoteRow | None, claim_text: str, limit: int = 5) -> list[QuoteRow]:
    """The same speaker's other quotes sharing content words with the claim, most shared first."""
    if quote is None or quote.speaker_id is None:
        return []
    words = _keywords(claim_text)
    if not words:
        return []
    members = group_ids(s, [quote.speaker_id])
    rows = [QuoteRow(*r) for r in s.execute(base_select().where(col(Quote.speaker_id).in_(members),
                                                                col(Quote.id) != quote.quote_id)
                                            .order_by(*QUOTE_ORDER).limit(500))]
    scored = [(len(words & _keywords(r.quote)), r) for r in rows]
    scored = [(n, r) for n, r in scored if n]
    scored.sort(key=lambda nr: -nr[0])  # stable: newest first among equals
    return [r for _n, r in scored[:limit]]


def find_speakers(s: Session, query: str, limit: int = 8) -> list[SpeakerChoice]:
    """Known speakers for a correction: those whose name or alias contains ``query`` (as ``--speaker``
    finds them), then names close to it ("did you mean"), best first."""
    found = name_index.match_speakers(s, query)[:limit]
    choices = [SpeakerChoice(m.id, m.name, m.type, m.quotes, 100.0 - m.tier) for m in found]
    if len(choices) < limit:
        seen = {c.id for c in choices}
        choices += [SpeakerChoice(m.id, m.name, m.type, m.quotes, 0.0)
                    for m in name_index.suggest(s, query, limit) if m.id not in seen][:limit - len(choices)]
    return choices


@dataclass
class HistoryEvent:
    """One audit event on a claim."""

    id: int
    at: datetime
    actor: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        return {"id": self.id, "at": self.at.isoformat(timespec="seconds") + "Z", "actor": self.actor,
                "action": self.action, "before": self.before, "after": self.after}


@dataclass
class ClaimHistory:
    """A claim and its audit trail, oldest first."""

    claim_id: int
    text: str
    status: str
    version: int
    events: list[HistoryEvent]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        return {"claim_id": self.claim_id, "text": self.text, "status": self.status, "version": self.version,
                "events": [e.to_dict() for e in self.events]}


def claim_history(s: Session, ref: str | int) -> ClaimHistory:
    """The audit trail of a claim given by id (``12`` or ``#12``)."""
    text = str(ref).strip().removeprefix("#")
    if not text.isdigit():
        raise InvalidArgument(f"Give a claim id (a number), not {str(ref)!r}.")
    claim = s.get(Claim, int(text))
    if claim is None:
        raise NotFound(f"No claim {text}.")
    events = [HistoryEvent(pk(e.id), e.at, e.actor, e.action, e.before, e.after)
              for e in s.scalars(select(AuditEvent).where(col(AuditEvent.entity_type) == "claim",
                                                          col(AuditEvent.entity_id) == str(claim.id))
                                 .order_by(col(AuditEvent.at), col(AuditEvent.id)))]
    return ClaimHistory(pk(claim.id), claim.text, claim.status, claim.version or 0, events)
