"""Database fixtures (a pytest plugin loaded by conftest.py).

``db_url`` is an SQLite file in tmp_path, or, with ``ATTRIBUTION_TEST_DB=postgres``, the server at
``ATTRIBUTION_TEST_PG_URL`` with a fresh schema per test (selected through the connection's search_path,
dropped afterwards). Mark tests that use them with ``pytest.mark.db``.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

PG_URL_ENV = "ATTRIBUTION_TEST_PG_URL"


def _postgres_wanted() -> bool:
    return os.environ.get("ATTRIBUTION_TEST_DB") == "postgres"


@pytest.fixture
def db_backend() -> str:
    """Which backend ``db_url`` points at: ``sqlite`` or ``postgresql``."""
    return "postgresql" if _postgres_wanted() else "sqlite"


@pytest.fixture
def db_url(tmp_path) -> Iterator[str]:
    """A URL of an empty database for one test."""
    if not _postgres_wanted():
        yield f"sqlite:///{tmp_path / 'attribution.db'}"
        return
    base = os.environ.get(PG_URL_ENV)
    if not base:
        pytest.skip(f"ATTRIBUTION_TEST_DB=postgres but {PG_URL_ENV} is not set")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    url = make_url(base).set(drivername="postgresql+psycopg")
    admin = create_engine(url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # server down: skip with the reason rather than error every test
        admin.dispose()
        pytest.skip(f"PostgreSQL at {url.render_as_string(hide_password=True)} unavailable: {exc}")
    scoped = url.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield scoped.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def store(db_url):
    """An open store with the schema created."""
    import db

    db.setup_database(db_url)
    with db.open_store(db_url) as opened:
        yield opened
