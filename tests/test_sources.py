"""Reading articles from files, directories, JSONL and stdin (attribution.reading.sources): no parser."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from attribution import Article, DecodeError, EmptyInput
from attribution.reading.sources import SourceError, article_from_text, decode, iter_articles, text_id

STORY = ("Harbour master Ingrid Solberg said the pier would reopen on Friday.\n"
         "“We checked every bolt twice,” she said.\n")

HTML = """<!DOCTYPE html>
<html><head><title>Pier reopens after storm | Harbour Daily</title></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li></ul></nav>
<article>
<h1>Pier reopens after storm</h1>
<p>The pier in Norwell reopened on Monday after a week of repairs to the storm-damaged deck, officials said.</p>
<p>“We checked every bolt on the deck twice over the weekend,” said harbour master Ingrid Solberg, who led the work.</p>
<p>Fishing boats returned to the quay by noon, and the first ferry left for the islands an hour later.</p>
</article>
<footer><a href="#top">Back to top</a> <a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


def collect(paths, stdin=None):
    items = list(iter_articles([str(p) for p in paths], stdin=stdin))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, SourceError)]
    return articles, errors


def test_text_file(tmp_path):
    f = tmp_path / "pier-story.txt"
    f.write_text(STORY, encoding="utf-8")
    [a], errors = collect([f])
    assert errors == []
    assert a.text == STORY
    assert a.id == "pier-story"
    assert a.source_path == str(f)


def test_text_file_keeps_text_exactly_and_strips_only_a_bom(tmp_path):
    text = "  Leading spaces,\r\nCRLF lines,\u00a0NBSP and a tab\t.\n\n"
    f = tmp_path / "exact.txt"
    f.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [a], _ = collect([f])
    assert a.text == text


def test_directory_recursion_sorted_and_filtered(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    (tmp_path / "b" / "two.txt").write_text("Second story about the ferry.", encoding="utf-8")
    (tmp_path / "a" / "deep" / "one.md").write_text("First story about the pier.", encoding="utf-8")
    (tmp_path / "a" / "page.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "a" / "feed.jsonl").write_text(json.dumps({"id": "j1", "text": "A story from a feed."}) + "\n",
                                               encoding="utf-8")
    (tmp_path / "a" / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "notes").write_text("no suffix: skipped in a directory walk", encoding="utf-8")
    articles, errors = collect([tmp_path])
    assert errors == []
    assert [Path(a.source_path).name for a in articles] == ["one.md", "feed.jsonl", "page.html", "two.txt"]
    assert articles[1].id == "j1"
    assert "pier in Norwell reopened" in articles[2].text


def test_directory_without_articles_is_an_error(tmp_path):
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    articles, [err] = collect([tmp_path])
    assert articles == []
    assert err.where == str(tmp_path)
    assert "no .txt" in err.message


def test_missing_path_is_an_error_and_others_go_on(tmp_path):
    f = tmp_path / "story.txt"
    f.write_text(STORY, encoding="utf-8")
    articles, [err] = collect([tmp_path / "missing.txt", f])
    assert [a.id for a in articles] == ["story"]
    assert err.where == str(tmp_path / "missing.txt")
    assert "no such file" in err.message
    assert str(err) == f"{err.where}: {err.message}"


def test_jsonl_bad_line_reported_with_its_line_number_others_go_in(tmp_path):
    f = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a1", "text": "First story.", "url": "https://example.org/a1", "title": "One",
                    "outlet": "Harbour Daily", "author": "J. Doe", "published": "2024-03-01", "extra": 1}),
        "{not json",
        "",
        json.dumps({"id": 7, "text": "Second story."}),
        json.dumps({"id": "a3", "body": "no text field"}),
        json.dumps(["a", "list"]),
        json.dumps({"id": "a5", "text": "   "}),
        json.dumps({"text": "Third story without an id."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    articles, errors = collect([f])
    assert [a.id for a in articles] == ["a1", "7", text_id("Third story without an id.")]
    first = articles[0]
    assert (first.url, first.title, first.outlet, first.author, first.published) == (
        "https://example.org/a1", "One", "Harbour Daily", "J. Doe", "2024-03-01")
    assert first.source_path == str(f)
    assert [e.where for e in errors] == [f"{f}:2", f"{f}:5", f"{f}:6", f"{f}:7"]
    assert "not JSON" in errors[0].message
    assert "text" in errors[1].message
    assert "empty" in errors[3].message


def test_jsonl_detected_by_content_without_suffix(tmp_path):
    f = tmp_path / "feed.txt"
    f.write_text(json.dumps({"id": "x", "text": "A story."}) + "\n", encoding="utf-8")
    [a], errors = collect([f])
    assert errors == [] and a.id == "x" and a.text == "A story."


def test_stdin_text():
    [a], errors = collect(["-"], stdin=io.StringIO(STORY))
    assert errors == []
    assert a.text == STORY
    assert a.id == text_id(STORY)
    assert a.source_path is None


def test_stdin_jsonl():
    data = json.dumps({"id": "s1", "text": "One."}) + "\n" + "oops\n" + json.dumps({"id": "s2", "text": "Two."})
    articles, [err] = collect(["-"], stdin=io.StringIO(data))
    assert [a.id for a in articles] == ["s1", "s2"]
    assert err.where == "<stdin>:2"


def test_stdin_empty_is_an_error():
    articles, [err] = collect(["-"], stdin=io.StringIO("  \n\n "))
    assert articles == []
    assert err.where == "<stdin>"
    assert "empty" in err.message


@pytest.mark.parametrize("content", [b"", b"   \n\n\t \n"])
def test_empty_or_whitespace_file_is_an_error(tmp_path, content):
    f = tmp_path / "empty.txt"
    f.write_bytes(content)
    articles, [err] = collect([f])
    assert articles == []
    assert err.where == str(f)
    assert "empty" in err.message


def test_binary_file_is_an_error(tmp_path):
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)))
    articles, [err] = collect([f])
    assert articles == []
    assert "binary" in err.message
    with pytest.raises(DecodeError):
        decode(f.read_bytes(), str(f))


