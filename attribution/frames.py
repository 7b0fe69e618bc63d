"""Speech frames: a cue (a speech verb, a phrasal cue, "according to") with its source and content.

The source is what the cue attaches to in the dependency parse: its subject (climbing through
coordination, "saying"-participles and "was quoted as saying"), the agent of a passive, or the object
of "according to"; when the parse gives none, the named mention or pronoun next to the cue. The
content of reported speech is the cue's clausal complement (``ccomp``, "that ..."), its infinitival
complement for pledges ("vowed to continue"), the object of a phrasal cue ("called for a ceasefire"),
or what follows a colon.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .document import Doc
from .lexicon import Lexicon

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you"}
_SUBJ = ("nsubj", "nsubj:pass", "csubj")
_CLIMB = ("conj", "xcomp", "advcl", "acl", "parataxis", "ccomp")
# Cues that report speech only next to a quotation ("“…,” he continued"; "she went on: …").
_QUOTATION_ONLY_CUES = {"continue", "go"}
_OPENING_MARKS = ("“", '"', "‘", "'", "«", "(", "[")
# Cues of telling: a listener may follow the verb before what was said ("told police he left").
_LISTENER_CUES = ("tell", "inform", "assure", "ask")
# Verbs of naming: what they say something is follows "as" ("described it as a crisis") or the object
# ("called the plan a disaster").
_AS_CUES = {"describe", "characterize", "characterise", "portray", "label", "brand", "depict"}
_NAMING_CUES = _AS_CUES | {"call", "dub"}
# Cue verbs whose complement is a pledge or an appeal ("vowed to fight", "urged them to leave").
# Cue verbs that take no reported clause of their own ("described it as", "thanked them").
_NO_CLAUSE = {"call", "describe", "thank", "praise", "criticize", "criticise", "accuse", "blame", "ask", "beg",
              "quote", "post", "tweet", "shout", "scream", "yell", "whisper", "mutter", "murmur", "joke",
              "quip", "sniff", "crow", "continue", "read", "answer", "reply", "respond", "retort", "comment", "go",
              "point",
              "object", "protest", "complain", "testify", "speculate", "signal", "demand", "propose",
              "recommend", "urge", "pledge", "vow", "promise", "threaten", "plead"}
_XCOMP_CUES = {"vow", "pledge", "promise", "threaten", "urge", "call", "ask", "demand", "warn", "tell", "beg",
               "plead", "propose", "recommend", "advise", "claim"}


@dataclass
class Frame:
    """One cue with its source and (for reported speech) its content words."""

    cue_first: int
    cue_last: int
    source: int | None  # head word of the source phrase
    source_rule: str
    content: tuple[int, int] | None = None  # character span of reported content
    colon: bool = False
    #: the rest of the sentence after a parenthetical cue ("…, he said, but one person ran …")
    after: tuple[int, int] | None = None

    def cue_text(self, doc: Doc) -> str:
        """The cue as written ("said", "called for", "according to")."""
        return doc.span_text(self.cue_first, self.cue_last)


def _is_cue_verb(doc: Doc, i: int, lex: Lexicon) -> tuple[int, int] | None:
    """The cue's word span if word ``i`` starts a cue."""
    w = doc.words[i]
    if w.upos not in ("VERB", "AUX", "NOUN") and not (w.upos == "ADJ" and w.lemma in lex.verbs):
        return None
    nxt = doc.words[i + 1].lemma if i + 1 < len(doc.words) else ""
    if w.upos in ("VERB", "AUX", "ADJ"):
        if (w.lemma, nxt) in lex.phrasal:
            return i, i + 1
        if w.lemma in lex.verbs and w.upos != "AUX":
            return i, i
    return None


