"""``attribution quotes / speakers / speaker / show / stats``: tables, JSON, did-you-mean, inert text."""

from __future__ import annotations

import pytest

import db
from attribution.types import Article
from tests.cli_helpers import filled_db, run, run_json
from tests.db_helpers import VERSION, Canned, quote, result

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return filled_db(db_url)


def test_quotes_by_alias_with_role_and_affiliation(url):
    found = run_json("quotes", "--speaker", "maria gonzalez", "--db", url)
    assert len(found) == 3
    assert {(q["speaker"], q["role"], q["affiliation"]) for q in found} == {
        ("Maria Gonzalez", "spokesperson", "Department of Transportation"),
        ("Maria Gonzalez", "director of communications", "Department of Transportation")}


def test_quotes_table(url, monkeypatch):
    from cli import common

    monkeypatch.setattr(common.console, "_width", 200)  # no wrapping inside cells
    result = run("quotes", "--speaker", "Luis Gonzalez", "--db", url)
    assert result.exit_code == 0
    assert "Luis" in result.stdout and "resident" in result.stdout and "unbearable" in result.stdout


def test_did_you_mean(url):
    result = run("quotes", "--speaker", "Maria Gonzales", "--db", url)
    assert result.exit_code == 1
    assert "did you mean 'Maria Gonzalez'" in result.stderr


def test_all_filters_together(url):
    found = run_json("quotes", "--speaker", "Maria Gonzalez", "--role", "spokesperson", "--affiliation",
                     "transportation", "--text", "bridge", "--kind", "direct", "--outlet", "courier", "--since",
                     "2024-03-01", "--until", "2024-03-31", "--article", "https://courier.example/bridge",
                     "--min-confidence", "0.8", "--limit", "5", "--db", url)
    assert [q["quote"] for q in found] == ["This bridge will cut commuting times in half,"]


def test_max_confidence_lists_the_least_sure_attributions(url):
    found = run_json("quotes", "--max-confidence", "0.6", "--db", url)
    assert sorted((q["confidence"], q["quote"]) for q in found) == [(0.5, "We are ready,"),
                                                                   (0.6, "=SUM(A1:A9) is not a plan,")]
    band = run_json("quotes", "--min-confidence", "0.6", "--max-confidence", "0.7", "--db", url)
    assert sorted(q["confidence"] for q in band) == [0.6, 0.7]
    result = run("quotes", "--min-confidence", "0.9", "--max-confidence", "0.5", "--db", url)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1 and "Traceback" not in result.output
    assert "--min-confidence 0.9 is above --max-confidence 0.5" in result.stderr
    assert run("quotes", "--max-confidence", "-1", "--db", url).exit_code == 2  # click's own range check


def test_text_search_never_errors_on_fts_syntax(url):
    for text in ('"', "NEAR(", "bridge*", "a OR"):
        result = run("quotes", "--text", text, "--db", url)
        assert result.exit_code == 0, result.stderr


def test_raw_search_error_is_one_line(url):
    result = run("quotes", "--text", "NEAR(bridge", "--raw-search", "--db", url)
    if url.startswith("postgresql"):
        result = run("quotes", "--text", "bridge &", "--raw-search", "--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith("error: The search engine rejected") and result.stderr.count("\n") == 1


def test_bad_options_are_one_line_errors(url):
    result = run("quotes", "--since", "yesterday", "--db", url)
    assert result.exit_code == 1 and "ISO date" in result.stderr and "Traceback" not in result.stderr
    assert run("quotes", "--kind", "sarcastic", "--db", url).exit_code == 2  # click's own usage error
    assert run("quotes", "--min-confidence", "3", "--db", url).exit_code == 2


def test_speakers_list_and_profile(url):
    speakers = run_json("speakers", "--db", url)
    assert speakers[0]["name"] == "Maria Gonzalez" and speakers[0]["quotes"] == 3
    assert "Anna Berg" in {s["name"] for s in speakers}
    assert run("speakers", "--db", url).exit_code == 0
    orgs = run_json("speakers", "--type", "org", "--db", url)
    assert [s["name"] for s in orgs] == ["Ministry of Health"]
    profile = run_json("speaker", "Maria Gonzalez", "--db", url)
    assert [r["title"] for r in profile["roles"]] == ["spokesperson", "director of communications"]
    assert len(profile["articles"]) == 2
    table = run("speaker", "maria gonzalez", "--db", url)
    assert table.exit_code == 0 and "roles over time" in table.stdout


def test_ambiguous_speaker_is_one_line(url):
    result = run("speaker", "Gonzalez", "--db", url)
    assert result.exit_code == 1 and "give the id" in result.stderr


def test_show_labels_quotes(url):
    result = run("show", "bridge", "--db", url)
    assert result.exit_code == 0
    assert "[Maria Gonzalez, spokesperson, Department of Transportation]" in result.stdout
    view = run_json("show", "https://herald.example/harbour", "--db", url)
    assert len(view["quotes"]) == 3 and view["text"].startswith("Harbour Plan")
    assert run("show", "nope", "--db", url).exit_code == 1


def test_article_text_and_names_are_inert(db_url, monkeypatch):
    from cli import common

    monkeypatch.setattr(common.console, "_width", 200)
    text = 'Test [bold red]markup[/] and \x1b[31mANSI\x1b[0m.\n"[link=x]Hi[/link]," said Jo [red]Smith.'
    article = Article(id="evil", text=text)
    canned = Canned()
    canned.add(result(article, [quote(text, "[link=x]Hi[/link],", "Jo [red]Smith")]))
    db.setup_database(db_url)
    with db.open_store(db_url) as store:
        db.ingest(store, [article], canned, version=VERSION)
    shown = run("show", "evil", "--db", db_url)
    assert shown.exit_code == 0
    assert "[bold red]markup[/]" in shown.stdout and "\x1b" not in shown.stdout and "\\x1b" in shown.stdout
    listed = run("quotes", "--db", db_url)
    assert "[link=x]Hi[/link]," in listed.stdout and "Jo [red]Smith" in listed.stdout


def test_stats(url):
    stats = run_json("stats", "--db", url)
    assert (stats["articles"], stats["quotes"], stats["claims"]) == (3, 7, 4)
    assert stats["schema_version"] == "1" and stats["backend"] in ("sqlite", "postgresql")
    assert "***" in stats["database"] or "@" not in stats["database"]
    assert run("stats", "--db", url).exit_code == 0
