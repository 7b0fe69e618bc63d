"""Stored claims follow the check-worthiness model: each records the model version that scored it, and
``attribution setup`` re-scores those another version scored (migration 0007), never touching a
reviewer's status."""

from __future__ import annotations

from datetime import datetime

import pytest
from alembic import command
from sqlalchemy import func, inspect, select, text, update
from sqlmodel import col

import db
from attribution.claims.statements import rescore
from attribution.claims.worthiness import CLAIM_MODEL_VERSION, score_text
from attribution.web.client import WebClient
from db.feeds.follow import follow_pass
from db.store import schema
from db.store.models import AuditEvent, Claim
from db.write.claim_scores import _stale
from tests.cli_helpers import run, run_json
from tests.db_helpers import fill

pytestmark = pytest.mark.db


def _claims(store) -> dict[str, Claim]:
    with store.session() as s:
        return {c.text: c for c in s.scalars(select(Claim))}


def test_new_claims_record_the_model_that_scored_them(store, db_url):
    fill(store)
    claims = _claims(store)
    assert claims and {c.claim_model for c in claims.values()} == {CLAIM_MODEL_VERSION}
    assert run_json("stats", "--db", db_url)["claim_models"] == {CLAIM_MODEL_VERSION: len(claims)}


def _age(store, texts: list[str], version: str | None) -> None:
    """As if an older model had scored these claims: another version, a score and reason of its own."""
    with store.session(write=True) as s:
        s.execute(update(Claim).where(Claim.text.in_(texts))
                  .values(claim_model=version, check_worthiness=0.5, reason="a question, numbers")
                  .execution_options(synchronize_session=False))


