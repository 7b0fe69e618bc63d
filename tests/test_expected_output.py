"""``EXTRACTOR_VERSION`` changes whenever extraction output changes.

The extractor (the real pipeline) runs on the project's own example texts and its output is compared with
``tests/expected/<name>.json``, which records the version that wrote it (:mod:`tests.expected_outputs`).
Output that changed under the same version fails: the store re-extracts only articles of older versions,
so such a change would never reach stored articles. A bumped version with stale expectations fails too.
Both failures say what to run: ``python scripts/update_expected.py``.
"""

from __future__ import annotations

import json

import pytest

from attribution.extract import EXTRACTOR_VERSION, Extractor
from attribution.parsing.pipeline import DEFAULT_MODE
from attribution.types import Article, ExtractionResult
from tests import expected_outputs as guard

EXAMPLES = guard.example_paths()


@pytest.fixture(scope="module")
def results(models_dir) -> dict[str, ExtractionResult]:
    extractor = Extractor(models_dir, mode=DEFAULT_MODE)
    articles = [Article(id=p.stem, text=p.read_text(encoding="utf-8")) for p in EXAMPLES]
    return {r.article.id: r for r in extractor.extract_many(articles)}


def test_there_are_examples_and_no_stale_expectations():
    assert len(EXAMPLES) >= 3
    assert guard.stale_expectations() == [], f"expectations without an example: run {guard.REGENERATE}"


@pytest.mark.parametrize("example", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_output_is_what_this_extractor_version_wrote(example, results):
    verdict = guard.check(example, results[example.stem], EXTRACTOR_VERSION)
    assert verdict.ok, verdict.message


def test_changed_output_under_the_same_version_fails_saying_bump(results):
    example = EXAMPLES[0]
    result = results[example.stem]
    moved = ExtractionResult(result.article, result.quotes[1:], result.entities, result.extractor_version)
    verdict = guard.check(example, moved, EXTRACTOR_VERSION)
    assert not verdict.ok
    assert f"changed but EXTRACTOR_VERSION is still {EXTRACTOR_VERSION}" in verdict.message
    assert "bump EXTRACTOR_VERSION" in verdict.message and guard.REGENERATE in verdict.message
    assert "quotes[0]" in verdict.message


def test_a_bumped_version_with_stale_expectations_fails_saying_regenerate(results):
    example = EXAMPLES[0]
    verdict = guard.check(example, results[example.stem], "99.0.0")
    assert not verdict.ok
    assert "EXTRACTOR_VERSION is 99.0.0" in verdict.message and "stale" in verdict.message
    assert guard.REGENERATE in verdict.message


def test_the_script_refuses_to_rewrite_changed_output_without_a_bump(results, tmp_path, monkeypatch):
    example = EXAMPLES[0]
    monkeypatch.setattr(guard, "EXPECTED", tmp_path)
    result = results[example.stem]
    assert guard.write(example, result, "1.0.0", DEFAULT_MODE) == "written"
    assert guard.write(example, result, "1.0.0", DEFAULT_MODE) == "unchanged"
    fewer = ExtractionResult(result.article, result.quotes[1:], result.entities, result.extractor_version)
    with pytest.raises(ValueError, match="bump it"):
        guard.write(example, fewer, "1.0.0", DEFAULT_MODE)
    assert guard.write(example, fewer, "1.1.0", DEFAULT_MODE) == "written"
    stored = json.loads((tmp_path / f"{example.stem}.json").read_text(encoding="utf-8"))
    assert stored["extractor_version"] == "1.1.0" and len(stored["quotes"]) == len(result.quotes) - 1
    assert all("rule_trace" not in q for q in stored["quotes"])
