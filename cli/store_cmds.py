"""The store's commands: quotes, speakers (merge/split/unmerge), speaker, show, stats.

Thin: parse options, call :mod:`db`, render. Errors users can cause are ``AttributionError`` subclasses,
which the app prints as one line. ``ingest``, ``export`` and ``review`` live in their own modules; all of
them take their shared options from :mod:`cli.options`.
"""

from __future__ import annotations

from typing import Annotated

import typer

import db

from . import store_render as render
from .common import console, err_console, print_at, safe
from .options import (
    AffiliationOpt,
    ArticleOpt,
    DbOpt,
    JsonOpt,
    KindOpt,
    MaxConfidenceOpt,
    MinConfidenceOpt,
    MinWorthinessOpt,
    OutletOpt,
    QuoteLimitOpt,
    RawSearchOpt,
    RoleOpt,
    SinceOpt,
    SpeakerOpt,
    TextOpt,
    UntilOpt,
    WideOpt,
    quote_filter,
)


def quotes(
    speaker: SpeakerOpt = None, role: RoleOpt = None, affiliation: AffiliationOpt = None, text: TextOpt = None,
    raw_search: RawSearchOpt = False, kind: KindOpt = None, outlet: OutletOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, article: ArticleOpt = None, min_confidence: MinConfidenceOpt = None,
    max_confidence: MaxConfidenceOpt = None, min_worthiness: MinWorthinessOpt = None, limit: QuoteLimitOpt = 50,
    as_json: JsonOpt = False,
    wide: WideOpt = False, db_url: DbOpt = None,
) -> None:
    """List stored quotes with speaker, role and article, filtered by any of the options."""
    f = quote_filter(speaker=speaker, role=role, affiliation=affiliation, text=text, raw_search=raw_search, kind=kind,
                     outlet=outlet, since=since, until=until, article=article, min_confidence=min_confidence,
                     max_confidence=max_confidence, limit=limit, min_worthiness=min_worthiness)
    with db.open_store(db_url) as store, store.session() as s:
        found = db.find_quotes(s, f)
    if not found.speaker_known:
        hint = f"; did you mean {' or '.join(repr(n) for n in found.suggestions)}?" if found.suggestions else "."
        err_console.print(f"No speaker named {safe(repr(speaker))}{safe(hint)}", soft_wrap=True)
        if as_json:
            render.print_json([])
        raise typer.Exit(1)
    if as_json:
        render.print_json([q.to_dict() for q in found.rows])
        return
    line = render.matches_line(speaker or "", found.matched)
    if line:
        console.print(line)
    if found.rows:
        print_at(*render.quotes_table(found.rows, console.width, wide=wide))
    else:
        console.print("No quotes match.")


speakers_app = typer.Typer(help="List speakers; merge, split and unmerge them.", invoke_without_command=True)


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", min=1, help="Speakers per page (most quoted first).")] = 50,
    page: Annotated[int, typer.Option("--page", min=1, help="Which page of --limit speakers.")] = 1,
    speaker_type: Annotated[str | None, typer.Option("--type", metavar="TYPE", help="PERSON, ORG or GROUP.")] = None,
    as_json: JsonOpt = False, wide: WideOpt = False, db_url: DbOpt = None,
) -> None:
    """List speakers with quote counts, roles, affiliations, first and last seen, a page at a time."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db_url}
        return
    with db.open_store(db_url) as store, store.session() as s:
        # One more than the page, to know whether there is a next one.
        rows = db.list_speakers(s, limit=limit + 1, offset=(page - 1) * limit,
                                speaker_type=speaker_type.upper() if speaker_type else None)
    more, rows = len(rows) > limit, rows[:limit]
    if as_json:
        render.print_json([r.to_dict() for r in rows])
    elif rows:
        print_at(*render.speakers_table(rows, console.width, wide=wide))
        if more:
            console.print(f"[dim]page {page}; more with --page {page + 1}[/]")
    elif page > 1:
        console.print(f"No speakers on page {page}.")
    else:
        console.print("No speakers yet: run `attribution ingest`.")


def _db(ctx: typer.Context, db_url: str | None) -> str | None:
    """``--db`` given to the subcommand, else to the ``speakers`` group."""
    return db_url or (ctx.obj or {}).get("db")


def _report(change: db.IdentityChange) -> None:
    verbs = {"merge": "merged into", "unmerge": "unmerged from", "split": "split into"}
    if change.action == "split":
        console.print(f"#{change.speaker_id} {safe(change.speaker)} split: {change.rows} quotes now belong to "
                      f"#{change.other_id} {safe(change.other)} (undo: `attribution speakers merge "
                      f"{change.speaker_id} {change.other_id}`)", soft_wrap=True)
    elif change.action == "merge":
        console.print(f"#{change.other_id} {safe(change.other)} {verbs['merge']} #{change.speaker_id} "
                      f"{safe(change.speaker)} ({change.rows} quotes; undo: `attribution speakers unmerge "
                      f"{change.other_id}`)", soft_wrap=True)
    else:
        console.print(f"#{change.speaker_id} {safe(change.speaker)} {verbs['unmerge']} #{change.other_id} "
                      f"{safe(change.other)} ({change.rows} quotes)", soft_wrap=True)


@speakers_app.command("merge")
def merge(
    ctx: typer.Context,
    target: Annotated[str, typer.Argument(metavar="A", help="The speaker to keep (id, name or alias).")],
    source: Annotated[str, typer.Argument(metavar="B", help="The speaker to merge into A (id, name or alias).")],
    db_url: DbOpt = None,
) -> None:
    """Merge speaker B into A (same person); recorded in the audit trail, undone by `unmerge B`."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.merge(s, target, source)
    _report(change)