def _subject(doc: Doc, verb: int, quoted: set[int]) -> tuple[int | None, str]:
    """The source of a cue verb, climbing to the governing verb when it has no subject of its own.

    A subject inside a quotation ("I", "we" of the quote) is never the source.
    """
    v, hops = verb, 0
    while v >= 0 and hops < 3:
        subj = [k for k in doc.kids(v, *_SUBJ) if k not in quoted]
        if subj:
            # two subjects are a parse error ("A tour …, “was an eye-opener” Farinloye says", "Jo Doe –
            # a veteran organiser – said", "the company announced that Jo Doe …"): one before the verb,
            # a name before a description, then the one nearest the verb
            subj.sort(key=lambda k: (k > v, doc.words[k].upos != "PROPN", abs(k - v)))
            w = doc.words[subj[0]]
            # "X was quoted as saying": the passive subject of "quote" is the source, but the passive
            # subject of other verbs ("Y was told") is the listener.
            if w.deprel == "nsubj:pass" and doc.words[v].lemma not in ("quote", "cite", "report"):
                return None, "none"
            return subj[0], "cue-subject" if hops == 0 else "cue-subject-climb"
        agent = [c for c in doc.kids(v, "obl") if any(doc.words[k].lemma == "by" for k in doc.kids(c, "case"))]
        if agent and doc.words[v].feat("Voice") == "Pass":
            return agent[0], "passive-agent"
        if doc.words[v].deprel == "acl" and doc.words[v].head >= 0 and \
                doc.words[doc.words[v].head].upos in ("NOUN", "PROPN") and doc.words[v].head not in quoted:
            return doc.words[v].head, "cue-subject-climb"  # "Keron Blair, director of X, called for …"
        if doc.words[v].deprel.split(":")[0] not in _CLIMB:
            break
        v, hops = doc.words[v].head, hops + 1
    return None, "none"


def _adjacent_source(doc: Doc, verb: int, quote_words: set[int]) -> int | None:
    """A named word or pronoun right next to the cue: "said Nicholson", "Nicholson says"."""
    sent_first, sent_last = doc.sents[doc.words[verb].sent]
    # After the verb only for inversion ("said Nicholson", "“…?” asked Ana Flores"); otherwise "told CTV
    # News" names the listener.
    listener_verb = doc.words[verb].lemma in _LISTENER_CUES
    if _follows_quote(doc, verb, quote_words):
        # "“…,” says Schicketanz", "“…,” says architect Lorena Paz Akin": after a quotation the words
        # right after the cue name the speaker, even when the NER layer missed the name
        j = verb + 1
        while j <= min(sent_last, verb + 6) and j not in quote_words and (
                doc.words[j].upos in ("NOUN", "ADJ", "DET") or doc.words[j].upos == "PROPN"):
            if doc.words[j].upos == "PROPN" and doc.words[j].text[:1].isupper():
                while j + 1 <= sent_last and doc.words[j + 1].upos == "PROPN" and doc.words[j + 1].text[:1].isupper():
                    j += 1
                return j
            j += 1
        # no name: a description ("says my two-year-old", "said a citizen", "says one of the players")
        j = verb + 1
        while j <= min(sent_last, verb + 4) and j not in quote_words:
            w = doc.words[j]
            if w.text.lower() == "one" and j + 1 <= sent_last and doc.words[j + 1].text.lower() == "of":
                return j
            if w.upos == "NOUN":
                # the noun run, hyphenated compounds included ("four-year-old" is four, -, year, -, old)
                while j + 1 <= sent_last and j + 1 not in quote_words and (
                        doc.words[j + 1].upos == "NOUN" or doc.words[j + 1].text == "-" and j + 2 <= sent_last
                        and doc.words[j + 2].upos in ("NOUN", "ADJ") and doc.words[j + 1].start == doc.words[j].end):
                    j += 2 if doc.words[j + 1].text == "-" else 1
                # the description ends the clause ("says my two-year-old."); "says the program changed
                # his life" is reported content, not a source
                nxt = doc.words[j + 1] if j + 1 <= sent_last else None
                return j if nxt is None or nxt.upos in ("PUNCT", "ADP") else None
            if w.upos not in ("DET", "ADJ", "NUM") and w.text != "-" and not (
                    w.upos == "PRON" and w.feat("Poss") == "Yes"):
                break
            j += 1
    order = (verb - 1,) if listener_verb and not _follows_quote(doc, verb, quote_words) else (
        verb + 1, verb + 2, verb - 1)
    inverted = _follows_quote(doc, verb, quote_words)
    for j in order:
        if sent_first <= j <= sent_last and j not in quote_words:
            w = doc.words[j]
            if j == verb + 2 and doc.words[verb + 1].upos != "PROPN":
                continue
            if w.upos == "PRON" and j > verb and not inverted and j + 1 <= sent_last and \
                    doc.words[j + 1].upos != "PUNCT":
                continue  # "said he found housing": the subject of what was said, not "…, said he."
            if (w.upos == "PROPN" and w.ner != "O") or (w.upos == "PRON" and w.lemma in PRONOUNS):
                return j
    # The clause's first named word before the cue, when nothing but its description intervenes (a
    # relative clause set off by commas included: "Reyes, who still has the phone, said").
    k, found = verb - 1, None
    if k >= sent_first and doc.words[k].text == ",":
        m = k - 1
        while m >= sent_first and doc.words[m].text != "," and m not in quote_words:
            m -= 1
        if m >= sent_first and m + 1 < k and doc.words[m + 1].lemma in ("who", "which", "whose"):
            k = m - 1
    while k >= sent_first and k not in quote_words and (doc.words[k].upos not in ("VERB", "AUX", "SCONJ") or
                                                         doc.words[k].deprel in ("amod", "compound")):
        if doc.words[k].upos == "PROPN" and doc.words[k].ner != "O":
            found = k
        k -= 1
    return found


