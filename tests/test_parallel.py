"""``attribution ingest --workers N``: a process pool of real pipelines, the parent writing, resumable."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

import db
from attribution.scale.pool import ParallelExtractor, threads_per_worker
from attribution.types import Article
from tests.cli_helpers import run, run_json

pytestmark = pytest.mark.db

TEXTS = [
    "“The bridge opens in May,” said Lena Ortiz, a spokeswoman for the transport department.",
    "Farmers are worried. “We have had no rain since March,” Tom Becker told reporters on Monday.",
    "The ministry said in a statement that the new rules would take effect next year.",
]


def test_threads_are_shared_out_between_workers():
    assert threads_per_worker(2, cores=2) == 1
    assert threads_per_worker(1, cores=2) == 2
    assert threads_per_worker(4, cores=2) == 1
    assert threads_per_worker(2, cores=8) == 4


def test_pool_matches_the_in_process_extractor_and_ingest_resumes(models_dir, extractor, db_url):
    articles = [Article(id=f"a{k}", text=t) for k, t in enumerate(TEXTS)]
    expected = [[(q.start, q.end, q.speaker) for q in r.quotes] for r in extractor.extract_many(articles)]
    with ParallelExtractor(models_dir, workers=2, batch_size=1) as pool:
        pool.start(wait=True)  # both pipelines loaded, so both workers take a task
        got = [[(q.start, q.end, q.speaker) for q in r.quotes] for r in pool.extract_many(articles)]
        assert got == expected
        assert len(pool.stats) == 2  # both workers took a batch
        assert all(s["peak_rss_mb"] < 2048 for s in pool.stats.values())
        # One batch of three is cut into tasks the workers share, and comes back whole and in order.
        pool.task_size, pool.stats = 1, {}
        (batch,) = list(pool.extract_batches([articles]))
        assert [a.id for a, _ in batch] == ["a0", "a1", "a2"]
        assert [[(q.start, q.end, q.speaker) for q in r.quotes] for _, r in batch] == expected
        assert len(pool.stats) == 2
        with db.open_store(db_url, create=True) as store:
            # An interrupted run stored the first two; running again parses only the third.
            first = db.ingest(store, articles[:2], pool, batch_size=1)
            assert (first.new, first.failed) == (2, 0)
            again = db.ingest(store, articles, pool, batch_size=1)
            assert (again.new, again.unchanged, again.failed) == (1, 2, 0)
            assert again.quotes == len(expected[2])


def test_a_pool_given_no_work_ends_without_loading_its_models(models_dir):
    pool = ParallelExtractor(models_dir, workers=2)
    pool.start()  # the workers start loading ...
    started = time.perf_counter()
    pool.close()  # ... and nothing needed parsing: they are ended, not waited for
    assert time.perf_counter() - started < 2.0


def test_loading_builds_no_optimisers_and_imports_no_compiler(models_dir):
    # A fresh interpreter: torch's compiler is imported by the first optimiser a process builds.
    code = ("import sys; from pathlib import Path; from attribution.parsing.pipeline import Parser; "
            "p = Parser(Path(sys.argv[1])); p.parse(['“Yes,” she said.']); print('torch._dynamo' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(models_dir)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_cli_workers(models_dir, db_url, tmp_path):
    d = tmp_path / "news"
    d.mkdir()
    for k, t in enumerate(TEXTS[:2]):
        (d / f"a{k}.txt").write_text(t, encoding="utf-8")
    res = run("ingest", d, "--db", db_url, "--models", models_dir, "--workers", "2", "--batch-size", "1")
    assert res.exit_code == 0, res.stderr + res.stdout
    assert "2 articles: 2 new, 0 unchanged" in res.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 2
    bad = run("ingest", d, "--db", db_url, "--ray-address", "auto")
    assert bad.exit_code != 0 and "--engine ray" in bad.stderr
