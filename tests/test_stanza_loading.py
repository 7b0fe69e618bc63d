"""Loading Stanza lean: no optimisers, model files unpickled in C with torch's weights-only allow-list."""

from __future__ import annotations

import pickle

import pytest
import torch

from attribution.parsing.loading import NoOptimizer, RestrictedUnpickler, fast_safe_unpickling, lean_loading
from attribution.parsing.models import model_files


def _same(a, b) -> bool:
    if isinstance(a, torch.Tensor):
        return isinstance(b, torch.Tensor) and a.dtype == b.dtype and torch.equal(a, b)
    if isinstance(a, dict):
        return type(a) is type(b) and list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (list, tuple)):
        return type(a) is type(b) and len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


def test_every_model_file_loads_to_the_same_objects_as_with_torchs_weights_only_loader(models_dir):
    for f in model_files(models_dir):
        safe = torch.load(str(f.path), lambda storage, loc: storage, weights_only=True)
        with fast_safe_unpickling():
            fast = torch.load(str(f.path), lambda storage, loc: storage, weights_only=True)
        assert _same(safe, fast), f.path


class _Shell:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_global_outside_the_allow_list_is_refused_before_it_is_called(tmp_path, capsys):
    data = pickle.dumps({"weights": [1.0, 2.0], "hook": _Shell()})
    with pytest.raises(pickle.UnpicklingError, match="builtins.print is not allowed"):
        RestrictedUnpickler(__import__("io").BytesIO(data)).load()
    path = tmp_path / "crafted.pt"
    torch.save({"hook": _Shell()}, path)
    with fast_safe_unpickling(), pytest.raises(pickle.UnpicklingError):
        torch.load(str(path), weights_only=True)  # refused here, and by torch's own loader after it
    assert "must never run" not in capsys.readouterr().out


def test_the_patches_hold_only_inside_the_block():
    import stanza.models.common.utils as stanza_utils

    load, factory = torch.load, stanza_utils.dispatch_optimizer
    with lean_loading() as applied:
        assert applied and torch.load is not load and stanza_utils.dispatch_optimizer is not factory
        placeholder = stanza_utils.dispatch_optimizer("adam", [torch.nn.Parameter(torch.zeros(2))], None, lr=0.1)
    assert torch.load is load and stanza_utils.dispatch_optimizer is factory
    assert isinstance(placeholder, NoOptimizer) and placeholder.param_groups[0]["lr"] == 0.1
    with pytest.raises(RuntimeError, match="loaded for annotation only"):
        placeholder.step()
