"""The candidates for a quote's speaker, and what the article says about each of them.

The sieves decide one speaker per quote; this module lists who else it could be and describes every
candidate with the features a learned ranker weighs (:mod:`attribution.speakers.resolver`). Candidates
are, in the manner of mention-ranking coreference (Denis and Baldridge, 2008): the sieves' choice, the
previous quote's speaker, the entities named in the quote's paragraph, the two before it and the quote's
own sentences, and any entity whose name is a fuller form of the sieves' choice ("Rina Patel" for
"Patel"). Features are about the quote (the rule that decided it, its kind, the form of its mention) and
about the candidate (its type, how it is named, how near and how often, whether it spoke before, whether
it agrees with a pronoun, whether the article gives it a title). All are numbers, computed from the parse
and the sieves' output alone, so the same article gives the same features alone or in a batch.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from dataclasses import dataclass

from ..text.predicates import is_speech_pronoun
from ..wordlists import words
from .assembly import Item
from .context import Context
from .coreference import WANTED_BY_PRONOUN, compatible, is_subject
from .entities import Cluster, Mention

#: How many paragraphs before the quote's own an entity may be named in to be a candidate.
PARAGRAPHS_BACK = 2
#: At most this many candidates besides the sieves' choice, the nearest first.
MAX_CANDIDATES = 8


@dataclass(frozen=True)
class Candidate:
    """One entity that may have said a quote, with its features (name -> value)."""

    cluster: Cluster
    features: dict[str, float]


def _words(name: str) -> list[str]:
    return [w for w in name.lower().replace(".", " ").split() if w != "the"]


def _contains(longer: list[str], shorter: list[str]) -> bool:
    """Whether ``shorter`` is a run of words inside ``longer`` (and shorter than it)."""
    n = len(shorter)
    return 0 < n < len(longer) and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


@dataclass
class _Article:
    """What every quote's candidates read of the article, computed once: the entities with mentions, their
    name words, the order they are first named in, their rank by mentions, and the mentions outside quote
    marks in text order with their paragraph and sentence."""

    live: list[Cluster]
    words: dict[int, list[str]]
    first_seen: dict[int, int]
    by_size: dict[int, int]
    placed: list[tuple[int, int, Mention, Cluster]]  # (paragraph, sentence, mention, entity), by start
    paras: list[int]
    style: dict[str, float]

    @classmethod
    def of(cls, ctx: Context, items: list[Item]) -> _Article:
        live = [c for c in ctx.idx.clusters if c.mentions]
        placed = sorted(((ctx.doc.words[m.first].para, ctx.doc.words[m.first].sent, m, c) for c in live
                         for m in c.mentions if m.first not in ctx.quoted and not _in_credit(ctx, m)),
                        key=lambda p: (p[2].start, p[3].id))
        first = sorted(live, key=lambda c: (min(m.start for m in c.mentions), c.id))
        return cls(live=live, words={c.id: _words(c.name) for c in live},
                   first_seen={c.id: n for n, c in enumerate(first)},
                   by_size={c.id: n for n, c in enumerate(sorted(live, key=lambda c: (-len(c.mentions), c.id)))},
                   placed=placed, paras=[p[0] for p in placed], style=_style(ctx, live, items))


def _in_credit(ctx: Context, m: Mention) -> bool:
    """A name in a photo or byline credit, "(Jo Doe / Harbour News)", "Jo Doe/Reuters": it names who took
    the picture or wrote the story, never someone nearby who speaks, so it places no candidate."""
    words = ctx.doc.words
    after = words[m.last + 1].text if m.last + 1 < len(words) else ""
    before = words[m.first - 1].text if m.first > 0 else ""
    return after == "/" or before == "/" and after in (")", "")


def _style(ctx: Context, live: list[Cluster], items: list[Item]) -> dict[str, float]:
    """What kind of article it is, for every candidate: how long, in how many paragraphs, how many quotes and
    how many of them direct or attributed with a present-tense "says", how many entities are names rather
    than descriptions. News of different kinds (wire copy, long political features, conflict reports) are
    not equally easy, and the confidence should know which it reads."""
    n = max(len(items), 1)
    doc = ctx.doc
    paras = max(len(doc.paras), 1)
    says = sum(it.frame is not None and doc.words[it.frame.cue_first].feat("Tense") == "Pres" for it in items)
    return {"article.log_quotes": math.log1p(len(items)),
            "article.direct_share": sum(it.kind == "direct" for it in items) / n,
            "article.named_share": sum(any(m.named for m in c.mentions) for c in live) / max(len(live), 1),
            "article.log_words": math.log1p(len(doc.words)), "article.words_per_paragraph": len(doc.words) / paras,
            "article.quotes_per_paragraph": len(items) / paras, "article.present_cue_share": says / n}


def mention_form(ctx: Context, it: Item) -> str:
    """How the quote's own mention names its speaker: ``pronoun``, ``name``, ``description`` or ``none``."""
    if it.mention is None or it.frame is None:
        return "none"
    if it.frame.source is not None and is_speech_pronoun(ctx.doc.words[it.frame.source]):
        return "pronoun"
    s, e, _ = it.mention
    m = next((m for m in ctx.idx.mentions if m.start <= s and e <= m.end or s <= m.start and m.end <= e), None)
    return "name" if m is not None and m.named else "description"


