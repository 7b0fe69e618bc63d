"""``attribution setup``: models in place and the database created, in one command."""

from __future__ import annotations

from pathlib import Path

import typer

from attribution.claims.worthiness import CLAIM_MODEL_VERSION
from attribution.errors import ModelsNotFound
from attribution.parsing import models

from .common import console, safe
from .options import DbOpt, ModelsOpt


def setup(
    models_from: Path | None = typer.Option(
        None, "--models-from", metavar="DIR",
        help="Install models from this local Stanza resources directory instead of downloading them."),
    models_dir: ModelsOpt = None,
    db: DbOpt = None,
) -> None:
    """Install the Stanza models (download, or --models-from DIR) and create or upgrade the database."""
    if models_from is not None:
        target = models.install_models(models_from, Path(models_dir) if models_dir else None)
        console.print(f"Models: installed from {safe(models_from)} to {safe(target)}")
    else:
        directory, why = models.resolve_models_dir(models_dir)
        try:
            models.model_files(directory)
            console.print(f"Models: already in {safe(directory)} (from the {why})")
        except ModelsNotFound:
            console.print("Models: downloading the official English Stanza models…")
            target = models.download_models(directory)
            console.print(f"Models: downloaded to {safe(target)}")
    try:
        from db import open_store, rescore_claims, setup_database
    except ModuleNotFoundError:  # pragma: no cover - while the store is being built
        return
    console.print(f"Database: {safe(setup_database(db))}")
    # Stored claims follow the check-worthiness model: those another model version scored are re-scored.
    with open_store(db) as store:
        rescored = rescore_claims(store)
    if rescored:
        console.print(f"Claims: {rescored} re-scored with claim model {CLAIM_MODEL_VERSION}")
