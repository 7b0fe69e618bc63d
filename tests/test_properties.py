"""Property tests over the real parser: extraction never raises and its offsets always hold.

Texts are built from quote marks, words (names, cues, pronouns), punctuation, newlines, NBSP,
zero-width and bidi characters. Examples are few (the parser is real) but each is a hostile text.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from attribution import Article
from tests.test_extract_direct import check_result

MARKS = list("“”‘’\"'«»„‹›")
WORDS = ["Ravi Patel", "Ms Amaka Eze", "the ministry", "Greenfield Logistics", "she", "he", "they", "it", "I",
         "we", "said", "says", "told reporters", "according to", "called for", "that", "the", "bridge", "will",
         "reopen", "in", "March", "40", "homes", "Mr Dahl", "warned", "is led by", "chief executive", "o’clock",
         "leaders’", "Read More", "Source:", "don't", "x"]
PUNCT = list(".,;:!?()–—-*/…")
ODD = ["\n", "\n\n", " \n", "\u00a0", "\u2009", "\u202f", "\u3000", "\u200b", "\u200c", "\u200d", "\u2060",
       "\ufeff", "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067",
       "\u2069", "\t", "\r\n"]

piece = st.one_of(
    st.sampled_from(MARKS),
    st.sampled_from(WORDS).map(lambda w: w + " "),
    st.sampled_from(WORDS),
    st.sampled_from(PUNCT),
    st.sampled_from(ODD),
    st.just(" "),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC ", min_size=1, max_size=8),
)
texts = st.lists(piece, min_size=0, max_size=70).map("".join)

PROPERTY_SETTINGS = settings(max_examples=25, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(texts)
def test_extraction_never_raises_and_offsets_hold(extractor, text):
    r = extractor.extract(Article(id="prop", text=text))
    assert r.article.text == text
    check_result(r)  # in range, exact content, speaker/cue/fragment/claim offsets, no overlaps
    for q in r.quotes:
        assert 0 <= q.start <= q.end <= len(text)
        assert text[q.start:q.end] == q.content
        for s, e in q.fragments:  # fragments nest inside their mixed quote
            assert q.start <= s < e <= q.end
        if q.speaker_start is not None:
            assert 0 <= q.speaker_start < q.speaker_end <= len(text)
        if q.cue_start is not None:
            assert 0 <= q.cue_start < q.cue_end <= len(text)
    for e in r.entities:
        for s, t in e.mentions:
            assert 0 <= s < t <= len(text)


@PROPERTY_SETTINGS
@given(st.lists(texts, min_size=2, max_size=4))
def test_batched_extraction_keeps_order_and_offsets(extractor, batch):
    together = list(extractor.extract_many(Article(id=str(i), text=t) for i, t in enumerate(batch)))
    assert [r.article.id for r in together] == [str(i) for i in range(len(batch))]
    for r, text in zip(together, batch, strict=True):
        assert r.article.text == text
        check_result(r)
