"""The HTTP client's options, shared by ``extract``, ``ingest`` and ``follow``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import typer

from attribution.web import ENV_USER_AGENT

if TYPE_CHECKING:  # the HTTP client loads on first use: commands that read files never import it
    from attribution.web.client import WebClient, WebConfig

TimeoutOption = typer.Option(20.0, "--timeout", metavar="SECONDS", min=0.1,
                             help="Give up on a server silent this long (to connect, or between two reads).")
DelayOption = typer.Option(1.0, "--delay", metavar="SECONDS", min=0.0,
                           help="Wait between two requests to the same site (a longer robots.txt Crawl-delay wins).")
ConcurrencyOption = typer.Option(4, "--concurrency", metavar="N", min=1,
                                 help="Requests in flight at once, over all sites (one at a time per site).")
UserAgentOption = typer.Option(None, "--user-agent", metavar="TEXT", envvar=ENV_USER_AGENT,
                               help="User-Agent to send, e.g. with your newsroom's contact address "
                                    "(default: attribution/VERSION ...).")


def web_config(timeout: float, delay: float, concurrency: int, user_agent: str | None) -> WebConfig:
    """The client configuration the options ask for."""
    from attribution.web.client import WebConfig

    if user_agent is not None and user_agent.strip():
        if not (user_agent.isascii() and user_agent.strip().isprintable()):
            raise typer.BadParameter("must be printable ASCII (HTTP headers allow nothing else)",
                                     param_hint="--user-agent")
        return WebConfig(user_agent=user_agent.strip(), timeout=timeout, delay=delay, concurrency=concurrency)
    return WebConfig(timeout=timeout, delay=delay, concurrency=concurrency)


@contextmanager
def lazy_client(config: WebConfig) -> Iterator[Callable[[], WebClient]]:
    """A factory of one client, opened only when a URL comes up (a run of files never opens one), and
    closed when the block ends."""
    opened: list[WebClient] = []

    def client() -> WebClient:
        from attribution.web.client import WebClient

        if not opened:
            opened.append(WebClient(config))
        return opened[0]

    try:
        yield client
    finally:
        for c in opened:
            c.close()
