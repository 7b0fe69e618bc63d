"""End to end: the real ``attribution review`` in a real terminal (tmux), driven by single keystrokes.

Each test runs its own tmux server on a private socket (``-L``) and kills it at the end. Skipped, with the
reason, when tmux is not installed.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

import db
from db.store.models import Claim, Review
from tests.test_review_data import review_db

pytestmark = [pytest.mark.db, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

ROOT = Path(__file__).resolve().parent.parent


def attribution_command() -> str:
    """The installed console script beside this Python, else the module."""
    script = Path(sys.executable).with_name("attribution")
    return shlex.quote(str(script)) if script.exists() else f"{shlex.quote(sys.executable)} -m cli.app"


class Tmux:
    """A private tmux server: start commands in sessions, send keys, read the screen."""

    def __init__(self, home: Path):
        self.socket = f"attribution-test-{uuid.uuid4().hex[:10]}"
        self.home = home

    def tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=20)
        if done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self, name: str, *args: str) -> None:
        env = f"env ATTRIBUTION_HOME={shlex.quote(str(self.home))} TERM=xterm-256color"
        command = f"{env} {attribution_command()} {' '.join(shlex.quote(a) for a in args)}; echo EXIT=$?; sleep 600"
        self.tmux("new-session", "-d", "-s", name, "-x", "160", "-y", "50", "-c", str(ROOT), command)

    def screen(self, name: str) -> str:
        return self.tmux("capture-pane", "-p", "-J", "-t", name)

    def wait_for(self, name: str, pattern: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen(name)
            if re.search(pattern, text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared; screen:\n{text}")
            time.sleep(0.1)

    def keys(self, name: str, *keys: str) -> None:
        """Send keys: each is a tmux key name (Enter, C-c) or, with a leading '=', literal text."""
        for key in keys:
            if key.startswith("="):
                self.tmux("send-keys", "-t", name, "-l", key[1:])
            else:
                self.tmux("send-keys", "-t", name, key)

    def kill(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True, timeout=20)


@pytest.fixture
def term(tmp_path) -> Iterator[Tmux]:
    server = Tmux(tmp_path / "home")
    try:
        yield server
    finally:
        server.kill()


@pytest.fixture
def url(db_url):
    return review_db(db_url)


def verdicts(url: str) -> list[str | None]:
    with db.open_store(url) as store, store.session() as s:
        return list(s.scalars(select(Review.verdict).order_by(Review.id)))


def test_single_keys_review_save_and_resume_in_a_terminal(term, url):
    term.start("ana", "review", "--db", url, "--reviewer", "ana")
    term.wait_for("ana", r"Claim 1 / 5")
    term.keys("ana", "3")  # one key, no Enter: raw mode
    screen = term.wait_for("ana", r"(?s)Claim 2 / 5.*Verdict 1-6")
    assert "3 Half True" in screen
    term.keys("ana", "n")
    term.wait_for("ana", r"Note \(Enter cancels\)")
    term.keys("ana", "=rechecked with the housing office", "Enter")
    screen = term.wait_for("ana", r"note saved")
    assert "rechecked with the housing office" in screen
    term.keys("ana", "u")
    term.wait_for("ana", r"undid note")
    term.keys("ana", "q")
    screen = term.wait_for("ana", r"EXIT=0")
    assert "Stopped after 1 claims" in screen
    assert verdicts(url) == ["Half True"]
    term.start("again", "review", "--db", url, "--reviewer", "ana")
    screen = term.wait_for("again", r"(?s)Claim 2 / 5.*Verdict 1-6")
    assert "Resuming your session: 1 claims done so far." in screen
    term.keys("again", "C-c")  # Ctrl-C in raw mode quits cleanly, like q
    assert "Stopped after 1 claims" in term.wait_for("again", r"EXIT=0")


def test_markup_and_escapes_in_an_article_show_literally_in_a_terminal(term, url):
    term.start("t", "review", "--db", url, "--reviewer", "ana", "--outlet", "Tribune")
    # The prompt is drawn last: waiting for the header alone can read a half-drawn card on a busy machine.
    screen = term.wait_for("t", r"(?s)Claim 1 / 1.*Verdict 1-6")
    assert "Prices will fall by [red]half[/red] next spring" in screen
    assert "\\x1b[31mRED\\x1b[0m" in screen
    assert "Markup [red]Test" in screen and "[bold]Tribune" in screen
    term.keys("t", "?")
    term.wait_for("t", r"Pants on Fire: Not accurate")
    term.keys("t", "n")
    term.wait_for("t", r"Note \(Enter cancels\)")
    term.keys("t", "=half a note", "C-c")  # Ctrl-C while typing a line: quits cleanly, nothing saved
    assert "Stopped after 0 claims" in term.wait_for("t", r"EXIT=0")
    assert verdicts(url) == []
    with db.open_store(url) as store, store.session() as s:
        assert s.scalars(select(Claim.lease_owner).where(Claim.lease_owner.is_not(None))).all() == []


def test_two_reviewers_in_two_terminals_get_different_claims(term, url):
    term.start("ana", "review", "--db", url, "--reviewer", "ana")
    first = term.wait_for("ana", r"#\d+ · reviewer ana")
    term.start("ben", "review", "--db", url, "--reviewer", "ben")
    second = term.wait_for("ben", r"#\d+ · reviewer ben")
    ana_claim = int(re.search(r"#(\d+) · reviewer ana", first).group(1))
    ben_claim = int(re.search(r"#(\d+) · reviewer ben", second).group(1))
    assert ana_claim != ben_claim
    with db.open_store(url) as store, store.session() as s:
        owners = dict(s.execute(select(Claim.id, Claim.lease_owner).where(Claim.lease_owner.is_not(None))).all())
    assert owners == {ana_claim: "ana", ben_claim: "ben"}
    term.keys("ana", "1")
    term.keys("ben", "6")
    third = term.wait_for("ana", r"Claim 2 / ")
    fourth = term.wait_for("ben", r"Claim 2 / ")
    assert re.search(r"#(\d+) · reviewer ana", third).group(1) != re.search(r"#(\d+) · reviewer ben",
                                                                             fourth).group(1)
    term.keys("ana", "q")
    term.keys("ben", "q")
    term.wait_for("ana", r"EXIT=0")
    term.wait_for("ben", r"EXIT=0")
    assert sorted(verdicts(url)) == ["Pants on Fire", "True"]



def test_unsure_queue_accept_and_correct_by_single_keys_in_a_terminal(term, db_url):
    from db.store.models import Quote
    from tests.unsure_helpers import ferry_db

    url = ferry_db(db_url)
    term.start("u", "review", "--unsure", "--db", url, "--reviewer", "ana", "--min-confidence", "0.2")
    screen = term.wait_for("u", r"(?s)Attribution 1 / 3.*Speaker right\?")
    assert "Confidence: 0.30" in screen and "Speaker: Petra Lind (as “Jonas Berg”)" in screen
    term.keys("u", "s")  # one key, no Enter: raw mode
    term.wait_for("u", r"Who said it\?")
    term.keys("u", "=Jonas Berg", "Enter")
    term.wait_for("u", r"Pick 1-1 or \+")
    term.keys("u", "1")
    screen = term.wait_for("u", r"(?s)Attribution 2 / 3.*Speaker right\?")
    assert "speaker: Jonas Berg" in screen and "Confidence: 0.45" in screen
    term.keys("u", "y")
    screen = term.wait_for("u", r"(?s)Attribution 3 / 3.*Speaker right\?")
    assert "accepted Petra Lind" in screen
    term.keys("u", "q")
    assert "Stopped after 2 attributions" in term.wait_for("u", r"EXIT=0")
    with db.open_store(url) as store, store.session() as s:
        checked = {q.content: (q.speaker_name, q.speaker_review) for q in s.scalars(
            select(Quote).where(Quote.speaker_review.is_not(None)))}
    assert checked == {"the timetable would stay": ("Jonas Berg", "corrected"),
                       "We had no choice,": ("Petra Lind", "accepted")}
