"""Ingest: idempotence by text hash, skipping before parsing, re-extraction keeping reviews, failures."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import func, select

import db
from attribution.reading.sources import SourceError
from attribution.types import Article
from db.store.models import Article as ArticleRow
from db.store.models import AuditEvent, Claim, Evidence, Quote, Review, Role, Speaker
from tests.db_helpers import BRIDGE, VERSION, Canned, claim, entity, fill, newsroom, quote, result

pytestmark = pytest.mark.db


def count(store, column) -> int:
    with store.session() as s:
        return s.scalar(select(func.count(column)))


def test_new_articles_are_stored_with_quotes_speakers_roles_claims(store):
    articles, canned = newsroom()
    report = db.ingest(store, articles, canned, version=VERSION)
    assert (report.new, report.unchanged, report.failed, report.quotes) == (3, 0, 0, 7)
    assert count(store, ArticleRow.id) == 3
    assert count(store, Quote.id) == 7
    assert count(store, Claim.id) == 4
    with store.session() as s:
        row = s.scalars(select(ArticleRow).where(ArticleRow.source_id == "bridge")).one()
        assert row.sha256 == db.store.names.text_sha256(BRIDGE)
        assert row.extractor_version == VERSION and row.model_ids == {"tokenize": "test"}
        assert row.published.isoformat() == "2024-03-05T00:00:00"
        harbour = s.scalars(select(ArticleRow).where(ArticleRow.source_id == "harbour")).one()
        assert harbour.published.isoformat() == "2024-04-10T07:30:00"  # +02:00 stored as UTC
        q = s.scalars(select(Quote).where(Quote.article_id == row.id).order_by(Quote.start)).first()
        assert row.text[q.start:q.end] == q.content
        assert (q.kind, q.cue, q.role, q.affiliation, q.rule) == (
            "direct", "said", "spokesperson", "Department of Transportation", "cue-subject")


def test_same_text_twice_is_one_article_and_is_not_parsed_again(store):
    articles, canned = newsroom()
    db.ingest(store, articles, canned, version=VERSION)
    canned.calls.clear()
    renamed = [dataclasses.replace(a, id=a.id + "-copy", source_path="/elsewhere.txt") for a in articles]
    report = db.ingest(store, renamed + articles, canned, version=VERSION)
    assert (report.new, report.unchanged, report.quotes) == (0, 6, 0)
    assert canned.calls == []  # skipped before extraction
    assert count(store, ArticleRow.id) == 3


def test_duplicates_within_one_run_are_extracted_once(store):
    articles, canned = newsroom()
    report = db.ingest(store, [articles[0], articles[0], articles[0]], canned, version=VERSION)
    assert (report.new, report.unchanged) == (1, 2)
    assert canned.calls == ["bridge"]


def test_models_are_not_loaded_when_nothing_needs_parsing(store):
    articles, canned = newsroom()
    db.ingest(store, articles, canned, version=VERSION)

    def explode():
        raise AssertionError("the extractor was built")

    report = db.ingest(store, articles, db.LazyExtractor(explode), version=VERSION)
    assert report.unchanged == 3


def test_entities_roles_are_stored_even_for_people_who_do_not_speak(store):
    fill(store)
    with store.session() as s:
        berg = s.scalars(select(Speaker).where(Speaker.name == "Anna Berg")).one()
        roles = s.scalars(select(Role).where(Role.speaker_id == berg.id)).all()
        assert [(r.title, r.affiliation) for r in roles] == [("mayor", "Eastfield")]
        assert s.scalar(select(func.count(Quote.id)).where(Quote.speaker_id == berg.id)) == 0


def test_failures_are_reported_with_where_and_the_rest_go_on(store):
    articles, canned = newsroom()

    def flaky(article: Article):
        if article.id == "harbour":
            raise ValueError("parser exploded")
        return canned(article)

    items = [SourceError("/news/broken.html", "not UTF-8"), *articles]
    report = db.ingest(store, items, flaky, version=VERSION)
    assert (report.new, report.failed) == (2, 2)
    assert report.failures[0] == ("/news/broken.html", "not UTF-8")
    assert report.failures[1][0] == "https://herald.example/harbour"
    assert "parser exploded" in report.failures[1][1]
    assert count(store, ArticleRow.id) == 2


def test_a_failing_batch_is_retried_one_by_one(store):
    articles, canned = newsroom()

    class Batchy:
        def extract_many(self, batch):
            for a in batch:
                if a.id == "clinic":
                    raise RuntimeError("bad clinic")
                yield canned(a)

    outcomes = []
    report = db.ingest(store, articles, Batchy(), version=VERSION, on_outcome=outcomes.append)
    assert (report.new, report.failed) == (2, 1)
    assert [o.status for o in outcomes] == ["new", "new", "failed"]
    assert outcomes[2].where == "/news/clinic.txt"


def test_a_storage_failure_rolls_back_only_that_article(store):
    articles, canned = newsroom()
    bad = canned.results["harbour"]
    bad.quotes[0] = dataclasses.replace(bad.quotes[0], kind="x" * 40)  # too long for PostgreSQL's varchar(16)
    bad.quotes[0].content = None  # type: ignore[assignment]  # NOT NULL everywhere
    report = db.ingest(store, articles, canned, version=VERSION)
    assert (report.new, report.failed) == (2, 1)
    with store.session() as s:
        assert s.scalar(select(func.count(ArticleRow.id)).where(ArticleRow.source_id == "harbour")) == 0


def _review(store, claim_text: str) -> int:
    with store.session(write=True) as s:
        c = s.scalars(select(Claim).where(Claim.text == claim_text)).one()
        c.status = "reviewed"
        s.add(Review(claim_id=c.id, reviewer="ana", verdict="Mostly True", note="checked the budget"))
        s.add(Evidence(claim_id=c.id, url="https://budget.example/2024", reviewer="ana"))
        return c.id


def test_reextraction_replaces_quotes_and_keeps_reviews(store):
    articles, canned = newsroom()
    db.ingest(store, articles, canned, version=VERSION)
    kept_id = _review(store, "This bridge will cut commuting times in half")
    dropped_id = _review(store, "costs are 20% lower than planned")
    with store.session() as s:
        old_quotes = set(s.scalars(select(Quote.id)))

    t = BRIDGE
    newer = Canned()
    newer.add(result(articles[0], [
        quote(t, "This bridge will cut commuting times in half,", "Maria Gonzalez", entity_id=1,
              claims=[claim(t, "This bridge will cut commuting times in half")]),
    ], [entity(t, 1, "Maria Gonzalez", roles=[("spokesperson", "Department of Transportation", "a spokesperson")])],
        version="0.4.0"))
    report = db.ingest(store, [articles[0]], newer, version="0.4.0")
    assert (report.reextracted, report.new, report.quotes) == (1, 0, 1)

    with store.session() as s:
        bridge = s.scalars(select(ArticleRow).where(ArticleRow.source_id == "bridge")).one()
        assert bridge.extractor_version == "0.4.0"
        quotes = s.scalars(select(Quote).where(Quote.article_id == bridge.id)).all()
        assert len(quotes) == 1 and quotes[0].id not in old_quotes
        kept = s.get(Claim, kept_id)
        assert kept.quote_id == quotes[0].id and kept.status == "reviewed"
        assert [r.verdict for r in s.scalars(select(Review).where(Review.claim_id == kept_id))] == ["Mostly True"]
        dropped = s.get(Claim, dropped_id)  # no longer found, but reviewed: detached, not deleted
        assert dropped.quote_id is None and dropped.detached_at is not None
        assert s.scalar(select(func.count(Review.id)).where(Review.claim_id == dropped_id)) == 1
        assert s.scalar(select(func.count(Role.id)).where(Role.article_id == bridge.id)) == 1
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "reextract")).one()
        assert event.after["claims_kept"] == 1 and event.after["claims_detached"] == 1
    # The other articles were untouched, and the same version again is a no-op.
    assert count(store, ArticleRow.id) == 3
    assert db.ingest(store, [articles[0]], newer, version="0.4.0").unchanged == 1


def test_unreviewed_claims_that_disappear_are_deleted(store):
    articles, canned = newsroom()
    db.ingest(store, articles[:1], canned, version=VERSION)
    empty = Canned()
    empty.add(result(articles[0], [], [], version="0.4.0"))
    db.ingest(store, articles[:1], empty, version="0.4.0")
    assert count(store, Claim.id) == 0
    assert count(store, Quote.id) == 0


def test_an_older_extractor_never_overwrites_a_newer_extraction(store):
    articles, canned = newsroom()
    canned.results["bridge"].extractor_version = "1.0.0"
    db.ingest(store, articles[:1], canned, version="1.0.0")
    canned.calls.clear()
    report = db.ingest(store, articles[:1], canned, version="0.9.9")
    assert report.unchanged == 1 and canned.calls == []


def test_version_order_is_numeric():
    from db.write.writer import is_older

    assert is_older("0.9.1", "0.10.0")
    assert not is_older("0.10.0", "0.9.1")
    assert not is_older("0.3.0", "0.3.0")
