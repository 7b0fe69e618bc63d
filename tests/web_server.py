"""A small news site on 127.0.0.1 for the tests: articles, feeds, sitemaps, robots.txt and misbehaving pages.

Every text here was written for these tests. ``NewsSite`` serves them from a thread; it records each
request (path and headers) so that tests can say what was, and was not, fetched.

Run it by hand to try ``attribution follow`` against it::

    python -m tests.web_server --port 8765

Paths:

=========================  ==================================================================================
``/robots.txt``            disallows ``/private/`` to every agent
``/feed.xml``              RSS 2.0 with an ETag and Last-Modified (answers 304 to either): the bridge article,
                           a redirect to the ferry article, a 404, a PDF, the library article with tracking
                           parameters, the same item again, and the library article's AMP copy
``/atom.xml``              Atom: the clinic and the bridge articles (relative links, ``xml:base``)
``/sitemap.xml``           a sitemap of the clinic and library articles; ``/sitemap-index.xml`` points at it
``/front``                 a front page announcing ``/feed.xml``, with links but no article text
``/slow``                  answers after ``slow_seconds`` (a time-out)
``/flaky``                 503 with ``Retry-After: 1`` once, then the clinic article
``/gzip/clinic``           the clinic article, gzip-encoded
``/huge``                  two megabytes of HTML
``/private/memo``          an article robots.txt forbids
``/print/library-hours``   the library article with a printing note: another text, the same canonical URL
``/paced.xml``             RSS of three articles under ``/paced/``, each served after ``pace_seconds``
``/slow-feed.xml``         RSS of ``/slow`` and the clinic article
=========================  ==================================================================================
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import threading
from dataclasses import dataclass
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SITE = "Millbrook Gazette"

ARTICLES: dict[str, dict[str, Any]] = {
    "/news/bridge-vote": dict(
        title="Council backs footbridge over the Mill River", author="Rosa Lindqvist",
        date="2025-04-08T09:30:00+02:00",
        paragraphs=[
            "The city council voted on Tuesday to build a footbridge across the Mill River, ending a debate "
            "that had run for two years.",
            "\u201cThis bridge will join two neighbourhoods that have been cut off from each other for "
            "decades,\u201d said Helen Okafor, the council's transport chair.",
            "Opponents said the cost, put at 4.2 million euros, was too high. Martin Weiss, who runs a hardware "
            "shop on the east bank, said the money would be better spent on repairing roads.",
            "Construction is expected to begin next spring and to take about eighteen months.",
        ]),
    "/news/ferry-returns": dict(
        title="Ferry service to Gull Island returns", author="Jana Kovac", date="2025-04-07",
        paragraphs=[
            "The ferry between Millbrook harbour and Gull Island will run again from Monday after a winter "
            "of repairs, the operator announced.",
            "\u201cWe have replaced both engines, and passengers will notice the difference,\u201d said Tomas "
            "Lind, the operations manager of Island Ferries.",
            "Lind said the first crossing would leave at seven in the morning and that fares would not rise "
            "this year.",
        ]),
    "/news/library-hours": dict(
        title="Library stays open late for exam season", author="Omar Reyes", date="2025-04-05",
        paragraphs=[
            "The Millbrook Public Library will stay open until midnight during the exam season, the city "
            "announced on Friday.",
            "\u201cStudents told us they needed a quiet place to work after dark, and we listened,\u201d said "
            "Amira Haddad, the director of the library.",
            "The longer hours will cost about 40,000 euros, which the library will take from its reserve fund.",
        ]),
    "/news/harbour-clinic": dict(
        title="Harbour clinic opens its doors", author="Rosa Lindqvist", date="2025-04-02",
        paragraphs=[
            "A walk-in clinic opened on the harbour front on Wednesday, the first in the district for more "
            "than a decade.",
            "\u201cWe can now see patients on the day they call,\u201d said Lena Forsberg, the clinic's medical "
            "director.",
            "The regional health board said the clinic would employ twelve nurses and four doctors.",
        ]),
    "/private/memo": dict(
        title="Internal memo", author="Staff", date="2025-04-01",
        paragraphs=["\u201cThis page is not for robots,\u201d said Ivo Brandt, the editor of the Millbrook Gazette. "
                    "The memo runs to several paragraphs about the newsroom's holiday rota and parking spaces."]),
}


def article_html(path: str, *, canonical: str | None = None, extra: str | None = None) -> str:
    """The page of one of :data:`ARTICLES`, with its metadata in the head and site furniture around it."""
    a = ARTICLES[path]
    body = "\n".join(f"<p>{p}</p>" for p in a["paragraphs"] + ([extra] if extra else []))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{a['title']} | {SITE}</title>
<link rel="canonical" href="{canonical or path}">
<meta property="og:site_name" content="{SITE}">
<meta property="og:title" content="{a['title']}">
<meta name="author" content="{a['author']}">
<meta property="article:published_time" content="{a['date']}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{a['title']}</h1>
<p class="byline">By {a['author']}</p>
{body}
</article>
<footer><p>Copyright {SITE}. All rights reserved.</p></footer>
</body></html>
"""


