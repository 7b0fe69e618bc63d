"""``attribution extract``: quotes of articles, no database."""

from __future__ import annotations

import sys

import typer
from rich.table import Table

from attribution.extract import Extractor
from attribution.sources import SourceError, iter_articles
from attribution.types import Article, ExtractionResult

from .common import console, err_console, jsonl_line, safe
from .options import ModelsOpt


def _article_stream(paths: list[str], failures: list[SourceError]):
    for item in iter_articles(paths):
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
    paths: list[str] = typer.Argument(..., metavar="PATH...",
                                      help="Text or HTML files, directories, JSONL article files, or - for stdin."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON line per document (the prediction format)."),
    models_dir: ModelsOpt = None,
) -> None:
    """Print the quotes found in articles, with speaker, role and cue."""
    failures: list[SourceError] = []
    extractor = Extractor(models_dir)
    count = 0
    for result in extractor.extract_many(_article_stream(paths, failures)):
        count += 1
        if jsonl:
            sys.stdout.write(jsonl_line(result.to_prediction()))
        elif result.quotes:
            console.print(_table(result))
        else:
            console.print(f"{safe(result.article.source_path or result.article.id)}: no quotes found")
    if failures:
        raise typer.Exit(1)
    if count == 0:
        raise typer.Exit(1)
