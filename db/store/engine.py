"""Database URLs and engines: SQLite by default (a file in the data directory), PostgreSQL by URL.

A ``--db`` value is either a SQLAlchemy URL (``sqlite:///path``, ``postgresql+psycopg://...``) or a plain
file path, which means an SQLite file there. URLs are only ever shown through :func:`mask_url`.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from attribution.parsing.models import data_dir

from ..errors import DatabaseUnavailable, DatabaseURLError

DB_FILENAME = "attribution.db"
#: How long an SQLite writer waits for another process's write lock before giving up.
BUSY_TIMEOUT_MS = 30_000
#: Execution option that makes an SQLite transaction take the write lock up front (BEGIN IMMEDIATE).
WRITE_OPTION = "attribution_write"

_PG_SCHEMES = {"postgres", "postgresql", "postgresql+psycopg"}


def default_url() -> str:
    """The default database: ``<data dir>/attribution.db`` as an SQLite URL."""
    return f"sqlite:///{data_dir() / DB_FILENAME}"


def resolve_url(url_or_path: str | os.PathLike[str] | None = None) -> URL:
    """A parsed URL for a ``--db`` value (URL, plain SQLite path, or None for the default)."""
    raw = os.fspath(url_or_path) if url_or_path is not None else ""
    if not raw.strip():
        raw = default_url()
    if "://" not in raw:
        path = Path(raw).expanduser()
        return URL.create("sqlite", database=str(path if str(path) == ":memory:" else path.absolute()))
    try:
        url = make_url(raw)
    except ArgumentError:
        raise DatabaseURLError(f"Not a database URL: {_mask_raw(raw)}.") from None
    if url.drivername in _PG_SCHEMES:
        # psycopg 3 is the driver we ship with; plain postgresql:// would ask SQLAlchemy for psycopg2.
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in ("sqlite", "sqlite+pysqlite"):
        return url
    raise DatabaseURLError(
        f"Unsupported database {url.drivername!r} in {mask_url(url)}: use an SQLite path or a postgresql:// URL.")


def mask_url(url: str | URL) -> str:
    """The URL as it may be shown: any password replaced by ``***``."""
    if isinstance(url, URL):
        return url.render_as_string(hide_password=True)
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _mask_raw(url)


def _mask_raw(raw: str) -> str:
    # An unparsable URL may still carry "user:password@": hide whatever sits between ':' and '@'.
    scheme, sep, rest = raw.partition("://")
    if not sep or "@" not in rest:
        return raw
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in creds else raw


def is_sqlite(url: URL) -> bool:
    """Whether the URL names an SQLite database."""
    return url.get_backend_name() == "sqlite"


def sqlite_path(url: URL) -> Path | None:
    """The file behind an SQLite URL (None for in-memory databases and other backends)."""
    if not is_sqlite(url) or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database)


def make_engine(url_or_path: str | os.PathLike[str] | URL | None = None) -> Engine:
    """An engine for a ``--db`` value, with SQLite tuned for a CLI shared by several processes."""
    url = url_or_path if isinstance(url_or_path, URL) else resolve_url(url_or_path)
    if not is_sqlite(url):
        try:
            return create_engine(url, pool_pre_ping=True)
        except (ArgumentError, ModuleNotFoundError) as exc:
            raise DatabaseURLError(f"Cannot use {mask_url(url)}: {exc}.") from None
    path = sqlite_path(url)
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(f"Cannot create the directory for {path}: {exc.strerror or exc}.") from None
        engine = create_engine(url)
    else:  # one shared connection, or every connection would see its own empty in-memory database
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:  # pragma: no cover - exercised by every test
        # We issue BEGIN ourselves (below): pysqlite's implicit transactions break SAVEPOINTs and
        # start writes as deferred transactions, which fail at once instead of waiting on a busy lock.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA journal_mode = WAL")  # readers never block the writer, nor it them
        cur.execute("PRAGMA synchronous = NORMAL")  # safe with WAL; FULL costs an fsync per commit
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # A write transaction that starts as a read can hit SQLITE_BUSY without waiting when another
        # process committed meanwhile; taking the write lock first makes busy_timeout apply.
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
