"""Exact shortcuts inside Stanza's processors: the same annotations for less work.

Each is a context manager that :class:`attribution.parsing.pipeline.Parser` holds around one processor call
(:func:`parser_shortcuts`, :func:`tagger_shortcuts`, :func:`ner_shortcuts`, :func:`lemmatizer_shortcuts`,
:func:`mwt_shortcuts`); it applies only to the model shape it was written for, and outside the block
Stanza runs its own code. They patch Stanza internals (``tarjan`` and ``process_cycle`` of
``stanza.models.common.chuliu_edmonds``, the graph parser's label scorer and decoder, the tagger's feature
vocabulary, the character models, the lemmatizer's and MWT expander's ensembles), so a Stanza upgrade
must re-run ``tests/test_stanza_shortcuts.py``, which compares the annotations with Stanza's own.

* **Tree decoding.** Chu-Liu-Edmonds looks for cycles with Stanza's pure-Python Tarjan search;
  :func:`cycles` walks the heads instead, in linear time, and returns the same cycles in the same order.
  :func:`contract_cycle` builds each contracted subproblem with the same arithmetic and less overhead.
* **Labels on the tree's arcs only.** Stanza's biaffine label scorer scores every label of every pair of
  words (``N x L x L x R`` scores: half of the parser's time on news), then reads one pair per word,
  the arc of the decoded tree. :class:`_LabelsOnArcs` decodes the tree first and scores the labels of
  its arcs only, with the scorer's own weights. Stanza's head-constraint repair (two subjects or two
  objects on one head; off in the default pipeline) needs every pair's labels: a sentence with such a
  violation gets them, from the scorer itself, and Stanza's repair runs as before.
* **Each distinct word once.** Character models (tagger, parser, NER), the seq2seq lemmatizer and the
  multi-word token expander compute from a word alone, so repeats are answered once (per batch, or
  from a bounded memo across calls); the tagger's feature strings are memoised too.

Where the arithmetic is regrouped (labels, character vectors) results can differ from Stanza's in the
last float bits only, so an argmax could flip on an exact tie; on 40 news articles every annotation is
identical, and the tests compare them word by word.

**Switching them off.** ``ATTRIBUTION_STANZA_SHORTCUTS=0`` (or ``Extractor(..., shortcuts=False)``) runs
stock Stanza. And they switch themselves off: before a pipeline first uses them, :func:`stanza_problems`
checks the Stanza version against :data:`TESTED_STANZA` and every internal they patch or call (its
signature, and the call site through which the patch takes effect); where anything differs,
:func:`shortcuts_usable` issues one :class:`ShortcutsDisabled` warning per process and the parser runs
stock Stanza -- slower, never failing and never with labels changed by a patch that no longer fits.
"""

from __future__ import annotations

import importlib
import inspect
import os
import threading
import warnings
import weakref
from typing import Any

import numpy as np

#: Stanza minor versions ``tests/test_stanza_shortcuts.py`` has passed on (pyproject.toml pins the same).
TESTED_STANZA: tuple[str, ...] = ("1.15",)
#: ``0`` (or ``false``, ``no``, ``off``) runs stock Stanza.
ENV_SHORTCUTS = "ATTRIBUTION_STANZA_SHORTCUTS"

