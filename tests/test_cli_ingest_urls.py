"""``attribution ingest URL...`` against the local news site, with the real extractor."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

import db
from db.feeds.models import FetchFailure
from tests.cli_helpers import run, run_json

pytestmark = pytest.mark.db


def ingest(db_url, models_dir, *args: str):
    return run("ingest", *args, "--db", db_url, "--models", models_dir, "--delay", "0", "--timeout", "2")


def failures(db_url) -> list[tuple[str, str]]:
    with db.open_store(db_url) as store, store.session() as s:
        return [(f.url, f.kind) for f in s.scalars(select(FetchFailure).order_by(FetchFailure.id))]


def test_an_article_url_is_stored_with_its_metadata(db_url, extractor, models_dir, news_site):
    url = news_site.url("/news/bridge-vote")
    result = ingest(db_url, models_dir, url + "?utm_source=newsletter#comments")
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "1 articles: 1 new" in result.stdout
    shown = run_json("show", url, "--db", db_url)
    assert shown["title"] == "Council backs footbridge over the Mill River"
    assert shown["outlet"] == "Millbrook Gazette" and shown["url"] == url
    assert shown["published"].startswith("2025-04-08")
    found = run_json("quotes", "--speaker", "Helen Okafor", "--db", db_url)
    assert found and "neighbourhoods" in found[0]["quote"]


def test_a_feed_url_ingests_its_articles_and_reports_each_failure(db_url, extractor, models_dir, news_site):
    result = ingest(db_url, models_dir, news_site.url("/feed.xml"))
    assert result.exit_code == 1
    assert f"failed: {news_site.url('/news/missing')}: HTTP 404 Not Found" in result.stderr
    assert f"failed: {news_site.url('/files/budget.pdf')}: not an HTML page" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 2
    assert "6 articles: 3 new, 1 unchanged, 0 re-extracted, 2 failed" in result.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 3
    assert failures(db_url) == [(news_site.url("/news/missing"), "http"),
                                (news_site.url("/files/budget.pdf"), "not_html")]
    # The redirect's article is stored under the URL it ended at.
    assert run_json("show", news_site.url("/news/ferry-returns"), "--db", db_url)["title"].startswith("Ferry")


def test_one_article_reached_by_several_urls_is_stored_once(db_url, extractor, models_dir, news_site):
    first = ingest(db_url, models_dir, news_site.url("/news/library-hours"))
    assert first.exit_code == 0, first.stderr
    # The AMP copy (same text), a tracking link, and the print version (same canonical URL, another text).
    again = ingest(db_url, models_dir, news_site.url("/amp/library-hours"),
                   news_site.url("/news/library-hours?utm_medium=social&fbclid=x1"),
                   news_site.url("/print/library-hours"))
    assert again.exit_code == 0, again.stderr
    assert "3 articles: 0 new, 3 unchanged" in again.stdout
    redirect = ingest(db_url, models_dir, news_site.url("/old/ferry"), news_site.url("/news/ferry-returns"))
    assert "2 articles: 1 new, 1 unchanged" in redirect.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 2


def test_paths_and_urls_mixed(db_url, extractor, models_dir, news_site, tmp_path):
    note = tmp_path / "pier.txt"
    note.write_text("Pier reopens\n\n\u201cThe pier is safe again,\u201d said Dana Whitlock, the harbour master "
                    "of Millbrook.\n", encoding="utf-8")
    result = ingest(db_url, models_dir, str(note), news_site.url("/news/harbour-clinic"))
    assert result.exit_code == 0, result.stderr
    assert "2 articles: 2 new" in result.stdout


def test_time_out_robots_and_no_text_are_one_line_each(db_url, extractor, models_dir, news_site):
    result = run("ingest", news_site.url("/slow"), news_site.url("/private/memo"), news_site.url("/front"),
                 "--db", db_url, "--models", models_dir, "--delay", "0", "--timeout", "0.5")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines == [f"failed: {news_site.url('/slow')}: no answer within the 0.5 s time-out",
                     f"failed: {news_site.url('/private/memo')}: robots.txt disallows this URL",
                     f"failed: {news_site.url('/front')}: no article text found on the page (only 2 words)"]
    assert "/private/memo" not in news_site.paths()
    assert [kind for _, kind in failures(db_url)] == ["timeout", "robots", "no_text"]
    assert run_json("stats", "--db", db_url)["articles"] == 0


def test_json_summary(db_url, extractor, models_dir, news_site):
    result = ingest(db_url, models_dir, news_site.url("/atom.xml"), news_site.url("/news/missing"), "--json")
    assert result.exit_code == 1
    summary = json.loads(result.stdout)
    assert (summary["articles"], summary["new"], summary["failed"]) == (3, 2, 1)
    assert summary["failures"] == [{"where": news_site.url("/news/missing"), "error": "HTTP 404 Not Found"}]


def test_bad_user_agent_is_refused(db_url, news_site):
    result = run("ingest", news_site.url("/news/bridge-vote"), "--db", db_url, "--user-agent", "r\u00e9dac")
    assert result.exit_code == 2 and "printable ASCII" in result.stderr


def test_extract_reads_urls_as_ingest_does_and_stores_nothing(extractor, models_dir, news_site, tmp_path,
                                                              monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_DB", str(tmp_path / "never.db"))
    url = news_site.url("/news/bridge-vote")
    result = run("extract", url, news_site.url("/news/missing"), "--jsonl", "--models", models_dir,
                 "--delay", "0", "--timeout", "2")
    assert result.exit_code == 1  # one input could not be read
    assert result.stderr.strip().splitlines() == [f"error: {news_site.url('/news/missing')}: HTTP 404 Not Found"]
    (prediction,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert any(q["speaker"] == "Helen Okafor" and "neighbourhoods" in q["content"] for q in prediction["quotes"])
    assert not (tmp_path / "never.db").exists()
