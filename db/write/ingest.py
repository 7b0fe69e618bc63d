"""Storing articles and what extraction found in them.

:func:`ingest` takes articles (or :class:`~attribution.reading.sources.SourceError` items, reported as failures)
and an extractor: an :class:`attribution.Extractor`, anything with ``extract_many``, or a plain callable
``Article -> ExtractionResult`` (the seam store tests use to feed hand-built results). Each article is one
transaction; a failing article is reported with where it came from and the rest go on.

Claims stored by another check-worthiness model are re-scored first (:mod:`.claim_scores`), so that a store
upgraded without ``attribution setup`` ranks old and new claims on one scale.

An article whose text (SHA-256) is stored with the current extractor version is skipped before any
parsing. One stored with an older version is re-extracted; its quotes, claims, roles and aliases are
replaced in one transaction, keeping every claim that has the same normalised text (claim group id) --
with its reviews -- and detaching, not deleting, reviewed claims the new extraction no longer finds.
"""

from __future__ import annotations

import importlib
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from attribution.errors import AttributionError
from attribution.reading.sources import SourceError
from attribution.types import Article as InputArticle
from attribution.types import ExtractionResult

from ..errors import TransientConflict
from ..store.models import Article, pk
from ..store.names import text_sha256
from ..store.store import Store
from .claim_scores import rescore_claims
from .writer import is_older, write_extraction

Status = Literal["new", "unchanged", "reextracted", "failed"]


class ExtractMany(Protocol):
    """What the store needs from an extractor."""

    def extract_many(self, articles: Iterable[InputArticle]) -> Iterator[ExtractionResult]: ...


@dataclass
class Outcome:
    """What happened to one input item."""

    where: str
    status: Status
    article_id: int | None = None
    quotes: int = 0
    new_speakers: int = 0
    message: str | None = None


@dataclass
class IngestReport:
    """Totals of an ingest run, and each failure with where it came from."""

    new: int = 0
    unchanged: int = 0
    reextracted: int = 0
    failed: int = 0
    quotes: int = 0
    new_speakers: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)
    #: Wall seconds this process spent writing extractions to the store (not reading, not extracting).
    store_seconds: float = 0.0
    #: Stored claims re-scored because another claim model had scored them.
    rescored: int = 0

    def add(self, outcome: Outcome) -> None:
        """Count one outcome."""
        setattr(self, outcome.status, getattr(self, outcome.status) + 1)
        self.quotes += outcome.quotes
        self.new_speakers += outcome.new_speakers
        if outcome.status == "failed":
            self.failures.append((outcome.where, outcome.message or "failed"))

    @property
    def total(self) -> int:
        """Items seen."""
        return self.new + self.unchanged + self.reextracted + self.failed


class LazyExtractor:
    """Builds the real extractor on first use, so a run where nothing needs parsing never loads models."""

    def __init__(self, factory: Callable[[], ExtractMany]):
        self._factory = factory
        self._extractor: ExtractMany | None = None

    def extract_many(self, articles: Iterable[InputArticle]) -> Iterator[ExtractionResult]:
        """Extract with the extractor, building it now if needed."""
        if self._extractor is None:
            self._extractor = self._factory()
        return self._extractor.extract_many(articles)


class _CallableExtractor:
    def __init__(self, fn: Callable[[InputArticle], ExtractionResult]):
        self._fn = fn

    def extract_many(self, articles: Iterable[InputArticle]) -> Iterator[ExtractionResult]:
        return (self._fn(a) for a in articles)


def current_version() -> str:
    """The running extractor's version (read at call time, so tests can change it)."""
    # By module, not ``from attribution import extract``: the package re-exports a function of that name.
    module = importlib.import_module("attribution.extract")
    return module.EXTRACTOR_VERSION


def where(article: InputArticle) -> str:
    """How to name an article in messages: its path (plus id inside a multi-article file), else url or id."""
    if article.source_path:
        stem = Path(article.source_path).stem
        return article.source_path if stem == article.id else f"{article.source_path} ({article.id})"
    return article.url or article.id