#: The Stanza functions and methods the shortcuts replace or call, as ``(module, name, parameters)``: the
#: replacements take and pass these arguments by position, so the names must match in order.
SIGNATURES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("stanza.models.common.chuliu_edmonds", "tarjan", ("tree",)),
    ("stanza.models.common.chuliu_edmonds", "process_cycle", ("tree", "cycle", "scores")),
    ("stanza.models.common.chuliu_edmonds", "chuliu_edmonds_one_root", ("scores",)),
    ("stanza.models.depparse.model", "GraphParser.decode_graph_predictions",
     ("vocab", "batch_size", "preds", "sentlens", "resolve_head_constraints")),
    ("stanza.models.common.biaffine", "DeepBiaffineScorer.forward", ("self", "input1", "input2")),
    ("stanza.models.common.vocab", "CompositeVocab.id2unit", ("self", "id")),
    ("stanza.models.depparse.head_constraints", "find_head_constraint_violations", ("tree", "deprel_strs")),
    ("stanza.models.depparse.head_constraints", "resolve_head_constraint_violations",
     ("scores", "label_log_probs", "tree", "vocab", "max_iterations")),
    ("stanza.models.lemma.trainer", "Trainer.skip_seq2seq", ("self", "pairs")),
    ("stanza.models.lemma.trainer", "Trainer.ensemble", ("self", "pairs", "other_preds")),
    ("stanza.models.mwt.trainer", "Trainer.dict_expansion", ("self", "word")),
    ("stanza.models.mwt.trainer", "Trainer.ensemble", ("self", "cands", "other_preds")),
    ("stanza.pipeline.mwt_processor", "MWTProcessor.build_batch", ("self", "document")),
    ("stanza.models.common.char_model", "CharacterModel.forward",
     ("self", "chars", "chars_mask", "word_orig_idx", "sentlens", "wordlens")),
    ("stanza.models.common.utils", "tensor_unsort", ("sorted_tensor", "oidx")),
)
#: Where Stanza calls what the shortcuts lay over its objects, as ``(module, function, call)``: an instance
#: attribute shadows a method only where Stanza looks it up on the instance (``self.x(...)``).
CALL_SITES: tuple[tuple[str, str, str], ...] = (
    ("stanza.models.depparse.model", "GraphParser.predict", "self.decode_graph_predictions("),
    ("stanza.models.depparse.model", "GraphParser.forward_scores", "self.deprel("),
    ("stanza.models.common.vocab", "BaseVocab.unmap", "self.id2unit("),
    ("stanza.pipeline.lemma_processor", "LemmaProcessor.process", "self.trainer.skip_seq2seq("),
    ("stanza.pipeline.lemma_processor", "LemmaProcessor.process", "self.trainer.ensemble("),
    ("stanza.pipeline.mwt_processor", "MWTProcessor.process", "self.build_batch("),
    ("stanza.pipeline.mwt_processor", "MWTProcessor.process", "self.trainer.ensemble("),
)
#: Module-level names the shortcuts read.
NAMES: tuple[tuple[str, str], ...] = (
    ("stanza.models.common.vocab", "VOCAB_PREFIX_SIZE"),
    ("stanza.models.common.biaffine", "PairwiseBiaffineScorer"),
    ("stanza.models.common.vocab", "CompositeVocab"),
)


class ShortcutsDisabled(RuntimeWarning):
    """The installed Stanza is not the one the shortcuts were written for: stock Stanza runs instead."""


def shortcuts_requested(flag: bool | None = None) -> bool:
    """Whether the shortcuts are wanted: ``flag`` when given, else ``ATTRIBUTION_STANZA_SHORTCUTS`` (default on)."""
    if flag is not None:
        return flag
    return os.environ.get(ENV_SHORTCUTS, "1").strip().lower() not in ("0", "false", "no", "off")


def _lookup(module: str, dotted: str) -> Any:
    """``module.dotted`` (``Class.method`` allowed); raises AttributeError or ImportError when absent."""
    obj: Any = importlib.import_module(module)
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _signature_problem(module: str, dotted: str, params: tuple[str, ...]) -> str | None:
    try:
        found = tuple(inspect.signature(_lookup(module, dotted)).parameters)
    except (ImportError, AttributeError, TypeError, ValueError):
        return f"{module}.{dotted} is missing"
    return None if found == params else f"{module}.{dotted}{found} is not {dotted}{params}"


def _call_site_problem(module: str, dotted: str, call: str) -> str | None:
    try:
        source = inspect.getsource(_lookup(module, dotted))
    except (ImportError, AttributeError, TypeError, OSError):
        return f"{module}.{dotted} is missing or has no source"
    return None if call in source else f"{module}.{dotted} no longer calls {call}...)"


def stanza_problems() -> list[str]:
    """What differs between the installed Stanza and the one the shortcuts were written for (empty: none).

    The version's minor release must be one of :data:`TESTED_STANZA`; every function in :data:`SIGNATURES`
    must take the same parameters, every call site in :data:`CALL_SITES` must still make its call, and the
    names in :data:`NAMES` must exist.
    """
    import stanza

    version = str(getattr(stanza, "__version__", "unknown"))
    problems = [] if ".".join(version.split(".")[:2]) in TESTED_STANZA else [
        f"Stanza {version} is not a tested version ({', '.join(TESTED_STANZA)})"]
    problems += filter(None, (_signature_problem(*spec) for spec in SIGNATURES))
    problems += filter(None, (_call_site_problem(*spec) for spec in CALL_SITES))
    for module, name in NAMES:
        try:
            _lookup(module, name)
        except (ImportError, AttributeError):
            problems.append(f"{module}.{name} is missing")
    return problems


