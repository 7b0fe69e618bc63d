"""An HTML page fetched from the web, as an article: its main text and what the page says about itself.

Text, title, author, date and site name come from trafilatura, as for HTML files. The article's URL is
the page's canonical URL (``<link rel="canonical">``, else ``og:url``) made absolute against the URL the
page was finally served from, else that final URL -- normalised either way (:mod:`attribution.web.urls`).
A canonical URL pointing at the site's front page from an article page is a common CMS mistake; it is
ignored, or every article of that site would be taken for one. The outlet is the site name the page
declares, else its host name. A page whose main text has fewer than :data:`MIN_WORDS` words has no
article text.

Bytes are decoded by the charset the server sends, else the page's own ``<meta charset>``, else as
files are (:func:`attribution.reading.sources.decode`).
"""

from __future__ import annotations

import codecs
import re
from urllib.parse import urlsplit

from ..errors import InputError, NoArticleText
from ..reading.sources import check_text, decode, text_id
from ..types import Article
from .urls import normalise_url, resolve

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
#: Fewer words than this is a page of links, a caption or a paywall teaser, not an article.
MIN_WORDS = 15


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(body: bytes, charset: str | None, where: str) -> str:
    """The page's text: header charset, else ``<meta charset>``, else detection (a BOM always wins)."""
    if not body.startswith(_BOMS):
        meta = _META_CHARSET.search(body[:4096])
        for name in (charset, meta.group(1).decode("ascii") if meta else None):
            codec = _codec(name)
            if codec is None:
                continue
            try:
                return body.decode(codec)
            except UnicodeDecodeError:
                continue  # the declared charset is wrong: let detection have a go
    return decode(body, where)


def canonical_url(tree, final_url: str) -> str:
    """The page's canonical URL (see the module docstring); ``tree`` is the page parsed by lxml."""
    hrefs: list[str] = []
    if tree is not None:
        hrefs += [el.get("href", "") for el in tree.iter("link")
                  if "canonical" in (el.get("rel") or "").lower().split()]
        hrefs += [el.get("content", "") for el in tree.iter("meta") if (el.get("property") or "").lower() == "og:url"]
    final_path = urlsplit(final_url).path
    for href in hrefs:
        url = resolve(final_url, href)
        if url is None:
            continue
        if urlsplit(url).path in ("", "/") and final_path not in ("", "/"):
            continue  # the front page as canonical of an article: a template bug, not a statement
        return url
    return normalise_url(final_url)


def article_from_html(body: bytes, final_url: str, charset: str | None = None, where: str | None = None) -> Article:
    """An article from a fetched HTML page; raises :class:`NoArticleText` when it has none."""
    import trafilatura

    where = where or final_url
    html = decode_html(body, charset, where)
    try:
        check_text(html, where)
    except InputError as exc:
        raise NoArticleText(where, str(exc).removeprefix(f"{where}: ")) from None
    text = trafilatura.extract(html, url=final_url, include_comments=False, include_tables=False,
                               favor_precision=True)
    words = len(text.split()) if text else 0
    if text is None or words < MIN_WORDS:
        # Fallback extractors return a front page's or a video page's menu as "text": not an article.
        raise NoArticleText(where, "no article text found on the page" + (f" (only {words} words)" if words else ""))
    # No default_url: trafilatura would put it before the page's own canonical link.
    meta = trafilatura.extract_metadata(html)
    tree = trafilatura.load_html(html)
    host = (urlsplit(final_url).hostname or "").removeprefix("www.") or None
    return Article(
        id=text_id(text),
        text=text,
        url=canonical_url(tree, final_url),
        title=getattr(meta, "title", None),
        outlet=getattr(meta, "sitename", None) or host,
        author=getattr(meta, "author", None),
        published=getattr(meta, "date", None),
    )
