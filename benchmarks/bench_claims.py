"""Check-worthiness inference time: how long attribution.claims.worthiness takes to score one claim on one core.

Not a test. Run from the repository root::

    .venv/bin/python benchmarks/bench_claims.py                 # 2,000 synthetic claims, 5 rounds
    .venv/bin/python benchmarks/bench_claims.py --claims 10000 --rounds 3

Claims are generated from templates with numbers, names, opinions and questions (8 to 40 words), so that
no benchmark text is copied into the repository. Reported: the model's load time, then per round the
mean time per claim of ``score_text`` (the score and its reason, what extraction calls) and of
``probability`` alone (what ``eval-claims`` calls); the best round is the figure to quote (the others
are slowed by whatever else the machine runs). The target is under 1 ms per claim.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from attribution.claims import worthiness  # noqa: E402

SUBJECTS = ["The council", "Unemployment", "The ministry of health", "Senator Ada Moreno", "Our party", "I", "We"]
VERBS = ["spent", "rose by", "will cut", "think that", "cut", "promised", "has doubled", "closed"]
OBJECTS = ["{n} million dollars on roads", "{n} percent since {y}", "the hospital budget", "{n} rural schools",
           "taxes for working families", "the best plan this country has seen", "what the report said in {y}"]
TAILS = ["", ", according to the national statistics office", " and nobody in this room should forget it",
         ", which is more than the previous government did in {n} years", "?", " tonight"]


def claims(n: int, seed: int = 1) -> list[str]:
    """``n`` synthetic claims from the templates (fixed seed)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts = [rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS)]
        text = " ".join(parts) + rng.choice(TAILS) * rng.randint(1, 2)
        out.append(text.format(n=rng.randint(2, 900), y=rng.randint(1990, 2024)).rstrip("?") + rng.choice(".?"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    model = worthiness.load_model()
    print(f"model {model.version}: loaded in {(time.perf_counter() - started) * 1000:.0f} ms "
          f"({len(model.words.index)} word terms, {len(model.chars.index)} char terms)")
    texts = claims(args.claims)
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(f"{len(texts)} claims, {words:.1f} words on average")
    for name, fn in (("score_text", worthiness.score_text), ("probability", model.probability)):
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            for t in texts:
                fn(t)
            times.append((time.perf_counter() - started) / len(texts) * 1000)
        print(f"{name}: {min(times):.3f} ms per claim (best of {args.rounds}; rounds "
              + ", ".join(f"{t:.3f}" for t in times) + ")")


if __name__ == "__main__":
    main()
