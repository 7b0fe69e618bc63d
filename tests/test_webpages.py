"""A fetched HTML page as an article: text, metadata, canonical URL and decoding."""

from __future__ import annotations

import pytest

from attribution.errors import NoArticleText
from attribution.web.pages import article_from_html, decode_html

PAGE = """<!DOCTYPE html>
<html lang="en"><head>{meta}
<title>Wind farm approved after long review | Northern Courier</title>
{head}
</head><body><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav>
<article><h1>Wind farm approved after long review</h1>
<p>The planning board approved a wind farm of twelve turbines off the northern cape on Thursday, after a review
that lasted three years and drew more than two thousand comments.</p>
<p>\u201cThe turbines will supply power to forty thousand homes,\u201d said Ingrid Solberg, who chairs the board.
She said construction would begin in the autumn and that the developer had agreed to fund a bird survey.</p>
<p>Fishermen from the cape said they feared the turbines would close their best grounds for good.</p>
</article><footer>\u00a9 Northern Courier</footer></body></html>"""

HEAD = """<link rel="canonical" href="/2025/03/wind-farm">
<meta property="og:site_name" content="Northern Courier">
<meta name="author" content="Petra Halvorsen">
<meta property="article:published_time" content="2025-03-06T14:00:00+01:00">"""


def page(head: str = HEAD, meta: str = '<meta charset="utf-8">') -> bytes:
    return PAGE.format(head=head, meta=meta).encode("utf-8")


def test_text_and_metadata():
    a = article_from_html(page(), "http://127.0.0.1:8000/2025/03/wind-farm?utm_campaign=nl")
    assert "twelve turbines" in a.text and "Ingrid Solberg" in a.text
    assert "Home" not in a.text.split("\n")[0] and "\u00a9" not in a.text
    assert a.title == "Wind farm approved after long review"
    assert a.author == "Petra Halvorsen"
    assert a.published == "2025-03-06"
    assert a.outlet == "Northern Courier"
    assert a.url == "http://127.0.0.1:8000/2025/03/wind-farm"
    assert a.source_path is None and len(a.id) == 16


def test_canonical_url_beats_the_url_it_was_reached_by():
    a = article_from_html(page(), "http://127.0.0.1:8000/amp/wind-farm")
    assert a.url == "http://127.0.0.1:8000/2025/03/wind-farm"


def test_og_url_when_there_is_no_canonical_link():
    head = '<meta property="og:url" content="http://127.0.0.1:8000/story/42#top">'
    assert article_from_html(page(head), "http://127.0.0.1:8000/x").url == "http://127.0.0.1:8000/story/42"


def test_front_page_as_canonical_is_a_template_bug_and_ignored():
    head = '<link rel="canonical" href="http://127.0.0.1:8000/">'
    a = article_from_html(page(head), "http://127.0.0.1:8000/news/wind-farm#comments")
    assert a.url == "http://127.0.0.1:8000/news/wind-farm"


def test_without_metadata_the_outlet_is_the_host():
    a = article_from_html(page(head=""), "http://www.127.0.0.1.nip.test:8000/x")
    assert a.outlet == "127.0.0.1.nip.test"
    assert a.url == "http://www.127.0.0.1.nip.test:8000/x"


def test_page_without_article_text():
    empty = b"<!DOCTYPE html><html><head><title>Video</title></head><body><nav><a href='/'>Home</a></nav></body></html>"
    with pytest.raises(NoArticleText, match="no article text"):
        article_from_html(empty, "http://127.0.0.1:8000/video/1")


def test_charset_from_header_then_meta_then_detection():
    text = "<html><body><p>Caf\u00e9 owners in S\u00e3o Paulo said \u201cprices rose\u201d.</p></body></html>"
    cp = text.encode("cp1252", errors="replace")
    assert "Caf\u00e9" in decode_html(cp, "windows-1252", "x")
    meta = b'<html><head><meta charset="windows-1252"></head>' + cp[6:]
    assert "Caf\u00e9" in decode_html(meta, None, "x")
    assert "S\u00e3o" in decode_html(text.encode("utf-8"), "utf-8", "x")
    # A header that lies: the bytes are UTF-8, not ASCII; detection takes over.
    assert "S\u00e3o" in decode_html(text.encode("utf-8"), "us-ascii", "x")
    assert "S\u00e3o" in decode_html(text.encode("utf-8"), "no-such-charset", "x")
