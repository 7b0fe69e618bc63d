"""Direct quotations through the real Stanza pipeline: marks, inversion, split and running quotes.

Every text is invented for these tests. All texts of the module go through the parser in one batch.
The helpers at the top (``check_result``, ``quote_with``) are shared by the other extraction test files.
"""

from __future__ import annotations

import pytest

from attribution import Article, ExtractionResult, Quote

# --- shared helpers --------------------------------------------------------------------------------


def check_quote(text: str, q: Quote) -> None:
    """The invariants every quote holds: exact offsets, mention and cue offsets, confidence, rule."""
    assert 0 <= q.start <= q.end <= len(text)
    assert text[q.start:q.end] == q.content
    assert q.kind in ("direct", "partial", "mixed", "indirect")
    assert 0.0 <= q.confidence <= 1.0
    assert isinstance(q.rule, str) and q.rule
    if q.speaker_start is not None:
        assert q.speaker_end is not None
        assert 0 <= q.speaker_start < q.speaker_end <= len(text)
        assert text[q.speaker_start:q.speaker_end] == q.speaker_mention
    else:
        assert q.speaker_end is None
    if q.cue_start is not None:
        assert q.cue_end is not None
        assert 0 <= q.cue_start < q.cue_end <= len(text)
        assert text[q.cue_start:q.cue_end] == q.cue
    else:
        assert q.cue is None
    if q.speaker is None:
        assert q.speaker_type is None
    else:
        assert q.speaker_type in ("PERSON", "ORG", "GROUP")
    for fs, fe in q.fragments:
        assert q.start <= fs < fe <= q.end
    for c in q.claims:
        assert q.start <= c.start <= c.end <= q.end
        assert text[c.start:c.end] == c.text
        assert 0.0 <= c.check_worthiness <= 1.0


def check_result(r: ExtractionResult) -> None:
    """Every quote of a result is well-formed and no two quotes overlap."""
    text = r.article.text
    for q in r.quotes:
        check_quote(text, q)
    spans = sorted((q.start, q.end) for q in r.quotes)
    for (_, e1), (s2, _) in zip(spans, spans[1:], strict=False):
        assert e1 <= s2, f"overlapping quotes in {r.article.id}"


def describe(r: ExtractionResult) -> str:
    return "\n".join(f"  {q.kind} {q.content!r} <- {q.speaker!r} ({q.speaker_mention!r}, cue {q.cue!r}, {q.rule})"
                     for q in r.quotes) or "  (no quotes)"


def quote_with(r: ExtractionResult, needle: str) -> Quote:
    """The one quote whose content contains ``needle``."""
    found = [q for q in r.quotes if needle in q.content]
    assert len(found) == 1, f"expected one quote containing {needle!r} in {r.article.id}, got:\n{describe(r)}"
    return found[0]


def run_all(extractor, texts: dict[str, str]) -> dict[str, ExtractionResult]:
    results = {r.article.id: r for r in extractor.extract_many(Article(id=k, text=v) for k, v in texts.items())}
    assert set(results) == set(texts)
    return results


# --- texts -----------------------------------------------------------------------------------------

