"""``attribution review``, ``history`` and ``scales``: thin terminal front ends.

The review loop reads single keys, ``git add -p`` style: raw mode (termios) when stdin is a terminal, one
line per key otherwise (pipes, Typer's CliRunner). Everything it shows from articles, speakers or reviewers
goes through :func:`cli.common.safe`, so markup or escape sequences in an article print literally. All the
work is in :mod:`db.review.session`; this module only asks, calls and shows.
"""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated, Any

import typer
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

import db
from db.errors import InvalidArgument
from db.review.scales import add_scale, list_scales, parse_label
from db.review.session import (
    QUEUE_STATUSES,
    ClaimCard,
    Outcome,
    ReviewError,
    ReviewQueue,
    ReviewSession,
    claim_history,
)
from db.review.unsure import UnsureQueue, UnsureSession
from db.store import audit

from .common import console, safe
from .options import (
    AffiliationOpt,
    ArticleOpt,
    DbOpt,
    JsonOpt,
    KindOpt,
    MaxConfidenceOpt,
    MinConfidenceOpt,
    OutletOpt,
    RoleOpt,
    SinceOpt,
    SpeakerOpt,
    TextOpt,
    UntilOpt,
)
from .review_keys import KeyReader, highlighted, speaker_flow
from .review_loop import run_queue
from .store_render import day, print_json, role_text
from .unsure_review import run_unsure

ReviewStatus = Enum("ReviewStatus", {s: s for s in QUEUE_STATUSES}, type=str)  # type: ignore[misc]

HELP = [
    ("1-{n}", "verdict on the {scale} scale (1 = most true); saved at once, then the next claim"),
    ("n", "add a note"),
    ("e", "add an evidence link"),
    ("s", "correct the speaker (search known speakers, or a new one)"),
    ("r", "correct the speaker's role and affiliation"),
    ("x", "not checkable (opinion, prediction...): next claim"),
    ("k", "skip this claim for now: next claim"),
    ("u", "undo your last action"),
    ("q", "quit (run the same command again to resume here)"),
    ("?", "this help"),
]


# --- rendering -------------------------------------------------------------------------------------------

def paragraph_text(card: ClaimCard) -> Text:
    """The paragraph with the quote highlighted and the claim inside it underlined."""
    return highlighted(card.paragraph, [(card.quote_span, "bold yellow"), (card.claim_span, "underline")])


