"""Where one report ends: reported content that runs to the end of its sentence is cut where another
report begins, and runs on where the tokenizer broke a sentence at an abbreviation.

* "He said the vote sent a message, and he said things will change"; "she says …: she notes that …":
  a coordinated clause (after "and", "but", a colon or a semicolon) that makes a report of its own ends
  the first report;
* "said “…,” and added: “…”": the speaker's second, coordinated verb of saying is a report of its own;
* "he told police he ordered …, saying he had to …": a participle after a comma reports again, with the
  speaker of the report it continues;
* "Although critics say …, Kim says …": a report in a subordinate clause ends where the main clause's
  report begins;
* "Purdy says he’s lost 16 lbs. since he signed up": content runs on past a lower-case abbreviation.
"""

from __future__ import annotations

from ..parsing.document import Doc
from .speech_frame import Frame


def end_at_next_report(doc: Doc, frames: list[Frame]) -> None:
    """Cut each frame's content where another frame's report begins inside it."""
    for a in frames:
        if a.content is None or a.colon:
            continue
        for b in frames:
            if b is not a:
                _end_before(doc, a, b)


def _end_before(doc: Doc, a: Frame, b: Frame) -> None:
    """Cut frame ``a``'s content before frame ``b``'s report, when ``b`` reports inside it."""
    assert a.content is not None
    cue = doc.words[b.cue_first]
    if cue.deprel == "conj" and cue.head == a.cue_first and a.content[0] < cue.start < a.content[1] and \
            not any(doc.words[c].deprel.startswith("nsubj") for c in cue.children):
        _second_verb_of_saying(doc, a, b)
    elif b.content is None:
        return
    elif a.content[0] < cue.start and cue.end <= a.content[1] and cue.text.lower().endswith("ing") and \
            doc.words[b.cue_first - 1].text == ",":
        _participle_report(doc, a, b)
    elif b.source is not None and b.source <= b.cue_first:
        _coordinated_report(doc, a, b)


def _cut(doc: Doc, a: Frame, last_word: int) -> None:
    """End ``a``'s content with word ``last_word``, if that leaves any content."""
    assert a.content is not None
    end = doc.words[last_word].end
    if end > a.content[0]:
        a.content = (a.content[0], end)


def _second_verb_of_saying(doc: Doc, a: Frame, b: Frame) -> None:
    """"said “…,” and added: “…”": the speaker's second verb of saying is a report of its own."""
    assert a.content is not None
    j = b.cue_first - 1
    while j > a.cue_last and (doc.words[j].upos in ("ADV", "CCONJ") or doc.words[j].text in ",;"):
        j -= 1
    between = [doc.words[k] for k in range(j + 1, b.cue_first)]
    if j > a.cue_last and doc.words[j].end > a.content[0] and any(w.upos == "CCONJ" for w in between) \
            and (b.content is not None or b.colon):
        a.content = (a.content[0], doc.words[j].end)
        b.notes.append("frame:second-verb-of-saying")


def _participle_report(doc: Doc, a: Frame, b: Frame) -> None:
    """"…, saying he had to …", "…, adding that …": a participle reports again, and its speaker is the
    one whose report it continues (the parse may hang it inside that report)."""
    assert a.content is not None
    if doc.words[b.cue_first - 2].end > a.content[0]:
        _cut(doc, a, b.cue_first - 2)
        if b.source_rule == "cue-subject-climb" and a.source is not None:
            b.source, b.source_rule = a.source, a.source_rule
            b.notes.append("frame:continues-report")


def _coordinated_report(doc: Doc, a: Frame, b: Frame) -> None:
    """"…, but she says …"; "While critics say …, Kim says …" (a comma, when the first report hangs off
    the second and the second reports what follows it): the first report ends before the second's
    subject."""
    assert a.content is not None and b.source is not None and b.content is not None
    if not (a.content[0] < doc.words[b.source].start and doc.words[b.cue_first].end <= a.content[1]):
        return
    k = b.source
    while k - 1 > a.cue_last and doc.words[k - 1].upos in ("DET", "ADJ", "PROPN", "NOUN") or (
            k - 1 > a.cue_last and doc.words[k - 1].feat("Poss") == "Yes"):
        k -= 1
    j = k - 1
    forward = doc.words[j].text == "," and b.content[0] >= doc.words[b.cue_last].end and \
        doc.words[a.cue_first].head == b.cue_first
    if j <= a.cue_last or doc.words[j].text.lower() not in ("and", "but", ":", ";") and not forward:
        return
    while j - 1 > a.cue_last and doc.words[j - 1].upos == "PUNCT":
        j -= 1  # ", and": the comma goes too
    _cut(doc, a, j - 1)


def continue_past_abbreviations(doc: Doc, frames: list[Frame], quoted: set[int]) -> None:
    """"Purdy says he’s lost 16 lbs. since he signed up": when the tokenizer ends a sentence at an
    abbreviation's full stop and the next one opens in lower case, reported content that ran to the end
    of the first runs on to the end of the second."""
    for f in frames:
        if f.content is None or f.colon:
            continue
        last = doc.word_before(f.content[1])
        while last is not None and last + 1 < len(doc.words):
            nxt_last = _sentence_run_on(doc, last, quoted)
            if nxt_last is None:
                break
            last = nxt_last
            f.content = (f.content[0], doc.words[last].end)


def _sentence_run_on(doc: Doc, last: int, quoted: set[int]) -> int | None:
    """The last word of the next sentence, when the sentence ending at word ``last`` ends with a lower-case
    abbreviation ("lbs.", "p.m.", "approx.") and the next one opens with a lower-case word."""
    w, stop = doc.words[last], last
    if doc.words[last + 1].text == "." and doc.words[last + 1].start == w.end:
        stop = last + 1  # "lbs" "." as two tokens
    if stop + 1 >= len(doc.words) or not doc.words[stop].text.endswith(".") or not w.text[:1].islower():
        return None
    nxt = doc.words[stop + 1]
    if nxt.sent == w.sent or nxt.para != w.para or not (nxt.text.isalpha() and nxt.text.islower()) \
            or stop + 1 in quoted:
        return None
    end = doc.sents[nxt.sent][1]
    while doc.words[end].upos == "PUNCT" and doc.words[end].text not in "\"”’'»":
        end -= 1
    return end