TEXTS = {
    "curly-said-name": "“We will rebuild the bridge before winter,” said Mayor Clara Oduya.",
    "straight-she-said": ("Councillor Maria Santos opened the budget meeting on Tuesday.\n"
                          "\"The budget is balanced for the first time in a decade,\" she said."),
    "straight-said-name": "\"The water in the eastern district is safe to drink again,\" said Ravi Patel.",
    "name-said": "“The new ward will open in May,” Dr Helen Achterberg said on Friday.",
    "colon": "Town clerk Benedict Harrow said: “Every ballot in the district was counted twice.”",
    "split-name-said": ("Harbour master Ingrid Solberg inspected the damaged pier on Monday.\n"
                        "“The river rose quickly,” Solberg said, “and the levee held for only an hour.”"),
    "split-said-name": "“The river rose quickly,” said Ingrid Solberg, “and the levee held for only an hour.”",
    "split-she-said": ("Harbour master Ingrid Solberg inspected the damaged pier on Monday.\n"
                       "“The river rose quickly,” she said, “and the levee held for only an hour.”"),
    "quote-only-paragraph": (
        "Fire chief Dana Whitlock described the blaze at the warehouse in Norwell.\n"
        "“It started in the loading bay and spread across the roof within minutes,” Whitlock said.\n"
        "“Nobody was inside when the roof collapsed, which is a small miracle.”"),
    "multi-paragraph": (
        "Coach Marta Lindqvist said after the match that her team had been outplayed.\n"
        "“We played without fear in the first half.\n"
        "“In the second half, we lost our shape and they punished us for it.”\n"
        "The club is fourth in the table."),
    "asked-name": "“Why would anyone trust the council again?” asked Ana Flores.",
    "single-marks": "‘The valley’s farmers won’t leave before the harvest is in,’ said Omar Faizi.",
    "apostrophes-inside": ("“Let’s be clear: the ’90s are over and the leaders’ old tricks won’t work,” "
                           "Omar Faizi said."),
    "titles": ('She appeared on "Saturday Night Live" last year and later starred in '
               "“The Long Harbour Road” at the Norwell Playhouse."),
    "scare-quote": "The so-called “smart” meters were installed in 300 homes in Norwell last year.",
    "furniture": (
        "Read More\n"
        "Related Articles\n"
        "Back to top button\n"
        "“We will fight this closure in every court in the land,” said Ana Flores.\n"
        "Leave a Reply\n"
        "Your email address will not be published. Required fields are marked *\n"
        "Source: Harbour Daily\n"
        "“Top stories”"),
    "nbsp": "Mayor\u00a0Ana\u00a0Flores said:\u00a0“The pool\u2009will reopen in July,\u202fafter the repairs.”",
    "odd-spaces": ("The\u00a0ministry said\u2009the\u200bnew rules\u00a0would take effect in June.\n\u00a0\n"
                   "“We expect\u3000400 firms to apply,” said\u00a0Ravi\u00a0Patel."),
    "trailing-rlm": "“We expect 400 firms to apply,” said Ravi Patel.\u200f\nThe deadline is 1 May.",
    "guillemets": "Mayor Ana Flores said: «The pool will reopen in July after the repairs.»",
    "british-nesting": ("Omar Faizi spoke to farmers at the harbour on Sunday.\n"
                        "‘He told me “never again” and walked out of the meeting,’ said Omar Faizi."),
}


@pytest.fixture(scope="module")
def results(extractor):
    return run_all(extractor, TEXTS)


def test_every_quote_is_well_formed(results):
    for r in results.values():
        check_result(r)


def test_curly_quote_with_said_name_inversion(results):
    r = results["curly-said-name"]
    q = quote_with(r, "rebuild the bridge")
    assert q.kind == "direct"
    assert q.content.startswith("We will rebuild") and "“" not in q.content and "”" not in q.content
    assert q.speaker is not None and "Clara Oduya" in q.speaker
    assert q.speaker_type == "PERSON"
    assert "Clara Oduya" in q.speaker_mention
    assert q.cue == "said"
    assert q.cue_start == r.article.text.index("said")
    assert len(r.quotes) == 1


def test_straight_quote_with_she_said(results):
    r = results["straight-she-said"]
    q = quote_with(r, "budget is balanced")
    assert q.kind == "direct"
    assert '"' not in q.content
    assert q.speaker == "Maria Santos"
    assert q.speaker_mention == "she"
    assert q.speaker_start == r.article.text.index("she said")
    assert q.cue == "said"
    assert q.rule == "pronoun"


def test_straight_quote_with_said_name_inversion(results):
    r = results["straight-said-name"]
    q = quote_with(r, "safe to drink")
    assert q.kind == "direct"
    assert q.speaker == "Ravi Patel"
    assert q.speaker_mention == "Ravi Patel"
    assert q.cue == "said"


def test_name_said_after_quote(results):
    r = results["name-said"]
    q = quote_with(r, "new ward will open")
    assert q.speaker is not None and "Helen Achterberg" in q.speaker
    assert "Achterberg" in q.speaker_mention
    assert q.cue == "said"


def test_name_said_colon_quote(results):
    r = results["colon"]
    q = quote_with(r, "Every ballot")
    assert q.content == "Every ballot in the district was counted twice."
    assert q.kind == "direct"
    assert q.speaker_mention.endswith("Benedict Harrow")
    assert q.cue == "said"
    assert q.cue_start < q.start
    assert q.speaker is not None and "Benedict Harrow" in q.speaker


def test_speaker_name_leaves_the_title_out_and_role_carries_it(results):
    q = quote_with(results["colon"], "Every ballot")
    assert q.speaker == "Benedict Harrow"
    assert q.role is not None and "clerk" in q.role.lower()


@pytest.mark.parametrize("key", ["split-name-said", "split-said-name", "split-she-said"])
def test_split_quote_both_parts_same_speaker(results, key):
    r = results[key]
    first = quote_with(r, "river rose quickly")
    second = quote_with(r, "levee held")
    assert first is not second
    assert first.speaker == second.speaker == "Ingrid Solberg"
    assert first.entity_id == second.entity_id
    assert first.end < second.start


