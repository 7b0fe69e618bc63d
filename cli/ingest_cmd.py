"""``attribution ingest``: extract from articles and store the results."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import db
from attribution.sources import iter_articles

from .common import DbOption, ModelsOption, console, err_console, safe


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[], None]]:
    """A callback advancing a progress line with articles/s, or a no-op when stderr is not a terminal."""
    if not enabled:
        yield lambda: None
        return
    started = time.perf_counter()
    columns = (SpinnerColumn(), TextColumn("ingesting: {task.completed} articles"),
               TextColumn("{task.fields[rate]:.1f} articles/s"), TimeElapsedColumn())
    # On stderr, like the failure lines: Rich then prints those above the live line, and stdout keeps
    # only the summary.
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("ingest", total=None, rate=0.0)

        def advance() -> None:
            done = progress.tasks[0].completed + 1
            progress.update(task, completed=done, rate=done / max(time.perf_counter() - started, 1e-6))

        yield advance


def _summary(report: db.IngestReport, display_url: str) -> str:
    parts = [f"{report.new} new", f"{report.unchanged} unchanged", f"{report.reextracted} re-extracted",
             f"{report.failed} failed"]
    failed = "[bold red]" if report.failed else ""
    return (f"{report.total} articles: {', '.join(parts[:3])}, {failed}{parts[3]}{'[/]' if failed else ''} · "
            f"{report.quotes} quotes stored · {report.new_speakers} new speakers · into {safe(display_url)}")


def ingest(
    paths: list[str] = typer.Argument(..., metavar="PATH...",
                                      help="Text or HTML files, directories, JSONL article files, or - for stdin."),
    db_url: str | None = DbOption,
    models_dir: str | None = ModelsOption,
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles parsed together."),
) -> None:
    """Extract quotes from articles and store them; already stored texts are skipped without parsing."""
    from attribution.extract import Extractor

    extractor = db.LazyExtractor(lambda: Extractor(models_dir))
    with db.open_store(db_url, create=True) as store, _progress(err_console.is_terminal) as advance:

        def on_outcome(outcome: db.Outcome) -> None:
            advance()
            if outcome.status == "failed":
                err_console.print(f"[bold red]failed:[/] {safe(outcome.where)}: {safe(outcome.message)}",
                                  soft_wrap=True)

        report = db.ingest(store, iter_articles(paths), extractor, batch_size=batch_size, on_outcome=on_outcome)
        display = store.display_url
    console.print(_summary(report, display), soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)
