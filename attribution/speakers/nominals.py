"""Subjects written as common nouns become mentions, so that a later pronoun can refer to them.

"The mayor said …. He added …": "the mayor" is the one person the article gave that title, or a
description of its own; "officials", "the ministry" and "its board" likewise, so that "they" and "it"
find them (the entity stage's last step, with the mention sieves of :mod:`attribution.speakers.sieves`).
"""

from __future__ import annotations

from ..text.predicates import title_words
from ..wordlists import words
from .context import Context
from .mentions import title_holder
from .sieves import source_mention


def register_nominal_subjects(ctx: Context) -> None:
    """Add a mention for each definite or possessed common-noun subject ("the mayor", "officials",
    "the ministry", "its board") outside quotations and furniture."""
    doc = ctx.doc
    for w in doc.words:
        nominal = w.upos == "NOUN" or w.upos == "ADJ" and w.lemma in words("org_nouns")  # "the military" as ADJ
        if w.deprel not in ("nsubj", "nsubj:pass") or not nominal or w.i in ctx.quoted:
            continue
        if ctx.idx.mention_covering(w.i, w.i) is not None or w.para in ctx.skip_paras:
            continue
        if title_holder(ctx, w.i) is None and (w.feat("Number") == "Plur" or w.lemma in words("org_nouns") or
                                               w.lemma in title_words()) and any(
                doc.words[c].lemma in ("the", "its", "their") for c in doc.kids(w.i, "det", "nmod:poss")):
            source_mention(ctx, w.i)
