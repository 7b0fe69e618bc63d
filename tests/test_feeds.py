"""Feed and sitemap parsing, feed discovery, and the URL form articles and items are matched on."""

from __future__ import annotations

import gzip

from attribution.web.feeds import discover_feeds, gunzip, parse_listing, sniff
from attribution.web.urls import is_url, normalise_url, origin, resolve

BASE = "http://127.0.0.1:8000/feeds/main.xml"


def test_rss_items_with_guid_keys_relative_links_and_duplicates_once():
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Valley Post</title>
<item><title>Dam report</title><link>/news/dam-report</link><guid isPermaLink="false">dam-1</guid>
  <pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate></item>
<item><title>Dam report again</title><link>/news/dam-report</link><guid isPermaLink="false">dam-1</guid></item>
<item><title>Same page, other guid</title><link>http://127.0.0.1:8000/news/dam-report#comments</link><guid>x</guid></item>
<item><title>Guid only</title><guid>http://127.0.0.1:8000/news/guid-only</guid></item>
<item><title>Guid not a link</title><guid isPermaLink="false">http://127.0.0.1:8000/nope</guid></item>
<item><title>No link at all</title></item>
</channel></rss>"""
    listing = parse_listing(body, BASE)
    assert listing is not None and listing.kind == "rss" and listing.title == "Valley Post"
    assert [(i.key, i.url) for i in listing.items] == [
        ("dam-1", "http://127.0.0.1:8000/news/dam-report"),
        ("http://127.0.0.1:8000/news/guid-only", "http://127.0.0.1:8000/news/guid-only"),
    ]
    assert listing.items[0].title == "Dam report" and listing.items[0].published.startswith("Mon, 03 Mar")


def test_feedburner_items_keep_the_publishers_link():
    body = b"""<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>
<item><link>http://127.0.0.1:9/~r/valley/~3/abc/</link>
<feedburner:origLink>http://127.0.0.1:8000/news/orig</feedburner:origLink></item></channel></rss>"""
    assert [i.url for i in parse_listing(body, BASE).items] == ["http://127.0.0.1:8000/news/orig"]


def test_atom_uses_xml_base_the_alternate_link_and_the_entry_id():
    body = b"""<feed xmlns="http://www.w3.org/2005/Atom" xml:base="http://127.0.0.1:8000/stories/">
<title>Valley Post (Atom)</title>
<entry><id>tag:valley,2025:1</id><title>One</title>
  <link rel="edit" href="/admin/1"/><link rel="alternate" type="text/html" href="one"/>
  <published>2025-03-03T10:00:00Z</published></entry>
<entry><id>tag:valley,2025:2</id><link href="two?utm_source=atom"/></entry>
<entry><id>tag:valley,2025:3</id><link rel="enclosure" href="three.mp3"/></entry>
</feed>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "atom" and listing.title == "Valley Post (Atom)"
    assert [(i.key, i.url) for i in listing.items] == [
        ("tag:valley,2025:1", "http://127.0.0.1:8000/stories/one"),
        ("tag:valley,2025:2", "http://127.0.0.1:8000/stories/two"),
    ]


def test_rss_1_0_rdf():
    body = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="http://127.0.0.1:8000/"><title>Old-school feed</title></channel>
<item rdf:about="http://127.0.0.1:8000/a"><title>A</title><link>http://127.0.0.1:8000/a</link></item>
<item rdf:about="http://127.0.0.1:8000/b"><title>B</title></item>
</rdf:RDF>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "rdf" and listing.title == "Old-school feed"
    assert [i.url for i in listing.items] == ["http://127.0.0.1:8000/a", "http://127.0.0.1:8000/b"]


def test_sitemaps_news_sitemaps_and_indexes():
    body = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>http://127.0.0.1:8000/a</loc><lastmod>2025-01-02</lastmod></url>
<url><loc>http://127.0.0.1:8000/b</loc><news:news><news:title>Bee</news:title>
<news:publication_date>2025-01-03T08:00:00Z</news:publication_date></news:news></url>
<url><loc>ftp://127.0.0.1/c</loc></url></urlset>"""
    listing = parse_listing(body, BASE)
    assert listing.kind == "sitemap"
    assert [(i.url, i.title, i.published) for i in listing.items] == [
        ("http://127.0.0.1:8000/a", None, "2025-01-02"), ("http://127.0.0.1:8000/b", "Bee", "2025-01-03T08:00:00Z")]
    index = parse_listing(b"<sitemapindex><sitemap><loc>/s1.xml</loc></sitemap></sitemapindex>", BASE)
    assert index.kind == "sitemapindex" and [i.url for i in index.items] == ["http://127.0.0.1:8000/s1.xml"]


