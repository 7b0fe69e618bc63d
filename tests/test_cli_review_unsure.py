"""``attribution review --unsure`` through Typer's CliRunner (one key per line)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import db
from db.models import Quote
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
