"""What counts as a URL on the command line, and the one form of a URL that articles are matched on.

Normalising keeps what names the page and drops what only says how someone got there: the fragment,
and tracking parameters (``utm_*``, ``fbclid``, ``gclid``...) that newsletters and social sites append.
Scheme and host are lower-cased and default ports dropped. Everything else (path case, other query
parameters, their order) is kept: many CMSs serve different articles under ``?id=1`` and ``?id=2``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

#: Query parameters that identify a campaign or a click, never the article.
TRACKING_PARAMS = frozenset({
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid",
    "_ga", "_gl", "ocid", "cmpid", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
})
_TRACKING_PREFIXES = ("utm_", "at_", "pk_")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def is_url(arg: str) -> bool:
    """Whether a command-line argument is an http(s) URL rather than a path."""
    return bool(_URL.match(arg.strip()))


def _tracking(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(_TRACKING_PREFIXES)


def normalise_url(url: str) -> str:
    """The URL articles and feed items are matched on (see the module docstring)."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: leave the URL as it came
        return url.strip()
    netloc = host if port is None or port == _DEFAULT_PORTS.get(scheme) else f"{host}:{port}"
    if parts.username or parts.password:
        netloc = f"{parts.netloc.rsplit('@', 1)[0]}@{netloc}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        kept = [(k, v) for k, v in pairs if not _tracking(k)]
        if len(kept) != len(pairs):  # re-encode only when something was dropped, else keep it byte for byte
            query = urlencode(kept)
    return urlunsplit((scheme, netloc, parts.path or "/", query, ""))


def resolve(base: str, href: str) -> str | None:
    """``href`` made absolute against ``base`` and normalised; None unless it is an http(s) URL."""
    href = (href or "").strip()
    if not href:
        return None
    absolute = urljoin(base, href)
    if urlsplit(absolute).scheme.lower() not in ("http", "https") or not urlsplit(absolute).hostname:
        return None
    return normalise_url(absolute)


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL: the unit robots.txt and the per-host delay apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower().rsplit('@', 1)[-1]}"
