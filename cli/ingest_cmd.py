"""``attribution ingest``: extract from articles and store the results."""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import db
from attribution.scale.pool import peak_rss_mb
from attribution.web.sources import iter_inputs

from .common import console, err_console, fail, jsonl_line, safe
from .options import DbOpt, ModelsOpt
from .web_options import ConcurrencyOption, DelayOption, TimeoutOption, UserAgentOption, lazy_client, web_config


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
    rescored = f" · {report.rescored} stored claims re-scored by the new claim model" if report.rescored else ""
    return (f"{report.total} articles: {', '.join(parts[:3])}, {failed}{parts[3]}{'[/]' if failed else ''} · "
            f"{report.quotes} quotes stored · {report.new_speakers} new speakers{rescored} · "
            f"into {safe(display_url)}")


class Engine(str, Enum):
    """Where extraction runs."""

    local = "local"
    ray = "ray"


class ParseMode(str, Enum):
    """How much of each article Stanza parses (see attribution.parsing.pipeline)."""

    selective = "selective"
    full = "full"


def _runner(engine: Engine, workers: int, models_dir: str | None, mode: str | None, store: db.Store,
            ray_address: str | None, batch_size: int) -> tuple[Any, Callable[[], None]]:
    """The extractor for the chosen engine, and how to shut it down."""
    if engine is Engine.ray:
        from db.write.ray_writer import RayIngestEngine

        # The actors open the database themselves: they need the URL with its password.
        url = store.url.render_as_string(hide_password=False)
        ray_engine = RayIngestEngine(url, models_dir, address=ray_address, actors=workers if workers > 1 else None,
                               mode=mode, batch_size=batch_size)
        return ray_engine, ray_engine.close
    if workers > 1:
        from attribution.scale.pool import ParallelExtractor

        pool = ParallelExtractor(models_dir, workers, batch_size=batch_size, mode=mode)
        # Now, before any article is read: the workers load their pipelines while this process opens the
        # database and checks the input against it.
        pool.start()
        return pool, pool.close

    from attribution.extract import Extractor

    return db.LazyExtractor(lambda: Extractor(models_dir, batch_size=batch_size, mode=mode)), lambda: None


def _report_dict(report: db.IngestReport, display_url: str) -> dict[str, Any]:
    return {"articles": report.total, "new": report.new, "unchanged": report.unchanged,
            "reextracted": report.reextracted, "failed": report.failed, "quotes": report.quotes,
            "new_speakers": report.new_speakers, "failures": [{"where": w, "error": m} for w, m in report.failures],
            "rescored_claims": report.rescored, "database": display_url}


#: A file to write the run's figures to, as JSON (benchmarks/bench_ingest.py reads it): per worker its
#: start-up, seconds per stage and peak memory; the parent's seconds writing to the database.
ENV_STATS = "ATTRIBUTION_INGEST_STATS"


def _write_stats(extractor: Any, report: db.IngestReport) -> None:
    path = os.environ.get(ENV_STATS)
    if not path:
        return
    stats = {"workers": list(getattr(extractor, "stats", {}).values()), "store_seconds": report.store_seconds,
             "articles": report.total, "peak_rss_mb": peak_rss_mb()}
    Path(path).write_text(json.dumps(stats), encoding="utf-8")


def ingest(
    paths: list[str] = typer.Argument(..., metavar="PATH|URL...",
                                      help="Text or HTML files, directories, JSONL article files, - for stdin, "
                                           "or http(s) URLs of articles, RSS/Atom feeds and sitemaps."),
    db_url: DbOpt = None,
    models_dir: ModelsOpt = None,
    batch_size: int = typer.Option(16, "--batch-size", min=1, help="Articles parsed together."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="Worker processes, each with its own Stanza pipeline (local engine); "
                                     "actors with --engine ray (default: one per cluster CPU)."),
    engine: Engine = typer.Option(Engine.local, "--engine", help="local: this machine; ray: Ray actors."),
    ray_address: str | None = typer.Option(None, "--ray-address", metavar="ADDR",
                                           help="Ray cluster to join (e.g. auto, ray://head:10001); "
                                                "default: start a local Ray instance."),
    parse_mode: ParseMode | None = typer.Option(None, "--parse-mode",
                                                help="selective: dependency parse and NER only where attribution "
                                                     "can happen (default, or $ATTRIBUTION_PARSE_MODE); full: "
                                                     "everywhere."),
    timeout: float = TimeoutOption,
    delay: float = DelayOption,
    concurrency: int = ConcurrencyOption,
    user_agent: str | None = UserAgentOption,
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Extract quotes from articles and store them; already stored texts are skipped without parsing.

    A URL of a feed or sitemap brings every article it lists; one article reached by two URLs is stored once.
    """
    if engine is Engine.local and ray_address:
        fail("--ray-address needs --engine ray")
    mode = parse_mode.value if parse_mode else None
    config = web_config(timeout, delay, concurrency, user_agent)
    with db.open_store(db_url, create=True) as store, lazy_client(config) as client, \
            _progress(err_console.is_terminal) as advance:
        extractor, close = _runner(engine, workers, models_dir, mode, store, ray_address, batch_size)

        def on_outcome(outcome: db.Outcome) -> None:
            advance()
            if outcome.status == "failed":
                err_console.print(f"[bold red]failed:[/] {safe(outcome.where)}: {safe(outcome.message)}",
                                  soft_wrap=True)

        try:
            items = db.record_fetch_failures(store, iter_inputs(paths, client))
            report = db.ingest(store, items, extractor, batch_size=batch_size, on_outcome=on_outcome)
            _write_stats(extractor, report)
        finally:
            close()
        display = store.display_url
    if as_json:
        sys.stdout.write(jsonl_line(_report_dict(report, display)))
    else:
        console.print(_summary(report, display), soft_wrap=True)
    if report.failed:
        raise typer.Exit(1)