def pipeline_problems(processors: dict[str, Any]) -> list[str]:
    """What the loaded processors lack of the attributes the shortcuts reach for (empty: nothing)."""
    needs = {"depparse": ("_trainer.model",), "pos": ("_trainer.model", "_trainer.vocab"),
             "mwt": ("trainer", "config"), "ner": ("_trainer.model",)}
    problems = []
    for name, paths in needs.items():
        proc = processors.get(name)
        for path in paths if proc is not None else ():
            obj: Any = proc
            for part in path.split("."):
                obj = getattr(obj, part, None)
            if obj is None:
                problems.append(f"the {name} processor has no {path}")
    return problems


_WARN_LOCK = threading.Lock()
_warned = False


def shortcuts_usable(processors: dict[str, Any]) -> bool:
    """Whether the shortcuts fit this Stanza and these processors; if not, warn (once per process) and say no."""
    global _warned
    problems = stanza_problems() + pipeline_problems(processors)
    if not problems:
        return True
    with _WARN_LOCK:
        if not _warned:
            _warned = True
            warnings.warn(f"Stanza shortcuts off, running stock Stanza (slower, same labels): {'; '.join(problems)}. "
                          f"Set {ENV_SHORTCUTS}=0 to silence this.", ShortcutsDisabled, stacklevel=3)
    return False


def cycles(tree: Any) -> list[Any]:
    """The cycles of a head array, exactly as Stanza's ``chuliu_edmonds.tarjan`` returns them.

    ``tree[i]`` is the head of word ``i`` and ``tree[0] == 0`` (the root). Every node has exactly one head,
    so the strongly connected components with more than one node are the simple cycles, and walking the
    heads from each node finds them in linear time. Stanza runs Tarjan's algorithm over the dependents in
    pure Python; it meets a cycle when it starts from the cycle's lowest index, since no node outside a
    cycle has a dependent on it. So the cycles come back in the same order: by their lowest index, as
    boolean masks.
    """
    heads = tree.tolist()
    n = len(heads)
    state = [0] * n  # 0 unseen, 1 on the walk in progress, 2 done
    found: list[tuple[int, Any]] = []
    for i in range(n):
        path, j = [], i
        while state[j] == 0:
            state[j] = 1
            path.append(j)
            j = heads[j]
        if state[j] == 1:  # the walk closed on itself at j
            members = path[path.index(j):]
            if len(members) > 1:  # the root's own loop is not a cycle
                mask = np.zeros(n, dtype=bool)
                mask[members] = True
                found.append((min(members), mask))
        for k in path:
            state[k] = 2
    found.sort(key=lambda c: c[0])
    return [mask for _, mask in found]


class _Enabled(threading.local):
    """Whether this thread's parser calls use :func:`cycles` (the naive benchmark engine does not)."""

    enabled = False


_DECODING = _Enabled()
_INSTALL_LOCK = threading.Lock()


def contract_cycle(tree: Any, cycle: Any, scores: Any) -> tuple[Any, Any, Any, Any, Any]:
    """Stanza's ``chuliu_edmonds.process_cycle``: the subproblem with one cycle contracted to a node.

    The same arithmetic on the same values in the same order; the contracted score matrix is filled in
    place instead of through ``np.pad``, whose set-up costs more than the copy on parser-sized matrices
    (Stanza contracts about twenty cycles per news sentence, because it penalises root arcs).
    """
    cycle_locs = np.where(cycle)[0]
    cycle_scores = scores[cycle, tree[cycle]]
    cycle_score = cycle_scores.sum()
    noncycle = np.logical_not(cycle)
    noncycle_locs = np.where(noncycle)[0]
    head_scores = scores[cycle][:, noncycle] - cycle_scores[:, None] + cycle_score
    dep_scores = scores[noncycle][:, cycle]
    heads = np.argmax(head_scores, axis=0)
    deps = np.argmax(dep_scores, axis=1)
    n = len(noncycle_locs)
    sub = np.zeros((n + 1, n + 1), dtype=scores.dtype)
    sub[:n, :n] = scores[np.ix_(noncycle_locs, noncycle_locs)]
    rows = np.arange(n)
    sub[-1, :-1] = head_scores[heads, rows]
    sub[:-1, -1] = dep_scores[rows, deps]
    return sub, cycle_locs, noncycle_locs, heads, deps


