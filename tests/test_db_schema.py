"""Schema creation and upgrades: Alembic migrations, revision checks, seeds, append-only audit trail."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DBAPIError

import db
from db.store import schema
from db.store.models import AuditEvent, RatingLabel, RatingScale, SQLModel, StoreMeta

pytestmark = pytest.mark.db


def test_setup_creates_the_schema_at_head(db_url):
    display = db.setup_database(db_url)
    assert "***" in display or "@" not in display
    with db.open_store(db_url) as store, store.engine.connect() as conn:
        assert schema.status(conn).state == "current"
        assert schema.status(conn).revision == db.head_revision()
        tables = set(inspect(conn).get_table_names())
    assert {"article", "speaker", "speaker_alias", "role", "quote", "claim", "review", "rating_scale",
            "rating_label", "evidence", "audit_event", "store_meta"} <= tables


def test_setup_twice_is_harmless(db_url):
    db.setup_database(db_url)
    db.setup_database(db_url)
    with db.open_store(db_url) as store, store.session() as s:
        assert s.scalar(select(StoreMeta.value).where(StoreMeta.key == "schema_version")) == "1"
        assert len(s.scalars(select(RatingScale)).all()) == 1


def test_models_match_the_migrations(db_url):
    db.setup_database(db_url)
    with db.open_store(db_url) as store, store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), SQLModel.metadata)
    # The full-text structures are backend-specific and deliberately not in the models.
    diff = [d for d in diff if "quote_fts" not in repr(d) and "search_vector" not in repr(d)]
    assert diff == []


def test_politifact_scale_is_seeded_in_order(store):
    with store.session() as s:
        scale = s.scalars(select(RatingScale).where(RatingScale.name == "politifact")).one()
        labels = s.scalars(select(RatingLabel).where(RatingLabel.scale_id == scale.id)
                           .order_by(RatingLabel.position)).all()
    assert [label.label for label in labels] == ["True", "Mostly True", "Half True", "Mostly False", "False",
                                                 "Pants on Fire"]
    assert all(label.definition for label in labels)


def test_audit_trail_is_append_only(store):
    with store.session(write=True) as s:
        s.add(AuditEvent(actor="tester", entity_type="claim", entity_id="1", action="review", after={"x": 1}))
    for statement in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), store.session(write=True) as s:
            s.execute(text(statement))
    with store.session() as s:
        assert s.scalars(select(AuditEvent.actor)).all() == ["tester"]


def test_empty_database_says_to_run_setup(db_url):
    db.make_engine(db_url).dispose()  # an existing but empty database
    if db_url.startswith("sqlite"):
        with db.make_engine(db_url).connect() as conn:
            conn.execute(text("CREATE TABLE unrelated (x INTEGER)"))
            conn.commit()
    with pytest.raises(db.SchemaMissing, match="attribution setup"):
        db.open_store(db_url)


def test_missing_sqlite_file_is_not_created_by_readers(tmp_path):
    path = tmp_path / "nothing.db"
    with pytest.raises(db.SchemaMissing, match="attribution setup"):
        db.open_store(str(path))
    assert not path.exists()


def test_newer_schema_asks_to_upgrade_attribution(db_url):
    db.setup_database(db_url)
    with db.make_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    with pytest.raises(db.SchemaTooNew, match="upgrade attribution"):
        db.open_store(db_url)
    with pytest.raises(db.SchemaTooNew, match="upgrade attribution"):
        db.setup_database(db_url)


def test_older_schema_asks_to_run_setup(db_url, monkeypatch):
    db.setup_database(db_url)
    real = schema.status

    def older(conn):  # as if this version shipped a migration the database has not had yet
        got = real(conn)
        return schema.SchemaStatus("old", got.revision, "0002") if got.state == "current" else got

    monkeypatch.setattr(schema, "status", older)
    with pytest.raises(db.SchemaTooOld, match="run `attribution setup`"):
        db.open_store(db_url)


def test_ingest_creates_the_schema_in_an_empty_database(db_url):
    with db.open_store(db_url, create=True) as store, store.engine.connect() as conn:
        assert schema.status(conn).state == "current"


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'a.db'}"
    db.setup_database(url)
    with db.open_store(url) as store, store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000