def rss(base: str) -> str:
    """The RSS feed: see the module docstring for what each item is."""
    items = [
        ("bridge-1", "/news/bridge-vote", "Council backs footbridge"),
        ("ferry-2", "/old/ferry", "Ferry returns"),
        ("missing-3", "/news/missing", "A story that was taken down"),
        ("budget-4", "/files/budget.pdf", "The budget (PDF)"),
        ("library-5", "/news/library-hours?utm_source=rss&utm_medium=feed", "Library stays open late"),
        ("library-5", "/news/library-hours?utm_source=rss&utm_medium=feed", "Library stays open late"),
        ("library-amp-6", "/amp/library-hours", "Library stays open late (AMP)"),
    ]
    xml = "\n".join(f"<item><title>{t}</title><link>{base}{link.replace('&', '&amp;')}</link>"
                    f"<guid isPermaLink=\"false\">{g}</guid><pubDate>Tue, 08 Apr 2025 07:00:00 GMT</pubDate></item>"
                    for g, link, t in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>{SITE}: latest</title><link>{base}/</link>
<description>News from Millbrook</description>
{xml}
</channel></rss>
"""


ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="/news/">
  <title>Millbrook Gazette: health and city</title>
  <id>urn:millbrook:atom</id>
  <updated>2025-04-08T09:30:00Z</updated>
  <entry><title>Harbour clinic opens its doors</title><id>urn:millbrook:clinic</id>
    <link rel="alternate" type="text/html" href="harbour-clinic"/><updated>2025-04-02T08:00:00Z</updated></entry>
  <entry><title>Council backs footbridge</title><id>urn:millbrook:bridge</id>
    <link rel="edit" href="/admin/edit/1"/><link href="bridge-vote"/><updated>2025-04-08T09:30:00Z</updated></entry>
</feed>
"""


def simple_rss(base: str, paths: list[str]) -> str:
    """An RSS feed of the given paths, without validators."""
    items = "\n".join(f"<item><title>{p}</title><link>{base}{p}</link></item>" for p in paths)
    return f"""<?xml version="1.0"?><rss version="2.0"><channel><title>{SITE}</title>{items}</channel></rss>"""


PACED = ["/paced/bridge-vote", "/paced/ferry-returns", "/paced/harbour-clinic"]


def sitemap(base: str) -> str:
    """A sitemap (with Google News tags on one entry)."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
  <url><loc>{base}/news/harbour-clinic</loc><lastmod>2025-04-02</lastmod></url>
  <url><loc>{base}/news/library-hours</loc>
    <news:news><news:title>Library stays open late</news:title>
    <news:publication_date>2025-04-05</news:publication_date></news:news></url>
</urlset>
"""


def sitemap_index(base: str) -> str:
    """A sitemap index pointing at the sitemap."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>{base}/sitemap.xml</loc></sitemap>
</sitemapindex>
"""


FRONT = """<!DOCTYPE html><html><head><title>Millbrook Gazette</title>
<link rel="alternate" type="application/rss+xml" title="Latest" href="/feed.xml">
</head><body><nav><a href="/news/bridge-vote">Footbridge</a> <a href="/news/ferry-returns">Ferry</a></nav>
</body></html>
"""

FEED_ETAG = '"feed-v1"'
FEED_LAST_MODIFIED = "Tue, 08 Apr 2025 07:00:00 GMT"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hangs up (time-out tests, keep-alive connections closed) is no error here."""


@dataclass(frozen=True)
class Request:
    """One request the site received."""

    path: str
    headers: dict[str, str]


class NewsSite:
    """The site, served from a daemon thread on 127.0.0.1 (``port=0``: any free port)."""

    def __init__(self, port: int = 0, slow_seconds: float = 5.0, pace_seconds: float = 1.5, log: bool = False):
        self.log = log
        self.slow_seconds = slow_seconds
        self.pace_seconds = pace_seconds
        self.requests: list[Request] = []
        self.flaky_left = 1
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                with site._lock:
                    site.requests.append(Request(self.path, {k.lower(): v for k, v in self.headers.items()}))
                status, headers, body = site.answer(self.path, self.headers)
                if site.log:
                    conditional = " (conditional)" if "If-None-Match" in self.headers else ""
                    print(f"site: GET {self.path}{conditional} -> {status}", flush=True)
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: a time-out
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
                pass

        self._server = _QuietServer(("127.0.0.1", port), Handler)
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        """An absolute URL on this site."""
        return self.base + path

    def paths(self) -> list[str]:
        """Paths requested so far, in order."""
        with self._lock:
            return [r.path for r in self.requests]

    def start(self) -> NewsSite:
        """Serve in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving (a slow answer in progress is let go at once)."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a path."""
        html = {"Content-Type": "text/html; charset=utf-8"}
        xml = {"Content-Type": "application/rss+xml; charset=utf-8"}
        bare = path.split("?", 1)[0]
        if bare == "/robots.txt":
            return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"
        if bare == "/feed.xml":
            validators = {"ETag": FEED_ETAG, "Last-Modified": FEED_LAST_MODIFIED}
            if headers.get("If-None-Match") == FEED_ETAG or headers.get("If-Modified-Since") == FEED_LAST_MODIFIED:
                return 304, validators, b""
            return 200, {**xml, **validators}, rss(self.base).encode()
        if bare == "/atom.xml":
            return 200, {"Content-Type": "application/atom+xml"}, ATOM.encode()
        if bare == "/sitemap.xml":
            return 200, {"Content-Type": "application/xml"}, sitemap(self.base).encode()
        if bare == "/sitemap-index.xml":
            return 200, {"Content-Type": "application/xml"}, sitemap_index(self.base).encode()
        if bare == "/paced.xml":
            return 200, xml, simple_rss(self.base, PACED).encode()
        if bare == "/slow-feed.xml":
            return 200, xml, simple_rss(self.base, ["/slow", "/news/harbour-clinic"]).encode()
        if bare in PACED:
            self._stopping.wait(self.pace_seconds)
            return 200, html, article_html(bare.replace("/paced/", "/news/")).encode()
        if bare == "/old/ferry":
            return 301, {"Location": "/news/ferry-returns"}, b""
        if bare == "/amp/library-hours":
            return 200, html, article_html("/news/library-hours", canonical=f"{self.base}/news/library-hours").encode()
        if bare == "/print/library-hours":  # another text of the same article: same canonical URL
            page = article_html("/news/library-hours", extra="This article was printed from the Millbrook Gazette "
                                "website; the online version may have been updated since it was printed.")
            return 200, html, page.encode()
        if bare == "/files/budget.pdf":
            return 200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
        if bare == "/front":
            return 200, html, FRONT.encode()
        if bare == "/slow":
            self._stopping.wait(self.slow_seconds)
            return 200, html, article_html("/news/ferry-returns").encode()
        if bare == "/flaky":
            with self._lock:
                failing = self.flaky_left > 0
                self.flaky_left -= 1
            if failing:
                return 503, {"Retry-After": "1", "Content-Type": "text/plain"}, b"busy"
            return 200, html, article_html("/news/harbour-clinic").encode()
        if bare == "/gzip/clinic":
            body = gzip.compress(article_html("/news/harbour-clinic").encode())
            return 200, {**html, "Content-Encoding": "gzip"}, body
        if bare == "/huge":
            return 200, html, b"<!DOCTYPE html><html><body>" + b"<p>filler text</p>" * 120_000 + b"</body></html>"
        if bare in ARTICLES:
            return 200, {**html, "Last-Modified": formatdate(usegmt=True)}, article_html(bare).encode()
        return 404, {"Content-Type": "text/plain"}, b"not found"


def main() -> None:
    """Serve the site until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    site = NewsSite(args.port, log=True).start()
    print(f"serving {site.base} (Ctrl-C to stop)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
