"""``attribution follow``: poll feeds and sitemaps, and store the articles not seen before.

Thin: parse the options, run :func:`db.feeds.follow.follow_pass` once or every INTERVAL, draw the progress bar
and print one line per failure and a summary per pass. Ctrl-C (or SIGTERM) asks the pass to stop after
the article in hand; a second Ctrl-C stops at once (each article is one transaction either way).
"""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from typing import Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

import db
from attribution.web.urls import is_url, normalise_url

from .common import console, err_console, fail, jsonl_line, safe
from .ingest_cmd import ParseMode
from .options import DbOpt, ModelsOpt
from .web_options import ConcurrencyOption, DelayOption, TimeoutOption, UserAgentOption, web_config

_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)", re.IGNORECASE)
_UNIT = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_interval(text: str) -> float:
    """Seconds in ``30s``, ``15m``, ``1h30m``, ``1d`` or a bare number of seconds; raises BadParameter."""
    compact = text.strip().replace(" ", "")
    pos, total = 0, 0.0
    while pos < len(compact):
        m = _INTERVAL.match(compact, pos)
        if not m:
            break
        total += float(m.group(1)) * _UNIT[m.group(2).lower()]
        pos = m.end()
    if not compact or pos != len(compact):
        raise typer.BadParameter(f"{text!r} is not an interval such as 30s, 15m, 1h or 1h30m", param_hint="--every")
    if total < 1:
        raise typer.BadParameter("must be at least one second", param_hint="--every")
    return total


@contextmanager
def _stop_on_interrupt(stop: threading.Event) -> Iterator[None]:
    """The first Ctrl-C or SIGTERM sets ``stop``; a second Ctrl-C interrupts at once."""
    def handler(signum: int, _frame: Any) -> None:
        if stop.is_set() and signum == signal.SIGINT:
            raise KeyboardInterrupt
        stop.set()
        err_console.print("stopping after the article in hand (Ctrl-C again to stop at once)")

    if threading.current_thread() is not threading.main_thread():  # signals go to the main thread only
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


@contextmanager
def _progress(enabled: bool, feeds: int) -> Iterator[Callable[[Any], None]]:
    """A bar over the whole pass (feeds, then their new items), or a no-op when stderr is no terminal."""
    from db.feeds.follow import FeedResult, ItemResult, Planned

    if not enabled:
        yield lambda _event: None
        return
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        task = progress.add_task("checking feeds", total=feeds)

        def on_event(event: Any) -> None:
            if isinstance(event, Planned):
                progress.update(task, total=feeds + event.items, description="reading articles")
            elif isinstance(event, (FeedResult, ItemResult)):
                progress.advance(task)

        yield on_event


def _failure_lines(event: Any) -> None:
    from db.feeds.follow import FeedResult, ItemResult

    if isinstance(event, FeedResult) and event.status == "failed":
        err_console.print(f"[bold red]failed:[/] feed {safe(event.url)}: {safe(event.error)}", soft_wrap=True)
    elif isinstance(event, ItemResult) and event.status in ("failed", "retry"):
        again = " (tried again next pass)" if event.status == "retry" else ""
        err_console.print(f"[bold red]failed:[/] {safe(event.url)}: {safe(event.message)}{again}", soft_wrap=True)


def _summary(report: Any, number: int, display_url: str, repeating: bool) -> str:
    fetched = sum(1 for f in report.feeds if f.status == "fetched")
    unchanged = sum(1 for f in report.feeds if f.status == "not_modified")
    failed_feeds = sum(1 for f in report.feeds if f.status == "failed")
    failed = f"[bold red]{report.failed} failed[/]" if report.failed else "0 failed"
    head = f"pass {number} at {datetime.now().strftime('%H:%M:%S')}: " if repeating else ""
    stopped = " · [yellow]stopped early[/]" if report.interrupted else ""
    return (f"{head}{len(report.feeds)} feeds ({fetched} fetched, {unchanged} not modified, {failed_feeds} failed) · "
            f"{report.items} items: {report.new} new articles, {report.unchanged} already stored, {failed} · "
            f"{report.quotes} quotes stored · {report.new_speakers} new speakers · into {safe(display_url)}{stopped}")


def _list(db_url: str | None, as_json: bool) -> None:
    from rich.table import Table

    with db.open_store(db_url) as store:
        feeds = db.feed_summaries(store)
    if as_json:
        sys.stdout.write(jsonl_line([asdict(f) for f in feeds]))
        return
    if not feeds:
        console.print("No feeds followed yet: run `attribution follow FEED`.")
        return
    table = Table("feed", "title", "kind", "last checked", "items", "stored", "failed")
    for f in feeds:
        table.add_row(safe(f.url), safe(f.title or ""), f.kind or "", (f.checked_at or "")[:19], str(f.items),
                      str(f.stored), str(f.failed))
    console.print(table)


