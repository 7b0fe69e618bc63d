"""Whether a site lets us fetch a URL: its robots.txt, read once per site and kept for an hour.

What a robots.txt answer means follows RFC 9309: a 2xx body is parsed; a 4xx (no robots.txt) allows
everything; a 5xx, a 429, a time-out or no connection means the site cannot say, and the RFC's rule
for that is to fetch nothing from it until it can (asked again after :data:`UNREACHABLE_TTL`). When
the site did not answer at all, the page's failure is that (a time-out, no connection), not robots.txt.
``Crawl-delay`` is read too, and the client waits at least that long between two requests to the site
(capped, see :data:`MAX_CRAWL_DELAY`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.robotparser import RobotFileParser

from ..errors import FetchError, RobotsDisallowed
from .urls import origin

#: How long one robots.txt is trusted before it is read again (RFC 9309 allows up to a day).
ROBOTS_TTL = 3600.0
#: How long a robots.txt that could not be read keeps the site closed before it is asked again.
UNREACHABLE_TTL = 300.0
#: A site's Crawl-delay is honoured up to this many seconds: beyond it one article would take minutes.
MAX_CRAWL_DELAY = 60.0
#: The most of a robots.txt that is parsed (RFC 9309 asks parsers to read at least 500 KiB).
MAX_ROBOTS_BYTES = 512 * 1024

#: ``fetch(url) -> (status, body)``; raises :class:`FetchError` when the site cannot be reached.
RobotsFetcher = Callable[[str], "tuple[int, bytes]"]


@dataclass(frozen=True)
class RobotsRules:
    """What one site's robots.txt says to our User-Agent."""

    parser: RobotFileParser | None  # None: everything allowed, or nothing (see ``unreachable``)
    unreachable: str | None = None  # why nothing is allowed: robots.txt could not be read
    crawl_delay: float | None = None
    error: FetchError | None = None  # the site did not answer at all (no connection, a time-out)

    def allows(self, url: str, user_agent: str) -> bool:
        """Whether ``url`` may be fetched."""
        if self.unreachable is not None:
            return False
        return True if self.parser is None else self.parser.can_fetch(user_agent, url)


def parse_rules(body: bytes, user_agent: str) -> RobotsRules:
    """Rules from the text of a robots.txt."""
    parser = RobotFileParser()
    parser.parse(body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace").splitlines())
    parser.modified()  # can_fetch() refuses everything until the parser has a time of reading
    delay = parser.crawl_delay(user_agent)
    return RobotsRules(parser, crawl_delay=min(float(delay), MAX_CRAWL_DELAY) if delay else None)


class RobotsCache:
    """robots.txt per site, fetched on first use (once, however many threads ask) and kept for a while."""

    def __init__(self, fetch: RobotsFetcher, user_agent: str, ttl: float = ROBOTS_TTL,
                 clock: Callable[[], float] = time.monotonic):
        self._fetch = fetch
        self.user_agent = user_agent
        self._ttl = ttl
        self._clock = clock
        self._rules: dict[str, tuple[float, RobotsRules]] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def rules(self, url: str) -> RobotsRules:
        """The rules of the site ``url`` is on."""
        site = origin(url)
        with self._guard:
            lock = self._locks.setdefault(site, threading.Lock())
        with lock:
            cached = self._rules.get(site)
            if cached is not None:
                ttl = self._ttl if cached[1].unreachable is None else min(self._ttl, UNREACHABLE_TTL)
                if self._clock() - cached[0] < ttl:
                    return cached[1]
            rules = self._read(site)
            self._rules[site] = (self._clock(), rules)
            return rules

    def _read(self, site: str) -> RobotsRules:
        try:
            status, body = self._fetch(f"{site}/robots.txt")
        except FetchError as exc:
            return RobotsRules(None, unreachable=str(exc), error=exc)
        if 200 <= status < 300:
            return parse_rules(body, self.user_agent)
        if status == 429 or status >= 500:
            return RobotsRules(None, unreachable=f"HTTP {status}")
        return RobotsRules(None)  # 4xx: the site has no robots.txt, so no rules

    def check(self, url: str) -> RobotsRules:
        """Raise :class:`RobotsDisallowed` unless ``url`` may be fetched; returns the site's rules."""
        rules = self.rules(url)
        if rules.error is not None:  # the site is down: say that, not that robots.txt forbids the page
            raise type(rules.error)(url, str(rules.error), rules.error.status)
        if rules.unreachable is not None:
            refused = RobotsDisallowed(url, f"robots.txt of {origin(url)} could not be read ({rules.unreachable}); "
                                            "not fetching from the site until it can")
            refused.transient = True  # a server error on robots.txt passes, and the page may be read then
            raise refused
        if not rules.allows(url, self.user_agent):
            raise RobotsDisallowed(url, "robots.txt disallows this URL")
        return rules
