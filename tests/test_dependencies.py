"""Every package HTML extraction and fetching import is declared, so any pip installs it (issue 17).

jusText asks for ``lxml[html_clean]``; lxml 6 names that extra ``html-clean``, and the pip a Python 3.11
venv ships (23.2) does not match the two: it skips the extra and ``lxml.html.clean`` is missing. Naming
``lxml_html_clean`` in our own dependencies is what makes the install right with that pip.
"""

from __future__ import annotations

import re
import sys

from .conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = None


def _declared() -> set[str]:
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if tomllib is not None:
        deps = tomllib.loads(text)["project"]["dependencies"]
    else:  # pragma: no cover
        deps = re.findall(r'^\s+"([^"]+)",', text.split("dependencies = [", 1)[1].split("]", 1)[0], re.M)
    return {re.split(r"[\s<>=!~\[;]", d, maxsplit=1)[0].lower().replace("_", "-") for d in deps}


def test_html_extraction_and_fetching_dependencies_are_declared():
    assert {"trafilatura", "justext", "lxml", "lxml-html-clean", "httpx", "charset-normalizer"} <= _declared()


def test_html_extraction_imports_what_it_needs():
    import httpx  # noqa: F401
    import trafilatura
    from lxml.html.clean import Cleaner  # what jusText imports; an ImportError here is the old-pip bug

    assert Cleaner is not None
    html = "<html><body><article>" + "<p>The harbour reopened on Monday after the storm damage was repaired.</p>" * 5
    assert "harbour reopened" in (trafilatura.extract(html + "</article></body></html>") or "")
