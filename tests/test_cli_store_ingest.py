"""``attribution ingest`` with the real extractor: idempotence, summary, failures with their path."""

from __future__ import annotations

import importlib
import json

import pytest

import db
from tests.cli_helpers import run, run_json

pytestmark = pytest.mark.db

ARTICLE = """Library Hours Extended

The city library will stay open until midnight during exam season, officials announced on Friday.

"Students asked for more quiet space and we listened," said Priya Raman, a spokeswoman for the Riverside Public Library.

Raman said the extra hours would cost about 40,000 dollars.
"""


@pytest.fixture
def article_dir(tmp_path):
    d = tmp_path / "news"
    d.mkdir()
    (d / "library.txt").write_text(ARTICLE, encoding="utf-8")
    return d


def test_ingest_twice_is_one_article(db_url, extractor, models_dir, article_dir):
    first = run("ingest", article_dir, "--db", db_url, "--models", models_dir)
    assert first.exit_code == 0, first.stderr + first.stdout
    assert "1 articles: 1 new, 0 unchanged, 0 re-extracted, 0 failed" in first.stdout
    again = run("ingest", article_dir / "library.txt", "--db", db_url, "--models", models_dir)
    assert again.exit_code == 0
    assert "0 new, 1 unchanged" in again.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 1


def test_ingested_quotes_are_found_by_speaker(db_url, extractor, models_dir, article_dir):
    assert run("ingest", article_dir, "--db", db_url, "--models", models_dir).exit_code == 0
    stats = run_json("stats", "--db", db_url)
    if stats["quotes"] == 0:
        pytest.skip("the extraction engine found no quotes in this article yet")
    found = run_json("quotes", "--speaker", "priya raman", "--db", db_url)
    assert found and all(q["speaker"] == "Priya Raman" for q in found)
    assert all(q["article_id"] == found[0]["article_id"] for q in found)


def test_failures_are_listed_with_their_path_and_the_rest_go_on(db_url, extractor, models_dir, article_dir):
    (article_dir / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    missing = article_dir / "missing.txt"
    result = run("ingest", article_dir, missing, "--db", db_url, "--models", models_dir)
    assert result.exit_code == 1
    assert f"{article_dir / 'binary.txt'}:" in result.stderr
    assert f"{missing}: no such file" in result.stderr
    assert "1 new" in result.stdout and "2 failed" in result.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 1


def test_ingest_reads_jsonl_and_stdin(db_url, extractor, models_dir, tmp_path):
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(json.dumps({"id": "lib", "text": ARTICLE, "url": "https://lib.example/hours",
                                 "outlet": "Riverside Post", "published": "2024-05-01"}) + "\n", encoding="utf-8")
    assert run("ingest", jsonl, "--db", db_url, "--models", models_dir).exit_code == 0
    other = "Short note.\n\n\"We are closed on Sunday,\" said Tomas Berg, the library director.\n"
    result = run("ingest", "-", "--db", db_url, "--models", models_dir, input=other)
    assert result.exit_code == 0, result.stderr
    stats = run_json("stats", "--db", db_url)
    assert stats["articles"] == 2 and stats["outlets"] == [["Riverside Post", 1]]
    assert run_json("show", "https://lib.example/hours", "--db", db_url)["published"] == "2024-05-01T00:00:00"


def test_reingest_with_a_newer_extractor_reextracts(db_url, extractor, models_dir, article_dir, monkeypatch):
    assert run("ingest", article_dir, "--db", db_url, "--models", models_dir).exit_code == 0
    # The module, not the package attribute: attribution re-exports a function called extract.
    monkeypatch.setattr(importlib.import_module("attribution.extract"), "EXTRACTOR_VERSION", "99.0.0")
    result = run("ingest", article_dir, "--db", db_url, "--models", models_dir)
    assert result.exit_code == 0 and "1 re-extracted" in result.stdout
    assert run_json("stats", "--db", db_url)["extractor_versions"] == {"99.0.0": 1}


def test_no_progress_bar_off_a_terminal(db_url, extractor, models_dir, article_dir):
    result = run("ingest", article_dir, "--db", db_url, "--models", models_dir)
    assert "articles/s" not in result.stdout + result.stderr


def test_ingest_creates_the_database(tmp_path, extractor, models_dir, article_dir):
    path = tmp_path / "fresh" / "news.db"
    assert run("ingest", article_dir, "--db", path, "--models", models_dir).exit_code == 0
    with db.open_store(str(path)) as store, store.session() as s:
        assert db.stats(s)["articles"] == 1
