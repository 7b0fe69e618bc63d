"""The HTTP client: polite to the sites it reads, strict about what it takes from them.

:class:`WebClient` wraps an ``httpx.Client`` (pass ``transport=`` to swap the network for anything
httpx accepts: a mock, a proxy, a recording). Every request it makes:

* names the tool in its User-Agent (``ATTRIBUTION_USER_AGENT`` or ``--user-agent`` replaces it; a
  newsroom should add a contact address);
* is checked against the site's robots.txt first (:mod:`attribution.web.robots`), at every redirect hop;
* waits its turn: one request at a time per site, at least ``delay`` seconds (or the site's
  Crawl-delay) after the previous one ended, and at most ``concurrency`` requests in flight overall;
* has a time-out per connect and per read, and a deadline for the whole response, so a server that
  trickles a byte at a time cannot hold it forever;
* is retried on 429, 5xx and dropped connections, after the server's Retry-After when it sends one,
  else with exponential backoff -- but not on a time-out: a server too slow once is usually too slow
  again, and the caller records it as a transient failure that a later ``follow`` pass retries;
* follows redirects (the article keeps the final URL) and is refused beyond a size cap, counted on the
  decompressed body (gzip and deflate are asked for and decoded), so a compression bomb stops early.
"""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpx

from ..errors import FetchError, FetchTimeout, HTTPStatusError, NetworkError, TooLarge
from . import ENV_USER_AGENT
from .robots import MAX_ROBOTS_BYTES, RobotsCache, RobotsRules
from .urls import origin

#: Environment variable replacing the default User-Agent.
ACCEPT = ("text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
          "application/xml;q=0.9,text/xml;q=0.9,*/*;q=0.8")
_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_ROBOTS_REDIRECTS = 5  # RFC 9309: follow at least five


def default_user_agent() -> str:
    """``attribution/VERSION (...)``, or ``$ATTRIBUTION_USER_AGENT``."""
    import os

    from .. import __version__

    custom = os.environ.get(ENV_USER_AGENT, "").strip()
    return custom or f"attribution/{__version__} (news quote-attribution tracker; python-httpx/{httpx.__version__})"


@dataclass(frozen=True)
class WebConfig:
    """How the client behaves; every number can be changed from the command line."""

    user_agent: str = field(default_factory=default_user_agent)
    #: Seconds to connect, and between two reads of the response.
    timeout: float = 20.0
    #: Bytes of (decompressed) body one response may have; None: the article size limit (10 MB).
    max_bytes: int | None = None
    #: Requests in flight at once, over all sites.
    concurrency: int = 4
    #: Seconds between the end of one request to a site and the start of the next.
    delay: float = 1.0
    #: Retries after a 429, a 5xx or a dropped connection.
    retries: int = 3
    #: Seconds before the first retry when the server sends no Retry-After; doubled at each retry.
    backoff: float = 1.0
    #: The longest Retry-After honoured; a server asking for more is a failure (try again next pass).
    max_wait: float = 120.0
    max_redirects: int = 10

    @property
    def deadline(self) -> float:
        """Seconds one whole response may take (four read time-outs, at least a minute)."""
        return max(4 * self.timeout, 60.0)


@dataclass(frozen=True)
class Page:
    """A response: where it came from, what it is, and its body."""

    url: str
    final_url: str
    #: Where to ask next time: the URL reached through permanent redirects (301, 308) only.
    permanent_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        """A 304: the validators sent still hold."""
        return self.status == 304


@dataclass
class _Answer:
    status: int
    reason: str
    headers: httpx.Headers
    body: bytes


