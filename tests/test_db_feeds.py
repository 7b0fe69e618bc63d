"""Feed state in the store (feeds, items, validators, failures) and a follow pass with a hand-built extractor.

The extraction itself is the real parser's job and is tested through the CLI (test_cli_follow.py); here a
callable seam stands in for it, as in the other store tests, so that what the store decides is tested alone.
"""

from __future__ import annotations

import threading

import pytest
from alembic import command
from sqlalchemy import inspect, select

import db
from attribution.reading.sources import SourceError, WebSourceError
from attribution.web.client import WebClient
from attribution.web.feeds import ListedItem
from db.feeds import state as state
from db.feeds.follow import FeedResult, ItemResult, Planned, follow_pass
from db.feeds.models import Feed, FeedItem, FetchFailure
from db.store import schema
from db.store.models import Article
from tests.db_helpers import VERSION, Canned

pytestmark = pytest.mark.db


def items(*urls: str) -> list[ListedItem]:
    return [ListedItem(u, f"key:{u}") for u in urls]


def test_a_feed_is_recorded_once_with_its_validators_and_new_items(store):
    feed = state.add_feed(store, "http://127.0.0.1:9/feed.xml")
    assert state.add_feed(store, "http://127.0.0.1:9/feed.xml").id == feed.id
    assert [f.url for f in db.known_feeds(store)] == ["http://127.0.0.1:9/feed.xml"]
    new = state.record_listing(store, feed.id, fetch_url="http://127.0.0.1:9/rss", kind="rss", title="T", etag='"v1"',
                               last_modified="Tue, 08 Apr 2025 07:00:00 GMT", status=200,
                               items=items("http://127.0.0.1:9/a", "http://127.0.0.1:9/b"))
    assert new == 2
    again = state.record_listing(store, feed.id, fetch_url="http://127.0.0.1:9/rss", kind="rss", title="T", etag='"v2"',
                                 last_modified=None, status=200,
                                 items=items("http://127.0.0.1:9/b", "http://127.0.0.1:9/c"))
    assert again == 1
    with store.session() as s:
        row = s.scalars(select(Feed)).one()
        assert (row.etag, row.fetch_url, row.kind, row.last_status) == ('"v2"', "http://127.0.0.1:9/rss", "rss", 200)
    assert [i.url for i in state.items_to_read(store, feed.id)] == [f"http://127.0.0.1:9/{x}" for x in "abc"]


def test_items_end_stored_failed_or_retried_until_the_attempts_run_out(store):
    feed = state.add_feed(store, "http://127.0.0.1:9/feed.xml")
    state.record_listing(store, feed.id, fetch_url=feed.url, kind="rss", title=None, etag=None, last_modified=None,
                         status=200, items=items("http://127.0.0.1:9/ok", "http://127.0.0.1:9/gone",
                                                 "http://127.0.0.1:9/slow"))
    ok, gone, slow = state.items_to_read(store, feed.id)
    state.item_stored(store, ok.id, None)
    assert state.item_failed(store, gone, WebSourceError(gone.url, "HTTP 404 Not Found", "http", 404), feed.id) \
        == "failed"
    timeout = WebSourceError(slow.url, "no answer within the 2 s time-out", "timeout", None, True)
    statuses = []
    for _ in range(state.MAX_ATTEMPTS):
        (slow,) = state.items_to_read(store, feed.id)
        statuses.append(state.item_failed(store, slow, timeout, feed.id))
    assert statuses == ["retry", "retry", "failed"]
    assert state.items_to_read(store, feed.id) == []
    with store.session() as s:
        logged = [(f.url.rsplit("/", 1)[1], f.kind, f.status_code) for f in s.scalars(select(FetchFailure))]
    assert logged == [("gone", "http", 404)] + [("slow", "timeout", None)] * 3


def test_fetch_failures_are_logged_as_they_go_by(store):
    passing = [SourceError("notes.txt", "empty"), WebSourceError("http://127.0.0.1:9/x", "not HTML", "not_html")]
    assert list(db.record_fetch_failures(store, iter(passing))) == passing
    with store.session() as s:
        assert [(f.url, f.kind, f.feed_id) for f in s.scalars(select(FetchFailure))] == \
            [("http://127.0.0.1:9/x", "not_html", None)]


