"""The store's commands; filled in by the store."""

import typer


def register(app: typer.Typer) -> None:
    """Add the store's commands to ``app``."""