def _install_tree_decoding() -> None:
    """Route Stanza's cycle search and contraction through :func:`cycles` and :func:`contract_cycle`
    where a thread enabled them (installed once per process)."""
    from stanza.models.common import chuliu_edmonds

    with _INSTALL_LOCK:
        for name, fast in (("tarjan", cycles), ("process_cycle", contract_cycle)):
            current = getattr(chuliu_edmonds, name)
            if getattr(current, "_attribution_shortcut", False):
                continue
            setattr(chuliu_edmonds, name, _switch(current, fast))


def _switch(original: Any, fast: Any) -> Any:
    """A function that calls ``fast`` where this thread enabled the shortcuts, else ``original``."""

    def call(*args: Any) -> Any:
        return fast(*args) if _DECODING.enabled else original(*args)

    # Function attributes, set through setattr (mypy does not type attributes added to a function):
    # the marker stops a second install; __wrapped__ lets inspect.signature (stanza_problems) see Stanza's own.
    setattr(call, "_attribution_shortcut", True)  # noqa: B010
    setattr(call, "__wrapped__", original)  # noqa: B010
    return call


class _Patch:
    """Instance attributes laid over Stanza objects for the length of a ``with`` block.

    A subclass lists them in :meth:`patches` as ``(object, attribute, replacement)``: each shadows the
    class's own method on that one object and is deleted again on exit, whatever happened inside.
    ``parts`` are other patches entered and left with this one.
    """

    parts: list[_Patch] = []

    def patches(self) -> list[tuple[Any, str, Any]]:
        """What to lay over which object while the block runs."""
        return []

    def __enter__(self) -> _Patch:
        for part in self.parts:
            part.__enter__()
        for obj, name, value in self.patches():
            setattr(obj, name, value)
        return self

    def __exit__(self, *exc: object) -> None:
        for obj, name, _value in self.patches():
            delattr(obj, name)
        for part in self.parts:
            part.__exit__()


def _labels_supported(model: Any) -> bool:
    """Whether ``model`` is the graph parser shape :class:`_LabelsOnArcs` was written for."""
    from stanza.models.common.biaffine import DeepBiaffineScorer, PairwiseBiaffineScorer
    from stanza.models.depparse.model import GraphParser

    scorer: Any = getattr(model, "deprel", None)
    return (type(model) is GraphParser and not model.args.get("use_arc_embedding")
            and type(scorer) is DeepBiaffineScorer and type(scorer.scorer) is PairwiseBiaffineScorer)


