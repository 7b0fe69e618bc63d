"""``rule_trace`` in the store: migration 0003, ingest, every ``--json`` that shows a quote, exports, ``show``."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import text

import db
from attribution.types import Article
from db.store import schema
from tests.cli_helpers import run, run_json
from tests.db_helpers import VERSION, Canned, entity, quote, result

pytestmark = pytest.mark.db

# Written for this test.
FERRY = (
    "Ferry Fares Rise\n\n"
    "\"Fares will go up by a tenth in June,\" said Petra Holm, the operator's finance director. "
    "She said the fuel bill had doubled.\n"
)
TRACE = ["furniture", "frame:cue-subject", "sieve:source-name"]


def _ferry(store: db.Store) -> None:
    """Ingest one hand-built article whose quotes carry rule traces (the second one an empty trace)."""
    article = Article(id="ferry", text=FERRY, url="https://gazette.example/ferry", outlet="Island Gazette",
                      published="2025-01-20")
    first = quote(FERRY, "Fares will go up by a tenth in June,", "Petra Holm", entity_id=1,
                  role="finance director")
    first.rule_trace = list(TRACE)
    second = quote(FERRY, "the fuel bill had doubled", "Petra Holm", mention="She", kind="indirect", entity_id=1,
                   rule="pronoun")
    canned = Canned({"ferry": result(article, [first, second], [entity(FERRY, 1, "Petra Holm")])})
    report = db.ingest(store, [article], canned, version=VERSION)
    assert report.new == 1 and report.quotes == 2


@pytest.fixture
def ferry_url(store, db_url):
    _ferry(store)
    return db_url


def _traces(quotes: list[dict]) -> dict[str, list[str]]:
    return {q["quote"]: q["rule_trace"] for q in quotes}


EXPECTED = {"Fares will go up by a tenth in June,": TRACE, "the fuel bill had doubled": []}


def test_ingest_stores_the_trace_and_quotes_json_returns_it(ferry_url):
    assert _traces(run_json("quotes", "--db", ferry_url)) == EXPECTED


def test_speaker_and_show_json_return_the_trace(ferry_url):
    profile = run_json("speaker", "Petra Holm", "--db", ferry_url)
    assert _traces([q for a in profile["articles"] for q in a["quotes"]]) == EXPECTED
    view = run_json("show", "ferry", "--db", ferry_url)
    assert _traces(view["quotes"]) == EXPECTED


def test_exports_carry_the_trace(ferry_url):
    jsonl = run("export", "jsonl", "--db", ferry_url)
    assert jsonl.exit_code == 0, jsonl.stderr
    assert _traces([json.loads(line) for line in jsonl.stdout.splitlines()]) == EXPECTED
    out = run("export", "csv", "--db", ferry_url)
    assert out.exit_code == 0, out.stderr
    rows = {r["quote"]: r["rule_trace"] for r in csv.DictReader(io.StringIO(out.stdout, newline=""))}
    assert rows == {"Fares will go up by a tenth in June,": "furniture > frame:cue-subject > sieve:source-name",
                    "the fuel bill had doubled": ""}


def test_show_prints_the_trace_beside_the_quote(ferry_url, monkeypatch):
    from cli import common

    monkeypatch.setattr(common.console, "_width", 300)  # one line per paragraph
    shown = run("show", "ferry", "--db", ferry_url)
    assert shown.exit_code == 0, shown.stderr
    line = next(ln for ln in shown.stdout.splitlines() if "Fares will go up" in ln)
    assert "[Petra Holm, finance director] (furniture > frame:cue-subject > sieve:source-name)" in line
    other = next(ln for ln in shown.stdout.splitlines() if "fuel bill" in ln)
    assert "[Petra Holm]" in other and "(" not in other.split("[Petra Holm]")[1]  # an empty trace shows nothing


def _insert_old_quote(conn) -> None:
    """An article and a quote as a database at revision 0002 holds them (no rule_trace column)."""
    now = datetime(2024, 6, 1)
    article_id = conn.execute(text(
        "INSERT INTO article (sha256, dated_at, text, ingested_at, extracted_at, extractor_version, model_ids) "
        "VALUES (:sha, :now, :text, :now, :now, '0.4.0', '{}') RETURNING id"),
        {"sha": "ab" * 32, "now": now, "text": "“The quay stays open,” said Ines Moura."}).scalar_one()
    conn.execute(text(
        "INSERT INTO quote (article_id, dated_at, start, \"end\", content, kind, confidence, rule, "
        "extractor_version, fragments) VALUES (:a, :now, 1, 20, 'The quay stays open,', 'direct', 0.9, "
        "'cue-subject', '0.4.0', '[]')"), {"a": article_id, "now": now})


def test_an_old_database_upgrades_and_its_quotes_get_an_empty_trace(db_url):
    engine = db.make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), "0002")
            _insert_old_quote(conn)
        with pytest.raises(db.SchemaTooOld, match="attribution setup"):
            db.open_store(db_url)
    finally:
        engine.dispose()
    assert run("setup", "--db", db_url).exit_code == 0
    found = run_json("quotes", "--db", db_url)
    assert [(q["quote"], q["rule_trace"]) for q in found] == [("The quay stays open,", [])]
    # The upgrade kept the full-text index working: a quote stored afterwards is found by its words.
    with db.open_store(db_url) as store:
        _ferry(store)
    assert [q["quote"] for q in run_json("quotes", "--text", "fares", "--db", db_url)] == [
        "Fares will go up by a tenth in June,"]


def test_the_migration_downgrades_and_upgrades_again(store, db_url):
    _ferry(store)
    with store.engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0002")
        assert schema.status(conn).revision == "0002"
        command.upgrade(schema.alembic_config(conn), "head")
    assert _traces(run_json("quotes", "--db", db_url)) == {q: [] for q in EXPECTED}
