"""Writing one extraction into the open transaction: the article row, speakers, aliases, roles, quotes, claims."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from sqlmodel import col

from attribution.claims.worthiness import CLAIM_MODEL_VERSION
from attribution.types import Article as InputArticle
from attribution.types import Claim as InputClaim
from attribution.types import Entity, ExtractionResult
from attribution.types import Quote as InputQuote

from ..index import name_index, role_match, speaker_stats
from ..index.speakers import prefetch_speakers, resolve_for_article
from ..store import audit
from ..store.models import Article, Claim, Evidence, Quote, Review, Role, Speaker, SpeakerAlias, pk, utcnow
from ..store.names import (
    ORG_TYPES,
    claim_group_id,
    clean_org_name,
    defined_acronym,
    display_name,
    is_useful_alias,
    normalise_name,
)
from . import carry


def is_older(stored: str, current: str) -> bool:
    """Whether a stored extractor version is older than the running one (``0.10.0`` > ``0.9.1``)."""
    return _version_key(stored) < _version_key(current)


def _version_key(version: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-+]", version))


def parse_published(value: str | None) -> datetime | None:
    """An ISO-8601 date or date-time as naive UTC; None when absent or unparsable."""
    if not value or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def write_extraction(s: Session, row: Article | None, article: InputArticle, sha: str,
                     result: ExtractionResult) -> tuple[Article, int, int]:
    """Store an extraction for a new (``row is None``) or re-extracted article: ``(row, quotes, new speakers)``."""
    reextract = row is not None
    before: dict | None = None
    if row is None:
        row = _new_article(article, sha, result)
        s.add(row)
        s.flush()
    else:
        before = {"extractor_version": row.extractor_version}
        _refresh_article(row, article, result)
    old_quote_ids = list(s.scalars(select(col(Quote.id)).where(col(Quote.article_id) == row.id))) if reextract else []
    old_claims = list(s.scalars(select(Claim).where(col(Claim.article_id) == row.id)
                                .order_by(col(Claim.id)))) if reextract else []
    # People's speaker reviews go to the new quotes over the same text (db.write.carry), read before the old go.
    reviewed = carry.reviewed_quotes(s, pk(row.id)) if reextract else []
    # Speakers whose quotes, roles or aliases this re-extraction replaces: their totals and search terms are
    # recomputed once the new ones are written.
    replaced: set[int] = set()
    if reextract:
        for model in (Quote, Role, SpeakerAlias):
            replaced.update(sid for sid in s.scalars(select(col(model.speaker_id))
                                                     .where(col(model.article_id) == row.id).distinct())
                            if sid is not None)
        s.execute(delete(Role).where(col(Role.article_id) == row.id))
        s.execute(delete(SpeakerAlias).where(col(SpeakerAlias.article_id) == row.id))

    writer = _Writer(s, row)
    writer.prepare(result)
    for entity in result.entities:
        writer.entity(entity)
    new_claims = [writer.quote(q) for q in result.quotes]
    s.flush()
    kept, detached = _place_claims(s, row, [c for group in new_claims for c in group], old_claims)
    carried = carry.carry_reviews(s, reviewed, writer.quotes)
    # A carried correction may point to a speaker the new extraction never names: recount it with the rest.
    replaced |= carried.speaker_ids
    if old_quote_ids:
        s.execute(delete(Quote).where(col(Quote.id).in_(old_quote_ids)))
    writer.keep_in_step(replaced)
    if reextract:
        audit.record(s, "article", row.id, "reextract", before=before, after={
            "extractor_version": row.extractor_version, "quotes": len(result.quotes),
            "claims_kept": kept, "claims_detached": detached, **carried.summary()})
    return row, len(result.quotes), writer.new_speakers


def _new_article(article: InputArticle, sha: str, result: ExtractionResult) -> Article:
    now = utcnow()
    published = parse_published(article.published)
    return Article(
        sha256=sha, source_id=article.id, url=article.url, outlet=article.outlet, title=article.title,
        author=article.author, published=published, dated_at=published or now, text=article.text,
        source_path=article.source_path, ingested_at=now, extracted_at=now,
        extractor_version=result.extractor_version, model_ids=dict(result.model_ids))


def _refresh_article(row: Article, article: InputArticle, result: ExtractionResult) -> None:
    # Metadata the new input brings fills in or corrects the stored one; absent fields keep theirs.
    for name in ("url", "outlet", "title", "author", "source_path"):
        value = getattr(article, name)
        if value:
            setattr(row, name, value)
    published = parse_published(article.published)
    if published is not None:
        row.published = row.dated_at = published
    row.extractor_version = result.extractor_version
    row.model_ids = dict(result.model_ids)
    row.extracted_at = utcnow()


class _Writer:
    """Adds one article's speakers, aliases, roles, quotes and (pending) claims to the session."""

    def __init__(self, s: Session, row: Article):
        self.s = s
        self.row = row
        self.cache: dict[str, Speaker] = {}
        self.by_entity: dict[int, Speaker] = {}
        self.aliases: set[tuple[int, str]] = set()
        self.roles: set[tuple[int, str | None, str | None]] = set()
        self.new_speakers = 0
        #: What the derived tables need (see :meth:`keep_in_step`): quotes per speaker, names to index, and
        #: stated roles and affiliations.
        self.quote_counts: dict[int, int] = {}
        self.names: set[tuple[int, str, int]] = set()
        self.stated: set[tuple[str, str | None]] = set()
        self.known: set[str] | None = None  # speaker keys already looked up (see prepare)
        self.quotes: list[Quote] = []  # the quote rows written, in the extraction's order

    def prepare(self, result: ExtractionResult) -> None:
        """Find or create the speakers of every name the extraction uses, with one query and one flush.

        In the order :meth:`entity` and :meth:`quote` would meet them, so the same rows are created in the
        same order; those methods then find every speaker in the cache.
        """
        names = [(e.name, e.type) for e in result.entities] + [(q.speaker, q.speaker_type) for q in result.quotes]
        self.known = prefetch_speakers(self.s, names, pk(self.row.id), self.cache)
        named: set[int] = set()
        for entity in result.entities:
            if self._resolve(entity.name, entity.type) is not None:
                named.add(entity.id)
        for q in result.quotes:
            if q.entity_id is None or q.entity_id not in named:
                self._resolve(q.speaker, q.speaker_type)
        self.s.flush()

    def _resolve(self, name: str | None, stype: str | None) -> Speaker | None:
        if not name or not name.strip():
            return None
        speaker, created = resolve_for_article(self.s, name, stype, pk(self.row.id), self.cache, self.known,
                                               flush=self.known is None)
        self.new_speakers += created
        return speaker

    def speaker(self, name: str | None, stype: str | None) -> Speaker | None:
        speaker = self._resolve(name, stype)
        if speaker is not None:
            self.alias(speaker, name or "")
            acronym = defined_acronym(name or "") if speaker.type in ORG_TYPES else None
            if acronym:  # "The National Resistance Front (NRF)": "NRF" finds it too
                self.alias(speaker, acronym)
        return speaker

    def alias(self, speaker: Speaker, alias: str) -> None:
        # Normalised as a name of this type, so "Mr Gonzalez" is found by a search for "Gonzalez".
        sid = speaker.id
        assert sid is not None  # resolve_for_article flushes new speakers
        shown = display_name(alias, speaker.type)
        norm = normalise_name(shown, speaker.type)
        self.names.add((sid, speaker.norm_name, name_index.FULL))
        if not is_useful_alias(shown) or (sid, norm) in self.aliases:
            return
        self.aliases.add((sid, norm))
        self.names.add((sid, norm, name_index.ALIAS))
        self.s.add(SpeakerAlias(speaker_id=sid, article_id=self.row.id, alias=shown, norm_alias=norm))

    def entity(self, entity: Entity) -> None:
        speaker = self.speaker(entity.name, entity.type)
        if speaker is None:
            return
        self.by_entity[entity.id] = speaker
        for alias in entity.aliases:
            self.alias(speaker, alias)
        for fact in entity.roles:
            self.role(speaker, fact.title, fact.affiliation, fact.start, fact.end, fact.rule)

    def role(self, speaker: Speaker, title: str | None, affiliation: str | None, start: int, end: int,
             rule: str | None) -> None:
        affiliation = clean_org_name(affiliation) if affiliation else affiliation
        key = (pk(speaker.id), title, affiliation)
        if key in self.roles or not (title or affiliation):
            return
        self.roles.add(key)
        self.s.add(Role(speaker_id=speaker.id, article_id=self.row.id, title=title, affiliation=affiliation,
                        start=start, end=end, rule=rule, first_seen=self.row.dated_at, last_seen=self.row.dated_at))

    def quote(self, q: InputQuote) -> list[tuple[Quote, InputClaim]]:
        speaker = self.by_entity.get(q.entity_id) if q.entity_id is not None else None
        if speaker is None:
            speaker = self.speaker(q.speaker, q.speaker_type)
        elif q.speaker:
            self.alias(speaker, q.speaker)
        affiliation = clean_org_name(q.affiliation) if q.affiliation else q.affiliation
        if speaker is not None and (q.role or affiliation):
            # A role stated only with a quote is a role fact too (evidence: the speaker mention), so that the
            # role table alone answers "which roles has this speaker had".
            start, end = (q.speaker_start, q.speaker_end) if q.speaker_start is not None else (q.start, q.end)
            self.role(speaker, q.role, affiliation, start, end or start, "as-stated")
        if speaker is not None and speaker.id is not None:
            self.quote_counts[speaker.id] = self.quote_counts.get(speaker.id, 0) + 1
        self.stated.update((("role", q.role), ("affiliation", affiliation)))
        speaker_name = display_name(q.speaker, speaker.type) if q.speaker and speaker is not None else q.speaker
        row = Quote(
            article_id=self.row.id, speaker_id=speaker.id if speaker else None, dated_at=self.row.dated_at,
            start=q.start, end=q.end,
            content=q.content, kind=q.kind, cue=q.cue, cue_start=q.cue_start, cue_end=q.cue_end,
            speaker_name=speaker_name, speaker_mention=q.speaker_mention, speaker_start=q.speaker_start,
            speaker_end=q.speaker_end, role=q.role, affiliation=affiliation, confidence=float(q.confidence),
            rule=q.rule, extractor_version=self.row.extractor_version, fragments=[list(f) for f in q.fragments],
            rule_trace=list(q.rule_trace))
        self.s.add(row)
        self.quotes.append(row)
        return [(row, c) for c in q.claims]

    def keep_in_step(self, replaced: set[int]) -> None:
        """Update speaker totals, stated roles and search terms for what this article wrote.

        ``replaced``: speakers whose rows in this article a re-extraction deleted; they are recounted and
        re-indexed from scratch, everyone else is adjusted.
        """
        self.s.flush()
        touched = {sid: self.quote_counts.get(sid, 0) for sid, _t, _a in self.roles} | self.quote_counts
        if replaced:
            speaker_stats.recount(self.s, set(touched) | replaced)
        else:
            speaker_stats.lock(self.s, touched)
            speaker_stats.add_roles(self.s, [(sid, t, a, self.row.dated_at) for sid, t, a in self.roles])
        role_match.remember(self.s, self.stated)
        name_index.reindex(self.s, replaced)
        name_index.add_names(self.s, (n for n in self.names if n[0] not in replaced))


