"""Crashes and concurrency: an ingest killed with SIGKILL leaves no partial article and a rerun finishes the
job; an ingest and readers run at the same time, each reader seeing whole articles only.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import pytest
import typer
from sqlalchemy import func, select

import db
from attribution.types import Article
from cli.app import app
from db.store.models import Article as StoredArticle
from db.store.models import Claim as StoredClaim
from db.store.models import Quote as StoredQuote
from tests.db_helpers import VERSION, Canned, claim, entity, quote, result

pytestmark = pytest.mark.db

SCRIPT = Path(sys.executable).parent / "attribution"
needs_script = pytest.mark.skipif(not SCRIPT.is_file(), reason="the attribution console script is not installed")

PEOPLE = ["Clara Oduya", "Ingrid Solberg", "Tomas Varga", "Priya Raman", "Selma Okafor", "Jonas Berg",
          "Amira Haddad", "Lena Fischer", "Mateo Rossi", "Keiko Tanaka"]
PLACES = ["Norwell", "Eastfield", "Riverside", "Harbourton", "Millbrook"]


def small_articles(n: int = 20) -> dict[str, str]:
    """``n`` small articles of our own, each with a quote or two and a checkable number."""
    out = {}
    for i in range(n):
        who, other, where = PEOPLE[i % 10], PEOPLE[(i + 3) % 10], PLACES[i % 5]
        out[f"story-{i:02d}"] = (
            f"{where} council approves plan {i}\n\n"
            f"The council in {where} approved plan number {i} on Tuesday after a long debate.\n\n"
            f"“The plan will cut waiting times by {10 + i} percent,” said {who}, a spokesperson for the council.\n\n"
            f"{other} said the cost of {i + 2} million dollars was too high. “We will keep asking questions,” "
            f"{other.split()[0]} added.\n")
    return out


def snapshot(url: str) -> dict[str, list[tuple[int, int, str, int]]]:
    """Stored articles by text: their quotes as (start, end, content, number of claims), in text order."""
    with db.open_store(url) as store, store.session() as s:
        texts = dict(s.execute(select(StoredArticle.id, StoredArticle.text)).all())
        claims = dict(s.execute(select(StoredClaim.quote_id, func.count())
                                   .group_by(StoredClaim.quote_id)).all())
        quotes: dict[int, list] = defaultdict(list)
        for qid, aid, start, end, content in s.execute(select(
                StoredQuote.id, StoredQuote.article_id, StoredQuote.start, StoredQuote.end, StoredQuote.content)
                .order_by(StoredQuote.start, StoredQuote.id)):
            quotes[aid].append((start, end, content, claims.get(qid, 0)))
    return {texts[aid]: quotes.get(aid, []) for aid in texts}


def expected(extractor, texts: list[str]) -> dict[str, list[tuple[int, int, str, int]]]:
    """What a complete ingest stores for each text, from the same extractor in this process."""
    out = {}
    for text in texts:
        res = extractor.extract(Article(id="x", text=text))
        out[text] = sorted((q.start, q.end, q.content, len(q.claims)) for q in res.quotes)
    return out


def assert_whole(url: str, want: dict[str, list]) -> dict[str, list]:
    """Every stored article has exactly its quotes and claims; returns the snapshot."""
    snap = snapshot(url)
    for text, quotes in snap.items():
        assert text in want, "an article that was never given"
        assert sorted(quotes) == want[text], f"partial article: {text[:40]!r}"
    return snap


@needs_script
@pytest.mark.slow
def test_ingest_killed_with_sigkill_leaves_whole_articles_and_a_rerun_finishes(db_url, extractor, models_dir,
                                                                               tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    articles = small_articles(20)
    for name, text in articles.items():
        (news / f"{name}.txt").write_text(text, encoding="utf-8")
    want = expected(extractor, list(articles.values()))
    assert sum(len(q) for q in want.values()) >= 20, "the extractor should find the quotes of these articles"

    db.setup_database(db_url)
    kill_after = random.Random().randint(2, 12)
    args = [str(SCRIPT), "ingest", str(news), "--db", db_url, "--models", str(models_dir), "--batch-size", "1"]
    env = dict(os.environ, ATTRIBUTION_DEBUG="0")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 300
    seen = 0
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            # A reader running beside the writer: it must only ever see whole articles.
            seen = len(assert_whole(db_url, want))
            if seen >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
            time.sleep(0.02)
    finally:
        if proc.poll() is None and seen < kill_after:
            proc.kill()
        proc.communicate(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"ingest ended before the kill ({proc.returncode})"

    after_kill = assert_whole(db_url, want)
    assert kill_after <= len(after_kill) < len(articles)

    rerun = subprocess.run(args, capture_output=True, text=True, env=env, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert f"{len(after_kill)} unchanged" in rerun.stdout
    assert f"{len(articles) - len(after_kill)} new" in rerun.stdout
    final = assert_whole(db_url, want)
    assert set(final) == set(articles.values())


@needs_script
@pytest.mark.slow
def test_review_session_killed_with_sigkill_leaves_whole_reviews_and_resumes(db_url):
    commands = getattr(typer.main.get_command(app), "commands", {})
    if "review" not in commands:
        pytest.skip("`attribution review` does not exist yet (another engineer is building it)")
    from db.store.models import Review

    db.setup_database(db_url)
    arts, canned, counts = _canned_newsroom(12)
    with db.open_store(db_url) as store:
        assert db.ingest(store, arts, canned, version=VERSION).failed == 0
    total = sum(counts.values())

    def state() -> tuple[list[tuple[int, str, int]], list[int]]:
        # One statement for claims and their reviews: on PostgreSQL (READ COMMITTED) two statements would see
        # two snapshots, with the reviewer's commits in between.
        with db.open_store(db_url) as store, store.session() as s:
            per_claim = list(s.execute(select(StoredClaim.id, StoredClaim.status, func.count(Review.id))
                                       .outerjoin(Review, Review.claim_id == StoredClaim.id)
                                       .group_by(StoredClaim.id, StoredClaim.status)).all())
            orphans = list(s.scalars(select(Review.id).where(Review.claim_id.not_in(select(StoredClaim.id)))))
        return per_claim, orphans

    def assert_consistent() -> int:
        per_claim, orphans = state()
        assert orphans == []
        for cid, status, reviews in per_claim:
            # A verdict and its claim's status are one transaction: both or neither.
            assert (status == "reviewed") == (reviews > 0), (cid, status, reviews)
            assert reviews <= 1, f"claim {cid} reviewed twice"
        return sum(r for _, _, r in per_claim)

    args = [str(SCRIPT), "review", "--db", db_url, "--reviewer", "kim"]
    env = dict(os.environ, ATTRIBUTION_DEBUG="0")
    proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True)
    kill_after = random.Random().randint(2, 6)
    deadline = time.monotonic() + 120
    done = 0
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            done = assert_consistent()
            if done >= kill_after:
                os.kill(proc.pid, signal.SIGKILL)
                break
            proc.stdin.write("1\n")  # a verdict: True
            proc.stdin.flush()
            time.sleep(0.05)
    finally:
        if proc.poll() is None and done < kill_after:
            proc.kill()
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, f"review ended before the kill ({proc.returncode})"
    reviewed = assert_consistent()
    assert kill_after <= reviewed < total

    # The rerun resumes (the killed session's lease on its current claim is its own) and finishes the queue.
    keys = "1\n" * (total - reviewed) + "q\n"
    rerun = subprocess.run(args, input=keys, capture_output=True, text=True, env=env, timeout=300)
    assert rerun.returncode == 0, rerun.stderr
    assert "Traceback" not in rerun.stderr
    assert assert_consistent() == total


# --- concurrent ingest and queries ----------------------------------------------------------------------


def _canned_newsroom(n: int) -> tuple[list[Article], Canned, dict[str, int]]:
    """``n`` hand-built articles with 1-3 quotes each (no parser), and each one's quote count by id."""
    canned = Canned()
    arts, counts = [], {}
    for i in range(n):
        who = PEOPLE[i % 10]
        parts = [f"Story {i}.\n"] + [f"“Point {k} of story {i} is {k * i} percent,” said {who}.\n"
                                     for k in range(1 + i % 3)]
        text = "".join(parts)
        art = Article(id=f"c{i}", text=text, published=f"2024-02-{1 + i % 28:02d}")
        qs = [quote(text, f"Point {k} of story {i} is {k * i} percent,", who, entity_id=1,
                    claims=[claim(text, f"Point {k} of story {i} is {k * i} percent")])
              for k in range(1 + i % 3)]
        canned.add(result(art, qs, [entity(text, 1, who)]))
        arts.append(art)
        counts[art.id] = len(qs)
    return arts, canned, counts