class _LabelsOnArcs(_Patch):
    """While active, ``model`` scores dependency labels only on the arcs of its decoded trees.

    The label scorer's forward is replaced by one that keeps its inputs and returns a dummy score of one
    label, so Stanza's forward stays cheap; the decoder (``decode_graph_predictions``, looked up on the
    model) is replaced by :meth:`decode`, which builds the trees as Stanza does and then labels their arcs.
    """

    def __init__(self, model: Any):
        self.model = model
        self.scorer = model.deprel
        self.inputs: tuple[Any, Any] | None = None

    def patches(self) -> list[tuple[Any, str, Any]]:
        return [(self.scorer, "forward", self._keep_inputs), (self.model, "decode_graph_predictions", self.decode)]

    def __exit__(self, *exc: object) -> None:
        super().__exit__()
        self.inputs = None

    def _keep_inputs(self, input1: Any, input2: Any) -> Any:
        self.inputs = (input1, input2)
        return input1.new_zeros(input1.shape[0], input1.shape[1], input2.shape[1], 1)

    def _kept_inputs(self) -> tuple[Any, Any]:
        """The label scorer's inputs of the forward pass being decoded (kept by :meth:`_keep_inputs`)."""
        if self.inputs is None:
            raise RuntimeError("the parser decoded before its label scorer ran")
        return self.inputs

    def _arc_scores(self, batch: Any, deps: Any, heads: Any) -> Any:
        """Label scores (arcs x labels) of the arcs ``deps[k] -> heads[k]`` of sentences ``batch[k]``.

        The same bilinear form as Stanza's pairwise scorer, ``[h1;1] W [h2;1] + b`` per label, evaluated
        at the given pairs only. The weights are first contracted with each distinct head (``W [h2;1]``,
        an ``I x labels`` matrix): a tree has about half as many distinct heads as arcs, and that
        contraction is the expensive half. Chunked so the gathered ``arcs x I x labels`` block stays small.
        """
        import torch

        x, y = self._kept_inputs()
        s = self.scorer
        pairs = torch.stack([batch, heads], 1)
        distinct, which = torch.unique(pairs, dim=0, return_inverse=True)
        h1 = s.hidden_func(s.W1(x[batch, deps]))
        h2 = s.hidden_func(s.W2(y[distinct[:, 0], distinct[:, 1]]))
        h1 = torch.cat([h1, h1.new_ones(h1.shape[0], 1)], 1)
        h2 = torch.cat([h2, h2.new_ones(h2.shape[0], 1)], 1)
        bil = s.scorer.W_bilin
        i_size, j_size, labels = bil.weight.shape
        by_head = (h2 @ bil.weight.permute(1, 0, 2).reshape(j_size, i_size * labels)).view(-1, i_size, labels)
        out = []
        for k in range(0, h1.shape[0], 512):
            part = by_head[which[k:k + 512]]
            out.append(torch.bmm(h1[k:k + 512].unsqueeze(1), part).squeeze(1))
        return torch.cat(out, 0) + bil.bias

    def _all_label_log_probs(self, i: int, length: int) -> Any:
        """Stanza's full label log-probabilities (L x L x labels) of sentence ``i``, from its own scorer."""
        import torch.nn.functional as F  # noqa: N812 - torch's own convention

        x, y = self._kept_inputs()
        scores = type(self.scorer).forward(self.scorer, x[i:i + 1, :length], y[i:i + 1, :length])
        return F.log_softmax(scores, 3)[0].detach().cpu().numpy()

    def decode(self, vocab: Any, batch_size: int, preds: Any, sentlens: Any,
               resolve_head_constraints: bool = False) -> list[list[list[Any]]]:
        """``GraphParser.decode_graph_predictions`` with labels scored on the decoded arcs only."""
        import torch
        from stanza.models.common.chuliu_edmonds import chuliu_edmonds_one_root
        from stanza.models.common.vocab import VOCAB_PREFIX_SIZE
        from stanza.models.depparse.head_constraints import resolve_head_constraint_violations

        trees = [chuliu_edmonds_one_root(preds[0][i][:n, :n]) for i, n in enumerate(sentlens)]
        lengths = [n - 1 for n in sentlens]  # words, without the root
        batch = torch.from_numpy(np.repeat(np.arange(len(lengths)), lengths))
        deps = torch.from_numpy(np.concatenate([np.arange(1, n) for n in sentlens]))
        heads = torch.from_numpy(np.concatenate([t[1:] for t in trees]).astype(np.int64))
        raw = self._arc_scores(batch, deps, heads).argmax(1).tolist() if len(deps) else []
        out, k = [], 0
        for i, n in enumerate(sentlens):
            tree, ids = trees[i], raw[k:k + n - 1]
            k += n - 1
            if resolve_head_constraints and _violates(tree, vocab.unmap([r + VOCAB_PREFIX_SIZE for r in ids])):
                tree, ids = resolve_head_constraint_violations(
                    preds[0][i][:n, :n], self._all_label_log_probs(i, n), tree, vocab)
            deprels = vocab.unmap([r + VOCAB_PREFIX_SIZE for r in ids])
            out.append([[tree[j + 1], deprels[j]] for j in range(n - 1)])
        return out[:batch_size]


def _violates(tree: Any, deprels: list[str]) -> bool:
    """Whether a labelled tree breaks a head constraint Stanza repairs (two subjects or objects on a head)."""
    from stanza.models.depparse.head_constraints import find_head_constraint_violations

    return bool(find_head_constraint_violations(tree, deprels))


class parser_shortcuts(_Patch):  # noqa: N801 - used as a context manager, reads like one
    """Enable both shortcuts for the dependency-parser calls of this thread inside the block.

    ``model`` is the graph parser (``processor._trainer.model``); the label shortcut is skipped for any
    other model shape.
    """

    def __init__(self, model: Any):
        labels: list[_Patch] = [_LabelsOnArcs(model)] if _labels_supported(model) else []
        self.parts = [*labels, *_distinct_words(model)]

    def __enter__(self) -> parser_shortcuts:
        _install_tree_decoding()
        self._before = _DECODING.enabled
        _DECODING.enabled = True
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        super().__exit__()
        _DECODING.enabled = self._before


