"""Reading articles from URLs (no database, no parser): articles, feeds, sitemaps, failures, order, stopping."""

from __future__ import annotations

import threading
import time

import pytest

from attribution.errors import NotAFeed
from attribution.reading.sources import SourceError, WebSourceError
from attribution.types import Article
from attribution.web.client import WebClient
from attribution.web.sources import fetch_article, iter_inputs, prefetch, read_feed


def read(site, config, *args: str) -> list[Article | SourceError]:
    with WebClient(config) as client:
        return list(iter_inputs(list(args), client))


def test_an_article_url_gives_its_text_and_metadata(news_site, web_config):
    (a,) = read(news_site, web_config, news_site.url("/news/bridge-vote?utm_source=newsletter"))
    assert isinstance(a, Article)
    assert a.url == news_site.url("/news/bridge-vote")
    assert a.title == "Council backs footbridge over the Mill River"
    assert a.outlet == "Millbrook Gazette" and a.author == "Rosa Lindqvist" and a.published == "2025-04-08"
    assert "Helen Okafor" in a.text and "All rights reserved" not in a.text


def test_a_feed_gives_every_article_and_one_failure_per_bad_item(news_site, web_config):
    items = read(news_site, web_config, news_site.url("/feed.xml"))
    articles = [i for i in items if isinstance(i, Article)]
    failures = {i.where: i for i in items if isinstance(i, WebSourceError)}
    # The redirect is read at its final (canonical) URL; the library page comes twice (tracking link, AMP copy).
    assert [a.url for a in articles] == [news_site.url(p) for p in (
        "/news/bridge-vote", "/news/ferry-returns", "/news/library-hours", "/news/library-hours")]
    assert articles[2].text == articles[3].text
    assert failures[news_site.url("/news/missing")].kind == "http"
    assert failures[news_site.url("/news/missing")].status == 404
    assert failures[news_site.url("/files/budget.pdf")].kind == "not_html"
    assert "application/pdf" in failures[news_site.url("/files/budget.pdf")].message
    assert len(items) == 6  # the item listed twice is read once


def test_atom_sitemaps_and_sitemap_indexes(news_site, web_config):
    atom = read(news_site, web_config, news_site.url("/atom.xml"))
    assert [a.url for a in atom] == [news_site.url("/news/harbour-clinic"), news_site.url("/news/bridge-vote")]
    for listing in ("/sitemap.xml", "/sitemap-index.xml"):
        found = read(news_site, web_config, news_site.url(listing))
        assert [a.url for a in found] == [news_site.url("/news/harbour-clinic"), news_site.url("/news/library-hours")]


def test_paths_and_urls_mixed_in_the_order_given(news_site, web_config, tmp_path):
    note = tmp_path / "note.txt"
    note.write_text("\u201cWe will reopen the pier in May,\u201d said Dana Whitlock, the harbour master.\n")
    items = read(news_site, web_config, news_site.url("/news/ferry-returns"), str(note),
                 news_site.url("/private/memo"), str(tmp_path / "missing.txt"))
    assert [type(i).__name__ for i in items] == ["Article", "Article", "WebSourceError", "SourceError"]
    assert items[1].source_path == str(note)
    assert items[2].kind == "robots" and "/private/memo" not in news_site.paths()


def test_files_alone_never_open_a_client(tmp_path):
    note = tmp_path / "n.txt"
    note.write_text("Some text.\n")

    def factory() -> WebClient:
        raise AssertionError("no URL was given")

    assert len(list(iter_inputs([str(note)], factory))) == 1


def test_a_slow_page_and_a_page_without_text_are_failures(news_site):
    from attribution.web.client import WebConfig

    items = read(news_site, WebConfig(timeout=0.5, delay=0.0), news_site.url("/slow"), news_site.url("/front"))
    assert [(i.kind, i.transient) for i in items] == [("timeout", True), ("no_text", False)]


def test_a_feed_where_an_article_was_expected(news_site, web_config):
    from attribution.errors import NotHTML

    with WebClient(web_config) as client, pytest.raises(NotHTML, match="RSS listing, not an article page"):
        fetch_article(client, news_site.url("/feed.xml"))


def test_read_feed_conditionally_and_through_a_page_that_announces_it(news_site, web_config):
    with WebClient(web_config) as client:
        first = read_feed(client, news_site.url("/feed.xml"))
        assert first.listing.kind == "rss" and len(first.listing.items) == 6 and first.page.etag == '"feed-v1"'
        again = read_feed(client, news_site.url("/feed.xml"), etag=first.page.etag)
        assert again.not_modified and again.listing is None
        found = read_feed(client, news_site.url("/front"))
        assert found.fetch_url == news_site.url("/feed.xml") and len(found.listing.items) == 6
        index = read_feed(client, news_site.url("/sitemap-index.xml"))
        assert index.listing.kind == "sitemap" and len(index.listing.items) == 2
        with pytest.raises(NotAFeed, match="neither a feed nor a sitemap"):
            read_feed(client, news_site.url("/news/bridge-vote"))


def test_prefetch_keeps_order_and_finishes_only_the_item_in_hand_once_stopped():
    stop = threading.Event()
    started: list[int] = []

    def work(n: int) -> int:
        started.append(n)
        time.sleep(0.05 * (5 - n % 5))  # later items finish first: order must still hold
        if n == 3:
            raise ValueError("bad page")
        return n * 10

    got = []
    for n, result in prefetch(range(100), work, workers=2, stop=stop):
        got.append((n, result if not isinstance(result, Exception) else str(result)))
        if n == 4:
            stop.set()
    assert got == [(0, 0), (1, 10), (2, 20), (3, "bad page"), (4, 40)]
    assert max(started) < 10  # a few ahead, never the whole list
