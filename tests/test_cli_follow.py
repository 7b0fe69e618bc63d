"""``attribution follow`` against the local news site, with the real extractor: passes, state, failures,
the progress bar, --every, and Ctrl-C (in a real process, with a real signal)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest
from rich.console import Console
from sqlalchemy import select

import db
from db.feeds.models import Feed, FeedItem, FetchFailure
from tests.cli_helpers import run, run_json

from .conftest import ROOT

pytestmark = pytest.mark.db

FAST = ("--delay", "0", "--timeout", "2")


def follow(db_url, models_dir, *args: str):
    return run("follow", *args, "--db", db_url, "--models", models_dir, *FAST)


def test_two_passes_the_second_stores_nothing_new(db_url, extractor, models_dir, news_site):
    feed = news_site.url("/feed.xml")
    first = follow(db_url, models_dir, feed)
    assert first.exit_code == 1  # two items failed
    assert ("1 feeds (1 fetched, 0 not modified, 0 failed) · 6 items: 3 new articles, 1 already stored, "
            "2 failed") in first.stdout
    assert first.stderr.strip().splitlines() == [
        f"failed: {news_site.url('/news/missing')}: HTTP 404 Not Found",
        f"failed: {news_site.url('/files/budget.pdf')}: not an HTML page, a feed or a sitemap (application/pdf)"]
    stats = run_json("stats", "--db", db_url)
    assert stats["articles"] == 3 and stats["quotes"] > 0

    seen = len(news_site.requests)
    second = follow(db_url, models_dir, feed)
    assert second.exit_code == 0, second.stderr
    assert "1 feeds (0 fetched, 1 not modified, 0 failed) · 0 items: 0 new articles" in second.stdout
    # A new process reads robots.txt again; then one conditional request, answered 304, and nothing else.
    assert [r.path for r in news_site.requests[seen:]] == ["/robots.txt", "/feed.xml"]
    assert news_site.requests[-1].headers["if-none-match"] == '"feed-v1"'
    assert run_json("stats", "--db", db_url) == stats

    with db.open_store(db_url) as store, store.session() as s:
        row = s.scalars(select(Feed)).one()
        assert (row.url, row.kind, row.etag, row.last_status) == (feed, "rss", '"feed-v1"', 304)
        assert row.last_modified == "Tue, 08 Apr 2025 07:00:00 GMT" and row.title == "Millbrook Gazette: latest"
        items = {i.key: (i.status, i.article_id is not None) for i in s.scalars(select(FeedItem))}
        assert items == {"bridge-1": ("stored", True), "ferry-2": ("stored", True), "missing-3": ("failed", False),
                         "budget-4": ("failed", False), "library-5": ("stored", True),
                         "library-amp-6": ("stored", True)}
        assert [(f.kind, f.status_code) for f in s.scalars(select(FetchFailure).order_by(FetchFailure.id))] == \
            [("http", 404), ("not_html", None)]


def test_json_summary_and_following_known_feeds(db_url, extractor, models_dir, news_site):
    result = follow(db_url, models_dir, news_site.url("/atom.xml"), "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["pass"] == 1 and summary["interrupted"] is False
    assert summary["feeds"] == [{"url": news_site.url("/atom.xml"), "status": "fetched", "listed": 2,
                                 "new_items": 2, "error": None}]
    assert (summary["items"], summary["new"], summary["unchanged"], summary["failed"]) == (2, 2, 0, 0)
    # No FEED: every feed followed before. The Atom feed has no validators, so it is read again, and its
    # items are known.
    again = json.loads(follow(db_url, models_dir, "--json").stdout)
    assert again["feeds"][0]["status"] == "fetched" and again["feeds"][0]["new_items"] == 0 and again["items"] == 0


def test_list_shows_the_feeds_followed(db_url, extractor, models_dir, news_site):
    db.setup_database(db_url)
    assert "No feeds followed yet" in run("follow", "--list", "--db", db_url).stdout
    follow(db_url, models_dir, news_site.url("/feed.xml"))
    (listed,) = run_json("follow", "--list", "--db", db_url)
    assert (listed["url"], listed["title"], listed["kind"]) == (news_site.url("/feed.xml"),
                                                               "Millbrook Gazette: latest", "rss")
    assert (listed["items"], listed["stored"], listed["failed"]) == (6, 4, 2)
    table = run("follow", "--list", "--db", db_url)
    assert table.exit_code == 0 and " rss " in table.stdout and "last checked" in table.stdout


def test_transient_failures_are_tried_again_on_the_next_pass(db_url, extractor, models_dir, news_site):
    feed = news_site.url("/slow-feed.xml")
    args = ("follow", feed, "--db", db_url, "--models", models_dir, "--delay", "0", "--timeout", "0.5")
    first = run(*args)
    assert first.exit_code == 1
    assert first.stderr.strip() == (f"failed: {news_site.url('/slow')}: no answer within the 0.5 s time-out "
                                    "(tried again next pass)")
    second = run(*args)
    assert second.exit_code == 1 and "1 items: 0 new articles" in second.stdout
    assert news_site.paths().count("/slow") == 2 and news_site.paths().count("/news/harbour-clinic") == 1


def test_a_feed_that_cannot_be_read_is_one_line(db_url, extractor, models_dir, news_site):
    result = follow(db_url, models_dir, news_site.url("/news/missing"), news_site.url("/news/bridge-vote"))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines() == [
        f"failed: feed {news_site.url('/news/missing')}: HTTP 404 Not Found",
        f"failed: feed {news_site.url('/news/bridge-vote')}: neither a feed nor a sitemap, and no page "
        "announcing one (text/html)"]


def test_a_page_announcing_its_feed_is_followed_through_it(db_url, extractor, models_dir, news_site):
    result = follow(db_url, models_dir, news_site.url("/front"))
    assert "6 items: 3 new articles" in result.stdout
    with db.open_store(db_url) as store, store.session() as s:
        row = s.scalars(select(Feed)).one()
    assert (row.url, row.fetch_url) == (news_site.url("/front"), news_site.url("/feed.xml"))


def test_bad_arguments_are_one_line(db_url, news_site):
    none = run("follow", "--db", db_url)
    assert none.exit_code == 1 and "No feeds followed yet" in none.stderr
    not_url = run("follow", "feeds.txt", "--db", db_url)
    assert not_url.exit_code == 1 and "feeds.txt: not an http(s) URL" in not_url.stderr
    for bad in ("soon", "0s", "15x", "m"):
        every = run("follow", news_site.url("/feed.xml"), "--every", bad, "--db", db_url)
        assert every.exit_code == 2 and "--every" in every.stderr, bad
    for stream in (none, not_url):
        assert "Traceback" not in stream.stderr


def test_intervals():
    from cli.follow_cmd import parse_interval

    assert [parse_interval(t) for t in ("30s", "15m", "1h", "1h30m", "2d", "90", "1.5m")] == \
        [30, 900, 3600, 5400, 172800, 90, 90]


def test_the_progress_bar_covers_the_whole_pass(db_url, extractor, models_dir, news_site, monkeypatch):
    import cli.follow_cmd

    screen = StringIO()
    monkeypatch.setattr(cli.follow_cmd, "err_console", Console(file=screen, force_terminal=True, width=100))
    result = follow(db_url, models_dir, news_site.url("/atom.xml"), news_site.url("/sitemap.xml"))
    assert result.exit_code == 0, result.stderr
    drawn = screen.getvalue()
    assert "checking feeds" in drawn and "reading articles" in drawn
    assert "0/2" in drawn and "6/6" in drawn  # two feeds, then their four items (the clinic is in both)


def _spawn(db_url: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen([sys.executable, "-m", "cli.app", "follow", *args, "--db", db_url, "--delay", "0"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(condition, seconds: float, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            out, err = proc.communicate()
            raise AssertionError(f"gave up waiting (exit {proc.returncode}): {out}\n{err}")
        time.sleep(0.05)


@pytest.mark.slow
def test_ctrl_c_finishes_the_article_in_hand_and_exits_cleanly(db_url, models_dir, news_site):
    news_site.pace_seconds = 2.0
    feed = news_site.url("/paced.xml")
    proc = _spawn(db_url, feed, "--concurrency", "1")
    _wait_for(lambda: "/paced/bridge-vote" in news_site.paths(), 120, proc)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "stopping after the article in hand" in err and "Traceback" not in err
    assert "1 new articles" in out and "stopped early" in out
    assert "/paced/harbour-clinic" not in news_site.paths()
    with db.open_store(db_url) as store, store.session() as s:
        assert [i.status for i in s.scalars(select(FeedItem).order_by(FeedItem.id))] == \
            ["stored", "pending", "pending"]
    resumed = run("follow", feed, "--db", db_url, "--models", models_dir, "--delay", "0", "--timeout", "10")
    assert "2 new articles" in resumed.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 3


@pytest.mark.slow
def test_every_polls_until_interrupted(db_url, models_dir, news_site):
    proc = _spawn(db_url, news_site.url("/feed.xml"), "--every", "1s", "--json", "--timeout", "2")
    lines: list[dict] = []

    def two_passes() -> bool:
        line = proc.stdout.readline()
        if line.strip():
            lines.append(json.loads(line))
        return len(lines) >= 2

    _wait_for(two_passes, 180, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1  # the first pass had failures: the run reports them at its end
    assert [p["pass"] for p in lines] == [1, 2]
    assert lines[0]["new"] == 3 and lines[1]["feeds"][0]["status"] == "not_modified" and lines[1]["items"] == 0
    assert "Traceback" not in err


def test_unfollow_stops_polling_the_feed_and_keeps_its_articles(db_url, extractor, models_dir, news_site):
    feed = news_site.url("/atom.xml")
    assert follow(db_url, models_dir, feed).exit_code == 0
    stats = run_json("stats", "--db", db_url)
    assert stats["articles"] == 2

    # One feed not followed: a one-line error, and the other is not removed either.
    refused = run("unfollow", news_site.url("/feed.xml"), feed, "--db", db_url)
    assert refused.exit_code == 1
    assert refused.stderr.strip() == (f"error: Not following {news_site.url('/feed.xml')}: "
                                      "`attribution follow --list` shows the feeds followed.")
    assert [f["url"] for f in run_json("follow", "--list", "--db", db_url)] == [feed]
    assert run("unfollow", "feed.xml", "--db", db_url).exit_code == 1  # not a URL

    (removed,) = run_json("unfollow", feed, "--db", db_url, "--json")
    assert (removed["url"], removed["items"], removed["stored"]) == (feed, 2, 2)
    assert run_json("follow", "--list", "--db", db_url) == []
    assert run_json("stats", "--db", db_url) == stats  # the articles, quotes and speakers stay
    with db.open_store(db_url) as store, store.session() as s:
        assert s.scalars(select(FeedItem)).all() == []
    nothing = follow(db_url, models_dir)  # no FEED: every feed followed, and there is none now
    assert nothing.exit_code == 1 and "No feeds followed yet" in nothing.stderr
