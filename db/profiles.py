"""Speakers (listing and profiles), one article with its quotes, and database statistics."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, null, select
from sqlalchemy.orm import Session
from sqlmodel import col

from .errors import Ambiguous, NotFound
from .models import Article, AuditEvent, Claim, Evidence, Quote, Review, Role, Speaker, SpeakerAlias, StoreMeta, pk
from .queries import ORDER, QuoteFilter, QuoteRow, base_select, resolve_article
from .speakers import group_ids, match_name

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


def list_speakers(session: Session, *, limit: int = 50, speaker_type: str | None = None) -> list[SpeakerSummary]:
    """Speakers with quotes or roles, most quoted first."""
    # Counted per speaker row (an index-only scan) and folded into canonical speakers here: a GROUP BY
    # over the computed canonical id made SQLite take over a minute at a million quotes.
    counts = dict(session.execute(select(col(Quote.speaker_id), func.count()).where(col(Quote.speaker_id).is_not(None))
                                  .group_by(col(Quote.speaker_id))).all())
    with_roles = set(session.scalars(select(col(Role.speaker_id)).distinct()))
    totals: dict[int, int] = {}
    active: set[int] = set()
    canonical: dict[int, tuple[str, str]] = {}
    for row_id, merged, name, stype in session.execute(
            select(col(Speaker.id), col(Speaker.merged_into_id), col(Speaker.name), col(Speaker.type))):
        sid = pk(row_id)
        cid = merged or sid
        totals[cid] = totals.get(cid, 0) + counts.get(sid, 0)
        if sid in counts or sid in with_roles:
            active.add(cid)
        if merged is None:
            canonical[sid] = (name, stype)
    ids = [c for c in active if c in canonical and speaker_type in (None, canonical[c][1])]
    ids.sort(key=lambda c: (-totals[c], canonical[c][0], c))
    summaries = [SpeakerSummary(id=c, name=canonical[c][0], type=canonical[c][1], quotes=totals[c])
                 for c in ids[:limit]]
    _fill(session, summaries)
    return summaries


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
    # Roles (entity facts and roles stated with quotes) from the role table; first/last seen over roles and
    # quotes, the latter an index-only scan of (speaker_id, dated_at).
    dated = [
        select(col(Role.speaker_id), col(Role.title), col(Role.affiliation), col(Role.first_seen), col(Role.last_seen))
        .where(col(Role.speaker_id).in_(canon_of)),
        select(col(Quote.speaker_id), null(), null(), func.min(col(Quote.dated_at)), func.max(col(Quote.dated_at)))
        .where(col(Quote.speaker_id).in_(canon_of)).group_by(col(Quote.speaker_id)),
    ]
    for stmt in dated:
        for sid, title, affiliation, first, last in session.execute(stmt):
            s = by_id[canon_of[sid]]
            if title and title not in s.roles:
                s.roles.append(title)
            if affiliation and affiliation not in s.affiliations:
                s.affiliations.append(affiliation)
            s.first_seen = min(filter(None, (s.first_seen, first)), default=None)
            s.last_seen = max(filter(None, (s.last_seen, last)), default=None)


def resolve_speaker(session: Session, ref: str) -> Speaker:
    """A canonical speaker by id (``42`` or ``#42``) or by name or alias; ambiguity lists the ids."""
    text = ref.strip().removeprefix("#")
    if text.isdigit():
        found = session.get(Speaker, int(text))
        if found is not None:
            target = session.get(Speaker, found.merged_into_id) if found.merged_into_id else None
            return target or found
    ids = match_name(session, ref)
    if not ids:
        raise NotFound(f"No speaker {ref!r}.")
    if len(ids) > 1:
        rows = session.execute(select(col(Speaker.id), col(Speaker.name), col(Speaker.type))
                               .where(col(Speaker.id).in_(ids)).order_by(col(Speaker.id))).all()
        listed = ", ".join(f"#{i} {n} ({t})" for i, n, t in rows[:10])
        raise Ambiguous(f"{ref!r} names several speakers: {listed}; give the id.")
    found = session.get(Speaker, ids[0])
    if found is None:  # match_name returns ids of existing rows
        raise NotFound(f"No speaker {ref!r}.")
    return found


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
    """A speaker's aliases, roles over time and quotes grouped by article (newest first)."""
    speaker = resolve_speaker(session, ref)
    summary = SpeakerSummary(id=pk(speaker.id), name=speaker.name, type=speaker.type)
    members = group_ids(session, [summary.id])
    summary.quotes = session.scalar(select(func.count(col(Quote.id))).where(col(Quote.speaker_id).in_(members))) or 0
    _fill(session, [summary])
    aliases = sorted(set(session.scalars(select(col(SpeakerAlias.alias))
                                         .where(col(SpeakerAlias.speaker_id).in_(members)))))
    roles = [RoleSpan(*r) for r in session.execute(
        select(col(Role.title), col(Role.affiliation), func.min(col(Role.first_seen)), func.max(col(Role.last_seen)),
               func.count(func.distinct(Role.article_id)))
        .where(col(Role.speaker_id).in_(members)).group_by(col(Role.title), col(Role.affiliation))
        .order_by(func.min(Role.first_seen)))]
    stmt = (base_select().where(col(Quote.speaker_id).in_(members))
            .order_by(*ORDER).limit(quote_limit))
    articles: dict[int, tuple[int, str | None, str | None, datetime, list[QuoteRow]]] = {}
    for r in session.execute(stmt):
        row = QuoteRow(*r)
        entry = articles.setdefault(row.article_id, (row.article_id, row.article_title, row.article_url,
                                                     row.dated_at, []))
        entry[4].append(row)
    return SpeakerProfile(summary, aliases, roles, list(articles.values()))


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
    """Counts of everything, claim statuses, top outlets and extractor versions."""
    def count(column: Any) -> int:
        return session.scalar(select(func.count(column))) or 0

    first, last = session.execute(select(func.min(Article.dated_at), func.max(Article.dated_at))).one()
    return {
        "articles": count(Article.id), "quotes": count(Quote.id),
        "speakers": session.scalar(select(func.count(func.distinct(_canon))).select_from(Quote)
                                   .join(Speaker, col(Speaker.id) == col(Quote.speaker_id))) or 0,
        "speaker_rows": count(Speaker.id), "roles": count(Role.id), "claims": count(Claim.id),
        "reviews": count(Review.id), "evidence": count(Evidence.id), "audit_events": count(AuditEvent.id),
        "claims_by_status": {k: v for k, v in session.execute(
            select(col(Claim.status), func.count(col(Claim.id))).group_by(col(Claim.status)))},
        "outlets": [list(r) for r in session.execute(
            select(col(Article.outlet), func.count(col(Article.id))).where(col(Article.outlet).is_not(None))
            .group_by(col(Article.outlet)).order_by(func.count(col(Article.id)).desc(), col(Article.outlet))
            .limit(10))],
        "extractor_versions": {k: v for k, v in session.execute(
            select(col(Article.extractor_version), func.count(col(Article.id)))
            .group_by(col(Article.extractor_version)))},
        "first_article": first.isoformat(timespec="seconds") if first else None,
        "last_article": last.isoformat(timespec="seconds") if last else None,
        "schema_version": session.scalar(select(col(StoreMeta.value)).where(col(StoreMeta.key) == "schema_version")),
    }


__all__ = ["ArticleView", "QuoteFilter", "RoleSpan", "SpeakerProfile", "SpeakerSummary", "article_view",
           "list_speakers", "resolve_speaker", "speaker_profile", "stats"]