def _outside_quotes(ctx: Context, m: Mention) -> bool:
    return m.first not in ctx.quoted


def _pool(ctx: Context, art: _Article, items: list[Item], k: int) -> list[Cluster]:
    """Who may have said item ``k``: the sieves' choice first, then the others, nearest first."""
    it = items[k]
    doc = ctx.doc
    span = doc.words_in(it.start, it.end)
    last_sent = doc.words[span.stop - 1].sent if len(span) else doc.words[doc.word_before(it.start) or 0].sent
    near: dict[int, tuple[int, Cluster]] = {}
    for _para, sent, m, c in art.placed[bisect_left(art.paras, it.para - PARAGRAPHS_BACK):]:
        if sent > last_sent:
            break
        if it.start <= m.start < it.end:
            continue  # named inside the quote's own words: what it is about, rarely who says it
        dist = abs(m.start - it.start)
        if c.id not in near or dist < near[c.id][0]:
            near[c.id] = (dist, c)
    chosen = it.cluster
    pool = [c for _, c in sorted(near.values(), key=lambda dc: (dc[0], dc[1].id)) if c is not chosen]
    prev = items[k - 1].cluster if k > 0 else None
    if prev is not None and prev is not chosen and prev not in pool:
        pool.insert(0, prev)
    if chosen is not None:
        rule_words = art.words.get(chosen.id) or _words(chosen.name)
        fuller = [c for c in art.live if c is not chosen and c.type == chosen.type
                  and _contains(art.words[c.id], rule_words)]
        pool = fuller + [c for c in pool if c not in fuller]
    lemma = _pronoun(ctx, it)
    if lemma is not None:  # "he said": only someone a "he" can be (the sieves' own test of agreement)
        pool = [c for c in pool if compatible(ctx, c, lemma)]
    pool = [c for c in pool if c.mentions][:MAX_CANDIDATES]
    return ([chosen] if chosen is not None else []) + pool


def _pronoun(ctx: Context, it: Item) -> str | None:
    """The lemma of the pronoun that is the quote's source ("he", "she", "they", "it"), if it is one."""
    if it.frame is None or it.frame.source is None:
        return None
    w = ctx.doc.words[it.frame.source]
    lemma = w.lemma.lower()
    return lemma if w.upos == "PRON" and lemma in WANTED_BY_PRONOUN and lemma != "person" else None


def candidates(ctx: Context, items: list[Item]) -> list[list[Candidate]]:
    """Every candidate speaker of every quote with its features, the sieves' choice (if any) first.

    Quotes are described against the sieves' decisions (who spoke before is who the sieves said), so that
    all of an article's candidates can be scored in one batch, as in training."""
    art = _Article.of(ctx, items)
    spoke: dict[int, int] = {}
    out = []
    for k, it in enumerate(items):
        form = mention_form(ctx, it)
        pool = []
        for c in _pool(ctx, art, items, k):
            f = _features(ctx, art, items, k, c, form, spoke)
            f.update(_relative_features(it, c, art.words[c.id], art.by_size.get(c.id, 99)))
            f.update(art.style)
            pool.append(Candidate(c, f))
        out.append(pool)
        if it.cluster is not None:
            spoke[it.cluster.id] = spoke.get(it.cluster.id, 0) + 1
    return out


def _relative_features(it: Item, c: Cluster, name: list[str], size_rank: int) -> dict[str, float]:
    """The candidate against the article's other entities and against the quote's own mention: how
    prominent it is, and whether the mention's words are part of its name ("Trump" of "Donald Trump")."""
    f = {"log_size_rank": math.log1p(size_rank), "most_mentioned": float(size_rank == 0)}
    chosen = it.cluster
    if chosen is not None and chosen is not c:
        f["log_mentions_vs_rule"] = math.log1p(len(c.mentions)) - math.log1p(len(chosen.mentions))
    if it.mention is not None:
        said = [w for w in _words(it.mention[2]) if w[:1].isalpha()]
        f["mention_in_name"] = float(bool(said) and all(w in name for w in said))
        f["mention_shares_word"] = float(bool(set(said) & set(name)))
    return f


