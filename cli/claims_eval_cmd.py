"""``attribution eval-claims``: the check-worthiness model measured on a labelled ClaimBuster or CLEF file."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from attribution.claims.datasets import read_labelled
from attribution.claims.evaluation import evaluate_claims

from .common import console, jsonl_line


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def eval_claims(
    path: Path = typer.Argument(..., metavar="FILE",
                                help="A ClaimBuster JSON list or a CLEF CheckThat! CSV, labelled 0/1."),
    as_json: bool = typer.Option(False, "--json", help='Print {"sentences", "roc_auc", "f1", "map"}.'),
    pred_out: Path | None = typer.Option(None, "--pred-out", metavar="OUT",
                                         help='Write {"score", "checkable"} per sentence, one JSON line each.'),
) -> None:
    """Score every sentence with the check-worthiness model; print ROC AUC, F1 and (several transcripts) MAP."""
    result = evaluate_claims(read_labelled(path))
    if pred_out is not None:
        tmp = pred_out.with_name(pred_out.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for p in result.predictions:
                f.write(jsonl_line(p.to_dict()))
        tmp.replace(pred_out)
    if as_json:
        print(json.dumps(result.to_dict()))
        return
    table = Table("sentences", "ROC AUC", "F1 (check-worthy)", "MAP (per transcript)")
    table.add_row(str(result.sentences), _figure(result.roc_auc), _figure(result.f1), _figure(result.map))
    console.print(table)
