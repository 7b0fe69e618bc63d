"""``attribution ingest --engine ray``: Ray actors (a pipeline each) extracting and writing, on local Ray."""

from __future__ import annotations

import pytest

import db
from attribution.types import Article
from tests.cli_helpers import run, run_json

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'attribution[ray]')")

pytestmark = pytest.mark.db

TEXTS = [
    "“The bridge opens in May,” said Lena Ortiz, a spokeswoman for the transport department.",
    "Farmers are worried. “We have had no rain since March,” Tom Becker told reporters on Monday.",
]


@pytest.fixture(scope="module")
def local_ray():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


def test_ray_actors_extract_and_store(local_ray, models_dir, extractor, db_url):
    from db.write.ray_writer import RayIngestEngine

    articles = [Article(id=f"r{k}", text=t) for k, t in enumerate(TEXTS)]
    expected = sum(len(r.quotes) for r in extractor.extract_many(articles))
    with db.open_store(db_url, create=True) as store, \
            RayIngestEngine(db_url, models_dir, actors=1, batch_size=1) as eng:
        report = db.ingest(store, articles, eng, batch_size=1)
        assert (report.new, report.failed, report.quotes) == (2, 0, expected)
        assert all(s["peak_rss_mb"] < 2048 for s in eng.stats.values())
        again = db.ingest(store, articles, eng, batch_size=1)  # skipped by the driver, before any actor
        assert (again.new, again.unchanged) == (0, 2)


def test_cli_engine_ray(local_ray, models_dir, db_url, tmp_path):
    d = tmp_path / "news"
    d.mkdir()
    (d / "a.txt").write_text(TEXTS[0], encoding="utf-8")
    res = run("ingest", d, "--db", db_url, "--models", models_dir, "--engine", "ray", "--workers", "1")
    assert res.exit_code == 0, res.stderr + res.stdout
    assert "1 articles: 1 new" in res.stdout
    assert run_json("stats", "--db", db_url)["articles"] == 1


def test_ray_engine_extracts_without_a_store(local_ray, models_dir, extractor):
    """The extraction engine alone (attribution.scale.ray_engine) gives the in-process extractor's quotes."""
    from attribution.scale.ray_engine import RayEngine

    articles = [Article(id=f"x{k}", text=t) for k, t in enumerate(TEXTS)]
    expected = [[q.to_dict() for q in r.quotes] for r in extractor.extract_many(articles)]
    with RayEngine(models_dir, actors=1, batch_size=1) as eng:
        assert not hasattr(eng, "ingest_batches")  # nothing here can write to a database
        got = [[q.to_dict() for q in r.quotes] for r in eng.extract_many(articles)]
    assert got == expected
    assert any(expected)