class tagger_shortcuts(_Patch):  # noqa: N801 - used as a context manager, reads like one
    """Remember the feature strings of the POS tagger's composite vocabularies inside the block; its
    character model reads each distinct word once.

    Stanza turns every word's predicted feature ids back into a string (``Number=Sing|Person=3``) with a
    Python loop and a ``format`` per feature, about a second per 40 articles; the same few hundred id
    tuples come back again and again. The memo is keyed by the id tuple, so the strings are the same.
    """

    _memos: weakref.WeakKeyDictionary[Any, dict[Any, str]] = weakref.WeakKeyDictionary()

    def __init__(self, trainer: Any):
        from stanza.models.common.vocab import CompositeVocab

        vocab: Any = getattr(trainer, "vocab", None)
        names = list(getattr(vocab, "_vocabs", {}))
        # only vocabularies that return strings: a memoised list could be changed by its receiver
        self.vocabs = [vocab[n] for n in names
                       if isinstance(vocab[n], CompositeVocab) and getattr(vocab[n], "sep", None) is not None]
        self.parts = _distinct_words(trainer.model)

    def patches(self) -> list[tuple[Any, str, Any]]:
        return [(v, "id2unit", self._remembering(v)) for v in self.vocabs]

    def _remembering(self, vocab: Any) -> Any:
        """``vocab.id2unit`` through the memo."""
        memo = self._memos.setdefault(vocab, {})
        original = type(vocab).id2unit

        def id2unit(ids: Any) -> Any:
            key = tuple(ids) if isinstance(ids, list) else ids
            if key not in memo:
                memo[key] = original(vocab, ids)
            return memo[key]

        return id2unit


class lemmatizer_shortcuts(_Patch):  # noqa: N801 - used as a context manager, reads like one
    """Remember the lemmas Stanza's seq2seq lemmatizer found, per (word, part of speech), inside the block.

    Stanza looks each word up in its training dictionary and sends the others (names, rare words: about
    one word in ten of news) through a character seq2seq model, which sees the word and its tag only; so
    the same pair always gets the same lemma, and in news about half of those words repeat (a surname,
    a place). The memo answers the repeats; it holds at most :attr:`LIMIT` pairs per lemmatizer.
    """

    LIMIT = 200_000
    _memos: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], str]] = weakref.WeakKeyDictionary()

    def __init__(self, trainer: Any):
        self.trainer = trainer
        self.memo = self._memos.setdefault(trainer, {})
        if len(self.memo) > self.LIMIT:
            self.memo.clear()

    def _skip(self, pairs: list[Any]) -> list[bool]:
        known = type(self.trainer).skip_seq2seq(self.trainer, pairs)
        return [k or (w, pos) in self.memo for k, (w, pos) in zip(known, pairs, strict=True)]

    def _ensemble(self, pairs: list[Any], preds: list[Any]) -> list[Any]:
        """Stanza's ensemble, with the memo's lemma for a remembered word (its prediction was skipped)."""
        filled = []
        for (w, pos), pred in zip(pairs, preds, strict=True):
            key = (w, pos)
            if key in self.memo:
                pred = self.memo[key]
            elif pred:  # a fresh seq2seq lemma ('' marks a word the dictionary answers)
                self.memo[key] = pred
            filled.append(pred)
        return type(self.trainer).ensemble(self.trainer, pairs, filled)

    def patches(self) -> list[tuple[Any, str, Any]]:
        return [(self.trainer, "skip_seq2seq", self._skip), (self.trainer, "ensemble", self._ensemble)]


