"""Bad input, through the real CLI (`attribution extract` and `attribution ingest`): each case is a clear
one-line error or a correct result, never a traceback, and nothing half-written in the database.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

import db
from attribution.reading.sources import ENV_MAX_MB, iter_articles
from attribution.types import Article
from db.store.models import Article as StoredArticle
from db.store.models import Quote as StoredQuote
from tests.cli_helpers import run

STORY = ("Harbour officials met on Tuesday to discuss the new ferry timetable.\n\n"
         "“The ferry will run every hour from May,” said Harbour Master José Núñez.\n")


def no_traceback(result) -> None:
    out = (result.stdout or "") + (result.stderr or "")
    assert "Traceback" not in out
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)


def error_lines(result) -> list[str]:
    return [ln for ln in result.stderr.splitlines() if ln.strip()]


def counts(url: str) -> tuple[int, int]:
    """(articles, quotes) stored; (0, 0) when no database or schema exists."""
    try:
        with db.open_store(url) as store, store.session() as s:
            return s.scalar(select(func.count(StoredArticle.id))), s.scalar(select(func.count(StoredQuote.id)))
    except db.SchemaError:
        return 0, 0


def extract_json(*paths) -> list[dict]:
    result = run("extract", "--jsonl", *paths)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def stored_texts(url: str) -> list[str]:
    with db.open_store(url) as store, store.session() as s:
        return list(s.scalars(select(StoredArticle.text).order_by(StoredArticle.id)))


# --- binary, encodings, empty --------------------------------------------------------------------------

BAD_FILES = {
    "binary.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
    "nul-late.txt": (b"Plain words. " * 1000 + b"\x00\x01", "binary"),
    "empty.txt": (b"", "empty"),
    "blank.txt": (b" \n\t\r\n \xc2\xa0\n", "empty"),
    "bad-bom.txt": (b"\xff\xfe\x00\xd8x", "byte-order mark"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_extract_refuses_bad_files_in_one_line(tmp_path, models_dir, name):
    data, words = BAD_FILES[name]
    f = tmp_path / name
    f.write_bytes(data)
    result = run("extract", f)
    no_traceback(result)
    assert result.exit_code == 1
    [line] = error_lines(result)
    assert line.startswith("error:") and name in line and words in line, line
    assert result.stdout.strip() == ""


@pytest.mark.db
def test_ingest_refuses_bad_files_and_stores_the_rest(db_url, extractor, models_dir, tmp_path):
    d = tmp_path / "news"
    d.mkdir()
    for name, (data, _) in BAD_FILES.items():
        (d / name).write_bytes(data)
    (d / "good.txt").write_text(STORY, encoding="utf-8")
    result = run("ingest", d, "--db", db_url, "--models", models_dir)
    no_traceback(result)
    assert result.exit_code == 1
    assert f"{len(BAD_FILES)} failed" in result.stdout and "1 new" in result.stdout
    for name, (_, words) in BAD_FILES.items():
        assert any(name in ln and words in ln for ln in error_lines(result)), (name, result.stderr)
    assert stored_texts(db_url) == [STORY]


LATIN1 = "Café owner José Núñez said the façade would reopen, and the crème brûlée is back.\n"
ENCODED = {
    "latin1.txt": (LATIN1.encode("latin-1"), LATIN1),
    "cp1252.txt": ("“We will,” said Zoë Brontë – the mayor – on Monday…\n".encode("cp1252"),
                   "“We will,” said Zoë Brontë – the mayor – on Monday…\n"),
    "utf16.txt": (STORY.encode("utf-16"), STORY),
    "utf8-bom.txt": (b"\xef\xbb\xbf" + STORY.encode("utf-8"), STORY),
    # UTF-8 with one stray Latin-1 byte pasted in: the rest stays UTF-8, the stray byte reads as cp1252.
    "mixed.txt": (STORY.encode("utf-8") + b"Caf\xe9 closed.\n", STORY + "Café closed.\n"),
    "cp1250.txt": ("Zażółć gęślą jaźń, powiedział Łukasz Żółkiewski w środę.\n".encode("cp1250"),
                   "Zażółć gęślą jaźń, powiedział Łukasz Żółkiewski w środę.\n"),
}


@pytest.mark.db
def test_legacy_encodings_are_decoded_exactly(db_url, extractor, models_dir, tmp_path):
    d = tmp_path / "enc"
    d.mkdir()
    for name, (data, _) in ENCODED.items():
        (d / name).write_bytes(data)
    texts = {Path(a.source_path).name: a.text for a in iter_articles([str(d)]) if isinstance(a, Article)}
    assert texts == {name: text for name, (_, text) in ENCODED.items()}
    result = run("ingest", d, "--db", db_url, "--models", models_dir)
    no_traceback(result)
    assert result.exit_code == 0, result.stderr
    # The UTF-16 and BOM files hold the same text: one article.
    assert sorted(stored_texts(db_url)) == sorted({text for _, text in ENCODED.values()})
    table = run("extract", d / "latin1.txt")
    assert table.exit_code == 0 and "Núńez" not in table.stdout


# --- size ------------------------------------------------------------------------------------------------


@pytest.mark.db
def test_a_50_mb_text_is_refused_quickly_with_the_limit_named(db_url, models_dir, tmp_path):
    big = tmp_path / "big.txt"
    line = ("The council met again and talked for a very long time about the harbour. " * 10 + "\n").encode()
    with big.open("wb") as f:
        for _ in range(50_000_000 // len(line) + 1):
            f.write(line)
    assert big.stat().st_size >= 50_000_000
    started = time.perf_counter()
    result = run("extract", big, "--models", models_dir)
    no_traceback(result)
    assert result.exit_code == 1
    [msg] = error_lines(result)
    assert "too large" in msg and "10 MB" in msg and ENV_MAX_MB in msg and "big.txt" in msg
    ingest = run("ingest", big, "--db", db_url, "--models", models_dir)
    no_traceback(ingest)
    assert ingest.exit_code == 1 and "too large" in ingest.stderr
    assert time.perf_counter() - started < 60
    assert counts(db_url) == (0, 0)


def test_size_limit_applies_to_jsonl_lines_and_stdin(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_MAX_MB, "0.001")  # 1,000 bytes
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join(json.dumps({"id": f"a{i}", "text": t}) for i, t in
                              enumerate(["Short one.", "x" * 5000, "Short two."])) + "\n", encoding="utf-8")
    items = list(iter_articles([str(feed)]))
    assert [getattr(i, "id", None) for i in items] == ["a0", None, "a2"]
    assert items[1].where == f"{feed}:2" and "too large" in items[1].message
    [err] = list(iter_articles(["-"], stdin=["word " * 100 + "\n"] * 10))
    assert err.where == "<stdin>" and "too large" in err.message
    monkeypatch.setenv(ENV_MAX_MB, "lots")
    [err] = list(iter_articles([str(feed)]))
    assert ENV_MAX_MB in err.message


def test_a_large_jsonl_feed_is_streamed_not_refused(tmp_path):
    feed = tmp_path / "feed.jsonl"
    record = json.dumps({"text": "A short story about the harbour and its ferry, told in one line. " * 20})
    with feed.open("w", encoding="utf-8") as f:
        for i in range(12_000):  # ~16 MB, over the one-article limit as a whole
            f.write(record[:-1] + f', "id": "n{i}"}}\n')
    assert feed.stat().st_size > 10_000_000
    n = sum(1 for item in iter_articles([str(feed)]) if isinstance(item, Article))
    assert n == 12_000


# --- HTML, JSONL, odd characters -------------------------------------------------------------------------

HTML = """<!DOCTYPE html><html><head><title>Ferry timetable changes | Harbour Daily</title>
<script>var ad = "“Buy now,” said the advert."; document.write(ad);</script>
<style>body { font-family: "Comic Sans"; }</style></head>
<body><nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">“Weather,” said the menu</a></nav>
<article><h1>Ferry timetable changes</h1>
<p>Harbour officials met on Tuesday to discuss the new ferry timetable for the summer season.</p>
<p>“The ferry will run every hour from May,” said harbour master Ingrid Solberg, who chaired the meeting.</p>
<p>Passengers welcomed the change, which follows months of complaints about late evening crossings.</p>
</article><script>trackPageView("“Tracked,” said the script.");</script>
<footer>Copyright Harbour Daily. <a href="/privacy">Privacy</a></footer></body></html>
"""


def test_html_scripts_and_navigation_never_become_quotes(tmp_path, models_dir):
    page = tmp_path / "ferry.html"
    page.write_text(HTML, encoding="utf-8")
    [doc] = extract_json(page)
    contents = " ".join(q["content"] for q in doc["quotes"])
    for junk in ("Buy now", "Tracked", "Weather", "Comic Sans", "Privacy"):
        assert junk not in contents
    assert "The ferry will run every hour from May" in contents


@pytest.mark.db
def test_malformed_jsonl_reports_line_numbers_and_stores_the_rest(db_url, extractor, models_dir, tmp_path):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n".join([
        json.dumps({"id": "ok1", "text": STORY}),
        '{"id": "broken", "text": "unterminated',
        json.dumps({"id": "nul", "text": "A NUL\u0000 inside."}),
        '{"id": "surrogate", "text": "A lone \\ud800 surrogate."}',
        json.dumps({"id": "ok2", "text": "The pier reopened on Friday, officials said."}),
        "[1, 2]",
    ]) + "\n", encoding="utf-8")
    result = run("ingest", feed, "--db", db_url, "--models", models_dir)
    no_traceback(result)
    assert result.exit_code == 1
    assert "2 new" in result.stdout and "4 failed" in result.stdout
    for n, words in ((2, "not JSON"), (3, "NUL"), (4, "surrogate"), (6, "not an article")):
        assert any(f"{feed}:{n}:" in ln and words in ln for ln in error_lines(result)), (n, result.stderr)
    assert counts(db_url)[0] == 2
    ext = run("extract", "--jsonl", feed, "--models", models_dir)
    no_traceback(ext)
    assert ext.exit_code == 1 and len(ext.stdout.splitlines()) == 2


ODD = ("Officials\u00a0met on Tuesday.\u200b The mayor\u2060 spoke.\n\n"
       "“We will\u00a0rebuild the pier\u200d by June,” said Mayor Clara\u200bOduya.\n"
       "“\u202eevil reversed text\u202c is here,” said Ingrid Solberg.\n"
       "\u2066Isolated\u2069 words and a soft\u00adhyphen, an emoji 👩\u200d👩\u200d👧 and \ufeffa BOM.\n")


@pytest.mark.db
def test_nbsp_zero_width_and_bidi_characters(db_url, extractor, models_dir, tmp_path):
    f = tmp_path / "odd.txt"
    f.write_text(ODD, encoding="utf-8")
    [doc] = extract_json(f)
    for q in doc["quotes"]:
        assert ODD[q["start"]:q["end"]] == q["content"]
    table = run("extract", f)
    assert table.exit_code == 0
    assert "\u202e" not in table.stdout and "\u2066" not in table.stdout
    result = run("ingest", f, "--db", db_url, "--models", models_dir)
    assert result.exit_code == 0, result.stderr
    assert stored_texts(db_url) == [ODD]
    show = run("show", "1", "--db", db_url)
    assert show.exit_code == 0 and "\u202e" not in show.stdout and "\\u202e" in show.stdout


QUOTE_MARKS = ("The council met on Monday.\n\n"
               "„Wir bauen die Brücke neu“, sagte Bürgermeisterin Anna Berg.\n"
               "« Nous allons réparer le quai », a déclaré Hélène Lefèvre.\n"
               "「港は安全です」と田中さんは言った。\n"
               "‹Small marks› said Tom Baker, and ”reversed marks“ said Ann Lee.\n"
               "\"An unclosed quote said Mr Green on Tuesday.\n"
               "A stray closing mark” here, ‘single curly’ there, ``TeX quotes'' and 'straight' ones, "
               "said the editor. \"\"\"\"\n")


def test_mismatched_and_unusual_quote_marks(tmp_path, models_dir):
    f = tmp_path / "marks.txt"
    f.write_text(QUOTE_MARKS, encoding="utf-8")
    [doc] = extract_json(f)
    for q in doc["quotes"]:
        assert QUOTE_MARKS[q["start"]:q["end"]] == q["content"]
        assert 0 <= q["start"] < q["end"] <= len(QUOTE_MARKS)


#: Memory and time a 5,000-word sentence may take: generous, but far below what would take a machine down.
LONG_SENTENCE_GB = 4
LONG_SENTENCE_SECONDS = 300


def _limit_memory() -> None:  # pragma: no cover - runs in the child
    import resource

    limit = LONG_SENTENCE_GB * 2**30
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


@pytest.mark.slow
def test_a_single_5000_word_sentence_finishes(tmp_path, models_dir):
    """A 5,000-word "sentence" goes through the real CLI within bounded memory and time.

    Stanza's dependency parser scores every pair of words (O(n^2) memory per sentence): 3.4 GB and 17 s
    for 1,000 words, more than 12 GB for 2,000. :data:`attribution.parsing.pipeline.MAX_PARSE_WORDS` keeps such
    sentences from the parser (they stay flat, like unselected ones) while the linear processors still
    run, so this passes for real, under the memory cap below.
    """
    import subprocess
    import sys

    script = Path(sys.executable).parent / "attribution"
    if not script.is_file():
        pytest.skip("the attribution console script is not installed")
    words = ["the", "harbour", "council", "said", "that", "ferry", "crossings", "would", "resume", "and"]
    sentence = "“" + " ".join(words[i % len(words)] for i in range(5000)) + ",” said Mayor Clara Oduya.\n"
    f = tmp_path / "long.txt"
    f.write_text(sentence, encoding="utf-8")
    # In a child with capped memory: a parser that needs tens of GB fails there instead of taking the
    # machine (and the test run) down with the OOM killer.
    try:
        proc = subprocess.run([str(script), "extract", "--jsonl", "--models", str(models_dir), str(f)],
                              capture_output=True, text=True, timeout=LONG_SENTENCE_SECONDS,
                              preexec_fn=_limit_memory)
    except subprocess.TimeoutExpired:
        pytest.fail(f"a 5,000-word sentence took over {LONG_SENTENCE_SECONDS} s")
    assert proc.returncode == 0, proc.stderr[-500:]
    assert "Traceback" not in proc.stderr
    [doc] = [json.loads(line) for line in proc.stdout.splitlines()]
    for q in doc["quotes"]:
        assert sentence[q["start"]:q["end"]] == q["content"]


@pytest.mark.db
def test_an_article_without_quotes(db_url, extractor, models_dir, tmp_path):
    f = tmp_path / "plain.txt"
    f.write_text("The library opens at nine on weekdays and at ten on Saturdays.\n", encoding="utf-8")
    table = run("extract", f)
    assert table.exit_code == 0 and "no quotes found" in " ".join(table.stdout.split())
    result = run("ingest", f, "--db", db_url, "--models", models_dir)
    assert result.exit_code == 0 and "1 new" in result.stdout
    assert counts(db_url) == (1, 0)


# --- unreadable files, unwritable and newer databases ----------------------------------------------------


@pytest.mark.db
def test_directory_with_an_unreadable_file(db_url, extractor, models_dir, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading "
                    "(test_unreadable_file_as_root covers the same path with /proc/self/mem)")
    d = tmp_path / "news"
    d.mkdir()
    (d / "good.txt").write_text(STORY, encoding="utf-8")
    locked = d / "locked.txt"
    locked.write_text("secret", encoding="utf-8")
    locked.chmod(0)
    try:
        result = run("ingest", d, "--db", db_url, "--models", models_dir)
    finally:
        locked.chmod(0o644)
    no_traceback(result)
    assert result.exit_code == 1 and "1 new" in result.stdout and "1 failed" in result.stdout
    assert any("locked.txt" in ln and "ermission denied" in ln for ln in error_lines(result))


@pytest.mark.db
def test_unreadable_file_as_root(db_url, extractor, models_dir, tmp_path):
    if not Path("/proc/self/mem").exists():
        pytest.skip("no /proc/self/mem (not Linux): no file even root cannot read")
    d = tmp_path / "news"
    d.mkdir()
    (d / "good.txt").write_text(STORY, encoding="utf-8")
    (d / "mem.txt").symlink_to("/proc/self/mem")  # a regular file whose read fails with EIO
    os.mkfifo(d / "pipe.txt")  # a FIFO in a directory walk would block forever: skipped
    result = run("ingest", d, "--db", db_url, "--models", models_dir)
    no_traceback(result)
    assert result.exit_code == 1 and "1 new" in result.stdout and "1 failed" in result.stdout
    assert any("mem.txt" in ln for ln in error_lines(result)), result.stderr


def test_unwritable_database_path_is_one_line(tmp_path, models_dir):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where a directory should be", encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    for target in (blocker / "sub" / "attribution.db", tmp_path):  # under a file; a directory itself
        result = run("ingest", story, "--db", target, "--models", models_dir)
        no_traceback(result)
        assert result.exit_code == 1
        [line] = error_lines(result)
        assert line.startswith("error:") and str(target) in line
    if os.geteuid() != 0:
        ro = tmp_path / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        try:
            result = run("ingest", story, "--db", ro / "attribution.db", "--models", models_dir)
        finally:
            ro.chmod(0o755)
        no_traceback(result)
        assert result.exit_code == 1 and len(error_lines(result)) == 1


@pytest.mark.db
def test_database_from_a_newer_version_is_left_alone(db_url, models_dir, tmp_path):
    from sqlalchemy import text

    db.setup_database(db_url)
    with db.make_engine(db_url).begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff9999'"))
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    for args in (("ingest", story, "--models", models_dir), ("quotes",), ("export", "csv")):
        result = run(*args, "--db", db_url)
        no_traceback(result)
        assert result.exit_code == 1
        [line] = error_lines(result)
        assert "newer attribution" in line and "upgrade attribution" in line
    with db.make_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM article")).scalar() == 0
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "ffff9999"


def test_jsonl_strings_with_raw_unicode_line_separators_stay_one_record(tmp_path):
    text = "Line one\u2028still one record\u2029and\x85this, said Ann Lee."
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"id": "sep", "text": text}, ensure_ascii=False) + "\n", encoding="utf-8")
    [a] = list(iter_articles([str(feed)]))
    assert a.text == text
