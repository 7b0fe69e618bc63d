"""Speaker reviews outlive a re-extraction (db.write.carry): corrected speakers win, accepted ones stay accepted
while the new extractor agrees, changed spans carry by overlap, vanished reviews are counted, totals stay right."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

import db
from attribution.types import Article
from db.index import name_index
from db.review.unsure import UnsureQueue, UnsureSession
from db.store.models import AuditEvent, Quote, Speaker
from db.write.carry import match_spans
from tests.cli_helpers import run
from tests.db_helpers import VERSION, Canned, entity, quote, result

pytestmark = pytest.mark.db

LIBRARY = (
    "Library Hours\n\n"
    "\"The reading room will close at six,\" said Ines Duarte, the head librarian. \"Nobody asked us,\" a student "
    "said.\n\n"
    "Tomas Reyes, a councillor, said the budget was cut by a tenth. \"We will appeal,\" he added. \"The doors stay "
    "open on Sundays,\" Duarte said.\n"
)
ROOM, ASKED, BUDGET = "The reading room will close at six,", "Nobody asked us,", "the budget was cut by a tenth"
APPEAL, DOORS = "We will appeal,", "The doors stay open on Sundays,"
ART = Article(id="library-hours", text=LIBRARY, url="https://town.example/library", outlet="Town Crier",
              published="2025-02-11", title="Library Hours")


def _entities(t: str) -> list:
    return [entity(t, 1, "Ines Duarte", aliases=["Duarte"], roles=[("head librarian", None, "the head librarian")]),
            entity(t, 2, "Tomas Reyes", roles=[("councillor", None, "a councillor")])]


def first_extraction() -> Canned:
    """Version one: right about the reading room and the appeal, wrong about the student and the budget."""
    t = LIBRARY
    canned = Canned()
    canned.add(result(ART, [
        quote(t, ROOM, "Ines Duarte", entity_id=1, confidence=0.8),
        quote(t, ASKED, "Ines Duarte", mention="a student", entity_id=1, confidence=0.2, rule="nearest-name"),
        quote(t, BUDGET, "Ines Duarte", mention="Tomas Reyes", kind="indirect", entity_id=1, confidence=0.3,
              rule="nearest-name"),
        quote(t, APPEAL, "Tomas Reyes", mention="he", cue="added", entity_id=2, confidence=0.4, rule="pronoun"),
        quote(t, DOORS, "Ines Duarte", mention="Duarte", entity_id=1, confidence=0.5),
    ], _entities(t)))
    return canned


def newer_extraction(version: str = "0.4.0", appeal_by: str = "Ines Duarte", room_by: str = "Ines Duarte") -> Canned:
    """A newer version: the budget quote's span changes, the student is nobody, the appeal goes to Duarte (wrong),
    and the doors quote is not found any more."""
    t = LIBRARY
    quotes = [
        quote(t, ROOM, room_by, entity_id=1 if room_by == "Ines Duarte" else 2, confidence=0.95),
        quote(t, ASKED, None, mention="a student", confidence=0.1, rule="none"),
        quote(t, "budget was cut by a tenth.", "Ines Duarte", mention="Tomas Reyes", kind="indirect", entity_id=1,
              confidence=0.35, rule="nearest-name"),
        quote(t, APPEAL, appeal_by, mention="he", cue="added", entity_id=1 if appeal_by == "Ines Duarte" else 2,
              confidence=0.6, rule="pronoun"),
    ]
    for q in quotes:
        q.rule_trace = [f"v{version}:{q.rule}"]
    canned = Canned()
    canned.add(result(ART, quotes, _entities(t), version=version))
    return canned


def review(store) -> None:
    """Ana goes through the unsure queue: accepts three speakers, corrects two (one to a new speaker)."""
    us = UnsureSession(store, "ana", UnsureQueue()).open()
    while (card := us.card()) is not None:
        content = card.quote.quote
        if content == ASKED:
            us.correct_speaker(new_name="Lea Brandt")
        elif content == BUDGET:
            us.correct_speaker(us.find_speakers("Tomas Reyes")[0].id)
        else:
            us.accept()


def reingest(store, canned: Canned, version: str = "0.4.0") -> None:
    report = db.ingest(store, [ART], canned, version=version)
    assert (report.failed, report.reextracted) == (0, 1), report.failures


@pytest.fixture
def store(db_url):
    db.setup_database(db_url)
    with db.open_store(db_url) as opened:
        assert db.ingest(opened, [ART], first_extraction(), version=VERSION).failed == 0
        review(opened)
        yield opened


def quotes_by_content(store) -> dict[str, Quote]:
    with store.session() as s:
        return {q.content: q for q in s.scalars(select(Quote))}


def speaker_id(store, name: str) -> int:
    with store.session() as s:
        return s.scalars(select(Speaker.id).where(Speaker.name == name)).one()


def last_reextract(store) -> AuditEvent:
    with store.session() as s:
        return s.scalars(select(AuditEvent).where(AuditEvent.action == "reextract")
                         .order_by(AuditEvent.id.desc())).first()


def test_a_corrected_speaker_wins_over_the_new_extraction(store):
    reingest(store, newer_extraction())
    q = quotes_by_content(store)[ASKED]
    assert (q.speaker_id, q.speaker_name) == (speaker_id(store, "Lea Brandt"), "Lea Brandt")
    assert (q.speaker_review, q.rule, q.confidence, q.extractor_version) == ("corrected", "manual", 1.0, "0.4.0")
    # The new extractor's chain, then the reviewer, as the correction path writes it.
    assert q.rule_trace == ["v0.4.0:none", "review:speaker by ana"]


def test_an_accepted_speaker_the_new_extraction_agrees_with_stays_accepted(store):
    reingest(store, newer_extraction())
    q = quotes_by_content(store)[ROOM]
    assert (q.speaker_name, q.speaker_review) == ("Ines Duarte", "accepted")
    # The confidence is the new model's own estimate, as accepting always keeps it.
    assert (q.confidence, q.rule, q.rule_trace) == (0.95, "cue-subject", ["v0.4.0:cue-subject"])


def test_an_accepted_speaker_the_new_extraction_contradicts_becomes_a_correction(store):
    reingest(store, newer_extraction())
    q = quotes_by_content(store)[APPEAL]
    assert (q.speaker_id, q.speaker_name) == (speaker_id(store, "Tomas Reyes"), "Tomas Reyes")
    assert (q.speaker_review, q.rule, q.confidence) == ("corrected", "manual", 1.0)
    assert q.rule_trace == ["v0.4.0:pronoun", "review:speaker by ana"]
    with store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "carry",
                                                   AuditEvent.entity_id == str(q.id))).one()
    assert (event.after["was"], event.after["reviewer"], event.after["speaker_review"]) == ("accepted", "ana",
                                                                                           "corrected")


def test_a_changed_span_carries_the_review_by_overlap(store):
    old = quotes_by_content(store)[BUDGET]
    reingest(store, newer_extraction())
    quotes = quotes_by_content(store)
    assert BUDGET not in quotes
    q = quotes["budget was cut by a tenth."]
    assert (q.start, q.end) != (old.start, old.end)
    assert (q.speaker_name, q.speaker_review, q.rule, q.confidence) == ("Tomas Reyes", "corrected", "manual", 1.0)
    with store.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "carry",
                                                   AuditEvent.entity_id == str(q.id))).one()
    assert event.before == {"quote_id": old.id, "start": old.start, "end": old.end, "speaker_id": old.speaker_id,
                            "speaker_review": "corrected"}


def test_a_review_whose_quote_vanished_is_counted_in_the_audit_event(store):
    doors = quotes_by_content(store)[DOORS]
    reingest(store, newer_extraction())
    assert DOORS not in quotes_by_content(store)
    after = last_reextract(store).after
    assert (after["speaker_reviews_kept"], after["speaker_reviews_lost"]) == (4, 1)
    assert after["lost_speaker_reviews"] == [{"id": doors.id, "start": doors.start, "end": doors.end,
                                              "speaker_id": doors.speaker_id, "speaker_name": "Ines Duarte",
                                              "review": "accepted"}]


def test_speaker_counts_and_search_are_right_after(store):
    reingest(store, newer_extraction())
    with store.session() as s:
        counts = dict(s.execute(select(Speaker.name, Speaker.quote_count)).all())
        actual = dict(s.execute(select(Speaker.name, func.count(Quote.id)).join(Quote, Quote.speaker_id == Speaker.id)
                                .group_by(Speaker.name)).all())
        found = [m.name for m in name_index.match_speakers(s, "Brandt")]
    # Duarte keeps the reading room; Reyes has the budget and the appeal; Brandt, whom no extraction names, the
    # student's words.
    assert actual == {"Ines Duarte": 1, "Tomas Reyes": 2, "Lea Brandt": 1}
    assert {name: counts[name] for name in actual} == actual
    assert all(n == 0 for name, n in counts.items() if name not in actual)
    assert found == ["Lea Brandt"]


def test_reviews_are_still_exported_as_corrections(store, db_url, tmp_path):
    reingest(store, newer_extraction())
    out = tmp_path / "corrections.jsonl"
    exported = run("export", "corrections", "-o", out, "--db", db_url)
    assert exported.exit_code == 0, exported.stderr
    (doc,) = [json.loads(line) for line in out.read_text().splitlines()]
    got = {q["content"]: (q["speaker"], q["review"]) for q in doc["quotes"]}
    assert got == {ROOM: ("Ines Duarte", "accepted"), ASKED: ("Lea Brandt", "corrected"),
                   "budget was cut by a tenth.": ("Tomas Reyes", "corrected"), APPEAL: ("Tomas Reyes", "corrected")}


def test_reviews_carry_through_several_re_extractions(store):
    reingest(store, newer_extraction())
    # A third version finally gets the appeal right and now gets the reading room wrong.
    reingest(store, newer_extraction("0.5.0", appeal_by="Tomas Reyes", room_by="Tomas Reyes"), version="0.5.0")
    quotes = quotes_by_content(store)
    room = quotes[ROOM]  # accepted in 0.3.0, carried by 0.4.0: the reviewer comes from the carry event
    assert (room.speaker_name, room.speaker_review, room.rule) == ("Ines Duarte", "corrected", "manual")
    assert room.rule_trace == ["v0.5.0:cue-subject", "review:speaker by ana"]
    appeal = quotes[APPEAL]  # a correction stays one: the reviewer's entry is not repeated
    assert (appeal.speaker_name, appeal.speaker_review) == ("Tomas Reyes", "corrected")
    assert appeal.rule_trace == ["v0.5.0:pronoun", "review:speaker by ana"]
    after = last_reextract(store).after
    assert (after["speaker_reviews_kept"], after["speaker_reviews_lost"]) == (4, 0)
    assert "lost_speaker_reviews" not in after


def test_a_manual_speaker_from_before_speaker_review_counts_as_a_correction(db_url):
    # Claim-queue corrections made before migration 0006 have rule "manual" and no speaker_review.
    db.setup_database(db_url)
    with db.open_store(db_url) as opened:
        db.ingest(opened, [ART], first_extraction(), version=VERSION)
        with opened.session(write=True) as s:
            q = s.scalars(select(Quote).where(Quote.content == ASKED)).one()
            q.rule, q.confidence, q.rule_trace = "manual", 1.0, ["nearest-name", "review:speaker by old-timer"]
        reingest(opened, newer_extraction())
        q = quotes_by_content(opened)[ASKED]
    assert (q.speaker_name, q.speaker_review, q.rule) == ("Ines Duarte", "corrected", "manual")
    assert q.rule_trace == ["v0.4.0:none", "review:speaker by old-timer"]


def test_match_spans_exact_first_then_the_largest_overlap_over_half():
    # Exact spans pair first even when another old span overlaps that new span more.
    assert match_spans([(10, 20), (0, 30)], [(0, 29), (10, 20)]) == {0: 1, 1: 0}
    # More than half of the old quote must be covered: exactly half is not enough.
    assert match_spans([(0, 10)], [(5, 20)]) == {}
    assert match_spans([(0, 10)], [(4, 20)]) == {0: 0}
    # The new span covering most of the old one wins.
    assert match_spans([(0, 10)], [(0, 6), (3, 10)]) == {0: 1}
    # Two old quotes merged into one new quote: the one it covers most keeps its review, the other none.
    assert match_spans([(0, 10), (12, 30)], [(0, 30)]) == {1: 0}
    # One old quote carries to at most one new quote.
    assert match_spans([(0, 10)], [(0, 10), (0, 10)]) == {0: 0}
