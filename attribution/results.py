"""The extractor's output: quotes with their speaker, role, cue, confidence and claims, and entities.

A quote takes the role its speaker is given with an affiliation if the article gives one, else the first
role it gives with a title. Its confidence is the resolver's calibrated probability that the speaker is
right (:mod:`attribution.speakers.resolver`); quotes that overlap a longer one are dropped, so quotes are
disjoint.
"""

from __future__ import annotations

import re
from typing import cast

from .roles.stated import sentence_organisation
from .speakers.assembly import Item
from .speakers.context import Context
from .types import Entity, Quote, QuoteKind, RoleFact, SpeakerType
from .wordlists import words


def entities(ctx: Context) -> list[Entity]:
    """Every entity of the article with its mentions, aliases and roles."""
    return [Entity(c.id, c.name, cast(SpeakerType, c.type), [(m.start, m.end) for m in c.mentions], c.aliases,
                   ctx.roles.get(c.id, [])) for c in ctx.idx.clusters if c.mentions]


#: Where a description's own noun phrase ends: a relative clause, or a participle with its agent ("conducted by").
_CLAUSE = re.compile(r",?\s+(?:who|whom|whose|which|that|where)\b|\s+[a-z]+ed\s+by\b")


def speaker_name(name: str | None) -> str | None:
    """A speaker field that is a clean name or mention: no punctuation or conjunction before it, and a
    description cut before a clause of its own ("Emails obtained by The Canadian Press …" -> "Emails";
    "one of several veterans who have come …" -> "one of several veterans"); nothing if no word is left."""
    if not name:
        return None
    cleaned = name.strip(" ,;:–—―-\u00a0")
    cleaned = re.sub(r"^(?:and|but|or|rather|so)\b[\s,]*", "", cleaned, flags=re.I)
    cut = _CLAUSE.search(cleaned)
    if cut is not None and cut.start() > 0:
        cleaned = cleaned[:cut.start()]
    if re.fullmatch(r"(?:at|in|on|of|for|to|by|with|from)?", cleaned.lower()):
        return None  # ", at which the …": a clause, no one
    return cleaned


def _role(ctx: Context, it: Item) -> tuple[str | None, str | None]:
    """The role and affiliation to show with a quote: those the article gives its speaker (a person;
    organisations and groups have none), wherever in the article. Of several titles, one that is more
    than a military rank, then one stated with the full name, then one with its body, then the first;
    a body stated with the same title elsewhere, else the one organisation the title's sentence names,
    fills a missing affiliation."""
    c = it.cluster
    if c is None or c.type != "PERSON":
        return None, None
    facts = [f for f in ctx.roles.get(c.id, []) if f.title]
    if not facts:
        return None, None
    full = [(m.start, m.end) for m in c.mentions if m.named and len(m.name_words) >= 2]

    def rank(n_f: tuple[int, RoleFact]) -> tuple[bool, bool, bool, int]:
        n, f = n_f
        with_name = any(f.start <= s and e <= f.end for s, e in full)
        return _rank_only(f.title), not with_name, f.affiliation is None, n

    best = min(enumerate(facts), key=rank)[1]
    affiliation = best.affiliation or next((f.affiliation for f in facts if f.affiliation and f.title
                                            and f.title.lower() == (best.title or "").lower()), None)
    return best.title, affiliation or sentence_organisation(ctx.doc, ctx.idx, best.start)


def _rank_only(title: str | None) -> bool:
    """Whether a title is nothing but a military rank ("Rear Admiral", "Gen")."""
    return bool(title) and all(w.lower() in words("military_ranks") for w in (title or "").split())


def quotes(ctx: Context, items: list[Item]) -> list[Quote]:
    """The quotes of the assembled items, disjoint, in text order (claims are the next stage's)."""
    doc, out = ctx.doc, []
    for it in items:
        c, f = it.cluster, it.frame
        role, affiliation = _role(ctx, it)
        cue = cue_s = cue_e = None
        if f is not None and it.rule not in ("same-paragraph", "inherited"):
            cue, cue_s, cue_e = f.cue_text(doc), doc.words[f.cue_first].start, doc.words[f.cue_last].end
        mention = it.mention if f is not None else None
        conf = it.confidence if it.confidence is not None else 0.0
        out.append(Quote(start=it.start, end=it.end, content=ctx.text[it.start:it.end], kind=cast(QuoteKind, it.kind),
                  speaker=speaker_name(c.name) if c else None, speaker_type=cast(SpeakerType, c.type) if c else None,
                  speaker_mention=mention[2] if mention else None,
                  speaker_start=mention[0] if mention else None, speaker_end=mention[1] if mention else None,
                  cue=cue, cue_start=cue_s, cue_end=cue_e,
                  role=role, affiliation=affiliation,
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
