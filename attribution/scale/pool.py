"""Extraction in a pool of worker processes, one Stanza pipeline per worker.

:class:`ParallelExtractor` keeps the :class:`~attribution.extract.Extractor` API (``extract_many``) and adds
``extract_batches``, which :func:`db.ingest` uses: batches of articles are cut into small tasks that go to
the workers, a few per worker in flight, and come back in input order, a batch at a time, as ``(article,
result or exception)`` pairs, so that the parent process writes every result to the database itself.

Workers are started with ``spawn`` (a forked torch runtime is not safe to use) and each sets
``torch.set_num_threads(max(1, cores // workers))``: N workers each using every core would only fight over
them. A batch that fails is retried one article at a time inside the worker, as the sequential path does,
so only the bad article fails.
"""

from __future__ import annotations

import os
import resource
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Any

from ..errors import ModelsError
from ..types import Article, ExtractionResult

#: What one article of a batch turned into: its result, or the error that stopped it.
Pair = tuple[Article, "ExtractionResult | Exception"]


def cpu_count() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def threads_per_worker(workers: int, cores: int | None = None) -> int:
    """Torch threads for each of ``workers`` processes sharing ``cores``."""
    return max(1, (cores or cpu_count()) // max(1, workers))


def peak_rss_mb() -> float:
    """This process's peak resident set size, in MiB.

    ``VmHWM`` where Linux has it: ``ru_maxrss`` survives fork and exec, so a spawned worker would report
    its parent's peak if that was higher.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def worker_stats(extractor: Any) -> dict[str, Any]:
    """The figures a worker reports with each batch: pid, peak RSS, per-stage seconds, sentences, and (in
    a pool) when the worker started and when its pipeline was ready (``time.time()``)."""
    parser = extractor.parser
    stages = dict(parser.stage_seconds)
    stages["extraction"] = extractor.extract_seconds
    return {"pid": os.getpid(), "peak_rss_mb": peak_rss_mb(), "stages": stages,
            "sentences": dict(parser.sentences), "load_seconds": parser.load_seconds,
            "started_at": _WORKER.get("started_at"), "ready_at": _WORKER.get("ready_at")}


def extract_pairs(extractor: Any, batch: list[Article]) -> list[Pair]:
    """Extract a batch; when it fails, each article again alone so only the bad one fails.

    :class:`ModelsError` propagates: without models every article would fail the same way.
    """
    try:
        results = list(extractor.extract_many(batch))
        if len(results) == len(batch):
            return list(zip(batch, results, strict=True))
    except ModelsError:
        raise
    except Exception:  # noqa: S110 - retried one by one below to find the culprit
        pass
    pairs: list[Pair] = []
    for article in batch:
        try:
            pairs.append((article, next(iter(extractor.extract_many([article])))))
        except ModelsError:
            raise
        except Exception as exc:
            pairs.append((article, exc))
    return pairs


# --- worker side ------------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(models_dir: str | None, mode: str | None, threads: int, batch_size: int) -> None:
    _WORKER["started_at"] = time.time()
    import torch

    torch.set_num_threads(threads)
    try:
        from ..extract import Extractor

        _WORKER["extractor"] = Extractor(models_dir, batch_size=batch_size, mode=mode)
    except ModelsError as exc:  # reported with the first batch, not as a broken pool
        _WORKER["error"] = exc
    _WORKER["ready_at"] = time.time()


def _work(batch: list[Article]) -> tuple[list[Pair], dict[str, Any]]:
    if "error" in _WORKER:
        raise _WORKER["error"]
    extractor = _WORKER["extractor"]
    pairs = extract_pairs(extractor, batch)
    # Exceptions cross the process boundary as plain RuntimeErrors with the same message: arbitrary
    # exception types (stanza's, torch's) do not all pickle.
    safe: list[Pair] = [(a, r if isinstance(r, ExtractionResult) else RuntimeError(_describe(r))) for a, r in pairs]
    return safe, worker_stats(extractor)


def _ready() -> int:
    """A no-op task: submitting one per worker makes the executor start every process."""
    return os.getpid()


def _rendezvous(barrier: Any) -> int:
    """Block until every worker holds one of these tasks: all processes are up, their pipelines loaded."""
    barrier.wait(timeout=600)
    return os.getpid()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


# --- parent side ------------------------------------------------------------------------------------


@contextmanager
def _without_main() -> Iterator[None]:
    """Spawned workers do not re-import the parent's ``__main__``.

    ``spawn`` runs the parent's main module again in every child (as ``__mp_main__``), so that functions
    defined there can be unpickled. For ``attribution ingest`` that is the console script, which imports
    the whole command line -- Typer, Rich, SQLAlchemy, the store: about a second per worker before it even
    starts loading Stanza. The workers run only functions of this module, found by their own module
    name, so the main module is left out of the preparation data while the pool starts its processes.
    """
    from multiprocessing import spawn

    original = spawn.get_preparation_data

    def without_main(name: str) -> dict[str, Any]:
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    spawn.get_preparation_data = without_main
    try:
        yield
    finally:
        spawn.get_preparation_data = original



class ParallelExtractor:
    """Extraction over ``workers`` processes; the pool starts on first use and ends with :meth:`close`."""

    def __init__(self, models_dir: str | os.PathLike[str] | None = None, workers: int = 2, *, batch_size: int = 8,
                 mode: str | None = None, threads: int | None = None, in_flight: int = 4, task_size: int = 4):
        from ..parsing.pipeline import resolve_mode

        self.models_dir = str(models_dir) if models_dir is not None else None
        self.workers = max(1, workers)
        self.batch_size = batch_size
        #: Articles per task. The caller's batches (the database's write batches) are cut into tasks of
        #: this size, so the workers share a batch and none is left alone with a long one at the end.
        self.task_size = max(1, task_size)
        self.mode = resolve_mode(mode) if mode else None
        self.threads = threads or threads_per_worker(self.workers)
        #: Tasks submitted and not yet collected, per worker. Results are collected in input order, so a
        #: worker that finishes ahead of a long task needs queued tasks to go on with (2 left workers idle
        #: behind a long article, and while the parent wrote a batch to the store).
        self.in_flight = max(1, in_flight) * self.workers
        self.stats: dict[int, dict[str, Any]] = {}  # latest figures per worker pid
        self._pool: ProcessPoolExecutor | None = None
        self._ready: list[Future] = []
        self._waited = False
        self._submitted = 0  # extraction tasks given to the pool

    def start(self, *, wait: bool = False) -> ProcessPoolExecutor:
        """Start every worker now, without waiting for them (``wait=True``: until every pipeline is loaded).

        The callers start the pool as early as they can, so that the workers load their models while the
        parent opens the database and reads the input; the first tasks then queue for the first worker
        ready. Each process loads its pipeline once and keeps it for the whole run.
        """
        if self._pool is None:
            # The workers' extractor resolves models and mode itself: pass the environment's choice on.
            ctx = get_context("spawn")
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=ctx, initializer=_init_worker,
                initargs=(self.models_dir, self.mode, self.threads, self.batch_size))
            with _without_main():
                # The executor spawns a process per task submitted while none is idle, up to max_workers:
                # one no-op each starts them all.
                self._ready = [self._pool.submit(_ready) for _ in range(self.workers)]
        if wait:
            self._wait_ready()
        return self._pool

    def _wait_ready(self) -> None:
        """Block until every worker has loaded its pipeline: one rendezvous task per worker, held at a
        barrier, so each process takes exactly one (tests and benchmarks share work out from the start)."""
        if self._waited or self._pool is None:
            return
        ctx = get_context("spawn")
        with ctx.Manager() as manager:
            barrier = manager.Barrier(self.workers)
            for f in [self._pool.submit(_rendezvous, barrier) for _ in range(self.workers)]:
                f.result()
        self._waited = True

    def _tasks(self, batches: Iterable[list[Article]]) -> Iterator[tuple[list[Article], bool]]:
        """The batches cut into tasks of at most ``task_size`` articles, each with whether it ends a batch."""
        for batch in batches:
            for k in range(0, len(batch), self.task_size):
                yield batch[k:k + self.task_size], k + self.task_size >= len(batch)

    def extract_batches(self, batches: Iterable[list[Article]]) -> Iterator[list[Pair]]:
        """Each batch's ``(article, result or exception)`` pairs, in input order."""
        pool = self.start()
        pending: deque[tuple[Future, bool]] = deque()
        tasks = self._tasks(batches)
        exhausted = False
        done: list[Pair] = []
        while True:
            while not exhausted and len(pending) < self.in_flight:
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                else:
                    pending.append((pool.submit(_work, task[0]), task[1]))
                    self._submitted += 1
            if not pending:
                return
            future, ends_batch = pending.popleft()
            pairs, stats = future.result()
            self.stats[stats["pid"]] = stats
            done.extend(pairs)
            if ends_batch:
                yield done
                done = []

    def extract_many(self, articles: Iterable[Article | str]) -> Iterator[ExtractionResult]:
        """Results in input order (an article that fails raises its error here)."""
        from ..extract import batched_articles

        for pairs in self.extract_batches(batched_articles(articles, self.batch_size)):
            for _article, result in pairs:
                if isinstance(result, Exception):
                    raise result
                yield result

    def close(self) -> None:
        """Stop the workers. Workers that were never given work (every article was already stored) are
        ended at once rather than waited for while they load models nobody needs."""
        if self._pool is None:
            return
        if not self._submitted:
            # ProcessPoolExecutor has no public way to end its workers before Python 3.14.
            for process in list(getattr(self._pool, "_processes", {}).values()):
                process.terminate()
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None

    def __enter__(self) -> ParallelExtractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
