"""Rich rendering of what the store returns: tables of quotes and speakers, an article with its quotes.

Everything from articles or users goes through :func:`cli.common.safe` (markup and control characters
made inert) before it reaches Rich.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

from rich.text import Text

from db import ArticleView, QuoteRow, SpeakerMatch, SpeakerProfile, SpeakerSummary

from .common import safe
from .tables import Column, render

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


def quotes_table(rows: list[QuoteRow], width: int, *, wide: bool = False, title: str | None = None,
                 one_speaker: bool = False) -> tuple[Any, int]:
    """Quotes with their speaker, role, article and confidence, fitted to ``width`` (see :mod:`cli.tables`).

    ``one_speaker``: a profile's tables, where the speaker and the article are in the heading already.
    """
    cols = [Column("id", drop=4, justify="right", style="dim", nowrap=True), Column("date", drop=3, nowrap=True),
            Column("speaker", style="bold"), Column("role", drop=1), Column("kind", drop=6),
            Column("quote", flex=True), Column("article", drop=5), Column("conf", drop=7, justify="right",
                                                                           nowrap=True)]
    if one_speaker:
        cols = [c for c in cols if c.header not in ("speaker", "article")]
    by_name = {c.header: c for c in cols}
    for q in rows:
        where = q.outlet or q.article_title or q.article_url or ""
        values = {"id": str(q.quote_id), "date": day(q.dated_at),
                  "speaker": safe(q.speaker) if q.speaker else "[dim]unknown[/]",
                  "role": safe(role_text(q.role, q.affiliation)), "kind": q.kind, "quote": safe(q.quote),
                  "article": f"#{q.article_id} {safe(where)}".strip(), "conf": f"{q.confidence:.2f}"}
        for header, col in by_name.items():
            col.cells.append(values[header])
    return render(cols, width, wide=wide, title=safe(title) if title else None, show_lines=True)


def speakers_table(rows: list[SpeakerSummary], width: int, *, wide: bool = False) -> tuple[Any, int]:
    """Speakers with quote counts, roles, affiliations and first/last seen, fitted to ``width``."""
    cols = [Column("id", drop=3, justify="right", style="dim", nowrap=True), Column("speaker", style="bold"),
            Column("type", drop=5, nowrap=True), Column("quotes", justify="right", nowrap=True),
            Column("roles", drop=1), Column("affiliations", drop=2), Column("first seen", drop=6, nowrap=True),
            Column("last seen", drop=4, nowrap=True)]
    for s in rows:
        name = safe(s.name) + (f" [dim](+{safe(', '.join(s.merged))})[/]" if s.merged else "")
        values = [str(s.id), name, s.type, str(s.quotes), safe("; ".join(s.roles)), safe("; ".join(s.affiliations)),
                  day(s.first_seen), day(s.last_seen)]
        for col, value in zip(cols, values, strict=True):
            col.cells.append(value)
    return render(cols, width, wide=wide)


def matches_line(query: str, matched: list[SpeakerMatch]) -> str | None:
    """Which speakers ``--speaker`` found, when it found more than one (each quote is labelled with its own)."""
    if len(matched) < 2:
        return None
    shown = ", ".join(f"{safe(m.name)} #{m.id} ({m.quotes} quotes)" for m in matched[:8])
    more = f" and {len(matched) - 8} more" if len(matched) > 8 else ""
    return f"[dim]{len(matched)} speakers match {safe(repr(query))}: {shown}{more}[/]"


def profile_renderables(p: SpeakerProfile, width: int, *, wide: bool = False) -> list[tuple[Any, int | None]]:
    """A speaker's header, namesakes, roles over time and quotes by article, each with the width to print at."""
    s = p.speaker
    out: list[tuple[Any, int | None]] = [(f"[bold]{safe(s.name)}[/] [dim]#{s.id} {s.type}[/] · {s.quotes} quotes",
                                          None)]
    if s.merged:
        out.append((f"merged: {safe(', '.join(s.merged))}", None))
    if p.aliases:
        out.append((f"aliases: {safe(', '.join(p.aliases))}", None))
    if p.same_surname:
        others = "; ".join(f"{safe(m.name)} #{m.id} ({m.quotes} quotes"
                           + (f", only in article #{m.article_id})" if m.article_id else ")") for m in p.same_surname)
        out.append((f"same surname: {others}", None))
    if p.roles:
        cols = [Column("role"), Column("affiliation", drop=1), Column("first seen", drop=3, nowrap=True),
                Column("last seen", drop=2, nowrap=True), Column("articles", drop=4, justify="right", nowrap=True)]
        for r in p.roles:
            for col, value in zip(cols, [safe(r.title or ""), safe(r.affiliation or ""), day(r.first_seen),
                                         day(r.last_seen), str(r.articles)], strict=True):
                col.cells.append(value)
        out.append(render(cols, width, wide=wide, title="roles over time"))
    for article_id, title, url, when, quotes in p.articles:
        heading = title or url or ""
        out.append(quotes_table(quotes, width, wide=wide, title=f"#{article_id} {day(when)} {heading}".strip(),
                                one_speaker=True))
    return out


#: ``show`` marks a quote unsure below this confidence, unless a person has checked its speaker.
UNSURE_BELOW = 0.5


def is_unsure(q: QuoteRow, below: float = UNSURE_BELOW) -> bool:
    """Whether to flag a quote's attribution: confidence under ``below`` and nobody has checked the speaker."""
    return q.speaker_review is None and q.confidence < below


def article_text(view: ArticleView, unsure_below: float = UNSURE_BELOW) -> Text:
    """The article text, quotes highlighted and each labelled with its speaker and role; an attribution
    below ``unsure_below`` confidence that nobody has checked is marked "⚠ unsure" with its confidence, a
    checked one "✓" with how (accepted or corrected)."""
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
        if is_unsure(q, unsure_below):
            out.append_text(inert(f" ⚠ unsure {q.confidence:.2f}", "bold red"))
        elif q.speaker_review:
            out.append_text(inert(f" ✓ {q.speaker_review}", "green"))
        pos = end
    out.append_text(inert(text[pos:]))
    return out
