"""Speakers across articles: same full name and type merge; surnames, honorific forms, descriptions don't."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

import db
from attribution.types import Article
from db.store.models import Quote, Speaker, SpeakerAlias
from tests.db_helpers import VERSION, Canned, entity, fill, quote, result

pytestmark = pytest.mark.db


def speakers_named(store, name: str) -> list[Speaker]:
    with store.session() as s:
        return list(s.scalars(select(Speaker).where(Speaker.name == name).order_by(Speaker.id)))


def test_same_full_name_in_two_articles_is_one_speaker(store):
    fill(store)
    (maria,) = speakers_named(store, "Maria Gonzalez")
    assert maria.article_id is None  # shared across articles
    with store.session() as s:
        n = s.scalar(select(func.count(Quote.id)).where(Quote.speaker_id == maria.id))
        articles = s.scalar(select(func.count(func.distinct(Quote.article_id))).where(Quote.speaker_id == maria.id))
    assert (n, articles) == (3, 2)


def test_a_person_sharing_a_surname_is_not_merged(store):
    fill(store)
    (maria,) = speakers_named(store, "Maria Gonzalez")
    (luis,) = speakers_named(store, "Luis Gonzalez")
    assert maria.id != luis.id
    with store.session() as s:
        found = db.find_quotes(s, db.QuoteFilter(speaker="Luis Gonzalez")).rows
    assert {q.speaker for q in found} == {"Luis Gonzalez"}


def _one(text: str, aid: str, name: str, stype: str = "PERSON") -> tuple[Article, Canned]:
    article = Article(id=aid, text=text)
    canned = Canned()
    canned.add(result(article, [quote(text, "We will win.", name, speaker_type=stype, entity_id=1)],
                      [entity(text, 1, name, type=stype)]))
    return article, canned


@pytest.mark.parametrize("name", ["Gonzalez", "Mr Gonzalez", "a spokesperson"])
def test_bare_surnames_honorifics_and_descriptions_stay_article_local(store, name):
    for aid in ("one", "two"):
        article, canned = _one(f'"We will win." said {name} in article {aid}.', aid, name)
        db.ingest(store, [article], canned, version=VERSION)
    rows = speakers_named(store, name)
    assert len(rows) == 2
    assert all(r.article_id is not None for r in rows)


def test_honorifics_do_not_split_a_full_name(store):
    for aid, name in (("one", "Mr. John Smith"), ("two", "John Smith")):
        article, canned = _one(f'"We will win." said {name}.', aid, name)
        db.ingest(store, [article], canned, version=VERSION)
    with store.session() as s:
        assert s.scalar(select(func.count(Speaker.id)).where(Speaker.norm_name == "john smith")) == 1


def test_organisations_merge_on_name_and_type_only(store):
    for aid, name, stype in (("one", "The Red Cross", "ORG"), ("two", "the Red Cross", "ORG"),
                             ("three", "Red Cross", "GROUP")):
        article, canned = _one(f'"We will win." said {name} ({aid}).', aid, name, stype)
        db.ingest(store, [article], canned, version=VERSION)
    with store.session() as s:
        rows = s.execute(select(Speaker.type, func.count()).where(Speaker.norm_name == "red cross")
                         .group_by(Speaker.type).order_by(Speaker.type)).all()
    assert rows == [("GROUP", 1), ("ORG", 1)]


def test_aliases_are_recorded_without_pronouns(store):
    fill(store)
    with store.session() as s:
        luis = s.scalars(select(Speaker).where(Speaker.name == "Luis Gonzalez")).one()
        aliases = set(s.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == luis.id)))
    assert aliases == {"Luis Gonzalez", "Mr Gonzalez"}


def test_a_quote_without_entity_gets_a_speaker_by_name(store):
    text = '"Prices will rise," said Omar Haddad.'
    article = Article(id="x", text=text)
    canned = Canned()
    canned.add(result(article, [quote(text, "Prices will rise,", "Omar Haddad")], []))
    db.ingest(store, [article], canned, version=VERSION)
    (omar,) = speakers_named(store, "Omar Haddad")
    assert omar.type == "PERSON"
