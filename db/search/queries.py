"""Finding quotes by speaker, role, affiliation, text, kind, outlet, date, article and confidence.

Every filter is a bound parameter or an SQLAlchemy expression: no SQL is built from user text.

``--speaker`` finds every speaker with a name or alias containing the words typed (:mod:`db.index.name_index`);
their quotes come best match first (an exact full name before an alias before a part of a name), newest
first within each. ``--role`` and ``--affiliation`` match whole runs of words (:mod:`db.index.role_match`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from ..errors import Ambiguous, InvalidArgument, NotFound
from ..index import role_match
from ..index.name_index import SpeakerMatch, match_speakers, suggest
from ..index.speakers import group_ids
from ..store.models import Article, Claim, Quote, Speaker
from ..write.writer import parse_published
from .text import fts5_terms, newest_matching, search_errors, text_predicate

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
    max_confidence: float | None = None


@dataclass
class QuoteFilter(QuoteFields):
    """What ``attribution quotes`` and ``attribution export`` select. Empty fields do not filter."""

    raw_search: bool = False
    limit: int | None = None
    #: Only quotes with a claim at least this check-worthy (0-1).
    min_worthiness: float | None = None


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
    #: None until a person checked the speaker, then ``accepted`` or ``corrected`` (see db.review.unsure).
    speaker_review: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (dates in ISO-8601)."""
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in self.__dict__.items()}


@dataclass
class QuoteSearch:
    """Quotes found; the speakers ``--speaker`` matched, best first; when it matched nobody, the nearest names."""

    rows: list[QuoteRow]
    speaker_known: bool = True
    suggestions: list[str] = field(default_factory=list)
    matched: list[SpeakerMatch] = field(default_factory=list)


@dataclass
class QueryPlan:
    """A filter turned into SQL: conditions on quotes, and the speaker rows ``--speaker`` found by tier."""

    conds: list[Any]
    #: The --text condition, kept apart: the date-keyed walk applies it by reading the index instead.
    text_cond: Any | None = None
    #: Speaker row ids (merged members included) per match tier, best first; None when no --speaker.
    speaker_tiers: list[list[int]] | None = None
    needs_article: bool = False
    #: The FTS5 query of --text on SQLite (the date-keyed index can then page through it newest first).
    fts_match: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    #: Without --speaker: the stated role or affiliation values --role/--affiliation matched, when few, so that
    #: a page is read as one newest-first index range per value.
    arm_column: Any = None
    arms: list[str] = field(default_factory=list)

    def where(self, speaker_ids: list[int] | None = None, *, text: bool = True) -> list[Any]:
        """Every condition, with the speaker rows of all tiers (or of ``speaker_ids``) when there are any."""
        if speaker_ids is None and self.speaker_tiers is not None:
            speaker_ids = [i for tier in self.speaker_tiers for i in tier]
        conds = list(self.conds)
        if text and self.text_cond is not None:
            conds.append(self.text_cond)
        if speaker_ids is not None:
            conds.append(col(Quote.speaker_id).in_(speaker_ids))
        return conds


_canonical = aliased(Speaker, name="canonical")
_member = aliased(Speaker, name="member")


