"""The project's seed article (``../shared/corpus/seed/panjshir.txt``), extracted once per test session.

Store tests that need what the real engine makes of a real article ingest this extraction through the
:class:`~tests.db_helpers.Canned` seam, so that only the first of them pays for parsing.
"""

from __future__ import annotations

import pytest

from attribution.types import Article, ExtractionResult
from tests.conftest import SHARED
from tests.db_helpers import Canned

SEED = SHARED / "corpus" / "seed" / "panjshir.txt"
_extracted: dict[str, ExtractionResult] = {}


def seed_article() -> Article:
    """The seed article, as ``attribution ingest`` reads a text file."""
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    return Article(id="panjshir", text=SEED.read_text(encoding="utf-8"), source_path=str(SEED))


def seed_canned(extractor) -> Canned:
    """A Canned extractor holding the real engine's result for the seed article."""
    article = seed_article()
    if "seed" not in _extracted:
        _extracted["seed"] = extractor.extract(article)
    return Canned({article.id: _extracted["seed"]})
