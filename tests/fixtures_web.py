"""Web fixtures (a pytest plugin loaded by conftest.py): the local news site and a client config for it.

Everything is served from 127.0.0.1; proxy variables are cleared so that no request leaves the machine
through a proxy either.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.web_server import NewsSite

_PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def news_site(monkeypatch) -> Iterator[NewsSite]:
    """The test news site (see tests/web_server.py), fresh for each test."""
    for var in _PROXY_VARS:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    site = NewsSite(slow_seconds=6.0).start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def web_config():
    """A client config for the local site: no per-host delay, short back-offs, a 2 s time-out."""
    from attribution.web.client import WebConfig

    return WebConfig(timeout=2.0, delay=0.0, backoff=0.05, retries=2)
