"""What was said: the character span of the content a speech cue reports.

In order of preference: what follows a colon after the cue; the cue's clausal complement (``ccomp``,
"that …"), run on to the end of the sentence because weak parses cut clauses short; the infinitival
complement of a pledge or appeal ("vowed to continue"); the object of a phrasal cue ("called for a
ceasefire"); what a verb of naming says something is ("described the scene as “chaos”"); the clause
read linearly after the cue when the parse gives none ("warned on Monday that …"); and the clause
before a trailing attribution ("The attack took four minutes, he said.").
"""

from __future__ import annotations

from ..parsing.document import Doc, Word
from ..text.lexicon import Lexicon
from ..text.predicates import count_words, is_finite_verb, is_relative_pronoun
from ..wordlists import words

Span = tuple[int, int]
_OPENING_QUOTES = "\"“‘'«"
_CLOSING_QUOTES = "\"”’'»"


def naming_cues() -> frozenset[str]:
    """Verbs of naming: "called the plan a disaster", "described it as a crisis"."""
    return words("naming_cues") | words("as_cues")


def _count(doc: Doc, idx: list[int]) -> int:
    return count_words(doc.words[k] for k in idx)


def span_of(doc: Doc, idx: list[int]) -> Span | None:
    """The character span of these words, without punctuation at its edges other than quote marks."""
    idx = [i for i in idx if doc.words[i].upos != "PUNCT" or doc.words[i].text in "\"“”‘’'«»"]
    if not idx:
        return None
    first, last = min(idx), max(idx)
    while first <= last and doc.words[first].upos == "PUNCT" and doc.words[first].text not in _OPENING_QUOTES:
        first += 1
    while last >= first and doc.words[last].upos == "PUNCT" and doc.words[last].text not in _CLOSING_QUOTES:
        last -= 1
    if last < first:
        return None
    return doc.words[first].start, doc.words[last].end


def content(doc: Doc, verb: int, cue_last: int, lex: Lexicon) -> tuple[Span | None, bool]:
    """Character span of reported content governed by the cue, and whether a colon introduced it."""
    w = doc.words[verb]
    sent_first, sent_last = doc.sents[w.sent]
    after_colon = _after_colon(doc, cue_last, sent_last)
    if after_colon is not None:
        return after_colon[0], True
    decided, governed = _complement(doc, verb, cue_last, sent_last)
    if decided:
        return governed, False
    if w.upos == "NOUN":
        return None, False
    if w.lemma in naming_cues() and cue_last == verb:
        named = _naming_content(doc, verb, sent_last)
        if named is not None:
            return named, False
    if w.lemma not in words("no_clause_cues"):
        start = _past_listener(doc, cue_last, sent_last) if w.lemma in words("listener_cues") else cue_last
        after = _linear_content(doc, start, sent_last)
        if after is not None:
            return after, False
    return content_before(doc, verb, sent_first, sent_last), False


def _after_colon(doc: Doc, cue_last: int, sent_last: int) -> tuple[Span | None] | None:
    """A colon right after the cue (and its subject or adverbials): the rest of the sentence. "He said:"
    ending its paragraph introduces the next one: no content here, still a colon cue."""
    for j in range(cue_last + 1, min(sent_last, cue_last + 6) + 1):
        if doc.words[j].text == ":":
            rest = list(range(j + 1, sent_last + 1))
            return (span_of(doc, rest) if rest else None),
        if doc.words[j].upos == "VERB":
            break
    return None


def _complement(doc: Doc, verb: int, cue_last: int, sent_last: int) -> tuple[bool, Span | None]:
    """The cue's clausal complement, a pledge's infinitive, or a phrasal cue's object, to the end of
    the sentence: weak parses cut the clause short, and attach parts of an appeal ("for Afghans to rise
    up") to the verb. Returns whether the parse decided, and the span."""
    w = doc.words[verb]
    comps = [c for c in doc.kids(verb, "ccomp") if c > cue_last]
    if not comps and w.lemma in words("xcomp_cues"):
        comps = [c for c in doc.kids(verb, "xcomp") if c > cue_last and doc.words[c].upos in ("VERB", "AUX", "ADJ")]
    if comps:
        idx = [k for k in doc.subtree(comps[0]) if k > cue_last]
        if len(idx) >= 3:
            return True, span_of(doc, list(range(min(idx), sent_last + 1)))
    if cue_last > verb:  # phrasal cue: "called for X", "pointed to X"
        obj = [c for c in w.children if c > cue_last and doc.words[c].deprel.split(":")[0] in ("obl", "obj")]
        if obj:
            start = max(cue_last + 1, min(doc.subtree(obj[0])))
            return True, span_of(doc, list(range(start, sent_last + 1)))
    return False, None


