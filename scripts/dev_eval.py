#!/usr/bin/env python3
"""Measure the engine on the dev gold sets, on fixed halves, from cached parses.

    .venv/bin/python scripts/dev_eval.py [SET ...] [--mode selective|full] [--roles] [--calibration]
                                         [--pred-dir DIR] [--errors N] [--half tune|check] [--json]

SET is ``seed``, ``ggt``, ``polnear``, ``conflict``, ``polnear-named``, ``polnear-train`` or
``polnear-named-train`` (the files in ``../shared/gold``); by default the five dev sets. Each set is split
into two fixed halves by document id (the parity of the first byte of the id's SHA-1): ``tune`` is the half
rules are tuned on, ``check`` the half that says whether a rule generalises.
A rule lands only if ``check`` does not fall.

Parsing is the slow part and does not change while rules do, so each set is parsed once in full mode and
kept in ``.cache/devparse`` (keyed by the text and the model files). The selective mode that the product
runs by default is reproduced from the full parse: the same sentence selection, then the sentences not
selected are flattened and their NER tags cleared exactly as :mod:`attribution.parsing.pipeline` does (Stanza's
parser and NER label each sentence on its own). ``attribution eval`` remains the reference; this script is
for fast iteration.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from attribution.engine import extract_from_doc  # noqa: E402
from attribution.evaluation import evaluate, load_gold  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold"
SETS = {
    "seed": GOLD / "dev" / "seed.jsonl",
    "ggt": GOLD / "dev" / "ggt-dev.jsonl",
    "polnear": GOLD / "dev" / "polnear-dev.jsonl",
    "conflict": GOLD / "dev" / "conflict-dev.jsonl",
    "polnear-train": GOLD / "train" / "polnear-train.jsonl",
    "polnear-named": GOLD / "dev" / "polnear-named-dev.jsonl",
    "polnear-named-train": GOLD / "train" / "polnear-named-train.jsonl",
}
DEFAULT_SETS = ("seed", "ggt", "polnear", "conflict", "polnear-named")
CACHE = ROOT / ".cache" / "devparse"


def half(doc_id: str) -> str:
    """The fixed half a document belongs to: ``tune`` or ``check``."""
    return "tune" if hashlib.sha1(doc_id.encode("utf-8")).digest()[0] % 2 == 0 else "check"


def _models_key(models_dir: Path) -> str:
    h = hashlib.sha1()
    for p in sorted(models_dir.rglob("*.pt")):
        st = p.stat()
        h.update(f"{p.relative_to(models_dir)}:{st.st_size}:{int(st.st_mtime)}".encode())
    return h.hexdigest()[:12]


def _text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


_PARSER: Any = None


def _init_worker(models_dir: str) -> None:
    global _PARSER
    import torch

    torch.set_num_threads(1)
    from attribution.parsing.pipeline import Parser

    _PARSER = Parser(Path(models_dir))


def _parse_chunk(texts: list[str]) -> list[bytes]:
    docs = _PARSER.parse(texts, mode="full")
    return [d.to_serialized() for d in docs]


def parsed(name: str, gold: dict[str, dict], models_dir: Path, workers: int) -> dict[str, bytes]:
    """Full parses of every document of a set, from the cache or parsed now (and cached)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"{name}.{_models_key(models_dir)}.pkl"
    cache: dict[str, bytes] = pickle.loads(path.read_bytes()) if path.exists() else {}
    todo = [d["text"] for d in gold.values() if _text_key(d["text"]) not in cache]
    if todo:
        started = time.perf_counter()
        print(f"parsing {len(todo)} documents of {name} (cached afterwards)…", file=sys.stderr)
        chunks = [todo[k:k + 8] for k in range(0, len(todo), 8)]
        if workers > 1:
            import multiprocessing as mp

            with mp.get_context("fork").Pool(workers, _init_worker, (str(models_dir),)) as pool:
                results = pool.map(_parse_chunk, chunks, chunksize=1)
        else:
            _init_worker(str(models_dir))
            results = [_parse_chunk(c) for c in chunks]
        for chunk, out in zip(chunks, results, strict=True):
            for text, ser in zip(chunk, out, strict=True):
                cache[_text_key(text)] = ser
        path.write_bytes(pickle.dumps(cache))
        print(f"parsed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return cache


def as_selective(doc: Any) -> Any:
    """A full parse reduced to what selective mode computes for the same text."""
    from attribution.parsing.pipeline import _mark_unparsed
    from attribution.parsing.selection import select_sentences

    sel = select_sentences(doc.text, doc.sentences)
    for si, sent in enumerate(doc.sentences):
        if si not in sel.parse and any(w.deprel != "dep" or w.head != 0 for w in sent.words):
            _mark_unparsed(sent)
        if si not in sel.ner:
            for token in sent.tokens:
                token.ner = "O"
    doc.build_ents()
    return doc


def predict(gold: dict[str, dict], cache: dict[str, bytes], mode: str) -> dict[str, dict]:
    """Predictions for every document, in the ``score.py`` shape."""
    from stanza.models.common.doc import Document

    out = {}
    for doc_id, d in gold.items():
        doc = Document.from_serialized(cache[_text_key(d["text"])])
        if mode == "selective":
            doc = as_selective(doc)
        quotes, _ = extract_from_doc(d["text"], doc)
        out[doc_id] = {"id": doc_id, "quotes": [q.to_dict() for q in quotes]}
    return out


def _row(result: dict[str, Any]) -> dict[str, Any]:
    t3, t8 = result["t0.3"], result["t0.8"]
    row = {"gold": t3["gold"], "P": t3["precision"], "R": t3["recall"], "F1": t3["f1"], "F1@0.8": t8["f1"],
           "span": t3["speaker_span_acc"], "name": t3["speaker_name_acc"], "cue": t3["cue_acc"]}
    if "roles" in result:
        r = result["roles"]
        row.update({"role": r["role_strict"], "aff": r["affiliation_strict"], "all": r["name_role_affiliation"]})
    if "calibration" in result:  # score.py --calibration: ECE in points, name right and coverage at >= 0.9
        c = result["calibration"]
        row.update({"ECE": c.get("ece"), "right@.9": c.get("right_at_0.9"), "cover@.9": c.get("coverage_at_0.9")})
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sets", nargs="*", metavar="SET", help=f"any of {', '.join(SETS)} (default: the dev sets)")
    ap.add_argument("--mode", default="selective", choices=("selective", "full"))
    ap.add_argument("--roles", action="store_true", help="exact role and affiliation (score.py --roles)")
    ap.add_argument("--calibration", action="store_true",
                    help="ECE, and name accuracy and coverage at confidence >= 0.9 (score.py --calibration)")
    ap.add_argument("--pred-dir", type=Path, help="write SET.pred.jsonl files here")
    ap.add_argument("--errors", type=int, default=0, metavar="N", help="print N errors per set")
    ap.add_argument("--error-type", help="only errors of this type (missed, spurious, 'wrong speaker')")
    ap.add_argument("--half", choices=("tune", "check"), help="errors from this half only")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--workers", type=int, default=2, help="processes for parsing uncached documents")
    a = ap.parse_args()
    models_dir = Path(os.environ.get("ATTRIBUTION_MODELS") or ROOT.parent / "shared" / "models" / "stanza")
    table: dict[str, dict[str, Any]] = {}
    unknown = [s for s in a.sets if s not in SETS]
    if unknown:
        ap.error(f"unknown set {unknown[0]!r}: use {', '.join(SETS)}")
    for name in a.sets or DEFAULT_SETS:
        gold = load_gold(SETS[name])
        cache = parsed(name, gold, models_dir, a.workers)
        pred = predict(gold, cache, a.mode)
        if a.pred_dir:
            a.pred_dir.mkdir(parents=True, exist_ok=True)
            with (a.pred_dir / f"{name}.pred.jsonl").open("w", encoding="utf-8") as f:
                for p in pred.values():
                    f.write(json.dumps(p, ensure_ascii=False) + "\n")
        for part in ("all", "tune", "check"):
            g = {k: v for k, v in gold.items() if part == "all" or half(k) == part}
            result, errors = evaluate(g, pred, roles=a.roles, calibration=a.calibration)
            table[f"{name}/{part}"] = _row(result)
            if part == (a.half or "all") and a.errors:
                shown = [e for e in errors if a.error_type is None or e.type == a.error_type][:a.errors]
                for e in shown:
                    print(json.dumps(e.to_dict(), ensure_ascii=False))
    if a.json:
        print(json.dumps(table))
        return
    cols = list(next(iter(table.values())).keys())
    print(f"{'set/half':22}" + "".join(f"{c:>8}" for c in cols))
    for key, row in table.items():
        print(f"{key:22}" + "".join(f"{'' if row.get(c) is None else row[c]!s:>8}" for c in cols))


if __name__ == "__main__":
    main()
