"""Which speakers a typed name finds: any whole run of words of a name or alias, then "did you mean".

A fact-checker types what they remember: a surname, a first name, a first name and surname, an acronym, a
name without its accents. :func:`match_speakers` finds every speaker with a name or alias that contains
the query as a whole run of words, ignoring case, accents and punctuation (``normalise``): "Mujahid",
"zabihullah" and "Zabihullah Mujahid" all find Zabihullah Mujahid, "Massoud" finds Ahmad Massoud and
Ahmad Shah Massoud, "NRF" finds the National Resistance Front that an article defined as "(NRF)".

The ``speaker_term`` table makes that one index lookup. For every speaker row it holds:

* ``FULL``: the speaker's normalised name;
* ``ALIAS``: every normalised name the speaker went by in an article;
* ``RUN``: every run of 1 to :data:`MAX_RUN` consecutive words of those (a longer query is looked up by
  its first words and checked against the whole names);
* ``PREFIX``/``SUFFIX``: the first and last three letters of each word of those, so that "did you mean"
  scores a few hundred candidates instead of every name in the store.

Terms are written in the transaction that creates a speaker or alias (:func:`add_names`) and rebuilt for
speakers whose aliases a re-extraction or a split removed (:func:`reindex`). Merges need nothing: terms
belong to speaker rows, and a match reports the row's canonical speaker.

Ranking, best first: a shared speaker whose full name *is* the query (tier 0); one with an alias, or an
article-local name, equal to it (tier 1); one whose name or alias contains it (tier 2); then most quoted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, and_, delete, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store.models import SPEAKER_TYPES, Speaker, SpeakerAlias, SpeakerTerm, pk
from ..store.names import normalise, normalise_name
from ..store.sql import dialect_insert, table_of

FULL, ALIAS, RUN, PREFIX, SUFFIX = range(5)
#: Longest run of words stored as a term; names longer than this are still found (see the module docstring).
MAX_RUN = 4
#: Words of a name that get terms at all: anything longer is a description or garbage, not a name.
MAX_WORDS = 16
#: How many speakers one query may match (a first name shared by thousands still answers quickly).
MAX_MATCHES = 2000
#: "did you mean": candidates scored, and the rapidfuzz WRatio score (0-100) a suggestion needs.
FUZZY_CANDIDATES = 300
FUZZY_CUTOFF = 75


@dataclass
class SpeakerMatch:
    """A canonical speaker a query found, how well (``tier``, 0 best) and how often quoted."""

    id: int
    name: str
    type: str
    tier: int
    quotes: int
    article_id: int | None = None


def query_forms(query: str) -> set[str]:
    """The normalised forms of what a user typed: as is, without honorifics ("Mr"), without a leading "the"."""
    forms = {normalise(query)} | {normalise_name(query, t) for t in SPEAKER_TYPES}
    forms.discard("")
    return forms


def terms_of(norm: str, kind: int) -> set[tuple[str, int]]:
    """The terms one normalised name (``kind`` FULL or ALIAS) contributes."""
    words = norm.split()[:MAX_WORDS]
    if not words:
        return set()
    terms = {(norm, kind)}
    for size in range(1, min(MAX_RUN, len(words)) + 1):
        terms.update((" ".join(words[i:i + size]), RUN) for i in range(len(words) - size + 1))
    for word in words:
        if len(word) >= 3:
            terms.add((word[:3], PREFIX))
            terms.add((word[-3:], SUFFIX))
    return terms


def _insert_ignore(bind: Session | Connection, rows: list[dict]) -> None:
    """Insert term rows, skipping those already there; sorted, so concurrent writers lock in one order."""
    if not rows:
        return
    rows.sort(key=lambda r: (r["term"], r["kind"], r["speaker_id"]))
    # One statement executed for many rows (the driver's executemany), on the table rather than the ORM
    # class: compiling a multi-row VALUES clause costs more than the insert (most of an article's write).
    bind.execute(dialect_insert(bind)(table_of(SpeakerTerm)).on_conflict_do_nothing(), rows)


def add_names(session: Session, names: Iterable[tuple[int, str, int]]) -> None:
    """Index ``(speaker_id, normalised name, FULL or ALIAS)`` triples (existing terms are kept)."""
    rows = {(term, kind, sid) for sid, norm, name_kind in names for term, kind in terms_of(norm, name_kind)}
    _insert_ignore(session, [{"term": t, "kind": k, "speaker_id": sid} for t, k, sid in rows])


def reindex(session: Session, speaker_ids: Iterable[int]) -> None:
    """Rebuild the terms of these speakers from their name and the aliases they still have."""
    ids = sorted(set(speaker_ids))
    if not ids:
        return
    session.execute(delete(SpeakerTerm).where(col(SpeakerTerm.speaker_id).in_(ids)))
    add_names(session, _names_of(session, ids))


def _names_of(bind: Session | Connection, ids: list[int] | None) -> list[tuple[int, str, int]]:
    """``(speaker_id, norm, kind)`` for the given speaker rows (every row when ``ids`` is None)."""
    names = select(col(Speaker.id), col(Speaker.norm_name))
    aliases = select(col(SpeakerAlias.speaker_id), col(SpeakerAlias.norm_alias)).distinct()
    if ids is not None:
        names = names.where(col(Speaker.id).in_(ids))
        aliases = aliases.where(col(SpeakerAlias.speaker_id).in_(ids))
    out = [(pk(sid), norm, FULL) for sid, norm in bind.execute(names)]
    out += [(sid, norm, ALIAS) for sid, norm in bind.execute(aliases)]
    return out


def rebuild(conn: Connection) -> int:
    """Recompute every speaker's terms (migrations and bulk loads); returns the number of term rows."""
    conn.execute(delete(SpeakerTerm))
    rows = {(term, kind, sid) for sid, norm, name_kind in _names_of(conn, None)
            for term, kind in terms_of(norm, name_kind)}
    _insert_ignore(conn, [{"term": t, "kind": k, "speaker_id": sid} for t, k, sid in rows])
    return len(rows)