def test_concurrent_ingest_and_queries(db_url):
    db.setup_database(db_url)
    arts, canned, counts = _canned_newsroom(40)
    by_text = {a.text: counts[a.id] for a in arts}
    done = threading.Event()
    errors: list[BaseException] = []

    def slow(article: Article):
        time.sleep(0.01)  # let readers in between the writer's transactions
        return canned(article)

    def writer() -> None:
        try:
            with db.open_store(db_url) as store:
                report = db.ingest(store, arts, slow, version=VERSION, batch_size=1)
            assert report.failed == 0, report.failures
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    def reader() -> None:
        try:
            with db.open_store(db_url) as store:
                while not done.is_set():
                    with store.session() as s:
                        per_article = dict(s.execute(select(StoredArticle.text, func.count(StoredQuote.id))
                                                     .outerjoin(StoredQuote)
                                                     .group_by(StoredArticle.id, StoredArticle.text)).all())
                        for text, n in per_article.items():
                            assert n == by_text[text], "a reader saw a partly written article"
                        db.find_quotes(s, db.QuoteFilter(text="percent", limit=5))
                        db.stats(s)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [threading.Thread(target=reader) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with db.open_store(db_url) as store, store.session() as s:
        assert s.scalar(select(func.count(StoredArticle.id))) == 40
        assert s.scalar(select(func.count(StoredQuote.id))) == sum(counts.values())


def test_sqlite_connections_use_wal_and_a_busy_timeout(db_url, db_backend):
    if db_backend != "sqlite":
        pytest.skip("SQLite pragmas")
    from sqlalchemy import text

    db.setup_database(db_url)
    with db.open_store(db_url) as store, store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
