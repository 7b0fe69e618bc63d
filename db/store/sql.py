"""SQL the store writes the same way on both backends: a model's table, and INSERT ... ON CONFLICT."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def table_of(model: type[Any]) -> Table:
    """The table of a SQLModel class (declared on it at class creation, where type checkers do not look).

    Statements on the table skip the ORM's per-row work, which bulk writes (executemany) do not need.
    """
    table: Table = getattr(model, "__table__")  # noqa: B009 -- the attribute SQLModel sets, untyped
    return table


def dialect_name(bind: Session | Connection) -> str:
    """``sqlite`` or ``postgresql``: the backend a session or connection talks to."""
    return bind.get_bind().dialect.name if isinstance(bind, Session) else bind.dialect.name


def dialect_insert(bind: Session | Connection) -> Any:
    """The backend's own ``insert``, the one with ``on_conflict_do_nothing`` and ``on_conflict_do_update``."""
    return postgresql.insert if dialect_name(bind) == "postgresql" else sqlite.insert
