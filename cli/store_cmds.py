"""The store's commands: ingest, quotes, speakers (merge/split/unmerge), speaker, show, stats, export.

Thin: parse options, call :mod:`db`, render. Errors users can cause are ``AttributionError`` subclasses,
which the app prints as one line.
"""

from __future__ import annotations

import sys
from enum import Enum

import typer

import db

from . import store_render as render
from .common import DbOption, console, err_console, safe
from .ingest_cmd import ingest

JSON_OPT = typer.Option(False, "--json", help="Print JSON instead of a table.")
SPEAKER_OPT = typer.Option(None, "--speaker", metavar="NAME", help="Speaker name or any alias (case-insensitive).")
ROLE_OPT = typer.Option(None, "--role", metavar="TEXT", help="Role as stated contains TEXT (e.g. spokesperson).")
AFFILIATION_OPT = typer.Option(None, "--affiliation", metavar="TEXT", help="Affiliation as stated contains TEXT.")
TEXT_OPT = typer.Option(None, "--text", metavar="WORDS", help="Full-text search: quotes containing every word.")
RAW_SEARCH_OPT = typer.Option(False, "--raw-search",
                              help="Pass --text to the search engine as is (FTS5 / tsquery syntax).")
KIND_OPT = typer.Option(None, "--kind", help="Quote kind.")
OUTLET_OPT = typer.Option(None, "--outlet", metavar="TEXT", help="Outlet name contains TEXT.")
SINCE_OPT = typer.Option(None, "--since", metavar="DATE", help="Articles published (else ingested) on/after DATE.")
UNTIL_OPT = typer.Option(None, "--until", metavar="DATE", help="Articles published (else ingested) on/before DATE.")
ARTICLE_OPT = typer.Option(None, "--article", metavar="ARTICLE", help="Article id, SHA-256 prefix or URL.")
MIN_CONF_OPT = typer.Option(None, "--min-confidence", metavar="X", min=0.0, max=1.0,
                            help="Only quotes with confidence >= X (0-1).")


class Kind(str, Enum):
    """Quote kinds, as the extractor labels them."""

    direct = "direct"
    partial = "partial"
    mixed = "mixed"
    indirect = "indirect"


class ExportFormat(str, Enum):
    """Export formats."""

    csv = "csv"
    jsonl = "jsonl"


def _filter(speaker, role, affiliation, text, raw_search, kind, outlet, since, until, article, min_confidence,
            limit) -> db.QuoteFilter:
    return db.QuoteFilter(speaker=speaker, role=role, affiliation=affiliation, text=text, raw_search=raw_search,
                          kind=kind.value if kind else None, outlet=outlet, since=since, until=until,
                          article=article, min_confidence=min_confidence, limit=limit)


def quotes(
    speaker: str | None = SPEAKER_OPT, role: str | None = ROLE_OPT, affiliation: str | None = AFFILIATION_OPT,
    text: str | None = TEXT_OPT, raw_search: bool = RAW_SEARCH_OPT, kind: Kind | None = KIND_OPT,
    outlet: str | None = OUTLET_OPT, since: str | None = SINCE_OPT, until: str | None = UNTIL_OPT,
    article: str | None = ARTICLE_OPT, min_confidence: float | None = MIN_CONF_OPT,
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many quotes (newest first)."),
    as_json: bool = JSON_OPT, db_url: str | None = DbOption,
) -> None:
    """List stored quotes with speaker, role and article, filtered by any of the options."""
    f = _filter(speaker, role, affiliation, text, raw_search, kind, outlet, since, until, article, min_confidence,
                limit)
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
    elif found.rows:
        console.print(render.quotes_table(found.rows))
    else:
        console.print("No quotes match.")


speakers_app = typer.Typer(help="List speakers; merge, split and unmerge them.", invoke_without_command=True)


@speakers_app.callback()
def speakers(
    ctx: typer.Context,
    limit: int = typer.Option(50, "--limit", min=1, help="At most this many speakers (most quoted first)."),
    speaker_type: str | None = typer.Option(None, "--type", metavar="TYPE", help="PERSON, ORG or GROUP."),
    as_json: bool = JSON_OPT, db_url: str | None = DbOption,
) -> None:
    """List speakers with quote counts, roles, affiliations, first and last seen."""
    if ctx.invoked_subcommand is not None:
        ctx.obj = {"db": db_url}
        return
    with db.open_store(db_url) as store, store.session() as s:
        rows = db.list_speakers(s, limit=limit, speaker_type=speaker_type.upper() if speaker_type else None)
    if as_json:
        render.print_json([r.to_dict() for r in rows])
    elif rows:
        console.print(render.speakers_table(rows))
    else:
        console.print("No speakers yet: run `attribution ingest`.")


