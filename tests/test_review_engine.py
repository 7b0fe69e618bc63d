"""The review engine (db.review.session) without any UI: queue, verdicts, notes, evidence, corrections, undo, resume,
leases, optimistic locking, earlier verdicts, the audit trail and rating scales."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

import db
from db.review.scales import add_scale, get_scale, list_scales, parse_label
from db.review.session import (
    NothingToUndo,
    ReviewConflict,
    ReviewError,
    ReviewQueue,
    ReviewSession,
    claim_history,
    paragraph_of,
)
from db.store.models import AuditEvent, Claim, Evidence, Quote, Review, Speaker
from tests.test_review_data import ORDER, review_db

pytestmark = pytest.mark.db


class Clock:
    """A clock tests move by hand (naive UTC)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 1, 1, 12, 0, 0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def store(db_url):
    review_db(db_url)
    with db.open_store(db_url) as opened:
        yield opened


def session(store, reviewer="ana", clock=None, **queue) -> ReviewSession:
    kwargs = {"clock": clock} if clock else {}
    return ReviewSession(store, reviewer, ReviewQueue(**queue), lease_seconds=60, **kwargs).open()


def claim_row(store, claim_id: int) -> Claim:
    with store.session() as s:
        return s.get(Claim, claim_id)


def test_queue_is_ordered_by_check_worthiness_then_date(store):
    rs = session(store)
    seen = []
    while (card := rs.card()) is not None:
        seen.append(card.text)
        rs.skip()
    assert seen == ORDER


def test_card_shows_claim_quote_in_paragraph_speaker_article_and_progress(store):
    card = session(store).card()
    assert card is not None
    assert (card.position, card.total) == (1, 5)
    assert card.text == ORDER[0] and card.status == "unreviewed" and card.version >= 1
    assert card.quote is not None and card.quote.speaker == "Priya Raman"
    assert (card.quote.role, card.quote.affiliation, card.quote.cue, card.quote.rule) == (
        "councillor", "Green Party", "said", "cue-subject")
    assert card.paragraph.startswith('"Rents rose') and card.paragraph.endswith("Raman added.")
    qs, qe = card.quote_span
    assert card.paragraph[qs:qe] == card.quote.quote
    cs, ce = card.claim_span
    assert card.paragraph[cs:ce] == card.text
    assert (card.outlet, card.url, card.published.date().isoformat()) == (
        "Valley Ledger", "https://ledger.example/rents", "2024-05-02")
    # The same speaker's other quotes on the subject (rents), most words shared first; not the claim's own quote.
    assert [r.quote for r in card.related] == ["Rents rose by 12 percent in Northvale last year.",
                                               "Rents in the old town doubled since 2015,"]


def test_verdict_is_saved_at_once_with_an_audit_event_and_moves_on(store):
    rs = session(store)
    first = rs.card()
    outcome = rs.verdict(3)
    assert outcome.moved_on and outcome.detail == "3 Half True"
    row = claim_row(store, first.claim_id)
    assert (row.status, row.version, row.lease_owner) == ("reviewed", first.version + 1, None)
    with store.session() as s:
        review = s.scalars(select(Review).where(Review.claim_id == first.claim_id)).one()
        event = s.scalars(select(AuditEvent).where(AuditEvent.entity_id == str(first.claim_id))).one()
    assert (review.reviewer, review.verdict) == ("ana", "Half True")
    assert review.rating_scale_id == get_scale_id(store, "politifact")
    assert (event.actor, event.action, event.entity_type) == ("ana", "verdict", "claim")
    assert event.before["status"] == "unreviewed" and event.after["status"] == "reviewed"
    assert event.after["verdict"] == "Half True" and event.before["verdict"] is None
    nxt = rs.card()
    assert nxt.claim_id != first.claim_id and nxt.position == 2


def get_scale_id(store, name: str) -> int:
    with store.session() as s:
        return get_scale(s, name).id


def test_verdict_outside_the_scale_is_refused(store):
    rs = session(store)
    rs.card()
    with pytest.raises(db.InvalidArgument, match="1 to 6"):
        rs.verdict(7)


