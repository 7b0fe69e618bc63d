"""Opening a database: the engine, the schema check, and sessions that turn driver errors into one line."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from ..errors import DatabaseUnavailable, SchemaMissing, SchemaTooNew, SchemaTooOld, TransientConflict
from . import schema
from .engine import WRITE_OPTION, make_engine, mask_url, resolve_url, sqlite_path

#: PostgreSQL SQLSTATEs of deadlock and serialization failure: the transaction may simply be retried.
_TRANSIENT = {"40P01", "40001"}


class Store:
    """An open database: ``with store.session() as s`` for reads, ``store.session(write=True)`` for writes.

    Each ``session()`` block is one transaction: committed when the block ends, rolled back on error.
    """

    def __init__(self, engine: Engine, url: URL):
        self.engine = engine
        self.url = url
        self.display_url = mask_url(url)
        self.backend = engine.dialect.name
        self._write_engine = engine.execution_options(**{WRITE_OPTION: True})

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One transaction (SQLite write transactions take the write lock up front)."""
        engine = self._write_engine if write else self.engine
        with translate_errors(self.display_url), Session(engine, expire_on_commit=False) as session, \
                session.begin():
            yield session

    def close(self) -> None:
        """Release every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def translate_errors(display_url: str) -> Iterator[None]:
    """Turn the driver's connection and locking errors into one-line :class:`DatabaseUnavailable`."""
    try:
        yield
    except (OperationalError, InterfaceError) as exc:
        if getattr(exc.orig, "sqlstate", None) in _TRANSIENT:
            raise TransientConflict(f"Database {display_url}: {_first_line(exc)}.") from None
        raise DatabaseUnavailable(f"Database {display_url}: {_first_line(exc)}.") from None


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), type(exc).__name__)
    if "database is locked" in line:
        return "busy: another process has held the write lock too long, try again"
    return line.rstrip(".")


def open_store(url: str | os.PathLike[str] | None = None, *, create: bool = False) -> Store:
    """Open a database and check its schema.

    ``create=True`` creates the schema in an empty database (ingest does this); an *older* schema is
    never upgraded implicitly: that is ``attribution setup``'s job, which the error says.
    """
    resolved = resolve_url(url)
    display = mask_url(resolved)
    path = sqlite_path(resolved)
    if path is not None and not create and not path.exists():
        raise SchemaMissing(f"No database at {path}: run `attribution setup` or `attribution ingest` first.")
    engine = make_engine(resolved)
    try:
        with translate_errors(display), engine.connect() as conn:
            status = schema.status(conn)
        if status.state == "missing" and create:
            with translate_errors(display):
                status = schema.upgrade(engine)
        check_status(status, display)
    except BaseException:
        engine.dispose()
        raise
    return Store(engine, resolved)


def check_status(status: schema.SchemaStatus, display: str) -> None:
    """Raise the one-line error for a schema this version cannot use as is."""
    if status.state == "missing":
        raise SchemaMissing(f"{display} has no attribution schema: run `attribution setup`.")
    if status.state == "old":
        raise SchemaTooOld(f"{display} has schema revision {status.revision}, older than this version's "
                           f"{status.head}: run `attribution setup` to upgrade it.")
    if status.state == "new":
        raise SchemaTooNew(f"{display} has schema revision {status.revision}, written by a newer attribution: "
                           "upgrade attribution to use it.")


def setup_database(url: str | os.PathLike[str] | None = None) -> str:
    """Create the schema, or upgrade it to this version's head; returns the URL with any password masked."""
    resolved = resolve_url(url)
    display = mask_url(resolved)
    engine = make_engine(resolved)
    try:
        with translate_errors(display):
            with engine.connect() as conn:
                current = schema.status(conn)
            if current.state == "new":
                check_status(current, display)
            if current.state != "current":
                schema.upgrade(engine)
    finally:
        engine.dispose()
    return display
