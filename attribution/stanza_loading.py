"""Loading a Stanza pipeline without the training machinery it does not need.

Every Stanza trainer builds its optimiser when it is constructed, even to tag: ``torch.optim.Adam`` and
friends. The first optimiser a process builds imports ``torch._dynamo`` (torch wraps ``Optimizer.__init__``
so that the compiler leaves it alone), and that import alone took 1.5-2.8 s of the 4-7 s a worker spent
loading its pipeline -- in every worker process, before its first article. Inference never touches an
optimiser, so while a pipeline loads, :func:`lean_loading` has Stanza's optimiser factory return a
placeholder instead. The models, their weights and every annotation are the same.

Like :mod:`attribution.stanza_shortcuts`, this reaches into Stanza: where the factory is not there with the
parameters it had (another Stanza version), loading runs as Stanza wrote it.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from contextlib import contextmanager
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
                           f"built (attribution.stanza_loading), so it cannot {attr}")


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
    """Inside the block, Stanza trainers get a :class:`NoOptimizer` instead of building an optimiser.

    Yields whether the shortcut applies (``False``: Stanza is not the shape it was written for, and loads
    as usual).
    """
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