def _word_count(doc: Doc, words: Iterable[int]) -> int:
    """How many of the words at these indices are not punctuation."""
    return sum(1 for k in words if doc.words[k].upos != "PUNCT")


def _span_of(doc: Doc, words: list[int]) -> tuple[int, int] | None:
    words = [i for i in words if doc.words[i].upos != "PUNCT" or doc.words[i].text in "\"“”‘’'«»"]
    if not words:
        return None
    first, last = min(words), max(words)
    # strip edge punctuation other than quote marks
    while first <= last and doc.words[first].upos == "PUNCT" and doc.words[first].text not in "\"“‘'«":
        first += 1
    while last >= first and doc.words[last].upos == "PUNCT" and doc.words[last].text not in "\"”’'»":
        last -= 1
    if last < first:
        return None
    return doc.words[first].start, doc.words[last].end


def _content(doc: Doc, verb: int, cue_last: int, lex: Lexicon) -> tuple[tuple[int, int] | None, bool]:
    """Character span of reported content governed by the cue, and whether a colon introduced it."""
    w = doc.words[verb]
    sent_first, sent_last = doc.sents[w.sent]
    # A colon right after the cue (and its subject or adverbials): the rest of the sentence.
    for j in range(cue_last + 1, min(sent_last, cue_last + 6) + 1):
        if doc.words[j].text == ":":
            rest = list(range(j + 1, sent_last + 1))
            # "He said:" ending its paragraph introduces the next one: no content here, still a colon cue
            return (_span_of(doc, rest) if rest else None), True
        if doc.words[j].upos in ("VERB",):
            break
    comps = [c for c in doc.kids(verb, "ccomp") if c > cue_last]
    if not comps and w.lemma in _XCOMP_CUES:
        comps = [c for c in doc.kids(verb, "xcomp") if c > cue_last and doc.words[c].upos in ("VERB", "AUX", "ADJ")]
    if comps:
        words = [k for k in doc.subtree(comps[0]) if k > cue_last]
        if len(words) >= 3:
            # Reported speech runs to the end of the sentence; weak parses cut the clause short.
            return _span_of(doc, list(range(min(words), sent_last + 1))), False
    if cue_last > verb:  # phrasal cue: "called for X", "pointed to X"
        obj = [c for c in w.children if c > cue_last and doc.words[c].deprel.split(":")[0] in ("obl", "obj")]
        if obj:
            # The appeal runs to the end of the sentence ("for a moratorium on charter schools"; "for
            # Afghans to rise up"): weak parses attach its parts to the verb.
            start = max(cue_last + 1, min(doc.subtree(obj[0])))
            return _span_of(doc, list(range(start, sent_last + 1))), False
    if w.upos == "NOUN":
        return None, False
    if w.lemma in _NAMING_CUES and cue_last == verb:
        named = _naming_content(doc, verb, sent_last)
        if named is not None:
            return named, False
    if w.lemma not in _NO_CLAUSE:
        after = _linear_content(doc, _past_listener(doc, cue_last, sent_last) if w.lemma in _LISTENER_CUES
                                else cue_last, sent_last)
        if after is not None:
            return after, False
    return _content_before(doc, verb, sent_first, sent_last), False


