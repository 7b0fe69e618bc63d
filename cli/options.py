"""The options commands share, in Typer's ``Annotated`` style, in one place.

``quotes``, ``export`` and ``review`` take the same quote filters; every store command takes ``--db``.
A command declares ``speaker: SpeakerOpt = None`` and hands the values to :func:`quote_filter`, so a
filter's name, help and parsing are written once. Command modules import this one and never each other.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

import db


class Kind(str, Enum):
    """Quote kinds, as the extractor labels them."""

    direct = "direct"
    partial = "partial"
    mixed = "mixed"
    indirect = "indirect"


SpeakerOpt = Annotated[str | None, typer.Option(
    "--speaker", metavar="NAME",
    help="Speakers with a name or alias containing these words: a surname, a first name, an acronym "
         "(case, accents and punctuation ignored); #ID for one speaker.")]
RoleOpt = Annotated[str | None, typer.Option(
    "--role", metavar="WORDS", help="Role as stated contains these words (e.g. spokesman).")]
AffiliationOpt = Annotated[str | None, typer.Option(
    "--affiliation", metavar="WORDS", help="Affiliation as stated contains these words (e.g. Taliban).")]
TextOpt = Annotated[str | None, typer.Option(
    "--text", metavar="WORDS", help="Full-text search: quotes containing every word.")]
RawSearchOpt = Annotated[bool, typer.Option(
    "--raw-search", help="Pass --text to the search engine as is (FTS5 / tsquery syntax).")]
KindOpt = Annotated[Kind | None, typer.Option("--kind", help="Quote kind.")]
OutletOpt = Annotated[str | None, typer.Option("--outlet", metavar="TEXT", help="Outlet name contains TEXT.")]
SinceOpt = Annotated[str | None, typer.Option(
    "--since", metavar="DATE", help="Articles published (else ingested) on/after DATE.")]
UntilOpt = Annotated[str | None, typer.Option(
    "--until", metavar="DATE", help="Articles published (else ingested) on/before DATE.")]
ArticleOpt = Annotated[str | None, typer.Option(
    "--article", metavar="ARTICLE", help="Article id, SHA-256 prefix or URL.")]
MinConfidenceOpt = Annotated[float | None, typer.Option(
    "--min-confidence", metavar="X", min=0.0, max=1.0, help="Only quotes with confidence >= X (0-1).")]
MaxConfidenceOpt = Annotated[float | None, typer.Option(
    "--max-confidence", metavar="Y", min=0.0, max=1.0,
    help="Only quotes with confidence <= Y (0-1): the attributions to check first.")]
MinWorthinessOpt = Annotated[float | None, typer.Option(
    "--min-worthiness", metavar="X", min=0.0, max=1.0,
    help="Only quotes with a claim of check-worthiness >= X (0-1).")]
QuoteLimitOpt = Annotated[int, typer.Option("--limit", min=1, help="At most this many quotes (newest first).")]
ExportLimitOpt = Annotated[int | None, typer.Option("--limit", min=1, help="At most this many quotes.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
WideOpt = Annotated[bool, typer.Option(
    "--wide", help="Show every column, however wide the table gets (by default columns that do not fit the "
                   "terminal are left out, least useful first).")]
DbOpt = Annotated[str | None, typer.Option(
    "--db", metavar="URL", envvar="ATTRIBUTION_DB",
    help="Database URL or SQLite file path (default: an SQLite file in the user's data directory).")]
# No envvar here: attribution.parsing.models.resolve_models_dir reads ATTRIBUTION_MODELS itself, and only then can
# `models info` tell a directory given by the option from one that came from the environment.
ModelsOpt = Annotated[str | None, typer.Option(
    "--models", metavar="DIR",
    help="Stanza resources directory (default: $ATTRIBUTION_MODELS, else the one `attribution models "
         "install/download` filled).")]


def quote_filter(*, speaker: str | None = None, role: str | None = None, affiliation: str | None = None,
                 text: str | None = None, raw_search: bool = False, kind: Kind | None = None,
                 outlet: str | None = None, since: str | None = None, until: str | None = None,
                 article: str | None = None, min_confidence: float | None = None,
                 max_confidence: float | None = None, limit: int | None = None,
                 min_worthiness: float | None = None) -> db.QuoteFilter:
    """The store's filter for the shared options' values."""
    return db.QuoteFilter(speaker=speaker, role=role, affiliation=affiliation, text=text, raw_search=raw_search,
                          kind=kind.value if kind else None, outlet=outlet, since=since, until=until,
                          article=article, min_confidence=min_confidence, max_confidence=max_confidence,
                          limit=limit, min_worthiness=min_worthiness)
