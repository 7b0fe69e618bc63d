"""Name normalisation and the speaker-identity policy."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from db.store.names import claim_group_id, is_global_name, is_useful_alias, normalise, normalise_name


def test_normalise_casefolds_strips_accents_and_punctuation():
    assert normalise("  José   O’Brien-Smith ") == "jose obrien smith"
    assert normalise("STRASSE") == normalise("straße")


@pytest.mark.parametrize(("name", "stype", "expected"), [
    ("Mr. John Smith", "PERSON", "john smith"),
    ("Senator Jane  Doe", "PERSON", "jane doe"),
    ("Dr Chen", "PERSON", "chen"),
    ("The Pentagon", "ORG", "pentagon"),
    ("the Taliban", "GROUP", "taliban"),
    ("General Motors", "ORG", "general motors"),
])
def test_normalise_name(name, stype, expected):
    assert normalise_name(name, stype) == expected


@pytest.mark.parametrize(("name", "stype", "shared"), [
    ("Maria Gonzalez", "PERSON", True),
    ("President Joe Biden", "PERSON", True),
    ("Gonzalez", "PERSON", False),
    ("Mr Gonzalez", "PERSON", False),
    ("President Biden", "PERSON", False),
    ("a spokesperson for the Department of Transportation", "PERSON", False),
    ("Reuters", "ORG", True),
    ("the Ministry of Health", "ORG", True),
    ("officials", "GROUP", False),
])
def test_which_names_are_shared_across_articles(name, stype, shared):
    assert is_global_name(name, stype) is shared


def test_pronouns_are_not_aliases():
    assert not is_useful_alias("she")
    assert not is_useful_alias("  ")
    assert is_useful_alias("Gonzalez")


def test_claim_group_id_ignores_case_spacing_and_punctuation():
    assert claim_group_id("Costs are 20% lower.") == claim_group_id("costs are  20 % LOWER")
    assert claim_group_id("costs are lower") != claim_group_id("costs are higher")


@given(st.text())
def test_normalise_is_idempotent(text):
    once = normalise(text)
    assert normalise(once) == once
    assert once == once.strip()
    assert "  " not in once
