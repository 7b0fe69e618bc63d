"""Full-text search: user text is plain terms; raw syntax only with raw_search; index kept in sync."""

from __future__ import annotations

import pytest

import db
from db.search.text import fts5_terms
from tests.db_helpers import fill

pytestmark = pytest.mark.db


def texts(store, text, raw=False) -> list[str]:
    with store.session() as s:
        return [q.quote for q in db.find_quotes(s, db.QuoteFilter(text=text, raw_search=raw)).rows]


@pytest.fixture
def filled(store):
    fill(store)
    return store


def test_every_word_must_occur_in_any_order(filled):
    assert texts(filled, "bridge commuting") == ["This bridge will cut commuting times in half,"]
    assert texts(filled, "commuting bridge") == ["This bridge will cut commuting times in half,"]
    assert texts(filled, "bridge harbour") == []


def test_stemming_and_case(filled):
    assert texts(filled, "BRIDGES") == ["This bridge will cut commuting times in half,"]
    assert texts(filled, "waiting list") == ["waiting lists will fall by a third."]


@pytest.mark.parametrize("text", ['"', 'NEAR(bridge', "bridge*", "bridge OR", "AND", '"bridge', "-bridge",
                                  "bridge:cut", "(", "^bridge", "'; DROP TABLE quote; --", "", "   ", "%_"])
def test_fts_syntax_in_user_text_never_errors(filled, text):
    texts(filled, text)  # must not raise
    assert len(texts(filled, "unbearable")) == 1  # and the table is still there


def test_raw_search_passes_syntax_through(filled, db_backend):
    if db_backend == "sqlite":
        assert texts(filled, "bridge OR harbour", raw=True) == [
            "the harbour is not our project.", "This bridge will cut commuting times in half,"]
        assert len(texts(filled, "commut*", raw=True)) == 1
    else:
        assert texts(filled, "bridge | harbour", raw=True) == [
            "the harbour is not our project.", "This bridge will cut commuting times in half,"]
        assert len(texts(filled, "commut:*", raw=True)) == 1


def test_raw_search_syntax_errors_are_one_line(filled):
    with pytest.raises(db.SearchSyntaxError, match="rejected"):
        texts(filled, "NEAR(bridge" if filled.backend == "sqlite" else "bridge &", raw=True)


def test_index_follows_reextraction(filled):
    from attribution.types import Article
    from tests.db_helpers import BRIDGE, Canned, quote, result

    article = Article(id="bridge", text=BRIDGE)
    canned = Canned()
    canned.add(result(article, [quote(BRIDGE, "costs are 20% lower than planned.", "Maria Gonzalez")],
                      version="0.5.0"))
    db.ingest(filled, [article], canned, version="0.5.0")
    assert texts(filled, "commuting") == []
    assert texts(filled, "lower") == ["costs are 20% lower than planned."]


def test_stop_words_are_ignored_unless_alone(filled):
    assert texts(filled, "the bridge") == ["This bridge will cut commuting times in half,"]
    found = texts(filled, "is not")
    if filled.backend == "postgresql":
        assert found == []  # PostgreSQL finds nothing for stop words alone
    else:
        assert found == ["=SUM(A1:A9) is not a plan,", "the harbour is not our project."]


def test_fts5_terms_quotes_everything():
    assert fts5_terms('say "hi" NEAR') == '"say" """hi""" "NEAR"'
    assert fts5_terms('" * ( )') is None
    assert fts5_terms("The bridge") == '"bridge"'
    assert fts5_terms("the") == '"the"'
