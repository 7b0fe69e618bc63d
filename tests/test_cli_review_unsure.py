"""``attribution review --unsure`` through Typer's CliRunner (one key per line)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import db
from db.store.models import Quote
from tests.cli_helpers import run
from tests.unsure_helpers import ferry_db

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return ferry_db(db_url)


def unsure(url: str, keys: list[str], *args: str, reviewer: str = "ana"):
    result = run("review", "--unsure", "--db", url, "--reviewer", reviewer, *args,
                 input="".join(k + "\n" for k in keys))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def reviewed(url: str) -> dict[str, tuple[str | None, str | None, float]]:
    with db.open_store(url) as store, store.session() as s:
        return {q.content: (q.speaker_name, q.speaker_review, q.confidence)
                for q in s.scalars(select(Quote).where(Quote.speaker_review.is_not(None)))}


def test_least_sure_first_accept_correct_and_skip_by_keys(url):
    out = unsure(url, ["y", "k", "s", "jonas", "1", "y", "q"])
    assert "Attribution 1 / 4" in out and "Confidence: 0.10" in out and "no speaker found" in out
    assert "This quote has no speaker to accept: press s to name one, or k to skip it." in out
    assert "✓ quote #" in out and "skipped" in out
    assert "Speaker: Petra Lind (as “Jonas Berg”)" in out and "Confidence: 0.30 · rule nearest-name" in out
    assert "1 Jonas Berg" in out and "speaker: Jonas Berg" in out
    assert "accepted Petra Lind" in out
    assert "Stopped after 3 attributions; run the same command to resume." in out
    assert reviewed(url) == {"the timetable would stay": ("Jonas Berg", "corrected", 1.0),
                             "We had no choice,": ("Petra Lind", "accepted", 0.45)}


def test_coming_back_resumes_and_the_end_of_the_queue_offers_undo(url):
    unsure(url, ["k", "q"])
    out = unsure(url, ["y", "y", "y", "u", "x"])
    assert "Resuming your session: 1 attributions done so far." in out
    assert "Nothing left to check in this queue: 4 attributions done, 1 skipped" in out
    assert "undid accept" in out
    assert set(reviewed(url)) == {"the timetable would stay", "We had no choice,"}


def test_filters_and_help(url):
    out = unsure(url, ["?", "q"], "--min-confidence", "0.4")
    assert "Attribution 1 / 2" in out and "We had no choice," in out
    assert "yes: the speaker is right" in out


def test_claim_only_options_are_a_one_line_error(url):
    result = run("review", "--unsure", "--min-worthiness", "0.5", "--db", url, "--reviewer", "ana")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.startswith("error: --min-worthiness is for claims; --unsure reviews attributions")
    result = run("review", "--unsure", "--speaker", "Petra Lund", "--db", url, "--reviewer", "ana")
    assert result.exit_code == 1 and "did you mean 'Petra Lind'" in result.stderr


def test_show_marks_unsure_attributions_until_someone_checks_them(url, monkeypatch):
    from cli import common
    from tests.cli_helpers import run_json

    monkeypatch.setattr(common.console, "_width", 300)  # one paragraph a line
    out = run("show", "ferry-fares", "--db", url).stdout
    assert "4 quotes · 3 unsure (confidence < 0.5, not checked)" in out
    assert "[Petra Lind] ⚠ unsure 0.45" in out and "[Petra Lind] ⚠ unsure 0.30" in out
    assert "[unknown] ⚠ unsure 0.10" in out
    assert "[Petra Lind, harbour director, Eastvik] said" in out  # 0.9: no mark
    unsure(url, ["k", "y", "q"])  # skip the shout, accept Petra Lind for the timetable
    out = run("show", "ferry-fares", "--db", url, "--unsure-below", "0.2").stdout
    assert "1 unsure (confidence < 0.2, not checked)" in out
    assert "[Petra Lind] ✓ accepted" in out and "⚠ unsure 0.10" in out and "⚠ unsure 0.45" not in out
    data = run_json("show", "ferry-fares", "--db", url)
    assert data["unsure_below"] == 0.5
    assert {q["quote"]: (q["unsure"], q["speaker_review"], q["confidence"]) for q in data["quotes"]} == {
        "Fares will rise in March,": (False, None, 0.9), "We had no choice,": (True, None, 0.45),
        "the timetable would stay": (False, "accepted", 0.3), "It is a scandal,": (True, None, 0.1)}
