"""Exporting quotes (with claims, reviews and evidence) as CSV or JSONL, streamed in chunks.

CSV: RFC 4180 (``\\r\\n``, quoted as needed), one row per quote and claim (a quote without claims is one
row), ISO-8601 UTC dates. Cells starting with ``= + - @ TAB CR`` get a leading ``'`` so spreadsheets do
not run them as formulas, unless ``raw``. JSONL: one object per quote carrying everything.
Files are written to a temporary sibling and renamed, so a failed export leaves nothing half-written.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import ExportError
from ..search.queries import QuoteFilter, QuoteRow, iter_quotes
from ..store.models import Claim, Evidence, Review, pk

Format = Literal["csv", "jsonl"]

CSV_HEADER = (
    "quote_id", "quote", "kind", "claim", "check_worthiness", "speaker", "speaker_type", "role", "affiliation",
    "article_id", "article_url", "outlet", "published", "start", "end", "speaker_mention", "speaker_start",
    "speaker_end", "cue", "confidence", "rule", "review_status", "verdict", "reviewer", "evidence", "notes",
    # Added after the first release: last, so the columns before them keep their positions.
    "rule_trace", "speaker_review",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def iso(value: datetime | None) -> str | None:
    """A stored (naive UTC) datetime as ISO-8601 with ``Z``."""
    return value.isoformat(timespec="seconds") + "Z" if value else None


#: Characters JSON leaves raw but line splitters treat as line ends (Python's str.splitlines, old
#: JavaScript): escaped in JSONL so one record stays one line for every reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def jsonl_line(record: Any) -> str:
    """One JSON Lines record: UTF-8 text kept readable, every line break inside it escaped."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS) + "\n"


def trace_text(trace: list[str] | None) -> str | None:
    """A rule trace as one cell: its steps in order, ``frame:cue-subject > sieve:source-name``."""
    return " > ".join(trace) if trace else None


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will show as text, never evaluate (OWASP CSV-injection advice)."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _claims(session: Session, quote_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Claims of these quotes, each with its reviews (oldest first) and evidence."""
    claims = list(session.scalars(select(Claim).where(col(Claim.quote_id).in_(quote_ids)).order_by(col(Claim.id))))
    ids = [c.id for c in claims]
    reviews: dict[int, list[dict[str, Any]]] = {}
    evidence: dict[int, list[dict[str, Any]]] = {}
    if ids:
        for r in session.scalars(select(Review).where(col(Review.claim_id).in_(ids)).order_by(col(Review.id))):
            reviews.setdefault(r.claim_id, []).append({"id": r.id, "reviewer": r.reviewer, "verdict": r.verdict,
                                                       "rating_scale_id": r.rating_scale_id, "note": r.note,
                                                       "created_at": iso(r.created_at)})
        for e in session.scalars(select(Evidence).where(col(Evidence.claim_id).in_(ids)).order_by(col(Evidence.id))):
            evidence.setdefault(e.claim_id, []).append({"id": e.id, "url": e.url, "note": e.note,
                                                        "reviewer": e.reviewer, "created_at": iso(e.created_at)})
    out: dict[int, list[dict[str, Any]]] = {}
    for c in claims:
        cid = pk(c.id)
        out.setdefault(pk(c.quote_id), []).append({  # selected by quote id: never None here
            "id": cid, "text": c.text, "start": c.start, "end": c.end, "check_worthiness": c.check_worthiness,
            "reason": c.reason, "checkable": c.checkable, "status": c.status, "group_id": c.group_id,
            "version": c.version, "reviews": reviews.get(cid, []), "evidence": evidence.get(cid, [])})
    return out


def _csv_rows(q: QuoteRow, claims: list[dict[str, Any]]) -> Iterator[list[Any]]:
    base = [q.quote_id, q.quote, q.kind]
    tail = [q.speaker, q.speaker_type, q.role, q.affiliation, q.article_id, q.article_url, q.outlet,
            iso(q.published), q.start, q.end, q.speaker_mention, q.speaker_start, q.speaker_end, q.cue,
            round(q.confidence, 3), q.rule]
    trace = [trace_text(q.rule_trace), q.speaker_review]
    if not claims:
        yield base + [None, None] + tail + [None] * 5 + trace
        return
    for c in claims:
        # A review session stores notes as reviews without a verdict: the verdict (and its reviewer) is the
        # latest review that has one, and every note is kept, oldest first.
        verdicts = [r for r in c["reviews"] if r["verdict"] is not None]
        last = verdicts[-1] if verdicts else {}
        notes = " | ".join(r["note"] for r in c["reviews"] if r["note"]) or None
        yield base + [c["text"], round(c["check_worthiness"], 3)] + tail + [
            c["status"], last.get("verdict"), last.get("reviewer"), " ".join(e["url"] for e in c["evidence"]),
            notes] + trace


def write_export(session: Session, fmt: Format, f: QuoteFilter, stream: IO[str], *, raw: bool = False,
                 on_rows: Callable[[int], None] | None = None, chunk: int = 1000) -> int:
    """Write matching quotes to a text stream; returns how many quotes were written."""
    if fmt not in ("csv", "jsonl"):
        raise ExportError(f"Unknown export format {fmt!r}: use csv or jsonl.")
    writer = csv.writer(stream, lineterminator="\r\n") if fmt == "csv" else None
    if writer is not None:
        writer.writerow(CSV_HEADER)
    count = 0
    for rows in iter_quotes(session, f, chunk):
        claims = _claims(session, [r.quote_id for r in rows])
        for q in rows:
            if writer is None:
                record = q.to_dict() | {"claims": claims.get(q.quote_id, [])}
                record["published"], record["dated_at"] = iso(q.published), iso(q.dated_at)
                stream.write(jsonl_line(record))
                continue
            for cells in _csv_rows(q, claims.get(q.quote_id, [])):
                text = ["" if v is None else str(v) for v in cells]
                writer.writerow(text if raw else [neutralise(t) for t in text])
        count += len(rows)
        if on_rows is not None:
            on_rows(count)
    return count


@contextmanager
def atomic_output(path: str | os.PathLike[str], *, bom: bool = False) -> Iterator[IO[str]]:
    """A text file that appears at ``path`` only when the block succeeds (temp file + rename)."""
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise ExportError(f"Cannot write {target}: no such directory {target.parent}.")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise ExportError(f"Cannot write in {target.parent}: {exc.strerror or exc}.") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8-sig" if bom else "utf-8", newline="") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ExportError(f"Cannot write {target}: {exc.strerror or exc}.") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
