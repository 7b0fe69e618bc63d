"""``attribution speakers merge / unmerge / split`` from the command line."""

from __future__ import annotations

import pytest

from tests.cli_helpers import filled_db, run, run_json

pytestmark = pytest.mark.db


@pytest.fixture
def url(db_url):
    return filled_db(db_url)


def count(url: str, speaker: str) -> int:
    return len(run_json("quotes", "--speaker", speaker, "--db", url))


def test_merge_and_unmerge(url):
    result = run("speakers", "merge", "Maria Gonzalez", "Luis Gonzalez", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "merged into" in result.stdout and "unmerge" in result.stdout
    assert count(url, "Maria Gonzalez") == 5
    result = run("speakers", "unmerge", "Luis Gonzalez", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert count(url, "Maria Gonzalez") == 3 and count(url, "Luis Gonzalez") == 2


def test_split_by_article_then_merge_back(url):
    result = run("speakers", "split", "Maria Gonzalez", "--article", "harbour", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert "1 quotes now belong to" in result.stdout
    speakers = [s for s in run_json("speakers", "--db", url) if s["name"] == "Maria Gonzalez"]
    assert sorted(s["quotes"] for s in speakers) == [1, 2]
    ids = sorted(s["id"] for s in speakers)
    assert run("speakers", "merge", str(ids[0]), str(ids[1]), "--db", url).exit_code == 0
    assert [s["quotes"] for s in run_json("speakers", "--db", url) if s["name"] == "Maria Gonzalez"] == [3]


def test_split_by_alias(url):
    result = run("speakers", "split", "Luis Gonzalez", "--alias", "Mr Gonzalez", "--db", url)
    assert result.exit_code == 0, result.stderr
    assert count(url, "Luis Gonzalez") == 1


def test_group_db_option_reaches_subcommands(url):
    assert run("speakers", "--db", url, "merge", "Maria Gonzalez", "Dr. Chen").exit_code == 0


def test_identity_errors_are_one_line(url):
    for args in (("merge", "Maria Gonzalez", "Maria Gonzalez"), ("unmerge", "Maria Gonzalez"),
                 ("split", "Maria Gonzalez"), ("merge", "Maria Gonzalez", "Nobody Here")):
        result = run("speakers", *args, "--db", url)
        assert result.exit_code == 1, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, result.stderr
