"""Filtering quotes: speaker by any alias, role, affiliation, kind, outlet, dates, article, confidence, limit."""

from __future__ import annotations

import pytest

import db
from tests.db_helpers import fill

pytestmark = pytest.mark.db


def find(store, **kw) -> db.QuoteSearch:
    with store.session() as s:
        return db.find_quotes(s, db.QuoteFilter(**kw))


def texts(store, **kw) -> list[str]:
    return [q.quote for q in find(store, **kw).rows]


@pytest.fixture
def filled(store):
    fill(store)
    return store


@pytest.mark.parametrize("name", ["Maria Gonzalez", "maria gonzalez", "MARIA  GONZÁLEZ"])
def test_speaker_matches_case_and_accent_insensitively(filled, name):
    rows = find(filled, speaker=name).rows
    assert len(rows) == 3
    assert {(q.speaker, q.speaker_type) for q in rows} == {("Maria Gonzalez", "PERSON")}


def test_speaker_by_alias_comes_with_role_and_affiliation(filled):
    rows = find(filled, speaker="Mr Gonzalez").rows  # Luis's alias; also Maria's "Gonzalez"
    assert {q.speaker for q in rows} == {"Luis Gonzalez", "Maria Gonzalez"}
    luis = [q for q in find(filled, speaker="Luis Gonzalez").rows]
    assert {q.role for q in luis} == {"resident"}
    maria = find(filled, speaker="Maria Gonzalez", role="director").rows
    assert [(q.role, q.affiliation) for q in maria] == [("director of communications",
                                                         "Department of Transportation")]


def test_unknown_speaker_suggests_near_misses(filled):
    search = find(filled, speaker="Maria Gonzales")
    assert search.rows == [] and not search.speaker_known
    assert search.suggestions[0] == "Maria Gonzalez"
    assert find(filled, speaker="Zzyzx Qwerty").suggestions == []


def test_speaker_by_id(filled):
    first = find(filled, speaker="Luis Gonzalez").rows[0]
    assert len(find(filled, speaker=f"#{first.speaker_id}").rows) == 2


def test_role_and_affiliation_match_whole_words_outlet_a_substring(filled):
    assert len(texts(filled, role="SPOKESPERSON")) == 2
    assert texts(filled, role="spokes") == []  # a part of a word is not a word
    assert len(texts(filled, affiliation="transportation")) == 3
    assert len(texts(filled, affiliation="department of")) == 3
    assert texts(filled, affiliation="transportation department") == []  # words in their order
    assert len(texts(filled, outlet="herald")) == 3
    assert texts(filled, role="100%_") == []  # LIKE wildcards in input are literal


def test_kind_and_min_confidence(filled):
    assert len(texts(filled, kind="direct")) == 7
    assert texts(filled, min_confidence=0.95) == []
    assert len(texts(filled, min_confidence=0.85)) == 4
    with pytest.raises(db.InvalidArgument):
        find(filled, kind="sarcastic")
    with pytest.raises(db.InvalidArgument):
        find(filled, min_confidence=2.0)


def test_max_confidence_and_a_confidence_band(filled):
    # The newsroom's confidences: 0.9 (three quotes), 0.85, 0.7, 0.6, 0.5; both bounds are inclusive.
    assert sorted(q.confidence for q in find(filled, max_confidence=0.7).rows) == [0.5, 0.6, 0.7]
    assert texts(filled, max_confidence=0.5) == ["We are ready,"]
    assert sorted(q.confidence for q in find(filled, min_confidence=0.6, max_confidence=0.85).rows) == [0.6, 0.7, 0.85]
    assert texts(filled, max_confidence=0.4) == []
    with pytest.raises(db.InvalidArgument, match="--max-confidence must be between 0 and 1"):
        find(filled, max_confidence=1.5)
    with pytest.raises(db.InvalidArgument, match="above --max-confidence"):
        find(filled, min_confidence=0.8, max_confidence=0.6)


def test_dates_use_published_then_ingested(filled):
    assert len(texts(filled, since="2024-04-01", until="2024-04-30")) == 3
    assert len(texts(filled, until="2024-03-05")) == 2  # the whole day is included
    # The clinic article has no date: it counts as published when ingested (today).
    assert texts(filled, since="2025-01-01") == ["waiting lists will fall by a third.", "We are ready,"]
    with pytest.raises(db.InvalidArgument, match="ISO date"):
        find(filled, since="last tuesday")


def test_article_by_id_sha_prefix_url_or_source_id(filled):
    with filled.session() as s:
        bridge = db.resolve_article(s, "https://courier.example/bridge")
        assert db.resolve_article(s, str(bridge.id)).id == bridge.id
        assert db.resolve_article(s, bridge.sha256[:8]).id == bridge.id
        assert db.resolve_article(s, bridge.sha256[:8].upper()).id == bridge.id
        assert db.resolve_article(s, "bridge").id == bridge.id
        with pytest.raises(db.NotFound):
            db.resolve_article(s, "https://nowhere.example/")
    assert len(texts(filled, article="bridge")) == 2


def test_ordering_newest_first_then_text_order_and_limit(filled):
    rows = find(filled).rows
    assert [q.article_title or q.article_url for q in rows][:2] == [None, None]  # clinic: undated, ingested today
    dated = [q.dated_at for q in rows]
    assert dated == sorted(dated, reverse=True)
    assert texts(filled, article="bridge") == ["This bridge will cut commuting times in half,",
                                               "costs are 20% lower than planned."]
    assert len(texts(filled, limit=2)) == 2
    with pytest.raises(db.InvalidArgument):
        find(filled, limit=0)


def test_streaming_returns_everything_in_chunks(filled):
    with filled.session() as s:
        chunks = list(db.iter_quotes(s, db.QuoteFilter(), chunk=3))
    assert [len(c) for c in chunks] == [3, 3, 1]
    ids = [q.quote_id for c in chunks for q in c]
    assert ids == sorted(ids)


def test_profiles_speakers_and_stats(filled):
    with filled.session() as s:
        speakers = db.list_speakers(s)
        profile = db.speaker_profile(s, "Maria Gonzalez")
        stats = db.stats(s)
        view = db.article_view(s, "harbour")
    assert speakers[0].name == "Maria Gonzalez" and speakers[0].quotes == 3
    assert {"Anna Berg"} <= {x.name for x in speakers}  # roles but no quotes still listed
    assert speakers[0].roles == ["spokesperson", "director of communications"]
    assert [r.title for r in profile.roles] == ["spokesperson", "director of communications"]
    assert [len(a[4]) for a in profile.articles] == [1, 2]  # newest article first
    assert stats["articles"] == 3 and stats["quotes"] == 7 and stats["claims_by_status"]["not_checkable"] == 1
    assert [q.start for q in view.quotes] == sorted(q.start for q in view.quotes)
