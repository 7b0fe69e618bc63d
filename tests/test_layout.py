"""The package layout (issue 22): one subpackage per stage, a small top level, a docstring that says what each
stage takes and gives, and no HTTP client loaded by a command that reads files."""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from .conftest import ROOT

STAGES = {
    "attribution": ("web", "reading", "parsing", "text", "quotes", "speakers", "roles", "claims", "scale"),
    "db": ("store", "index", "write", "search", "review", "feeds"),
}
TOP_LEVEL_LIMIT = {"attribution": 10, "db": 12}


@pytest.mark.parametrize("package", sorted(STAGES))
def test_top_level_stays_small(package):
    """Modules live in their stage's room: the top level keeps only the few that every stage shares."""
    modules = [p for p in (ROOT / package).glob("*.py") if p.name != "__init__.py"]
    assert len(modules) <= TOP_LEVEL_LIMIT[package], sorted(p.name for p in modules)


@pytest.mark.parametrize("package,stage", [(p, s) for p, stages in STAGES.items() for s in stages])
def test_each_stage_says_what_it_takes_and_gives(package, stage):
    """Every stage's ``__init__`` has a docstring naming what it takes, what it gives and its entry point."""
    init = ROOT / package / stage / "__init__.py"
    doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
    assert "Takes" in doc and "gives" in doc and "entry point" in doc.lower(), init


def test_public_api_still_imports_from_the_package():
    """``from attribution import Extractor`` and the store's API keep working after the moves."""
    code = ("from attribution import Article, Extractor, Quote, extract, EXTRACTOR_VERSION; "
            "import db; db.open_store; db.find_quotes; db.ingest; print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "ok"


def test_cli_without_urls_does_not_load_the_http_client():
    """Importing the command line (as every command does) leaves httpx unloaded until a URL comes up."""
    code = "import sys, cli.app; print('httpx' in sys.modules, 'attribution.web.client' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.split() == ["False", "False"]