def _place_claims(s: Session, row: Article, new: list[tuple[Quote, InputClaim]], old: list[Claim]) -> tuple[int, int]:
    """Insert the new claims, reusing an old claim row (and so its reviews) wherever the text matches."""
    spare: dict[str, list[Claim]] = {}
    for claim in old:
        spare.setdefault(claim.group_id, []).append(claim)
    kept = 0
    for quote, c in new:
        group = claim_group_id(c.text)
        reused = spare.get(group, [])
        if reused:
            claim = reused.pop(0)
            kept += 1
        else:
            claim = Claim(article_id=row.id, group_id=group, text=c.text, start=c.start, end=c.end)
        claim.quote_id = quote.id
        claim.text, claim.start, claim.end = c.text, c.start, c.end
        claim.check_worthiness, claim.reason, claim.checkable = float(c.check_worthiness), c.reason, bool(c.checkable)
        claim.claim_model = CLAIM_MODEL_VERSION
        if claim.status in ("unreviewed", "not_checkable"):  # a reviewer's status is never overwritten
            claim.status = "unreviewed" if claim.checkable else "not_checkable"
        claim.detached_at = None
        claim.updated_at = utcnow()
        s.add(claim)
    leftovers = [c for group in spare.values() for c in group]
    reviewed = _with_reviews(s, [c.id for c in leftovers if c.id is not None])
    detached = 0
    for claim in leftovers:
        if claim.id in reviewed or claim.status in ("in_review", "reviewed"):
            # Keep the review history: the claim stays, attached to its article but no longer to a quote.
            claim.quote_id, claim.detached_at = None, utcnow()
            detached += 1
        else:
            s.delete(claim)
    s.flush()
    return kept, detached


def _with_reviews(s: Session, claim_ids: list[int]) -> set[int]:
    """The claims among these that have a review or cited evidence."""
    if not claim_ids:
        return set()
    reviewed = s.scalars(select(col(Review.claim_id)).where(col(Review.claim_id).in_(claim_ids)).distinct())
    cited = s.scalars(select(col(Evidence.claim_id)).where(col(Evidence.claim_id).in_(claim_ids)).distinct())
    return set(reviewed) | set(cited)
