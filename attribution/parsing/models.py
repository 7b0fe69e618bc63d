"""Where the Stanza models come from, and getting them there.

Resolution order (first hit wins): an explicit directory (``--models DIR``), the ``ATTRIBUTION_MODELS``
environment variable, then ``<data dir>/models/stanza`` in the user's data directory. A directory is a
Stanza resources directory, laid out as ``stanza.download('en')`` lays one out. Nothing here ever
downloads silently: :func:`download_models` is the one function that reaches the network.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

from ..errors import ModelsError, ModelsNotFound

LANG = "en"
#: The processors extraction needs, in pipeline order.
PROCESSORS: tuple[str, ...] = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
ENV_MODELS = "ATTRIBUTION_MODELS"
ENV_HOME = "ATTRIBUTION_HOME"
PROVENANCE_FILE = "attribution-provenance.json"

_FIX = "run `attribution models download` (with internet) or `attribution models install --from DIR`"


def data_dir() -> Path:
    """The user's data directory for attribution (``ATTRIBUTION_HOME`` overrides it)."""
    home = os.environ.get(ENV_HOME)
    return Path(home) if home else Path(platformdirs.user_data_dir("attribution"))


def default_models_dir() -> Path:
    """Where ``models download`` and ``models install`` put the models."""
    return data_dir() / "models" / "stanza"


def resolve_models_dir(explicit: str | os.PathLike[str] | None = None) -> tuple[Path, str]:
    """The models directory to use and why: ``(path, "option" | "environment" | "data dir")``."""
    if explicit:
        return Path(explicit).expanduser(), "option"
    env = os.environ.get(ENV_MODELS)
    if env:
        return Path(env).expanduser(), "environment"
    return default_models_dir(), "data dir"


@dataclass(frozen=True)
class ModelFile:
    """One model file a pipeline loads."""

    processor: str
    package: str
    path: Path
    size: int


def _resources(directory: Path) -> dict:
    try:
        return json.loads((directory / "resources.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelsNotFound(f"No Stanza models in {directory}: {_FIX}.") from None
    except (OSError, ValueError) as exc:
        raise ModelsError(f"Unreadable resources.json in {directory} ({exc}): {_FIX}.") from None


def model_files(directory: Path, processors: tuple[str, ...] = PROCESSORS) -> list[ModelFile]:
    """The model files a pipeline over ``directory`` would load, checked to exist.

    Packages come from the directory's own ``resources.json`` (``default_processors``), so the official
    models and a locally trained set load through the same code. Pretrained vectors that a processor
    depends on are listed too.
    """
    res = _resources(directory).get(LANG)
    if not isinstance(res, dict) or "default_processors" not in res:
        raise ModelsNotFound(f"No English models in {directory}: {_FIX}.")
    defaults: dict[str, str] = res["default_processors"]
    files: list[ModelFile] = []
    seen: set[tuple[str, str]] = set()

    def add(proc: str, package: str) -> None:
        if (proc, package) in seen:
            return
        seen.add((proc, package))
        path = directory / LANG / proc / f"{package}.pt"
        if not path.is_file():
            raise ModelsNotFound(f"Model file missing: {path}: {_FIX}.")
        files.append(ModelFile(proc, package, path, path.stat().st_size))

    for proc in processors:
        package = defaults.get(proc)
        if package is None:
            if proc == "mwt":  # not every language/package set needs a separate MWT model
                continue
            raise ModelsNotFound(f"No {proc} model listed in {directory}/resources.json: {_FIX}.")
        add(proc, package)
        for dep in res.get(proc, {}).get(package, {}).get("dependencies", []):
            add(dep["model"], dep["package"])
    return files


def provenance(directory: Path) -> dict:
    """Where the models in ``directory`` came from, as recorded when they were installed."""
    try:
        return json.loads((directory / PROVENANCE_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"source": "unknown (not installed by attribution)"}


def _write_provenance(directory: Path, source: str) -> None:
    record = {"source": source, "installed_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
    (directory / PROVENANCE_FILE).write_text(json.dumps(record, indent=1), encoding="utf-8")


def install_models(source: Path, target: Path | None = None) -> Path:
    """Copy a local Stanza resources directory into ``target`` (the data dir by default).

    The copy goes to a temporary sibling first and is renamed into place, so an interrupted install
    never leaves a half-copied model directory behind.
    """
    source = source.expanduser()
    if not source.is_dir():
        raise ModelsError(f"{source} is not a directory.")
    if not (source / "resources.json").is_file() and (source / "stanza" / "resources.json").is_file():
        source = source / "stanza"  # accept the parent of a resources dir, as ../shared/models is
    model_files(source)  # validate before copying anything
    target = (target or default_models_dir()).expanduser()
    if target.resolve() == source.resolve():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".install-", dir=target.parent))
    try:
        staged = tmp / "stanza"
        shutil.copytree(source, staged, ignore=shutil.ignore_patterns(PROVENANCE_FILE))
        for path in staged.rglob("*"):  # a read-only source must not make the copy read-only
            path.chmod(0o755 if path.is_dir() else 0o644)
        staged.chmod(0o755)
        _write_provenance(staged, f"installed from {source.resolve()}")
        if target.exists():
            shutil.rmtree(target)
        staged.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return target


def download_models(target: Path | None = None) -> Path:
    """Fetch the official English models with Stanza's own downloader (needs internet)."""
    import stanza  # imported here: the rest of this module must work without loading torch

    target = (target or default_models_dir()).expanduser()
    target.mkdir(parents=True, exist_ok=True)
    try:
        stanza.download(LANG, model_dir=str(target), processors=",".join(PROCESSORS), verbose=False)
    except Exception as exc:  # network errors come in many types (requests, OSError, stanza's own)
        raise ModelsError(f"Could not download the Stanza models ({type(exc).__name__}: {exc}).") from None
    _write_provenance(target, "downloaded from the Stanza model hub")
    return target
