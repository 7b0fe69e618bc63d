"""``attribution extract``: quotes of articles, no database."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator

import typer
from rich.table import Table

from attribution.extract import Extractor
from attribution.reading.sources import SourceError
from attribution.types import Article, ExtractionResult
from attribution.web.sources import iter_inputs

from .common import console, err_console, jsonl_line, safe
from .options import ModelsOpt
from .web_options import ConcurrencyOption, DelayOption, TimeoutOption, UserAgentOption, lazy_client, web_config


def _article_stream(items: Iterable[Article | SourceError], failures: list[SourceError]) -> Iterator[Article]:
    for item in items:
        if isinstance(item, SourceError):
            failures.append(item)
            err_console.print(f"[bold red]error:[/] {safe(item)}", soft_wrap=True)
        else:
            yield item


def _table(result: ExtractionResult) -> Table:
    a: Article = result.article
    table = Table(title=safe(a.title or a.source_path or a.id), show_lines=True, title_justify="left")
    table.add_column("speaker", style="bold", max_width=24)
    table.add_column("role", max_width=26)
    table.add_column("cue", max_width=12)
    table.add_column("kind", max_width=8)
    table.add_column("quote", ratio=1)
    table.add_column("conf", justify="right")
    for q in result.quotes:
        role = ", ".join(x for x in (q.role, q.affiliation) if x)
        speaker = safe(q.speaker) if q.speaker else "[dim]unknown[/]"
        table.add_row(speaker, safe(role), safe(q.cue or ""), q.kind, safe(q.content), f"{q.confidence:.2f}")
    return table


def extract(
    paths: list[str] = typer.Argument(..., metavar="PATH|URL...",
                                      help="Text or HTML files, directories, JSONL article files, - for stdin, "
                                           "or http(s) URLs of articles, RSS/Atom feeds and sitemaps."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON line per document (the prediction format)."),
    models_dir: ModelsOpt = None,
    timeout: float = TimeoutOption,
    delay: float = DelayOption,
    concurrency: int = ConcurrencyOption,
    user_agent: str | None = UserAgentOption,
) -> None:
    """Print the quotes found in articles, with speaker, role and cue; nothing is stored.

    URLs are read as `attribution ingest` reads them: an article page for its text, a feed or sitemap for
    every article it lists. Exit status 1 when any input could not be read.
    """
    failures: list[SourceError] = []
    with lazy_client(web_config(timeout, delay, concurrency, user_agent)) as client:
        count = _print_results(Extractor(models_dir), _article_stream(iter_inputs(paths, client), failures), jsonl)
    if failures or count == 0:
        raise typer.Exit(1)


def _print_results(extractor: Extractor, articles: Iterator[Article], jsonl: bool) -> int:
    """Print each article's quotes as it is extracted; returns how many articles there were."""
    count = 0
    for result in extractor.extract_many(articles):
        count += 1
        if jsonl:
            sys.stdout.write(jsonl_line(result.to_prediction()))
        elif result.quotes:
            console.print(_table(result))
        else:
            name = result.article.source_path or result.article.url or result.article.id
            console.print(f"{safe(name)}: no quotes found")
    return count
