"""Speakers (listing and profiles), one article with its quotes, and database statistics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..errors import Ambiguous, InvalidArgument, NotFound
from ..index.name_index import MAX_MATCHES, RUN, SpeakerMatch, match_speakers, ranked_speakers, suggest
from ..index.speakers import group_ids
from ..store.models import (
    Article,
    AuditEvent,
    Claim,
    Evidence,
    Quote,
    Review,
    Role,
    Speaker,
    SpeakerAlias,
    SpeakerRole,
    SpeakerTerm,
    StoreMeta,
    pk,
)
from ..write.claim_scores import claim_models
from .queries import ORDER, QuoteFilter, QuoteRow, base_select, resolve_article

_canon = func.coalesce(Speaker.merged_into_id, Speaker.id)


@dataclass
class SpeakerSummary:
    """A canonical speaker with its totals over everything merged into it."""

    id: int
    name: str
    type: str
    quotes: int = 0
    roles: list[str] = field(default_factory=list)
    affiliations: list[str] = field(default_factory=list)
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    merged: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (dates in ISO-8601)."""
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


def list_speakers(session: Session, *, limit: int = 50, speaker_type: str | None = None,
                  offset: int = 0) -> list[SpeakerSummary]:
    """Speakers with quotes or roles, most quoted first: the page of ``limit`` after ``offset``.

    Reads the page off ``speaker.quote_count`` (an index in count order) and adds what manual merges put
    under each canonical speaker, so a page costs the same at a million quotes as at ten.
    """
    if limit < 1 or offset < 0:
        raise InvalidArgument("--limit must be at least 1 and --page at least 1.")
    typed = [col(Speaker.type) == speaker_type] if speaker_type else []
    has_role = select(col(SpeakerRole.id)).where(col(SpeakerRole.speaker_id) == col(Speaker.id)).exists()
    ranked = (select(col(Speaker.id), col(Speaker.name), col(Speaker.type), col(Speaker.quote_count))
              .where(col(Speaker.merged_into_id).is_(None), or_(col(Speaker.quote_count) > 0, has_role), *typed)
              .order_by(col(Speaker.quote_count).desc(), col(Speaker.name), col(Speaker.id)))
    # Canonical speakers with merged members count the members' quotes too, so any of them may rank higher
    # than its own count says. Merges are made by hand, so these are few.
    members = session.execute(select(col(Speaker.merged_into_id), col(Speaker.quote_count), col(Speaker.id))
                              .where(col(Speaker.merged_into_id).is_not(None))).all()
    if not members:
        page = [SpeakerSummary(id=pk(sid), name=name, type=stype, quotes=n)
                for sid, name, stype, n in session.execute(ranked.offset(offset).limit(limit))]
    else:
        page = _page_with_merges(session, ranked, members, typed, offset, limit)
    _fill(session, page)
    return page


def _page_with_merges(session: Session, ranked: Select, members: Sequence[Any], typed: list[Any], offset: int,
                      limit: int) -> list[SpeakerSummary]:
    """A page when some speakers have others merged into them: the first ``offset + limit`` by own count,
    plus every canonical speaker with members, ranked by their totals. (A speaker with no members outside
    the first ``offset + limit`` by own count cannot rank inside them by total.)"""
    totals = {sid: (name, stype, n) for sid, name, stype, n in session.execute(ranked.limit(offset + limit))}
    extra: dict[int, int] = {}
    active: set[int] = set()
    for cid, n, _mid in members:
        extra[cid] = extra.get(cid, 0) + n
        if n:
            active.add(cid)
    with_roles = set(session.scalars(select(col(SpeakerRole.speaker_id)).where(
        col(SpeakerRole.speaker_id).in_([m for _c, _n, m in members])).distinct()))
    active |= {cid for cid, _n, mid in members if mid in with_roles}
    for sid, name, stype, n in session.execute(select(col(Speaker.id), col(Speaker.name), col(Speaker.type),
                                                      col(Speaker.quote_count))
                                               .where(col(Speaker.id).in_(extra), *typed)):
        if sid in totals or sid in active or n:
            totals[sid] = (name, stype, n)
    order = sorted(totals, key=lambda c: (-(totals[c][2] + extra.get(c, 0)), totals[c][0], c))
    return [SpeakerSummary(id=c, name=totals[c][0], type=totals[c][1], quotes=totals[c][2] + extra.get(c, 0))
            for c in order[offset:offset + limit]]


