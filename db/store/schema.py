"""Creating, upgrading and checking the schema with the packaged Alembic migrations."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"

SchemaState = Literal["missing", "old", "current", "new"]


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database's schema stands against this version's migrations."""

    state: SchemaState
    revision: str | None
    head: str


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config over the packaged migrations, optionally bound to a connection."""
    cfg = Config()
    # configparser interpolation: a '%' in the install path must be doubled.
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest revision this version of attribution knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "no migrations packaged"
    return head


def status(connection: Connection) -> SchemaStatus:
    """Whether the schema is missing, older than, equal to or newer than this version's head."""
    script = ScriptDirectory.from_config(alembic_config())
    head = script.get_current_head() or ""
    revision = MigrationContext.configure(connection).get_current_revision()
    if revision is None:
        return SchemaStatus("missing", None, head)
    if revision == head:
        return SchemaStatus("current", revision, head)
    try:
        known = script.get_revision(revision) is not None
    except CommandError:
        known = False
    return SchemaStatus("old" if known else "new", revision, head)


def upgrade(engine: Engine) -> SchemaStatus:
    """Create the schema or upgrade it to head, in one transaction where the backend allows."""
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
        return status(conn)
