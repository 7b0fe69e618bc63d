"""The precomputed speaker tables (issue 16) stay in step with quotes, roles and aliases through everything
that changes them: ingest, re-extraction, merge, unmerge, split, review corrections and their undo."""

from __future__ import annotations

import pytest
from sqlalchemy import func, literal, select

import db
from db.index import name_index
from db.review.session import ReviewQueue, ReviewSession
from db.store.models import Quote, Role, RoleText, Speaker, SpeakerRole, SpeakerTerm
from tests.db_helpers import fill
from tests.test_review_data import review_db

pytestmark = pytest.mark.db


def assert_in_step(store) -> None:
    """Every derived row equals what recomputing it from the base tables gives."""
    with store.session() as s:
        counts = dict(s.execute(select(Quote.speaker_id, func.count()).where(Quote.speaker_id.is_not(None))
                                .group_by(Quote.speaker_id)).all())
        assert {sid: n for sid, n in s.execute(select(Speaker.id, Speaker.quote_count)) if n} == counts
        title, affiliation = func.coalesce(Role.title, literal("")), func.coalesce(Role.affiliation, literal(""))
        roles = set(s.execute(select(Role.speaker_id, title, affiliation, func.count(), func.min(Role.first_seen),
                                     func.max(Role.last_seen)).group_by(Role.speaker_id, title, affiliation)).all())
        assert set(s.execute(select(SpeakerRole.speaker_id, SpeakerRole.title, SpeakerRole.affiliation,
                                    SpeakerRole.articles, SpeakerRole.first_seen, SpeakerRole.last_seen))) == roles
        terms = {(t, k, sid) for sid, norm, kind in name_index._names_of(s, None)
                 for t, k in name_index.terms_of(norm, kind)}
        assert set(s.execute(select(SpeakerTerm.term, SpeakerTerm.kind, SpeakerTerm.speaker_id))) == terms
        stated = {("role", v) for v in s.scalars(select(Quote.role).distinct()) if v}
        stated |= {("affiliation", v) for v in s.scalars(select(Quote.affiliation).distinct()) if v}
        assert stated <= set(s.execute(select(RoleText.column, RoleText.value)))


def test_ingest_and_reextraction_keep_counts_roles_and_terms(store):
    articles, canned = fill(store)
    assert_in_step(store)
    # A newer extractor finds Luis Gonzalez's second quote no more and calls him "Luis G. Gonzalez".
    harbour = canned.results["harbour"]
    harbour.quotes = [q for q in harbour.quotes if not q.content.startswith("=SUM")]
    harbour.entities[0].aliases = ["Luis G. Gonzalez"]
    for r in canned.results.values():
        r.extractor_version = "0.4.0"
    db.ingest(store, articles, canned, version="0.4.0")
    assert_in_step(store)
    with store.session() as s:
        assert [m.name for m in db.match_speakers(s, "Luis G")] == ["Luis Gonzalez"]
        # "Mr Gonzalez" went with the old extraction: "Gonzalez" is now only a word of Luis's name.
        assert {m.name: m.tier for m in db.match_speakers(s, "Gonzalez")} == {"Maria Gonzalez": 1,
                                                                             "Luis Gonzalez": 2}
        assert next(x for x in db.list_speakers(s) if x.name == "Luis Gonzalez").quotes == 1


def test_identity_changes_keep_them_in_step(store):
    fill(store)
    with store.session() as s:
        harbour = db.resolve_article(s, "https://herald.example/harbour").id
    with store.session(write=True) as s:
        db.merge(s, "Maria Gonzalez", "Luis Gonzalez")
    assert_in_step(store)
    with store.session() as s:
        assert [(x.name, x.quotes) for x in db.list_speakers(s)][:1] == [("Maria Gonzalez", 5)]
    with store.session(write=True) as s:
        db.unmerge(s, "Luis Gonzalez")
        db.split(s, "Maria Gonzalez", article=str(harbour))
    assert_in_step(store)
    with store.session(write=True) as s:
        db.split(s, "Luis Gonzalez", alias="Mr Gonzalez")
    assert_in_step(store)


def test_review_corrections_and_undo_keep_them_in_step(db_url):
    review_db(db_url)
    with db.open_store(db_url) as store:
        rs = ReviewSession(store, "ana", ReviewQueue()).open()
        rs.card()
        rs.correct_speaker(new_name="Housing Office", speaker_type="ORG")
        rs.correct_role("deputy mayor", "Northvale Council")
        assert_in_step(store)
        with store.session() as s:
            assert [q.speaker for q in db.find_quotes(s, db.QuoteFilter(speaker="housing")).rows] == [
                "Housing Office"]
            assert len(db.find_quotes(s, db.QuoteFilter(role="deputy mayor")).rows) == 1
        rs.undo()
        rs.undo()
        assert_in_step(store)


def test_the_speakers_list_pages_through_everyone_once(store):
    fill(store)
    with store.session(write=True) as s:
        db.merge(s, "Dr. Chen", "Anna Berg")  # a merge reorders nothing here but takes the other path
    with store.session() as s:
        everyone = db.list_speakers(s, limit=100)
        paged = [x for page in range(4) for x in db.list_speakers(s, limit=2, offset=2 * page)]
        orgs = db.list_speakers(s, speaker_type="ORG")
    assert [x.id for x in paged] == [x.id for x in everyone]
    assert [x.quotes for x in everyone] == sorted((x.quotes for x in everyone), reverse=True)
    assert next(x for x in everyone if x.name == "Dr. Chen").merged == ["Anna Berg"]
    assert [x.name for x in orgs] == ["Ministry of Health"]
    with pytest.raises(db.InvalidArgument), store.session() as s:
        db.list_speakers(s, limit=0)
