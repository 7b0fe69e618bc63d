"""Alembic environment: runs on the connection :mod:`db.store.schema` hands over (``config.attributes``)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from db.store.models import SQLModel

config = context.config
target_metadata = SQLModel.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode rebuilds tables for later migrations.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Migrate on the given connection, or on one to ``sqlalchemy.url`` (for alembic's own CLI)."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = config.get_main_option("sqlalchemy.url")
    if not url:
        raise SystemExit("alembic: set sqlalchemy.url, or run `attribution setup`")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)


if context.is_offline_mode():  # pragma: no cover - offline SQL generation is not supported
    raise SystemExit("offline migrations are not supported; run `attribution setup`")
run_migrations_online()