def test_migration_0005_downgrades_and_upgrades(db_url):
    db.setup_database(db_url)
    with db.open_store(db_url) as store:
        with store.engine.begin() as conn:
            command.downgrade(schema.alembic_config(conn), "0002")
            assert not {"feed", "feed_item", "fetch_failure"} & set(inspect(conn).get_table_names())
        with store.engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), "head")
            assert {"feed", "feed_item", "fetch_failure"} <= set(inspect(conn).get_table_names())


def test_follow_pass_twice_stores_nothing_new_the_second_time(store, news_site, web_config):
    canned = Canned()
    feed_url = news_site.url("/feed.xml")
    events: list[object] = []
    with WebClient(web_config) as client:
        first = follow_pass(store, [feed_url], client, canned, version=VERSION, on_event=events.append)
        requests_before = len(news_site.requests)
        second = follow_pass(store, [feed_url], client, canned, version=VERSION)
    assert (first.new, first.unchanged, first.failed, first.items) == (3, 1, 2, 6)
    assert {u for u, _ in first.failures} == {news_site.url("/news/missing"), news_site.url("/files/budget.pdf")}
    assert isinstance(events[0], FeedResult) and events[0].status == "fetched" and events[0].new_items == 6
    assert isinstance(events[1], Planned) and events[1].items == 6
    assert sum(isinstance(e, ItemResult) for e in events) == 6
    assert second.feeds[0].status == "not_modified" and (second.items, second.new, second.failed) == (0, 0, 0)
    assert [r.path for r in news_site.requests[requests_before:]] == ["/feed.xml"]
    assert news_site.requests[-1].headers["if-none-match"] == '"feed-v1"'
    with store.session() as s:
        assert s.scalar(select(Article.id).where(Article.url == news_site.url("/news/library-hours"))) is not None
        assert len(s.scalars(select(Article)).all()) == 3
        by_status = sorted((i.status, i.url.rsplit("/", 1)[1]) for i in s.scalars(select(FeedItem)))
    assert by_status == [("failed", "budget.pdf"), ("failed", "missing"), ("stored", "bridge-vote"),
                         ("stored", "ferry"), ("stored", "library-hours"), ("stored", "library-hours")]


def test_stopping_finishes_the_article_in_hand_and_leaves_the_rest_for_next_time(store, news_site, web_config):
    stop = threading.Event()
    canned = Canned()

    def on_event(event: object) -> None:
        if isinstance(event, ItemResult):
            stop.set()  # as Ctrl-C while the first article was being read

    with WebClient(web_config) as client:
        report = follow_pass(store, [news_site.url("/paced.xml")], client, canned, version=VERSION, stop=stop,
                             on_event=on_event)
        assert report.interrupted and report.new == 1 and canned.calls and len(canned.calls) == 1
        with store.session() as s:
            assert [i.status for i in s.scalars(select(FeedItem).order_by(FeedItem.id))] == \
                ["stored", "pending", "pending"]
        assert "/paced/harbour-clinic" not in news_site.paths()
        resumed = follow_pass(store, [news_site.url("/paced.xml")], client, canned, version=VERSION)
    assert resumed.new == 2 and not resumed.interrupted


def test_an_item_already_stored_under_its_url_is_not_fetched(store, news_site, web_config):
    with WebClient(web_config) as client:
        db.ingest(store, [client_article(client, news_site.url("/news/harbour-clinic"))], Canned(), version=VERSION)
        before = news_site.paths().count("/news/harbour-clinic")
        report = follow_pass(store, [news_site.url("/atom.xml")], client, Canned(), version=VERSION)
    assert (report.new, report.unchanged) == (1, 1)
    assert news_site.paths().count("/news/harbour-clinic") == before


def client_article(client: WebClient, url: str):
    from attribution.web.sources import fetch_article

    return fetch_article(client, url)
