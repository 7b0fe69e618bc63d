"""The exception tree. Every error a user can cause derives from :class:`AttributionError`,
whose message is one sentence the CLI prints as is."""


class AttributionError(Exception):
    """Base of every error this package raises on purpose."""


class ModelsError(AttributionError):
    """Stanza models are missing, incomplete or cannot be fetched."""


class ModelsNotFound(ModelsError):
    """No usable model directory: the message says which command to run."""


class InputError(AttributionError):
    """An input file or stream cannot be read as articles."""


class EmptyInput(InputError):
    """The input holds no text."""


class DecodeError(InputError):
    """The input is binary or in an encoding that cannot be detected."""


class GoldFormatError(AttributionError):
    """A gold file is not in the ``attribution-gold/1`` format."""


class FetchError(InputError):
    """A URL could not be read as an article, a feed or a sitemap.

    ``kind`` names the failure for the database and ``--json`` (``http``, ``timeout``, ``not_html``...);
    ``transient`` says whether trying again later may help (a time-out, a server error) or not (a 404,
    a PDF). The message is one sentence without the URL, which :attr:`url` holds.
    """

    kind = "fetch"
    transient = False

    def __init__(self, url: str, message: str, status: int | None = None):
        super().__init__(message)
        self.url = url
        self.status = status


class HTTPStatusError(FetchError):
    """The server answered with an error status (4xx, or 5xx/429 after the retries)."""

    kind = "http"

    def __init__(self, url: str, message: str, status: int | None = None):
        super().__init__(url, message, status)
        # Server errors and rate limits may pass; a 404 or a 403 will not.
        self.transient = status is not None and (status >= 500 or status in (408, 429))


class FetchTimeout(FetchError):
    """The server did not answer, or not completely, within the time-out."""

    kind = "timeout"
    transient = True


class NetworkError(FetchError):
    """No connection: the name does not resolve, the connection is refused or reset."""

    kind = "network"
    transient = True


class RobotsDisallowed(FetchError):
    """The site's robots.txt forbids this URL to our User-Agent (or robots.txt is unreachable)."""

    kind = "robots"


class TooLarge(FetchError):
    """The response is larger than the size cap."""

    kind = "too_large"


class NotHTML(FetchError):
    """The URL serves something else than an HTML page, a feed or a sitemap (a PDF, an image...)."""

    kind = "not_html"


class NoArticleText(FetchError):
    """The page is HTML but holds no article text (a front page of links, a video page, a login wall)."""

    kind = "no_text"


class NotAFeed(FetchError):
    """A URL given to ``follow`` serves neither a feed nor a sitemap, nor links to one."""

    kind = "not_feed"