def _naming_content(doc: Doc, verb: int, sent_last: int) -> tuple[int, int] | None:
    """What a verb of naming says something is: "described the scene as “chaos”", "calls it a rookie
    mistake", "called the conclusion “bold”". The object is skipped (after "as" for describe, label and
    the like; the first noun phrase for call and dub) to check the shape; the content is object and
    predicate, to the end of the clause."""
    lemma = doc.words[verb].lemma
    k = verb + 1
    if lemma in _AS_CUES:
        while k <= sent_last and doc.words[k].lemma != "as":
            if doc.words[k].text in (",", ";", ":") or doc.words[k].upos == "VERB" and doc.words[k].feat(
                    "VerbForm") == "Fin" or k - verb > 12:
                return None
            k += 1
        k += 1
    else:  # "call X Y": skip X, a pronoun or a noun phrase up to its noun
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
    said = []  # what the thing is called, to the end of its clause
    for j in range(k, sent_last + 1):
        t, nxt = doc.words[j], doc.words[j + 1] if j + 1 <= sent_last else None
        if t.text == ";" or t.upos == "CCONJ" and nxt is not None and nxt.upos in ("VERB", "AUX") and \
                nxt.feat("VerbForm") != "Part" or \
                t.text == "," and nxt is not None and (nxt.upos in ("VERB", "AUX", "SCONJ") or nxt.lemma in (
                    "though", "although", "while", "which", "who", "whose", "but")):
            break
        said.append(j)
    if _word_count(doc, said) < (1 if any(
            doc.words[j].text in "“\"‘" for j in said) else 2):
        return None
    # the object is part of the report ("described the scene as …"): a span that holds it covers
    # both conventions, the predicate alone and object with predicate
    return _span_of(doc, list(range(verb + 1, said[-1] + 1)))


def _content_before(doc: Doc, verb: int, sent_first: int, sent_last: int) -> tuple[int, int] | None:
    """"The attack took four minutes, he said." -- reported content before a trailing attribution.

    The cue must close its sentence (only its subject, adverbials and punctuation around it) and a
    comma must set it off from a clause with a finite verb.
    """
    k = verb - 1
    while k >= sent_first and doc.words[k].text != "," and verb - k <= 10:
        w = doc.words[k]
        if w.upos in ("AUX", "SCONJ") or w.feat("PronType") == "Rel" or w.lemma in ("which", "who") or (
                w.upos == "VERB" and not (w.feat("VerbForm") == "Part" and doc.words[k - 1].text == "-")):
            return None  # a verb of its own (not "state-run"), or a relative clause ("…, which he denied")
        k -= 1
    if verb - k > 6 and not any(doc.words[j].deprel.startswith("nsubj") for j in range(k + 1, verb)):
        return None  # a long stretch before the cue must hold its subject
    if k < sent_first or doc.words[k].text != ",":
        return None
    for j in range(verb + 1, sent_last + 1):
        if doc.words[j].text in (",", ";", "—", "–"):
            break  # ", adding that …", ", according to …" may follow
        if doc.words[j].upos in ("VERB", "AUX", "SCONJ") or doc.words[j].lemma == "that":
            return None
    words = list(range(sent_first, k))
    opener = doc.words[sent_first]
    if opener.upos == "VERB" and opener.feat("VerbForm") == "Part" and opener.feat("Tense") == "Past":
        return None  # "Asked about the blast, Kim said, “…”": the question put to the speaker
    finite = [j for j in words if doc.words[j].upos in ("VERB", "AUX") and doc.words[j].feat("VerbForm") == "Fin"]
    if not finite and _predicate_follows(doc, verb, sent_last):
        return _interrupted_subject(doc, verb)
    if _word_count(doc, words) < 4 or not finite:
        return None
    return _span_of(doc, words)


