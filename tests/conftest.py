"""Shared fixtures: the real Stanza pipeline (loaded once per session) and database URLs.

Models come from ATTRIBUTION_MODELS, else ../shared/models/stanza beside the repository, else the user's
installed models; tests that need them are skipped with the reason when none are found.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

pytest_plugins = ["tests.fixtures_db"] if (Path(__file__).parent / "fixtures_db.py").exists() else []
pytest_plugins.append("tests.fixtures_web")


@lru_cache(maxsize=1)
def _models_dir() -> Path | None:
    from attribution.parsing.models import model_files, resolve_models_dir

    candidates = []
    if os.environ.get("ATTRIBUTION_MODELS"):
        candidates.append(Path(os.environ["ATTRIBUTION_MODELS"]))
    candidates.append(SHARED / "models" / "stanza")
    candidates.append(resolve_models_dir(None)[0])
    for c in candidates:
        try:
            model_files(c)
            return c
        except Exception:
            continue
    return None


@pytest.fixture(scope="session")
def models_dir() -> Path:
    """A usable Stanza resources directory."""
    d = _models_dir()
    if d is None:
        pytest.skip("no Stanza models: set ATTRIBUTION_MODELS or run `attribution models install`")
    return d


@pytest.fixture(scope="session")
def extractor(models_dir):
    """The real extractor over the real Stanza pipeline, loaded once for the whole test session."""
    from attribution import Extractor

    return Extractor(models_dir)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch, request):
    """Keep every test out of the user's real data directory; point ATTRIBUTION_MODELS at the test models."""
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    d = _models_dir()
    if d is not None:
        monkeypatch.setenv("ATTRIBUTION_MODELS", str(d))
