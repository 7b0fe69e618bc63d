"""schema.org ClaimReview JSON-LD for reviewed claims (``attribution export claimreview``).

One ClaimReview per reviewed claim, from its latest verdict:

* ``claimReviewed``: the claim's text; ``datePublished``: the day of the verdict; ``author``: the reviewer
  (a Person), and ``publisher`` the newsroom when given.
* ``reviewRating``: the verdict's label as ``alternateName`` and its definition as ``ratingExplanation``.
  ``ratingValue`` counts from the false end (schema.org ratings grow better upwards), so on the built-in
  six-step scale "True" is 6 of ``bestRating`` 6 and "Pants on Fire" 1 of ``worstRating`` 1, although a
  reviewer presses 1 for "True".
* ``itemReviewed``: a Claim with its ``author`` (the speaker: name, and for a person ``jobTitle`` and
  ``affiliation`` as stated) and its ``appearance`` list: every article where the same claim (same claim
  group) was quoted, oldest first, the oldest also as ``firstAppearance``.
* ``citation``: the evidence links. Reviewers' notes are working notes and are not published.

Written as one JSON array, streamed; ``</`` is escaped so the output can sit inside an HTML ``<script>``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import IO, Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from ..store.models import Article, Claim, Evidence, Quote, Review, Speaker
from .scales import Scale, scale_by_id
from .session import ReviewQueue, claim_select, queue_conditions

CONTEXT = "https://schema.org"


def _day(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _speaker(session: Session, quote: Quote | None) -> dict[str, Any] | None:
    if quote is None or quote.speaker_id is None:
        return None
    speaker = session.get(Speaker, quote.speaker_id)
    if speaker is not None and speaker.merged_into_id is not None:
        speaker = session.get(Speaker, speaker.merged_into_id) or speaker
    if speaker is None:
        return None
    if speaker.type != "PERSON":
        return {"@type": "Organization", "name": speaker.name}
    author: dict[str, Any] = {"@type": "Person", "name": speaker.name}
    if quote.role:
        author["jobTitle"] = quote.role
    if quote.affiliation:
        author["affiliation"] = {"@type": "Organization", "name": quote.affiliation}
    return author


def _appearances(session: Session, group_id: str) -> list[dict[str, Any]]:
    rows = session.execute(select(col(Article.id), col(Article.url), col(Article.title), col(Article.outlet),
                                  col(Article.published), col(Article.dated_at))
                           .join(Claim, col(Claim.article_id) == col(Article.id))
                           .where(col(Claim.group_id) == group_id).distinct()
                           .order_by(col(Article.dated_at), col(Article.id)))
    out = []
    for _id, url, title, outlet, published, dated_at in rows:
        work: dict[str, Any] = {"@type": "CreativeWork"}
        if url:
            work["url"] = url
        if title:
            work["headline"] = title
        work["datePublished"] = _day(published or dated_at)
        if outlet:
            work["publisher"] = {"@type": "Organization", "name": outlet}
        out.append(work)
    return out


def _rating(scale: Scale | None, verdict: str) -> dict[str, Any]:
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": verdict}
    step = scale.by_label(verdict) if scale is not None else None
    if scale is not None and step is not None:
        n = len(scale.labels)
        rating.update(ratingValue=n - step.position, bestRating=n, worstRating=1,
                      ratingExplanation=step.definition)
    return rating


def claim_reviews(session: Session, queue: ReviewQueue | None = None, *,
                  publisher: str | None = None) -> Iterator[dict[str, Any]]:
    """ClaimReview objects for reviewed claims matching the queue's filters (its status is ignored)."""
    queue = queue or ReviewQueue()
    conds = queue_conditions(session, ReviewQueue(**{**queue.__dict__, "status": "reviewed"}))
    claim_ids = list(session.scalars(claim_select(col(Claim.id)).where(*conds).order_by(col(Claim.id))))
    scales: dict[int, Scale | None] = {}
    for claim_id in claim_ids:
        claim = session.get(Claim, claim_id)
        review = session.scalars(select(Review)
                                 .where(col(Review.claim_id) == claim_id, col(Review.verdict).is_not(None))
                                 .order_by(col(Review.id).desc()).limit(1)).first()
        if claim is None or review is None or review.verdict is None:
            continue  # marked reviewed by some other tool, without a verdict: nothing to publish
        if review.rating_scale_id is not None and review.rating_scale_id not in scales:
            scales[review.rating_scale_id] = scale_by_id(session, review.rating_scale_id)
        quote = session.get(Quote, claim.quote_id) if claim.quote_id is not None else None
        appearances = _appearances(session, claim.group_id)
        item: dict[str, Any] = {"@type": "Claim"}
        author = _speaker(session, quote)
        if author is not None:
            item["author"] = author
        if appearances:
            item["datePublished"] = appearances[0]["datePublished"]
            item["appearance"] = appearances
            item["firstAppearance"] = appearances[0]
        out: dict[str, Any] = {
            "@context": CONTEXT, "@type": "ClaimReview", "identifier": f"claim-{claim.id}",
            "claimReviewed": claim.text, "datePublished": _day(review.created_at),
            "author": {"@type": "Person", "name": review.reviewer},
            "reviewRating": _rating(scales.get(review.rating_scale_id) if review.rating_scale_id else None,
                                    review.verdict),
            "itemReviewed": item,
        }
        if publisher:
            out["publisher"] = {"@type": "Organization", "name": publisher}
        citations = list(session.scalars(select(col(Evidence.url)).where(col(Evidence.claim_id) == claim_id)
                                         .order_by(col(Evidence.id))))
        if citations:
            out["citation"] = citations
        yield out


def write_claimreview(session: Session, stream: IO[str], queue: ReviewQueue | None = None, *,
                      publisher: str | None = None, on_item: Callable[[int], None] | None = None) -> int:
    """Write the ClaimReview JSON-LD array to a text stream; returns how many reviews were written."""
    count = 0
    stream.write("[")
    for item in claim_reviews(session, queue, publisher=publisher):
        text = json.dumps(item, ensure_ascii=False, indent=2).replace("</", "<\\/")
        stream.write(("\n" if count == 0 else ",\n") + text)
        count += 1
        if on_item is not None:
            on_item(count)
    stream.write("\n]\n" if count else "]\n")
    return count
