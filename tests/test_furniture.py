"""Page furniture and headings (attribution.reading.furniture): pure, no parser."""

from __future__ import annotations

import pytest

from attribution.reading.furniture import is_furniture


@pytest.mark.parametrize("line", [
    "Read More",
    "Read more:",
    "Related Articles",
    "Related",
    "Back to top button",
    "Share this:",
    "Leave a Reply",
    "Leave a Reply Cancel reply",
    "Post Comment",
    "Comments",
    "Required fields are marked *",
    "Your email address will not be published. Required fields are marked *",
    "Source: Harbour Daily",
    "Photo: Jane Doe/Harbour Daily",
    "Image credit: Norwell Council",
    "Flood defences fail in Norwell",
    "Storm damage: what we know so far",
    "‘Hit hard’",
    "“Never again”",
    "Advertisement",
    "",
    "   ",
    "* * *",
])
def test_furniture_and_headings(line):
    assert is_furniture(line) is True


@pytest.mark.xfail(strict=True, reason="engine: a full-sentence comment-form line is read as prose "
                                       "(furniture is decided by shape only)")
def test_comment_form_consent_line_is_furniture():
    assert is_furniture("Save my name, email, and website in this browser for the next time I comment.")


@pytest.mark.parametrize("line", [
    "The council voted on Tuesday to close the library.",
    "Residents were furious.",
    "He left.",
    "Why?",
    "“We will fight this decision in court,” she said.",
    "‘The valley will not be taken,’ the commander said.",
    "The storm destroyed 40 homes, according to the fire service.",
    "The mayor, who was elected in 2019 and has served two terms since then, said the funding for the "
    "new bridge had been approved by the regional assembly",
    "Officials said the ferry would resume on Friday; the harbour remains closed until then.",
])
def test_prose_is_not_furniture(line):
    assert is_furniture(line) is False


@pytest.mark.parametrize("line", [
    "READ MORE: Norwell mayor says the ferry will be ‘back by spring’",
    "WATCH: Flood waters rise across Norwell and Brackley, U.S.",
    "RELATED: ‘It was a nightmare’: residents of Brackley count the cost of the storm and ask who pays",
    "READ MORE: Council votes to close the Norwell library after a long debate about budgets and the "
    "future of the old building",
])
def test_labelled_link_to_another_story_is_furniture(line):
    # a headline after a capitalised label, even ending with a quote mark or an abbreviation
    assert is_furniture(line) is True


@pytest.mark.parametrize("line", [
    "MARKETS: Quillon Energy said on Tuesday that profits rose by 12 per cent.",
    "EARNINGS: Ferrowell Mining said it posted a loss. It still finished the year ahead, the company said.",
])
def test_labelled_sentence_is_prose(line):
    assert is_furniture(line) is False


def test_long_unpunctuated_paragraph_is_prose():
    line = " ".join(["word"] * 25)
    assert is_furniture(line) is False


@pytest.mark.parametrize("space", ["\u00a0", "\u202f", "\u3000"])
def test_trailing_unicode_space_does_not_make_prose_furniture(space):
    assert is_furniture("The council voted on Tuesday to close the library." + space) is False


@pytest.mark.parametrize("invisible", ["\u200b", "\u200e", "\u200f", "\ufeff", "\u2060"])
def test_trailing_invisible_character_does_not_make_prose_furniture(invisible):
    assert is_furniture("The council voted on Tuesday to close the library." + invisible) is False
