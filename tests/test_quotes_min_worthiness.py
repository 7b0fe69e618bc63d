"""``attribution quotes --min-worthiness X``: quotes that make at least one claim that check-worthy."""

from __future__ import annotations

import pytest

import db
from tests.cli_helpers import filled_db, run, run_json

pytestmark = pytest.mark.db


@pytest.fixture
def newsroom_url(db_url):
    return filled_db(db_url)


def _quotes(url: str, *args: str) -> set[str]:
    return {q["quote"] for q in run_json("quotes", "--db", url, *args)}


def test_min_worthiness_keeps_quotes_with_a_claim_at_least_that_worthy(newsroom_url):
    everything = _quotes(newsroom_url)
    worthy = _quotes(newsroom_url, "--min-worthiness", "0.5")
    # The newsroom's claims: three at 0.8, the resident's prediction at 0.2; three quotes make none.
    assert worthy == {"This bridge will cut commuting times in half,", "costs are 20% lower than planned.",
                      "waiting lists will fall by a third."}
    assert _quotes(newsroom_url, "--min-worthiness", "0.2") == worthy | {"The noise will be unbearable for families,"}
    assert _quotes(newsroom_url, "--min-worthiness", "0") < everything  # a quote without claims never passes
    assert _quotes(newsroom_url, "--min-worthiness", "0.9") == set()


def test_min_worthiness_combines_with_the_other_filters(newsroom_url):
    assert _quotes(newsroom_url, "--min-worthiness", "0.5", "--speaker", "Maria Gonzalez") == {
        "This bridge will cut commuting times in half,", "costs are 20% lower than planned."}


def test_min_worthiness_outside_zero_to_one_is_refused(newsroom_url):
    result = run("quotes", "--db", newsroom_url, "--min-worthiness", "1.5")
    assert result.exit_code == 2 and "--min-worthiness" in result.stderr
    with db.open_store(newsroom_url) as store, store.session() as s, \
            pytest.raises(db.InvalidArgument, match="between 0 and 1"):
        db.find_quotes(s, db.QuoteFilter(min_worthiness=-0.1))
