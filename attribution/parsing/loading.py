"""Loading a Stanza pipeline without the training machinery it does not need, and without the slow path
of torch's safe unpickler. Inside :func:`lean_loading` (where :class:`attribution.parsing.pipeline.Parser` builds
its pipeline), two things change; the models, their weights and every annotation are the same.

* **No optimisers.** Every Stanza trainer builds its optimiser when it is constructed, even to tag:
  ``torch.optim.Adam`` and friends. The first optimiser a process builds imports ``torch._dynamo`` (torch
  wraps ``Optimizer.__init__`` so that the compiler leaves it alone), and that import alone took 1.0-1.4 s
  of the 3 s a pipeline took to load on an idle machine -- in every worker process, before its first
  article.
  Inference never touches an optimiser, so Stanza's optimiser factory returns a placeholder instead.
* **Safe unpickling in C.** Stanza loads every model with ``torch.load(..., weights_only=True)``, whose
  unpickler is written in Python: the vocabularies of the NER model and of the word vectors are hundreds
  of thousands of pickle operations, 1.3 s of the load (0.1 s for the C unpickler). The model files are
  unpickled here by Python's C unpickler restricted to the globals torch's own weights-only unpickler
  allows (:class:`RestrictedUnpickler`: the pattern of the ``pickle`` documentation's "Restricting
  Globals"); a file that needs anything else is loaded by torch's weights-only path as before.

Like :mod:`attribution.parsing.shortcuts`, this reaches into Stanza: where the factory is not there with the
parameters it had (another Stanza version), loading runs as Stanza wrote it.
"""

from __future__ import annotations

import inspect
import os
import pickle
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from types import SimpleNamespace
from typing import Any

#: The optimiser factory every Stanza trainer goes through (``get_optimizer`` and ``get_split_optimizer``
#: both call it), with the parameters it is called with.
FACTORY = ("stanza.models.common.utils", "dispatch_optimizer", ("name", "parameters", "opt_logger"))


class NoOptimizer:
    """Stands where a trainer keeps its optimiser: a pipeline that only annotates never steps it.

    It keeps the parameter groups with their learning rates, because the parser's trainer builds a
    learning-rate scheduler over them when it loads (it reads and sets each group's ``lr``).
    """

    def __init__(self, name: str, parameters: Any, lr: float | None):
        self.name = name
        groups = parameters if isinstance(parameters, list) and all(isinstance(g, dict) for g in parameters) \
            else [{"params": parameters}]
        self.param_groups = [{**g, "lr": g.get("lr", lr)} for g in groups]

    def __getattr__(self, attr: str) -> Any:
        raise RuntimeError(f"this Stanza model was loaded for annotation only: its {self.name} optimiser was not "
                           f"built (attribution.parsing.loading), so it cannot {attr}")


def _factory() -> Any:
    """Stanza's utils module, when its optimiser factory has the parameters this module expects."""
    import importlib

    module_name, name, params = FACTORY
    try:
        module = importlib.import_module(module_name)
        fn = getattr(module, name)
        if tuple(inspect.signature(fn).parameters)[:len(params)] != params:
            return None
    except (ImportError, AttributeError, TypeError, ValueError):
        return None
    return module


@contextmanager
def lean_loading() -> Iterator[bool]:
    """Inside the block, Stanza trainers get a :class:`NoOptimizer` instead of building an optimiser, and
    weights-only loads of model files go through :class:`RestrictedUnpickler`.

    Yields whether the optimiser shortcut applies (``False``: Stanza is not the shape it was written for,
    and builds its optimisers as usual).
    """
    with ExitStack() as stack:
        stack.enter_context(fast_safe_unpickling())
        yield stack.enter_context(_no_optimisers())


@contextmanager
def _no_optimisers() -> Iterator[bool]:
    module = _factory()
    if module is None:
        yield False
        return
    original = module.dispatch_optimizer

    def placeholder(name: str, parameters: Any, opt_logger: Any, lr: float | None = None, *args: Any,
                    **kwargs: Any) -> NoOptimizer:
        return NoOptimizer(name, parameters, lr)

    module.dispatch_optimizer = placeholder
    try:
        yield True
    finally:
        module.dispatch_optimizer = original


class RestrictedUnpickler(pickle.Unpickler):
    """Python's C unpickler that finds only the globals torch's weights-only unpickler allows.

    Anything else (a class, a function that a crafted file would have it call) is refused with
    :class:`pickle.UnpicklingError`, before it is imported.
    """

    def find_class(self, module: str, name: str) -> Any:
        allowed = _allowed_globals().get(f"{module}.{name}")
        if allowed is None:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a model file")
        return allowed


def _restricted_load(file: Any, **kwargs: Any) -> Any:
    return RestrictedUnpickler(file, **kwargs).load()


#: What ``torch.load`` takes as its ``pickle_module``: it subclasses ``Unpickler`` (adding tensor storages)
#: and calls ``load`` for the small pickles around the main one.
RESTRICTED_PICKLE = SimpleNamespace(__name__="attribution.restricted_pickle", Unpickler=RestrictedUnpickler,
                                    load=_restricted_load, UnpicklingError=pickle.UnpicklingError)

_ALLOWED: dict[str, Any] = {}


def _allowed_globals() -> dict[str, Any]:
    """torch's own weights-only allow-list (``torch._weights_only_unpickler``), read once."""
    if not _ALLOWED:
        from torch._weights_only_unpickler import _get_allowed_globals

        _ALLOWED.update(_get_allowed_globals())
    return _ALLOWED


@contextmanager
def fast_safe_unpickling() -> Iterator[None]:
    """Inside the block, ``torch.load(PATH, ..., weights_only=True)`` unpickles with
    :class:`RestrictedUnpickler`; a file it refuses, another kind of call, or a torch without the
    allow-list go through torch's own loader unchanged."""
    import torch

    try:
        _allowed_globals()
    except (ImportError, AttributeError):
        yield
        return
    original = torch.load

    def load(f: Any, map_location: Any = None, pickle_module: Any = None, *args: Any,
             weights_only: bool | None = None, **kwargs: Any) -> Any:
        if weights_only and pickle_module is None and not args and isinstance(f, (str, os.PathLike)):
            try:
                return original(f, map_location, pickle_module=RESTRICTED_PICKLE, weights_only=False, **kwargs)
            except pickle.UnpicklingError:
                pass  # something torch's weights-only loader may still know how to load safely
        return original(f, map_location, pickle_module, *args, weights_only=weights_only, **kwargs)

    torch.load = load
    try:
        yield
    finally:
        torch.load = original
