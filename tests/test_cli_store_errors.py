"""Database problems are one red line and exit 1, never a traceback, never a password."""

from __future__ import annotations

import pytest
from sqlalchemy import text

import db
from tests.cli_helpers import run

pytestmark = pytest.mark.db


def test_missing_database_says_what_to_run(tmp_path):
    result = run("quotes", "--db", tmp_path / "none.db")
    assert result.exit_code == 1
    assert "attribution setup" in result.stderr and result.stderr.count("\n") == 1


def test_newer_schema_says_to_upgrade_attribution(db_url):
    db.setup_database(db_url)
    with db.make_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    for args in (("quotes",), ("stats",), ("setup", "--models-from", "/nonexistent")):
        result = run(*args, "--db", db_url)
        assert result.exit_code == 1, args
    assert "upgrade attribution" in run("stats", "--db", db_url).stderr


def test_unreachable_server_masks_the_password():
    result = run("stats", "--db", "postgresql://reader:topsecret@127.0.0.1:1/news")
    assert result.exit_code == 1
    assert "topsecret" not in result.stderr and "***" in result.stderr


def test_unsupported_url(tmp_path):
    result = run("stats", "--db", "oracle://x:pw@h/d")
    assert result.exit_code == 1 and "Unsupported database" in result.stderr and "pw@" not in result.stderr


def test_db_from_environment(db_url, monkeypatch):
    db.setup_database(db_url)
    monkeypatch.setenv("ATTRIBUTION_DB", db_url)
    assert run("stats").exit_code == 0


def test_every_store_command_has_help():
    for args in (("ingest",), ("quotes",), ("speakers",), ("speakers", "merge"), ("speakers", "split"),
                 ("speakers", "unmerge"), ("speaker",), ("show",), ("stats",), ("export",)):
        result = run(*args, "--help")
        assert result.exit_code == 0, args
        assert len(result.stdout.strip().splitlines()) > 3


def test_setup_creates_and_reports_the_database_masked(db_url, models_dir):
    result = run("setup", "--models", models_dir, "--db", db_url)
    assert result.exit_code == 0, result.stderr
    assert "Database:" in result.stdout
    assert ":attribution@" not in result.stdout  # the test server's password never shows
    assert run("stats", "--db", db_url).exit_code == 0
