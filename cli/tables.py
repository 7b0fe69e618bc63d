"""Tables that stay readable in an 80-column terminal: whole words, wrapped cells, the least useful columns
left out first.

Rich shrinks every column to fit the terminal and then cuts words with an ellipsis ("Zabihul…"). Instead,
each column here gets at least the width of its longest word (capped, so a URL cannot claim the whole
line); when the columns do not fit side by side, the ones with the highest ``drop`` rank are left out
until they do, and the table says which. The width left over goes first to short cells that then fit on
one line (a name, a date), then to the quote. ``--wide`` keeps every column and lets the table be as wide
as they need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, JustifyMethod
from rich.table import Table
from rich.text import Text

#: A column never asks for more than this to keep its longest word whole (longer words fold).
WORD_CAP = 22
#: The column that takes the remaining width (the quote) gets at least this...
FLEX_MIN = 20
#: ...and, before other columns widen past their longest word, this share of the table.
FLEX_SHARE = 0.4
#: --wide: the quote column stops growing here (a paragraph on one line is no easier to read).
FLEX_WIDE = 60


@dataclass
class Column:
    """One column: its header, how readily it is left out (0 never), and how it lays out."""

    header: str
    drop: int = 0
    justify: JustifyMethod = "left"
    style: str = ""
    #: Takes the width left over (the quote text); at least FLEX_MIN.
    flex: bool = False
    #: Never wraps (ids, dates, numbers): its width is its longest cell.
    nowrap: bool = False
    cells: list[Any] = field(default_factory=list)


def _plain(cell: Any) -> str:
    if isinstance(cell, Text):
        return cell.plain
    return Text.from_markup(str(cell)).plain


def _need(col: Column) -> int:
    """The width a column needs so that none of its words (or, for ``nowrap``, cells) is cut."""
    texts = [_plain(c) for c in col.cells] + [col.header]
    if col.nowrap:
        return max((len(t) for t in texts), default=1)
    longest = max((len(w) for t in texts for w in t.split()), default=1)
    need = min(longest, WORD_CAP)
    return max(need, FLEX_MIN) if col.flex else need


def _natural(col: Column) -> int:
    """The width at which every cell of a column fits on one line."""
    longest = max((len(line) for c in col.cells for line in _plain(c).splitlines() or [""]), default=1)
    return max(longest, _need(col))


def _overhead(n: int) -> int:
    return 3 * n + 1  # a border and a space each side per column, and the last border


def fit(columns: list[Column], width: int, wide: bool = False) -> tuple[list[Column], list[Column]]:
    """The columns that fit in ``width`` (all of them when ``wide``), and those left out."""
    kept = list(columns)
    if wide:
        return kept, []
    while len(kept) > 1 and sum(_need(c) for c in kept) + _overhead(len(kept)) > width:
        worst = max(kept, key=lambda c: c.drop)
        if worst.drop == 0:
            break
        kept.remove(worst)
    return kept, [c for c in columns if c not in kept]


def widths(columns: list[Column], width: int) -> list[int]:
    """Each column's width within ``width``: its need, then short cells whole, then the rest to the quote."""
    need = [_need(c) for c in columns]
    natural = [_natural(c) for c in columns]
    got = list(need)
    spare = width - _overhead(len(columns)) - sum(got)
    flex = [i for i, c in enumerate(columns) if c.flex]
    reserve = 0
    for i in flex:
        reserve += max(0, min(natural[i], int(FLEX_SHARE * (width - _overhead(len(columns))))) - got[i])
    for i in sorted((i for i, c in enumerate(columns) if not c.flex), key=lambda i: natural[i] - need[i]):
        give = min(natural[i] - got[i], spare - reserve)
        if give > 0:
            got[i] += give
            spare -= give
    for i in flex:
        give = min(natural[i] - got[i], spare)
        if give > 0:
            got[i] += give
            spare -= give
    return got


def render(columns: list[Column], width: int, *, wide: bool = False, title: str | None = None,
           show_lines: bool = False, note_dropped: bool = True) -> tuple[Any, int]:
    """A table of the columns that fit (and a line naming those left out); returns it and its width."""
    kept, dropped = fit(columns, width, wide)
    if wide:  # as wide as the columns want, the quote capped
        want = sum(min(_natural(c), FLEX_WIDE) if c.flex else _natural(c) for c in kept) + _overhead(len(kept))
        width = max(width, want)
    table = Table(title=title, show_lines=show_lines, title_justify="left")
    for col, w in zip(kept, widths(kept, width), strict=True):
        table.add_column(col.header, justify=col.justify, style=col.style, width=w, no_wrap=col.nowrap,
                         overflow="fold")
    for row in zip(*(c.cells for c in kept), strict=True):
        table.add_row(*row)
    if dropped and note_dropped:
        names = ", ".join(c.header for c in dropped)
        return Group(table, Text(f"({names} left out to fit {width} columns: --wide shows them)", style="dim")), \
            width
    return table, width
