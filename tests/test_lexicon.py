"""The speech-cue lexicon: the data file, its parser, and the user's ATTRIBUTION_CUES file."""

from __future__ import annotations

from importlib import resources

import pytest

from attribution import Article
from attribution.text.lexicon import Lexicon, load_lexicon, misread_cue_verb, parse_lines, regular_forms


@pytest.fixture
def fresh_lexicon(monkeypatch):
    """``load_lexicon`` is cached: start and end each test with an empty cache (and no user file)."""
    monkeypatch.delenv("ATTRIBUTION_CUES", raising=False)
    load_lexicon.cache_clear()
    yield
    load_lexicon.cache_clear()


def test_builtin_file_is_packaged_and_parses(fresh_lexicon):
    raw = resources.files("attribution").joinpath("data/cues.txt").read_text(encoding="utf-8")
    assert raw.strip()
    lex = load_lexicon()
    assert isinstance(lex, Lexicon)
    for verb in ("say", "tell", "add", "warn", "claim", "deny", "insist", "vow"):
        assert verb in lex.verbs
    assert ("call", "for") in lex.phrasal
    assert ("point", "out") in lex.phrasal
    assert "statement" in lex.nouns
    assert ("according", "to") in lex.source_phrases
    # comments and blank lines never become cues
    assert not any(v.startswith("#") for v in lex.verbs)
    assert "" not in lex.verbs


def test_every_builtin_line_lands_somewhere(fresh_lexicon):
    raw = resources.files("attribution").joinpath("data/cues.txt").read_text(encoding="utf-8")
    lex = load_lexicon()
    for line in raw.splitlines():
        entry = line.split("#", 1)[0].strip().lower()
        if not entry:
            continue
        words = tuple(entry.split())
        if entry.startswith("@"):
            assert entry[1:] in lex.nouns
        elif words[:2] == ("according", "to"):
            assert words in lex.source_phrases
        elif len(words) == 1:
            assert entry in lex.verbs
        else:
            assert (words[0], " ".join(words[1:])) in lex.phrasal


def test_parse_lines_kinds_case_and_comments():
    lex = parse_lines([
        "# a comment line",
        "",
        "   Whisper   # trailing comment",
        "hint at",
        "tell them about",
        "@Dispatch",
        "according to",
        "as per",
    ])
    assert lex.verbs == frozenset({"whisper"})
    assert lex.phrasal == frozenset({("hint", "at"), ("tell", "them about")})
    assert lex.nouns == frozenset({"dispatch"})
    assert lex.source_phrases == frozenset({("according", "to"), ("as", "per")})


def test_parse_lines_removal_on_top_of_a_base():
    base = parse_lines(["say", "warn", "call for", "@statement", "according to"])
    lex = parse_lines(["-warn", "- call for", "-@statement", "-according to", "-never-there", "mutter"], base)
    assert lex.verbs == frozenset({"say", "mutter"})
    assert lex.phrasal == frozenset()
    assert lex.nouns == frozenset()
    assert lex.source_phrases == frozenset()
    # the base is not changed
    assert "warn" in base.verbs and ("call", "for") in base.phrasal


def test_user_file_adds_and_removes_cues(fresh_lexicon, tmp_path, monkeypatch):
    user = tmp_path / "my-cues.txt"
    user.write_text("# newsroom additions\ninsinuate\nfret over\n@dispatch\n-say\n-call for\n", encoding="utf-8")
    monkeypatch.setenv("ATTRIBUTION_CUES", str(user))
    lex = load_lexicon()
    assert "insinuate" in lex.verbs
    assert ("fret", "over") in lex.phrasal
    assert "dispatch" in lex.nouns
    assert "say" not in lex.verbs
    assert ("call", "for") not in lex.phrasal
    assert "tell" in lex.verbs  # the rest of the built-in list stays


def test_load_lexicon_is_cached_until_cleared(fresh_lexicon, tmp_path, monkeypatch):
    first = load_lexicon()
    user = tmp_path / "cues.txt"
    user.write_text("insinuate\n", encoding="utf-8")
    monkeypatch.setenv("ATTRIBUTION_CUES", str(user))
    assert load_lexicon() is first
    load_lexicon.cache_clear()
    assert "insinuate" in load_lexicon().verbs


