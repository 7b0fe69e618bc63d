"""Organisation names as the store shows them (issue 16): no leading "the", merged across articles ignoring
"the" and case, an acronym the article defines kept as an alias; existing stores cleaned by the migration."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text

import db
from attribution.types import Article
from db.store import schema
from db.store.models import Quote, Role, Speaker, SpeakerAlias
from db.store.names import clean_org_name, defined_acronym, display_name
from tests.cli_helpers import run_json
from tests.db_helpers import VERSION, Canned, entity, quote, result
from tests.seed_helpers import seed_article, seed_canned

pytestmark = pytest.mark.db


@pytest.mark.parametrize(("name", "shown", "acronym"), [
    ("the Taliban", "Taliban", None),
    ("The National Resistance Front (NRF)", "National Resistance Front", "NRF"),
    ("THE  Red Cross", "Red Cross", None),
    ("Médecins Sans Frontières (MSF)", "Médecins Sans Frontières", "MSF"),
    ("The", "The", None),
    ("Theatre Royal", "Theatre Royal", None),
])
def test_display_names_of_organisations(name, shown, acronym):
    assert clean_org_name(name) == shown
    assert display_name(name, "ORG") == shown and display_name(name, "GROUP") == shown
    assert defined_acronym(name) == acronym
    assert display_name("The Reverend Ann Lee", "PERSON") == "The Reverend Ann Lee"  # people keep theirs


def _org_article(aid: str, name: str, stype: str = "ORG", affiliation: str | None = None) -> tuple[Article, Canned]:
    text = f'"The levee will hold," said {name} in a statement ({aid}).'
    article = Article(id=aid, text=text)
    canned = Canned()
    canned.add(result(article, [quote(text, "The levee will hold,", name, speaker_type=stype, entity_id=1,
                                      affiliation=affiliation)], [entity(text, 1, name, type=stype)]))
    return article, canned


def test_one_organisation_across_articles_whatever_the_article_and_case(store):
    for aid, name in (("one", "the River Board"), ("two", "The River Board"), ("three", "RIVER BOARD")):
        article, canned = _org_article(aid, name)
        db.ingest(store, [article], canned, version=VERSION)
    with store.session() as s:
        boards = s.scalars(select(Speaker).where(Speaker.norm_name == "river board")).all()
        names = set(s.scalars(select(Quote.speaker_name)))
    assert [b.name for b in boards] == ["River Board"]  # named as it first came, without "the"
    assert names == {"River Board", "RIVER BOARD"}


def test_a_defined_acronym_is_an_alias_and_finds_the_organisation(store):
    article, canned = _org_article("levee", "The Delta Levee Authority (DLA)", affiliation="the Delta Levee Authority")
    db.ingest(store, [article], canned, version=VERSION)
    with store.session() as s:
        (org,) = s.scalars(select(Speaker).where(Speaker.type == "ORG")).all()
        aliases = set(s.scalars(select(SpeakerAlias.alias).where(SpeakerAlias.speaker_id == org.id)))
        found = db.find_quotes(s, db.QuoteFilter(speaker="DLA")).rows
    assert org.name == "Delta Levee Authority"
    assert aliases == {"Delta Levee Authority", "DLA"}
    assert [(q.speaker, q.speaker_name, q.affiliation) for q in found] == [
        ("Delta Levee Authority", "Delta Levee Authority", "Delta Levee Authority")]


def test_no_organisation_name_in_the_seed_starts_with_the(db_url, extractor):
    db.setup_database(db_url)
    canned = seed_canned(extractor)
    with db.open_store(db_url) as store:
        db.ingest(store, [seed_article()], canned, version=canned.results["panjshir"].extractor_version)
    speakers = run_json("speakers", "--db", db_url)
    quotes = run_json("quotes", "--db", db_url)
    orgs = [s["name"] for s in speakers if s["type"] in ("ORG", "GROUP")]
    assert {"Taliban", "National Resistance Front"} <= set(orgs)
    shown = orgs + [s for sp in speakers for s in sp["affiliations"]]
    shown += [q[k] for q in quotes for k in ("speaker", "affiliation") if q[k]]
    shown += [q["speaker_name"] for q in quotes if q["speaker_type"] in ("ORG", "GROUP")]
    assert shown and not [n for n in shown if n.lower().startswith("the ")]
    profile = run_json("speaker", "NRF", "--db", db_url)
    assert profile["speaker"]["name"] == "National Resistance Front" and "NRF" in profile["aliases"]
    assert not [a for a in profile["aliases"] if a.lower().startswith("the ")]


def test_the_migration_cleans_an_existing_store(db_url):
    """A store written before revision 0004 keeps its rows; their organisation names lose "the"."""
    db.setup_database(db_url)
    article, canned = _org_article("old", "the Harbour Board", affiliation="the Harbour Board")
    with db.open_store(db_url) as store:
        db.ingest(store, [article], canned, version=VERSION)
        with store.engine.begin() as conn:  # as an older version wrote them
            conn.execute(text("UPDATE speaker SET name = 'the Harbour Board'"))
            conn.execute(text("UPDATE speaker_alias SET alias = 'the Harbour Board'"))
            conn.execute(text("UPDATE quote SET speaker_name = 'the Harbour Board', affiliation = 'the Harbour Board'"))
            conn.execute(text("UPDATE role SET affiliation = 'the Harbour Board'"))
        with store.engine.begin() as conn:
            from alembic import command

            command.downgrade(schema.alembic_config(conn), "0002")
            command.upgrade(schema.alembic_config(conn), "head")
    with db.open_store(db_url) as store, store.session() as s:
        assert s.scalars(select(Speaker.name)).all() == ["Harbour Board"]
        assert s.scalars(select(SpeakerAlias.alias)).all() == ["Harbour Board"]
        assert s.execute(select(Quote.speaker_name, Quote.affiliation)).all() == [("Harbour Board", "Harbour Board")]
        assert s.scalars(select(Role.affiliation)).all() == ["Harbour Board"]
        # ...and the derived tables were built: the board is found by a word, listed with its quote.
        assert [q.speaker for q in db.find_quotes(s, db.QuoteFilter(speaker="harbour")).rows] == ["Harbour Board"]
        assert [(x.name, x.quotes) for x in db.list_speakers(s)] == [("Harbour Board", 1)]
        assert len(db.find_quotes(s, db.QuoteFilter(text="levee")).rows) == 1
