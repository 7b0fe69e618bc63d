"""Check that the surface cue test picks a superset of the tagged cue test's anchors, on gold files.

Run from the repository root (the texts are read at run time, never copied into the repository)::

    .venv/bin/python scripts/surface_superset.py ../shared/gold/dev/ggt-dev.jsonl ../shared/gold/dev/polnear-dev.jsonl

Every sentence is tagged (tokenize, mwt, pos, lemma), then :func:`attribution.parsing.selection.select_sentences`
finds its anchors with the tagged cue test and :func:`attribution.parsing.surface_cues.sentences_to_tag` picks the
sentences to tag from the tokens alone. Prints how many sentences the surface test keeps, every anchor it
misses (there should be none: the exit status is 1 if any), and how many sentences selective parsing
wants parsed although the surface test left them out (the context of a pronoun cue: the pipeline tags
those before parsing them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold", nargs="+", type=Path)
    ap.add_argument("--models", default=str(ROOT.parent / "shared" / "models" / "stanza"))
    args = ap.parse_args()

    from attribution.parsing.pipeline import Parser
    from attribution.parsing.selection import select_sentences
    from attribution.parsing.surface_cues import sentences_to_tag

    parser = Parser(Path(args.models), processors=("tokenize", "mwt", "pos", "lemma"))
    missed = 0
    for path in args.gold:
        texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        total = kept = anchors = context = 0
        for k in range(0, len(texts), 8):
            for doc in parser.parse(texts[k:k + 8], mode="full"):
                sel = select_sentences(doc.text, doc.sentences)
                plan = sentences_to_tag(doc.text, doc.sentences)
                total, kept, anchors = total + plan.total, kept + len(plan.tag), anchors + len(sel.anchors)
                context += len(sel.parse - plan.tag)
                for si in sorted(sel.anchors - plan.tag):
                    missed += 1
                    print(f"  MISSED anchor in {path.name}: {doc.sentences[si].text[:160]!r}")
        print(f"{path.name}: {total} sentences, {kept} tagged ({kept / max(total, 1):.1%}); {anchors} anchors, "
              f"all among them: {missed == 0}; {context} parsed for context although left untagged")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
