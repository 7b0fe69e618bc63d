"""Tables readable in an 80-column terminal (issue 16): whole words, wrapped cells, the least useful columns
left out first and named, ``--wide`` (or a wider terminal) shows them; ``--json`` is not affected."""

from __future__ import annotations

import re

import pytest

import db
from attribution.types import Article
from tests.cli_helpers import filled_db, run, run_json
from tests.db_helpers import VERSION, Canned, entity, quote, result

pytestmark = pytest.mark.db

LONG = (
    "Port Strike Ends\n\n"
    "\"Every container that waited in the yard this month will be moved before the weekend,\" said "
    "Aurelio Montenegro-Villanueva, deputy director of communications and public engagement at the "
    "Northern Ports and Waterways Administration.\n"
)


@pytest.fixture
def url(db_url):
    filled_db(db_url)
    article = Article(id="strike", text=LONG, outlet="Harbour Herald", published="2024-06-01")
    canned = Canned()
    content = "Every container that waited in the yard this month will be moved before the weekend,"
    canned.add(result(article, [quote(LONG, content, "Aurelio Montenegro-Villanueva", entity_id=1,
                                      role="deputy director of communications and public engagement",
                                      affiliation="the Northern Ports and Waterways Administration")],
                      [entity(LONG, 1, "Aurelio Montenegro-Villanueva")]))
    with db.open_store(db_url) as store:
        db.ingest(store, [article], canned, version=VERSION)
    return db_url


@pytest.fixture
def columns(monkeypatch):
    """Set the terminal width the CLI's console sees."""
    from cli import common

    def set_width(width: int) -> None:
        monkeypatch.setattr(common.console, "_width", width)

    set_width(80)
    return set_width


NEWCOMER = ["Aurelio", "Montenegro-Villanueva", "deputy", "director", "communications", "engagement", "Northern",
            "Waterways", "Administration"]
OTHERS = ["Maria", "Gonzalez", "spokesperson", "Transportation", "Ministry", "Health"]


def _cells(stdout: str) -> set[str]:
    """Every word inside the table's cells (box characters, padding and separators taken away)."""
    return set(re.findall(r"[^\s│┃┏┓┗┛┡┩└┘├┤┼━─┳┻╇╈╋┬┴,;()]+", stdout))


@pytest.mark.parametrize(("args", "words"), [
    (("quotes",), NEWCOMER + OTHERS),
    (("speakers",), NEWCOMER + OTHERS),
    (("speaker", "Montenegro-Villanueva"), NEWCOMER),
])
def test_80_columns_hold_whole_words_and_fit(url, columns, args, words):
    shown = run(*args, "--db", url)
    assert shown.exit_code == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines and max(len(line) for line in lines) <= 80
    assert "…" not in shown.stdout  # nothing cut with an ellipsis
    cells = _cells(shown.stdout)
    assert [w for w in words if w not in cells] == []  # every word of every name and role, whole


def test_columns_that_do_not_fit_are_named_and_wide_shows_them(url, columns):
    narrow = run("quotes", "--db", url)
    assert "left out to fit 80 columns: --wide shows them" in narrow.stdout
    header = next(line for line in narrow.stdout.splitlines() if "quote" in line and "speaker" in line)
    assert "conf" not in header and "kind" not in header  # the least useful go first
    assert "speaker" in header and "role" in header
    wide = run("quotes", "--wide", "--db", url)
    header = next(line for line in wide.stdout.splitlines() if "quote" in line and "speaker" in line)
    assert all(name in header for name in ("id", "date", "speaker", "role", "kind", "quote", "article", "conf"))
    assert "left out" not in wide.stdout
    speakers = run("speakers", "--wide", "--db", url)
    assert "first seen" in speakers.stdout and "type" in speakers.stdout


def test_a_wider_terminal_shows_every_column_without_wide(url, columns):
    columns(200)
    shown = run("quotes", "--db", url)
    assert "left out" not in shown.stdout
    assert "Aurelio Montenegro-Villanueva" in shown.stdout  # room enough: the name on one line


def test_json_is_not_shaped_by_the_terminal(url, columns):
    narrow = run_json("quotes", "--db", url)
    columns(200)
    assert run_json("quotes", "--db", url) == narrow
    assert {"quote_id", "speaker", "role", "affiliation", "kind", "confidence"} <= set(narrow[0])


def test_speakers_are_listed_a_page_at_a_time(url, columns):
    everyone = run_json("speakers", "--limit", "100", "--db", url)
    pages = [run_json("speakers", "--limit", "2", "--page", str(p), "--db", url) for p in (1, 2, 3, 4)]
    assert [s["id"] for page in pages for s in page] == [s["id"] for s in everyone]
    assert "more with --page 2" in run("speakers", "--limit", "2", "--db", url).stdout
    assert "No speakers on page 99" in run("speakers", "--page", "99", "--db", url).stdout