def _fill(session: Session, summaries: list[SpeakerSummary]) -> None:
    """Roles, affiliations, seen dates and merged names for a page of speakers."""
    by_id = {s.id: s for s in summaries}
    if not by_id:
        return
    members = session.execute(select(col(Speaker.id), _canon, col(Speaker.name)).where(col(Speaker.id).in_(
        group_ids(session, by_id)))).all()
    canon_of = {mid: cid for mid, cid, _name in members}
    for mid, cid, name in members:
        if mid != cid and name not in by_id[cid].merged:
            by_id[cid].merged.append(name)
    # Roles from the per-speaker summary; first/last seen over roles and quotes, the latter two index seeks
    # per speaker row on (speaker_id, dated_at).
    for sid, title, affiliation, first, last in session.execute(
            select(col(SpeakerRole.speaker_id), col(SpeakerRole.title), col(SpeakerRole.affiliation),
                   col(SpeakerRole.first_seen),
                   col(SpeakerRole.last_seen)).where(col(SpeakerRole.speaker_id).in_(canon_of))
            .order_by(col(SpeakerRole.first_seen), col(SpeakerRole.id))):
        _seen(by_id[canon_of[sid]], title or None, affiliation or None, first, last)
    own = col(Quote.speaker_id) == col(Speaker.id)
    seeks = select(col(Speaker.id),
                   select(func.min(col(Quote.dated_at))).where(own).scalar_subquery(),
                   select(func.max(col(Quote.dated_at))).where(own).scalar_subquery())
    for row_id, first, last in session.execute(seeks.where(col(Speaker.id).in_(canon_of),
                                                          col(Speaker.quote_count) > 0)):
        _seen(by_id[canon_of[pk(row_id)]], None, None, first, last)


def _seen(s: SpeakerSummary, title: str | None, affiliation: str | None, first: datetime | None,
          last: datetime | None) -> None:
    if title and title not in s.roles:
        s.roles.append(title)
    if affiliation and affiliation not in s.affiliations:
        s.affiliations.append(affiliation)
    s.first_seen = min(filter(None, (s.first_seen, first)), default=None)
    s.last_seen = max(filter(None, (s.last_seen, last)), default=None)


def resolve_speaker(session: Session, ref: str, *, partial: bool = False) -> Speaker:
    """A canonical speaker by id (``42`` or ``#42``) or by name; ambiguity lists the candidates.

    By default the name must be one of the speaker's names or aliases (what merge and split need);
    ``partial=True`` accepts any run of its words, as ``--speaker`` does (what a profile lookup needs).
    Among several, an exact shared full name wins; otherwise the one-line error lists them, best first.
    """
    text = ref.strip().removeprefix("#")
    if text.isdigit():
        found = session.get(Speaker, int(text))
        if found is not None:
            canonical = session.get(Speaker, found.merged_into_id) if found.merged_into_id else found
            if canonical is not None:
                return canonical
    matches = [m for m in match_speakers(session, ref) if partial or m.tier <= 1]
    if not matches:
        near = [m.name for m in suggest(session, ref)] if partial else []
        hint = f"; did you mean {' or '.join(repr(n) for n in dict.fromkeys(near))}?" if near else "."
        raise NotFound(f"No speaker {ref!r}{hint}")
    exact = [m for m in matches if m.tier == 0]
    if len(matches) > 1 and len(exact) != 1:
        listed = ", ".join(f"#{m.id} {m.name} ({m.type}, {m.quotes} quotes)" for m in matches[:10])
        more = f" and {len(matches) - 10} more" if len(matches) > 10 else ""
        raise Ambiguous(f"{ref!r} names several speakers: {listed}{more}; give the id.")
    return session.get_one(Speaker, (exact or matches)[0].id)


@dataclass
class RoleSpan:
    """One role of a speaker over time."""

    title: str | None
    affiliation: str | None
    first_seen: datetime
    last_seen: datetime
    articles: int


@dataclass
class SpeakerProfile:
    """Everything known about one speaker."""

    speaker: SpeakerSummary
    aliases: list[str]
    roles: list[RoleSpan]
    articles: list[tuple[int, str | None, str | None, datetime, list[QuoteRow]]]
    #: Other people with the same surname (the father and the son), most quoted first. Shown in the
    #: terminal only: the JSON of a profile keeps its shape.
    same_surname: list[SpeakerMatch] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        return {
            "speaker": self.speaker.to_dict(), "aliases": self.aliases,
            "roles": [{"title": r.title, "affiliation": r.affiliation, "first_seen": r.first_seen.isoformat(),
                       "last_seen": r.last_seen.isoformat(), "articles": r.articles} for r in self.roles],
            "articles": [{"article_id": a, "title": t, "url": u, "date": d.isoformat(),
                          "quotes": [q.to_dict() for q in qs]} for a, t, u, d, qs in self.articles],
        }