def quote_columns() -> list[Any]:
    """The columns of a :class:`QuoteRow`, in its field order."""
    return [
        Quote.id, Quote.content, Quote.kind, Quote.start, Quote.end, Quote.cue, Quote.cue_start, Quote.cue_end,
        _canonical.id, _canonical.name, _canonical.type, Quote.speaker_name, Quote.speaker_mention,
        Quote.speaker_start, Quote.speaker_end, Quote.role, Quote.affiliation, Quote.confidence, Quote.rule,
        Quote.extractor_version, Quote.fragments, Quote.rule_trace, Article.id, Article.sha256, Article.url,
        Article.title, Article.outlet, Article.published, Quote.dated_at, Quote.speaker_review,
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
ORDER_COLUMNS = (col(Quote.dated_at), col(Quote.article_id), col(Quote.start))


def speaker_matches(session: Session, ref: str) -> list[SpeakerMatch]:
    """Speakers a ``--speaker`` value names: ``#42`` (or ``42`` when such a speaker exists), or words of a name."""
    text = ref.strip().removeprefix("#")
    if text.isdigit():
        row = session.get(Speaker, int(text))
        if row is not None:
            canonical = session.get(Speaker, row.merged_into_id) if row.merged_into_id else row
            assert canonical is not None and canonical.id is not None
            return [SpeakerMatch(canonical.id, canonical.name, canonical.type, 0, canonical.quote_count)]
        if ref.strip().startswith("#"):
            return []
    return match_speakers(session, ref)


def plan_filter(session: Session, f: QuoteFilter) -> tuple[QueryPlan | None, QuoteSearch]:
    """The SQL for a filter; None when ``--speaker`` matched nobody (the search then carries suggestions)."""
    plan, search = QueryPlan([]), QuoteSearch([])
    if f.speaker:
        search.matched = speaker_matches(session, f.speaker)
        if not search.matched:
            names = list(dict.fromkeys(m.name for m in suggest(session, f.speaker)))
            return None, QuoteSearch([], False, names)
        tiers = sorted({m.tier for m in search.matched})
        plan.speaker_tiers = [group_ids(session, [m.id for m in search.matched if m.tier == t]) for t in tiers]
    conds = plan.conds
    for column, value in (("role", f.role), ("affiliation", f.affiliation)):
        if value:
            values = role_match.matching_values(session, column, value)
            conds.append(role_match.condition(column, value, values))
            if values and len(values) <= PER_VALUE_ARMS and not plan.arms:
                plan.arm_column = Quote.role if column == "role" else Quote.affiliation
                plan.arms = values
    if f.outlet:
        conds.append(col(Article.outlet).ilike(like_pattern(f.outlet), escape="\\"))
        plan.needs_article = True
    if f.kind:
        if f.kind not in QUOTE_KINDS:
            raise InvalidArgument(f"Unknown quote kind {f.kind!r}: use one of {', '.join(QUOTE_KINDS)}.")
        conds.append(Quote.kind == f.kind)
    if f.text:
        dialect = session.get_bind().dialect.name
        plan.text_cond = text_predicate(dialect, f.text, f.raw_search)
        if dialect == "sqlite":
            plan.fts_match = f.text if f.raw_search else fts5_terms(f.text)
    if f.since:
        plan.since = parse_date(f.since)
        conds.append(Quote.dated_at >= plan.since)
    if f.until:
        plan.until = parse_date(f.until, end=True)
        conds.append(Quote.dated_at < plan.until)
    if f.article:
        conds.append(Quote.article_id == resolve_article(session, f.article).id)
    conds += confidence_conditions(f.min_confidence, f.max_confidence)
    if f.limit is not None and f.limit < 1:
        raise InvalidArgument("--limit must be at least 1.")
    if isinstance(f, QuoteFilter) and f.min_worthiness is not None:
        conds.append(_worthy_claim(f.min_worthiness))
    return plan, search


def confidence_conditions(low: float | None, high: float | None) -> list[Any]:
    """``--min-confidence``/``--max-confidence``: quotes with ``low <= confidence <= high`` (both inclusive, so
    ``--max-confidence 0.5`` and ``--min-confidence 0.5`` both take a quote at 0.5)."""
    conds = []
    for flag, value in (("--min-confidence", low), ("--max-confidence", high)):
        if value is not None and not 0.0 <= value <= 1.0:
            raise InvalidArgument(f"{flag} must be between 0 and 1.")
    if low is not None and high is not None and low > high:
        raise InvalidArgument(f"--min-confidence {low:g} is above --max-confidence {high:g}: no quote can match.")
    if low is not None:
        conds.append(Quote.confidence >= low)
    if high is not None:
        conds.append(Quote.confidence <= high)
    return conds


def _worthy_claim(minimum: float) -> Any:
    """Quotes with at least one claim of check-worthiness >= ``minimum`` (``--min-worthiness``)."""
    if not 0.0 <= minimum <= 1.0:
        raise InvalidArgument("--min-worthiness must be between 0 and 1.")
    return select(col(Claim.id)).where(col(Claim.quote_id) == col(Quote.id),
                                       col(Claim.check_worthiness) >= minimum).exists()


def build_filter(session: Session, f: QuoteFilter) -> tuple[list[Any] | None, bool, QuoteSearch]:
    """WHERE conditions for a filter and whether they need the article joined; None when ``--speaker``
    matched nobody (the :class:`QuoteSearch` then carries suggestions)."""
    plan, search = plan_filter(session, f)
    if plan is None:
        return None, False, search
    return plan.where(), plan.needs_article, search


#: Up to this many speaker rows (or stated roles or affiliations), a page is read per row (per value), each
#: an index range in date order, and merged, rather than sorting every quote of all of them.
PER_SPEAKER_ARMS = 64
PER_VALUE_ARMS = 32


def find_quotes(session: Session, f: QuoteFilter) -> QuoteSearch:
    """Quotes matching a filter: best-matching speakers first, then newest article, then text order."""
    plan, search = plan_filter(session, f)
    if plan is None:
        return search
    with search_errors(f.raw_search):
        tiers: list[list[int] | None] = list(plan.speaker_tiers or []) or [None]
        for ids in tiers:
            left = None if f.limit is None else f.limit - len(search.rows)
            if left == 0:
                break
            search.rows += _rows(session, plan, ids, left)
    return search


def _rows(session: Session, plan: QueryPlan, speaker_ids: list[int] | None, limit: int | None) -> list[QuoteRow]:
    """The newest ``limit`` quotes (all when None) passing the plan, of these speaker rows if given."""
    conds = plan.where(speaker_ids)
    if limit is None:
        return [QuoteRow(*r) for r in session.execute(base_select().where(*conds).order_by(*ORDER))]
    page: Any = None
    if plan.fts_match and not plan.needs_article:
        page = newest_matching(session, plan.fts_match, plan.where(speaker_ids, text=False), limit,
                               since=plan.since, until=plan.until)
    if page is None:
        arm_column: Any = plan.arm_column
        arms: list[Any] = list(plan.arms)
        if speaker_ids is not None:
            arm_column, arms = col(Quote.speaker_id), speaker_ids if len(speaker_ids) <= PER_SPEAKER_ARMS else []
        if len(arms) > 1:
            page = _newest_per_arm(session, conds, arm_column, arms, limit, plan.needs_article)
        else:
            page = _newest(conds, limit, plan.needs_article).with_only_columns(col(Quote.id)).scalar_subquery()
    stmt = base_select().where(col(Quote.id).in_(page)).order_by(*ORDER).limit(limit)
    return [QuoteRow(*r) for r in session.execute(stmt)]


def _newest(conds: list[Any], limit: int, needs_article: bool) -> Select:
    """The ids and order keys of the newest ``limit`` quotes passing ``conds``."""
    stmt = select(col(Quote.id), *ORDER_COLUMNS).where(*conds).order_by(*ORDER).limit(limit)
    return stmt.join(Article, col(Article.id) == col(Quote.article_id)) if needs_article else stmt


def _newest_per_arm(session: Session, conds: list[Any], column: Any, values: list[Any], limit: int,
                    needs_article: bool) -> list[int]:
    """The newest ``limit`` ids over several values of one column: one index range per value, merged here.

    One statement run per value (compiled once) rather than a UNION of as many arms: the UNION's compile
    time grew with the number of values and each CLI run pays it afresh.
    """
    stmt = _newest([*conds, column == bindparam("arm_value")], limit, needs_article)
    rows = [r for v in values for r in session.execute(stmt, {"arm_value": v})]
    # ORDER is dated_at DESC, article_id DESC, start ASC, id ASC.
    rows.sort(key=lambda r: (r.dated_at, r.article_id, -r.start, -r.id), reverse=True)
    return [r.id for r in rows[:limit]]


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
    return list(dict.fromkeys(m.name for m in suggest(session, name, limit)))


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
