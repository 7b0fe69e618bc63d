"""Export: stable CSV header, RFC 4180, formula neutralising, BOM, JSONL carrying everything, atomic files."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

import db
from db.review.export import neutralise
from db.store.models import Claim, Evidence, Review
from tests.db_helpers import fill

pytestmark = pytest.mark.db

HEADER = ("quote_id,quote,kind,claim,check_worthiness,speaker,speaker_type,role,affiliation,article_id,article_url,"
          "outlet,published,start,end,speaker_mention,speaker_start,speaker_end,cue,confidence,rule,review_status,"
          "verdict,reviewer,evidence,notes,rule_trace,speaker_review")


@pytest.fixture
def filled(store):
    fill(store)
    with store.session(write=True) as s:
        c = s.scalars(select(Claim).where(Claim.text.like("This bridge%"))).one()
        c.status = "reviewed"
        s.add(Review(claim_id=c.id, reviewer="ana", verdict="Half True", note="=1+1 was the estimate"))
        s.add(Evidence(claim_id=c.id, url="https://a.example/1", reviewer="ana"))
        s.add(Evidence(claim_id=c.id, url="https://a.example/2", reviewer="ana"))
    return store


def export(store, fmt="csv", raw=False, **kw) -> str:
    out = io.StringIO(newline="")
    with store.session() as s:
        db.write_export(s, fmt, db.QuoteFilter(**kw), out, raw=raw, chunk=2)
    return out.getvalue()


def test_csv_header_is_stable_and_lines_end_with_crlf(filled):
    text = export(filled)
    assert text.startswith(HEADER + "\r\n")
    assert ",".join(db.CSV_HEADER) == HEADER
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 7  # one row per quote (each has at most one claim here)
    assert text.count("\r\n") == 8 and "\n" not in text.replace("\r\n", "")


def test_csv_rows_carry_claims_reviews_and_evidence(filled):
    rows = {r["quote"]: r for r in csv.DictReader(io.StringIO(export(filled), newline=""))}
    bridge = rows["This bridge will cut commuting times in half,"]
    assert bridge["claim"] == "This bridge will cut commuting times in half"
    assert (bridge["review_status"], bridge["verdict"], bridge["reviewer"]) == ("reviewed", "Half True", "ana")
    assert bridge["evidence"] == "https://a.example/1 https://a.example/2"
    assert bridge["notes"] == "'=1+1 was the estimate"
    assert bridge["published"] == "2024-03-05T00:00:00Z"
    assert (bridge["speaker"], bridge["speaker_type"], bridge["role"]) == ("Maria Gonzalez", "PERSON", "spokesperson")
    assert rows["We are ready,"]["claim"] == "" and rows["We are ready,"]["published"] == ""


def test_formula_cells_are_inert_unless_raw(filled):
    rows = [r["quote"] for r in csv.DictReader(io.StringIO(export(filled), newline=""))]
    assert "'=SUM(A1:A9) is not a plan," in rows
    raw_rows = [r["quote"] for r in csv.DictReader(io.StringIO(export(filled, raw=True), newline=""))]
    assert "=SUM(A1:A9) is not a plan," in raw_rows


@pytest.mark.parametrize("cell", ["=1", "+1", "-1", "@SUM(1)", "\tx", "\rx"])
def test_neutralise(cell):
    assert neutralise(cell) == "'" + cell
    assert neutralise("ok " + cell) == "ok " + cell


def test_filters_apply_to_exports(filled):
    rows = list(csv.DictReader(io.StringIO(export(filled, speaker="Luis Gonzalez"), newline="")))
    assert {r["speaker"] for r in rows} == {"Luis Gonzalez"} and len(rows) == 2


def test_jsonl_carries_everything(filled):
    lines = export(filled, "jsonl").splitlines()
    assert len(lines) == 7
    records = {json.loads(line)["quote"]: json.loads(line) for line in lines}
    bridge = records["This bridge will cut commuting times in half,"]
    assert bridge["article_sha256"] and bridge["article_url"] == "https://courier.example/bridge"
    (claim,) = bridge["claims"]
    assert claim["reviews"][0]["verdict"] == "Half True" and len(claim["evidence"]) == 2
    assert claim["group_id"] == db.claim_group_id(claim["text"])
    assert bridge["published"] == "2024-03-05T00:00:00Z"


def test_atomic_output_leaves_nothing_on_failure(tmp_path):
    target = tmp_path / "out.csv"
    with pytest.raises(RuntimeError), db.atomic_output(target) as out:
        out.write("half")
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_atomic_output_replaces_the_file_and_can_write_a_bom(tmp_path):
    target = tmp_path / "out.csv"
    target.write_text("old")
    with db.atomic_output(target, bom=True) as out:
        out.write("a,b\r\n")
    assert target.read_bytes() == b"\xef\xbb\xbfa,b\r\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_atomic_output_into_a_missing_directory_is_one_line(tmp_path):
    with pytest.raises(db.ExportError, match="no such directory"), db.atomic_output(tmp_path / "no" / "x.csv"):
        pass
