"""The single seam between this package and Stanza.

One :class:`Parser` per process and models directory (:func:`get_parser`); it is built with only the
processors extraction needs and never downloads anything. Everything else calls :meth:`Parser.parse`.

Two ways to parse (``mode``):

* ``"full"``: every processor over every sentence, the documents of a call batched together;
* ``"selective"`` (the default): tokenize and mwt everywhere; pos and lemma over the sentences the surface
  test of :func:`attribution.parsing.surface_cues.sentences_to_tag` picks (a word written as a cue, a quotation,
  a capitalised word: about nine sentences in ten of news); then depparse and NER only over the
  sentences :func:`attribution.parsing.selection.select_sentences` picks, batched across all documents of the
  call (a sentence chosen for the parse that the surface test left untagged is tagged first). The other
  sentences are left looking parsed but structureless: every word a ``dep`` of the root, every token
  NER ``O`` (and, untagged, no part of speech or lemma) -- so :mod:`attribution.parsing.document` reads them like
  any other sentence and the engine finds no frame, subject or entity there.

The mode comes from the argument, else ``ATTRIBUTION_PARSE_MODE``, else :data:`DEFAULT_MODE`.

In both modes a sentence longer than :data:`MAX_PARSE_WORDS` words is not given to the dependency parser
(it is left flat, like an unselected sentence): Stanza's parser scores every pair of words, so its memory
grows with the square of the sentence length -- 3.4 GB and 17 s for 1,000 words, more than 12 GB for
2,000. Such "sentences" are tokenizer failures on unpunctuated text (lists, tables, scraped page dumps),
not prose; the other processors are linear and still run on them.

Exact shortcuts make the same output cheaper:

* the tokenizer runs one document at a time: Stanza pads every paragraph of a tokenizer batch to the
  longest one's windows, so one long unbroken paragraph in a cross-document batch made the whole batch
  slow (measured: 40 articles tokenized in 3.0 s one by one, 6.1 s four at a time);
* inside the dependency parser, a linear cycle search for tree decoding and label scores for the decoded
  arcs only; memos of the tagger's feature strings and of the seq2seq answers of the lemmatizer and
  the multi-word token expander
  (:mod:`attribution.parsing.shortcuts`).

``ATTRIBUTION_STANZA_SHORTCUTS=0``, ``Parser(..., exact_shortcuts=False)`` or ``parse(..., shortcuts=False)``
runs stock Stanza instead. When the installed Stanza is not the one the shortcuts were written for, the
parser finds out when it loads (:func:`attribution.parsing.shortcuts.shortcuts_usable`), warns once, and runs
stock Stanza.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Sequence
from contextlib import nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import ModelsError
from .loading import lean_loading
from .models import LANG, PROCESSORS, model_files, resolve_models_dir
from .selection import select_sentences
from .shortcuts import (
    lemmatizer_shortcuts,
    mwt_shortcuts,
    ner_shortcuts,
    parser_shortcuts,
    shortcuts_requested,
    shortcuts_usable,
    tagger_shortcuts,
)
from .surface_cues import TagPlan, sentences_to_tag

log = logging.getLogger(__name__)

Mode = Literal["selective", "full"]
MODES: tuple[str, ...] = ("selective", "full")
#: Measured on GGT and PolNeAR dev: selective stays within 0.5 F1 points of full (see docs/scaling.md).
DEFAULT_MODE: Mode = "selective"
ENV_MODE = "ATTRIBUTION_PARSE_MODE"
#: Processors run on every sentence in selective mode; the rest run on the selected sentences only.
CHEAP = ("tokenize", "mwt", "pos", "lemma")
#: Longest sentence (in words) given to the dependency parser; longer ones are left unparsed. The parser
#: needs O(n^2) memory per sentence (about 3.4 GB at 1,000 words); news sentences stay far below 250.
MAX_PARSE_WORDS = 250
#: Sentences per NER batch (Stanza's default is 32).
NER_BATCH_SIZE = 128


def resolve_mode(mode: str | None = None) -> Mode:
    """The parse mode to use: the argument, else ``ATTRIBUTION_PARSE_MODE``, else the default."""
    value = (mode or os.environ.get(ENV_MODE) or DEFAULT_MODE).strip().lower()
    if value not in MODES:
        raise ValueError(f"unknown parse mode {value!r}: use one of {', '.join(MODES)}")
    return "full" if value == "full" else "selective"  # the checked value, as the Literal type


class Parser:
    """A loaded Stanza pipeline over one models directory.

    ``stage_seconds`` accumulates the wall time of each processor (and of sentence selection) over every
    call; ``sentences`` counts sentences seen and sentences given the expensive processors.
    ``exact_shortcuts`` is the default of each call (``None``: ``ATTRIBUTION_STANZA_SHORTCUTS``, else on).
    """

    def __init__(self, models_dir: Path, processors: Sequence[str] = PROCESSORS, batch_size: int = 32,
                 mode: str | None = None, *, max_parse_words: int | None = MAX_PARSE_WORDS,
                 exact_shortcuts: bool | None = None):
        self.models_dir = models_dir
        #: ``None`` parses sentences of any length (benchmarks: Stanza as it comes).
        self.max_parse_words = max_parse_words
        #: ``False`` runs Stanza's own tokenizer batching and tree decoding (benchmarks: the naive way).
        self.exact_shortcuts = shortcuts_requested(exact_shortcuts)
        #: Whether the shortcuts fit the installed Stanza: checked when first wanted (None: not yet).
        self._shortcuts_fit: bool | None = None
        #: What the call in progress uses (set under the lock by :meth:`parse`).
        self._use_shortcuts = False
        self.processors = tuple(processors)
        self.batch_size = batch_size
        self.mode = resolve_mode(mode) if mode else None  # None: resolved at each call (environment)
        self.files = model_files(models_dir, self.processors)  # raises a one-line error if missing
        self.model_ids = {f.processor: f.package for f in self.files}
        self.stage_seconds: dict[str, float] = {}
        self.sentences = {"total": 0, "pos": 0, "parsed": 0, "tagged": 0, "too_long": 0}
        #: Keyword arguments for :func:`attribution.parsing.selection.select_sentences` (tuning, benchmarks).
        self.selection: dict[str, Any] = {}
        #: In selective mode, tag (POS, lemma) only the sentences :mod:`attribution.parsing.surface_cues` picks;
        #: ``False`` tags every sentence (benchmarks: what selective tagging costs in F1).
        self.selective_tagging = True
        self._lock = threading.Lock()
        started = time.perf_counter()
        self._nlp = self._build()
        if self.exact_shortcuts:  # at start-up, so a misfit is reported before the first article
            self.shortcuts_fit()
        self.load_seconds = time.perf_counter() - started

    def shortcuts_fit(self) -> bool:
        """Whether the exact shortcuts fit the installed Stanza and this pipeline (checked once; a misfit
        warns once per process, see :func:`attribution.parsing.shortcuts.shortcuts_usable`)."""
        if self._shortcuts_fit is None:
            self._shortcuts_fit = shortcuts_usable(self._nlp.processors)
        return self._shortcuts_fit

    def _build(self) -> Any:
        import stanza
        from stanza.pipeline.core import DownloadMethod

        logging.getLogger("stanza").setLevel(logging.WARNING)
        try:
            with lean_loading():  # no optimisers: see attribution.parsing.loading
                return stanza.Pipeline(
                    LANG,
                    dir=str(self.models_dir),
                    processors=",".join(self.processors),
                    download_method=DownloadMethod.NONE,  # never reach for the hub at run time
                    use_gpu=os.environ.get("ATTRIBUTION_GPU") == "1",
                    verbose=False,
                    # Stanza's default batch sizes, except NER: its LSTM runs step by step, so fewer, larger
                    # batches cost less (same tags; 128 sentences measured 15% faster than 32 on 2 cores).
                    # Larger tokenizer, tagger and parser batches measured no faster or slower (padding).
                    ner_batch_size=NER_BATCH_SIZE,
                )
        except Exception as exc:  # stanza raises bare Exceptions, FileNotFoundError, pickle errors...
            raise ModelsError(
                f"Could not load the Stanza models in {self.models_dir} ({type(exc).__name__}: {exc})."
            ) from None

    def reset_stats(self) -> None:
        """Zero the per-stage timings and sentence counts."""
        self.stage_seconds = {}
        self.sentences = {"total": 0, "pos": 0, "parsed": 0, "tagged": 0, "too_long": 0}

    def _timed(self, name: str, started: float) -> None:
        self.stage_seconds[name] = self.stage_seconds.get(name, 0.0) + time.perf_counter() - started

    def _shortcuts(self, name: str, proc: Any) -> Any:
        """The exact shortcuts for one processor's call (:mod:`attribution.parsing.shortcuts`), or none."""
        if not self._use_shortcuts:
            return nullcontext()
        if name == "depparse":
            return parser_shortcuts(proc._trainer.model)
        if name == "pos":
            return tagger_shortcuts(proc._trainer)
        if name == "ner":
            return ner_shortcuts(proc)
        if name == "lemma" and hasattr(proc, "trainer"):
            return lemmatizer_shortcuts(proc.trainer)
        if name == "mwt" and proc.config.get("ensemble_dict") and not proc.config.get("dict_only"):
            return mwt_shortcuts(proc)
        return nullcontext()

    def _run(self, name: str, docs: list[Any]) -> None:
        """One processor over documents, batched across them (Stanza combines their sentences)."""
        proc = self._nlp.processors.get(name)
        if proc is None:
            return
        started = time.perf_counter()
        if name == "tokenize" and self._use_shortcuts:
            for doc in docs:  # one at a time: see the module docstring
                proc.bulk_process([doc])
        else:
            with self._shortcuts(name, proc):
                proc.bulk_process(docs)
        self._timed(name, started)

    def _run_on(self, name: str, sentences: list[Any]) -> None:
        """One processor over chosen sentences of any documents, in one batched call.

        A holder document carries them: the processor writes its annotations onto the sentence objects,
        which still belong to their own documents.
        """
        import stanza

        if name not in self.processors or not sentences:
            return
        holder = stanza.Document([])
        holder.sentences = sentences
        holder.num_tokens = sum(len(s.tokens) for s in sentences)
        holder.num_words = sum(len(s.words) for s in sentences)
        proc = self._nlp.processors[name]
        started = time.perf_counter()
        with self._shortcuts(name, proc):
            proc.process(holder)
        self._timed(name, started)

    def _parseable(self, sentences: list[Any]) -> list[Any]:
        """The sentences short enough for the dependency parser; the others are marked unparsed."""
        if self.max_parse_words is None:
            return sentences
        out = []
        for sent in sentences:
            if len(sent.words) > self.max_parse_words:
                _mark_unparsed(sent)
                self.sentences["too_long"] += 1
            else:
                out.append(sent)
        return out

    def parse(self, texts: Sequence[str], mode: str | None = None, *, shortcuts: bool | None = None) -> list[Any]:
        """Parse texts in one batched call; returns one ``stanza.Document`` per text.

        ``shortcuts``: whether this call uses the exact shortcuts (``None``: :attr:`exact_shortcuts`); they
        are used only where they fit the installed Stanza.
        """
        import stanza

        if not texts:
            return []
        mode = resolve_mode(mode or self.mode)
        docs = [stanza.Document([], text=t) for t in texts]
        wanted = self.exact_shortcuts if shortcuts is None else shortcuts
        with self._lock:  # a stanza pipeline is not re-entrant
            self._use_shortcuts = wanted and self.shortcuts_fit()
            if mode == "full":
                self._parse_full(docs)
            else:
                self._parse_selective(docs)
        return docs

    def _parse_full(self, docs: list[Any]) -> None:
        for name in self.processors:
            if name == "depparse":
                sentences = [s for d in docs for s in d.sentences]
                chosen = self._parseable(sentences)
                self._run_on(name, chosen)
                self.sentences["parsed"] += len(chosen)
            else:
                self._run(name, docs)
        n = sum(len(d.sentences) for d in docs)
        self.sentences["total"] += n
        self.sentences["pos"] += n
        self.sentences["tagged"] += n
        if "depparse" not in self.processors:
            self.sentences["parsed"] += n

    def _parse_selective(self, docs: list[Any]) -> None:
        self._run("tokenize", docs)
        self._run("mwt", docs)
        plans = self._tag(docs)
        started = time.perf_counter()
        to_parse: list[Any] = []
        to_tag: list[Any] = []
        for doc, plan in zip(docs, plans, strict=True):
            sel = select_sentences(doc.text, doc.sentences, **self.selection)
            for si, sent in enumerate(doc.sentences):
                if si in sel.parse:
                    to_parse.append(sent)
                else:
                    _mark_unparsed(sent)
                # NER finds names: a sentence without a capitalised word has none (on the dev sets, the
                # same entities as NER over every selected sentence, for 10% fewer sentences).
                if si in sel.ner and si in plan.named:
                    to_tag.append(sent)
                else:
                    for token in sent.tokens:
                        token.ner = "O"
            self.sentences["total"] += len(doc.sentences)
        to_parse = self._parseable(to_parse)
        self.sentences["parsed"] += len(to_parse)
        self.sentences["tagged"] += len(to_tag)
        self._timed("selection", started)
        # The context of a pronoun cue may reach back to a sentence the surface test left untagged: the
        # parser reads parts of speech, so it is tagged now.
        self._tag_sentences([s for s in to_parse if not _is_tagged(s)])
        self._run_on("depparse", to_parse)
        self._run_on("ner", to_tag)
        for doc in docs:
            doc.build_ents()

    def _tag(self, docs: list[Any]) -> list[TagPlan]:
        """POS and lemmas: over the sentences the surface test of :mod:`attribution.parsing.surface_cues` picks,
        batched across the documents, or over every sentence (``selective_tagging = False``). Returns
        each document's plan (which also says which sentences have a capitalised word)."""
        started = time.perf_counter()
        plans = [sentences_to_tag(doc.text, doc.sentences) for doc in docs]
        self._timed("tag selection", started)
        if not self.selective_tagging:
            self._run("pos", docs)
            self._run("lemma", docs)
            self.sentences["pos"] += sum(len(d.sentences) for d in docs)
        else:
            self._tag_sentences([s for doc, plan in zip(docs, plans, strict=True)
                                 for si, s in enumerate(doc.sentences) if si in plan.tag])
        return plans

    def _tag_sentences(self, sentences: list[Any]) -> None:
        self._run_on("pos", sentences)
        self._run_on("lemma", sentences)
        self.sentences["pos"] += len(sentences)


def _is_tagged(sentence: Any) -> bool:
    """Whether the tagger has been over a sentence (every word it tags gets a part of speech)."""
    return all(w.upos is not None for w in sentence.words)


def _mark_unparsed(sentence: Any) -> None:
    """Make a sentence the parser skipped look parsed: flat, every word a ``dep`` of the root."""
    for word in sentence.words:
        word.head = 0
        word.deprel = "dep"
    sentence.build_dependencies()


@lru_cache(maxsize=4)
def _cached(models_dir: str, processors: tuple[str, ...]) -> Parser:
    return Parser(Path(models_dir), processors)


def get_parser(models_dir: str | os.PathLike[str] | None = None,
               processors: Sequence[str] = PROCESSORS) -> Parser:
    """The process-wide parser for a models directory (resolved as in :mod:`attribution.parsing.models`)."""
    path, _why = resolve_models_dir(models_dir)
    return _cached(str(path.resolve()), tuple(processors))
