"""Several reviewers at once, as separate processes on one database (SQLite, or PostgreSQL with
ATTRIBUTION_TEST_DB=postgres): never the same claim at the same time, and no verdict over someone else's change.

The workers are this module's functions run in child Python processes (``python -c``), each with its own
engine and connections, as two reviewers' terminals would be.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import db
from db.store.models import Claim, Review
from tests.test_review_data import review_db

pytestmark = pytest.mark.db

ROOT = Path(__file__).resolve().parent.parent
EXTRA = 24  # numbered articles on top of the five review claims


def _wait_for(path: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    # Until it has content: write_text creates the file before writing, so it can be seen empty.
    while not path.exists() or not path.read_text():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} never appeared")
        time.sleep(0.01)


def drain(url: str, reviewer: str, start: str, out: str) -> None:
    """Worker: once ``start`` exists, take claims one by one, hold each a moment, rule on it; write the ids."""
    from db.review.session import ReviewConflict, ReviewSession

    _wait_for(Path(start))
    taken: list[int] = []
    conflicts = 0
    with db.open_store(url) as store:
        rs = ReviewSession(store, reviewer).open()
        while (card := rs.card()) is not None:
            taken.append(card.claim_id)
            time.sleep(0.01)  # the other reviewer is taking claims meanwhile
            try:
                rs.verdict(1 + card.claim_id % 6)
            except ReviewConflict:
                conflicts += 1
        rs.close()
    Path(out).write_text(json.dumps({"taken": taken, "conflicts": conflicts}))


def hold_then_rule(url: str, ready: str, go: str, out: str) -> None:
    """Worker: take a claim on a 1-second lease, say so, wait, then try a verdict on it; write what happened."""
    from db.review.session import ReviewConflict, ReviewSession

    with db.open_store(url) as store:
        rs = ReviewSession(store, "ana", lease_seconds=1).open()
        card = rs.card()
        assert card is not None
        Path(ready).write_text(str(card.claim_id))
        _wait_for(Path(go))
        try:
            rs.verdict(1)
            result = {"claim": card.claim_id, "saved": True}
        except ReviewConflict as exc:
            result = {"claim": card.claim_id, "saved": False, "message": str(exc)}
    Path(out).write_text(json.dumps(result))


def _spawn(func: str, *args: str) -> subprocess.Popen:
    code = f"import sys; from tests.test_review_concurrency import {func}; {func}(*sys.argv[1:])"
    return subprocess.Popen([sys.executable, "-c", code, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(proc: subprocess.Popen, timeout: float = 120) -> None:
    try:
        _stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    assert proc.returncode == 0, stderr


def test_two_reviewer_processes_never_get_the_same_claim(db_url, tmp_path):
    review_db(db_url, extra=EXTRA)
    start = tmp_path / "start"
    outs = [tmp_path / "ana.json", tmp_path / "ben.json"]
    procs = [_spawn("drain", db_url, name, str(start), str(out)) for name, out in zip(("ana", "ben"), outs,
                                                                                       strict=True)]
    time.sleep(1.0)  # both processes imported and waiting: start them together
    start.write_text("go")
    for proc in procs:
        _finish(proc)
    results = [json.loads(out.read_text()) for out in outs]
    ana, ben = (set(r["taken"]) for r in results)
    assert ana and ben, "both reviewers got work"
    assert not ana & ben, f"claims taken by both: {sorted(ana & ben)}"
    assert all(r["conflicts"] == 0 for r in results)
    with db.open_store(db_url) as store, store.session() as s:
        every = set(s.scalars(select(Claim.id)))
        per_claim = dict(s.execute(select(Review.claim_id, func.count(Review.id)).group_by(Review.claim_id)).all())
        statuses = set(s.scalars(select(Claim.status)))
    assert ana | ben == every
    assert set(per_claim.values()) == {1}, "each claim got exactly one verdict"
    assert statuses == {"reviewed"}


def test_a_stale_verdict_from_another_process_is_refused(db_url, tmp_path):
    from db.review.session import ReviewSession

    review_db(db_url)
    ready, go, out = tmp_path / "ready", tmp_path / "go", tmp_path / "ana.json"
    proc = _spawn("hold_then_rule", db_url, str(ready), str(go), str(out))
    try:
        _wait_for(ready)
        held = int(ready.read_text())
        with db.open_store(db_url) as store:
            ben = ReviewSession(store, "ben").open()
            assert ben.card().claim_id != held  # ana's lease runs: ben gets another claim
            time.sleep(1.3)  # ana's lease expires
            ben.skip()
            card = ben.card()
            assert card.claim_id == held
            ben.verdict(5)
        go.write_text("go")
        _finish(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
    result = json.loads(out.read_text())
    assert result["saved"] is False
    assert f"Claim {held} was changed by ben" in result["message"] and "nothing was saved" in result["message"]
    with db.open_store(db_url) as store, store.session() as s:
        verdicts = s.scalars(select(Review.verdict).where(Review.claim_id == held)).all()
    assert verdicts == ["False"]

