"""The unsure queue (db.review.unsure) without any UI: least sure first, accept, correct, skip, undo, resume,
two reviewers, filters, the audit trail, and the claim queue's corrections leaving it too."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, select

import db
from db.review.session import ReviewConflict, ReviewError, ReviewQueue, ReviewSession
from db.review.unsure import UnsureQueue, UnsureSession
from db.store import schema
from db.store.models import AuditEvent, Quote, Speaker
from tests.unsure_helpers import LEAST_SURE_FIRST, ferry_db

pytestmark = pytest.mark.db


@pytest.fixture
def store(db_url):
    ferry_db(db_url)
    with db.open_store(db_url) as opened:
        yield opened


def session(store, reviewer="ana", **queue) -> UnsureSession:
    return UnsureSession(store, reviewer, UnsureQueue(**queue)).open()


def quote_of(store, content: str) -> Quote:
    with store.session() as s:
        return s.scalars(select(Quote).where(Quote.content == content)).one()


def count_of(store, name: str) -> int:
    with store.session() as s:
        return s.scalars(select(Speaker.quote_count).where(Speaker.name == name)).one()


def test_the_queue_is_least_sure_first_and_skip_passes_over(store):
    us = session(store)
    seen = []
    while (card := us.card()) is not None:
        seen.append(card.quote.quote)
        assert card.position == len(seen) and card.total == 4
        us.skip()
    assert seen == LEAST_SURE_FIRST


def test_card_shows_the_quote_and_the_mention_in_their_paragraph(store):
    us = session(store)
    us.card()
    us.skip()
    card = us.card()
    assert card.quote.quote == "the timetable would stay" and card.quote.confidence == 0.3
    assert card.paragraph.startswith("Jonas Berg, a port official") and "Fares" not in card.paragraph
    assert card.paragraph[slice(*card.quote_span)] == "the timetable would stay"
    assert card.paragraph[slice(*card.mention_span)] == "Jonas Berg"
    assert (card.quote.speaker, card.quote.rule, card.quote.article_title) == ("Petra Lind", "nearest-name",
                                                                              "Ferry Fares")


def test_accept_marks_the_quote_reviewed_and_keeps_its_confidence(store):
    us = session(store, min_confidence=0.4)
    assert us.card().quote.quote == "We had no choice,"
    outcome = us.accept()
    assert outcome.moved_on and outcome.detail == "accepted Petra Lind"
    q = quote_of(store, "We had no choice,")
    assert (q.speaker_review, q.confidence, q.rule) == ("accepted", 0.45, "pronoun")
    assert us.card().quote.quote == "Fares will rise in March,"
    assert session(store, "ben").card().quote.quote != "We had no choice,"  # it has left the queue for everyone
    with store.session() as s:
        event = s.get(AuditEvent, outcome.event_id)
    assert (event.entity_type, event.entity_id, event.action, event.actor) == ("quote", str(q.id), "accept", "ana")
    assert event.after | {"session": None} == {"speaker_review": "accepted", "speaker_id": q.speaker_id,
                                               "speaker": "Petra Lind", "confidence": 0.45, "article_id": q.article_id,
                                               "start": q.start, "end": q.end, "session": None}


def test_a_quote_without_a_speaker_cannot_be_accepted_but_can_be_named(store):
    us = session(store)
    assert us.card().quote.speaker is None
    with pytest.raises(ReviewError, match="no speaker to accept"):
        us.accept()
    outcome = us.correct_speaker(new_name="Unnamed passenger")
    assert outcome.detail == "speaker: Unnamed passenger (new)"
    q = quote_of(store, "It is a scandal,")
    assert (q.speaker_name, q.speaker_review, q.confidence, q.rule) == ("Unnamed passenger", "corrected", 1.0,
                                                                        "manual")


def test_correct_to_a_known_speaker_then_undo_everything(store):
    us = session(store)
    us.card()
    us.skip()
    assert us.card().quote.quote == "the timetable would stay"
    berg = us.find_speakers("jonas berg")[0]
    assert berg.name == "Jonas Berg" and count_of(store, "Petra Lind") == 3
    us.correct_speaker(berg.id)
    q = quote_of(store, "the timetable would stay")
    assert (q.speaker_id, q.speaker_review, q.confidence, q.rule) == (berg.id, "corrected", 1.0, "manual")
    assert q.rule_trace[-1] == "review:speaker by ana"
    assert (count_of(store, "Petra Lind"), count_of(store, "Jonas Berg")) == (2, 1)
    assert us.card().quote.quote == "We had no choice,"
    us.accept()
    assert us.position == 3
    assert us.undo().detail == "undid accept"
    assert us.card().quote.quote == "We had no choice," and quote_of(store, "We had no choice,").speaker_review is None
    assert us.undo().detail == "undid speaker"
    q = quote_of(store, "the timetable would stay")
    assert (q.speaker_name, q.speaker_review, q.confidence, q.rule) == ("Petra Lind", None, 0.3, "nearest-name")
    assert (count_of(store, "Petra Lind"), count_of(store, "Jonas Berg")) == (3, 0)
    assert us.card().quote.quote == "the timetable would stay"
    us.undo()  # the skip: the shout is back on screen
    assert us.card().quote.quote == "It is a scandal," and us.position == 0
    assert not us.can_undo


def test_quitting_and_coming_back_resumes_and_skipped_quotes_return_next_session(store):
    us = session(store)
    us.card()
    us.skip()
    us.card()
    us.accept()
    us.card()
    us.close()
    again = session(store)
    assert again.resumed and again.position == 2
    assert again.card().quote.quote == "We had no choice,"  # the skipped shout stays skipped in this session
    again.skip()
    again.card()
    again.skip()
    assert again.card() is None  # finished
    fresh = session(store)
    assert not fresh.resumed and fresh.card().quote.quote == "It is a scandal,"


def test_two_reviewers_on_one_quote_the_second_is_refused(store):
    ana, ben = session(store, "ana", min_confidence=0.2), session(store, "ben", min_confidence=0.2)
    assert ana.card().quote.quote == ben.card().quote.quote == "the timetable would stay"
    ana.accept()
    with pytest.raises(ReviewConflict, match="by ana \\(accept"):
        ben.correct_speaker(new_name="Jonas Berg")
    assert quote_of(store, "the timetable would stay").speaker_review == "accepted"
    assert ben.card().quote.quote == "We had no choice,"  # ben's screen moves on to what is left


def test_filters_as_in_quotes(store):
    assert [session(store, max_confidence=0.3).card().quote.quote] == ["It is a scandal,"]
    us = session(store, "zoe", speaker="Petra Lind", max_confidence=0.5)
    assert us.card().quote.quote == "the timetable would stay"
    with pytest.raises(db.NotFound, match="did you mean 'Petra Lind'"):
        session(store, speaker="Petra Lund")
    with pytest.raises(db.InvalidArgument, match="reviewer"):
        UnsureSession(store, " ")
    assert UnsureQueue().key() != ReviewQueue().key()


def test_a_speaker_correction_in_the_claim_queue_leaves_the_unsure_queue_too(store):
    rs = ReviewSession(store, "ana", ReviewQueue()).open()
    assert rs.card().text == "Fares will rise in March"
    rs.correct_speaker(new_name="Petra Lindqvist")
    q = quote_of(store, "Fares will rise in March,")
    assert q.speaker_review == "corrected"
    us = session(store)
    seen = []
    while (card := us.card()) is not None:
        seen.append(card.quote.quote)
        us.skip()
    assert "Fares will rise in March," not in seen
    rs.undo()
    assert quote_of(store, "Fares will rise in March,").speaker_review is None


def test_migration_0006_downgrades_and_upgrades(store, db_url):
    with store.engine.begin() as conn:
        command.downgrade(schema.alembic_config(conn), "0005")
        assert "speaker_review" not in {c["name"] for c in inspect(conn).get_columns("quote")}
    with store.engine.begin() as conn:
        command.upgrade(schema.alembic_config(conn), "head")
        assert "speaker_review" in {c["name"] for c in inspect(conn).get_columns("quote")}
    assert quote_of(store, "It is a scandal,").speaker_review is None
