"""What every command shares: consoles, safe text, and turning errors into one line (options: cli.options)."""

from __future__ import annotations

import json
import os
import sys
import unicodedata
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)

#: Bidirectional controls reorder what a terminal shows ("Trojan Source"); shown as escapes like controls.
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> str:
    if ch in "\n\t":
        return ch
    if ch in BIDI_CONTROLS or unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp"):
        return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"
    return ch


def safe(text: object) -> str:
    """Text from articles or users, made inert for Rich: markup escaped, control characters shown.

    Control characters (ANSI/OSC escapes, BEL, CR, backspace, C1 controls), lone surrogates, line/paragraph
    separators and bidirectional controls would act on the terminal or garble the line: they are shown as
    ``\\x1b``/``\\u202e``. Other invisible characters that only join or space letters (NBSP, zero-width
    joiners in emoji, soft hyphens) are part of the text and printed as they are.
    """
    return escape("".join(_shown(ch) for ch in str(text)))


#: Characters JSON leaves raw that line splitters (Python's str.splitlines, old JavaScript) take for line ends.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: Any) -> str:
    """One JSON Lines record, UTF-8 kept readable, with every character any reader takes for a line end escaped."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def print_at(renderable: Any, width: int | None) -> None:
    """Print at ``width`` columns, wider than the terminal if need be (``--wide`` tables)."""
    if width is None or width <= console.width:
        console.print(renderable)
        return
    # A console caps every print at its own width, so a wider table needs a console of that width.
    wide = Console(highlight=False, width=width, file=sys.stdout, force_terminal=console.is_terminal,
                   color_system=console.color_system)  # type: ignore[arg-type]  # the name it reports is valid
    wide.print(renderable)


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
