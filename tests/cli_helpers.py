"""Running the real CLI in-process."""

from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from cli.app import app


def run(*args: str, input: str | None = None):
    """Invoke ``attribution ARGS``; the result has exit_code, stdout and stderr."""
    return CliRunner().invoke(app, [str(a) for a in args], input=input)


def run_json(*args: str) -> Any:
    """Invoke a command with --json and parse its stdout."""
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def filled_db(db_url: str) -> str:
    """Create the schema and ingest the hand-built newsroom (no parser)."""
    import db
    from tests.db_helpers import fill

    db.setup_database(db_url)
    with db.open_store(db_url) as store:
        fill(store)
    return db_url
