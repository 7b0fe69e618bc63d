"""Correcting identity by hand: merge, unmerge, split by article and by alias; audited and reversible."""

from __future__ import annotations

import pytest
from sqlalchemy import select

import db
from db.store.models import AuditEvent, Speaker
from tests.db_helpers import VERSION, fill, newsroom

pytestmark = pytest.mark.db


def quotes_of(store, name: str) -> list[str]:
    with store.session() as s:
        search = db.find_quotes(s, db.QuoteFilter(speaker=name))
    return sorted(q.quote for q in search.rows)


def test_merge_then_unmerge_restores_both(store):
    fill(store)
    before_luis = quotes_of(store, "Luis Gonzalez")
    with store.session(write=True) as s:
        change = db.merge(s, "Maria Gonzalez", "Luis Gonzalez", actor="editor")
    assert change.rows == 2
    assert quotes_of(store, "Luis Gonzalez") == quotes_of(store, "Maria Gonzalez")
    assert len(quotes_of(store, "Maria Gonzalez")) == 5
    with store.session() as s:
        summary = next(x for x in db.list_speakers(s) if x.name == "Maria Gonzalez")
        assert summary.merged == ["Luis Gonzalez"] and summary.quotes == 5
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "merge")).one()
        assert event.actor == "editor"
    with store.session(write=True) as s:
        db.unmerge(s, "Luis Gonzalez")
    assert quotes_of(store, "Luis Gonzalez") == before_luis
    assert len(quotes_of(store, "Maria Gonzalez")) == 3
    with store.session() as s:
        assert [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.id))] == ["merge", "unmerge"]


def test_unmerge_restores_earlier_merges_of_the_source(store):
    fill(store)
    with store.session(write=True) as s:
        db.merge(s, "Luis Gonzalez", "Dr. Chen")   # Chen into Luis
        db.merge(s, "Maria Gonzalez", "Luis Gonzalez")  # Luis (with Chen) into Maria
    assert len(quotes_of(store, "Maria Gonzalez")) == 6
    with store.session(write=True) as s:
        db.unmerge(s, "Luis Gonzalez")
    assert len(quotes_of(store, "Luis Gonzalez")) == 3  # Chen is back with Luis, not on his own
    assert len(quotes_of(store, "Maria Gonzalez")) == 3


def test_merge_refuses_the_same_speaker_and_unknown_names(store):
    fill(store)
    with pytest.raises(db.IdentityError, match="already the same"), store.session(write=True) as s:
        db.merge(s, "Maria Gonzalez", "maria gonzalez")
    with pytest.raises(db.NotFound), store.session(write=True) as s:
        db.merge(s, "Maria Gonzalez", "Nobody Atall")
    with pytest.raises(db.IdentityError, match="not merged"), store.session(write=True) as s:
        db.unmerge(s, "Maria Gonzalez")


def test_ambiguous_names_ask_for_an_id(store):
    fill(store)
    with pytest.raises(db.Ambiguous, match="give the id"), store.session() as s:
        db.resolve_speaker(s, "Gonzalez")  # an alias of Maria and (as "Mr Gonzalez") of Luis


def test_split_by_article_survives_reextraction(store):
    articles, canned = fill(store)
    with store.session() as s:
        harbour = db.resolve_article(s, "https://herald.example/harbour").id
    with store.session(write=True) as s:
        change = db.split(s, "Maria Gonzalez", article=str(harbour))
    assert change.rows == 1
    with store.session() as s:
        new = s.get(Speaker, change.other_id)
        assert new.article_id == harbour and new.name == "Maria Gonzalez"
    assert len(quotes_of(store, f"#{change.speaker_id}")) == 2
    # A newer extractor re-reads the harbour article: the split still holds.
    for r in canned.results.values():
        r.extractor_version = "0.4.0"
    db.ingest(store, articles, canned, version="0.4.0")
    assert len(quotes_of(store, f"#{change.speaker_id}")) == 2
    assert len(quotes_of(store, f"#{change.other_id}")) == 1
    # ...and merging back undoes it.
    with store.session(write=True) as s:
        db.merge(s, str(change.speaker_id), str(change.other_id))
    assert len(quotes_of(store, f"#{change.speaker_id}")) == 3


def test_split_by_alias_moves_what_was_said_under_that_name(store):
    fill(store)
    with store.session(write=True) as s:
        change = db.split(s, "Luis Gonzalez", alias="Mr Gonzalez")
    assert change.rows == 1
    assert quotes_of(store, "Luis Gonzalez") == ["The noise will be unbearable for families,"]
    assert quotes_of(store, f"#{change.other_id}") == ["=SUM(A1:A9) is not a plan,"]
    with store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "split")).one()
        assert event.after["new_speaker"] == change.other_id


def test_split_by_alias_of_a_merged_speaker_detaches_it(store):
    fill(store)
    with store.session(write=True) as s:
        db.merge(s, "Maria Gonzalez", "Luis Gonzalez")
        change = db.split(s, "Maria Gonzalez", alias="Luis Gonzalez")
    assert change.action == "unmerge"
    assert len(quotes_of(store, "Luis Gonzalez")) == 2


def test_split_needs_exactly_one_way(store):
    fill(store)
    with pytest.raises(db.IdentityError, match="exactly one"), store.session(write=True) as s:
        db.split(s, "Maria Gonzalez")
    with pytest.raises(db.IdentityError, match="own name"), store.session(write=True) as s:
        db.split(s, "Maria Gonzalez", alias="maria gonzalez")


def test_versions_of_the_newsroom_are_stable():
    articles, _ = newsroom()
    assert [a.id for a in articles] == ["bridge", "harbour", "clinic"]
    assert VERSION
