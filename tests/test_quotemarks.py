"""Quote marks found on the raw text (attribution.text.quotemarks): pure functions, no parser."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from attribution.text.quotemarks import ALL_MARKS, QuoteSpan, find_quotes, paragraphs


def inner(text: str, q: QuoteSpan) -> str:
    return text[q.inner_start:q.inner_end]


def contents(text: str) -> list[str]:
    return [inner(text, q) for q in find_quotes(text)]


# --- pairing -------------------------------------------------------------------------------------


def test_curly_double_quote_with_marks_in_span_and_content_without():
    text = "“We will rebuild the bridge,” said Mayor Clara Oduya."
    [q] = find_quotes(text)
    assert text[q.start:q.end] == "“We will rebuild the bridge,”"
    assert inner(text, q) == "We will rebuild the bridge,"
    assert q.family == "double"
    assert q.paragraphs == 1


def test_straight_double_quotes_open_and_close_by_context():
    text = 'The clerk said "every ballot was counted" and "none were lost" before noon.'
    assert contents(text) == ["every ballot was counted", "none were lost"]


def test_straight_quote_at_paragraph_start():
    text = '"The budget is balanced," she said.'
    assert contents(text) == ["The budget is balanced,"]


def test_a_closing_mark_typed_where_an_opener_belongs_opens():
    text = ("I side with her verdict on the bridge (”It will stand for a century.”) and not his.\n"
            "”Fear. I am afraid.” ― Ana Diaz")
    assert contents(text) == ["It will stand for a century.", "Fear. I am afraid."]


def test_a_closing_mark_after_a_word_still_only_closes():
    assert contents("The firm’s new plan works.” Nobody said more.") == []


def test_single_curly_quotes_are_a_quote():
    text = "‘The valley will not be taken,’ the commander said."
    [q] = find_quotes(text)
    assert q.family == "single"
    assert inner(text, q) == "The valley will not be taken,"


@pytest.mark.parametrize("text", [
    "The Alliance’s plan was approved.",
    "They’re sure the ferry’s engine will hold.",
    "The meeting starts at ten o’clock sharp.",
    "Dunmore’s mayor visited the Panjshir-like valley’s farms.",
    "The leaders’ summit ended without a deal.",
    "Prices have not been this high since the ’90s.",
    "The workers’ union and the owners’ group met at the mayor’s office.",
    "It's the council's decision, and the teachers' union can't change it.",
])
def test_apostrophes_are_not_quote_marks(text):
    assert find_quotes(text) == []


def test_single_quote_containing_apostrophes_is_one_span():
    text = "‘The valley’s people won’t leave before the ’90s end,’ he said."
    [q] = find_quotes(text)
    assert inner(text, q) == "The valley’s people won’t leave before the ’90s end,"


def test_plural_possessive_before_a_single_quote_does_not_open_or_close_it():
    text = "The leaders’ meeting ended late. ‘It was long,’ one delegate said."
    assert contents(text) == ["It was long,"]


def test_straight_single_quotes_around_words():
    text = "The sign said 'closed for repairs' all week."
    assert contents(text) == ["closed for repairs"]


def test_guillemets():
    text = "«Nous restons ici», a déclaré le maire."
    [q] = find_quotes(text)
    assert q.family == "double"
    assert inner(text, q) == "Nous restons ici"


def test_single_guillemets():
    text = "Il a dit ‹non› hier."
    assert contents(text) == ["non"]


def test_german_low_high_quotes():
    text = "„Wir bleiben hier“, sagte der Bürgermeister."
    [q] = find_quotes(text)
    assert inner(text, q) == "Wir bleiben hier"
    assert text[q.start] == "„" and text[q.end - 1] == "“"


def test_nested_single_inside_double_is_part_of_the_double():
    text = "“He told me ‘never again’ and walked out,” she said."
    spans = find_quotes(text)
    assert len(spans) == 1
    assert spans[0].family == "double"
    assert inner(text, spans[0]) == "He told me ‘never again’ and walked out,"


def test_nested_double_inside_single_is_part_of_the_single():
    text = "‘He told me “never again” and walked out,’ she said."
    spans = find_quotes(text)
    assert [(q.family, inner(text, q)) for q in spans] == [("single", "He told me “never again” and walked out,")]


def test_nested_straight_single_inside_straight_double():
    text = '"He told me \'never again\' and walked out," she said.'
    spans = find_quotes(text)
    assert [inner(text, q) for q in spans] == ["He told me 'never again' and walked out,"]


def test_several_quotes_in_order():
    text = "“First,” she said. “Second,” he said. ‘Third,’ they said."
    assert contents(text) == ["First,", "Second,", "Third,"]


def test_inner_content_is_trimmed_of_spaces():
    text = "“  spaced out  ” she said."
    [q] = find_quotes(text)
    assert inner(text, q) == "spaced out"


def test_empty_quotes_are_not_spans():
    assert find_quotes("He said “” and left.") == []
    assert find_quotes("He said “   ” and left.") == []


# --- unpaired marks --------------------------------------------------------------------------------


def test_unclosed_double_mark_does_not_swallow_the_rest_of_the_article():
    text = ("He said “we stay and then left the hall.\n"
            "The next paragraph has “a real quote” in it.\n"
            "A third paragraph has nothing quoted at all.")
    spans = find_quotes(text)
    assert [inner(text, q) for q in spans] == ["a real quote"]
    first_para_end = text.index("\n")
    assert all(q.start > first_para_end for q in spans)


def test_unclosed_straight_mark_stays_in_its_paragraph():
    text = 'He said "we stay and then left.\nThe next paragraph has "a real quote" here.'
    assert contents(text) == ["a real quote"]


def test_stray_closing_mark_is_ignored():
    text = "Stray closing” mark and then “a quote” later."
    assert contents(text) == ["a quote"]


def test_odd_number_of_straight_marks_in_a_paragraph():
    text = 'He is 6\'2" tall and said "fine" to the panel.'
    assert contents(text) == ["fine"]


def test_unclosed_mark_before_a_blank_line():
    text = "“Unclosed opening words here\n\nAnother paragraph with “a closed one” here."
    assert contents(text) == ["a closed one"]


def test_unclosed_multi_paragraph_run_is_dropped_at_the_first_plain_paragraph():
    text = "“One.\n“Two.\n“Three.\nThe reporter then wrote a plain paragraph.\nShe said “done” at last."
    spans = find_quotes(text)
    assert [inner(text, q) for q in spans] == ["done"]


def test_many_stray_marks_produce_no_span():
    text = "Open “ here\nand ” there\n“ again\nplain\n' single\nend '"
    assert find_quotes(text) == []


# --- multi-paragraph quotations --------------------------------------------------------------------


def test_multi_paragraph_quote_is_one_span():
    text = ("Coach Marta Lindqvist spoke after the match.\n"
            "“We played without fear in the first half.\n"
            "“In the second half we lost our shape.\n"
            "“Next week we start again.”\n"
            "The club is fourth in the table.")
    spans = find_quotes(text)
    assert len(spans) == 1
    q = spans[0]
    assert q.paragraphs == 3
    assert text[q.start] == "“" and text[q.end - 1] == "”"
    assert q.start == text.index("“We played")
    assert q.end == text.index("again.”") + len("again.”")


def test_multi_paragraph_straight_quote_is_one_span():
    text = 'She said:\n"The first part.\n"The second part."\nDone.'
    [q] = find_quotes(text)
    assert q.paragraphs == 2
    assert inner(text, q) == 'The first part.\n"The second part.'


def test_multi_paragraph_with_blank_lines_between():
    text = "“The first part of it.\n\n“The end of it.”\n\nAfter."
    [q] = find_quotes(text)
    assert q.paragraphs == 2
    assert inner(text, q) == "The first part of it.\n\n“The end of it."


# --- paragraphs ------------------------------------------------------------------------------------


def test_paragraphs_skip_blank_and_punctuation_only_lines_and_trim():
    text = "  First line.  \n\n.\n---\nSecond line\n"
    spans = paragraphs(text)
    assert [text[s:e] for s, e in spans] == ["First line.", "Second line"]


# --- properties ------------------------------------------------------------------------------------

_ALPHABET = st.sampled_from(list(ALL_MARKS) + list("ab ’s\n.,") + ["\u00a0", "\u200b", "\u202e", "word", "o’clock"])


def _check_span(text: str, q: QuoteSpan) -> None:
    assert 0 <= q.start <= q.inner_start <= q.inner_end <= q.end <= len(text)
    assert q.inner_end > q.inner_start
    assert text[q.start] in ALL_MARKS and text[q.end - 1] in ALL_MARKS
    assert q.family in ("double", "single")
    # A span crosses a line break only as a multi-paragraph quotation: every paragraph it runs
    # into opens with a quote mark.
    lines = [ln for ln in text[q.start:q.end].split("\n")[1:] if re.search(r"\w", ln)]
    if q.paragraphs == 1:
        assert not lines
    assert all(ln.lstrip()[:1] in ALL_MARKS for ln in lines)


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_are_in_range_ordered_and_never_cross(text):
    spans = find_quotes(text)
    assert [q.start for q in spans] == sorted(q.start for q in spans)
    for q in spans:
        _check_span(text, q)
    for a in spans:
        for b in spans:
            if a is not b and a.start < b.start < a.end:
                assert b.end <= a.end, f"{a} and {b} cross"


@settings(max_examples=300, deadline=None)
@example("word“‘“‘”’")
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_spans_are_disjoint(text):
    spans = find_quotes(text)
    prev_end = -1
    for q in spans:
        assert q.start >= prev_end, "quote spans overlap"
        prev_end = q.end


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["“", "”", '"', "‘", "’", "'", "word ", "x. "]), max_size=20).map("".join),
       st.text(alphabet="abc .,", min_size=1, max_size=40))
def test_marks_in_one_paragraph_never_reach_into_the_next_plain_one(first, second):
    text = first + "\n" + "Plain " + second
    boundary = len(first)
    for q in find_quotes(text):
        assert q.end <= boundary or q.start > boundary