def ingest(store: Store, items: Iterable[InputArticle | SourceError],
           extractor: ExtractMany | Callable[[InputArticle], ExtractionResult], *,
           version: str | None = None, batch_size: int = 16,
           on_outcome: Callable[[Outcome], None] | None = None, rescore: bool = True) -> IngestReport:
    """Store articles and their extractions; returns the totals. ``on_outcome`` sees every item as it ends.
    ``rescore=False`` leaves stale claim scores to the caller (``follow`` re-scores once a pass, not once an
    article).

    The extractor decides how batches are processed: one with ``ingest_batches`` (the Ray engine) extracts
    and stores them itself; one with ``extract_batches`` (the process pool) extracts them elsewhere and
    this process stores the results; any other runs ``extract_many`` batch by batch here.
    """
    runner = extractor if hasattr(extractor, "extract_many") else _CallableExtractor(extractor)
    version = version or current_version()
    report = IngestReport(rescored=rescore_claims(store) if rescore else 0)

    def done(outcome: Outcome) -> None:
        report.add(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    batches = pending_batches(store, items, version, batch_size, done)
    if hasattr(runner, "ingest_batches"):
        for outcomes in runner.ingest_batches(batches, version):
            for outcome in outcomes:
                done(outcome)
    elif hasattr(runner, "extract_batches"):
        for pairs in runner.extract_batches(batches):
            started = time.perf_counter()
            outcomes = list(store_pairs(store, pairs, version))
            report.store_seconds += time.perf_counter() - started
            for outcome in outcomes:
                done(outcome)
    else:
        for batch in batches:
            for outcome in store_pairs(store, _extract_batch(runner, batch), version):
                done(outcome)
    return report


def pending_batches(store: Store, items: Iterable[InputArticle | SourceError], version: str, batch_size: int,
                    done: Callable[[Outcome], None]) -> Iterator[list[InputArticle]]:
    """The articles that need extracting, in batches; the rest are reported to ``done`` as they are read.

    An article is skipped, before any parsing, when its text is already stored with this extractor version
    (so an interrupted ingest, run again, resumes where it stopped) or appeared earlier in this run. An
    article whose URL (for web pages, the canonical URL) is already stored with another text, or appeared
    earlier in this run, is the same article reached again: skipped too, the first text kept.
    """
    pending: list[InputArticle] = []
    seen: set[str] = set()
    seen_urls: set[str] = set()
    for item in items:
        if isinstance(item, SourceError):
            done(Outcome(item.where, "failed", message=item.message))
            continue
        sha = text_sha256(item.text)
        stored = _stored(store, sha)
        if sha in seen or (stored is not None and not is_older(stored[1], version)):
            done(Outcome(where(item), "unchanged", article_id=stored[0] if stored else None))
            continue
        if item.url and stored is None:
            same_url = _stored_url(store, item.url)
            if item.url in seen_urls or same_url is not None:
                done(Outcome(where(item), "unchanged", article_id=same_url,
                             message="the same URL as an article already stored"))
                continue
        seen.add(sha)
        if item.url:
            seen_urls.add(item.url)
        pending.append(item)
        if len(pending) >= batch_size:
            yield pending
            pending = []
    if pending:
        yield pending


def _stored(store: Store, sha: str) -> tuple[int, str] | None:
    """``(article id, extractor version)`` of a stored text, checked before any parsing."""
    with store.session() as s:
        row = s.execute(select(col(Article.id), col(Article.extractor_version))
                        .where(col(Article.sha256) == sha)).first()
    return (pk(row[0]), row[1]) if row else None


def _stored_url(store: Store, url: str) -> int | None:
    """The id of the first article stored under ``url``, if any."""
    with store.session() as s:
        return s.scalar(select(col(Article.id)).where(col(Article.url) == url).order_by(col(Article.id)).limit(1))


def store_pairs(store: Store, pairs: Iterable[tuple[InputArticle, Any]], version: str) -> Iterator[Outcome]:
    """Store each ``(article, result or exception)``, one transaction per article; yields the outcomes."""
    for article, result in pairs:
        if isinstance(result, Exception):
            yield Outcome(where(article), "failed", message=_message(result))
            continue
        try:
            yield _store_one(store, article, result, version)
        except Exception as exc:  # one bad article must not stop the run; it is reported with its path
            yield Outcome(where(article), "failed", message=_message(exc))


def extract_and_store(store: Store, runner: ExtractMany, batch: list[InputArticle], version: str) -> list[Outcome]:
    """Extract one batch and store its results (what a Ray actor does with each batch it is given)."""
    return list(store_pairs(store, _extract_batch(runner, batch), version))


def _extract_batch(runner: ExtractMany, batch: list[InputArticle]) -> Iterator[tuple[InputArticle, Any]]:
    """Results in input order; when the batch fails, each article again alone so only the bad one fails."""
    from attribution.scale.pool import extract_pairs

    yield from extract_pairs(runner, batch)


def _message(exc: BaseException) -> str:
    if isinstance(exc, AttributionError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _store_one(store: Store, article: InputArticle, result: ExtractionResult, version: str) -> Outcome:
    sha = text_sha256(article.text)
    attempts = 3
    for attempt in range(1, attempts + 1):
        try:
            with store.session(write=True) as s:
                row = s.scalars(select(Article).where(col(Article.sha256) == sha)).one_or_none()
                if row is not None and not is_older(row.extractor_version, version):
                    return Outcome(where(article), "unchanged", article_id=row.id)
                status: Status = "new" if row is None else "reextracted"
                row, quotes, speakers = write_extraction(s, row, article, sha, result)
                return Outcome(where(article), status, article_id=row.id, quotes=quotes, new_speakers=speakers)
        except (IntegrityError, TransientConflict):
            # Another process stored the same article or speaker first (the next attempt finds it), or
            # two writers deadlocked on shared speakers (PostgreSQL aborted one of them): try again.
            if attempt == attempts:
                raise
    raise AssertionError("unreachable")