def test_notes_and_evidence_stay_on_the_claim_and_count_as_changes(store):
    rs = session(store)
    card = rs.card()
    rs.note("Checked the housing office's annual report.")
    rs.evidence("https://stats.example/rents-2023", "table 4")
    with pytest.raises(db.InvalidArgument, match="http"):
        rs.evidence("javascript:alert(1)")
    with pytest.raises(db.InvalidArgument, match="empty"):
        rs.note("   ")
    again = rs.card()
    assert again.claim_id == card.claim_id and again.version == card.version + 2
    assert [n for _who, n, _at in again.notes] == ["Checked the housing office's annual report."]
    assert again.evidence == [("https://stats.example/rents-2023", "table 4", "ana")]
    rs.verdict(2)
    with store.session() as s:
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity_id == str(card.claim_id))
                            .order_by(AuditEvent.id)).all()
    assert actions == ["note", "evidence", "verdict"]


def test_undo_takes_back_the_last_actions_in_order(store):
    rs = session(store)
    first = rs.card()
    rs.note("a note")
    rs.verdict(5)
    second = rs.card()
    assert second.claim_id != first.claim_id
    outcome = rs.undo()
    assert outcome.claim_id == first.claim_id and outcome.detail == "undid verdict"
    back = rs.card()
    assert back.claim_id == first.claim_id and back.position == 1 and back.verdict is None
    assert claim_row(store, first.claim_id).status == "unreviewed"
    assert claim_row(store, second.claim_id).lease_owner is None  # given back to the queue
    rs.undo()  # the note
    assert rs.card().notes == []
    with pytest.raises(NothingToUndo):
        rs.undo()
    with store.session() as s:
        assert s.scalar(select(func.count(Review.id)).where(Review.claim_id == first.claim_id)) == 0
        undos = s.scalars(select(AuditEvent).where(AuditEvent.action == "undo")).all()
    assert [u.after["undone"] for u in undos] == ["verdict", "note"]


def test_skip_passes_a_claim_for_the_session_and_undo_brings_it_back(store):
    rs = session(store)
    first = rs.card()
    rs.skip()
    assert rs.card().claim_id != first.claim_id
    rs.undo()
    assert rs.card().claim_id == first.claim_id


def test_skipped_claims_come_back_in_the_next_session(store):
    rs = session(store)
    skipped = rs.card().claim_id
    rs.skip()
    while rs.card() is not None:
        rs.verdict(1)
    assert rs.summary().skipped == 1
    rs.close()
    again = session(store)
    assert not again.resumed and again.card().claim_id == skipped


def test_not_checkable_moves_on_and_is_recorded(store):
    rs = session(store)
    card = rs.card()
    rs.not_checkable()
    row = claim_row(store, card.claim_id)
    assert (row.status, row.checkable) == ("not_checkable", False)
    rs.undo()
    row = claim_row(store, card.claim_id)
    assert (row.status, row.checkable) == ("unreviewed", True)


def test_quitting_and_coming_back_resumes_where_the_reviewer_was(store):
    rs = session(store)
    rs.card()
    rs.verdict(1)
    current = rs.card()
    rs.close()
    assert claim_row(store, current.claim_id).lease_owner is None  # quitting frees the claim for others
    back = session(store)
    assert back.resumed and back.position == 1
    card = back.card()
    assert card.claim_id == current.claim_id and card.position == 2
    back.undo()  # the undo stack survives quitting
    assert back.card().position == 1
    other_queue = session(store, outlet="Evening Post")
    assert not other_queue.resumed


def test_two_reviewers_never_hold_the_same_claim(store):
    ana, ben = session(store, "ana"), session(store, "ben")
    a, b = ana.card(), ben.card()
    assert a.claim_id != b.claim_id
    assert claim_row(store, a.claim_id).lease_owner == "ana"
    assert claim_row(store, b.claim_id).lease_owner == "ben"


def test_an_expired_lease_lets_another_reviewer_take_the_claim(store):
    clock = Clock()
    ana = session(store, "ana", clock=clock)
    held = ana.card()
    clock.advance(61)
    ben = session(store, "ben", clock=clock)
    assert ben.card().claim_id == held.claim_id


def test_a_verdict_on_a_claim_changed_meanwhile_is_refused(store):
    clock = Clock()
    ana = session(store, "ana", clock=clock)
    held = ana.card()
    clock.advance(61)  # ana's lease runs out; ben takes the claim and rules on it
    ben = session(store, "ben", clock=clock)
    assert ben.card().claim_id == held.claim_id
    ben.verdict(6)
    with pytest.raises(ReviewConflict, match=r"changed by ben \(verdict.*nothing was saved"):
        ana.verdict(1)
    with store.session() as s:
        verdicts = s.scalars(select(Review.verdict).where(Review.claim_id == held.claim_id)).all()
    assert verdicts == ["Pants on Fire"]
    assert ana.card().claim_id != held.claim_id  # the claim left ana's queue (reviewed): she moves on


