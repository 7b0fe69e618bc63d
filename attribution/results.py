"""The extractor's output: quotes with their speaker, role, cue, confidence and claims, and entities.

A quote takes the role its speaker is given with an affiliation if the article gives one, else the first
role it gives with a title. Its confidence comes from the rule that linked it to its speaker (an
indirect quote a little less); quotes that overlap a longer one are dropped, so quotes are disjoint.
"""

from __future__ import annotations

from typing import cast

from .assembly import Item
from .context import Context
from .types import Entity, Quote, QuoteKind, RoleFact, SpeakerType

RULE_CONFIDENCE = {
    "cue-subject": 0.9, "cue-subject-climb": 0.8, "passive-agent": 0.85, "according-to": 0.85,
    "cue-adjacent": 0.7, "pronoun": 0.75, "same-paragraph": 0.8, "inherited": 0.7, "colon-subject": 0.6,
    "previous-paragraph-subject": 0.45, "previous-sentence-subject": 0.6, "dash-byline": 0.85,
    "relative-pronoun": 0.75, "signed-paragraph": 0.7,
    "none": 0.2,
}


def entities(ctx: Context) -> list[Entity]:
    """Every entity of the article with its mentions, aliases and roles."""
    return [Entity(c.id, c.name, cast(SpeakerType, c.type), [(m.start, m.end) for m in c.mentions], c.aliases,
                   ctx.roles.get(c.id, [])) for c in ctx.idx.clusters if c.mentions]


def _role(ctx: Context, it: Item) -> RoleFact | None:
    if it.cluster is None:
        return None
    facts = ctx.roles.get(it.cluster.id, [])
    return next((r for r in facts if r.title and r.affiliation), None) or next((r for r in facts if r.title), None)


def quotes(ctx: Context, items: list[Item]) -> list[Quote]:
    """The quotes of the assembled items, disjoint, in text order (claims are the next stage's)."""
    doc, out = ctx.doc, []
    for it in items:
        c, f = it.cluster, it.frame
        role = _role(ctx, it)
        cue = cue_s = cue_e = None
        if f is not None and it.rule not in ("same-paragraph", "inherited"):
            cue, cue_s, cue_e = f.cue_text(doc), doc.words[f.cue_first].start, doc.words[f.cue_last].end
        mention = it.mention if f is not None else None
        conf = RULE_CONFIDENCE.get(it.rule if c is not None else "none", 0.5)
        if it.kind == "indirect":
            conf *= 0.9
        out.append(Quote(start=it.start, end=it.end, content=ctx.text[it.start:it.end], kind=cast(QuoteKind, it.kind),
                  speaker=c.name if c else None, speaker_type=cast(SpeakerType, c.type) if c else None,
                  speaker_mention=mention[2] if mention else None,
                  speaker_start=mention[0] if mention else None, speaker_end=mention[1] if mention else None,
                  cue=cue, cue_start=cue_s, cue_end=cue_e,
                  role=role.title if role else None, affiliation=role.affiliation if role else None,
                  confidence=round(conf, 3), rule=it.rule if c is not None else "none",
                  entity_id=c.id if c else None, fragments=it.fragments, rule_trace=list(it.trace)))
    return drop_overlaps(out)


def drop_overlaps(found: list[Quote]) -> list[Quote]:
    """Keep quotes disjoint: a quote overlapping an earlier, longer one is dropped."""
    out: list[Quote] = []
    for q in sorted(found, key=lambda q: (-(q.end - q.start), q.start)):
        if all(q.end <= o.start or q.start >= o.end for o in out):
            out.append(q)
    return sorted(out, key=lambda q: q.start)
