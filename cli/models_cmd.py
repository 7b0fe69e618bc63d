"""``attribution models``: download, install and inspect the Stanza models."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from attribution.parsing import models

from .common import console, safe
from .options import ModelsOpt

app = typer.Typer(help="Download, install and inspect the Stanza models.", no_args_is_help=True)


@app.command("download")
def download(
    to: Path | None = typer.Option(None, "--to", metavar="DIR", help="Where to put them (default: data dir)."),
) -> None:
    """Fetch the official English Stanza models with Stanza's downloader (needs internet)."""
    target = models.download_models(to)
    console.print(f"Official Stanza models downloaded to [bold]{safe(target)}[/]")


@app.command("install")
def install(
    source: Path = typer.Option(..., "--from", metavar="DIR", help="A local Stanza resources directory."),
    to: Path | None = typer.Option(None, "--to", metavar="DIR", help="Where to put them (default: data dir)."),
) -> None:
    """Install models from a local Stanza resources directory (air-gapped machines, CI)."""
    target = models.install_models(source, to)
    console.print(f"Models installed from {safe(source)} to [bold]{safe(target)}[/]")


@app.command("info")
def info(models_dir: ModelsOpt = None) -> None:
    """Show which model files are in use, their sizes and where they came from."""
    directory, why = models.resolve_models_dir(models_dir)
    files = models.model_files(directory)
    prov = models.provenance(directory)
    console.print(f"Models directory: [bold]{safe(directory)}[/] (from the {why})")
    console.print(f"Source: {safe(prov.get('source'))}"
                  + (f", {safe(prov['installed_at'])}" if prov.get("installed_at") else ""))
    table = Table("processor", "package", "size", "file")
    for f in files:
        table.add_row(f.processor, safe(f.package), f"{f.size / 1e6:.1f} MB", safe(f.path))
    console.print(table)
    console.print(f"Total: {sum(f.size for f in files) / 1e6:.1f} MB")