def _db(ctx: typer.Context, db_url: str | None) -> str | None:
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
    target: str = typer.Argument(..., metavar="A", help="The speaker to keep (id or name)."),
    source: str = typer.Argument(..., metavar="B", help="The speaker to merge into A (id or name)."),
    db_url: str | None = DbOption,
) -> None:
    """Merge speaker B into A (same person); recorded in the audit trail, undone by `unmerge B`."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.merge(s, target, source)
    _report(change)


@speakers_app.command("unmerge")
def unmerge(
    ctx: typer.Context,
    speaker: str = typer.Argument(..., metavar="SPEAKER", help="A merged speaker (id or its own name)."),
    db_url: str | None = DbOption,
) -> None:
    """Undo a merge: SPEAKER (and what was merged into it before) becomes its own speaker again."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.unmerge(s, speaker)
    _report(change)


@speakers_app.command("split")
def split(
    ctx: typer.Context,
    speaker: str = typer.Argument(..., metavar="SPEAKER", help="The speaker to split (id or name)."),
    alias: str | None = typer.Option(None, "--alias", metavar="ALIAS",
                                     help="Move what was attributed under this name to a new speaker."),
    article: str | None = typer.Option(None, "--article", metavar="ARTICLE",
                                       help="Move this article's quotes and roles to a new speaker."),
    db_url: str | None = DbOption,
) -> None:
    """Split a speaker who is really two people; undone by `speakers merge SPEAKER NEW`."""
    with db.open_store(_db(ctx, db_url)) as store, store.session(write=True) as s:
        change = db.split(s, speaker, alias=alias, article=article)
    _report(change)


def speaker(
    name: str = typer.Argument(..., metavar="NAME", help="Speaker id, name or alias."),
    limit: int = typer.Option(200, "--limit", min=1, help="At most this many quotes."),
    as_json: bool = JSON_OPT, db_url: str | None = DbOption,
) -> None:
    """Show a speaker's profile: aliases, roles over time, quotes by article."""
    with db.open_store(db_url) as store, store.session() as s:
        profile = db.speaker_profile(s, name, quote_limit=limit)
    if as_json:
        render.print_json(profile.to_dict())
        return
    for part in render.profile_renderables(profile):
        console.print(part)


def show(
    article: str = typer.Argument(..., metavar="ARTICLE", help="Article id, SHA-256 prefix or URL."),
    as_json: bool = JSON_OPT, db_url: str | None = DbOption,
) -> None:
    """Print an article with its quotes highlighted and labelled with speaker and role."""
    with db.open_store(db_url) as store, store.session() as s:
        view = db.article_view(s, article)
    if as_json:
        render.print_json(view.to_dict())
        return
    a = view.article
    console.print(f"[bold]{safe(a.title or a.url or a.source_id or a.sha256[:12])}[/]", soft_wrap=True)
    meta = " · ".join(safe(x) for x in (f"#{a.id}", a.outlet, render.day(a.published), a.url, a.sha256[:12]) if x)
    console.print(f"[dim]{meta} · {len(view.quotes)} quotes[/]\n", soft_wrap=True)
    console.print(render.article_text(view), soft_wrap=True)


def stats(as_json: bool = JSON_OPT, db_url: str | None = DbOption) -> None:
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


def export(
    fmt: ExportFormat = typer.Argument(..., metavar="csv|jsonl", help="Output format."),
    output: str | None = typer.Option(None, "-o", "--output", metavar="FILE", help="Write here (default: stdout)."),
    raw: bool = typer.Option(False, "--raw", help="CSV: keep cells starting with = + - @ as they are."),
    excel: bool = typer.Option(False, "--excel", help="CSV: start with a UTF-8 BOM so Excel reads UTF-8."),
    speaker: str | None = SPEAKER_OPT, role: str | None = ROLE_OPT, affiliation: str | None = AFFILIATION_OPT,
    text: str | None = TEXT_OPT, raw_search: bool = RAW_SEARCH_OPT, kind: Kind | None = KIND_OPT,
    outlet: str | None = OUTLET_OPT, since: str | None = SINCE_OPT, until: str | None = UNTIL_OPT,
    article: str | None = ARTICLE_OPT, min_confidence: float | None = MIN_CONF_OPT,
    limit: int | None = typer.Option(None, "--limit", min=1, help="At most this many quotes."),
    db_url: str | None = DbOption,
) -> None:
    """Export quotes with claims, reviews and evidence as CSV (one row per claim) or JSONL (one per quote)."""
    f = _filter(speaker, role, affiliation, text, raw_search, kind, outlet, since, until, article, min_confidence,
                limit)
    with db.open_store(db_url) as store, store.session() as s:
        if output is None or output == "-":
            if excel:
                sys.stdout.write("\ufeff")
            count = db.write_export(s, fmt.value, f, sys.stdout, raw=raw)
            sys.stdout.flush()
            return
        with db.atomic_output(output, bom=excel) as out:
            count = db.write_export(s, fmt.value, f, out, raw=raw)
    err_console.print(f"Exported {count} quotes to {safe(output)}", soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add the store's commands to ``app``."""
    app.command("ingest")(ingest)
    app.command("quotes")(quotes)
    app.add_typer(speakers_app, name="speakers")
    app.command("speaker")(speaker)
    app.command("show")(show)
    app.command("stats")(stats)
    from . import review_cmd  # imported late: it builds on this module's options

    review_cmd.register(app)  # review, history, scales, and `export` (this one's formats plus claimreview)
