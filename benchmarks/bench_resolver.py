"""What the speaker resolver costs: its seconds beside the rest of extraction, on the ingest benchmark's set.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/bench_resolver.py [--articles 120] [--repeat 3]

The articles are those of ``benchmarks/bench_ingest.py`` (the texts of ../shared/gold/dev/ggt-dev.jsonl,
then dev/polnear-dev.jsonl), parsed once in the product's selective mode from the parse cache that
``scripts/dev_eval.py`` keeps. Each round times, per article, stages 1-6 of the engine (the rules), the
resolver (candidates, both tree ensembles, calibration), and the results with their claims, on one core.
The resolver's share of the whole ingest is its seconds against the CPU seconds the ingest command spends
on the same articles (``--ingest-cpu``, default: 84 s for 120 articles, the figure of docs/scaling.md).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))


def main() -> None:
    import dev_eval
    from stanza.models.common.doc import Document

    from attribution import results
    from attribution.claims.statements import claims_for
    from attribution.engine import attribute
    from attribution.evaluation import load_gold
    from attribution.speakers.resolver import load_model, resolve_speakers

    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--articles", type=int, default=120)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ingest-cpu", type=float, default=84.0, help="CPU seconds of the ingest command")
    a = ap.parse_args()
    models = ROOT.parent / "shared" / "models" / "stanza"
    docs = []
    for name in ("ggt", "polnear"):
        gold = load_gold(dev_eval.SETS[name])
        cache = dev_eval.parsed(name, gold, models, 2)
        docs += [(d["text"], cache[dev_eval._text_key(d["text"])]) for d in gold.values()]
    docs = docs[:a.articles]
    load_model()
    for r in range(a.repeat):
        rules = resolver = rest = 0.0
        for text, ser in docs:
            parsed = dev_eval.as_selective(Document.from_serialized(ser))
            t0 = time.perf_counter()
            found = attribute(text, parsed)
            t1 = time.perf_counter()
            if found is None:
                continue
            ctx, items = found
            resolve_speakers(ctx, items)
            t2 = time.perf_counter()
            for q in results.quotes(ctx, items):
                q.claims = claims_for(ctx.doc, q)
            t3 = time.perf_counter()
            rules, resolver, rest = rules + t1 - t0, resolver + t2 - t1, rest + t3 - t2
        n = len(docs)
        print(f"round {r + 1}: {n} articles; rules {rules:.2f} s, resolver {resolver:.2f} s "
              f"({1000 * resolver / n:.1f} ms an article), results and claims {rest:.2f} s; the resolver is "
              f"{100 * resolver / (rules + resolver + rest):.0f}% of extraction after the parse and "
              f"{100 * resolver / a.ingest_cpu * 120 / n:.1f}% of the ingest command's CPU time")


if __name__ == "__main__":
    main()
