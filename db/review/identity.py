"""Correcting speaker identity by hand: merge, unmerge, split. Every change is an audit event.

* ``merge(A, B)`` points B (and whatever was merged into B) at A. Rows are not moved, so
  ``unmerge(B)`` restores exactly the state before, using the merge's audit event.
* ``split(S, article=ID)`` gives S's quotes, roles and aliases in one article to a new speaker scoped
  to that article. Ingest looks scoped speakers up first, so the split survives re-extraction.
* ``split(S, alias=NAME)`` detaches a speaker merged into S under that name, or else moves the quotes
  attributed under that name (and the alias) to a new speaker. A re-extraction of those articles
  attributes them by name again. Undo a split with ``merge(S, NEW)``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import IdentityError
from ..index import name_index, speaker_stats
from ..index.speakers import group_ids
from ..search.profiles import resolve_speaker
from ..search.queries import resolve_article
from ..store import audit
from ..store.models import AuditEvent, Quote, Role, Speaker, SpeakerAlias, pk
from ..store.names import display_name, normalise, normalise_name, speaker_key


@dataclass
class IdentityChange:
    """What a merge, unmerge or split did."""

    action: str
    speaker_id: int
    speaker: str
    other_id: int
    other: str
    rows: int


def _quotes_of(session: Session, ids: list[int]) -> int:
    return len(session.scalars(select(col(Quote.id)).where(col(Quote.speaker_id).in_(ids))).all())


def merge(session: Session, target_ref: str, source_ref: str, actor: str | None = None) -> IdentityChange:
    """Make ``source`` (and everything merged into it) report as ``target``."""
    # Names must be exact here (a name or an alias, not a part of one): merging is not a search.
    target, source = resolve_speaker(session, target_ref), resolve_speaker(session, source_ref)
    if target.id == source.id:
        raise IdentityError(f"{target.name!r} and {source.name!r} are already the same speaker (#{target.id}).")
    moved = group_ids(session, [pk(source.id)])
    rows = {s.id: s for s in session.scalars(select(Speaker).where(col(Speaker.id).in_(moved)))}
    previous = {str(i): rows[i].merged_into_id for i in moved}
    session.execute(update(Speaker).where(col(Speaker.id).in_(moved)).values(merged_into_id=target.id))
    audit.record(session, "speaker", target.id, "merge", actor=actor,
                 before={"source": source.id, "merged_into": previous},
                 after={"merged_into": target.id, "moved": moved})
    return IdentityChange("merge", pk(target.id), target.name, pk(source.id), source.name,
                          _quotes_of(session, moved))


def _member(session: Session, ref: str) -> Speaker:
    """A speaker row that is merged into another, by id or by its own name."""
    text = ref.strip().removeprefix("#")
    if text.isdigit() and (row := session.get(Speaker, int(text))) is not None:
        candidates = [row]
    else:
        norms = {normalise_name(ref, t) for t in ("PERSON", "ORG", "GROUP")}
        candidates = list(session.scalars(select(Speaker).where(col(Speaker.norm_name).in_(norms),
                                                                col(Speaker.merged_into_id).is_not(None))))
    merged = [c for c in candidates if c.merged_into_id is not None]
    if not merged:
        raise IdentityError(f"{ref!r} is not merged into another speaker.")
    if len(merged) > 1:
        listed = ", ".join(f"#{c.id} {c.name}" for c in merged[:10])
        raise IdentityError(f"{ref!r} names several merged speakers: {listed}; give the id.")
    return merged[0]


def unmerge(session: Session, ref: str, actor: str | None = None) -> IdentityChange:
    """Undo the merge that joined a speaker to another, restoring what was merged into it before."""
    row = _member(session, ref)
    target = session.get(Speaker, row.merged_into_id)
    assert target is not None
    restore: dict[int, int | None] = {pk(row.id): None}
    events = session.scalars(select(AuditEvent).where(
        col(AuditEvent.entity_type) == "speaker", col(AuditEvent.entity_id) == str(target.id),
        col(AuditEvent.action) == "merge").order_by(col(AuditEvent.id).desc()))
    for event in events:
        moved = (event.after or {}).get("moved", [])
        if row.id in moved:
            previous = (event.before or {}).get("merged_into", {})
            restore = {int(i): previous.get(str(i)) for i in moved}
            break
    current = {pk(s.id): s for s in session.scalars(select(Speaker).where(col(Speaker.id).in_(restore)))}
    # Only rows still pointing at this target go back: later manual changes to others are kept.
    restore = {i: p for i, p in restore.items() if i in current and current[i].merged_into_id == target.id}
    for sid, previous_target in restore.items():
        current[sid].merged_into_id = previous_target
    session.flush()
    audit.record(session, "speaker", row.id, "unmerge", actor=actor,
                 before={"merged_into": target.id}, after={"restored": {str(k): v for k, v in restore.items()}})
    return IdentityChange("unmerge", pk(row.id), row.name, pk(target.id), target.name,
                          _quotes_of(session, sorted(restore)))


def split(session: Session, ref: str, *, alias: str | None = None, article: str | None = None,
          actor: str | None = None) -> IdentityChange:
    """Give part of a speaker to a new one: an article's worth (``article``) or a name's (``alias``)."""
    if (alias is None) == (article is None):
        raise IdentityError("Split by exactly one of --alias or --article.")
    speaker = resolve_speaker(session, ref)
    members = group_ids(session, [pk(speaker.id)])
    if article is not None:
        return _split_article(session, speaker, members, article, actor)
    return _split_alias(session, speaker, members, alias or "", actor)


def _move(session: Session, member_ids: list[int], new_id: int, article_id: int | None = None,
          quote_ids: list[int] | None = None, norm_alias: str | None = None) -> dict[str, list[int]]:
    """Re-point rows of these speakers at ``new_id`` (one article's, or given quotes and one alias)."""
    moved: dict[str, list[int]] = {}
    for name, model in (("quotes", Quote), ("roles", Role), ("aliases", SpeakerAlias)):
        where: list[ColumnElement[bool]] = [col(model.speaker_id).in_(member_ids)]
        if article_id is not None:
            where.append(col(model.article_id) == article_id)
        elif model is Quote:
            where.append(col(Quote.id).in_(quote_ids or []))
        elif model is SpeakerAlias:
            where.append(col(SpeakerAlias.norm_alias) == norm_alias)
        else:
            continue  # roles stay with the speaker when splitting by name
        ids = [pk(i) for i in session.scalars(select(col(model.id)).where(*where))]
        if ids:
            session.execute(update(model).where(col(model.id).in_(ids)).values(speaker_id=new_id))
        moved[name] = ids
    return moved


def _moved(session: Session, speaker_ids: list[int]) -> None:
    """Recount and re-index speakers whose quotes, roles or aliases a split moved (same transaction)."""
    session.flush()
    speaker_stats.recount(session, speaker_ids)
    name_index.reindex(session, speaker_ids)


def _split_article(session: Session, speaker: Speaker, members: list[int], ref: str,
                   actor: str | None) -> IdentityChange:
    art = resolve_article(session, ref)
    involved = sorted({pk(sid) for model in (Quote, Role, SpeakerAlias) for sid in session.scalars(
        select(col(model.speaker_id)).where(col(model.speaker_id).in_(members), col(model.article_id) == art.id))})
    if not involved:
        raise IdentityError(f"{speaker.name!r} has no quotes, roles or aliases in article {art.id}.")
    if involved == [speaker.id] and speaker.article_id == art.id:
        raise IdentityError(f"#{speaker.id} {speaker.name!r} exists only in article {art.id} already; "
                            "use `attribution speakers unmerge` for speakers merged into it.")
    new: Speaker | None = None
    moved: dict[str, list[int]] = {"quotes": [], "roles": [], "aliases": []}
    scoped_ids: list[int] = []
    for sid in involved:
        member = session.get(Speaker, sid)
        assert member is not None
        key = speaker_key(member.norm_name, member.type, art.id)
        scoped = session.scalars(select(Speaker).where(col(Speaker.key) == key)).one_or_none()
        if scoped is None:
            scoped = Speaker(key=key, type=member.type, name=member.name, norm_name=member.norm_name,
                             article_id=art.id)
            session.add(scoped)
            session.flush()
        if new is None:
            new = scoped
        assert scoped.id is not None
        scoped_ids.append(scoped.id)
        scoped.merged_into_id = None if scoped.id == new.id else new.id
        if scoped.id != sid:
            for name, ids in _move(session, [sid], pk(scoped.id), article_id=art.id).items():
                moved[name] += ids
    assert new is not None
    _moved(session, [*involved, *scoped_ids])
    audit.record(session, "speaker", speaker.id, "split", actor=actor,
                 before={"speaker": speaker.id, "article": art.id, "members": involved},
                 after={"new_speaker": new.id, **moved})
    return IdentityChange("split", pk(speaker.id), speaker.name, pk(new.id), new.name,
                          len(moved["quotes"]))


def _split_alias(session: Session, speaker: Speaker, members: list[int], alias: str,
                 actor: str | None) -> IdentityChange:
    norm = normalise(alias)
    if not norm:
        raise IdentityError("--alias needs a name.")
    for sid in members:
        member = session.get(Speaker, sid)
        if sid != speaker.id and member is not None and member.norm_name == normalise_name(alias, member.type):
            return unmerge(session, str(sid), actor)
    if norm in (speaker.norm_name, normalise(speaker.name)):
        raise IdentityError(f"{alias!r} is {speaker.name!r}'s own name: split by --article instead.")
    stype = speaker.type
    norm_alias = normalise_name(alias, stype)
    quote_ids = [pk(qid) for qid, *names in session.execute(
        select(col(Quote.id), col(Quote.speaker_name), col(Quote.speaker_mention))
        .where(col(Quote.speaker_id).in_(members)))
        if norm in {normalise(n) for n in names if n}]
    has_alias = session.scalar(select(col(SpeakerAlias.id)).where(col(SpeakerAlias.speaker_id).in_(members),
                                                             col(SpeakerAlias.norm_alias) == norm_alias).limit(1))
    if not quote_ids and has_alias is None:
        raise IdentityError(f"{speaker.name!r} has no quotes or alias under the name {alias!r}.")
    new = Speaker(key=f"{speaker_key(norm_alias, stype)}|split:{uuid.uuid4().hex[:12]}",
                  type=stype, name=display_name(alias, stype), norm_name=norm_alias)
    session.add(new)
    session.flush()
    moved = _move(session, members, pk(new.id), quote_ids=quote_ids, norm_alias=norm_alias)
    _moved(session, [*members, pk(new.id)])
    audit.record(session, "speaker", speaker.id, "split", actor=actor,
                 before={"speaker": speaker.id, "alias": alias}, after={"new_speaker": new.id, **moved})
    return IdentityChange("split", pk(speaker.id), speaker.name, pk(new.id), new.name,
                          len(moved["quotes"]))