def _naming_content(doc: Doc, verb: int, sent_last: int) -> Span | None:
    """What a verb of naming says something is: "described the scene as “chaos”", "calls it a rookie
    mistake", "called the conclusion “bold”". The object is skipped (after "as" for describe, label and
    the like; the first noun phrase for call and dub) to check the shape; the content is object and
    predicate, to the end of the clause."""
    k = _past_named_object(doc, verb, sent_last)
    if k is None:
        return None
    said = []  # what the thing is called, to the end of its clause
    for j in range(k, sent_last + 1):
        if _ends_naming(doc.words[j], doc.words[j + 1] if j + 1 <= sent_last else None):
            break
        said.append(j)
    if _count(doc, said) < (1 if any(doc.words[j].text in "“\"‘" for j in said) else 2):
        return None
    # the object is part of the report ("described the scene as …"): a span that holds it covers
    # both conventions, the predicate alone and object with predicate
    return span_of(doc, list(range(verb + 1, said[-1] + 1)))


def _past_named_object(doc: Doc, verb: int, sent_last: int) -> int | None:
    """The first word of what a verb of naming calls its object, or ``None`` if the shape is not there."""
    k = verb + 1
    if doc.words[verb].lemma in words("as_cues"):
        while k <= sent_last and doc.words[k].lemma != "as":
            if doc.words[k].text in (",", ";", ":") or (doc.words[k].upos == "VERB" and is_finite_verb(doc.words[k])) \
                    or k - verb > 12:
                return None
            k += 1
        return k + 1
    # "call X Y": skip X, a pronoun or a noun phrase up to its noun
    while k <= sent_last and doc.words[k].upos in ("DET", "ADJ", "NUM") or (
            k <= sent_last and doc.words[k].upos == "PRON" and doc.words[k].feat("Poss") == "Yes"):
        k += 1
    if k > sent_last or doc.words[k].upos not in ("NOUN", "PROPN", "PRON"):
        return None
    while k + 1 <= sent_last and doc.words[k + 1].upos in ("NOUN", "PROPN"):
        k += 1
    k += 1
    if k > sent_last or not (doc.words[k].upos in ("DET", "ADJ", "NOUN") or doc.words[k].text in "“\"‘"):
        return None
    return k


def _ends_naming(t: Word, nxt: Word | None) -> bool:
    """Where the clause of a naming ends: a semicolon, a coordinated finite clause, or a comma before a
    verb, a subordinator or a relative clause."""
    if t.text == ";":
        return True
    if t.upos == "CCONJ" and nxt is not None and nxt.upos in ("VERB", "AUX") and nxt.feat("VerbForm") != "Part":
        return True
    return t.text == "," and nxt is not None and (
        nxt.upos in ("VERB", "AUX", "SCONJ") or nxt.lemma in ("though", "although", "while", "but")
        or is_relative_pronoun(nxt))


def content_before(doc: Doc, verb: int, sent_first: int, sent_last: int) -> Span | None:
    """"The attack took four minutes, he said." -- reported content before a trailing attribution.

    The cue must close its sentence (only its subject, adverbials and punctuation around it) and a
    comma must set it off from a clause with a finite verb.
    """
    k = _comma_before_cue(doc, verb, sent_first)
    if k is None or not _cue_closes_clause(doc, verb, sent_last):
        return None
    idx = list(range(sent_first, k))
    opener = doc.words[sent_first]
    if opener.upos == "VERB" and opener.feat("VerbForm") == "Part" and opener.feat("Tense") == "Past":
        return None  # "Asked about the blast, Kim said, “…”": the question put to the speaker
    finite = [j for j in idx if is_finite_verb(doc.words[j])]
    if not finite and predicate_follows(doc, verb, sent_last):
        return interrupted_subject(doc, verb)
    if _count(doc, idx) < 4 or not finite:
        return None
    return span_of(doc, idx)


