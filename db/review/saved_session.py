"""What the claim queue's and the unsure queue's review sessions share: a position saved with every action.

A session keeps, in memory and in its ``ReviewSessionState`` row, how many items it has passed, the items
it skipped and the audit events it can undo. Every action runs in :meth:`SavedSession._tx`: one write
transaction that also saves that state, so that a crash or a lost connection never leaves the row and the
reviewer's screen disagreeing, and the in-memory state rolls back with a failed transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from ..errors import InvalidArgument
from ..store.models import ReviewSessionState
from ..store.store import Store


class SessionStateError(Exception):
    """Raised by :meth:`SavedSession._tx` when the session was not opened or its record is gone; the
    sessions turn it into their own error type."""


class SavedSession:
    """The saved position of a review session; subclasses add what they show and how they act."""

    store: Store
    reviewer: str
    clock: Callable[[], datetime]
    state_id: int | None
    resumed: bool
    _passed: int
    _skipped: list[int]
    _actions: list[int]
    _finished: bool

    def __init__(self, store: Store, reviewer: str, clock: Callable[[], datetime]):
        if not reviewer or not reviewer.strip():
            raise InvalidArgument("A review needs a reviewer name (--reviewer or ATTRIBUTION_USER).")
        self.store = store
        self.reviewer = reviewer.strip()
        self.clock = clock
        self.state_id = None
        self.resumed = False  # set by ``open`` when the reviewer's unfinished session is taken up again
        self._passed = 0
        self._skipped = []
        self._actions = []
        self._finished = False

    @property
    def position(self) -> int:
        """How many items this session has passed (answered or skipped)."""
        return self._passed

    @property
    def can_undo(self) -> bool:
        """Whether there is an action to undo."""
        return bool(self._actions)

    def _own_state(self) -> tuple[Any, ...]:
        """The subclass's in-memory state that a failed transaction must roll back (the item on screen)."""
        return ()

    def _restore_own_state(self, state: tuple[Any, ...]) -> None:
        """Put back what :meth:`_own_state` returned."""

    def _save_own_state(self, row: ReviewSessionState) -> None:
        """Write the subclass's part of the saved state (the item on screen) to the session's row."""

    def _error(self, message: str) -> Exception:
        """The exception the subclass raises for a session that cannot save its state."""
        return SessionStateError(message)

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        """One write transaction that also saves the session state; in-memory state rolls back with it."""
        if self.state_id is None:
            raise self._error("Open the review session first.")
        snapshot = (self._own_state(), self._passed, list(self._skipped), list(self._actions), self._finished)
        try:
            with self.store.session(write=True) as s:
                yield s
                row = s.get(ReviewSessionState, self.state_id)
                if row is None:
                    raise self._error("This review session's record is gone.")
                self._save_own_state(row)
                row.done, row.skipped, row.actions = self._passed, list(self._skipped), list(self._actions)
                row.updated_at = self.clock()
                row.finished_at = row.updated_at if self._finished else None
        except BaseException:
            own, self._passed, self._skipped, self._actions, self._finished = snapshot
            self._restore_own_state(own)
            raise
