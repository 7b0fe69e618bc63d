"""The polite HTTP client, against the local news site (and httpx mock transports for what a real server
cannot be made to do on cue). Every URL is on 127.0.0.1; a mock transport opens no connection at all."""

from __future__ import annotations

import gzip
import socket
import threading
import time

import httpx
import pytest

from attribution.errors import FetchTimeout, HTTPStatusError, NetworkError, RobotsDisallowed, TooLarge
from attribution.web.client import WebClient, WebConfig


def mock_client(handler, **config) -> WebClient:
    """A client whose transport is ``handler`` (robots.txt: 404, i.e. no rules, unless handled)."""
    defaults = dict(delay=0.0, backoff=0.05, retries=2, timeout=2.0)
    return WebClient(WebConfig(**{**defaults, **config}), transport=httpx.MockTransport(handler))


def test_user_agent_names_the_tool_and_gzip_is_asked_for(news_site, web_config):
    with WebClient(web_config) as client:
        page = client.fetch(news_site.url("/news/bridge-vote"))
    assert page.status == 200 and page.content_type == "text/html" and page.charset == "utf-8"
    request = next(r for r in news_site.requests if r.path == "/news/bridge-vote")
    assert request.headers["user-agent"].startswith("attribution/")
    assert "gzip" in request.headers["accept-encoding"]


def test_gzip_bodies_are_decoded(news_site, web_config):
    with WebClient(web_config) as client:
        page = client.fetch(news_site.url("/gzip/clinic"))
    assert b"Harbour clinic opens its doors" in page.body


def test_robots_txt_is_read_once_and_honoured(news_site, web_config):
    with WebClient(web_config) as client:
        client.fetch(news_site.url("/news/bridge-vote"))
        client.fetch(news_site.url("/news/ferry-returns"))
        with pytest.raises(RobotsDisallowed, match="robots.txt disallows this URL"):
            client.fetch(news_site.url("/private/memo"))
    paths = news_site.paths()
    assert paths.count("/robots.txt") == 1 and paths[0] == "/robots.txt"
    assert "/private/memo" not in paths


def test_a_redirect_into_a_disallowed_path_is_not_followed():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: attribution\nDisallow: /members/\n")
        if request.url.path == "/story":
            return httpx.Response(302, headers={"Location": "/members/story"})
        raise AssertionError(f"fetched {request.url}")

    with mock_client(handler) as client, pytest.raises(RobotsDisallowed):
        client.fetch("http://127.0.0.1:9/story")


def test_unreadable_robots_txt_means_nothing_is_fetched_and_a_missing_one_means_no_rules():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.url.port}{request.url.path}")
        if request.url.path == "/robots.txt":
            return httpx.Response(503 if request.url.port == 9 else 404)
        return httpx.Response(200, html="<html><body>ok</body></html>")

    with mock_client(handler, retries=0) as client:
        with pytest.raises(RobotsDisallowed, match=r"could not be read \(HTTP 503\)"):
            client.fetch("http://127.0.0.1:9/a")
        assert client.fetch("http://127.0.0.1:10/a").status == 200
    assert "9/a" not in seen and "10/a" in seen


def test_redirects_are_followed_and_the_final_url_kept(news_site, web_config):
    with WebClient(web_config) as client:
        page = client.fetch(news_site.url("/old/ferry"))
    assert page.final_url == news_site.url("/news/ferry-returns")
    assert page.permanent_url == page.final_url  # a 301: ask there next time


def test_a_temporary_redirect_is_not_where_to_ask_next_time():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed":
            return httpx.Response(302, headers={"Location": "/cdn/feed?sig=1"})
        return httpx.Response(200 if request.url.path != "/robots.txt" else 404, text="<rss/>")

    with mock_client(handler) as client:
        page = client.fetch("http://127.0.0.1:9/feed")
    assert page.final_url == "http://127.0.0.1:9/cdn/feed?sig=1" and page.permanent_url == "http://127.0.0.1:9/feed"


def test_client_errors_are_permanent_failures(news_site, web_config):
    with WebClient(web_config) as client, pytest.raises(HTTPStatusError, match="HTTP 404 Not Found") as caught:
        client.fetch(news_site.url("/news/missing"))
    assert caught.value.status == 404 and not caught.value.transient and caught.value.kind == "http"
    assert news_site.paths().count("/news/missing") == 1  # a 404 is not retried


def test_a_slow_page_times_out(news_site):
    started = time.monotonic()
    with WebClient(WebConfig(timeout=0.5, delay=0.0)) as client, pytest.raises(FetchTimeout, match="0.5 s") as caught:
        client.fetch(news_site.url("/slow"))
    assert time.monotonic() - started < 3 and caught.value.transient
    assert news_site.paths().count("/slow") == 1  # a time-out is not retried at once


