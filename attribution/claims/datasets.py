"""Labelled check-worthiness sets, as the two public benchmarks ship them.

- ClaimBuster (Arslan, Hassan, Li, Tremayne 2020): a JSON list of ``{"sentence_id", "label", "text"}``,
  ``label`` 1 for a check-worthy factual sentence.
- CLEF CheckThat! 2019 Task 1 (Atanasova et al. 2019): a CSV (or tab-separated) table with a header naming
  at least ``text`` and ``label``; ``file_name`` names the transcript each sentence comes from.

:func:`read_labelled` tells the two apart by their first character and checks every row, so that a wrong
file is one sentence of error, not a traceback.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError


class ClaimSetError(InputError):
    """A file is not a labelled check-worthiness set in either format."""


@dataclass(frozen=True)
class Labelled:
    """One labelled sentence: its text, 1 if check-worthy, and its transcript (``None`` in ClaimBuster)."""

    text: str
    label: int
    group: str | None = None


def read_labelled(path: str | Path) -> list[Labelled]:
    """The sentences of a ClaimBuster JSON list or a CLEF CSV, in file order."""
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ClaimSetError(f"{path}: no such file.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ClaimSetError(f"{path}: cannot be read as UTF-8 text ({type(exc).__name__}).") from None
    rows = _json_rows(path, raw) if raw.lstrip().startswith("[") else _csv_rows(path, raw)
    if not rows:
        raise ClaimSetError(f"{path}: holds no sentences.")
    return rows


def _label(path: Path, where: str, value: Any) -> int:
    text = str(value).strip()
    if text not in ("0", "1"):
        raise ClaimSetError(f"{path}: {where}: label must be 0 or 1, not {text[:20]!r}.")
    return int(text)


def _json_rows(path: Path, raw: str) -> list[Labelled]:
    try:
        items = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ClaimSetError(f"{path}: not valid JSON ({exc.msg} at line {exc.lineno}).") from None
    if not isinstance(items, list):
        raise ClaimSetError(f"{path}: a ClaimBuster file is a JSON list of sentences.")
    rows = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("text"), str) or "label" not in item:
            raise ClaimSetError(f"{path}: item {n} is not an object with a text and a label.")
        rows.append(Labelled(item["text"], _label(path, f"item {n}", item["label"])))
    return rows


def _csv_rows(path: Path, raw: str) -> list[Labelled]:
    first = raw.split("\n", 1)[0]
    reader = csv.DictReader(io.StringIO(raw, newline=""), delimiter="\t" if "\t" in first else ",")
    fields = set(reader.fieldnames or ())
    if not {"text", "label"} <= fields:
        raise ClaimSetError(f"{path}: neither a ClaimBuster JSON list nor a CLEF CSV with text and label columns.")
    rows = []
    try:
        for n, row in enumerate(reader, 2):
            if row.get("text") is None or row.get("label") is None:
                raise ClaimSetError(f"{path}: line {n} has fewer columns than the header.")
            rows.append(Labelled(row["text"], _label(path, f"line {n}", row["label"]), row.get("file_name")))
    except csv.Error as exc:
        raise ClaimSetError(f"{path}: not a valid CSV ({exc}).") from None
    return rows