def follow(
    feeds: list[str] | None = typer.Argument(None, metavar="FEED...",
                                             help="URLs of RSS/Atom feeds or sitemaps (or of a page announcing a "
                                                  "feed). None: every feed followed before."),
    every: str | None = typer.Option(None, "--every", metavar="INTERVAL",
                                     help="Poll again every INTERVAL (30s, 15m, 1h30m) until Ctrl-C; "
                                          "default: one pass."),
    as_json: bool = typer.Option(False, "--json", help="Print a JSON summary of each pass (one line per pass)."),
    list_feeds: bool = typer.Option(False, "--list", help="List the feeds followed, with their item counts, and exit."),
    db_url: DbOpt = None,
    models_dir: ModelsOpt = None,
    parse_mode: ParseMode | None = typer.Option(None, "--parse-mode",
                                                help="selective (default) or full: see `attribution ingest`."),
    timeout: float = TimeoutOption,
    delay: float = DelayOption,
    concurrency: int = ConcurrencyOption,
    user_agent: str | None = UserAgentOption,
) -> None:
    """Poll feeds and sitemaps; fetch, extract and store the articles not seen before.

    The database keeps each feed, its items and its validators (ETag, Last-Modified).

    Exit status 1 when any feed or item failed.
    """
    from attribution.extract import Extractor
    from attribution.web.client import WebClient  # here, not at the top: the other commands never load httpx
    from db.feeds.follow import follow_pass

    if list_feeds:
        _list(db_url, as_json)
        return
    interval = parse_interval(every) if every is not None else None
    for arg in feeds or []:
        if not is_url(arg):
            fail(f"{arg}: not an http(s) URL of a feed or sitemap")
    config = web_config(timeout, delay, concurrency, user_agent)
    mode = parse_mode.value if parse_mode else None
    stop = threading.Event()
    any_failed = False
    with db.open_store(db_url, create=True) as store, WebClient(config) as client, _stop_on_interrupt(stop):
        given = [normalise_url(u) for u in feeds or []]
        if not given and not db.known_feeds(store):
            fail("No feeds followed yet: give the URL of a feed or sitemap.")
        extractor = db.LazyExtractor(lambda: Extractor(models_dir, mode=mode))
        number = 0
        while True:
            number += 1
            started = time.monotonic()
            urls = given or [f.url for f in db.known_feeds(store)]  # read again: another run may add feeds
            with _progress(err_console.is_terminal and not stop.is_set(), len(urls)) as bar:
                def on_event(event: Any, bar: Callable[[Any], None] = bar) -> None:
                    _failure_lines(event)
                    bar(event)

                report = follow_pass(store, urls, client, extractor, stop=stop, on_event=on_event)
            any_failed = any_failed or report.failed > 0
            if as_json:
                record = {"pass": number, "at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                          **report.to_dict(), "database": store.display_url}
                sys.stdout.write(jsonl_line(record))
                sys.stdout.flush()
            else:
                console.print(_summary(report, number, store.display_url, interval is not None), soft_wrap=True)
            if interval is None or stop.is_set():
                break
            if stop.wait(max(0.0, interval - (time.monotonic() - started))):
                break
        client.cancel()  # fetches still queued or waiting for their turn end now
    if any_failed:
        raise typer.Exit(1)


def unfollow(
    feeds: list[str] = typer.Argument(..., metavar="FEED...", help="URLs of feeds or sitemaps followed."),
    as_json: bool = typer.Option(False, "--json", help="Print the feeds removed, with their item counts."),
    db_url: DbOpt = None,
) -> None:
    """Stop following feeds: later passes of `follow` no longer poll them.

    The articles they brought stay in the store, with their quotes, claims and reviews; what `follow`
    recorded of the feeds themselves (items, validators, failures) goes. Nothing is removed when any FEED
    is not followed.
    """
    for arg in feeds:
        if not is_url(arg):
            fail(f"{arg}: not an http(s) URL of a feed or sitemap")
    with db.open_store(db_url) as store:
        removed = db.remove_feeds(store, [normalise_url(u) for u in feeds])
    if as_json:
        sys.stdout.write(jsonl_line([asdict(f) for f in removed]))
        return
    for f in removed:
        console.print(f"No longer following {safe(f.url)}: {f.items} items listed, {f.stored} articles stored "
                      "(the articles stay).", soft_wrap=True)