def test_quote_only_paragraph_inherits_previous_speaker(results):
    r = results["quote-only-paragraph"]
    first = quote_with(r, "loading bay")
    second = quote_with(r, "Nobody was inside")
    assert first.speaker == "Dana Whitlock"
    assert first.speaker_mention == "Whitlock"
    assert second.speaker == "Dana Whitlock"
    assert second.entity_id == first.entity_id
    assert second.speaker_start is None and second.speaker_end is None and second.speaker_mention is None
    assert second.cue is None and second.cue_start is None
    assert second.rule == "inherited"
    assert "resolver:kept" in second.rule_trace  # the resolver keeps the inherited speaker


def test_multi_paragraph_quote_is_one_quote(results):
    r = results["multi-paragraph"]
    q = quote_with(r, "without fear")
    text = r.article.text
    assert "punished us" in q.content
    assert q.start == text.index("We played")
    assert q.end == text.index("for it.”") + len("for it.")
    assert q.kind == "direct"
    assert q.speaker == "Marta Lindqvist"
    # no second quote starts inside it
    assert [p for p in r.quotes if q.start < p.start < q.end] == []
    assert not any("fourth in the table" in p.content for p in r.quotes)


def test_asked_name_inversion(results):
    q = quote_with(results["asked-name"], "trust the council")
    assert q.speaker == "Ana Flores"
    assert q.cue == "asked"


def test_single_quote_marks_with_apostrophes_inside(results):
    q = quote_with(results["single-marks"], "farmers won’t leave")
    assert q.content == "The valley’s farmers won’t leave before the harvest is in,"
    assert q.speaker == "Omar Faizi"


def test_apostrophes_do_not_cut_a_quote(results):
    r = results["apostrophes-inside"]
    q = quote_with(r, "Let’s be clear")
    assert q.content.endswith("won’t work,")
    assert q.speaker == "Omar Faizi"
    assert len(r.quotes) == 1


def test_titles_in_quotes_are_not_quotes(results):
    assert results["titles"].quotes == []


def test_scare_quotes_are_not_quotes(results):
    assert results["scare-quote"].quotes == []


def test_furniture_lines_are_not_quotes(results):
    r = results["furniture"]
    q = quote_with(r, "fight this closure")
    assert q.speaker == "Ana Flores"
    assert len(r.quotes) == 1, describe(r)
    for line in ("Read More", "Related Articles", "Back to top", "Leave a Reply", "Required fields", "Source:",
                 "Top stories"):
        assert not any(line in p.content for p in r.quotes)


def test_nbsp_and_thin_spaces_keep_offsets_exact(results):
    r = results["nbsp"]
    text = r.article.text
    q = quote_with(r, "will reopen")
    assert q.content == "The pool\u2009will reopen in July,\u202fafter the repairs."
    assert q.start == text.index("The pool")
    assert q.speaker == "Ana\u00a0Flores" or q.speaker == "Ana Flores"
    assert q.speaker_mention == "Ana\u00a0Flores"
    assert q.cue == "said" and q.cue_start == text.index("said")
    assert q.role == "Mayor"


def test_zero_width_and_ideographic_spaces_keep_offsets_exact(results):
    r = results["odd-spaces"]
    text = r.article.text
    q = quote_with(r, "firms to apply")
    assert q.start == text.index("We expect")
    assert q.content == "We expect\u3000400 firms to apply,"
    assert q.speaker_mention == "Ravi\u00a0Patel"
    ministry = quote_with(r, "would take effect")
    assert ministry.kind == "indirect"
    assert ministry.speaker_type == "ORG"
    assert text[ministry.speaker_start:ministry.speaker_end] == "The\u00a0ministry"


def test_invisible_mark_at_paragraph_end_keeps_the_quote(results):
    q = quote_with(results["trailing-rlm"], "firms to apply")
    assert q.speaker == "Ravi Patel"


def test_guillemet_quote(results):
    q = quote_with(results["guillemets"], "pool will reopen")
    assert q.content == "The pool will reopen in July after the repairs."
    assert q.speaker == "Ana Flores"
    assert q.cue == "said"


def test_british_nesting_double_inside_single(results):
    r = results["british-nesting"]
    q = quote_with(r, "walked out of the meeting")
    assert q.content == "He told me “never again” and walked out of the meeting,"
    assert q.speaker == "Omar Faizi"
    assert len(r.quotes) == 1


def test_plain_string_and_empty_text(extractor):
    r = extractor.extract("“The road is closed until Friday,” said Ravi Patel.")
    assert len(r.article.id) == 16
    assert [q.speaker for q in r.quotes] == ["Ravi Patel"]
    assert r.extractor_version
    assert set(r.model_ids) >= {"tokenize", "pos", "lemma", "depparse", "ner"}
    for blank in ("", "   \n\n  "):
        empty = extractor.extract(Article(id="blank", text=blank))
        assert empty.quotes == [] and empty.entities == []