def test_an_action_while_another_reviewer_holds_the_claim_is_refused(store):
    clock = Clock()
    ana = session(store, "ana", clock=clock)
    ana.card()
    clock.advance(61)
    ben = session(store, "ben", clock=clock)
    ben.card()  # ben holds it now, unchanged
    with pytest.raises(ReviewConflict, match="being reviewed by ben"):
        ana.note("mine")


def test_re_extraction_meanwhile_counts_as_a_change(store, db_url):
    ana = session(store)
    card = ana.card()
    with store.session(write=True) as s:
        c = s.get(Claim, card.claim_id)
        c.check_worthiness = 0.95  # an ORM update bumps the version, as ingest's would
    with pytest.raises(ReviewConflict, match="was changed"):
        ana.verdict(1)
    assert ana.card().claim_id == card.claim_id  # still in the queue: shown again, as it is now


def test_earlier_verdicts_on_the_same_and_near_identical_claims(store):
    rs = session(store)
    first = rs.card()
    rs.verdict(2)
    repeat = rs.card()  # the same words in another article: same claim group
    assert repeat.group_id == first.group_id and repeat.claim_id != first.claim_id
    assert [(e.verdict, e.reviewer, e.match) for e in repeat.earlier] == [("Mostly True", "ana", "same claim")]
    rs.skip()
    rs.card()
    rs.skip()
    similar = rs.card()
    assert similar.text.startswith("rents rose by twelve")
    assert similar.earlier and similar.earlier[0].match.startswith("similar")
    assert similar.earlier[0].verdict == "Mostly True"


def test_speaker_correction_to_a_known_or_new_speaker(store):
    rs = session(store)
    card = rs.card()
    choices = rs.find_speakers("tomas berg")
    assert choices[0].name == "Tomas Berg"
    assert rs.find_speakers("brg tomas")[0].name == "Tomas Berg"  # fuzzy
    trace = card.quote.rule_trace
    rs.correct_speaker(choices[0].id)
    now = rs.card()
    assert now.quote.speaker == "Tomas Berg" and now.quote.rule == "manual"
    assert now.quote.rule_trace == [*trace, "review:speaker by ana"]  # the extractor's chain, then the reviewer
    rs.correct_speaker(new_name="Housing Office", speaker_type="ORG")
    with store.session() as s:
        quote = s.get(Quote, card.quote.quote_id)
        new = s.get(Speaker, quote.speaker_id)
    assert (new.name, new.type) == ("Housing Office", "ORG")
    rs.undo()
    rs.undo()
    assert rs.card().quote.speaker == "Priya Raman"
    assert rs.card().quote.rule_trace == trace
    with pytest.raises(db.InvalidArgument):
        rs.correct_speaker(new_name="Someone", speaker_type="ALIEN")


def test_role_correction(store):
    rs = session(store)
    rs.card()
    rs.correct_role("deputy mayor", None)
    q = rs.card().quote
    assert (q.role, q.affiliation) == ("deputy mayor", None)
    rs.undo()
    q = rs.card().quote
    assert (q.role, q.affiliation) == ("councillor", "Green Party")


def test_history_shows_the_trail_with_before_and_after(store):
    rs = session(store)
    card = rs.card()
    rs.note("first look")
    rs.verdict(4)
    rs.undo()
    with store.session() as s:
        trail = claim_history(s, f"#{card.claim_id}")
    assert [e.action for e in trail.events] == ["note", "verdict", "undo"]
    assert all(e.actor == "ana" for e in trail.events)
    assert trail.events[1].before["status"] == "unreviewed" and trail.events[1].after["verdict"] == "Mostly False"
    assert trail.events[2].after["status"] == "unreviewed"
    with store.session() as s, pytest.raises(db.NotFound):
        claim_history(s, "9999")
    with store.session() as s, pytest.raises(db.InvalidArgument):
        claim_history(s, "abc")


def test_filters_as_in_quotes_plus_worthiness_and_status(store):
    assert session(store, speaker="Tomas Berg").card().text.startswith("rents rose by twelve")
    assert session(store, outlet="tribune").card().text.startswith("Prices will fall")
    rs = session(store, min_worthiness=0.65)
    n = 0
    while rs.card() is not None:
        rs.skip()
        n += 1
    assert n == 2
    assert session(store, "zoe", status="reviewed").card() is None
    with pytest.raises(db.NotFound, match="did you mean 'Priya Raman'"):
        session(store, speaker="Priya Ramen")
    with pytest.raises(db.InvalidArgument, match="status"):
        session(store, status="done")


