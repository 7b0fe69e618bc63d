"""``attribution review`` through Typer's CliRunner (one key per line), plus ``history`` and ``scales``."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import db
from db.store.models import Claim, Evidence, Review
from tests.cli_helpers import run, run_json
from tests.test_review_data import ORDER, review_db

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return review_db(db_url)


def review(url: str, keys: list[str], *args: str, reviewer: str = "ana"):
    result = run("review", "--db", url, "--reviewer", reviewer, *args, input="".join(k + "\n" for k in keys))
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout


def reviews(url: str) -> list[tuple[str, str | None, str | None]]:
    with db.open_store(url) as store, store.session() as s:
        return [(c.text, r.verdict, r.note) for r, c in s.execute(
            select(Review, Claim).join(Claim, Claim.id == Review.claim_id).order_by(Review.id))]


def test_a_verdict_key_saves_and_moves_on(url):
    out = review(url, ["3", "q"])
    assert "Claim 1 / 5" in out and "Claim 2 / 5" in out
    assert "Rents rose by 12 percent in Northvale last year" in out
    assert "Priya Raman — councillor, Green Party" in out
    assert "Valley Ledger · 2024-05-02 · https://ledger.example/rents" in out
    assert "rule cue-subject" in out and "confidence 0.90" in out and "“said”" in out
    assert "✓ claim #" in out and "3 Half True" in out
    assert "Stopped after 1 claims; run the same command to resume." in out
    assert reviews(url) == [(ORDER[0], "Half True", None)]


def test_quitting_and_coming_back_resumes(url):
    review(url, ["1", "q"])
    out = review(url, ["q"])
    assert "Resuming your session: 1 claims done so far." in out and "Claim 2 / 5" in out


def test_end_of_input_quits_cleanly(url):
    out = review(url, ["k"])
    assert "Claim 2 / 5" in out and "Stopped after 1 claims" in out
    with db.open_store(url) as store, store.session() as s:
        assert s.scalars(select(Claim.lease_owner).where(Claim.lease_owner.is_not(None))).all() == []


def test_note_evidence_and_undo_by_keys(url):
    out = review(url, ["n", "Compared with the housing office's 2023 table.", "e", "https://stats.example/r",
                       "table 4", "u", "2", "q"])
    assert "note saved" in out and "evidence https://stats.example/r" in out and "undid evidence" in out
    assert "Note ana" in out and "Compared with the housing office" in out
    assert reviews(url) == [(ORDER[0], None, "Compared with the housing office's 2023 table."),
                            (ORDER[0], "Mostly True", None)]
    with db.open_store(url) as store, store.session() as s:
        assert s.scalars(select(Evidence)).all() == []


def test_speaker_and_role_corrections_by_keys(url):
    out = review(url, ["s", "tomas", "1", "r", "deputy mayor", "-", "q"])
    assert "1 Tomas Berg" in out and "speaker: Tomas Berg" in out
    assert "Tomas Berg — deputy mayor" in out and "rule manual" in out
    out = review(url, ["s", "Housing Office", "+", "o", "q"])
    assert "speaker: Housing Office (new)" in out


def test_cancelled_prompts_change_nothing(url):
    out = review(url, ["n", "", "e", "", "s", "", "r", "", "", "s", "nobody at all", "z", "q"])
    assert "✓" not in out
    assert reviews(url) == []


def test_help_unknown_keys_and_bad_input_are_explained(url):
    out = review(url, ["?", "z", "9", "e", "ftp://files.example/x", "", "u", "q"])
    assert "Pants on Fire: Not accurate, and makes a ridiculous claim." in out
    assert "correct the speaker" in out
    assert "Unknown key 'z': press ? for help." in out
    assert "No verdict 9 on the politifact scale: use 1 to 6." in out
    assert "Evidence needs an http(s) URL" in out
    assert "Nothing to undo in this session." in out


def test_not_checkable_and_skip_keys(url):
    out = review(url, ["x", "k", "q"])
    assert "not checkable" in out and "skipped" in out and "Claim 3 / 5" in out
    with db.open_store(url) as store, store.session() as s:
        assert s.scalars(select(Claim.status).where(Claim.text == ORDER[0])).first() == "not_checkable"


def test_earlier_verdicts_are_shown(url):
    out = review(url, ["2", "q"])
    assert "Earlier verdicts on this claim or near-identical ones:" in out
    assert "Mostly True — ana" in out and "same claim" in out


def test_markup_and_escape_sequences_in_articles_print_literally(url):
    out = review(url, ["q"], "--outlet", "Tribune")
    assert "Prices will fall by [red]half[/red] next spring" in out
    assert "\\x1b[31mRED\\x1b[0m" in out
    assert "\x1b" not in out
    assert "[bold]Tribune" in out and "Markup [red]Test" in out and "https://tribune.example/[red]x" in out
    assert "A second paragraph" not in out  # only the quote's paragraph


def test_the_end_of_the_queue_offers_undo(url):
    out = review(url, ["1", "u", "q"], "--outlet", "Tribune")
    assert "Nothing left to review" in out and "undid verdict" in out
    assert reviews(url) == []
    out = review(url, ["1", "q"], "--outlet", "Tribune")
    assert "Nothing left to review in this queue: 1 claims done." in out


def test_bad_filters_are_one_line_errors(url):
    result = run("review", "--db", url, "--speaker", "Priya Ramen", input="q\n")
    assert result.exit_code == 1 and "did you mean 'Priya Raman'" in result.stderr
    result = run("review", "--db", url, "--scale", "nope", input="q\n")
    assert result.exit_code == 1 and "No rating scale 'nope'" in result.stderr


def test_history_shows_who_did_what(url):
    review(url, ["n", "first look", "4", "q"])
    with db.open_store(url) as store, store.session() as s:
        claim_id = s.scalars(select(Review.claim_id)).first()
    result = run("history", str(claim_id), "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "note" in result.stdout and "verdict" in result.stdout and "ana" in result.stdout
    assert "unreviewed → reviewed" in result.stdout and "Mostly False" in result.stdout
    data = run_json("history", f"#{claim_id}", "--db", url)
    assert [e["action"] for e in data["events"]] == ["note", "verdict"]
    missing = run("history", "999", "--db", url)
    assert missing.exit_code == 1 and "No claim 999" in missing.stderr


def test_scales_add_list_and_review_with_a_newsroom_scale(url):
    result = run("scales", "add", "newsroom", "Correct: Checks out.", "Misleading: True but misleading.",
                 "Wrong: Does not check out.", "--description", "our own", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "Added scale newsroom with 3 steps" in result.stdout
    listed = run("scales", "list", "--db", url)
    assert "newsroom" in listed.stdout and "2 Misleading: True but misleading." in listed.stdout
    assert [s["name"] for s in run_json("scales", "list", "--db", url)] == ["newsroom", "politifact"]
    out = review(url, ["2", "q"], "--scale", "newsroom")
    assert "1 Correct  2 Misleading  3 Wrong" in out and "2 Misleading" in out
    assert reviews(url)[0][1] == "Misleading"
    bad = run("scales", "add", "x", "Only: one", "--db", url)
    assert bad.exit_code == 1 and "2 to 9 steps" in bad.stderr
