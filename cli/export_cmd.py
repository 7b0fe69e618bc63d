"""``attribution export``: quotes as CSV or JSONL, reviewed claims as ClaimReview JSON-LD, reviewers' speaker
checks as gold JSONL (``corrections``)."""

from __future__ import annotations

import sys
from enum import Enum
from typing import Annotated

import typer

import db
from db.errors import InvalidArgument
from db.review.claimreview import write_claimreview
from db.review.corrections import write_corrections
from db.review.session import ReviewQueue

from .common import err_console, safe
from .options import (
    AffiliationOpt,
    ArticleOpt,
    DbOpt,
    ExportLimitOpt,
    KindOpt,
    MaxConfidenceOpt,
    MinConfidenceOpt,
    OutletOpt,
    RawSearchOpt,
    RoleOpt,
    SinceOpt,
    SpeakerOpt,
    TextOpt,
    UntilOpt,
    quote_filter,
)


class ExportFormat(str, Enum):
    """Export formats: the store's quotes (CSV, JSONL), ClaimReview JSON-LD, and gold-format corrections."""

    csv = "csv"
    jsonl = "jsonl"
    claimreview = "claimreview"
    corrections = "corrections"


def _export_corrections(output: str | None, f: db.QuoteFilter, db_url: str | None) -> None:
    """Speaker corrections and confirmations as attribution-gold/1 JSONL, to a file or stdout."""
    with db.open_store(db_url) as store, store.session() as s:
        if output is None or output == "-":
            write_corrections(s, sys.stdout, f)
            sys.stdout.flush()
            return
        with db.atomic_output(output) as out:
            articles, quotes = write_corrections(s, out, f)
    err_console.print(f"Exported {quotes} checked attributions (corrected or accepted speakers) from {articles} "
                      f"articles to {safe(output)}", soft_wrap=True)


def export(
    fmt: Annotated[ExportFormat, typer.Argument(
        metavar="csv|jsonl|claimreview|corrections",
        help="Output format; corrections: reviewers' speaker corrections and confirmations as gold JSONL.")],
    output: Annotated[str | None, typer.Option(
        "-o", "--output", metavar="FILE", help="Write here (default: stdout).")] = None,
    raw: Annotated[bool, typer.Option("--raw", help="CSV: keep cells starting with = + - @ as they are.")] = False,
    excel: Annotated[bool, typer.Option(
        "--excel", help="CSV: start with a UTF-8 BOM so Excel reads UTF-8.")] = False,
    publisher: Annotated[str | None, typer.Option(
        "--publisher", metavar="NAME", help="claimreview: the newsroom publishing the reviews.")] = None,
    speaker: SpeakerOpt = None, role: RoleOpt = None, affiliation: AffiliationOpt = None, text: TextOpt = None,
    raw_search: RawSearchOpt = False, kind: KindOpt = None, outlet: OutletOpt = None, since: SinceOpt = None,
    until: UntilOpt = None, article: ArticleOpt = None, min_confidence: MinConfidenceOpt = None,
    max_confidence: MaxConfidenceOpt = None, limit: ExportLimitOpt = None, db_url: DbOpt = None,
) -> None:
    """Export quotes with claims, reviews and evidence (CSV, JSONL), reviewed claims as ClaimReview JSON-LD, or
    reviewers' speaker corrections as attribution-gold/1 JSONL (corrections)."""
    if fmt is ExportFormat.corrections:
        if raw or excel or publisher:
            raise InvalidArgument("--raw, --excel and --publisher are not for corrections (gold JSONL).")
        _export_corrections(output, quote_filter(
            speaker=speaker, role=role, affiliation=affiliation, text=text, raw_search=raw_search, kind=kind,
            outlet=outlet, since=since, until=until, article=article, min_confidence=min_confidence,
            max_confidence=max_confidence, limit=limit), db_url)
        return
    if fmt is ExportFormat.claimreview:
        if raw_search:
            raise InvalidArgument("--raw-search is not available for claimreview; use --text.")
        queue = ReviewQueue(speaker=speaker, role=role, affiliation=affiliation, text=text,
                            kind=kind.value if kind else None, outlet=outlet, since=since, until=until,
                            article=article, min_confidence=min_confidence, max_confidence=max_confidence,
                            status="reviewed")
        with db.open_store(db_url) as store, store.session() as s:
            if output is None or output == "-":
                write_claimreview(s, sys.stdout, queue, publisher=publisher)
                sys.stdout.flush()
                return
            with db.atomic_output(output) as out:
                count = write_claimreview(s, out, queue, publisher=publisher)
        err_console.print(f"Exported {count} claim reviews to {safe(output)}", soft_wrap=True)
        return
    f = quote_filter(speaker=speaker, role=role, affiliation=affiliation, text=text, raw_search=raw_search, kind=kind,
                     outlet=outlet, since=since, until=until, article=article, min_confidence=min_confidence,
                     max_confidence=max_confidence, limit=limit)
    with db.open_store(db_url) as store, store.session() as s:
        if output is None or output == "-":
            if excel:
                sys.stdout.write("\ufeff")
            db.write_export(s, fmt.value, f, sys.stdout, raw=raw)
            sys.stdout.flush()
            return
        with db.atomic_output(output, bom=excel) as out:
            count = db.write_export(s, fmt.value, f, out, raw=raw)
    err_console.print(f"Exported {count} quotes to {safe(output)}", soft_wrap=True)
