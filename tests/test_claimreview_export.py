"""``attribution export claimreview``: schema.org ClaimReview JSON-LD for reviewed claims."""

from __future__ import annotations

import io
import json

import pytest

import db
from db.review.claimreview import write_claimreview
from db.review.session import ReviewQueue, ReviewSession
from tests.cli_helpers import run
from tests.test_review_data import ORDER, review_db

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    review_db(db_url)
    with db.open_store(db_url) as store:
        rs = ReviewSession(store, "ana").open()
        rs.card()
        rs.evidence("https://stats.example/rents-2023")
        rs.note("internal: ask the desk")
        rs.verdict(4)  # Mostly False, on the claim quoted in two articles
        rs.card()
        rs.skip()
        rs.card()
        rs.not_checkable()
        rs.close()
    return db_url


def reviews_of(url: str, **queue) -> list[dict]:
    out = io.StringIO()
    with db.open_store(url) as store, store.session() as s:
        count = write_claimreview(s, out, ReviewQueue(**queue), publisher="Valley Fact Desk")
    data = json.loads(out.getvalue())
    assert len(data) == count
    return data


def test_a_reviewed_claim_becomes_a_claimreview(url):
    (item,) = reviews_of(url)
    assert item["@context"] == "https://schema.org" and item["@type"] == "ClaimReview"
    assert item["claimReviewed"] == ORDER[0]
    assert item["author"] == {"@type": "Person", "name": "ana"}
    assert item["publisher"] == {"@type": "Organization", "name": "Valley Fact Desk"}
    assert len(item["datePublished"]) == 10
    rating = item["reviewRating"]
    assert rating["@type"] == "Rating" and rating["alternateName"] == "Mostly False"
    # Mostly False is step 4 of 6 from the true end: 3 counting up from the false end.
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (3, 6, 1)
    assert rating["ratingExplanation"].startswith("Holds an element of truth")
    claim = item["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["author"] == {"@type": "Person", "name": "Priya Raman", "jobTitle": "councillor",
                               "affiliation": {"@type": "Organization", "name": "Green Party"}}
    urls = [a["url"] for a in claim["appearance"]]
    assert urls == ["https://ledger.example/rents", "https://post.example/hearing"]  # every article, oldest first
    assert claim["firstAppearance"]["url"] == "https://ledger.example/rents"
    assert claim["firstAppearance"]["publisher"] == {"@type": "Organization", "name": "Valley Ledger"}
    assert claim["datePublished"] == "2024-05-02"
    assert item["citation"] == ["https://stats.example/rents-2023"]
    assert "ask the desk" not in json.dumps(item)  # working notes are not published


def test_filters_apply_and_nothing_reviewed_gives_an_empty_array(url):
    assert reviews_of(url, outlet="Evening Post") == []
    assert len(reviews_of(url, speaker="Priya Raman")) == 1


def test_cli_writes_the_file_and_escapes_script_endings(url, tmp_path):
    with db.open_store(url) as store:
        rs = ReviewSession(store, "</script><b>", ReviewQueue(outlet="Tribune")).open()
        rs.card()
        rs.verdict(6)
    out = tmp_path / "reviews.jsonld"
    result = run("export", "claimreview", "-o", out, "--publisher", "Desk", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "Exported 2 claim reviews" in result.stderr
    text = out.read_text(encoding="utf-8")
    assert "</script>" not in text and "<\\/script>" in text
    data = json.loads(text)
    assert {d["reviewRating"]["alternateName"] for d in data} == {"Mostly False", "Pants on Fire"}
    hostile = next(d for d in data if d["reviewRating"]["alternateName"] == "Pants on Fire")
    assert hostile["author"]["name"] == "</script><b>"
    assert hostile["claimReviewed"] == ORDER[4]
    stdout = run("export", "claimreview", "--db", url, "--outlet", "Tribune")
    assert stdout.exit_code == 0 and json.loads(stdout.stdout)[0]["claimReviewed"] == ORDER[4]


def test_csv_and_jsonl_exports_still_work_through_the_same_command(url, tmp_path):
    out = tmp_path / "q.csv"
    result = run("export", "csv", "-o", out, "--db", url)
    assert result.exit_code == 0, result.stderr
    text = out.read_text(encoding="utf-8")
    assert "Mostly False,ana,https://stats.example/rents-2023,internal: ask the desk" in text
    jsonl = run("export", "jsonl", "--db", url, "--limit", "1")
    assert jsonl.exit_code == 0 and json.loads(jsonl.stdout.splitlines()[0])["quote_id"]