def _interrupted_subject(doc: Doc, verb: int) -> tuple[int, int] | None:
    """"The latest test, officials said, was its biggest yet": when the cue interrupts its clause between
    subject and predicate, the subject before it is the first half of what was said (the predicate after
    it, the frame's ``after``, is the second). The subject is a noun phrase that opens the sentence."""
    sent_first = doc.sents[doc.words[verb].sent][0]
    k = verb - 1
    while k > sent_first and doc.words[k].text != "," and verb - k <= 6:
        k -= 1
    words = list(range(sent_first, k))
    if doc.words[k].text != "," or _word_count(doc, words) < 3 or any(
            doc.words[j].upos in ("VERB", "AUX", "SCONJ", "PRON") for j in words):
        return None
    return _span_of(doc, words)


def _predicate_follows(doc: Doc, verb: int, sent_last: int) -> bool:
    """Whether a comma after the cue (and its adverbs) leads to a finite verb: the clause goes on."""
    j = verb + 1
    while j <= sent_last and doc.words[j].upos == "ADV":
        j += 1
    if j > sent_last or doc.words[j].text != ",":
        return False
    j += 1
    while j <= sent_last and doc.words[j].upos == "ADV":
        j += 1
    return j <= sent_last and doc.words[j].upos in ("AUX", "VERB") and doc.words[j].feat("VerbForm") == "Fin"


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


def _linear_content(doc: Doc, cue_last: int, sent_last: int) -> tuple[int, int] | None:
    """Reported content read linearly when the parse gives no complement (weak parsers often don't).

    "warned on Monday that X" -> from "that"; "said spokesman X had been killed" -> the clause right
    after the cue. The rest must hold a finite verb, so "said in a statement." reports nothing.
    """
    rest = list(range(cue_last + 1, sent_last + 1))
    if not rest:
        return None
    start = None
    for k in rest[:8]:
        w = doc.words[k]
        if w.lemma == "that" and w.upos == "SCONJ":
            start = k
            break
        if w.text in (",", ";", "(") or w.upos == "VERB":
            break
    if start is None:
        comma = next((k for k in rest[:5] if doc.words[k].text == ","), None)
        if comma is not None and all(doc.words[k].head == cue_last and doc.words[k].deprel.startswith(("obl", "advmod"))
                                     or doc.words[k].head in range(rest[0], comma) for k in range(rest[0], comma)):
            return None  # "said Friday afternoon, as they …": the cue's adjunct, then no clause of what was said
        first = doc.words[rest[0]]
        if first.upos in ("ADP", "PUNCT", "ADV", "SCONJ", "CCONJ", "PART") or first.lemma in (
                "to", "which", "who", "whom", "whose") or first.feat("PronType") == "Rel":
            return None
        start = rest[0]
    words = [k for k in rest if k >= start]
    finite = [k for k in words if doc.words[k].upos in ("VERB", "AUX") and (
        doc.words[k].feat("VerbForm") == "Fin" or doc.words[k].feat("Tense") is not None)]
    if _word_count(doc, words) < 4 or not finite:
        return None
    if doc.words[start].lemma != "that" and _only_relative_verbs(doc, words, finite):
        return None
    return _span_of(doc, words)


def _only_relative_verbs(doc: Doc, words: list[int], finite: list[int]) -> bool:
    """"announced the end of a siege that echoed an assault that killed …": every verb after the cue
    belongs to a relative clause (as many relative pronouns as verbs), so what follows the cue is its
    object, not a reported clause ("said brewers who rely on exports are likely to suffer" has one
    verb more than relative pronouns: its own)."""
    relatives = [k for k in words if k < finite[-1] and (
        doc.words[k].feat("PronType") == "Rel" or doc.words[k].lemma in ("which", "who", "whom")
        or (doc.words[k].lemma == "that" and doc.words[k].upos == "PRON"))]
    return len(finite) <= len(relatives)


