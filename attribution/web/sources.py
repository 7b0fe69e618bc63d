"""Reading articles from URLs, as :mod:`attribution.reading.sources` reads them from files.

A URL serves an article (an HTML page), or a list of them (an RSS or Atom feed, a sitemap or sitemap
index), or something that is neither (a PDF, an image: a failure). :func:`iter_inputs` takes paths and
URLs mixed in any order and yields an :class:`~attribution.types.Article` or a
:class:`~attribution.reading.sources.SourceError` per item, in the order given, as :func:`iter_articles` does;
URL failures are :class:`~attribution.reading.sources.WebSourceError`, which also say what kind of failure it was.

Pages are fetched by a small pool of threads ahead of the consumer (:func:`prefetch`), so the next
articles download while the current one is parsed; the client's own limits (requests in flight, one
request at a time per site, the delay) still hold.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from ..errors import FetchError, NotAFeed, NotHTML
from ..reading.sources import SourceError, WebSourceError, iter_articles
from ..types import Article
from .feeds import ListedItem, Listing, discover_feeds, gunzip, parse_listing
from .pages import article_from_html
from .urls import is_url, normalise_url

if TYPE_CHECKING:  # the client (and httpx) load when a URL first comes up, not with this module
    from .client import Page, WebClient

T = TypeVar("T")
R = TypeVar("R")

_HTML_TYPES = ("text/html", "application/xhtml+xml")
#: How deep sitemap indexes may nest (an index of indexes of sitemaps).
MAX_SITEMAP_DEPTH = 2


def _is_html(page: Page) -> bool:
    if page.content_type in _HTML_TYPES:
        return True
    if page.content_type in ("", "text/plain", "application/octet-stream"):  # servers that do not say
        head = page.body[:1024].lstrip().lower()
        return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head
    return False


def classify(page: Page, cap: int) -> Article | Listing:
    """A fetched page as an article or a listing; raises :class:`NotHTML` for anything else."""
    listing = parse_listing(gunzip(page.body, cap), page.final_url)
    if listing is not None:
        return listing
    if _is_html(page):
        return article_from_html(page.body, page.final_url, page.charset, where=page.url)
    raise NotHTML(page.url, f"not an HTML page, a feed or a sitemap ({page.content_type or 'no Content-Type'})")


def fetch_article(client: WebClient, url: str) -> Article:
    """The article at ``url``; raises :class:`FetchError` (a feed where an article was expected included)."""
    found = classify(client.fetch(url), client.max_bytes)
    if isinstance(found, Listing):
        raise NotHTML(url, f"an {found.kind.upper()} listing, not an article page")
    return found


def prefetch(items: Iterable[T], work: Callable[[T], R], workers: int,
             stop: threading.Event | None = None) -> Iterator[tuple[T, R | Exception]]:
    """``work(item)`` in ``workers`` threads, a few items ahead; ``(item, result or exception)`` in input order.

    Once ``stop`` is set, the item in hand (the oldest one started) is still finished and yielded, and
    nothing after it; an abandoned or exhausted generator cancels the work that has not started.
    """
    window = max(1, workers) * 2
    source = iter(items)
    pending: deque[tuple[T, Future[R]]] = deque()
    pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="fetch")
    exhausted = False
    try:
        while not (stop is not None and stop.is_set()):
            while not exhausted and len(pending) < window:
                try:
                    item = next(source)
                except StopIteration:
                    exhausted = True
                    break
                pending.append((item, pool.submit(work, item)))
            if not pending:
                return
            item, future = pending.popleft()
            try:
                result: R | Exception = future.result()
            except Exception as exc:  # one bad page must not stop the run: it is that item's failure
                result = exc
            yield item, result
    finally:
        for _, future in pending:
            future.cancel()
        pool.shutdown(wait=False, cancel_futures=True)


@dataclass
class FeedRead:
    """A feed or sitemap as ``follow`` reads it: not modified, or its items; where to ask next time."""

    page: Page
    fetch_url: str
    listing: Listing | None = None
    errors: list[WebSourceError] = field(default_factory=list)

    @property
    def not_modified(self) -> bool:
        """The server answered 304 to the validators sent."""
        return self.page.not_modified


def read_feed(client: WebClient, url: str, etag: str | None = None, last_modified: str | None = None) -> FeedRead:
    """Fetch a feed or sitemap conditionally; an HTML page is searched for the feed it announces.

    A sitemap index is read through: its sitemaps are fetched and their URLs listed together (a sitemap
    that fails is in ``errors``, the others still count). Raises :class:`FetchError` when the URL
    cannot be read, :class:`NotAFeed` when it lists no articles.
    """
    page = client.fetch(url, etag=etag, last_modified=last_modified)
    if page.not_modified:
        return FeedRead(page, page.permanent_url)
    body = gunzip(page.body, client.max_bytes)
    listing = parse_listing(body, page.final_url)
    fetch_url = page.permanent_url
    if listing is None and _is_html(page):
        announced = discover_feeds(page.body, page.final_url)
        if announced:
            page = client.fetch(announced[0])
            listing = parse_listing(gunzip(page.body, client.max_bytes), page.final_url)
            fetch_url = page.permanent_url
    if listing is None:
        raise NotAFeed(url, "neither a feed nor a sitemap, and no page announcing one "
                            f"({page.content_type or 'no Content-Type'})")
    read = FeedRead(page, fetch_url, listing)
    if listing.kind == "sitemapindex":
        read.listing = Listing("sitemap", listing.title)
        seen: set[str] = set()
        for item in _through_index(client, listing, 1, read.errors):
            read.listing.add(item, seen)
    return read


def _through_index(client: WebClient, index: Listing, depth: int, errors: list[WebSourceError]
                   ) -> Iterator[ListedItem]:
    for entry in index.items:
        try:
            page = client.fetch(entry.url)
            child = parse_listing(gunzip(page.body, client.max_bytes), page.final_url)
            if child is None:
                raise NotAFeed(entry.url, "listed in a sitemap index, but not a sitemap")
        except FetchError as exc:
            errors.append(WebSourceError.of(exc, entry.url))
            continue
        if child.kind == "sitemapindex":
            if depth < MAX_SITEMAP_DEPTH:
                yield from _through_index(client, child, depth + 1, errors)
            continue
        yield from child.items


def _read_any(client: WebClient, url: str) -> Article | list[ListedItem | WebSourceError]:
    """An article URL's article, or the items a feed or sitemap URL lists (sitemap indexes read through)."""
    found = classify(client.fetch(url), client.max_bytes)
    if isinstance(found, Article):
        return found
    if found.kind != "sitemapindex":
        return list(found.items)
    errors: list[WebSourceError] = []
    items: list[ListedItem | WebSourceError] = []
    items.extend(_through_index(client, found, 1, errors))
    items.extend(errors)
    return items


