"""Finding the speaker row a name in an article belongs to, and a speaker's merge group.

See :mod:`db.store.names` for the identity policy. Lookup order for a name in article A: a speaker scoped to
A (an article-local name, or one a manual split pinned to A), then the global speaker of that name.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, union
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store.models import SPEAKER_TYPES, Speaker, pk
from ..store.names import display_name, is_global_name, normalise_name, speaker_key


def speaker_type(value: str | None) -> str:
    """A type the store knows (``PERSON`` when the extractor gave none or something else)."""
    return value if value in SPEAKER_TYPES else "PERSON"


def _keys(name: str, stype: str, article_id: int) -> tuple[str, list[str]]:
    """A name's normal form and the speaker keys it is looked up under, scoped key first (the name as
    the store shows it: :func:`~db.store.names.display_name`, "Taliban", not "the Taliban")."""
    name = display_name(name, stype)
    norm = normalise_name(name, stype)
    if not norm:
        return norm, []
    scoped = speaker_key(norm, stype, article_id)
    return norm, [scoped] + ([speaker_key(norm, stype)] if is_global_name(name, stype) else [])


def prefetch_speakers(session: Session, names: Iterable[tuple[str | None, str | None]], article_id: int,
                      cache: dict[str, Speaker]) -> set[str]:
    """Look up the speakers of many names of one article in one query; returns the keys looked up.

    The rows found go into ``cache``; :func:`resolve_for_article` given the returned keys as ``known``
    then needs no query of its own for these names (an article names dozens of people and bodies, and
    a query per name, each flushing the session first, was most of the time spent writing an article).
    """
    keys: set[str] = set()
    for name, stype in names:
        if name and name.strip():
            keys.update(_keys(name, speaker_type(stype), article_id)[1])
    wanted = sorted(keys - set(cache))
    for k in range(0, len(wanted), 500):  # bounded IN lists
        for sp in session.scalars(select(Speaker).where(col(Speaker.key).in_(wanted[k:k + 500]))):
            cache.setdefault(sp.key, sp)
    return keys


def resolve_for_article(session: Session, name: str, stype: str | None, article_id: int,
                        cache: dict[str, Speaker], known: set[str] | None = None,
                        flush: bool = True) -> tuple[Speaker | None, bool]:
    """The speaker row for ``name`` as it appears in an article, created if needed: ``(speaker, created)``.

    A new row is named as the store shows names (:func:`~db.store.names.display_name`: "Taliban", not "the
    Taliban"); the caller indexes its name for search (:mod:`db.index.name_index`). ``known``: keys
    :func:`prefetch_speakers` already looked up (whatever it found is in ``cache``), so they are not queried
    again. ``flush=False`` leaves a new row unflushed (no id yet): the caller flushes once for many.
    """
    stype = speaker_type(stype)
    name = display_name(name, stype)
    norm, keys = _keys(name, stype, article_id)
    if not keys:
        return None, False
    for key in keys:
        if key in cache:
            return cache[key], False
    if known is None or not set(keys) <= known:
        found = {sp.key: sp for sp in session.scalars(select(Speaker).where(col(Speaker.key).in_(keys)))}
        for key in keys:
            if key in found:
                cache[key] = found[key]
                return found[key], False
    key = keys[-1]
    speaker = Speaker(key=key, type=stype, name=name.strip(), norm_name=norm,
                      article_id=article_id if key == keys[0] else None)
    session.add(speaker)
    if flush:
        session.flush()
    cache[key] = speaker
    return speaker, True


def canonical_id(speaker: Speaker) -> int:
    """The id a speaker's quotes are reported under (its merge target, or itself)."""
    return speaker.merged_into_id or pk(speaker.id)


def group_ids(session: Session, canonical_ids: Iterable[int]) -> list[int]:
    """Every speaker row that reports under these canonical ids (themselves and what was merged into them)."""
    ids = list(set(canonical_ids))
    if not ids:
        return []
    # A UNION, not an OR: SQLite answers "id IN … OR merged_into_id IN …" by scanning every speaker.
    rows = session.scalars(union(select(col(Speaker.id)).where(col(Speaker.id).in_(ids)),
                                 select(col(Speaker.id)).where(col(Speaker.merged_into_id).in_(ids))))
    return sorted({pk(r) for r in rows})