def speaker_profile(session: Session, ref: str, quote_limit: int = 500) -> SpeakerProfile:
    """A speaker's aliases, roles over time, quotes grouped by article (newest first), and namesakes.

    ``ref`` is an id or any run of words of a name, as ``--speaker`` takes it; several matches without
    one exact full name among them is an :class:`Ambiguous` error that lists them.
    """
    speaker = resolve_speaker(session, ref, partial=True)
    summary = SpeakerSummary(id=pk(speaker.id), name=speaker.name, type=speaker.type)
    members = group_ids(session, [pk(speaker.id)])
    summary.quotes = session.scalar(select(func.sum(col(Speaker.quote_count))).where(col(Speaker.id).in_(members))) or 0
    _fill(session, [summary])
    aliases = sorted(set(session.scalars(select(col(SpeakerAlias.alias))
                                         .where(col(SpeakerAlias.speaker_id).in_(members)).distinct())))
    title, affiliation = col(SpeakerRole.title), col(SpeakerRole.affiliation)
    roles = [RoleSpan(t or None, a or None, first, last, n) for t, a, first, last, n in session.execute(
        select(title, affiliation, func.min(col(SpeakerRole.first_seen)), func.max(col(SpeakerRole.last_seen)),
               func.sum(col(SpeakerRole.articles)))
        .where(col(SpeakerRole.speaker_id).in_(members)).group_by(title, affiliation)
        .order_by(func.min(col(SpeakerRole.first_seen)), title, affiliation))]
    stmt = (base_select().where(col(Quote.speaker_id).in_(members))
            .order_by(*ORDER).limit(quote_limit))
    articles: dict[int, tuple[int, str | None, str | None, datetime, list[QuoteRow]]] = {}
    for r in session.execute(stmt):
        row = QuoteRow(*r)
        entry = articles.setdefault(row.article_id, (row.article_id, row.article_title, row.article_url,
                                                     row.dated_at, []))
        entry[4].append(row)
    return SpeakerProfile(summary, aliases, roles, list(articles.values()), namesakes(session, speaker, members))


def namesakes(session: Session, speaker: Speaker, members: list[int], limit: int = 20) -> list[SpeakerMatch]:
    """Other people whose name ends in this person's surname, most quoted first (none for organisations).

    A bare "Massoud" that an article left unresolved counts too: the reader should see it beside the two
    Massouds it may be.
    """
    words = speaker.norm_name.split()
    if speaker.type != "PERSON" or len(words) < 2:
        return []
    surname = words[-1]
    rows = session.execute(select(col(Speaker.id), col(Speaker.norm_name), _canon)
                           .join(SpeakerTerm, col(SpeakerTerm.speaker_id) == col(Speaker.id))
                           .where(col(SpeakerTerm.term) == surname, col(SpeakerTerm.kind) == RUN,
                                  col(Speaker.type) == "PERSON")
                           .limit(MAX_MATCHES)).all()
    canonical = {cid for _sid, norm, cid in rows if norm.split()[-1:] == [surname]} - set(members)
    return ranked_speakers(session, dict.fromkeys(canonical, 2))[:limit]


@dataclass
class ArticleView:
    """An article and its quotes, for ``attribution show``."""

    article: Article
    quotes: list[QuoteRow]

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON."""
        a = self.article
        return {"id": a.id, "sha256": a.sha256, "url": a.url, "title": a.title, "outlet": a.outlet,
                "author": a.author, "published": a.published.isoformat() if a.published else None,
                "ingested_at": a.ingested_at.isoformat(), "extractor_version": a.extractor_version,
                "text": a.text, "quotes": [q.to_dict() for q in self.quotes]}


def article_view(session: Session, ref: str) -> ArticleView:
    """An article (by id, SHA-256 prefix or URL) with its quotes in text order."""
    article = resolve_article(session, ref)
    rows = session.execute(base_select().where(col(Quote.article_id) == article.id)
                           .order_by(col(Quote.start), col(Quote.id)))
    return ArticleView(article, [QuoteRow(*r) for r in rows])


def stats(session: Session) -> dict[str, Any]:
    """Counts of everything, claim statuses, top outlets, claim-model and extractor versions."""
    def count(column: Any) -> int:
        return session.scalar(select(func.count(column))) or 0

    first, last = session.execute(select(func.min(Article.dated_at), func.max(Article.dated_at))).one()
    return {
        "articles": count(Article.id), "quotes": count(Quote.id),
        # Canonical speakers with quotes, off the per-row counts (not a pass over every quote).
        "speakers": session.scalar(select(func.count(func.distinct(_canon))).where(col(Speaker.quote_count) > 0)) or 0,
        "speaker_rows": count(Speaker.id), "roles": count(Role.id), "claims": count(Claim.id),
        "reviews": count(Review.id), "evidence": count(Evidence.id), "audit_events": count(AuditEvent.id),
        "claims_by_status": {k: v for k, v in session.execute(
            select(col(Claim.status), func.count(col(Claim.id))).group_by(col(Claim.status)))},
        "outlets": [list(r) for r in session.execute(
            select(col(Article.outlet), func.count(col(Article.id))).where(col(Article.outlet).is_not(None))
            .group_by(col(Article.outlet)).order_by(func.count(col(Article.id)).desc(), col(Article.outlet))
            .limit(10))],
        "claim_models": claim_models(session),
        "extractor_versions": {k: v for k, v in session.execute(
            select(col(Article.extractor_version), func.count(col(Article.id)))
            .group_by(col(Article.extractor_version)))},
        "first_article": first.isoformat(timespec="seconds") if first else None,
        "last_article": last.isoformat(timespec="seconds") if last else None,
        "schema_version": session.scalar(select(col(StoreMeta.value)).where(col(StoreMeta.key) == "schema_version")),
    }


__all__ = ["ArticleView", "QuoteFilter", "RoleSpan", "SpeakerProfile", "SpeakerSummary", "article_view",
           "list_speakers", "resolve_speaker", "speaker_profile", "stats"]