def test_any_other_model_or_none_is_stale_and_found_through_the_index(store):
    fill(store)
    texts = list(_claims(store))
    assert len(texts) >= 3
    _age(store, texts[:1], "cw-0")  # sorts before the running version
    _age(store, texts[1:2], "zz-9")  # and after it
    _age(store, texts[2:3], None)  # scored before versions were recorded
    with store.session() as s:
        assert db.stale_claims(s) == 3
        if s.get_bind().dialect.name == "sqlite":
            # migration 0008's index answers the query that runs at every setup and ingest
            query = select(func.count(col(Claim.id))).where(_stale())
            sql = str(query.compile(s.get_bind(), compile_kwargs={"literal_binds": True}))
            plan = " ".join(str(row[-1]) for row in s.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert "SEARCH claim USING COVERING INDEX ix_claim_claim_model" in plan and "SCAN" not in plan, plan


def test_setup_rescores_claims_of_another_model_and_keeps_the_reviews(store, db_url):
    fill(store)
    fact, promise = "costs are 20% lower than planned", "The noise will be unbearable for families"
    with store.session(write=True) as s:
        s.execute(update(Claim).where(Claim.text == fact).values(status="reviewed")
                  .execution_options(synchronize_session=False))
    _age(store, [fact, promise], "cw-0")
    before = _claims(store)
    with store.session() as s:
        assert db.stale_claims(s) == 2
    assert run_json("stats", "--db", db_url)["claim_models"]["cw-0"] == 2

    result = run("setup", "--db", db_url)
    assert result.exit_code == 0, result.stderr
    assert f"2 re-scored with claim model {CLAIM_MODEL_VERSION}" in result.stdout
    after = _claims(store)
    for claim_text in (fact, promise):
        new = after[claim_text]
        assert new.claim_model == CLAIM_MODEL_VERSION
        assert new.check_worthiness == score_text(claim_text).score
        # Neither the review nor the not-checkable verdict nor the locking version moved.
        assert (new.status, new.checkable, new.version) == (before[claim_text].status, before[claim_text].checkable,
                                                             before[claim_text].version)
    assert after[fact].status == "reviewed"
    assert (after[fact].check_worthiness, after[fact].reason) == rescore(fact, "a question, numbers", True)
    # The rules' reason of a not-checkable claim survives (its parse is not there to run them again).
    assert after[promise].reason.startswith("a question")
    assert after[fact].check_worthiness > after[promise].check_worthiness
    with store.session() as s:
        assert db.stale_claims(s) == 0
    assert run("setup", "--db", db_url).stdout.count("re-scored") == 0


def test_rescoring_goes_batch_by_batch_and_leaves_an_audit_event_per_batch(store):
    fill(store)
    texts = list(_claims(store))
    _age(store, texts[:1], None)
    _age(store, texts[1:], "claims-0")
    assert db.rescore_claims(store, batch=1) == len(texts)
    assert db.rescore_claims(store) == 0
    with store.session() as s:
        events = list(s.scalars(select(AuditEvent).where(AuditEvent.action == "rescore").order_by(AuditEvent.id)))
    assert len(events) == len(texts)
    assert {e.entity_id for e in events} == {CLAIM_MODEL_VERSION}
    assert [e.before["claim_models"] for e in events] == [{"none": 1}] + [{"claims-0": 1}] * (len(texts) - 1)
    assert all(e.after["claims"] == 1 and e.after["claim_model"] == CLAIM_MODEL_VERSION for e in events)


def test_ingest_rescores_stale_claims_before_it_stores_anything(store):
    fill(store)
    texts = list(_claims(store))
    _age(store, texts, "claims-0")
    report = db.ingest(store, [], lambda article: None)
    assert (report.rescored, report.total) == (len(texts), 0)
    assert {c.claim_model for c in _claims(store).values()} == {CLAIM_MODEL_VERSION}
    assert db.ingest(store, [], lambda article: None).rescored == 0


def test_a_follow_pass_rescores_once_and_its_articles_ingest_without_rescoring(store, web_config):
    fill(store)
    texts = list(_claims(store))
    _age(store, texts, "claims-0")
    with WebClient(web_config) as client:
        follow_pass(store, [], client, lambda article: None)  # no feeds: nothing fetched, nothing ingested
    assert {c.claim_model for c in _claims(store).values()} == {CLAIM_MODEL_VERSION}
    _age(store, texts, "claims-0")
    assert db.ingest(store, [], lambda article: None, rescore=False).rescored == 0
    assert {c.claim_model for c in _claims(store).values()} == {"claims-0"}


def _insert_old_claim(conn) -> None:
    """An article and a reviewed claim as a database at revision 0005 holds them (no claim_model column)."""
    now = datetime(2024, 6, 1)
    article_id = conn.execute(text(
        "INSERT INTO article (sha256, dated_at, text, ingested_at, extracted_at, extractor_version, model_ids) "
        "VALUES (:sha, :now, :text, :now, :now, '0.6.0', '{}') RETURNING id"),
        {"sha": "cd" * 32, "now": now, "text": "Ferry fares rose by 30 percent in 2023."}).scalar_one()
    conn.execute(text(
        "INSERT INTO claim (article_id, text, start, \"end\", check_worthiness, reason, checkable, status, group_id, "
        "version, created_at, updated_at) VALUES (:a, 'Ferry fares rose by 30 percent in 2023.', 0, 39, 0.6, "
        "'a number', true, 'reviewed', 'g1', 1, :now, :now)"), {"a": article_id, "now": now})


def test_migration_0007_adds_the_column_and_setup_rescores_old_claims(db_url):
    engine = db.make_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(schema.alembic_config(conn), "0005")
            _insert_old_claim(conn)
    finally:
        engine.dispose()
    assert run("setup", "--db", db_url).exit_code == 0
    with db.open_store(db_url) as store:
        [claim] = _claims(store).values()
        assert claim.claim_model == CLAIM_MODEL_VERSION and claim.status == "reviewed"
        assert claim.check_worthiness == score_text(claim.text).score
        with store.engine.begin() as conn:
            command.downgrade(schema.alembic_config(conn), "0006")
            assert "claim_model" not in {c["name"] for c in inspect(conn).get_columns("claim")}
            command.upgrade(schema.alembic_config(conn), "head")
            assert "claim_model" in {c["name"] for c in inspect(conn).get_columns("claim")}


def test_the_review_card_shows_the_rescored_score_and_reason(db_url, monkeypatch):
    from cli import common
    from tests.test_review_data import review_db

    url = review_db(db_url)
    with db.open_store(url) as store:
        _age(store, list(_claims(store)), "cw-0")
    assert run("setup", "--db", url).exit_code == 0
    with db.open_store(url) as store:
        top = max((c for c in _claims(store).values() if c.checkable), key=lambda c: c.check_worthiness)
    monkeypatch.setattr(common.console, "_width", 300)  # the card's facts on one line
    result = run("review", "--db", url, "--reviewer", "ana", input="q\n")
    assert result.exit_code == 0, result.stderr
    card = next(line for line in result.stdout.splitlines() if line.startswith("Claim:"))
    assert top.text in card
    assert f"check-worthiness {top.check_worthiness:.2f} · {top.reason}" in card
    assert top.reason == score_text(top.text).reason