def _comma_before_cue(doc: Doc, verb: int, sent_first: int) -> int | None:
    """The comma that sets a trailing cue and its subject off from what was said, if only a subject of
    up to ten words lies between (no verb of its own, not "state-run", no relative clause)."""
    k = verb - 1
    while k >= sent_first and doc.words[k].text != "," and verb - k <= 10:
        w = doc.words[k]
        if w.upos in ("AUX", "SCONJ") or is_relative_pronoun(w) or (
                w.upos == "VERB" and not (w.feat("VerbForm") == "Part" and doc.words[k - 1].text == "-")):
            return None  # a verb of its own, or a relative clause ("…, which he denied")
        k -= 1
    if verb - k > 6 and not any(doc.words[j].deprel.startswith("nsubj") for j in range(k + 1, verb)):
        return None  # a long stretch before the cue must hold its subject
    if k < sent_first or doc.words[k].text != ",":
        return None
    return k


def _cue_closes_clause(doc: Doc, verb: int, sent_last: int) -> bool:
    """Nothing but adverbials follows the cue up to a comma or the end (", adding that …" may follow)."""
    for j in range(verb + 1, sent_last + 1):
        if doc.words[j].text in (",", ";", "—", "–"):
            return True
        if doc.words[j].upos in ("VERB", "AUX", "SCONJ") or doc.words[j].lemma == "that":
            return False
    return True


def interrupted_subject(doc: Doc, verb: int) -> Span | None:
    """"The latest test, officials said, was its biggest yet": when the cue interrupts its clause between
    subject and predicate, the subject before it is the first half of what was said (the predicate after
    it, the frame's ``after``, is the second). The subject is a noun phrase that opens the sentence."""
    sent_first = doc.sents[doc.words[verb].sent][0]
    k = verb - 1
    while k > sent_first and doc.words[k].text != "," and verb - k <= 6:
        k -= 1
    idx = list(range(sent_first, k))
    if doc.words[k].text != "," or _count(doc, idx) < 3 or any(
            doc.words[j].upos in ("VERB", "AUX", "SCONJ", "PRON") for j in idx):
        return None
    return span_of(doc, idx)


def predicate_follows(doc: Doc, verb: int, sent_last: int) -> bool:
    """Whether a comma after the cue (and its adverbs) leads to a finite verb: the clause goes on."""
    j = verb + 1
    while j <= sent_last and doc.words[j].upos == "ADV":
        j += 1
    if j > sent_last or doc.words[j].text != ",":
        return False
    j += 1
    while j <= sent_last and doc.words[j].upos == "ADV":
        j += 1
    return j <= sent_last and is_finite_verb(doc.words[j])


def _past_listener(doc: Doc, cue_last: int, sent_last: int) -> int:
    """"told police he left …", "assured her the money was safe": the last word of the listener after a
    cue of telling (a pronoun, or a noun phrase up to its noun) when a clause follows it; otherwise the
    cue's own last word."""
    k = cue_last + 1
    if k <= sent_last and doc.words[k].upos == "PRON" and doc.words[k].feat("Case") == "Acc":
        end = k
    else:
        while k <= sent_last and (doc.words[k].upos in ("DET", "ADJ", "NUM") or doc.words[k].feat("Poss") == "Yes"):
            k += 1
        if k > sent_last or doc.words[k].upos not in ("NOUN", "PROPN"):
            return cue_last
        while k + 1 <= sent_last and doc.words[k + 1].upos in ("NOUN", "PROPN"):
            k += 1
        end = k
    nxt = doc.words[end + 1] if end + 1 <= sent_last else None
    if nxt is not None and (nxt.lemma == "that" or nxt.upos == "DET" or
                            nxt.upos == "PRON" and nxt.feat("Case") != "Acc"):
        return end
    return cue_last