def test_max_confidence_queue_and_keys_of_older_sessions(store):
    # The review data's quotes: 0.9, except Raman's "added" quote at 0.7.
    rs = session(store, max_confidence=0.7)
    assert rs.card().text == "Rents in the old town doubled since 2015"
    rs.skip()
    assert rs.card() is None
    # A queue without --max-confidence hashes as it did before the option existed, so sessions saved then resume.
    import hashlib
    import json
    from dataclasses import asdict

    old = {k: v for k, v in asdict(ReviewQueue(outlet="tribune")).items() if k != "max_confidence"}
    assert ReviewQueue(outlet="tribune").key() == hashlib.sha256(
        json.dumps(old, sort_keys=True).encode()).hexdigest()[:32]
    assert ReviewQueue(max_confidence=0.5).key() != ReviewQueue().key()


def test_review_needs_a_reviewer(store):
    with pytest.raises(db.InvalidArgument, match="reviewer"):
        ReviewSession(store, "  ")


def test_actions_need_an_open_session_and_a_claim(store):
    rs = ReviewSession(store, "ana")
    with pytest.raises(ReviewError, match="Open"):
        rs.note("x")
    rs.open()
    with pytest.raises(ReviewError, match="No claim"):
        rs.verdict(1)


def test_scales_are_data_and_a_newsroom_can_add_its_own(store):
    with store.session(write=True) as s:
        add_scale(s, "newsroom", [parse_label("Correct: Checks out."), parse_label("Wrong=Does not check out.")],
                  description="two steps", actor="editor")
    with store.session() as s:
        names = [sc.name for sc in list_scales(s)]
        newsroom = get_scale(s, "newsroom")
    assert names == ["newsroom", "politifact"]
    assert [(lb.number, lb.label) for lb in newsroom.labels] == [(1, "Correct"), (2, "Wrong")]
    rs = ReviewSession(store, "ana", scale="newsroom").open()
    rs.card()
    assert rs.verdict(2).detail == "2 Wrong"
    with pytest.raises(db.InvalidArgument, match="1 to 2"):
        rs.card() and rs.verdict(3)
    bad = [([("A", "a")], "2 to 9"), ([("A", "a"), ("a", "b")], "own label"),
           ([(str(i), "d") for i in range(10)], "2 to 9")]
    for labels, message in bad:
        with store.session(write=True) as s, pytest.raises(db.InvalidArgument, match=message):
            add_scale(s, "other", labels)
    with store.session(write=True) as s, pytest.raises(db.InvalidArgument, match="exists"):
        add_scale(s, "newsroom", [("A", "a"), ("B", "b")])
    with store.session() as s, pytest.raises(db.NotFound, match="known scales are newsroom, politifact"):
        get_scale(s, "nope")
    with pytest.raises(db.InvalidArgument):
        parse_label("no definition")


def test_evidence_and_verdict_are_in_the_csv_export(store):
    import csv
    import io

    rs = session(store)
    card = rs.card()
    rs.note("first note")
    rs.evidence("https://stats.example/a")
    rs.verdict(3)
    rs.card()
    rs.note("a note on the next claim, after the verdict above")
    out = io.StringIO(newline="")
    with store.session() as s:
        db.write_export(s, "csv", db.QuoteFilter(), out)
    rows = {(r["claim"], r["outlet"]): r for r in csv.DictReader(io.StringIO(out.getvalue(), newline=""))}
    row = rows[card.text, card.outlet]
    assert (row["verdict"], row["reviewer"], row["evidence"], row["notes"]) == (
        "Half True", "ana", "https://stats.example/a", "first note")


def test_paragraph_of_cuts_long_paragraphs_around_the_span():
    text = "Title\n\n" + "word " * 400 + "\"the claim\" " + "word " * 400 + "\n\nNext."
    start = text.index('"the claim"')
    para, offset = paragraph_of(text, start, start + 11, max_chars=100)
    assert len(para) <= 100 and '"the claim"' in para
    assert text[offset:offset + len(para)] == para
    short, off = paragraph_of("A\n\nOne two.\n\nB", 3, 6)
    assert (short, off) == ("One two.", 3)


def test_evidence_rows_are_removed_by_undo(store):
    rs = session(store)
    rs.card()
    rs.evidence("https://stats.example/b")
    rs.undo()
    with store.session() as s:
        assert s.scalar(select(func.count(Evidence.id))) == 0
