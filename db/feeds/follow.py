"""One pass of ``follow``: check each feed, then read and store the items not seen before.

A pass first asks every feed for its listing, conditionally (ETag / Last-Modified), and records the new
items as ``pending``; then it reads the pending items (and transient failures with attempts left) one
article at a time, ahead-fetched by the web client's pool, and stores each with :func:`db.ingest`.
Each item ends ``stored`` (with its article: new, or one already stored under the same text or
canonical URL), ``failed`` or ``retry``. An item whose URL is already an article's is stored without a
request.

``stop`` (set by Ctrl-C in the CLI) is looked at between feeds and between articles: the article in
hand is finished and stored, and whatever was not reached stays ``pending`` for the next pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from attribution.errors import FetchError
from attribution.reading.sources import WebSourceError
from attribution.web.client import WebClient
from attribution.web.sources import fetch_article, prefetch, read_feed

from ..store.store import Store
from ..write.claim_scores import rescore_claims
from ..write.ingest import ExtractMany, IngestReport, Outcome, ingest
from . import state

FeedStatus = Literal["fetched", "not_modified", "failed"]


@dataclass
class FeedResult:
    """What one feed answered in this pass."""

    url: str
    status: FeedStatus
    listed: int = 0
    new_items: int = 0
    error: str | None = None


@dataclass(frozen=True)
class ItemResult:
    """What became of one item: ``new``, ``unchanged`` (already stored), ``failed`` or ``retry``."""

    url: str
    status: str
    message: str | None = None


@dataclass(frozen=True)
class Planned:
    """The feeds are checked; this many items are to be read."""

    items: int


Event = FeedResult | ItemResult | Planned


@dataclass
class FollowReport:
    """Totals of one pass."""

    feeds: list[FeedResult] = field(default_factory=list)
    #: Items read, or found stored already, in this pass.
    items: int = 0
    new: int = 0
    unchanged: int = 0
    failed: int = 0
    quotes: int = 0
    new_speakers: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    interrupted: bool = False

    def fail(self, where: str, message: str) -> None:
        """Count one failure."""
        self.failed += 1
        self.failures.append((where, message))

    def to_dict(self) -> dict[str, Any]:
        """The ``--json`` summary."""
        return {
            "feeds": [asdict(f) for f in self.feeds],
            "items": self.items, "new": self.new, "unchanged": self.unchanged, "failed": self.failed,
            "quotes": self.quotes, "new_speakers": self.new_speakers,
            "failures": [{"url": u, "error": m} for u, m in self.failures],
            "interrupted": self.interrupted,
        }


def follow_pass(store: Store, feed_urls: list[str], client: WebClient, extractor: ExtractMany, *,
                version: str | None = None, stop: threading.Event | None = None,
                on_event: Callable[[Event], None] | None = None) -> FollowReport:
    """Poll ``feed_urls`` (normalised; recorded as followed if new) once; see the module docstring."""
    rescore_claims(store)  # once a pass: each article's ingest below is told not to
    report = FollowReport()
    emit_event = on_event or (lambda _event: None)

    def emit(event: Event) -> None:
        if isinstance(event, ItemResult):
            report.items += 1
        emit_event(event)

    stopped = stop.is_set if stop is not None else (lambda: False)
    feeds = [state.add_feed(store, url) for url in dict.fromkeys(feed_urls)]  # a feed named twice is read once
    for feed in feeds:
        if stopped():
            report.interrupted = True
            return report
        result = _check(store, client, feed, report)
        report.feeds.append(result)
        emit(result)

    work: list[tuple[state.FeedState, state.ItemToRead]] = []
    known: list[tuple[state.ItemToRead, int]] = []
    for feed in feeds:
        for item in state.items_to_read(store, feed.id):
            article_id = state.article_with_url(store, item.url)
            if article_id is not None:
                known.append((item, article_id))
            else:
                work.append((feed, item))
    emit(Planned(len(work) + len(known)))
    for item, article_id in known:
        state.item_stored(store, item.id, article_id)
        report.unchanged += 1
        emit(ItemResult(item.url, "unchanged"))

    for (feed, item), found in prefetch(work, lambda w: fetch_article(client, w[1].url), client.config.concurrency,
                                        stop):
        if isinstance(found, Exception):
            failure = WebSourceError.of(found, item.url)
            status = state.item_failed(store, item, failure, feed.id)
            report.fail(item.url, failure.message)
            emit(ItemResult(item.url, status, failure.message))
            continue
        outcome = _store(store, found, extractor, version)
        if outcome.status == "failed":
            failure = WebSourceError(item.url, outcome.message or "failed", "extract")
            status = state.item_failed(store, item, failure, feed.id)
            report.fail(item.url, failure.message)
            emit(ItemResult(item.url, status, failure.message))
            continue
        state.item_stored(store, item.id, outcome.article_id)
        if outcome.status == "unchanged":
            report.unchanged += 1
        else:
            report.new += 1
        report.quotes += outcome.quotes
        report.new_speakers += outcome.new_speakers
        emit(ItemResult(item.url, "new" if outcome.status != "unchanged" else "unchanged"))
    report.interrupted = stopped()
    return report


def _check(store: Store, client: WebClient, feed: state.FeedState, report: FollowReport) -> FeedResult:
    """Ask one feed for its listing and record what it answered."""
    try:
        read = read_feed(client, feed.fetch_url, feed.etag, feed.last_modified)
    except FetchError as exc:
        failure = WebSourceError.of(exc, feed.url)
        state.record_feed_error(store, feed.id, failure)
        report.fail(feed.url, failure.message)
        return FeedResult(feed.url, "failed", error=failure.message)
    if read.not_modified or read.listing is None:
        state.record_not_modified(store, feed.id)
        return FeedResult(feed.url, "not_modified")
    listing = read.listing
    new = state.record_listing(store, feed.id, fetch_url=read.fetch_url, kind=listing.kind, title=listing.title,
                               etag=read.page.etag, last_modified=read.page.last_modified, status=read.page.status,
                               items=listing.items)
    for failure in read.errors:  # sitemaps of an index that could not be read
        state.record_failure(store, failure, feed.id)
        report.fail(failure.where, failure.message)
    return FeedResult(feed.url, "fetched", listed=len(listing.items), new_items=new)


def _store(store: Store, article: Any, extractor: ExtractMany, version: str | None) -> Outcome:
    """Extract and store one article; its outcome."""
    outcomes: list[Outcome] = []
    report: IngestReport = ingest(store, [article], extractor, version=version, batch_size=1,
                                  on_outcome=outcomes.append, rescore=False)
    assert report.total == 1 and len(outcomes) == 1
    return outcomes[0]
