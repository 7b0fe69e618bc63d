"""Lists of articles: RSS (0.9x, 1.0/RDF, 2.0) and Atom feeds, sitemaps and sitemap indexes.

:func:`parse_listing` turns the bytes of a feed or sitemap into a :class:`Listing` of absolute,
normalised article URLs, each with the key the feed gives it (RSS ``guid``, Atom ``id``; else the URL),
so that ``follow`` knows an item it has seen even when its link changes. An item listed twice (same key
or same URL) is listed once. Elements are matched on their local names, so feeds that forget or garble
their namespaces still read.

The XML parser is locked down: no external entities or DTDs, no network access, no huge trees;
``recover`` mode reads the slightly broken feeds the web is full of.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field

from lxml import etree
from lxml import html as lxml_html

from .urls import resolve

LISTING_KINDS = ("rss", "rdf", "atom", "sitemap", "sitemapindex")
#: The most URLs one listing yields (the sitemap protocol's own limit per file).
MAX_ITEMS = 50_000
_FEEDBURNER = "http://rssnamespace.org/feedburner/ext/1.0"
_FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml",
               "text/xml")
_ROOTS = {"rss": "rss", "RDF": "rdf", "feed": "atom", "urlset": "sitemap", "sitemapindex": "sitemapindex"}


@dataclass(frozen=True)
class ListedItem:
    """One article (or, in a sitemap index, one sitemap) a listing points at."""

    url: str
    key: str
    title: str | None = None
    published: str | None = None


@dataclass
class Listing:
    """What a feed or sitemap lists."""

    kind: str
    title: str | None = None
    items: list[ListedItem] = field(default_factory=list)

    def add(self, item: ListedItem, seen: set[str]) -> None:
        """Append unless an item with the same key or URL is listed already."""
        if item.key in seen or item.url in seen or len(self.items) >= MAX_ITEMS:
            return
        seen.update((item.key, item.url))
        self.items.append(item)


def _parser() -> etree.XMLParser:
    # One per call: lxml parsers are not thread-safe, and pages are read in several threads.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           recover=True, remove_comments=True, remove_pis=True)


def gunzip(body: bytes, cap: int) -> bytes:
    """A gzip file's content (``sitemap.xml.gz`` served as a file, not with Content-Encoding), up to ``cap``."""
    if body[:2] != b"\x1f\x8b":
        return body
    try:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out = inflater.decompress(body, cap + 1)
    except zlib.error:
        return body
    return out[:cap + 1]


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head


def _root(body: bytes, base_url: str) -> etree._Element | None:
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped.startswith(b"<") or _looks_like_html(stripped):
        return None
    try:
        root = etree.fromstring(stripped, _parser(), base_url=base_url)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return root


def _local(el: etree._Element) -> str:
    tag = el.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _text(el: etree._Element, *names: str) -> str | None:
    for name in names:
        for child in _children(el, name):
            value = "".join(child.itertext()).strip()
            if value:
                return value
    return None


def sniff(body: bytes) -> str | None:
    """The listing kind of a body (``rss``, ``atom``, ``sitemap``...), or None for anything else."""
    root = _root(body, "http://localhost/")
    return None if root is None else _ROOTS.get(_local(root))


def parse_listing(body: bytes, base_url: str) -> Listing | None:
    """The items of a feed or sitemap, URLs made absolute against ``base_url``; None when it is neither."""
    root = _root(body, base_url)
    kind = None if root is None else _ROOTS.get(_local(root))
    if root is None or kind is None:
        return None
    if kind == "rss":
        channel = next(iter(_children(root, "channel")), root)
        return _rss(Listing(kind, _text(channel, "title")), _children(channel, "item") or _children(root, "item"),
                    base_url)
    if kind == "rdf":
        channel = next(iter(_children(root, "channel")), root)
        return _rss(Listing(kind, _text(channel, "title")), _children(root, "item"), base_url)
    if kind == "atom":
        return _atom(Listing(kind, _text(root, "title")), root, base_url)
    return _sitemap(Listing(kind), root, "url" if kind == "sitemap" else "sitemap", base_url)


def _rss(listing: Listing, items: list[etree._Element], base_url: str) -> Listing:
    seen: set[str] = set()
    for item in items:
        base = item.base or base_url
        guid_el = next(iter(_children(item, "guid")), None)
        guid = (guid_el.text or "").strip() if guid_el is not None else None
        # FeedBurner and its kind wrap links in a redirect; they keep the publisher's link here.
        link = next((c.text for c in item.iter(f"{{{_FEEDBURNER}}}origLink") if c.text), None) \
            or _text(item, "link") or item.get("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about")
        permalink = guid_el is not None and guid_el.get("isPermaLink", "true").strip().lower() != "false"
        if not link and guid and permalink:
            link = guid
        url = resolve(base, link or "")
        if url is None:
            continue
        listing.add(ListedItem(url, guid or url, _text(item, "title"), _text(item, "pubDate", "date")), seen)
    return listing


def _atom(listing: Listing, root: etree._Element, base_url: str) -> Listing:
    seen: set[str] = set()
    for entry in _children(root, "entry"):
        links = _children(entry, "link")
        alternates = [ln for ln in links if ln.get("rel", "alternate") == "alternate"]
        pages = [ln for ln in alternates if ln.get("type", "text/html") in ("text/html", "application/xhtml+xml")]
        chosen = (pages or alternates or [None])[0]
        href = chosen.get("href", "") if chosen is not None else ""
        url = resolve((chosen.base if chosen is not None else None) or base_url, href)
        if url is None:
            continue
        listing.add(ListedItem(url, _text(entry, "id") or url, _text(entry, "title"),
                               _text(entry, "published", "updated")), seen)
    return listing


def _sitemap(listing: Listing, root: etree._Element, element: str, base_url: str) -> Listing:
    seen: set[str] = set()
    for entry in _children(root, element):
        url = resolve(base_url, _text(entry, "loc") or "")
        if url is None:
            continue
        news = next(iter(_children(entry, "news")), None)
        title = _text(news, "title") if news is not None else None
        published = (_text(news, "publication_date") if news is not None else None) or _text(entry, "lastmod")
        listing.add(ListedItem(url, url, title, published), seen)
    return listing


def discover_feeds(body: bytes, base_url: str) -> list[str]:
    """Feed URLs an HTML page announces (``<link rel="alternate" type="application/rss+xml">``), in order."""
    try:
        doc = lxml_html.fromstring(body, base_url=base_url)
    except (etree.ParserError, ValueError):
        return []
    found: list[str] = []
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().strip()
        if "alternate" in rel and kind in _FEED_TYPES:
            url = resolve(base_url, link.get("href") or "")
            if url and url not in found:
                found.append(url)
    return found