def test_what_is_not_a_listing():
    assert parse_listing(b"<!DOCTYPE html><html><body><p>An article</p></body></html>", BASE) is None
    assert parse_listing(b"%PDF-1.4 binary", BASE) is None
    assert parse_listing(b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", BASE) is None
    assert parse_listing(b"", BASE) is None
    assert sniff(b"<rss><channel/></rss>") == "rss" and sniff(b"plain text") is None


def test_broken_feeds_are_read_as_far_as_they_go():
    body = b"<rss><channel><item><link>/ok</link></item><item><link>/also-ok</link> &nbsp; <b></item></channel>"
    assert [i.url for i in parse_listing(body, BASE).items][:1] == ["http://127.0.0.1:8000/ok"]


def test_external_entities_are_never_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    body = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY leak SYSTEM "file://{secret}">]>
<rss><channel><title>&leak;</title><item><link>/a</link><title>&leak;</title></item></channel></rss>""".encode()
    listing = parse_listing(body, BASE)
    assert listing is not None
    assert "TOP-SECRET" not in repr(listing)


def test_feeds_a_page_announces():
    page = b"""<!DOCTYPE html><html><head>
<link rel="alternate" type="application/rss+xml" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" href="http://127.0.0.1:8000/atom.xml">
<link rel="alternate" hreflang="fr" href="/fr/">
<link rel="stylesheet" type="text/css" href="/style.css">
</head><body></body></html>"""
    assert discover_feeds(page, "http://127.0.0.1:8000/") == ["http://127.0.0.1:8000/rss.xml",
                                                               "http://127.0.0.1:8000/atom.xml"]
    assert discover_feeds(b"", "http://127.0.0.1:8000/") == []


def test_gzipped_sitemaps_are_unpacked_within_the_cap():
    xml = b"<urlset><url><loc>http://127.0.0.1:8000/a</loc></url></urlset>"
    assert gunzip(gzip.compress(xml), 10_000) == xml
    assert gunzip(xml, 10_000) == xml
    assert len(gunzip(gzip.compress(b"0" * 1_000_000), 1000)) == 1001  # cut just past the cap: refused later


def test_normalised_urls_drop_fragments_and_tracking_only():
    assert normalise_url("HTTP://Example.COM:80/News/A?utm_source=x&id=7&fbclid=abc#top") == \
        "http://example.com/News/A?id=7"
    assert normalise_url("https://example.com:443") == "https://example.com/"
    assert normalise_url("https://example.com:8443/a?b=1&a=2") == "https://example.com:8443/a?b=1&a=2"
    assert normalise_url("http://[::1]:8080/x") == "http://[::1]:8080/x"
    assert resolve("http://127.0.0.1/a/b", "../c") == "http://127.0.0.1/c"
    assert resolve("http://127.0.0.1/", "mailto:desk@example.com") is None
    assert origin("http://user:pw@Example.com:8080/x") == "http://example.com:8080"
    assert is_url("https://example.com/a") and is_url("HTTP://x") and not is_url("news/a.html")
    assert not is_url("ftp://example.com/a") and not is_url("https://")
