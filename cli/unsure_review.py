"""``attribution review --unsure``: the attributions whose speaker nobody has checked, least sure first.

A thin front end over :mod:`db.review.unsure`: one quote a screen, in its paragraph with the speaker mention
underlined; ``y`` accepts the speaker, ``s`` corrects it, ``k`` skips, ``u`` undoes, ``q`` quits. Everything
from articles or reviewers goes through :func:`cli.common.safe`.
"""

from __future__ import annotations

from typing import Any

from rich.rule import Rule
from rich.table import Table

from db.review.unsure import QuoteCard, UnsureOutcome, UnsureSession

from .common import console, safe
from .review_keys import KeyReader, highlighted, speaker_flow
from .review_loop import run_queue
from .store_render import day, role_text

HELP = [
    ("y", "yes: the speaker is right (the quote leaves the queue; its confidence is kept): next quote"),
    ("s", "correct the speaker (search known speakers, or a new one): next quote"),
    ("k", "skip this quote for now: next quote"),
    ("u", "undo your last action"),
    ("q", "quit (run the same command again to resume)"),
    ("?", "this help"),
]
PROMPT_KEYS = "y,s,k,u,q,?"


def card_renderables(card: QuoteCard, session: UnsureSession, flash: str | None = None) -> list[Any]:
    """One attribution's screen."""
    q = card.quote
    out: list[Any] = [Rule(f"[bold]Attribution {card.position} / {card.total}[/]  [dim]quote #{q.quote_id} · "
                           f"reviewer {safe(session.reviewer)} · least sure first[/]", align="left")]
    if flash:
        out.append(flash)
    out.append(highlighted(f"\n{card.paragraph}\n", [
        (_shifted(card.quote_span), "bold yellow"), (_shifted(card.mention_span), "underline bold cyan")]))
    who = f"[bold]{safe(q.speaker)}[/]" if q.speaker else "[dim]no speaker found[/]"
    role = role_text(q.role, q.affiliation)
    mention = f" [dim](as “{safe(q.speaker_mention)}”)[/]" if q.speaker_mention and q.speaker_mention != \
        q.speaker else ""
    out.append(f"[bold]Speaker:[/] {who}{' — ' + safe(role) if role else ''}{mention}")
    cue = f"“{safe(q.cue)}”" if q.cue else "none"
    out.append(f"[bold]Confidence:[/] [bold red]{q.confidence:.2f}[/] · rule {safe(q.rule)} · cue {cue} · "
               f"{q.kind} quote")
    if q.rule_trace:
        out.append(f"[dim]How: {safe(' > '.join(q.rule_trace))}[/]")
    where = " · ".join(safe(x) for x in (q.outlet, day(q.published or q.dated_at), q.article_url) if x)
    title = f" · “{safe(q.article_title)}”" if q.article_title else ""
    out.append(f"[bold]Article:[/] #{q.article_id} {where}{title}")
    out.append("\n[dim]y the speaker is right · s correct the speaker · k skip · u undo · q quit · ? help[/]")
    return out


def _shifted(span: tuple[int, int] | None) -> tuple[int, int] | None:
    """A span in the paragraph, moved past the blank line the screen puts before it."""
    return (span[0] + 1, span[1] + 1) if span else None


def help_renderable() -> Table:
    """The keys."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    for key, text in HELP:
        table.add_row(f"[bold]{key}[/]", text)
    return table


class _UnsureQueue:
    """The attribution queue's cards, keys and words, for :func:`cli.review_loop.run_queue`."""

    noun = "attributions"

    def __init__(self, session: UnsureSession, keys: KeyReader):
        self.session, self.keys = session, keys

    def card(self) -> QuoteCard | None:
        return self.session.card()

    def render(self, card: QuoteCard, flash: str | None) -> list[Any]:
        return card_renderables(card, self.session, flash)

    def prompt(self, card: QuoteCard) -> str:
        return f"({card.position}/{card.total}) Speaker right? {PROMPT_KEYS} "

    def act(self, key: str, card: QuoteCard) -> UnsureOutcome | None:
        actions = {"y": self.session.accept, "k": self.session.skip, "u": self.session.undo}
        if key in actions:
            return actions[key]()
        if key == "s":
            outcome: UnsureOutcome | None = speaker_flow(self.session, self.keys)
            return outcome
        console.print(f"Unknown key {safe(repr(key))}: press ? for help.")
        return None

    def help(self) -> Table:
        return help_renderable()

    def said(self, outcome: UnsureOutcome) -> str:
        return f"[green]✓ quote #{outcome.quote_id}: {safe(outcome.detail)}[/]"

    def finished(self) -> str:
        skipped = f", {self.session.skipped} skipped (they come back next time)" if self.session.skipped else ""
        return f"[bold]Nothing left to check[/] in this queue: {self.session.position} attributions done{skipped}."


def run_unsure(session: UnsureSession, keys: KeyReader, clear: bool = False) -> None:
    """Show attributions and act on keys until the queue is empty or the reviewer quits (Ctrl-C quits too)."""
    run_queue(session, _UnsureQueue(session, keys), keys, clear)
