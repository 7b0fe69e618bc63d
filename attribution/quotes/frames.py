"""Speech frames: a cue (a speech verb, a phrasal cue, "according to") with its source and content.

A cue is a word of the lexicon where it stands as one (:func:`reports_here`), outside quotations and
furniture. Its source word comes from :mod:`attribution.quotes.frame_sources`, what it reports from
:mod:`attribution.quotes.reported_content`, and where one report ends and the next begins from
:mod:`attribution.quotes.report_bounds`. Three attributions have no verb: "according to X", a quotation signed
"― Name" (``dash-byline``), and a paragraph signed with a bare name as its last sentence
(``signed-paragraph``); "The Gazette reports:" with the verb read as a noun is a ``colon-subject`` cue.
"""

from __future__ import annotations

from ..parsing.document import Doc
from ..text.lexicon import Lexicon
from ..text.predicates import count_words, cue_length
from ..wordlists import words
from .frame_sources import cue_source, follows_quote
from .report_bounds import continue_past_abbreviations, end_at_next_report
from .reported_content import (
    according_content,
    content,
    content_after_parenthetical,
    interrupted_subject,
    naming_cues,
    predicate_follows,
    span_of,
)
from .speech_frame import Frame

__all__ = ["Frame", "find_frames", "reports_here"]

_OPENING_MARKS = ("“", '"', "‘", "'", "«", "(", "[")
_DASHES = ("―", "—", "–", "-", "--")


def find_frames(doc: Doc, lex: Lexicon, quoted: set[int], skip_paras: set[int]) -> list[Frame]:
    """Every speech frame outside quotations and outside furniture paragraphs."""
    frames: list[Frame] = []
    for i, w in enumerate(doc.words):
        if i not in quoted and w.para not in skip_paras:
            frame = _frame_at(doc, lex, i, quoted)
            if frame is not None:
                frames.append(frame)
    for si in range(len(doc.sents)):
        if doc.words[doc.sents[si][0]].para not in skip_paras:
            signed = _signed_paragraph(doc, si, quoted)
            if signed is not None:
                frames.append(signed)
    end_at_next_report(doc, frames)
    continue_past_abbreviations(doc, frames, quoted)
    return frames


def _frame_at(doc: Doc, lex: Lexicon, i: int, quoted: set[int]) -> Frame | None:
    """The frame whose cue starts at word ``i``, if any."""
    w = doc.words[i]
    if w.text.lower() == "according" and i + 1 < len(doc.words) and doc.words[i + 1].text.lower() == "to":
        return _according_to(doc, i)
    byline = _dash_byline(doc, i, quoted)
    if byline is not None:
        return Frame(i, i, byline, "dash-byline")
    nxt = doc.words[i + 1].lemma if i + 1 < len(doc.words) else ""
    length = cue_length(w.lemma, w.upos, nxt, lex)
    if not length:
        tagged_noun = _colon_cue_noun(doc, i, lex)
        return Frame(i, i, tagged_noun, "colon-subject", None, colon=True) if tagged_noun is not None else None
    first, last = i, i + length - 1
    if not reports_here(doc, first, last, quoted):
        return None
    subj, rule, notes = cue_source(doc, first, quoted)
    if doc.words[first].feat("VerbForm") in ("Inf", "Ger") and (
            subj is None or doc.words[first].deprel.startswith("acl")) and not follows_quote(doc, first, quoted):
        return None  # "nothing wrong with charging …", "the move to emphasize …": nobody says anything
    frame = Frame(first, last, subj, rule, notes=notes)
    _read_content(doc, lex, frame, quoted)
    return frame


def _according_to(doc: Doc, i: int) -> Frame:
    """"according to X": X is the word "according" hangs on, else the first noun or pronoun after "to"."""
    w = doc.words[i]
    src: int | None = w.head if w.head >= 0 and w.head != i + 1 else None
    if src is None or doc.words[src].upos not in ("PROPN", "NOUN", "PRON"):
        cand = [k for k in range(i + 2, min(i + 6, len(doc.words))) if doc.words[k].upos in ("PROPN", "NOUN", "PRON")]
        src = cand[0] if cand else None
    return Frame(i, i + 1, src, "according-to", according_content(doc, i, src))


def _read_content(doc: Doc, lex: Lexicon, f: Frame, quoted: set[int]) -> None:
    """What the cue reports: its content, whether a colon introduced it, and a second half after a
    parenthetical cue ("…, he said, but …") or an interrupting one ("The test, officials said, was …")."""
    first, last, subj = f.cue_first, f.cue_last, f.source
    f.content, f.colon = content(doc, first, last, lex)
    if follows_quote(doc, first, quoted) and not f.colon:
        f.content = None  # the cue attributes the quotation before it; what follows is its source
    if f.content is not None and subj is not None and f.content[0] <= doc.words[subj].start < f.content[1]:
        f.content = None  # "…,” said Lorne Fitch, who …": the source follows the cue; nothing reported
    if f.content is None or f.colon or subj is None:
        return
    sent_last = doc.sents[doc.words[first].sent][1]
    if f.content[1] <= doc.words[first].start:
        f.after = content_after_parenthetical(doc, last, quoted, lex)
    elif f.content[0] > doc.words[last].end and predicate_follows(doc, last, sent_last):
        before = interrupted_subject(doc, first)
        if before is not None and not any(doc.words[k].start >= f.content[0] and doc.words[k].end <= f.content[1]
                                          for k in quoted):
            # "The latest test, officials said, was …": the clause's two halves (a second half that
            # carries quotations stays one mixed quote)
            f.content, f.after = before, f.content
            f.notes.append("frame:interrupting-cue")