class mwt_shortcuts(_Patch):  # noqa: N801 - used as a context manager, reads like one
    """Send the multi-word token expander's seq2seq model only the tokens it has not answered before.

    Stanza runs its character seq2seq model over every token the tokenizer marked as multi-word ("it’s",
    "don’t", "Toronto's") and then overrides most answers from its expansion dictionary. The model reads
    the token's characters only, so inside the block it gets each token the dictionary does not know
    once, and the answers are remembered (at most :attr:`LIMIT` tokens per model).
    """

    LIMIT = 100_000
    _memos: weakref.WeakKeyDictionary[Any, dict[str, str]] = weakref.WeakKeyDictionary()

    def __init__(self, processor: Any):
        self.processor = processor
        self.trainer = processor.trainer
        self.memo = self._memos.setdefault(self.trainer, {})
        if len(self.memo) > self.LIMIT:
            self.memo.clear()
        self.asked: list[str] = []

    def _build_batch(self, document: Any) -> Any:
        batch = type(self.processor).build_batch(self.processor, document)
        texts = [sample[0] for sample in batch.data]
        need, seen = [], set()
        for i, text in enumerate(texts):
            if text in seen or text in self.memo or self.trainer.dict_expansion(text) is not None:
                continue
            seen.add(text)
            need.append(i)
        if texts and not need:
            need = [0]  # Stanza skips its whole merge step for an empty batch: keep one token in
        self.asked = [texts[i] for i in need]
        batch.data = [batch.data[i] for i in need]
        batch.num_examples = len(batch.data)
        return batch

    def _ensemble(self, cands: list[str], preds: list[str]) -> list[str]:
        """Stanza's ensemble over every candidate, with the model's answers from this call or the memo."""
        fresh = dict(zip(self.asked, preds, strict=True))
        self.memo.update(fresh)
        filled = [fresh.get(c, self.memo.get(c, c)) for c in cands]
        return type(self.trainer).ensemble(self.trainer, cands, filled)

    def patches(self) -> list[tuple[Any, str, Any]]:
        return [(self.processor, "build_batch", self._build_batch), (self.trainer, "ensemble", self._ensemble)]

    def __exit__(self, *exc: object) -> None:
        super().__exit__()
        self.asked = []


class _DistinctWords(_Patch):
    """While active, a Stanza ``CharacterModel`` reads each distinct word of a batch once.

    The character model turns every word into a vector from its characters alone (an LSTM over the
    characters, started afresh for each word), so "the", "said" and a surname repeated through a batch
    all get the same vector; about half the words of a news batch are repeats.
    """

    def __init__(self, charmodel: Any):
        self.charmodel = charmodel

    def patches(self) -> list[tuple[Any, str, Any]]:
        return [(self.charmodel, "forward", self._forward)]

    def _forward(self, chars: Any, chars_mask: Any, word_orig_idx: Any, sentlens: Any, wordlens: Any) -> Any:
        import torch
        from stanza.models.common.utils import tensor_unsort
        from torch.nn.utils.rnn import pack_sequence, pad_packed_sequence

        model = self.charmodel
        lengths = torch.as_tensor(wordlens, dtype=chars.dtype)
        distinct, which = torch.unique(torch.cat([lengths.unsqueeze(1), chars], 1), dim=0, return_inverse=True)
        # Stanza packs the words longest first: order the distinct ones the same way
        order = torch.argsort(distinct[:, 0], descending=True, stable=True)
        rank = torch.empty_like(order)
        rank[order] = torch.arange(len(order))
        distinct = distinct[order]
        lens = distinct[:, 0].tolist()
        words = distinct[:, 1:1 + lens[0]]
        # Stanza's own forward over the distinct words, as one "sentence" in their order
        reps = type(model).forward(model, words, words.eq(0), list(range(len(lens))), [len(lens)], lens)
        reps = reps[0] if model.pad else reps.data
        res = tensor_unsort(reps[rank[which]], word_orig_idx)
        res = pack_sequence(res.split(sentlens))
        return pad_packed_sequence(res, batch_first=True)[0] if model.pad else res


def _distinct_words(model: Any) -> list[_Patch]:
    """The word-deduplicating wrapper for ``model``'s character model, if it has Stanza's own."""
    from stanza.models.common.char_model import CharacterModel

    charmodel = getattr(model, "charmodel", None)
    return [_DistinctWords(charmodel)] if type(charmodel) is CharacterModel else []


class ner_shortcuts(_Patch):  # noqa: N801 - used as a context manager, reads like one
    """Inside the block, the NER models' character models read each distinct word of a batch once."""

    def __init__(self, processor: Any):
        trainers = getattr(processor, "trainers", None) or [getattr(processor, "_trainer", None)]
        self.parts = [d for t in trainers if t is not None for d in _distinct_words(t.model)]
