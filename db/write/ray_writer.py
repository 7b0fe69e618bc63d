"""Extraction and storage on a Ray cluster: ``attribution ingest --engine ray [--ray-address ADDR]``.

Each Ray actor loads one Stanza pipeline (:class:`attribution.scale.ray_engine.ExtractActor`) and opens its own
connection to the database; the driver reads the input, skips what is already stored, and hands batches of
articles to the actors, a few per actor in flight. An actor extracts a batch and stores each article in its
own transaction (the same code as a local ingest, :func:`db.ingest.extract_and_store`), so database writes
scale with the actors instead of funnelling through the driver. On a cluster the database must therefore be
one every node can reach: a shared PostgreSQL server (see docs/scaling.md).

The writing lives here, not in :mod:`attribution.scale.ray_engine`, so that extraction never imports the store.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from typing import Any

from attribution.scale.ray_engine import ExtractActor, RayEngine
from attribution.types import Article

from ..store.store import Store


class StoringActor(ExtractActor):
    """An extracting actor that also stores what it extracts, through its own connection pool."""

    def __init__(self, models_dir: str | None, mode: str | None, threads: int, batch_size: int, db_url: str):
        super().__init__(models_dir, mode, threads, batch_size)
        self.db_url = db_url
        self.store: Store | None = None

    def _store(self) -> Store:
        if self.store is None:
            from ..store.store import open_store

            self.store = open_store(self.db_url)  # the driver created the schema already
        return self.store

    def ingest(self, batch: list[Article], version: str) -> tuple[list[Any], dict[str, Any]]:
        """Extract a batch and store it; returns the outcomes and this actor's figures."""
        from attribution.scale.pool import worker_stats

        from .ingest import extract_and_store

        return extract_and_store(self._store(), self.extractor, batch, version), worker_stats(self.extractor)


class RayIngestEngine(RayEngine):
    """A :class:`~attribution.scale.ray_engine.RayEngine` whose actors store each batch in the database at ``db_url``.

    :func:`db.ingest` sees :meth:`ingest_batches` and lets the actors extract and store; ``extract_many``
    still extracts only. The URL must carry its password: the actors connect themselves.
    """

    actor_class = StoringActor

    def __init__(self, db_url: str, models_dir: str | os.PathLike[str] | None = None, **options: Any):
        super().__init__(models_dir, **options)
        self.db_url = db_url

    def actor_args(self) -> tuple[Any, ...]:
        """The extracting actor's arguments, then the database URL."""
        return (*super().actor_args(), self.db_url)

    def ingest_batches(self, batches: Iterable[list[Article]], version: str) -> Iterator[list[Any]]:
        """Extract and store each batch on the actors; yields each batch's outcomes, in input order."""
        yield from self.map_batches("ingest", batches, version)