LATIN1 = ("Café owner José Núñez said the terrace would reopen in the spring.\n"
          "The façade was repaired after the storm, he added, and the crème brûlée is back on the menu.\n")


def test_latin1_file_is_decoded_or_refused_clearly(tmp_path):
    f = tmp_path / "cafe.txt"
    f.write_bytes(LATIN1.encode("latin-1"))
    articles, errors = collect([f])
    if errors:
        [err] = errors
        assert "UTF-8" in err.message or "encoding" in err.message
    else:
        [a] = articles
        assert a.text == LATIN1


def test_cp1252_punctuation_is_decoded(tmp_path):
    text = "“The pier is safe,” said Ingrid Solberg – the harbour master – on Monday…\n"
    f = tmp_path / "cp.txt"
    f.write_bytes((text * 3).encode("cp1252"))
    [a], errors = collect([f])
    assert errors == []
    assert a.text == text * 3


def test_html_file_main_text_extracted(tmp_path):
    f = tmp_path / "pier.html"
    f.write_text(HTML, encoding="utf-8")
    [a], errors = collect([f])
    assert errors == []
    assert "The pier in Norwell reopened on Monday" in a.text
    assert "“We checked every bolt on the deck twice over the weekend,” said harbour master" in a.text
    assert "first ferry left for the islands" in a.text
    for chrome in ("<p>", "<nav>", "Privacy policy", "Sport"):
        assert chrome not in a.text
    assert a.title is not None and "Pier reopens after storm" in a.title
    assert a.source_path == str(f)


def test_html_detected_by_content(tmp_path):
    f = tmp_path / "page.txt"
    f.write_text(HTML, encoding="utf-8")
    [a], _ = collect([f])
    assert "<html" not in a.text
    assert "pier in Norwell" in a.text


def test_html_without_article_text_is_an_error(tmp_path):
    f = tmp_path / "empty.html"
    f.write_text("<!DOCTYPE html><html><head><title>x</title></head><body></body></html>",
                 encoding="utf-8")
    articles, [err] = collect([f])
    assert articles == []
    assert "no article text" in err.message


def test_article_from_text_and_text_id():
    a = article_from_text("Some words.", "<arg>", "/x/y/story-1.txt")
    assert a.id == "story-1"
    b = article_from_text("Some words.", "<arg>")
    assert b.id == text_id("Some words.")
    assert len(b.id) == 16 and int(b.id, 16) >= 0
    assert text_id("Some words.") == text_id("Some words.") != text_id("Some words!")
    with pytest.raises(EmptyInput):
        article_from_text(" \n", "<arg>")