@speakers_app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(metavar="SPEAKER", help="A merged speaker (id or its own name).")],
    db_url: DbOpt = None,
) -> None:
    """Undo a merge: SPEAKER (and what was merged into it before) becomes its own speaker again."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.unmerge(s, speaker)
    _report(change)


@speakers_app.command("split")
def split(
    ctx: typer.Context,
    speaker: Annotated[str, typer.Argument(metavar="SPEAKER", help="The speaker to split (id, name or alias).")],
    alias: Annotated[str | None, typer.Option(
        "--alias", metavar="ALIAS", help="Move what was attributed under this name to a new speaker.")] = None,
    article: Annotated[str | None, typer.Option(
        "--article", metavar="ARTICLE", help="Move this article's quotes and roles to a new speaker.")] = None,
    db_url: DbOpt = None,
) -> None:
    """Split a speaker who is really two people; undone by `speakers merge SPEAKER NEW`."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.split(s, speaker, alias=alias, article=article)
    _report(change)


def speaker(
    name: Annotated[str, typer.Argument(
        metavar="NAME", help="Speaker id, or words of a name or alias, as --speaker takes them.")],
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many quotes.")] = 200,
    as_json: JsonOpt = False, wide: WideOpt = False, db_url: DbOpt = None,
) -> None:
    """Show a speaker's profile: aliases, others with the same surname, roles over time, quotes by article."""
    with db.open_store(db_url) as store, store.session() as s:
        profile = db.speaker_profile(s, name, quote_limit=limit)
    if as_json:
        render.print_json(profile.to_dict())
        return
    for part, width in render.profile_renderables(profile, console.width, wide=wide):
        print_at(part, width)


def show(
    article: Annotated[str, typer.Argument(metavar="ARTICLE", help="Article id, SHA-256 prefix or URL.")],
    unsure_below: Annotated[float, typer.Option(
        "--unsure-below", metavar="X", min=0.0, max=1.0,
        help="Mark attributions below this confidence that nobody has checked as unsure.")] = render.UNSURE_BELOW,
    as_json: JsonOpt = False, db_url: DbOpt = None,
) -> None:
    """Print an article with its quotes highlighted and labelled with speaker and role; unsure ones marked."""
    with db.open_store(db_url) as store, store.session() as s:
        view = db.article_view(s, article)
    if as_json:
        data = view.to_dict()
        for record, q in zip(data["quotes"], view.quotes, strict=True):
            record["unsure"] = render.is_unsure(q, unsure_below)
        render.print_json(data | {"unsure_below": unsure_below})
        return
    a = view.article
    console.print(f"[bold]{safe(a.title or a.url or a.source_id or a.sha256[:12])}[/]", soft_wrap=True)
    meta = " · ".join(safe(x) for x in (f"#{a.id}", a.outlet, render.day(a.published), a.url, a.sha256[:12]) if x)
    unsure = sum(render.is_unsure(q, unsure_below) for q in view.quotes)
    flagged = f" · {unsure} unsure (confidence < {unsure_below:g}, not checked)" if unsure else ""
    console.print(f"[dim]{meta} · {len(view.quotes)} quotes{flagged}[/]\n", soft_wrap=True)
    console.print(render.article_text(view, unsure_below), soft_wrap=True)


def stats(as_json: JsonOpt = False, db_url: DbOpt = None) -> None:
    """Show what the database holds: counts, claim statuses, outlets, extractor versions."""
    with db.open_store(db_url) as store, store.session() as s:
        data = db.stats(s) | {"database": store.display_url, "backend": store.backend}
    if as_json:
        render.print_json(data)
        return
    for key, value in data.items():
        if isinstance(value, dict):
            value = ", ".join(f"{k}: {v}" for k, v in value.items()) or "-"
        elif isinstance(value, list):
            value = ", ".join(f"{k} ({v})" for k, v in value) or "-"
        console.print(f"[bold]{key.replace('_', ' ')}:[/] {safe(value if value is not None else '-')}",
                      soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the store's query and identity commands to ``app``."""
    app.command("quotes")(quotes)
    app.add_typer(speakers_app, name="speakers")
    app.command("speaker")(speaker)
    app.command("show")(show)
    app.command("stats")(stats)
