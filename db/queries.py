"""Finding quotes by speaker, role, affiliation, text, kind, outlet, date, article and confidence.

Every filter is a bound parameter or an SQLAlchemy expression: no SQL is built from user text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from rapidfuzz import fuzz, process
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from .errors import Ambiguous, InvalidArgument, NotFound
from .models import Article, Quote, Speaker
from .search import search_errors, text_predicate
from .speakers import all_names, group_ids, speaker_ids_for
from .writer import parse_published

QUOTE_KINDS = ("direct", "partial", "mixed", "indirect")


@dataclass
class QuoteFields:
    """The quote filters that searches, exports and review queues share. Empty fields do not filter."""

    speaker: str | None = None
    role: str | None = None
    affiliation: str | None = None
    text: str | None = None
    kind: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    article: str | None = None
    min_confidence: float | None = None


@dataclass
class QuoteFilter(QuoteFields):
    """What ``attribution quotes`` and ``attribution export`` select. Empty fields do not filter."""

    raw_search: bool = False
    limit: int | None = None


@dataclass
class QuoteRow:
    """One quote with its article and (canonical) speaker, flat."""

    quote_id: int
    quote: str
    kind: str
    start: int
    end: int
    cue: str | None
    cue_start: int | None
    cue_end: int | None
    speaker_id: int | None
    speaker: str | None
    speaker_type: str | None
    speaker_name: str | None
    speaker_mention: str | None
    speaker_start: int | None
    speaker_end: int | None
    role: str | None
    affiliation: str | None
    confidence: float
    rule: str
    extractor_version: str
    fragments: list[Any]
    rule_trace: list[str]
    article_id: int
    article_sha256: str
    article_url: str | None
    article_title: str | None
    outlet: str | None
    published: datetime | None
    dated_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (dates in ISO-8601)."""
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


@dataclass
class QuoteSearch:
    """Quotes found, and, when ``--speaker`` matched nobody, the nearest names."""

    rows: list[QuoteRow]
    speaker_known: bool = True
    suggestions: list[str] = field(default_factory=list)


_canonical = aliased(Speaker, name="canonical")
_member = aliased(Speaker, name="member")


def quote_columns() -> list[Any]:
    """The columns of a :class:`QuoteRow`, in its field order."""
    return [
        Quote.id, Quote.content, Quote.kind, Quote.start, Quote.end, Quote.cue, Quote.cue_start, Quote.cue_end,
        _canonical.id, _canonical.name, _canonical.type, Quote.speaker_name, Quote.speaker_mention,
        Quote.speaker_start, Quote.speaker_end, Quote.role, Quote.affiliation, Quote.confidence, Quote.rule,
        Quote.extractor_version, Quote.fragments, Quote.rule_trace, Article.id, Article.sha256, Article.url,
        Article.title, Article.outlet, Article.published, Quote.dated_at,
    ]


def base_select() -> Select:
    """Quotes joined to their article and canonical speaker, as :class:`QuoteRow` columns."""
    return (select(*quote_columns()).select_from(Quote)
            .join(Article, col(Article.id) == col(Quote.article_id))
            .outerjoin(_member, col(_member.id) == col(Quote.speaker_id))
            .outerjoin(_canonical, col(_canonical.id) == func.coalesce(_member.merged_into_id, _member.id)))


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern with LIKE's wildcards escaped (``\\`` is the escape)."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", text) + "%"


