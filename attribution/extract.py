"""The extractor: articles in, quotes with speakers, roles and claims out."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator

from .engine import extract_from_doc
from .parsing.pipeline import Parser, get_parser, resolve_mode
from .parsing.shortcuts import shortcuts_requested
from .types import Article, ExtractionResult, Quote

#: Bumped whenever extraction output can change; the store re-extracts articles of older versions.
EXTRACTOR_VERSION = "0.9.2"


class Extractor:
    """Finds quotations and their speakers in articles, with one shared Stanza parser.

    >>> ex = Extractor()                              # doctest: +SKIP
    >>> [q.speaker for q in ex.extract("“Yes,” she said.").quotes]   # doctest: +SKIP

    ``mode`` is the parse mode (:mod:`attribution.parsing.pipeline`: ``"selective"`` or ``"full"``; ``None``: the
    ``ATTRIBUTION_PARSE_MODE`` environment variable, else selective). ``shortcuts=False`` parses with stock
    Stanza, without the exact shortcuts of :mod:`attribution.parsing.shortcuts` (``None``: the
    ``ATTRIBUTION_STANZA_SHORTCUTS`` environment variable, else on); both give the same quotes.
    ``extract_seconds`` accumulates the time spent in the rules after parsing.
    """

    def __init__(self, models_dir: str | os.PathLike[str] | None = None, parser: Parser | None = None,
                 batch_size: int = 16, mode: str | None = None, *, shortcuts: bool | None = None):
        self.parser = parser or get_parser(models_dir)
        self.batch_size = batch_size
        self.mode = resolve_mode(mode) if mode else None  # validated now; None is resolved per call
        #: This extractor's choice, resolved now (the parser is shared per process): ``False`` when asked for or
        #: switched off in the environment, else ``shortcuts`` (``None``: the parser's own default).
        self.shortcuts: bool | None = shortcuts if shortcuts is not None or shortcuts_requested() else False
        self.extract_seconds = 0.0

    @property
    def model_ids(self) -> dict[str, str]:
        """Which model package each Stanza processor loaded."""
        return dict(self.parser.model_ids)

    def extract(self, article: Article | str) -> ExtractionResult:
        """Extract from one article (a plain string becomes an article with a hashed id)."""
        return next(iter(self.extract_many([article])))

    def extract_many(self, articles: Iterable[Article | str]) -> Iterator[ExtractionResult]:
        """Extract from many articles, parsing them in batches across documents."""
        for batch in batched_articles(articles, self.batch_size):
            yield from self._run(batch)

    def _run(self, batch: list[Article]) -> Iterator[ExtractionResult]:
        docs = self.parser.parse([a.text for a in batch], mode=self.mode, shortcuts=self.shortcuts)
        for article, doc in zip(batch, docs, strict=True):
            started = time.perf_counter()
            quotes, entities = extract_from_doc(article.text, doc)
            self.extract_seconds += time.perf_counter() - started
            yield ExtractionResult(article, quotes, entities, EXTRACTOR_VERSION, self.model_ids)


def batched_articles(articles: Iterable[Article | str], size: int) -> Iterator[list[Article]]:
    """Articles (plain strings become articles) in lists of at most ``size``, in input order."""
    batch: list[Article] = []
    for item in articles:
        batch.append(_as_article(item))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _as_article(item: Article | str) -> Article:
    if isinstance(item, Article):
        return item
    from .reading.sources import text_id

    return Article(id=text_id(item), text=item)


def extract(text: str, models_dir: str | os.PathLike[str] | None = None) -> list[Quote]:
    """The quotes of one text, with the process-wide parser."""
    return Extractor(models_dir).extract(text).quotes