TEXT_NEW_CUE = "Ravi Patel insinuated that the factory would close its doors in March."
TEXT_SAY = "Ravi Patel said that the factory would close its doors in March."


def test_user_cues_change_what_extraction_finds(fresh_lexicon, extractor, tmp_path, monkeypatch):
    texts = [Article("new-cue", TEXT_NEW_CUE), Article("say", TEXT_SAY)]
    before = {r.article.id: r.quotes for r in extractor.extract_many(texts)}
    assert before["new-cue"] == [], "'insinuate' is not a built-in cue"
    assert len(before["say"]) == 1

    user = tmp_path / "cues.txt"
    user.write_text("insinuate\n-say\n", encoding="utf-8")
    monkeypatch.setenv("ATTRIBUTION_CUES", str(user))
    load_lexicon.cache_clear()
    after = {r.article.id: r.quotes for r in extractor.extract_many(texts)}
    [q] = after["new-cue"]
    assert q.kind == "indirect"
    assert "factory would close" in q.content
    assert q.cue == "insinuated"
    assert q.speaker == "Ravi Patel"
    assert after["say"] == [], "a removed cue no longer reports speech"


@pytest.mark.parametrize("verb, forms", [
    ("quip", {"quips", "quipped", "quipping"}),
    ("say", {"says", "saying"}),
    ("state", {"states", "stated", "stating"}),
    ("deny", {"denies", "denied", "denying"}),
    ("stress", {"stresses", "stressed"}),
])
def test_regular_forms_of_a_cue_verb(verb, forms):
    assert forms <= regular_forms(verb)


def test_verb_lemma_repairs_a_garbled_lemma_only_for_lexicon_verbs():
    lex = parse_lines(["quip", "call for"])
    assert lex.verb_lemma("quipped", "quipp") == "quip"
    assert lex.verb_lemma("calling", "calle") == "call"  # the verb of a phrasal cue
    assert lex.verb_lemma("quipped", "quip") == "quip"
    assert lex.verb_lemma("skipped", "skipp") == "skipp", "not a cue: the tagger's lemma stays"


def test_cue_with_a_garbled_lemma_is_still_a_cue(extractor):
    # the compact lemmatizer turns "quipped" into "quipp"
    r = extractor.extract("“It did not take me long to find a new job,” quipped Tom Marsh.")
    [q] = r.quotes
    assert q.cue == "quipped"
    assert q.speaker == "Tom Marsh"
    assert q.content.startswith("It did not take me long")


def test_manner_of_speaking_verbs_are_cues(extractor):
    r = extractor.extract("“You should have called before you came,” scolded Ilse Marten.")
    [q] = r.quotes
    assert q.cue == "scolded"
    assert q.speaker == "Ilse Marten"


def test_a_stammered_quote_of_ellipses_is_kept(extractor):
    # two words ending in an ellipsis next to a cue: speech broken off, not a scare quote
    r = extractor.extract("Tom Reyes laughed and stammered, “I … I …”")
    [q] = r.quotes
    assert q.content == "I … I …"
    assert q.speaker == "Tom Reyes"
    assert q.cue == "stammered"


def test_misread_cue_verb_needs_a_subject_before_and_a_clause_after():
    lex = parse_lines(["allege", "report"])
    assert misread_cue_verb(lex, "PROPN", "NOUN", "alleges", ("he", "PRON")) == "allege"
    assert misread_cue_verb(lex, "PROPN", "NOUN", "reports", ("that", "SCONJ")) == "report"
    assert misread_cue_verb(lex, "DET", "NOUN", "reports", ("that", "SCONJ")) is None  # "the reports that …"
    assert misread_cue_verb(lex, "PROPN", "NOUN", "reports", ("show", "VERB")) is None  # "Police reports show"
    assert misread_cue_verb(lex, "PROPN", "VERB", "alleges", ("he", "PRON")) is None  # tagged right already


def test_cue_verb_tagged_as_a_noun_is_still_a_cue(extractor):
    # the compact tagger reads "alleges" as a plural noun here
    r = extractor.extract("More than a decade after his career ended with the 2007-08 season, Reyes alleges he "
                          "is suffering from a host of symptoms.")
    [q] = r.quotes
    assert q.cue == "alleges"
    assert q.speaker == "Reyes"
    assert q.content.startswith("he is suffering")
