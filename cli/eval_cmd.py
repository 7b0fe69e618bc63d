"""``attribution eval``: accuracy against a gold file, as ../shared/tools/score.py measures it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer
from rich.table import Table

from attribution.evaluation import HIGH_CONFIDENCE, THRESHOLDS, ErrorRecord, load_gold
from attribution.evaluation import evaluate as score_predictions
from attribution.extract import Extractor
from attribution.types import Article

from .common import console, jsonl_line, safe
from .options import ModelsOpt


def evaluate_cmd_table(result: dict[str, Any]) -> Table:
    """The figures as a Rich table, a row per threshold."""
    table = Table("overlap", "P", "R", "F1", "speaker span", "speaker name", "cue", "role", "gold", "pred")
    for t in THRESHOLDS:
        r = result[f"t{t}"]
        table.add_row(f"> {t}", *(str(r[k]) for k in ("precision", "recall", "f1", "speaker_span_acc",
                                                      "speaker_name_acc", "cue_acc", "role_acc",
                                                      "gold", "predicted")))
    return table


def calibration_table(cal: dict[str, Any]) -> Table:
    """The reliability table (score.py's ``--calibration`` bins): per confidence bin, how many quotes, their
    mean confidence, the share whose speaker name is right, and the gap between the two (in points)."""
    table = Table("confidence", "quotes", "mean confidence", "name right", "gap",
                  title=f"calibration (overlap > {THRESHOLDS[0]})", title_justify="left")
    for b in cal.get("bins", []):
        # The gap is what the ECE weighs: positive when the bin is more sure than it is right.
        table.add_row(b["bin"], str(b["n"]), f"{b['confidence']:.1f}", f"{b['right']:.1f}",
                      f"{b['confidence'] - b['right']:+.1f}")
    return table


def calibration_lines(cal: dict[str, Any]) -> list[str]:
    """What the table does not show: names scored, ECE, and accuracy and coverage at high confidence."""
    if not cal.get("scored"):
        return ["calibration: no matched quote with a gold speaker name and a confidence"]
    right, cover = cal.get(f"right_at_{HIGH_CONFIDENCE}"), cal.get(f"coverage_at_{HIGH_CONFIDENCE}")
    high = f"name right {right}% on {cover}% of them" if right is not None else f"no quote ({cover}% of them)"
    return [f"{cal['scored']} speaker names scored · ECE {cal['ece']} points · at confidence >= {HIGH_CONFIDENCE}: "
            f"{high}"]


def error_record(e: ErrorRecord) -> dict[str, Any]:
    """One ``--errors`` line: score.py's error record, and for a wrong speaker the predicted quote's
    ``rule_trace`` beside it (the stages and sieves that chose that speaker)."""
    record = e.to_dict()
    if e.type == "wrong speaker":
        record["rule_trace"] = list(e.rule_trace or [])
    return record


def evaluate(
    gold_path: Path = typer.Argument(..., metavar="GOLD.jsonl", help="A gold file in attribution-gold/1 format."),
    pred_out: Path | None = typer.Option(None, "--pred-out", metavar="FILE", help="Also write the predictions."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object, as score.py --json does."),
    errors: int = typer.Option(0, "--errors", metavar="N", help="List N misses, spurious quotes and wrong speakers."),
    roles: bool = typer.Option(False, "--roles", help="Add exact role and affiliation, as score.py --roles."),
    calibration: bool = typer.Option(
        False, "--calibration", help="Add how well confidence predicts a right speaker name (reliability table, "
                                     "ECE, accuracy and coverage at confidence >= 0.9), as score.py --calibration."),
    models_dir: ModelsOpt = None,
) -> None:
    """Run extraction over a gold file and print precision, recall, F1 and speaker/cue/role accuracy (and, with
    --calibration, how far to trust each quote's confidence)."""
    gold = load_gold(gold_path)
    extractor = Extractor(models_dir)
    articles = [Article(id=doc_id, text=d["text"]) for doc_id, d in gold.items()]
    pred = {r.article.id: r.to_prediction() for r in extractor.extract_many(articles)}
    if pred_out is not None:
        tmp = pred_out.with_name(pred_out.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as f:
            for p in pred.values():
                f.write(jsonl_line(p))
        tmp.replace(pred_out)
    result, errs = score_predictions(gold, pred, roles=roles, calibration=calibration)
    if as_json:
        print(json.dumps(result))
    else:
        console.print(evaluate_cmd_table(result))
        r = result[f"t{THRESHOLDS[0]}"]
        console.print(f"recall by kind (> {THRESHOLDS[0]}): {r['recall_by_kind']}")
        console.print(f"documents: {result['documents_predicted']}/{result['documents']} predicted")
        if roles:
            console.print("roles (overlap > 0.3): " + "  ".join(f"{k} {v}" for k, v in result["roles"].items()))
        if calibration:
            if result["calibration"].get("bins"):
                console.print(calibration_table(result["calibration"]))
            for line in calibration_lines(result["calibration"]):
                console.print(line)
    for e in errs[:errors]:
        console.print(safe(json.dumps(error_record(e), ensure_ascii=False)), soft_wrap=True)
