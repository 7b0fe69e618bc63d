"""``attribution export corrections``: reviewers' speaker checks as attribution-gold/1, read back by load_gold."""

from __future__ import annotations

import json

import pytest

import db
from attribution.evaluation import evaluate, load_gold, name_matches
from db.review.session import ReviewQueue, ReviewSession
from db.review.unsure import UnsureQueue, UnsureSession
from tests.cli_helpers import run
from tests.unsure_helpers import FERRY, ferry_db

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return ferry_db(db_url)


def check_ferry(url: str) -> None:
    """Correct Berg's quote to Jonas Berg and accept "We had no choice," through the review library."""
    with db.open_store(url) as store:
        us = UnsureSession(store, "ana", UnsureQueue(min_confidence=0.2)).open()
        assert us.card().quote.quote == "the timetable would stay"
        us.correct_speaker(us.find_speakers("Jonas Berg")[0].id)
        assert us.card().quote.quote == "We had no choice,"
        us.accept()


def test_round_trip_correct_export_and_load_gold(url, tmp_path):
    check_ferry(url)
    out = tmp_path / "corrections.jsonl"
    result = run("export", "corrections", "-o", out, "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "Exported 2 checked attributions (corrected or accepted speakers) from 1 articles" in result.stderr
    gold = load_gold(out)
    doc = gold["ferry-fares"]
    assert doc["text"] == FERRY and doc["source"] == "review" and doc["date"] == "2024-09-03"
    by_content = {q["content"]: q for q in doc["quotes"]}
    assert set(by_content) == {"the timetable would stay", "We had no choice,"}
    berg = by_content["the timetable would stay"]
    assert FERRY[berg["start"]:berg["end"]] == "the timetable would stay"
    assert (berg["speaker"], berg["speaker_type"], berg["review"], berg["kind"]) == ("Jonas Berg", "PERSON",
                                                                                   "corrected", "indirect")
    assert FERRY[berg["speaker_start"]:berg["speaker_end"]] == berg["speaker_mention"] == "Jonas Berg"
    # The extractor had stated no role with the quote; the article states one for Berg, and gold takes it.
    assert (berg["role"], berg["affiliation"], berg["cue"]) == ("official", "port", "said")
    lind = by_content["We had no choice,"]
    assert (lind["speaker"], lind["review"], lind["speaker_mention"]) == ("Petra Lind", "accepted", "she")
    # The scorer reads the file as gold: the corrected name is the right one, the extractor's is not.
    assert name_matches("Jonas Berg", berg) and not name_matches("Petra Lind", berg)
    pred = {"ferry-fares": {"id": "ferry-fares", "quotes": [
        {"start": berg["start"], "end": berg["end"], "speaker": "Petra Lind", "confidence": 0.3},
        {"start": lind["start"], "end": lind["end"], "speaker": "Petra Lind", "confidence": 0.45}]}}
    result, _ = evaluate(gold, pred, calibration=True)
    assert result["t0.3"]["speaker_name_acc"] == 50.0 and result["calibration"]["scored"] == 2


def test_a_claim_queue_correction_is_exported_with_the_role_stated_for_the_new_speaker(url):
    with db.open_store(url) as store:
        rs = ReviewSession(store, "ben", ReviewQueue()).open()
        assert rs.card().text == "Fares will rise in March"
        rs.correct_speaker(rs.find_speakers("Jonas Berg")[0].id)
    result = run("export", "corrections", "--db", url)
    assert result.exit_code == 0, result.stderr
    [doc] = [json.loads(line) for line in result.stdout.splitlines()]
    [q] = doc["quotes"]
    # "harbour director, Eastvik" was Petra Lind's: it does not follow the quote to Berg.
    assert (q["content"], q["speaker"], q["review"]) == ("Fares will rise in March,", "Jonas Berg", "corrected")
    assert (q["role"], q["affiliation"]) == ("official", "port")


def test_nothing_checked_nothing_exported_and_filters_apply(url, tmp_path):
    out = tmp_path / "none.jsonl"
    result = run("export", "corrections", "-o", out, "--db", url)
    assert result.exit_code == 0 and out.read_text(encoding="utf-8") == ""
    assert "Exported 0 checked attributions" in result.stderr
    check_ferry(url)
    kept = run("export", "corrections", "--speaker", "Jonas Berg", "--db", url).stdout
    assert [q["speaker"] for q in json.loads(kept)["quotes"]] == ["Jonas Berg"]
    assert run("export", "corrections", "--max-confidence", "0.5", "--db", url).stdout.count("\n") == 1
    assert run("export", "corrections", "--kind", "partial", "--db", url).stdout == ""


def test_csv_only_options_are_a_one_line_error(url):
    result = run("export", "corrections", "--excel", "--db", url)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: --raw, --excel and --publisher are not for corrections")
