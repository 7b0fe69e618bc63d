"""Claims: group ids across articles, statuses, optimistic locking for the review sessions to come."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

import db
from attribution.types import Article
from db.store.models import Claim
from tests.db_helpers import VERSION, Canned, claim, fill, quote, result

pytestmark = pytest.mark.db


def test_the_same_claim_in_two_articles_shares_a_group_id(store):
    fill(store)
    text = 'Mayor Ida Lund repeated it: "This bridge will cut commuting times in half!" she said.'
    article = Article(id="repeat", text=text)
    canned = Canned()
    canned.add(result(article, [quote(text, "This bridge will cut commuting times in half!", "Ida Lund",
                                      claims=[claim(text, "This bridge will cut commuting times in half!")])]))
    db.ingest(store, [article], canned, version=VERSION)
    with store.session() as s:
        groups = s.execute(select(Claim.group_id, Claim.article_id).where(Claim.text.like("This bridge%"))).all()
    assert len(groups) == 2 and groups[0][0] == groups[1][0] and groups[0][1] != groups[1][1]


def test_statuses_follow_checkability(store):
    fill(store)
    with store.session() as s:
        statuses = dict(s.execute(select(Claim.text, Claim.status)).all())
    assert statuses["The noise will be unbearable for families"] == "not_checkable"
    assert statuses["waiting lists will fall by a third"] == "unreviewed"


def test_version_column_detects_lost_updates(store):
    fill(store)
    # Two reviewers load the same claim, each in a short read transaction, then both save.
    with Session(store.engine, expire_on_commit=False) as first, \
            Session(store.engine, expire_on_commit=False) as second:
        a = first.scalars(select(Claim).order_by(Claim.id)).first()
        first.commit()
        b = second.get(Claim, a.id)
        second.commit()
        assert a.version == b.version == 1
        a.status, a.lease_owner = "in_review", "ana"
        first.commit()
        assert a.version == 2
        b.status = "reviewed"
        with pytest.raises(StaleDataError):
            second.commit()