def card_renderables(card: ClaimCard, session: ReviewSession, flash: str | None = None) -> list[Any]:
    """One claim's screen."""
    out: list[Any] = [Rule(f"[bold]Claim {card.position} / {card.total}[/]  [dim]#{card.claim_id} · reviewer "
                           f"{safe(session.reviewer)} · scale {safe(session.scale.name)}[/]", align="left")]
    if flash:
        out.append(flash)
    facts = [f"check-worthiness {card.check_worthiness:.2f}", safe(card.reason or ""), card.status.replace("_", " ")]
    if card.verdict:
        facts.append(f"verdict {safe(card.verdict)} by {safe(card.verdict_by)}")
    out.append(f"[bold]Claim:[/] {safe(card.text)}  [dim]({' · '.join(f for f in facts if f)})[/]")
    out.append(Text("\n").join([Text(""), paragraph_text(card), Text("")]))
    q = card.quote
    if q is None:
        out.append("[bold]Speaker:[/] [dim]the quote is gone (a re-extraction no longer finds it)[/]")
    else:
        who = f"[bold]{safe(q.speaker)}[/]" if q.speaker else "[dim]unknown speaker[/]"
        role = role_text(q.role, q.affiliation)
        mention = f" [dim](as “{safe(q.speaker_mention)}”)[/]" if q.speaker_mention and q.speaker_mention != \
            q.speaker else ""
        out.append(f"[bold]Speaker:[/] {who}{' — ' + safe(role) if role else ''}{mention}")
        cue = f"“{safe(q.cue)}”" if q.cue else "none"
        out.append(f"[bold]Cue:[/] {cue} · confidence {q.confidence:.2f} · rule {safe(q.rule)} · {q.kind} quote")
    where = " · ".join(safe(x) for x in (card.outlet, day(card.published or card.dated_at), card.url) if x)
    title = f" · “{safe(card.article_title)}”" if card.article_title else ""
    out.append(f"[bold]Article:[/] #{card.article_id} {where}{title}")
    if card.earlier:
        out.append("[bold]Earlier verdicts on this claim or near-identical ones:[/]")
        for e in card.earlier:
            out.append(f"  [bold]{safe(e.verdict)}[/] — {safe(e.reviewer)} {day(e.at)} [dim]({safe(e.match)}, "
                       f"claim #{e.claim_id}, {safe(e.outlet or 'article #' + str(e.article_id))})[/] "
                       f"{safe(e.claim)}")
    if card.related:
        out.append("[bold]Same speaker on this subject:[/]")
        for r in card.related:
            out.append(f"  {day(r.dated_at)} [dim]{safe(r.outlet or '#' + str(r.article_id))}[/] “{safe(r.quote)}”")
    for who, note, at in card.notes:
        out.append(f"[bold]Note[/] [dim]{safe(who)} {day(at)}:[/] {safe(note)}")
    for url, note, who in card.evidence:
        out.append(f"[bold]Evidence:[/] {safe(url)}{' — ' + safe(note) if note else ''} [dim]({safe(who or '')})[/]")
    labels = "  ".join(f"[bold]{lb.number}[/] {safe(lb.label)}" for lb in session.scale.labels)
    out.append(f"\n{labels}")
    out.append("[dim]n note · e evidence · s speaker · r role · x not checkable · k skip · u undo · q quit · "
               "? help[/]")
    return out


def help_renderable(session: ReviewSession) -> Table:
    """The keys and the scale's definitions."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    n = len(session.scale.labels)
    for key, text in HELP:
        table.add_row(f"[bold]{key.format(n=n)}[/]", text.format(scale=safe(session.scale.name)))
    for lb in session.scale.labels:
        table.add_row(f"[bold]{lb.number}[/]", f"[bold]{safe(lb.label)}[/]: {safe(lb.definition)}")
    return table


# --- the loop --------------------------------------------------------------------------------------------

def _role_flow(session: ReviewSession, card: ClaimCard, keys: KeyReader) -> Outcome | None:
    if card.quote is None:
        raise ReviewError(f"Claim {card.claim_id} has no quote any more: there is no role to correct.")
    values = []
    for what, now in (("Role", card.quote.role), ("Affiliation", card.quote.affiliation)):
        answer = keys.line(f"{what} [{now or 'none'}] (Enter keeps, - clears): ")
        if answer is None:
            return None
        answer = answer.strip()
        values.append(now if answer == "" else None if answer == "-" else answer)
    if values == [card.quote.role, card.quote.affiliation]:
        return None
    return session.correct_role(values[0], values[1])


def _act(key: str, session: ReviewSession, card: ClaimCard, keys: KeyReader) -> Outcome | None:
    """Do what a key asks; None when it was cancelled or unknown (nothing changed)."""
    if key.isdigit():
        return session.verdict(int(key))
    if key == "n":
        text = keys.line("Note (Enter cancels): ")
        return session.note(text) if text and text.strip() else None
    if key == "e":
        url = keys.line("Evidence URL (Enter cancels): ")
        if not url or not url.strip():
            return None
        return session.evidence(url, keys.line("What it shows (optional): "))
    if key == "s":
        return speaker_flow(session, keys)
    if key == "r":
        return _role_flow(session, card, keys)
    actions = {"x": session.not_checkable, "k": session.skip, "u": session.undo}
    if key in actions:
        return actions[key]()
    console.print(f"Unknown key {safe(repr(key))}: press ? for help.")
    return None


class _ClaimQueue:
    """The claim queue's cards, keys and words, for :func:`cli.review_loop.run_queue`."""

    noun = "claims"

    def __init__(self, session: ReviewSession, keys: KeyReader):
        self.session, self.keys = session, keys

    def card(self) -> ClaimCard | None:
        return self.session.card()

    def render(self, card: ClaimCard, flash: str | None) -> list[Any]:
        return card_renderables(card, self.session, flash)

    def prompt(self, card: ClaimCard) -> str:
        return f"({card.position}/{card.total}) Verdict 1-{len(self.session.scale.labels)} or n,e,s,r,x,k,u,q,? "

    def act(self, key: str, card: ClaimCard) -> Outcome | None:
        return _act(key, self.session, card, self.keys)

    def help(self) -> Table:
        return help_renderable(self.session)

    def said(self, outcome: Outcome) -> str:
        return f"[green]✓ claim #{outcome.claim_id}: {safe(outcome.detail)}[/]"

    def finished(self) -> str:
        summary = self.session.summary()
        return (f"[bold]Nothing left to review[/] in this queue: {summary.passed} claims done"
                + (f", {summary.skipped} skipped (they come back next time)" if summary.skipped else "")
                + (f"; {summary.held_by_others} held by other reviewers" if summary.held_by_others else "")
                + ".")