def _dash_byline(doc: Doc, i: int, quoted: set[int]) -> int | None:
    """“…” ― Marisol Vance: a dash right after a closing quotation mark, then a name that ends the
    paragraph, attributes the quotation to that name (letters pages, vox pops, epigraphs)."""
    w = doc.words[i]
    if w.text not in _DASHES or i == 0 or i - 1 not in quoted or doc.words[i - 1].text not in "\"”’'»":
        return None
    j, last = i + 1, None
    while j < len(doc.words) and doc.words[j].para == w.para and doc.words[j].text[:1].isupper() and \
            doc.words[j].upos in ("PROPN", "NOUN", "ADJ", "X"):
        last, j = j, j + 1
    while j < len(doc.words) and doc.words[j].para == w.para and doc.words[j].text in (".", ",", "Jr.", "Sr."):
        j += 1
    ends_para = j >= len(doc.words) or doc.words[j].para != w.para
    return last if last is not None and ends_para and last - i <= 5 else None


def _signed_paragraph(doc: Doc, si: int, quoted: set[int]) -> Frame | None:
    """"… knocking on their doors. Matt Danison, Rentals.ca" closing a paragraph: a pull quote signed
    with a bare name (and an organisation) as its own last sentence. The name must be someone the
    article mentions elsewhere; a photo caption signed by its photographer names nobody else does."""
    first, last = doc.sents[si]
    para = doc.words[first].para
    if si == 0 or doc.words[doc.sents[si - 1][0]].para != para or (
            last + 1 < len(doc.words) and doc.words[last + 1].para == para):
        return None
    name_last = _signature(doc, first, last)
    if name_last is None:
        return None
    start = first
    while start > 0 and doc.words[start - 1].para == para:
        start -= 1
    said = list(range(start, first))
    if any(j in quoted for j in said) or count_words(doc.words[j] for j in said) < 6:
        return None
    surname = doc.words[name_last].text
    if not any(w.text == surname and w.para != para for w in doc.words):
        return None
    span = span_of(doc, said)
    return Frame(name_last, name_last, name_last, "signed-paragraph", span) if span else None


def _signature(doc: Doc, first: int, last: int) -> int | None:
    """The last word of a name of two to four capitalised words that makes up a whole sentence, with an
    organisation after a comma ("Matt Danison, Rentals.ca") and a full stop allowed."""
    k = first
    while k <= last and doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper():
        k += 1
    name_last = k - 1
    if not 1 <= name_last - first <= 3:
        return None
    if k <= last and doc.words[k].text == ",":  # ", Rentals.ca": where the person speaks from
        k += 1
        while k <= last and doc.words[k].text[:1].isupper() and k - name_last <= 5:
            k += 1
    if k <= last and not (k == last and doc.words[k].text == "."):
        return None
    return name_last


def _colon_cue_noun(doc: Doc, i: int, lex: Lexicon) -> int | None:
    """"The Harbour Gazette reports:" closing a paragraph: a speech verb the tagger read as a plural noun,
    with the name before it as its source; the quotation follows in the next paragraph."""
    w = doc.words[i]
    if w.upos not in ("NOUN", "PROPN") or i == 0 or i + 1 >= len(doc.words) or doc.words[i + 1].text != ":":
        return None
    if i + 2 < len(doc.words) and doc.words[i + 2].para == w.para:
        return None  # the colon must end the paragraph
    low = w.text.lower()
    if not (low.endswith("s") and low[:-1] in lex.verbs or w.lemma in lex.verbs and low != w.lemma):
        return None
    prev = doc.words[i - 1]
    return i - 1 if prev.upos in ("PROPN", "NOUN", "PRON") else None


def reports_here(doc: Doc, first: int, last: int, quoted: set[int]) -> bool:
    """Whether a cue word reports speech where it stands. Not a capitalised cue inside a sentence (a
    title: "They Call Me George"), and not "continue" or "go on" unless they close a quotation or open
    one with a colon ("“…,” he continued"; "She went on: …"): elsewhere they are about anything else.
    Not a negated cue either, unless it closes a quotation."""
    w = doc.words[first]
    sent_first = doc.sents[w.sent][0]
    if w.text[:1].isupper() and first > sent_first and doc.words[first - 1].text not in _OPENING_MARKS:
        return False
    if w.lemma in words("quotation_only_cues"):
        colon = last + 1 < len(doc.words) and doc.words[last + 1].text == ":"
        return colon or follows_quote(doc, first, quoted)
    if w.lemma in naming_cues() and any(doc.words[k].lemma == "what" for k in range(max(sent_first, first - 4), first)):
        return False  # "what the government is calling “inflamed rhetoric”": a name for something, not a report
    # "would not say which …", "have not charged him with …": nothing was said
    negated = any(doc.words[c].lemma in words("negations") for c in w.children)
    return not negated or follows_quote(doc, first, quoted)