def test_retry_after_is_honoured(news_site, web_config):
    started = time.monotonic()
    with WebClient(web_config) as client:
        page = client.fetch(news_site.url("/flaky"))
    assert page.status == 200 and time.monotonic() - started >= 1.0
    assert news_site.paths().count("/flaky") == 2


def test_server_errors_are_retried_with_backoff_then_fail_as_transient():
    times: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        times.append(time.monotonic())
        return httpx.Response(502)

    with mock_client(handler, retries=3, backoff=0.1) as client, pytest.raises(HTTPStatusError) as caught:
        client.fetch("http://127.0.0.1:9/a")
    assert caught.value.status == 502 and caught.value.transient
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert len(times) == 4 and gaps[0] >= 0.1 and gaps[1] >= 0.2 and gaps[2] >= 0.4


def test_a_retry_after_beyond_the_longest_wait_fails_at_once():
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.url.path)
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(429, headers={"Retry-After": "7200"})

    with mock_client(handler) as client, pytest.raises(HTTPStatusError, match="come back in 7200 s") as caught:
        client.fetch("http://127.0.0.1:9/a")
    assert caught.value.transient and calls.count("/a") == 1


def test_size_cap_counts_the_decompressed_body(news_site):
    with WebClient(WebConfig(delay=0.0, max_bytes=100_000)) as client, pytest.raises(TooLarge, match="size cap"):
        client.fetch(news_site.url("/huge"))
    bomb = gzip.compress(b"\0" * 5_000_000)  # 5 KB on the wire

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        return httpx.Response(200, content=bomb, headers={"Content-Encoding": "gzip", "Content-Type": "text/html"})

    with mock_client(handler, max_bytes=1_000_000) as client, pytest.raises(TooLarge):
        client.fetch("http://127.0.0.1:9/bomb")


def test_conditional_requests_get_304(news_site, web_config):
    with WebClient(web_config) as client:
        first = client.fetch(news_site.url("/feed.xml"))
        assert first.etag and first.last_modified
        assert client.fetch(news_site.url("/feed.xml"), etag=first.etag).not_modified
        assert client.fetch(news_site.url("/feed.xml"), last_modified=first.last_modified).not_modified
    feed_requests = [r for r in news_site.requests if r.path == "/feed.xml"]
    assert feed_requests[1].headers["if-none-match"] == first.etag


def test_no_connection_is_a_transient_network_error():
    with socket.socket() as s:  # a port nobody listens on: bound, never listened to
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        with WebClient(WebConfig(retries=0, delay=0.0, timeout=2.0)) as client, \
                pytest.raises(NetworkError, match="no connection") as caught:
            client.fetch(f"http://127.0.0.1:{port}/a")
    assert caught.value.transient


def test_one_request_at_a_time_per_site_a_delay_between_and_a_cap_overall():
    lock = threading.Lock()
    in_flight: dict[int | None, int] = {}
    peak = {"all": 0, "site": 0}
    starts: dict[int | None, list[float]] = {}
    ends: dict[int | None, list[float]] = {}

    def handler(request: httpx.Request) -> httpx.Response:
        port = request.url.port
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        with lock:
            in_flight[port] = in_flight.get(port, 0) + 1
            starts.setdefault(port, []).append(time.monotonic())
            peak["all"] = max(peak["all"], sum(in_flight.values()))
            peak["site"] = max(peak["site"], in_flight[port])
        time.sleep(0.1)
        with lock:
            in_flight[port] -= 1
            ends.setdefault(port, []).append(time.monotonic())
        return httpx.Response(200, html="<html></html>")

    client = mock_client(handler, concurrency=2, delay=0.2)
    urls = [f"http://127.0.0.1:{port}/{n}" for port in (11, 12, 13) for n in range(3)]
    threads = [threading.Thread(target=client.fetch, args=(u,)) for u in urls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    client.close()
    assert peak["site"] == 1 and peak["all"] == 2
    for port in (11, 12, 13):
        gaps = [b - a for a, b in zip(sorted(ends[port]), sorted(starts[port])[1:], strict=False)]
        assert len(gaps) == 2 and min(gaps) >= 0.19


def test_robots_crawl_delay_is_honoured():
    starts: list[float] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(200, text="User-agent: *\nCrawl-delay: 1\n")
        starts.append(time.monotonic())
        return httpx.Response(200, html="<html></html>")

    with mock_client(handler, delay=0.0) as client:
        client.fetch("http://127.0.0.1:9/a")
        client.fetch("http://127.0.0.1:9/b")
    assert starts[1] - starts[0] >= 0.95


def test_the_user_agent_can_be_set(monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_USER_AGENT", "attribution/0.1 (Valley Post newsdesk; desk@valleypost.test)")
    agents: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        agents.append(request.headers["user-agent"])
        return httpx.Response(404 if request.url.path == "/robots.txt" else 200, html="<html></html>")

    with mock_client(handler) as client:
        client.fetch("http://127.0.0.1:9/a")
    assert agents == ["attribution/0.1 (Valley Post newsdesk; desk@valleypost.test)"] * 2
