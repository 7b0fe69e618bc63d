"""Roles and affiliations the article states for speakers, through the real parser."""

from __future__ import annotations

import pytest

from tests.test_extract_direct import check_result, describe, quote_with, run_all

TEXTS = {
    "possessive-title": "The Acme Corp’s chief executive Jane Roe said the merger had been approved by regulators.",
    "compound-title": "Acme Corp chief executive Jane Roe said on Monday that the merger had been approved.",
    "of-apposition": "Jane Roe, chief executive of Acme Corp, said on Monday that the merger had been approved.",
    "pre-nominal": "Union official Ravi Patel said the strike would go ahead on Friday.",
    "pre-nominal-2": "Police spokesman Tom Birch said the road would reopen on Friday.",
    "dash-apposition": "Ravi Patel – a veteran organiser – said the workers had voted to accept the offer.",
    "comma-apposition": "Ravi Patel, the town engineer, said the water was safe to drink again.",
    "led-by": ("The Harbour Alliance is led by Selma Okafor.\n"
               "“We will not be moved from this quay,” she said."),
    "who-chairs": ("Selma Okafor, who chairs the Harbour Alliance, addressed the crowd. "
                   "“This quay belongs to the fishermen,” she said."),
    "later-surname": ("Finance minister Lorna Beck presented the budget to parliament on Tuesday.\n"
                      "Critics were unimpressed by the plan.\n"
                      "“Taxes will not rise this year,” Ms Beck said.\n"
                      "Later, Ms Beck said the deficit had fallen to 2 per cent."),
    "later-mr": ("Police spokesman Tom Birch addressed reporters in Norwell on Sunday.\n"
                 "Several roads were closed after the storm.\n"
                 "“The coast road will reopen on Friday,” Mr Birch said."),
    "title-in-inversion": "“We will rebuild the bridge before winter,” said Mayor Clara Oduya.",
    "no-role-from-object": ("The farmer Henrik Dahl has run the orchard for 40 years with his son, Erik Dahl.\n"
                            "“I want to plant pears next year,” Erik Dahl said."),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


def test_role_facts_point_at_their_evidence(results):
    for r in results.values():
        text = r.article.text
        for e in r.entities:
            for fact in e.roles:
                assert 0 <= fact.start < fact.end <= len(text)
                assert fact.rule
                if fact.title and fact.rule != "led-by":  # "is led by" states the title as a verb
                    assert fact.title in text


def test_role_by_possessive_title(results):
    r = results["possessive-title"]
    q = quote_with(r, "merger had been approved")
    assert q.speaker == "Jane Roe"
    assert q.role is not None and "chief executive" in q.role
    assert "Acme" not in q.role
    assert q.affiliation is not None and "Acme" in q.affiliation


@pytest.mark.parametrize("key", ["compound-title", "of-apposition"])
def test_role_with_organisation(results, key):
    q = quote_with(results[key], "merger had been approved")
    assert q.speaker == "Jane Roe"
    assert q.role == "chief executive"
    assert q.affiliation is not None and "Acme Corp" in q.affiliation


@pytest.mark.parametrize("key, needle, speaker, title, affiliation", [
    ("pre-nominal", "strike would go ahead", "Ravi Patel", "official", "Union"),
    ("pre-nominal-2", "road would reopen", "Tom Birch", "spokesman", "Police"),  # the body is the affiliation
])
def test_role_by_pre_nominal_title(results, key, needle, speaker, title, affiliation):
    q = quote_with(results[key], needle)
    assert q.speaker == speaker
    assert q.role == title
    assert q.affiliation == affiliation


@pytest.mark.parametrize("key, title", [
    ("dash-apposition", "organiser"),  # "veteran" describes, it is not part of the title
    ("comma-apposition", "town engineer"),
])
def test_role_by_apposition(results, key, title):
    r = results[key]
    [q] = r.quotes
    assert q.speaker == "Ravi Patel"
    assert q.role == title
    assert q.speaker_mention == "Ravi Patel"
    assert title not in q.content
    [entity] = [e for e in r.entities if e.name == "Ravi Patel"]
    assert any(f.rule == "apposition" and f.title == title for f in entity.roles)


@pytest.mark.parametrize("key, title", [("led-by", "leader"), ("who-chairs", "chair")])
def test_x_is_led_by_y_makes_y_leader_of_x(results, key, title):
    r = results[key]
    [q] = r.quotes
    assert q.speaker == "Selma Okafor"
    assert q.speaker_mention == "she"
    assert q.role == title
    assert q.affiliation is not None and "Harbour Alliance" in q.affiliation
    [alliance] = [e for e in r.entities if "Harbour Alliance" in e.name]
    assert alliance.type == "ORG"


def test_later_surname_mention_carries_the_role(results):
    r = results["later-surname"]
    direct = quote_with(r, "Taxes will not rise")
    indirect = quote_with(r, "deficit had fallen")
    for q in (direct, indirect):
        assert q.speaker == "Lorna Beck"
        assert q.speaker_mention in ("Beck", "Ms Beck")
        assert q.role == "Finance minister"
    assert direct.entity_id == indirect.entity_id


def test_later_mr_surname_carries_the_role(results):
    q = quote_with(results["later-mr"], "coast road")
    assert q.speaker == "Tom Birch"
    assert q.speaker_mention in ("Birch", "Mr Birch")
    assert q.role == "spokesman" and q.affiliation == "Police"


def test_title_inside_an_inverted_name(results):
    q = quote_with(results["title-in-inversion"], "rebuild the bridge")
    assert q.speaker == "Clara Oduya"
    assert q.role == "Mayor"


def test_object_noun_before_a_name_is_not_a_role(results):
    r = results["no-role-from-object"]
    q = quote_with(r, "plant pears")
    assert q.speaker == "Erik Dahl"
    [erik] = [e for e in r.entities if e.name == "Erik Dahl"]
    titles = [f.title for f in erik.roles if f.title]
    assert "orchard" not in " ".join(titles).lower(), describe(r)
    assert q.role is None or "orchard" not in q.role
