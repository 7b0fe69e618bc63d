"""The single seam between this package and Stanza.

One :class:`Parser` per process and models directory (:func:`get_parser`); it is built with only the
processors extraction needs and never downloads anything. Everything else calls :meth:`Parser.parse`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ModelsError
from .models import LANG, PROCESSORS, model_files, resolve_models_dir

log = logging.getLogger(__name__)


class Parser:
    """A loaded Stanza pipeline over one models directory."""

    def __init__(self, models_dir: Path, processors: Sequence[str] = PROCESSORS, batch_size: int = 32):
        self.models_dir = models_dir
        self.processors = tuple(processors)
        self.batch_size = batch_size
        self.files = model_files(models_dir, self.processors)  # raises a one-line error if missing
        self.model_ids = {f.processor: f.package for f in self.files}
        self.stage_seconds: dict[str, float] = {}
        self._lock = threading.Lock()
        started = time.perf_counter()
        self._nlp = self._build()
        self.load_seconds = time.perf_counter() - started

    def _build(self) -> Any:
        import stanza
        from stanza.pipeline.core import DownloadMethod

        logging.getLogger("stanza").setLevel(logging.WARNING)
        try:
            return stanza.Pipeline(
                LANG,
                dir=str(self.models_dir),
                processors=",".join(self.processors),
                download_method=DownloadMethod.NONE,  # never reach for the hub at run time
                use_gpu=os.environ.get("ATTRIBUTION_GPU") == "1",
                verbose=False,
                # Stanza's default batch sizes: larger ones measured slower here (padding on CPU).
            )
        except Exception as exc:  # stanza raises bare Exceptions, FileNotFoundError, pickle errors...
            raise ModelsError(
                f"Could not load the Stanza models in {self.models_dir} ({type(exc).__name__}: {exc})."
            ) from None

    def parse(self, texts: Sequence[str]) -> list[Any]:
        """Parse texts in one batched call; returns one ``stanza.Document`` per text."""
        import stanza

        if not texts:
            return []
        docs = [stanza.Document([], text=t) for t in texts]
        with self._lock:  # a stanza pipeline is not re-entrant
            self._nlp.bulk_process(docs)
        return docs


@lru_cache(maxsize=4)
def _cached(models_dir: str, processors: tuple[str, ...]) -> Parser:
    return Parser(Path(models_dir), processors)


def get_parser(models_dir: str | os.PathLike[str] | None = None,
               processors: Sequence[str] = PROCESSORS) -> Parser:
    """The process-wide parser for a models directory (resolved as in :mod:`attribution.models`)."""
    path, _why = resolve_models_dir(models_dir)
    return _cached(str(path.resolve()), tuple(processors))
