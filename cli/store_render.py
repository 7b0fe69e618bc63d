"""Rich rendering of what the store returns: tables of quotes and speakers, an article with its quotes.

Everything from articles or users goes through :func:`cli.common.safe` (markup and control characters
made inert) before it reaches Rich.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from rich.table import Table
from rich.text import Text

from db import ArticleView, QuoteRow, SpeakerProfile, SpeakerSummary

from .common import safe

LABEL_STYLES = ("bold yellow", "bold cyan", "bold magenta", "bold green", "bold blue", "bold red")
CLOSERS = "\"'”’»›)"


def day(value: datetime | None) -> str:
    """A date as YYYY-MM-DD ('' when unknown)."""
    return value.date().isoformat() if value else ""


def inert(text: object, style: str = "") -> Text:
    """Article text as a Rich Text, control characters shown, markup not interpreted."""
    out = Text.from_markup(safe(text))
    if style:
        out.stylize(style)
    return out


def print_json(data: Any) -> None:
    """Machine-readable output on stdout (no Rich wrapping or colour)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def role_text(role: str | None, affiliation: str | None) -> str:
    """``role, affiliation`` with whichever is known."""
    return ", ".join(x for x in (role, affiliation) if x)


def quotes_table(rows: list[QuoteRow], title: str | None = None) -> Table:
    """Quotes with their speaker, role, article and confidence."""
    table = Table(title=safe(title) if title else None, show_lines=True, title_justify="left")
    table.add_column("id", justify="right", style="dim")
    table.add_column("date")
    table.add_column("speaker", style="bold", max_width=24)
    table.add_column("role", max_width=28)
    table.add_column("kind", max_width=8)
    table.add_column("quote", ratio=1)
    table.add_column("article", max_width=24)
    table.add_column("conf", justify="right")
    for q in rows:
        speaker = safe(q.speaker) if q.speaker else "[dim]unknown[/]"
        where = q.outlet or q.article_title or q.article_url or ""
        table.add_row(str(q.quote_id), day(q.dated_at), speaker, safe(role_text(q.role, q.affiliation)), q.kind,
                      safe(q.quote), f"#{q.article_id} {safe(where)}".strip(), f"{q.confidence:.2f}")
    return table


def speakers_table(rows: list[SpeakerSummary]) -> Table:
    """Speakers with quote counts, roles, affiliations and first/last seen."""
    table = Table(show_lines=False)
    table.add_column("id", justify="right", style="dim")
    table.add_column("speaker", style="bold")
    table.add_column("type")
    table.add_column("quotes", justify="right")
    table.add_column("roles", max_width=30)
    table.add_column("affiliations", max_width=30)
    table.add_column("first seen")
    table.add_column("last seen")
    for s in rows:
        name = safe(s.name) + (f" [dim](+{safe(', '.join(s.merged))})[/]" if s.merged else "")
        table.add_row(str(s.id), name, s.type, str(s.quotes), safe("; ".join(s.roles)),
                      safe("; ".join(s.affiliations)), day(s.first_seen), day(s.last_seen))
    return table


def profile_renderables(p: SpeakerProfile) -> list[Any]:
    """A speaker's header, roles over time and quotes by article."""
    s = p.speaker
    out: list[Any] = [f"[bold]{safe(s.name)}[/] [dim]#{s.id} {s.type}[/] · {s.quotes} quotes"]
    if s.merged:
        out.append(f"merged: {safe(', '.join(s.merged))}")
    if p.aliases:
        out.append(f"aliases: {safe(', '.join(p.aliases))}")
    if p.roles:
        roles = Table("role", "affiliation", "first seen", "last seen", "articles", title="roles over time",
                      title_justify="left")
        for r in p.roles:
            roles.add_row(safe(r.title or ""), safe(r.affiliation or ""), day(r.first_seen), day(r.last_seen),
                          str(r.articles))
        out.append(roles)
    for article_id, title, url, when, quotes in p.articles:
        heading = title or url or ""
        out.append(quotes_table(quotes, f"#{article_id} {day(when)} {heading}".strip()))
    return out


def article_text(view: ArticleView) -> Text:
    """The article text, quotes highlighted and each labelled with its speaker and role."""
    text = view.article.text
    out = Text()
    styles: dict[str, str] = {}
    pos = 0
    for q in view.quotes:
        if q.start < pos:  # overlapping spans (fragments of mixed quotes): label only the first
            continue
        who = q.speaker or "unknown"
        style = styles.setdefault(who, LABEL_STYLES[len(styles) % len(LABEL_STYLES)])
        out.append_text(inert(text[pos:q.start]))
        out.append_text(inert(text[q.start:q.end], f"{style} underline"))
        # The label goes after the closing quotation mark(s), not inside the quotation.
        end = q.end
        while end < len(text) and end - q.end < 3 and text[end] in CLOSERS:
            end += 1
        out.append_text(inert(text[q.end:end]))
        label = who + (f", {role_text(q.role, q.affiliation)}" if (q.role or q.affiliation) else "")
        out.append_text(inert(f" [{label}]", f"dim {style.removeprefix('bold ')}"))
        if q.rule_trace:  # how the speaker was decided: the stages and sieves, in order
            out.append_text(inert(f" ({' > '.join(q.rule_trace)})", "dim italic"))
        pos = end
    out.append_text(inert(text[pos:]))
    return out