def _quote_features(it: Item, form: str, is_rule: bool) -> dict[str, float]:
    """What the quote itself says, apart for the sieves' choice and for an alternative (so that a weak
    rule can lend weight to the alternatives and a strong one to its own choice)."""
    side = "rule" if is_rule else "alt"
    f = {f"{side}.rule={it.rule}": 1.0, f"{side}.kind={it.kind}": 1.0, f"{side}.form={form}": 1.0,
         f"{side}.bias": 1.0}
    first = it.mention[2].split()[:1] if it.mention is not None else []
    if first and first[0].lower() in words("indefinite_determiners"):
        f[f"{side}.indefinite_mention"] = 1.0  # "a local shopkeeper said": someone new, not someone named before
    return f


def _distance_features(ctx: Context, it: Item, c: Cluster) -> dict[str, float]:
    """How near the quote the candidate is named, outside quotation marks."""
    doc = ctx.doc
    q_first = doc.words_in(it.start, it.end)
    q_sent = doc.words[q_first.start].sent if len(q_first) else 0
    q_last_sent = doc.words[q_first.stop - 1].sent if len(q_first) else q_sent
    before = [m for m in c.mentions if m.end <= it.start and _outside_quotes(ctx, m)]
    after_same = [m for m in c.mentions if m.start >= it.end and doc.words[m.first].sent <= q_last_sent
                  and _outside_quotes(ctx, m)]
    inside = [m for m in c.mentions if it.start <= m.start and m.end <= it.end]
    f: dict[str, float] = {"after_in_sentence": float(bool(after_same)), "inside_quote": float(bool(inside))}
    if before:
        m = max(before, key=lambda m: m.start)
        sents = q_sent - doc.words[m.first].sent
        paras = it.para - doc.words[m.first].para
        f.update({"before.log_sentences": math.log1p(max(sents, 0)), "before.same_sentence": float(sents <= 0),
                  "before.same_paragraph": float(paras <= 0), "before.log_paragraphs": math.log1p(max(paras, 0)),
                  # the one the sentence before is about: "Pellin grew up here. “…”"
                  "before.subject_of_previous_sentence": float(sents == 1 and is_subject(ctx, m))})
    else:
        f["never_before"] = 1.0
    return f


def _name_features(ctx: Context, c: Cluster) -> dict[str, float]:
    """How the article names the candidate, and how often."""
    named = [m for m in c.mentions if m.named]
    longest = max((len(m.name_words) for m in c.mentions), default=0)
    titled = any(f.title for f in ctx.roles.get(c.id, []))
    return {f"type={c.type}": 1.0, "named": float(bool(named)), "name_words=1": float(longest == 1),
            "name_words=2": float(longest == 2), "name_words>=3": float(longest >= 3),
            "log_mentions": math.log1p(len(c.mentions)), "has_title": float(titled),
            "acronym": float(c.acronym is not None)}


def _agreement(ctx: Context, it: Item, c: Cluster, form: str) -> dict[str, float]:
    """Whether a pronoun mention agrees with the candidate's gender (from the article's evidence)."""
    if form != "pronoun" or it.frame is None or it.frame.source is None:
        return {}
    lemma = ctx.doc.words[it.frame.source].lemma.lower()
    want = {"he": "m", "she": "f"}.get(lemma)
    if lemma in ("they", "we"):
        return {"plural_pronoun.person": float(c.type == "PERSON")}
    if want is None or c.gender is None:
        return {"gender_unknown": 1.0}
    return {"gender_agrees": float(c.gender.lower().startswith(want)),
            "gender_disagrees": float(not c.gender.lower().startswith(want))}


def _features(ctx: Context, art: _Article, items: list[Item], k: int, c: Cluster, form: str,
              spoke: dict[int, int]) -> dict[str, float]:
    it = items[k]
    chosen = it.cluster
    is_rule = c is chosen
    f = {"is_rule": float(is_rule), **_quote_features(it, form, is_rule), **_name_features(ctx, c),
         **_distance_features(ctx, it, c), **_agreement(ctx, it, c, form)}
    prev = items[k - 1].cluster if k > 0 else None
    f["previous_speaker"] = float(prev is c)
    f["log_spoke_before"] = math.log1p(spoke.get(c.id, 0))
    f["log_first_seen_rank"] = math.log1p(art.first_seen.get(c.id, 99))
    if chosen is not None and not is_rule:
        cw, rw = art.words[c.id], art.words.get(chosen.id) or _words(chosen.name)
        f["fuller_name_of_rule"] = float(_contains(cw, rw))
        f["part_of_rule_name"] = float(_contains(rw, cw))
        f["shares_a_name_word"] = float(bool(set(cw) & set(rw)))
    return f
