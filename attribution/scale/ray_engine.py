"""Extraction on a Ray cluster: one Stanza pipeline per Ray actor, batches handed to idle actors.

:class:`RayEngine` extracts only; the driver hands batches of articles to the actors, a few per actor in
flight, and gets the results back in input order. Storing on the actors (``attribution ingest --engine
ray``) lives in :mod:`db.write.ray_writer`, which extends the actor and the engine defined here: this package
never imports the store (see the import contract in ``pyproject.toml``).

Ray is optional (``pip install 'attribution[ray]'``); nothing here imports it until an engine is built.
"""

from __future__ import annotations

import contextlib
import os
from collections import deque
from collections.abc import Iterable, Iterator
from typing import Any

from ..errors import AttributionError
from ..types import Article, ExtractionResult


class RayUnavailable(AttributionError):
    """Ray is not installed, or the cluster could not be reached."""


def _ray() -> Any:
    try:
        import ray
    except ImportError:
        raise RayUnavailable("The Ray engine needs Ray: pip install 'attribution[ray]' (ray>=2.30).") from None
    return ray


class ExtractActor:
    """One pipeline on a Ray worker (wrapped by ``ray.remote``); :mod:`db.write.ray_writer` extends it to store."""

    def __init__(self, models_dir: str | None, mode: str | None, threads: int, batch_size: int):
        import torch

        torch.set_num_threads(threads)
        from ..extract import Extractor

        self.extractor = Extractor(models_dir, batch_size=batch_size, mode=mode)

    def extract(self, batch: list[Article]) -> tuple[list[Any], dict[str, Any]]:
        """Extract a batch only: ``(article, result or error)`` pairs, and this actor's figures."""
        from .pool import extract_pairs, worker_stats

        pairs = extract_pairs(self.extractor, batch)
        # An exception Ray cannot pickle would kill the actor: send a plain one carrying its name and text.
        safe = [(a, r if isinstance(r, ExtractionResult) else RuntimeError(f"{type(r).__name__}: {r}"))
                for a, r in pairs]
        return safe, worker_stats(self.extractor)


class RayEngine:
    """Runs extraction on Ray actors, one pipeline per actor.

    ``address`` is a cluster to join (``"auto"``, ``"ray://host:10001"``...); without it, and when Ray is
    not initialised yet, a local Ray instance is started with ``num_cpus`` CPUs. ``actors`` defaults to the
    cluster's CPUs divided by ``cpus_per_actor``; each actor runs torch on ``cpus_per_actor`` threads.
    A subclass sets :attr:`actor_class` and :meth:`actor_args` to run its own actors (:mod:`db.write.ray_writer`).
    """

    #: The class each actor runs (wrapped by ``ray.remote``).
    actor_class: type[ExtractActor] = ExtractActor

    def __init__(self, models_dir: str | os.PathLike[str] | None = None, *,
                 address: str | None = None, actors: int | None = None, cpus_per_actor: int = 1,
                 num_cpus: int | None = None, batch_size: int = 8, mode: str | None = None, in_flight: int = 2):
        from ..parsing.pipeline import resolve_mode

        self.ray = _ray()
        self.models_dir = str(models_dir) if models_dir is not None else None
        self.address = address
        self.requested_actors = actors
        self.cpus_per_actor = max(1, cpus_per_actor)
        self.num_cpus = num_cpus
        self.batch_size = batch_size
        # Resolved here, on the driver: the actors' environment is not necessarily this one.
        self.mode = resolve_mode(mode)
        self.in_flight = max(1, in_flight)
        self.stats: dict[int, dict[str, Any]] = {}
        self._actors: list[Any] = []
        self._started_ray = False

    def _start(self) -> list[Any]:
        ray = self.ray
        if self._actors:
            return self._actors
        if not ray.is_initialized():
            try:
                if self.address:
                    ray.init(address=self.address, include_dashboard=False, log_to_driver=False)
                else:
                    ray.init(num_cpus=self.num_cpus, include_dashboard=False, log_to_driver=False)
            except Exception as exc:  # ConnectionError, RuntimeError... whatever the cluster says
                raise RayUnavailable(f"Could not start or join Ray ({type(exc).__name__}: {exc}).") from None
            self._started_ray = True
        cpus = int(ray.cluster_resources().get("CPU", 1))
        n = self.requested_actors or max(1, cpus // self.cpus_per_actor)
        remote = ray.remote(num_cpus=self.cpus_per_actor)(self.actor_class)
        self._actors = [remote.remote(*self.actor_args()) for _ in range(n)]
        return self._actors

    def actor_args(self) -> tuple[Any, ...]:
        """The arguments each actor is built with (:class:`ExtractActor`'s; a subclass adds its own)."""
        return (self.models_dir, self.mode, self.cpus_per_actor, self.batch_size)

    def map_batches(self, method: str, batches: Iterable[list[Article]], *args: Any) -> Iterator[Any]:
        """Results of ``actor.method(batch, *args)`` per batch, in input order; batches go to idle actors."""
        ray = self.ray
        actors = self._start()
        free = deque(actors)
        pending: deque[tuple[Any, Any]] = deque()  # (object ref, actor)
        it = iter(batches)
        exhausted = False
        limit = len(actors) * self.in_flight
        while True:
            while not exhausted and len(pending) < limit:
                batch = next(it, None)
                if batch is None:
                    exhausted = True
                    break
                if not batch:
                    continue
                actor = free[0]
                free.rotate(-1)
                pending.append((getattr(actor, method).remote(batch, *args), actor))
            if not pending:
                return
            ref, _actor = pending.popleft()
            try:
                result, stats = ray.get(ref)
            except ray.exceptions.RayActorError as exc:
                raise RayUnavailable(f"A Ray actor died ({exc}).") from None
            except ray.exceptions.RayTaskError as exc:
                cause = exc.as_instanceof_cause()
                raise cause from None
            self.stats[stats["pid"]] = stats
            yield result

    def extract_many(self, articles: Iterable[Article | str]) -> Iterator[ExtractionResult]:
        """Extraction only, results in input order (an article that fails raises its error here)."""
        from ..extract import batched_articles

        for pairs in self.map_batches("extract", batched_articles(articles, self.batch_size)):
            for _article, result in pairs:
                if isinstance(result, Exception):
                    raise result
                yield result

    def close(self) -> None:
        """Release the actors (and the local Ray instance if this engine started it)."""
        for actor in self._actors:
            with contextlib.suppress(Exception):  # already gone
                self.ray.kill(actor)
        self._actors = []
        if self._started_ray:
            self.ray.shutdown()
            self._started_ray = False

    def __enter__(self) -> RayEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