def _follows_quote(doc: Doc, i: int, quoted: set[int]) -> bool:
    """Whether the cue closes a quotation: "“…,” said X", "“…,” X told reporters"."""
    sent_first = doc.sents[doc.words[i].sent][0]
    k = i - 1
    while k >= sent_first and i - k <= 6 and k not in quoted:
        if doc.words[k].upos in ("VERB", "AUX", "SCONJ") or doc.words[k].text in (".", "!", "?", ";"):
            return False
        k -= 1
    return k >= sent_first and k in quoted and doc.words[k].text in "\"”’'»"


_DASHES = ("―", "—", "–", "-", "--")


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
    start = first
    while start > 0 and doc.words[start - 1].para == para:
        start -= 1
    said = list(range(start, first))
    if any(j in quoted for j in said) or _word_count(doc, said) < 6:
        return None
    surname = doc.words[name_last].text
    if not any(w.text == surname and w.para != para for w in doc.words):
        return None
    content = _span_of(doc, said)
    return Frame(name_last, name_last, name_last, "signed-paragraph", content) if content else None


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


def _reports_here(doc: Doc, first: int, last: int, quoted: set[int]) -> bool:
    """Whether a cue word reports speech where it stands. Not a capitalised cue inside a sentence (a
    title: "They Call Me George"), and not "continue" or "go on" unless they close a quotation or open
    one with a colon ("“…,” he continued"; "She went on: …"): elsewhere they are about anything else.
    Not a negated cue either, unless it closes a quotation."""
    w = doc.words[first]
    sent_first = doc.sents[w.sent][0]
    if w.text[:1].isupper() and first > sent_first and doc.words[first - 1].text not in _OPENING_MARKS:
        return False
    if w.lemma in _QUOTATION_ONLY_CUES:
        colon = last + 1 < len(doc.words) and doc.words[last + 1].text == ":"
        return colon or _follows_quote(doc, first, quoted)
    if w.lemma in _NAMING_CUES and any(doc.words[k].lemma == "what" for k in range(max(sent_first, first - 4), first)):
        return False  # "what the government is calling “inflamed rhetoric”": a name for something, not a report
    # "would not say which …", "have not charged him with …": nothing was said
    negated = any(doc.words[c].lemma in ("not", "never") for c in w.children)
    return not negated or _follows_quote(doc, first, quoted)


