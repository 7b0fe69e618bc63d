"""The terminal loop that both review queues run: a card, a prompt, a key, an action, and the end screen.

The claim queue (``attribution review``) and the attribution queue (``attribution review --unsure``) differ in
what a card shows, which keys do what and what the end screen counts; they say so through a :class:`Queue`.
What they share is here once: resuming, quitting with ``q`` or Ctrl-C (the position is saved, so the same
command resumes), ``?`` for help, a conflict with another reviewer shown as "Not saved" on the next card,
a refused action shown and the key asked again, and an undo offered at the end of the queue.
"""

from __future__ import annotations

from typing import Any, Protocol

from db.errors import InvalidArgument, NotFound
from db.review.session import NothingToUndo, ReviewConflict, ReviewError

from .common import console, safe
from .review_keys import KeyReader, show


class Session(Protocol):
    """What the loop needs of a review session (:class:`db.review.saved_session.SavedSession`)."""

    resumed: bool

    @property
    def position(self) -> int: ...

    @property
    def can_undo(self) -> bool: ...

    def undo(self) -> Any: ...

    def close(self) -> None: ...


class Queue(Protocol):
    """One kind of review queue: its cards, keys and words."""

    #: What the queue counts ("claims", "attributions").
    noun: str

    def card(self) -> Any | None:
        """The next card, or None at the end of the queue."""

    def render(self, card: Any, flash: str | None) -> list[Any]:
        """The card's screen, with a line about the last action on top."""

    def prompt(self, card: Any) -> str:
        """The question under the card."""

    def act(self, key: str, card: Any) -> Any | None:
        """Do what a key asks; None when it was cancelled or unknown (nothing changed)."""

    def help(self) -> Any:
        """The keys, for ``?``."""

    def said(self, outcome: Any) -> str:
        """The line that confirms an action on the next screen."""

    def finished(self) -> str:
        """The end screen's line: nothing left, and what was done."""


def run_queue(session: Session, queue: Queue, keys: KeyReader, clear: bool = False) -> None:
    """Show cards and act on keys until the queue is empty or the reviewer quits (Ctrl-C quits too)."""
    try:
        _loop(session, queue, keys, clear)
    except KeyboardInterrupt:  # Ctrl-C while typing a note or a name (the terminal is in line mode then)
        session.close()
        console.print(f"\n{_stopped(session, queue)}")


def _stopped(session: Session, queue: Queue) -> str:
    return f"Stopped after {session.position} {queue.noun}; run the same command to resume."


def _loop(session: Session, queue: Queue, keys: KeyReader, clear: bool) -> None:
    flash: str | None = None
    if session.resumed:
        flash = f"[cyan]Resuming your session: {session.position} {queue.noun} done so far.[/]"
    while True:
        card = queue.card()
        if card is None:
            flash = _finish(session, queue, keys, flash, clear)
            if flash is None:
                return
            continue
        show(queue.render(card, flash), clear)
        flash = None
        prompt = queue.prompt(card)
        while True:
            key = keys.key(prompt)
            if key is None or key == "q":
                session.close()
                console.print(_stopped(session, queue))
                return
            if key in ("", "?"):
                if key == "?":
                    console.print(queue.help())
                continue
            try:
                outcome = queue.act(key, card)
            except ReviewConflict as exc:
                flash = f"[bold red]Not saved:[/] {safe(exc)}"
                break
            except (InvalidArgument, NotFound, NothingToUndo, ReviewError) as exc:
                console.print(f"[yellow]{safe(exc)}[/]", soft_wrap=True)
                continue
            if outcome is not None:
                flash = queue.said(outcome)
                break


def _finish(session: Session, queue: Queue, keys: KeyReader, flash: str | None, clear: bool) -> str | None:
    """The end of the queue: offer an undo; the flash to show if the reviewer took it, else None (done)."""
    show(([flash] if flash else []) + [queue.finished()], clear)
    if session.can_undo and keys.key("u undoes your last action, any other key quits: ") == "u":
        return queue.said(session.undo())
    session.close()
    return None