class _Site:
    """One site's turn: a lock held for the request, and the earliest time of the next one."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.not_before = 0.0


class WebClient:
    """The polite client (see the module docstring). Thread-safe; close it, or use it as a context."""

    def __init__(self, config: WebConfig | None = None, *, transport: httpx.BaseTransport | None = None):
        self.config = config or WebConfig()
        if self.config.max_bytes is None:
            from ..reading.sources import max_article_bytes

            self.max_bytes = max_article_bytes()
        else:
            self.max_bytes = self.config.max_bytes
        self._http = httpx.Client(
            transport=transport, follow_redirects=False,  # followed here, so robots.txt sees each hop
            timeout=httpx.Timeout(self.config.timeout),
            headers={"User-Agent": self.config.user_agent, "Accept": ACCEPT, "Accept-Encoding": "gzip, deflate"})
        self.robots = RobotsCache(self._fetch_robots, self.config.user_agent)
        self._slots = threading.BoundedSemaphore(max(1, self.config.concurrency))
        self._sites: dict[str, _Site] = {}
        self._guard = threading.Lock()
        self._cancelled = threading.Event()

    # -- the public face

    def fetch(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Page:
        """GET ``url`` (conditionally when validators are given), following redirects; raises FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        current = permanent = url
        only_permanent = True
        for _ in range(self.config.max_redirects + 1):
            rules = self.robots.check(current)
            answer = self._request(current, headers, rules)
            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location:
                target = urljoin(current, location.strip())
                if urlsplit(target).scheme.lower() not in ("http", "https"):
                    raise FetchError(url, f"redirects to {target!r}, which is not a web address")
                only_permanent = only_permanent and answer.status in _PERMANENT
                if only_permanent:
                    permanent = target
                current = target
                continue
            if answer.status >= 400:
                raise HTTPStatusError(url, f"HTTP {answer.status} {answer.reason}".rstrip(), answer.status)
            media, charset = _content_type(answer.headers.get("content-type", ""))
            return Page(url, current, permanent, answer.status, media, charset, answer.body,
                        answer.headers.get("etag"), answer.headers.get("last-modified"))
        raise FetchError(url, f"more than {self.config.max_redirects} redirects")

    def cancel(self) -> None:
        """Make waits for a turn or a retry end at once (their requests fail); for a prompt stop."""
        self._cancelled.set()

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> WebClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- turns, retries, bodies

    def _site(self, url: str) -> _Site:
        with self._guard:
            return self._sites.setdefault(origin(url), _Site())

    def _pause(self, url: str, seconds: float) -> None:
        if seconds > 0 and self._cancelled.wait(seconds):
            raise FetchError(url, "cancelled")

    @contextmanager
    def _turn(self, url: str, crawl_delay: float | None) -> Iterator[None]:
        site = self._site(url)
        with site.lock:
            self._pause(url, site.not_before - time.monotonic())
            if self._cancelled.is_set():
                raise FetchError(url, "cancelled")
            with self._slots:
                try:
                    yield
                finally:
                    site.not_before = max(site.not_before,
                                          time.monotonic() + max(self.config.delay, crawl_delay or 0.0))

    def _request(self, url: str, headers: dict[str, str], rules: RobotsRules | None, *, cap: int | None = None,
                 truncate: bool = False) -> _Answer:
        crawl_delay = rules.crawl_delay if rules is not None else None
        attempt = 0
        while True:
            error: FetchError | None = None
            answer: _Answer | None = None
            with self._turn(url, crawl_delay):
                try:
                    answer = self._get(url, headers, cap or self.max_bytes, truncate)
                except NetworkError as exc:
                    error = exc
            retryable = error is not None or (answer is not None and (answer.status == 429 or answer.status >= 500))
            if not retryable or attempt >= self.config.retries:
                if error is not None:
                    raise error
                assert answer is not None
                return answer
            wait = _retry_after(answer.headers) if answer is not None else None
            if wait is not None and wait > self.config.max_wait:
                assert answer is not None
                raise HTTPStatusError(url, f"HTTP {answer.status}: the server asks to come back in {wait:.0f} s",
                                      answer.status)
            if wait is None:
                wait = self.config.backoff * 2 ** attempt
            site = self._site(url)
            # The whole site waits, not just this request: Retry-After speaks for the server.
            site.not_before = max(site.not_before, time.monotonic() + wait)
            attempt += 1

    def _get(self, url: str, headers: dict[str, str], cap: int, truncate: bool) -> _Answer:
        """One GET; the body is read only for a 2xx answer, up to ``cap`` bytes."""
        started = time.monotonic()
        try:
            with self._http.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if not 200 <= status < 300:
                    return _Answer(status, response.reason_phrase, response.headers, b"")
                length = response.headers.get("content-length", "")
                # The compressed length is a lower bound of the body's; over the cap already, stop here.
                if length.isdigit() and int(length) > cap and not truncate:
                    raise TooLarge(url, _too_large(cap, int(length)))
                body = self._read_body(url, response, cap, truncate, started)
                return _Answer(status, response.reason_phrase, response.headers, body)
        except httpx.TimeoutException:
            raise FetchTimeout(url, f"no answer within the {self.config.timeout:g} s time-out") from None
        except httpx.DecodingError as exc:
            raise FetchError(url, f"the response cannot be decoded ({exc})") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(url, f"not a URL that can be fetched ({exc})") from None
        except httpx.TransportError as exc:
            raise NetworkError(url, f"no connection ({_reason(exc)})") from None

    def _read_body(self, url: str, response: httpx.Response, cap: int, truncate: bool, started: float) -> bytes:
        """The body, decoded, up to ``cap`` bytes (cut there with ``truncate``, else refused), within the
        deadline for the whole response."""
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap and truncate:
                chunks.append(chunk[:len(chunk) - (size - cap)])
                break
            if size > cap:
                raise TooLarge(url, _too_large(cap, None))
            if time.monotonic() - started > self.config.deadline:
                raise FetchTimeout(url, f"the response took more than {self.config.deadline:g} s")
            chunks.append(chunk)
        return b"".join(chunks)

    def _fetch_robots(self, url: str) -> tuple[int, bytes]:
        """robots.txt: redirects followed (five at most), no robots check of its own, read up to 512 KiB."""
        current = url
        for _ in range(_ROBOTS_REDIRECTS + 1):
            answer = self._request(current, {}, None, cap=MAX_ROBOTS_BYTES, truncate=True)
            location = answer.headers.get("location")
            if answer.status in _REDIRECTS and location:
                current = urljoin(current, location.strip())
                continue
            return answer.status, answer.body
        return 404, b""  # a redirect loop: no usable robots.txt, which RFC 9309 reads as no rules


def _content_type(value: str) -> tuple[str, str | None]:
    """``("text/html", "utf-8")`` from a Content-Type header."""
    media, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, val = param.partition("=")
        if name.strip().lower() == "charset" and val.strip():
            charset = val.strip().strip("\"'").lower()
    return media.strip().lower(), charset


def _retry_after(headers: httpx.Headers) -> float | None:
    """Seconds a Retry-After header asks for (a number or an HTTP date); None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _too_large(cap: int, length: int | None) -> str:
    got = f" ({length / 1e6:.1f} MB)" if length is not None else ""
    return f"larger than the {cap / 1e6:g} MB size cap{got}; raise it with ATTRIBUTION_MAX_ARTICLE_MB"


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]
