#!/usr/bin/env python3
"""Regenerate the expected extraction output of the example texts (``tests/expected/*.json``).

    .venv/bin/python scripts/update_expected.py [--models DIR] [--force]

Runs the extractor (the real Stanza pipeline, default parse mode) on every ``examples/*.txt`` and writes
``tests/expected/<name>.json`` tagged with the running ``EXTRACTOR_VERSION``; removes expectations whose
example is gone. ``tests/test_expected_output.py`` then passes until the output changes again.

It refuses to rewrite an expectation whose output changed under the version that wrote it: bump
``EXTRACTOR_VERSION`` in ``attribution/extract.py`` first, so that stores re-extract their articles.
``--force`` rewrites anyway (for a change that is not one of output, e.g. a new field in the snapshot).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout: the tests package holds the snapshot format

from attribution.errors import AttributionError  # noqa: E402
from attribution.extract import EXTRACTOR_VERSION, Extractor  # noqa: E402
from attribution.parsing.pipeline import DEFAULT_MODE  # noqa: E402
from attribution.types import Article  # noqa: E402
from tests.expected_outputs import example_paths, stale_expectations, write  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Write the expectations; 0 when done, 1 when an output changed without a version bump."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", metavar="DIR", help="Stanza models directory (default: as the app finds it).")
    parser.add_argument("--force", action="store_true", help="Rewrite even without an EXTRACTOR_VERSION bump.")
    args = parser.parse_args(argv)
    try:
        extractor = Extractor(args.models, mode=DEFAULT_MODE)
        examples = example_paths()
        results = extractor.extract_many(Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in examples)
        refused = 0
        for path, result in zip(examples, results, strict=True):
            try:
                done = write(path, result, EXTRACTOR_VERSION, DEFAULT_MODE, force=args.force)
            except ValueError as exc:
                print(f"error: {exc}", file=sys.stderr)
                refused += 1
                continue
            print(f"{path.relative_to(ROOT)}: {done} (EXTRACTOR_VERSION {EXTRACTOR_VERSION})")
    except AttributionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for stale in stale_expectations():
        stale.unlink()
        print(f"{stale.relative_to(ROOT)}: removed (its example is gone)")
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main())