def run_loop(session: ReviewSession, keys: KeyReader, clear: bool = False) -> None:
    """Show claims and act on keys until the queue is empty or the reviewer quits (Ctrl-C quits too)."""
    run_queue(session, _ClaimQueue(session, keys), keys, clear)


# --- commands --------------------------------------------------------------------------------------------

def review(
    speaker: SpeakerOpt = None, role: RoleOpt = None, affiliation: AffiliationOpt = None, text: TextOpt = None,
    kind: KindOpt = None, outlet: OutletOpt = None, since: SinceOpt = None, until: UntilOpt = None,
    article: ArticleOpt = None, min_confidence: MinConfidenceOpt = None, max_confidence: MaxConfidenceOpt = None,
    min_worthiness: Annotated[float | None, typer.Option(
        "--min-worthiness", metavar="X", min=0.0, max=1.0, help="Only claims with check-worthiness >= X (0-1).")
    ] = None,
    status: Annotated[ReviewStatus | None, typer.Option(
        "--status", help="Claims with this review status (default: unreviewed).")] = None,
    unsure: Annotated[bool, typer.Option(
        "--unsure", help="Check attributions instead of claims: quotes whose speaker nobody has checked, least "
                         "confident first; y accepts the speaker, s corrects it.")] = False,
    reviewer: Annotated[str | None, typer.Option(
        "--reviewer", metavar="NAME", help="Who is reviewing (default: $ATTRIBUTION_USER, else your login).")
    ] = None,
    scale: Annotated[str | None, typer.Option(
        "--scale", metavar="NAME", help="Rating scale (default: politifact, or the resumed session's).")] = None,
    lease_minutes: Annotated[float, typer.Option(
        "--lease-minutes", min=0.1, help="How long a claim on your screen stays yours without any action.")
    ] = 15.0,
    db_url: DbOpt = None,
) -> None:
    """Review claims one by one: a verdict by its number, notes, evidence, corrections; single keys, ? for help.
    With --unsure, check who said each quote instead, least sure first."""
    filters = {"speaker": speaker, "role": role, "affiliation": affiliation, "text": text,
               "kind": kind.value if kind else None, "outlet": outlet, "since": since, "until": until,
               "article": article, "min_confidence": min_confidence, "max_confidence": max_confidence}
    keys = KeyReader()
    if unsure:
        claim_only = [flag for flag, value in (("--status", status), ("--min-worthiness", min_worthiness),
                                                ("--scale", scale)) if value is not None]
        if claim_only:
            raise InvalidArgument(f"{', '.join(claim_only)} {'is' if len(claim_only) == 1 else 'are'} for claims; "
                                  "--unsure reviews attributions (leave it out, or drop --unsure).")
        with db.open_store(db_url) as store:
            unsure_session = UnsureSession(store, reviewer or audit.default_actor(), UnsureQueue(**filters)).open()
            run_unsure(unsure_session, keys, clear=keys.tty and sys.stdout.isatty())
        return
    queue = ReviewQueue(**filters, min_worthiness=min_worthiness,
                        status=(status or ReviewStatus["unreviewed"]).value)
    with db.open_store(db_url) as store:
        session = ReviewSession(store, reviewer or audit.default_actor(), queue, scale=scale,
                                lease_seconds=lease_minutes * 60).open()
        run_loop(session, keys, clear=keys.tty and sys.stdout.isatty())


