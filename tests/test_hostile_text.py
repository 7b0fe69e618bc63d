"""Hostile text: Rich markup and ANSI/OSC escapes in articles are shown literally by every command, CSV
cells never run as formulas, search input never runs as FTS5/tsquery syntax, no SQL is built from strings,
and database passwords never show.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
from pathlib import Path

import pytest

import db
from attribution.types import Article, ExtractionResult
from cli import common
from tests.cli_helpers import filled_db, run, run_json
from tests.db_helpers import VERSION, Canned, entity, quote, result

ROOT = Path(__file__).resolve().parent.parent

MARKUP = "[red]Boss[/red]"
ANSI = "\x1b[31m"
OSC = "\x1b]0;pwned\x07"
SPEAKER = f"{MARKUP} {ANSI}Kane{OSC}"
QUOTE = f"{MARKUP} won {ANSI}big{OSC} today [bold]really[/bold]"
ROLE = f"[blink]chief[/blink]{ANSI}"
AFFILIATION = f"Acme{OSC} [u]Corp[/u]"
TEXT = f'Opening line.\n\n"{QUOTE}," said {SPEAKER}, the {ROLE} of {AFFILIATION}.\n'
#: How each hostile piece must appear in human-readable output: escapes shown as text, markup as is (narrow
#: table columns may cut a long name short with an ellipsis, hence only its start for the speaker).
SHOWN = [MARKUP, "\\x1b[31mKane", "\\x1b[31mbig\\x1b]0;pwned\\x07", "[bold]really[/bold]"]


def flat(text: str) -> str:
    """Output without whitespace and table rules, so a cell wrapped over lines reads as one string."""
    return re.sub(r"[\s│┃|─━┼╇╈┡┩┠┨╭╮╰╯┌┐└┘├┤┬┴]", "", text)


def assert_inert(output: str, shown: list[str] = SHOWN) -> None:
    """No escape or bell reaches the terminal; each hostile piece is shown literally."""
    assert "\x1b" not in output and "\x07" not in output and "\x9b" not in output
    for piece in shown:
        assert flat(piece) in flat(output), (piece, output)


@pytest.fixture
def wide(monkeypatch):
    """A wide console, so tables wrap as little as possible."""
    monkeypatch.setattr(common.console, "width", 400)


def hostile_result() -> tuple[Article, ExtractionResult]:
    article = Article(id="hostile", text=TEXT, url=f"https://evil.example/{MARKUP}", title=f"Title {MARKUP}{OSC}",
                      outlet=f"Outlet {MARKUP}{ANSI}", published="2024-05-01")
    q = quote(TEXT, QUOTE, SPEAKER, role=ROLE, affiliation=AFFILIATION, entity_id=1)
    return article, result(article, [q], [entity(TEXT, 1, SPEAKER, roles=[(ROLE, AFFILIATION, ROLE)])])


@pytest.fixture
def hostile_db(db_url) -> str:
    db.setup_database(db_url)
    article, res = hostile_result()
    with db.open_store(db_url) as store:
        report = db.ingest(store, [article], Canned({"hostile": res}), version=VERSION)
    assert report.failed == 0, report.failures
    return db_url


class FakeExtractor:
    """Stands in for the real extractor in `extract` and `eval`: returns the hostile quote for any article."""

    def __init__(self, *_args, **_kwargs):
        pass

    def extract_many(self, articles):
        for a in articles:
            _, res = hostile_result()
            yield ExtractionResult(a, res.quotes if QUOTE in a.text else [], res.entities, VERSION, {})


# --- Rich markup and terminal escapes ------------------------------------------------------------------


def test_extract_table_shows_markup_and_escapes_literally(tmp_path, monkeypatch, wide):
    monkeypatch.setattr("cli.extract_cmd.Extractor", FakeExtractor)
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"id": "h", "title": f"Title {MARKUP}{OSC}", "text": TEXT}) + "\n", encoding="utf-8")
    out = run("extract", f)
    assert out.exit_code == 0, out.stderr
    assert_inert(out.stdout, [*SHOWN, "[blink]chief[/blink]", f"Title {MARKUP}\\x1b]0;pwned\\x07"])
    js = run("extract", "--jsonl", f)
    assert "\x1b" not in js.stdout and json.loads(js.stdout)["quotes"][0]["content"] == QUOTE


def test_extract_error_lines_show_hostile_paths_literally(tmp_path, monkeypatch):
    monkeypatch.setattr("cli.extract_cmd.Extractor", FakeExtractor)
    bad = tmp_path / f"[red]Boss{OSC}.txt"
    bad.write_bytes(b"\x00\x01binary")
    out = run("extract", bad)
    assert out.exit_code == 1
    assert_inert(out.stderr, ["[red]Boss\\x1b]0;pwned\\x07.txt"])


@pytest.mark.db
@pytest.mark.parametrize("args", [("quotes",), ("speakers",), ("speaker", "1"), ("show", "hostile"), ("stats",)])
def test_store_commands_show_markup_and_escapes_literally(hostile_db, wide, args):
    out = run(*args, "--db", hostile_db)
    assert out.exit_code == 0, out.stderr
    shown = {"quotes": SHOWN, "speakers": SHOWN[:2], "speaker": SHOWN, "show": SHOWN,
             "stats": [f"Outlet {MARKUP}\\x1b[31m"]}[args[0]]
    assert_inert(out.stdout + out.stderr, shown)


@pytest.mark.db
@pytest.mark.parametrize("args", [("quotes",), ("speakers",), ("speaker", "1"), ("show", "hostile"), ("stats",)])
def test_store_json_output_escapes_control_characters(hostile_db, args):
    data = run_json(*args, "--db", hostile_db)
    assert data  # parsed: JSON escapes \x1b and \x07 as \u001b and \u0007


@pytest.mark.db
def test_ingest_failure_lines_show_hostile_paths_literally(db_url, tmp_path):
    bad = tmp_path / f"[red]Boss{ANSI}.txt"
    bad.write_bytes(b"\x00binary")
    out = run("ingest", bad, "--db", db_url)
    assert out.exit_code == 1
    assert_inert(out.stderr + out.stdout, ["[red]Boss\\x1b[31m.txt"])


def test_eval_errors_show_markup_and_escapes_literally(tmp_path, monkeypatch):
    monkeypatch.setattr("cli.eval_cmd.Extractor", FakeExtractor)
    gold = tmp_path / "gold.jsonl"
    # A gold document whose only quote the fake extractor misses (it predicts a spurious one instead).
    start = TEXT.index("Opening")
    gold.write_text(json.dumps({"id": "g", "text": TEXT, "quotes": [
        {"start": start, "end": start + 7, "speaker": SPEAKER, "kind": "direct"}]}) + "\n", encoding="utf-8")
    out = run("eval", gold, "--errors", "5")
    assert out.exit_code == 0, out.stderr
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert MARKUP in out.stdout and "spurious" in out.stdout


@pytest.mark.parametrize("raw", ["\x1b[31m", "\x1b]0;pwned\x07", "\x9b31m", "\r", "\b", "\u202e", "\u2066", "\x00"])
def test_safe_shows_control_and_bidi_characters(raw):
    shown = common.safe(f"a{raw}b")
    assert raw not in shown and shown.startswith("a\\") and shown.endswith("b")


def test_safe_keeps_ordinary_unicode():
    text = "Núñez\u00a0said \u201chi\u201d 👩\u200d👩\u200d👧 — fine\n\tnext"
    assert common.safe(text) == text


# --- CSV formula injection -------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]


@pytest.mark.db
def test_csv_export_neutralises_formulas_in_every_cell(db_url, tmp_path):
    db.setup_database(db_url)
    pieces = {}
    for i, formula in enumerate(FORMULAS):
        text = f"Intro {i}.\n\n\"{formula} is my quote\" said Boss {i}. {formula}claim{i}\n"
        article = Article(id=f"f{i}", text=text, url=f"{formula}url{i}", outlet=f"{formula}outlet{i}",
                          published="2024-01-02")
        speaker = f"{formula}name{i}"
        q = quote(text, f"{formula} is my quote", speaker, mention=f"Boss {i}", role=f"{formula}role{i}",
                  affiliation=f"{formula}aff{i}", entity_id=1)
        q.cue = f"{formula}cue"
        from tests.db_helpers import claim
        q.claims = [claim(text, f"{formula}claim{i}")]
        pieces[article.id] = result(article, [q], [entity(text, 1, speaker)])
    with db.open_store(db_url) as store:
        assert db.ingest(store, [r.article for r in pieces.values()], Canned(pieces), version=VERSION).failed == 0
    out = tmp_path / "q.csv"
    res = run("export", "csv", "-o", out, "--db", db_url)
    assert res.exit_code == 0, res.stderr
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8"), newline="")))
    assert len(rows) == 1 + len(FORMULAS)
    cells = [c for row in rows[1:] for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    for formula in FORMULAS:  # every hostile field is there, behind a quote mark
        assert sum(c.startswith("'" + formula) for c in cells) >= 6, (formula, rows)
    stdout = run("export", "csv", "--db", db_url)
    assert stdout.exit_code == 0
    cells = [c for row in csv.reader(io.StringIO(stdout.stdout, newline="")) for c in row[1:]]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]


# --- search input ----------------------------------------------------------------------------------------

NASTY_SEARCHES = ['"', '""', "'", "NEAR(bridge harbour)", "NEAR(", "bridge*", "*", "bridge OR harbour",
                  "harbour NOT bridge", "AND", "OR", "NOT", "-bridge", "bridge - harbour", "^bridge", "bridge:cut",
                  "content:bridge", "foo:bar", "(", ")", "((bridge)", "bridge & harbour", "bridge | harbour",
                  "!bridge", "bridge <-> cut", "commut:*", "\\", "'; DROP TABLE quote; --", "%", "_", "{x}",
                  "[red]x[/red]", "\x1b[31m"]


@pytest.mark.db
@pytest.mark.parametrize("text", NASTY_SEARCHES)
def test_search_syntax_is_plain_text_unless_raw(db_url, text):
    url = filled_db(db_url)
    out = run("quotes", "--text", text, "--json", "--db", url)
    assert out.exit_code == 0, out.stderr
    assert isinstance(json.loads(out.stdout), list)
    assert run("export", "jsonl", "--text", text, "--db", url).exit_code == 0


@pytest.mark.db
@pytest.mark.parametrize("text", ["bridge OR harbour", "harbour NOT bridge", "bridge | harbour", "!bridge harbour",
                                  "-bridge harbour"])
def test_search_operators_are_not_run_as_syntax(db_url, text):
    url = filled_db(db_url)
    # Every word must occur: no stored quote holds both "bridge" and "harbour".
    assert run_json("quotes", "--text", text, "--db", url) == []


@pytest.mark.db
def test_raw_search_runs_syntax_when_asked(db_url, db_backend):
    url = filled_db(db_url)
    query = "bridge OR harbour" if db_backend == "sqlite" else "bridge | harbour"
    assert len(run_json("quotes", "--text", query, "--raw-search", "--db", url)) == 2


@pytest.mark.db
@pytest.mark.parametrize("text", NASTY_SEARCHES)
def test_raw_search_errors_are_one_line(db_url, text):
    url = filled_db(db_url)
    out = run("quotes", "--text", text, "--raw-search", "--db", url)
    assert out.exception is None or isinstance(out.exception, SystemExit), repr(out.exception)
    if out.exit_code:
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error:"), out.stderr
        assert "rejected" in lines[0]
    assert len(run_json("quotes", "--text", "unbearable", "--db", url)) == 1  # the table is still there


# --- no SQL from strings ---------------------------------------------------------------------------------

SQL_CALLS = {"execute", "exec_driver_sql", "text", "executescript", "literal_column", "op"}
#: Constant-only formatted SQL (no user input can reach these).
ALLOWED = {("db/store/engine.py", "PRAGMA busy_timeout"), ("db/migrations/versions/0001_initial.py", "CREATE TRIGGER")}


def _formatted(node: ast.AST) -> bool:
    """Whether an expression builds a string by formatting: f-string, ``%``, ``+`` or ``.format``."""
    for sub in ast.walk(node):
        if isinstance(sub, ast.JoinedStr) and any(isinstance(v, ast.FormattedValue) for v in sub.values):
            return True
        if isinstance(sub, ast.BinOp) and isinstance(sub.op, (ast.Mod, ast.Add)) and any(
                isinstance(x, (ast.Constant, ast.JoinedStr)) and isinstance(getattr(x, "value", ""), str)
                for x in (sub.left, sub.right)):
            return True
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "format":
            return True
    return False


def test_no_sql_is_built_from_formatted_strings():
    found = []
    for path in sorted((ROOT / "db").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name not in SQL_CALLS:
                continue
            for arg in node.args:
                if _formatted(arg):
                    snippet = ast.get_source_segment(source, arg) or ""
                    if not any(rel == f and key in snippet for f, key in ALLOWED):
                        found.append(f"{rel}:{node.lineno}: {snippet[:80]}")
    assert found == [], "SQL built by string formatting:\n" + "\n".join(found)


# --- passwords -------------------------------------------------------------------------------------------

SECRET = "s3cr3t-pw"


@pytest.mark.parametrize("url", [
    f"postgresql://reader:{SECRET}@127.0.0.1:1/news",
    f"postgresql+psycopg://reader:{SECRET}@no-such-host.invalid/news",
    f"postgres://reader:{SECRET}@127.0.0.1:1/news?sslmode=require",
    f"mysql://reader:{SECRET}@localhost/news",
    f"postgresql://reader:{SECRET}@[::1:bad/news",
    f"oracle+cx://reader:{SECRET}@h:x/d",
])
@pytest.mark.parametrize("args", [("stats",), ("quotes",), ("export", "csv"), ("speakers",), ("ingest", "-")])
def test_database_passwords_are_never_printed(url, args, monkeypatch):
    out = run(*args, "--db", url, input="“We will,” said Ann Lee.\n")
    assert out.exit_code != 0
    assert SECRET not in out.stdout + out.stderr, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    monkeypatch.setenv("ATTRIBUTION_DB", url)
    env = run(*args, input="“We will,” said Ann Lee.\n")
    assert SECRET not in env.stdout + env.stderr


@pytest.mark.db
def test_stats_and_ingest_summary_mask_the_password(db_url, db_backend, tmp_path):
    if db_backend != "postgresql":
        pytest.skip("SQLite URLs carry no password")
    url = filled_db(db_url)
    password = db.resolve_url(url).password
    assert password
    for args in (("stats",), ("stats", "--json")):
        out = run(*args, "--db", url)
        assert out.exit_code == 0 and f":{password}@" not in out.stdout + out.stderr