def _linear_content(doc: Doc, cue_last: int, sent_last: int) -> Span | None:
    """Reported content read linearly when the parse gives no complement (weak parsers often don't).

    "warned on Monday that X" -> from "that"; "said spokesman X had been killed" -> the clause right
    after the cue. The rest must hold a finite verb, so "said in a statement." reports nothing.
    """
    rest = list(range(cue_last + 1, sent_last + 1))
    if not rest:
        return None
    start = _clause_start(doc, cue_last, rest)
    if start is None:
        return None
    idx = [k for k in rest if k >= start]
    finite = [k for k in idx if doc.words[k].upos in ("VERB", "AUX") and (
        doc.words[k].feat("VerbForm") == "Fin" or doc.words[k].feat("Tense") is not None)]
    if _count(doc, idx) < 4 or not finite:
        return None
    if doc.words[start].lemma != "that" and _only_relative_verbs(doc, idx, finite):
        return None
    return span_of(doc, idx)


def _clause_start(doc: Doc, cue_last: int, rest: list[int]) -> int | None:
    """Where a clause reported after the cue starts: at "that" within eight words, else right after the
    cue unless an adjunct or a word that cannot open a clause comes first."""
    for k in rest[:8]:
        w = doc.words[k]
        if w.lemma == "that" and w.upos == "SCONJ":
            return k
        if w.text in (",", ";", "(") or w.upos == "VERB":
            break
    comma = next((k for k in rest[:5] if doc.words[k].text == ","), None)
    if comma is not None and all(doc.words[k].head == cue_last and doc.words[k].deprel.startswith(("obl", "advmod"))
                                 or doc.words[k].head in range(rest[0], comma) for k in range(rest[0], comma)):
        return None  # "said Friday afternoon, as they …": the cue's adjunct, then no clause of what was said
    first = doc.words[rest[0]]
    if first.upos in ("ADP", "PUNCT", "ADV", "SCONJ", "CCONJ", "PART") or first.lemma == "to" or \
            is_relative_pronoun(first):
        return None
    return rest[0]


def _only_relative_verbs(doc: Doc, idx: list[int], finite: list[int]) -> bool:
    """"announced the end of a siege that echoed an assault that killed …": every verb after the cue
    belongs to a relative clause (as many relative pronouns as verbs), so what follows the cue is its
    object, not a reported clause ("said brewers who rely on exports are likely to suffer" has one
    verb more than relative pronouns: its own)."""
    # a demonstrative "that" opening its own clause counts too: "tell jokes, that's what" reports nothing
    relatives = [k for k in idx if k < finite[-1] and (
        is_relative_pronoun(doc.words[k]) or doc.words[k].lemma == "that" and doc.words[k].upos == "PRON")]
    return len(finite) <= len(relatives)


def content_after_parenthetical(doc: Doc, cue_last: int, quoted: set[int], lex: Lexicon) -> Span | None:
    """"Colleagues hid under desks, he said, but one person ran to the roof": a cue set off by commas in
    the middle of a sentence reports what follows it to the sentence's end too (unless another cue —
    ", adding that …", ", according to …" — takes that part)."""
    sent_last = doc.sents[doc.words[cue_last].sent][1]
    j = cue_last + 1
    while j <= sent_last and doc.words[j].upos == "ADV":
        j += 1
    if j > sent_last or doc.words[j].text != ",":
        return None
    rest = [k for k in range(j + 1, sent_last + 1) if k not in quoted]
    if not rest or len(rest) != sent_last - j or doc.words[rest[0]].text.lower() in ("according", "as"):
        return None
    head = next((doc.words[k] for k in rest if doc.words[k].upos not in ("ADV", "PART")), doc.words[rest[0]])
    if head.upos == "VERB" and (head.lemma in lex.verbs or head.feat("VerbForm") in ("Ger", "Part")):
        return None  # ", adding that …", ", saying …", ", not even needing to …": a frame of its own
    while rest and doc.words[rest[-1]].upos == "PUNCT":
        rest.pop()
    if _count(doc, rest) < 3:
        return None
    return span_of(doc, rest)


def according_content(doc: Doc, i: int, src: int | None) -> Span | None:
    """The rest of the sentence around "according to X", on the longer side of the phrase."""
    sent_first, sent_last = doc.sents[doc.words[i].sent]
    phrase = {i, i + 1}
    if src is not None:
        phrase |= set(doc.subtree(src))
    lo, hi = min(phrase), max(phrase)
    before = [k for k in range(sent_first, lo) if doc.words[k].upos != "PUNCT"]
    after = list(range(hi + 1, sent_last + 1))
    side = before if len(before) >= _count(doc, after) else after
    if _count(doc, side) < 3:
        return None
    return span_of(doc, side)