def _changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    before, after = dict(before or {}), dict(after or {})
    parts = []
    for key in [*before, *(k for k in after if k not in before)]:
        if key == "session":
            continue
        old, new = before.get(key), after.get(key)
        if old != new:
            parts.append(f"{key}: {old if old is not None else '-'} → {new if new is not None else '-'}")
    return "; ".join(parts)


def history(
    claim: Annotated[str, typer.Argument(metavar="CLAIM", help="Claim id (as `review` shows it, e.g. 12 or #12).")],
    as_json: JsonOpt = False, db_url: DbOpt = None,
) -> None:
    """Show a claim's audit trail: who did what, when, from what to what."""
    with db.open_store(db_url) as store, store.session() as s:
        trail = claim_history(s, claim)
    if as_json:
        print_json(trail.to_dict())
        return
    console.print(f"[bold]Claim #{trail.claim_id}[/] {safe(trail.text)} [dim]({trail.status.replace('_', ' ')}, "
                  f"version {trail.version})[/]", soft_wrap=True)
    if not trail.events:
        console.print("No recorded actions yet.")
        return
    for e in trail.events:  # one line per event (greppable, never wrapped mid-value)
        console.print(f"{e.at.isoformat(sep=' ', timespec='seconds')} UTC [bold]{safe(e.actor)}[/] "
                      f"{safe(e.action.replace('_', ' '))}: {safe(_changes(e.before, e.after))}", soft_wrap=True)


scales_app = typer.Typer(help="Rating scales for verdicts: list them, add a newsroom's own.", no_args_is_help=True)


@scales_app.command("list")
def scales_list(as_json: JsonOpt = False, db_url: DbOpt = None) -> None:
    """List rating scales with their labels, most true first."""
    with db.open_store(db_url) as store, store.session() as s:
        scales = list_scales(s)
    if as_json:
        print_json([sc.to_dict() for sc in scales])
        return
    for sc in scales:
        console.print(f"[bold]{safe(sc.name)}[/] [dim]{safe(sc.description or '')}[/]", soft_wrap=True)
        for lb in sc.labels:
            console.print(f"  {lb.number} [bold]{safe(lb.label)}[/]: {safe(lb.definition)}", soft_wrap=True)


@scales_app.command("add")
def scales_add(
    name: Annotated[str, typer.Argument(metavar="NAME", help="Scale name, e.g. newsroom.")],
    labels: Annotated[list[str], typer.Argument(metavar="'LABEL: DEFINITION'...",
                                                help="2-9 steps, most true first, each 'Label: definition'.")],
    description: Annotated[str | None, typer.Option(
        "--description", metavar="TEXT", help="What the scale is for.")] = None,
    db_url: DbOpt = None,
) -> None:
    """Add a rating scale; use it with `attribution review --scale NAME`."""
    parsed = [parse_label(label) for label in labels]
    with db.open_store(db_url) as store, store.session(write=True) as s:
        scale = add_scale(s, name, parsed, description=description)
    console.print(f"Added scale {safe(scale.name)} with {len(scale.labels)} steps: "
                  f"{safe(', '.join(lb.label for lb in scale.labels))}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the review commands to ``app``."""
    app.command("review")(review)
    app.command("history")(history)
    app.add_typer(scales_app, name="scales")