def find_frames(doc: Doc, lex: Lexicon, quoted: set[int], skip_paras: set[int]) -> list[Frame]:
    """Every speech frame outside quotations and outside furniture paragraphs."""
    frames: list[Frame] = []
    for i, w in enumerate(doc.words):
        if i in quoted or w.para in skip_paras:
            continue
        if w.text.lower() == "according" and i + 1 < len(doc.words) and doc.words[i + 1].text.lower() == "to":
            src = w.head if w.head >= 0 and w.head != i + 1 else None
            if src is None or doc.words[src].upos not in ("PROPN", "NOUN", "PRON"):
                cand = [k for k in range(i + 2, min(i + 6, len(doc.words)))
                        if doc.words[k].upos in ("PROPN", "NOUN", "PRON")]
                src = cand[0] if cand else None
            frames.append(Frame(i, i + 1, src, "according-to", _according_content(doc, i, src)))
            continue
        byline = _dash_byline(doc, i, quoted)
        if byline is not None:
            frames.append(Frame(i, i, byline, "dash-byline"))
            continue
        span = _is_cue_verb(doc, i, lex)
        if span is None:
            tagged_noun = _colon_cue_noun(doc, i, lex)
            if tagged_noun is not None:
                frames.append(Frame(i, i, tagged_noun, "colon-subject", None, colon=True))
            continue
        first, last = span
        if not _reports_here(doc, first, last, quoted):
            continue
        sent_last = doc.sents[w.sent][1]
        subj, rule = _subject(doc, first, quoted)
        near = _adjacent_source(doc, first, quoted)
        if subj is not None and near is not None and near == first - 1 and abs(subj - first) > 4 and subj != near:
            subj, rule = near, "cue-adjacent"  # "…heartbreaking,” she says": the parse chose a far subject
        elif near is not None and near > first and doc.words[near].upos == "PROPN" and (
                rule == "cue-subject-climb" and doc.words[first].deprel == "parataxis" or
                subj is not None and subj < first and doc.words[first - 1].text in (",", "”", '"')):
            # "X is the leading cause, says Ana Kim": an inverted cue (the parse may take a word of what
            # was said for its subject); the source is the name that ends the phrase after it ("says Heart
            # and Stroke senior manager Ana Kim")
            k = near
            while k + 1 <= sent_last and doc.words[k + 1].upos in ("PROPN", "NOUN", "ADJ", "CCONJ"):
                k += 1
            if k == sent_last or doc.words[k + 1].upos == "PUNCT":  # the name ends the clause
                subj = max(j for j in range(near, k + 1) if doc.words[j].upos == "PROPN")
                rule = "cue-adjacent"
        if subj is None:
            subj = _adjacent_source(doc, first, quoted)
            rule = "cue-adjacent" if subj is not None else "none"
        form = doc.words[first].feat("VerbForm")
        if form in ("Inf", "Ger") and (subj is None or doc.words[first].deprel.startswith("acl")) and \
                not _follows_quote(doc, first, quoted):
            continue  # "nothing wrong with charging …", "the move to emphasize …": nobody says anything
        content, colon = _content(doc, first, last, lex)
        if _follows_quote(doc, first, quoted) and not colon:
            content = None  # the cue attributes the quotation before it; what follows is its source
        if content is not None and subj is not None and content[0] <= doc.words[subj].start < content[1]:
            content = None  # "…,” said Lorne Fitch, who …": the source follows the cue; nothing reported
        after = None
        if content is not None and not colon and subj is not None and content[1] <= doc.words[first].start:
            after = _content_after_parenthetical(doc, last, quoted, lex)
        elif content is not None and not colon and subj is not None and content[0] > doc.words[last].end and \
                _predicate_follows(doc, last, sent_last):
            before = _interrupted_subject(doc, first)
            if before is not None and not any(doc.words[k].start >= content[0] and doc.words[k].end <= content[1]
                                              for k in quoted):
                # "The latest test, officials said, was …": the clause's two halves (a second half that
                # carries quotations stays one mixed quote)
                content, after = before, content
        frames.append(Frame(first, last, subj, rule, content, colon, after))
    for si in range(len(doc.sents)):
        if doc.words[doc.sents[si][0]].para not in skip_paras:
            signed = _signed_paragraph(doc, si, quoted)
            if signed is not None:
                frames.append(signed)
    _end_at_next_report(doc, frames)
    _continue_past_abbreviations(doc, frames, quoted)
    return frames


def _continue_past_abbreviations(doc: Doc, frames: list[Frame], quoted: set[int]) -> None:
    """"Purdy says he’s lost 16 lbs. since he signed up": when the tokenizer ends a sentence at an
    abbreviation's full stop and the next one opens in lower case, reported content that ran to the end
    of the first runs on to the end of the second."""
    for f in frames:
        if f.content is None or f.colon:
            continue
        last = doc.word_before(f.content[1])
        while last is not None and last + 1 < len(doc.words):
            w, stop = doc.words[last], last
            if doc.words[last + 1].text == "." and doc.words[last + 1].start == w.end:
                stop = last + 1  # "lbs" "." as two tokens
            # a lower-case abbreviation ("lbs.", "p.m.", "approx."), then a lower-case word
            if stop + 1 >= len(doc.words) or not doc.words[stop].text.endswith(".") or not w.text[:1].islower():
                break
            nxt = doc.words[stop + 1]
            if nxt.sent == w.sent or nxt.para != w.para or not (nxt.text.isalpha() and nxt.text.islower()) \
                    or stop + 1 in quoted:
                break
            last = doc.sents[nxt.sent][1]
            while doc.words[last].upos == "PUNCT" and doc.words[last].text not in "\"”’'»":
                last -= 1
            f.content = (f.content[0], doc.words[last].end)


