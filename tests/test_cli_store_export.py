"""``attribution export csv|jsonl``: files that open cleanly, inert formulas, BOM, atomic writes."""

from __future__ import annotations

import csv
import json

import pytest

from tests.cli_helpers import filled_db, run

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return filled_db(db_url)


@pytest.fixture
def outdir(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    return d


def test_csv_file_opens_cleanly_and_formulas_are_inert(url, outdir):
    out = outdir / "quotes.csv"
    result = run("export", "csv", "-o", out, "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "Exported 7 quotes" in result.stderr
    with out.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 7
    quotes = {r["quote"] for r in rows}
    assert "'=SUM(A1:A9) is not a plan," in quotes
    assert not any(q.startswith(("=", "+", "-", "@")) for q in quotes)
    assert [p.name for p in outdir.iterdir()] == ["quotes.csv"]


def test_raw_and_excel(url, tmp_path):
    out = tmp_path / "raw.csv"
    assert run("export", "csv", "--raw", "--excel", "-o", out, "--db", url).exit_code == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfquote_id,quote,")
    assert b"\r\n" in data and b',"=SUM(A1:A9) is not a plan,",' in data


def test_export_to_stdout_with_filters(url):
    result = run("export", "csv", "--speaker", "Luis Gonzalez", "--db", url)
    assert result.exit_code == 0
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert {r["speaker"] for r in rows} == {"Luis Gonzalez"}


def test_jsonl(url, tmp_path):
    out = tmp_path / "q.jsonl"
    assert run("export", "jsonl", "-o", out, "--db", url).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 7 and all("claims" in r and "article_sha256" in r for r in records)


def test_failed_export_leaves_no_file(url, outdir):
    result = run("export", "csv", "-o", outdir / "missing" / "x.csv", "--db", url)
    assert result.exit_code == 1 and "no such directory" in result.stderr
    result = run("export", "csv", "-o", outdir / "bad.csv", "--since", "not-a-date", "--db", url)
    assert result.exit_code == 1
    assert list(outdir.iterdir()) == []


def test_unknown_format(url):
    assert run("export", "xml", "--db", url).exit_code == 2


def test_export_carries_the_confidence_and_filters_by_it(url, tmp_path):
    out = tmp_path / "unsure.jsonl"
    assert run("export", "jsonl", "--max-confidence", "0.6", "-o", out, "--db", url).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(r["confidence"] for r in records) == [0.5, 0.6]
    result = run("export", "csv", "--min-confidence", "0.6", "--max-confidence", "0.7", "--db", url)
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert sorted(r["confidence"] for r in rows) == ["0.6", "0.7"]
