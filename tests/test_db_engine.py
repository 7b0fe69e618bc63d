"""Database URLs: plain paths, SQLite and PostgreSQL URLs, the default file, password masking."""

from __future__ import annotations

from pathlib import Path

import pytest

import db
from db.store.engine import resolve_url, sqlite_path


def test_plain_path_means_an_sqlite_file(tmp_path):
    url = resolve_url(str(tmp_path / "x.db"))
    assert url.get_backend_name() == "sqlite"
    assert sqlite_path(url) == tmp_path / "x.db"


def test_relative_path_is_made_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert sqlite_path(resolve_url("rel.db")) == tmp_path / "rel.db"


def test_default_is_a_file_in_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    assert db.default_url() == f"sqlite:///{tmp_path / 'home' / 'attribution.db'}"
    assert sqlite_path(resolve_url(None)) == tmp_path / "home" / "attribution.db"


@pytest.mark.parametrize("raw", ["postgres://u:pw@h/d", "postgresql://u:pw@h/d", "postgresql+psycopg://u:pw@h/d"])
def test_postgresql_urls_use_psycopg(raw):
    assert resolve_url(raw).drivername == "postgresql+psycopg"


def test_unsupported_backend_is_one_line_error_without_password():
    with pytest.raises(db.DatabaseURLError) as info:
        resolve_url("mysql://root:hunter2@localhost/news")
    assert "hunter2" not in str(info.value)
    assert "mysql" in str(info.value)


def test_mask_url_hides_passwords():
    assert db.mask_url("postgresql+psycopg://me:s3cret@db.example:5432/news") == \
        "postgresql+psycopg://me:***@db.example:5432/news"
    assert "s3cret" not in db.mask_url("postgresql://me:s3cret@[bad")


def test_setup_returns_a_masked_url(monkeypatch, tmp_path):
    shown = db.setup_database(str(tmp_path / "a.db"))
    assert shown == f"sqlite:///{tmp_path / 'a.db'}"
    assert Path(tmp_path / "a.db").exists()


def test_unreachable_server_is_one_line_error_without_password():
    with pytest.raises(db.DatabaseUnavailable) as info:
        db.open_store("postgresql://me:s3cret@127.0.0.1:1/news")
    assert "s3cret" not in str(info.value)
    assert "***" in str(info.value)