def _end_at_next_report(doc: Doc, frames: list[Frame]) -> None:
    """"He said the vote sent a message, and he said things will change"; "she says …: she notes that
    …"; "he told police he ordered …, saying he had to …": reported speech that runs to the end of its
    sentence stops where a coordinated clause (after "and", "but", a colon or a semicolon) or a
    participle after a comma makes a report of its own, which keeps its own content."""
    for a in frames:
        if a.content is None or a.colon:
            continue
        for b in frames:
            if b is a:
                continue
            cue = doc.words[b.cue_first]
            if cue.deprel == "conj" and cue.head == a.cue_first and a.content[0] < cue.start < a.content[1] and \
                    not any(doc.words[c].deprel.startswith("nsubj") for c in cue.children):
                # "said “…,” and added: “…”": the speaker's second verb of saying is a report of its own
                j = b.cue_first - 1
                while j > a.cue_last and (doc.words[j].upos in ("ADV", "CCONJ") or doc.words[j].text in ",;"):
                    j -= 1
                between = [doc.words[k] for k in range(j + 1, b.cue_first)]
                if j > a.cue_last and doc.words[j].end > a.content[0] and any(w.upos == "CCONJ" for w in between) \
                        and (b.content is not None or b.colon):
                    a.content = (a.content[0], doc.words[j].end)
                continue
            if b.content is None:
                continue
            if a.content[0] < cue.start and cue.end <= a.content[1] and cue.text.lower().endswith("ing") and \
                    doc.words[b.cue_first - 1].text == ",":
                # "…, saying he had to …", "…, adding that …": a participle reports again, and its
                # speaker is the one whose report it continues (the parse may hang it inside that report)
                end = doc.words[b.cue_first - 2].end
                if end > a.content[0]:
                    a.content = (a.content[0], end)
                    if b.source_rule == "cue-subject-climb" and a.source is not None:
                        b.source, b.source_rule = a.source, a.source_rule
                continue
            if b.source is None or b.source > b.cue_first:
                continue
            src = doc.words[b.source]
            if not (a.content[0] < src.start and doc.words[b.cue_first].end <= a.content[1]):
                continue
            k = b.source
            while k - 1 > a.cue_last and doc.words[k - 1].upos in ("DET", "ADJ", "PROPN", "NOUN") or (
                    k - 1 > a.cue_last and doc.words[k - 1].feat("Poss") == "Yes"):
                k -= 1
            j = k - 1
            # "…, but she says …"; "While critics say …, Kim says …" (a comma, when the first report hangs
            # off the second and the second reports what follows it)
            forward = doc.words[j].text == "," and b.content[0] >= doc.words[b.cue_last].end and \
                doc.words[a.cue_first].head == b.cue_first
            if j <= a.cue_last or doc.words[j].text.lower() not in ("and", "but", ":", ";") and not forward:
                continue
            while j - 1 > a.cue_last and doc.words[j - 1].upos == "PUNCT":
                j -= 1  # ", and": the comma goes too
            end = doc.words[j - 1].end
            if end > a.content[0]:
                a.content = (a.content[0], end)


def _content_after_parenthetical(doc: Doc, cue_last: int, quoted: set[int], lex: Lexicon) -> tuple[int, int] | None:
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
    if _word_count(doc, rest) < 3:
        return None
    return _span_of(doc, rest)


def _according_content(doc: Doc, i: int, src: int | None) -> tuple[int, int] | None:
    """The rest of the sentence around "according to X", on the longer side of the phrase."""
    sent_first, sent_last = doc.sents[doc.words[i].sent]
    phrase = {i, i + 1}
    if src is not None:
        phrase |= set(doc.subtree(src))
    lo, hi = min(phrase), max(phrase)
    before = [k for k in range(sent_first, lo) if doc.words[k].upos != "PUNCT"]
    after = [k for k in range(hi + 1, sent_last + 1)]
    side = before if len(before) >= _word_count(doc, after) else after
    if _word_count(doc, side) < 3:
        return None
    return _span_of(doc, side)
