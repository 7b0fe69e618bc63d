"""Two ingests of the same articles at once: each article and speaker stored once, nothing fails."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

import db
from db.store.models import Article, Speaker
from tests.db_helpers import VERSION, newsroom

pytestmark = pytest.mark.db


def test_concurrent_ingests_store_everything_once(db_url):
    db.setup_database(db_url)
    reports: list[db.IngestReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(3)

    def worker() -> None:
        try:
            articles, canned = newsroom()
            with db.open_store(db_url) as store:  # one engine per worker, as separate processes would have
                start.wait()
                for _ in range(3):
                    reports.append(db.ingest(store, articles, canned, version=VERSION, batch_size=1))
        except BaseException as exc:  # surfaced below: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sum(r.failed for r in reports) == 0, [r.failures for r in reports]
    assert sum(r.new for r in reports) == 3
    with db.open_store(db_url) as store, store.session() as s:
        assert s.scalar(select(func.count(Article.id))) == 3
        assert s.scalar(select(func.count(Speaker.id)).where(Speaker.name == "Maria Gonzalez")) == 1