def iter_url_articles(urls: Iterable[str], client: WebClient,
                      stop: threading.Event | None = None) -> Iterator[Article | SourceError]:
    """Each URL's article, or every article its feed or sitemap lists; a failure per item that cannot be read."""
    workers = client.config.concurrency
    for url, found in prefetch(urls, lambda u: _read_any(client, u), workers, stop):
        if isinstance(found, Exception):
            yield WebSourceError.of(found, url)
        elif isinstance(found, Article):
            yield found
        else:
            errors = [e for e in found if isinstance(e, WebSourceError)]
            listed = [i.url for i in found if isinstance(i, ListedItem)]
            yield from errors
            for item_url, article in prefetch(listed, lambda u: fetch_article(client, u), workers, stop):
                yield WebSourceError.of(article, item_url) if isinstance(article, Exception) else article


def iter_inputs(args: Iterable[str], client: WebClient | Callable[[], WebClient],
                stop: threading.Event | None = None) -> Iterator[Article | SourceError]:
    """Articles from paths and URLs mixed freely, in the order given (runs of URLs are fetched together).

    ``client`` may be a factory, called only when a URL comes up, so a run of files never opens one.
    """
    run: list[str] = []
    opened: list[WebClient] = []

    def urls() -> Iterator[Article | SourceError]:
        from .client import WebClient

        if not opened:
            opened.append(client if isinstance(client, WebClient) else client())
        batch = [normalise_url(u) for u in run]
        run.clear()
        yield from iter_url_articles(batch, opened[0], stop)

    for arg in args:
        if is_url(arg):
            run.append(arg)
            continue
        if run:
            yield from urls()
        yield from iter_articles([arg])
    if run:
        yield from urls()
