"""The sex of each person, from the article's own evidence: no lists of first names.

Three kinds of evidence, voted per entity: the subject, possessive and reflexive pronouns of sentences
that name only that person and open with the name ("Jo Doe left early. She …" counts; "When Jo Doe
left, she …" does not); a kinship noun right before the name ("her brother Paul"); a gendered noun among
the roles the article gives ("Katy Barnett, a spokeswoman for …"). Honorifics ("Mrs") were read with
the names (:mod:`attribution.speakers.entities`).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from ..text.predicates import count_words
from ..wordlists import mapping, words
from .context import Context


@lru_cache(maxsize=1)
def gendered_nouns() -> Mapping[str, str]:
    """Nouns for people that say their sex, kinship nouns included ("spokeswoman", "brother")."""
    return MappingProxyType({**mapping("kinship_gender"), **mapping("gendered_nouns")})


def infer_genders(ctx: Context) -> None:
    """Set the gender of each person cluster that the votes decide."""
    votes: dict[int, list[int]] = {}
    _pronoun_votes(ctx, votes)
    _kinship_votes(ctx, votes)
    _role_votes(ctx, votes)
    for cid, (male, female) in votes.items():
        c = ctx.idx.clusters[cid]
        if c.gender is None and male != female:
            c.gender = "M" if male > female else "F"


def _pronoun_votes(ctx: Context, votes: dict[int, list[int]]) -> None:
    """The pronouns after the name in sentences that name only one person and open with that name."""
    doc = ctx.doc
    by_sent: dict[int, set[int]] = {}
    lead: dict[int, int] = {}  # sentence -> first word of its only person's first mention
    for m in ctx.idx.mentions:
        if m.type == "PERSON" and m.name_words and m.first not in ctx.quoted and m.entity is not None:
            si = doc.words[m.first].sent
            by_sent.setdefault(si, set()).add(m.entity)
            lead[si] = min(lead.get(si, m.first), m.first)
    for si, ents in by_sent.items():
        if len(ents) != 1:
            continue
        first, last = doc.sents[si]
        # only pronouns after the name, when the name opens the sentence (its subject, as a rule):
        # in "He ordered a weeping Jayme to …" the "he" is someone else
        before = [doc.words[k] for k in range(first, lead[si])]
        if count_words(before) > 3 or any(w.upos == "SCONJ" or w.lemma in words("subordinators") for w in before):
            continue  # "When Jo Doe left, she …": the name is in a subordinate clause, "she" another
        v = votes.setdefault(next(iter(ents)), [0, 0])
        male, female = _pronouns(ctx, lead[si], last)
        v[0] += male
        v[1] += female


def _pronouns(ctx: Context, first: int, last: int) -> tuple[int, int]:
    """Male and female subject, possessive and reflexive pronouns outside quotations: an object
    ("dragged her", "told him") is as a rule someone other than the sentence's subject."""
    male = female = 0
    for k in range(first, last + 1):
        w = ctx.doc.words[k]
        sex = mapping("gendered_pronouns").get(w.text.lower())
        if k in ctx.quoted or sex is None or w.text.lower() == "her" and w.feat("Poss") != "Yes":
            continue
        male += sex == "M"
        female += sex == "F"
    return male, female


def _kinship_votes(ctx: Context, votes: dict[int, list[int]]) -> None:
    """"her brother Paul", "his wife Ana": a kinship noun right before a name says its gender."""
    for m in ctx.idx.mentions:
        if m.type == "PERSON" and m.first > 0 and m.entity is not None:
            g = mapping("kinship_gender").get(ctx.doc.words[m.first - 1].lemma)
            if g:
                votes.setdefault(m.entity, [0, 0])[0 if g == "M" else 1] += 3


def _role_votes(ctx: Context, votes: dict[int, list[int]]) -> None:
    """"Katy Barnett, a spokeswoman for …": a gendered noun among the roles the article gives."""
    nouns = gendered_nouns()
    for cid, facts in ctx.roles.items():
        for fact in facts:
            g = nouns.get(fact.title.lower().split()[-1]) if fact.title else None
            if g:
                votes.setdefault(cid, [0, 0])[0 if g == "M" else 1] += 3