_canon = func.coalesce(Speaker.merged_into_id, Speaker.id)


def match_speakers(session: Session, query: str) -> list[SpeakerMatch]:
    """Canonical speakers with a name or alias containing ``query`` as a whole run of words, best first."""
    forms = query_forms(query)
    if not forms:
        return []
    short = {f for f in forms if len(f.split()) <= MAX_RUN}
    long = forms - short
    conds = []
    if short:
        conds.append(and_(col(SpeakerTerm.term).in_(short), col(SpeakerTerm.kind) <= RUN))
    if long:
        conds.append(and_(col(SpeakerTerm.term).in_({" ".join(f.split()[:MAX_RUN]) for f in long}),
                          col(SpeakerTerm.kind) == RUN))
        conds.append(and_(col(SpeakerTerm.term).in_(long), col(SpeakerTerm.kind) <= ALIAS))
    hits = session.execute(
        select(col(SpeakerTerm.speaker_id), col(SpeakerTerm.term), col(SpeakerTerm.kind),
               col(Speaker.article_id), _canon)
        .join(Speaker, col(Speaker.id) == col(SpeakerTerm.speaker_id)).where(or_(*conds))
        .order_by(col(SpeakerTerm.kind)).limit(MAX_MATCHES * 4)).all()  # best kinds first, should the cap bite
    if long:
        hits = _whole_runs(session, hits, long)
    tiers: dict[int, int] = {}
    for _sid, term, kind, article_id, cid in hits:
        tier = (0 if article_id is None else 1) if kind == FULL else 1 if kind == ALIAS else 2
        if term not in forms:  # a long query's first words: a contained run at best
            tier = 2
        tiers[cid] = min(tiers.get(cid, 2), tier)
    return ranked_speakers(session, tiers)


