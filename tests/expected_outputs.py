"""Expected extraction output of the example texts, tagged with the ``EXTRACTOR_VERSION`` that wrote it.

``tests/expected/<name>.json`` holds ``{"extractor_version", "example", "parse_mode", "quotes", "entities"}``
for ``examples/<name>.txt``: the fields of each quote that the store keeps and readers see (offsets, kind,
speaker and its mention, cue, role, affiliation, rule, confidence to 3 decimals, fragments, claims), and
each entity's name, type, aliases and roles. Not ``rule_trace``: it names the engine's internal steps, which
may be renamed without the output changing.

``tests/test_expected_output.py`` compares, ``scripts/update_expected.py`` writes (both through
:func:`check` and :func:`write`), so that output never changes under an unchanged ``EXTRACTOR_VERSION``:
the store re-extracts only articles stored with an older version.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from attribution.types import ExtractionResult

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXPECTED = ROOT / "tests" / "expected"
REGENERATE = "python scripts/update_expected.py"
QUOTE_FIELDS = ("start", "end", "content", "kind", "speaker", "speaker_type", "speaker_mention", "speaker_start",
                "speaker_end", "cue", "cue_start", "cue_end", "role", "affiliation", "rule")


def example_paths() -> list[Path]:
    """The example texts, by name."""
    return sorted(EXAMPLES.glob("*.txt"))


def expected_path(example: Path) -> Path:
    """Where an example's expected output lives."""
    return EXPECTED / f"{example.stem}.json"


def snapshot(result: ExtractionResult) -> dict[str, Any]:
    """The parts of an extraction result the guard compares (see the module docstring)."""
    quotes = []
    for q in result.quotes:
        record: dict[str, Any] = {f: getattr(q, f) for f in QUOTE_FIELDS}
        record["confidence"] = round(q.confidence, 3)
        record["fragments"] = [list(f) for f in q.fragments]
        record["claims"] = [{"start": c.start, "end": c.end, "checkable": c.checkable,
                             "check_worthiness": round(c.check_worthiness, 3)} for c in q.claims]
        quotes.append(record)
    entities = [{"name": e.name, "type": e.type, "aliases": list(e.aliases),
                 "roles": [[r.title, r.affiliation] for r in e.roles]} for e in result.entities]
    return {"quotes": quotes, "entities": entities}


@dataclass
class Verdict:
    """How an example's output stands against its expectation: ``ok``, or a one-paragraph ``message``."""

    ok: bool
    message: str = ""


def _first_difference(expected: dict[str, Any], got: dict[str, Any]) -> str:
    """The first quote or entity that differs, as ``expected ... got ...``, for the failure message."""
    for part in ("quotes", "entities"):
        want, have = expected.get(part, []), got[part]
        for i in range(max(len(want), len(have))):
            a = want[i] if i < len(want) else None
            b = have[i] if i < len(have) else None
            if a != b:
                want_text, have_text = json.dumps(a, ensure_ascii=False), json.dumps(b, ensure_ascii=False)
                return f"{part}[{i}]: expected {want_text}, got {have_text}"
    return "no difference in quotes or entities"


def check(example: Path, result: ExtractionResult, version: str) -> Verdict:
    """Compare an example's extraction with its expectation under the running ``EXTRACTOR_VERSION``."""
    path = expected_path(example)
    name = example.relative_to(ROOT)
    if not path.is_file():
        return Verdict(False, f"{name} has no expected output ({path.relative_to(ROOT)}): run {REGENERATE}")
    stored = json.loads(path.read_text(encoding="utf-8"))
    if stored.get("extractor_version") != version:
        return Verdict(False, f"EXTRACTOR_VERSION is {version} but {path.relative_to(ROOT)} was written by "
                              f"{stored.get('extractor_version')}: the expectations are stale, run {REGENERATE}")
    got = snapshot(result)
    if {"quotes": stored.get("quotes"), "entities": stored.get("entities")} == got:
        return Verdict(True)
    return Verdict(False, f"extraction output of {name} changed but EXTRACTOR_VERSION is still {version}: bump "
                          f"EXTRACTOR_VERSION in attribution/extract.py (the store re-extracts only older versions), "
                          f"then run {REGENERATE}. First difference: {_first_difference(stored, got)}")


def write(example: Path, result: ExtractionResult, version: str, parse_mode: str, *, force: bool = False) -> str:
    """Write an example's expectation; returns what was done. Refuses (``ValueError``) to rewrite changed
    output under the version that wrote the old one, unless ``force``: that change needs a version bump."""
    path = expected_path(example)
    record = {"extractor_version": version, "example": str(example.relative_to(ROOT)), "parse_mode": parse_mode,
              **snapshot(result)}
    if path.is_file():
        stored = json.loads(path.read_text(encoding="utf-8"))
        if stored == record:
            return "unchanged"
        if stored.get("extractor_version") == version and not force:
            raise ValueError(f"{example.relative_to(ROOT)}: output changed under the same EXTRACTOR_VERSION "
                             f"{version}; bump it in attribution/extract.py first (or pass --force)")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return "written"


def stale_expectations() -> list[Path]:
    """Expectation files whose example text no longer exists."""
    names = {p.stem for p in example_paths()}
    return sorted(p for p in EXPECTED.glob("*.json") if p.stem not in names)
