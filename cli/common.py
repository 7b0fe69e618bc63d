"""What every command shares: consoles, shared options, and turning errors into one line."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

import typer
from rich.console import Console
from rich.markup import escape

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

ModelsOption = typer.Option(
    None, "--models", metavar="DIR", envvar="ATTRIBUTION_MODELS",
    help="Stanza resources directory (default: the one `attribution models install/download` filled).",
)
DbOption = typer.Option(
    None, "--db", metavar="URL", envvar="ATTRIBUTION_DB",
    help="Database URL or SQLite file path (default: an SQLite file in the user's data directory).",
)


def safe(text: object) -> str:
    """Text from articles or users, made inert for Rich: markup escaped, control characters shown."""
    s = str(text)
    # Control characters (ANSI/OSC escapes, BEL, backspace...) would act on the terminal; show them.
    s = "".join(ch if ch in "\n\t" or (ch.isprintable() or ch == " ") else f"\\x{ord(ch):02x}" for ch in s)
    return escape(s)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print one line to stderr and exit non-zero."""
    err_console.print(f"[bold red]error:[/] {safe(message)}", soft_wrap=True)
    raise typer.Exit(code)


def debug() -> bool:
    """Whether to show tracebacks (ATTRIBUTION_DEBUG=1) instead of one-line errors."""
    return os.environ.get("ATTRIBUTION_DEBUG") == "1"


def warn(message: str) -> None:
    """A non-fatal problem, one line on stderr."""
    err_console.print(f"[yellow]warning:[/] {safe(message)}", soft_wrap=True)


def stdout_is_tty() -> bool:
    """Whether stdout is a terminal (progress bars only then)."""
    return sys.stdout.isatty()