def _whole_runs(session: Session, hits: Sequence[Any], long: set[str]) -> list[Any]:
    """Keep the hits of a query longer than MAX_RUN words whose speaker has a name containing it whole."""
    ids = sorted({h[0] for h in hits if h[2] == RUN})
    names: dict[int, list[str]] = {}
    for sid, term in session.execute(select(col(SpeakerTerm.speaker_id), col(SpeakerTerm.term))
                                     .where(col(SpeakerTerm.speaker_id).in_(ids), col(SpeakerTerm.kind) <= ALIAS)):
        names.setdefault(sid, []).append(f" {term} ")
    keep = [h for h in hits if h[2] != RUN]
    for h in hits:
        if h[2] == RUN and any(f" {q} " in n for q in long for n in names.get(h[0], [])):
            keep.append(h)
    return keep


def ranked_speakers(session: Session, tiers: dict[int, int]) -> list[SpeakerMatch]:
    """Matches for these canonical ids and tiers, best tier first, then most quoted, then by name."""
    if not tiers:
        return []
    ids = sorted(tiers)[:MAX_MATCHES * 4]
    merged = dict(session.execute(select(col(Speaker.merged_into_id), func.sum(col(Speaker.quote_count)))
                                  .where(col(Speaker.merged_into_id).in_(ids)).group_by(col(Speaker.merged_into_id))).all())
    rows = session.execute(select(col(Speaker.id), col(Speaker.name), col(Speaker.type),
                                  col(Speaker.article_id), col(Speaker.quote_count))
                           .where(col(Speaker.id).in_(ids))).all()
    found = [SpeakerMatch(pk(sid), name, stype, tiers[pk(sid)], n + int(merged.get(sid) or 0), aid)
             for sid, name, stype, aid, n in rows]
    found.sort(key=lambda m: (m.tier, -m.quotes, m.name, m.id))
    return found[:MAX_MATCHES]


def suggest(session: Session, query: str, limit: int = 3) -> list[SpeakerMatch]:
    """Speakers whose name or alias is close to ``query`` ("did you mean"), best first.

    Candidates share a word's first or last three letters with the query (a typo seldom changes both ends
    of a word); the few hundred that share most are scored with rapidfuzz's WRatio.
    """
    words = [w for w in normalise(query).split() if len(w) >= 3]
    if not words:
        return []
    keyed = or_(and_(col(SpeakerTerm.kind) == PREFIX, col(SpeakerTerm.term).in_({w[:3] for w in words})),
                and_(col(SpeakerTerm.kind) == SUFFIX, col(SpeakerTerm.term).in_({w[-3:] for w in words})))
    shared = func.count()
    candidates = list(session.scalars(select(col(SpeakerTerm.speaker_id)).where(keyed)
                                      .group_by(col(SpeakerTerm.speaker_id))
                                      .order_by(shared.desc(), col(SpeakerTerm.speaker_id)).limit(FUZZY_CANDIDATES)))
    if not candidates:
        return []
    names: dict[str, set[int]] = {}
    for cid, term in session.execute(select(_canon, col(SpeakerTerm.term))
                                     .join(Speaker, col(Speaker.id) == col(SpeakerTerm.speaker_id))
                                     .where(col(SpeakerTerm.speaker_id).in_(candidates),
                                            col(SpeakerTerm.kind) <= ALIAS)):
        names.setdefault(term, set()).add(cid)
    best: dict[int, float] = {}
    for term, score, _ in process.extract(normalise(query), list(names), scorer=fuzz.WRatio, limit=limit * 4,
                                          score_cutoff=FUZZY_CUTOFF):
        for cid in names[term]:
            best[cid] = max(best.get(cid, 0.0), score)
    ranked = ranked_speakers(session, {cid: 3 for cid in best})
    ranked.sort(key=lambda m: (-best[m.id], -m.quotes, m.name, m.id))
    return ranked[:limit]