def parse_date(value: str, *, end: bool = False) -> datetime:
    """An ISO date or date-time; a bare date's end (``end=True``) is the start of the next day."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            return datetime.combine(day + timedelta(days=1) if end else day, time())
        parsed = parse_published(text)
        if parsed is None:
            raise ValueError(text)
        return parsed
    except ValueError:
        raise InvalidArgument(f"Not an ISO date: {value!r} (use YYYY-MM-DD).") from None


ORDER = (col(Quote.dated_at).desc(), col(Quote.article_id).desc(), col(Quote.start), col(Quote.id))


def build_filter(session: Session, f: QuoteFilter) -> tuple[list[Any] | None, bool, QuoteSearch]:
    """WHERE conditions for a filter and whether they need the article joined; None when ``--speaker``
    matched nobody (the :class:`QuoteSearch` then carries suggestions)."""
    conds: list[Any] = []
    needs_article = False
    if f.speaker:
        ids = group_ids(session, speaker_ids_for(session, f.speaker))
        if not ids:
            return None, False, QuoteSearch([], False, suggest_speakers(session, f.speaker))
        conds.append(col(Quote.speaker_id).in_(ids))
    if f.role:
        conds.append(col(Quote.role).ilike(like_pattern(f.role), escape="\\"))
    if f.affiliation:
        conds.append(col(Quote.affiliation).ilike(like_pattern(f.affiliation), escape="\\"))
    if f.outlet:
        conds.append(col(Article.outlet).ilike(like_pattern(f.outlet), escape="\\"))
        needs_article = True
    if f.kind:
        if f.kind not in QUOTE_KINDS:
            raise InvalidArgument(f"Unknown quote kind {f.kind!r}: use one of {', '.join(QUOTE_KINDS)}.")
        conds.append(Quote.kind == f.kind)
    if f.text:
        conds.append(text_predicate(session.get_bind().dialect.name, f.text, f.raw_search))
    if f.since:
        conds.append(Quote.dated_at >= parse_date(f.since))
    if f.until:
        conds.append(Quote.dated_at < parse_date(f.until, end=True))
    if f.article:
        conds.append(Quote.article_id == resolve_article(session, f.article).id)
    if f.min_confidence is not None:
        if not 0.0 <= f.min_confidence <= 1.0:
            raise InvalidArgument("--min-confidence must be between 0 and 1.")
        conds.append(Quote.confidence >= f.min_confidence)
    if f.limit is not None and f.limit < 1:
        raise InvalidArgument("--limit must be at least 1.")
    return conds, needs_article, QuoteSearch([])


def find_quotes(session: Session, f: QuoteFilter) -> QuoteSearch:
    """Quotes matching a filter, newest article first, in text order within an article."""
    conds, needs_article, search = build_filter(session, f)
    if conds is None:
        return search
    if f.limit is None:
        stmt = base_select().where(*conds).order_by(*ORDER)
    else:
        # Pick the page of ids first (an index range scan for a speaker), then fetch only those rows' details.
        ids = select(col(Quote.id)).where(*conds).order_by(*ORDER).limit(f.limit)
        if needs_article:
            ids = ids.join(Article, col(Article.id) == col(Quote.article_id))
        stmt = base_select().where(col(Quote.id).in_(ids.scalar_subquery())).order_by(*ORDER)
    with search_errors(f.raw_search):
        search.rows = [QuoteRow(*r) for r in session.execute(stmt)]
    return search


def iter_quotes(session: Session, f: QuoteFilter, chunk: int = 1000) -> Iterator[list[QuoteRow]]:
    """Quotes matching a filter in id order, streamed in chunks (server-side cursor where there is one)."""
    conds, _, _ = build_filter(session, f)
    if conds is None:
        return
    stmt = base_select().where(*conds).order_by(col(Quote.id))
    if f.limit is not None:
        stmt = stmt.limit(f.limit)
    with search_errors(f.raw_search):
        result = session.execute(stmt.execution_options(yield_per=chunk))
        for part in result.partitions(chunk):
            yield [QuoteRow(*r) for r in part]


def suggest_speakers(session: Session, name: str, limit: int = 3) -> list[str]:
    """Names close to ``name`` ("did you mean"), best first."""
    choices = all_names(session)
    found = process.extract(name, choices, scorer=fuzz.WRatio, processor=str.casefold, limit=limit,
                            score_cutoff=75)
    return [choice for choice, _score, _i in found]


def resolve_article(session: Session, ref: str) -> Article:
    """An article by id, SHA-256 prefix (4+ hex digits), URL or source id."""
    ref = ref.strip()
    if ref.isdigit():
        found = session.get(Article, int(ref))
        if found is not None:
            return found
    candidates: list[Article] = []
    if re.fullmatch(r"[0-9a-fA-F]{4,64}", ref):
        candidates = list(session.scalars(
            select(Article).where(col(Article.sha256).like(ref.lower() + "%")).order_by(col(Article.id)).limit(10)))
    if not candidates:
        candidates = list(session.scalars(
            select(Article).where(or_(col(Article.url) == ref, col(Article.source_id) == ref))
            .order_by(col(Article.id)).limit(10)))
    if not candidates:
        raise NotFound(f"No article {ref!r}: give an article id, a SHA-256 prefix or a URL.")
    if len(candidates) > 1:
        listed = ", ".join(f"{a.id} ({a.sha256[:10]})" for a in candidates)
        raise Ambiguous(f"{ref!r} matches several articles: {listed}; give the id.")
    return candidates[0]
