"""Whose cue it is: the source word of a speech cue, read off the parse and the words around the cue.

The source is the cue's subject (climbing through coordination, "saying"-participles and "was quoted as
saying"), the agent of a passive, or the noun a participial cue describes. When the parse gives none,
or gives one that the word order contradicts, the named word or pronoun next to the cue is the source:
"said Nicholson", "“…,” says architect Lorena Paz Akin", "…, says Heart and Stroke senior manager Ana
Kim". Each answer names the rule that found it (``cue-subject``, ``cue-subject-climb``,
``passive-agent``, ``cue-adjacent``); the frame's ``notes`` record a correction of the parse.
"""

from __future__ import annotations

from ..parsing.document import PERSON_TYPES, Doc
from ..text.predicates import is_relative_pronoun, is_speech_pronoun
from ..wordlists import words

_SUBJ = ("nsubj", "nsubj:pass", "csubj")
#: Relations along which a cue without a subject of its own takes its governor's.
_CLIMB = ("conj", "xcomp", "advcl", "acl", "parataxis", "ccomp")
_CLOSING_MARKS = "\"”’'»"


def follows_quote(doc: Doc, i: int, quoted: set[int]) -> bool:
    """Whether the cue at word ``i`` closes a quotation: "“…,” said X", "“…,” X told reporters"."""
    sent_first = doc.sents[doc.words[i].sent][0]
    k = i - 1
    while k >= sent_first and i - k <= 6 and k not in quoted:
        if doc.words[k].upos in ("VERB", "AUX", "SCONJ") or doc.words[k].text in (".", "!", "?", ";"):
            return False
        k -= 1
    return k >= sent_first and k in quoted and doc.words[k].text in _CLOSING_MARKS


def subject(doc: Doc, verb: int, quoted: set[int]) -> tuple[int | None, str]:
    """The source of a cue verb by the parse, climbing to the governing verb when it has none of its
    own. A subject inside a quotation ("I", "we" of the quote) is never the source."""
    v, hops = verb, 0
    while v >= 0 and hops < 3:
        found = _own_source(doc, v, quoted, hops)
        if found is not None:
            return found
        if doc.words[v].deprel.split(":")[0] not in _CLIMB:
            break
        v, hops = doc.words[v].head, hops + 1
    return None, "none"


def _own_source(doc: Doc, v: int, quoted: set[int], hops: int) -> tuple[int | None, str] | None:
    """The source verb ``v`` itself gives (``None``: climb on; ``(None, "none")``: stop, no source)."""
    subj = [k for k in doc.kids(v, *_SUBJ) if k not in quoted]
    if subj:
        # two subjects are a parse error ("A tour …, “was an eye-opener” Farinloye says", "Jo Doe – a
        # veteran organiser – said", "the company announced that Jo Doe …"): one before the verb, a name
        # before a description, then the one nearest the verb
        subj.sort(key=lambda k: (_fronted_adverbial(doc, k), k > v, doc.words[k].upos != "PROPN", abs(k - v)))
        w = doc.words[subj[0]]
        # "X was quoted as saying": the passive subject of "quote" is the source, but the passive
        # subject of other verbs ("Y was told") is the listener.
        if w.deprel == "nsubj:pass" and doc.words[v].lemma not in words("passive_source_cues"):
            return None, "none"
        return subj[0], "cue-subject" if hops == 0 else "cue-subject-climb"
    agent = [c for c in doc.kids(v, "obl") if any(doc.words[k].lemma == "by" for k in doc.kids(c, "case"))]
    if agent and doc.words[v].feat("Voice") == "Pass":
        return agent[0], "passive-agent"
    head = doc.words[v].head
    if doc.words[v].deprel == "acl" and head >= 0 and doc.words[head].upos in ("NOUN", "PROPN") and \
            head not in quoted:
        return head, "cue-subject-climb"  # "Keron Blair, director of X, called for …"
    return None


def _fronted_adverbial(doc: Doc, k: int) -> bool:
    """"Meanwhile, a military source said": one word that opens the sentence, names nothing and is set off
    by a comma is an adverbial the parser took for a second subject, never the speaker."""
    w = doc.words[k]
    first = doc.sents[w.sent][0]
    return (k == first and w.ner == "O" and k + 1 < len(doc.words) and doc.words[k + 1].text == ","
            and all(doc.words[c].deprel == "punct" for c in w.children))


def adjacent_source(doc: Doc, verb: int, quoted: set[int]) -> int | None:
    """A named word or pronoun right next to the cue: "said Nicholson", "Nicholson says"."""
    sent_first, sent_last = doc.sents[doc.words[verb].sent]
    # After a cue of telling comes the listener, never the speaker: "“…,” an official told AFP"
    listener = doc.words[verb].lemma in words("telling_cues")
    inverted = follows_quote(doc, verb, quoted)
    before = doc.words[verb - 1] if verb > sent_first else None
    if inverted and before is not None and (before.upos == "PROPN" and before.ner != "O" or is_speech_pronoun(before)):
        return verb - 1  # "“…,” Jo Doe said late Friday": the name before the cue, not a word after it
    if inverted and not listener:
        # "“…,” says Schicketanz", "“…,” says architect Lorena Paz Akin": after a quotation the words
        # right after the cue name the speaker, even when the NER layer missed the name
        found = _name_after_cue(doc, verb, sent_last, quoted)
        if found is not None:
            return found
        decided, found = _description_after_cue(doc, verb, sent_last, quoted)
        if decided:
            return found
    # After the verb only for inversion ("said Nicholson", "“…?” asked Ana Flores"); otherwise "told CTV
    # News" names the listener.
    order = (verb - 1,) if listener or doc.words[verb].lemma in words("listener_cues") and not inverted else (
        verb + 1, verb + 2, verb - 1)
    for j in order:
        if sent_first <= j <= sent_last and j not in quoted and _source_word(doc, verb, j, sent_last, inverted):
            return j
    return _named_word_before(doc, verb, sent_first, quoted)


def _source_word(doc: Doc, verb: int, j: int, sent_last: int, inverted: bool) -> bool:
    """Whether word ``j`` next to the cue is its source: a tagged name or a speech pronoun."""
    w = doc.words[j]
    if j == verb + 2 and doc.words[verb + 1].upos != "PROPN":
        return False
    if w.upos == "PRON" and j > verb and not inverted and j + 1 <= sent_last and doc.words[j + 1].upos != "PUNCT":
        return False  # "said he found housing": the subject of what was said, not "…, said he."
    if _past_owner(doc, j, sent_last) is not None:
        return False  # "said Hamas's spokesman": an owner, not the speaker
    return (w.upos == "PROPN" and w.ner != "O") or is_speech_pronoun(w)


def _name_after_cue(doc: Doc, verb: int, sent_last: int, quoted: set[int]) -> int | None:
    """The last word of the capitalised name within six words after an inverted cue (not counting an
    owner before the title: "said Clinton's top foreign policy aide Jake Sullivan")."""
    j, limit = verb + 1, verb + 6
    while j <= min(sent_last, limit) and j not in quoted and doc.words[j].upos in ("NOUN", "ADJ", "DET", "PROPN"):
        if doc.words[j].text.lower() in words("calendar_words"):
            return None  # "said late Friday": a time, not a speaker
        owner = _past_owner(doc, j, sent_last)
        if owner is not None:
            limit += owner - j  # "said Hamas's spokesman, Hazem Qassem": not the owner
            j = owner
            continue
        if doc.words[j].upos == "PROPN" and doc.words[j].text[:1].isupper():
            while j + 1 <= sent_last and doc.words[j + 1].upos == "PROPN" and doc.words[j + 1].text[:1].isupper():
                j += 1
            return j
        j += 1
    return None


def _description_after_cue(doc: Doc, verb: int, sent_last: int, quoted: set[int]) -> tuple[bool, int | None]:
    """No name after an inverted cue: a description that ends the clause ("says my two-year-old.",
    "said a citizen", "says one of the players") is the source; "says the program changed his life" is
    reported content, and the cue has no source next to it. Returns whether that decided, and the word."""
    j = verb + 1
    while j <= min(sent_last, verb + 4) and j not in quoted:
        w = doc.words[j]
        if w.text.lower() == "one" and j + 1 <= sent_last and doc.words[j + 1].text.lower() == "of":
            return True, j
        if w.upos == "NOUN":
            j = _end_of_noun_run(doc, j, sent_last, quoted)
            nxt = doc.words[j + 1] if j + 1 <= sent_last else None
            return True, (j if nxt is None or nxt.upos in ("PUNCT", "ADP") else None)
        owner = _past_owner(doc, j, sent_last)  # "said Harbour Front's spokesman"
        if owner is not None:
            j = owner
            continue
        if w.upos not in ("DET", "ADJ", "NUM") and w.text != "-" and not (w.upos == "PRON" and w.feat("Poss") == "Yes"):
            break
        j += 1
    return False, None


def _past_owner(doc: Doc, j: int, sent_last: int) -> int | None:
    """The word after a possessor that starts at word ``j`` ("Harbour Front's" or "Harbour Front" "'s"),
    if a run of capitalised names there ends in a possessive."""
    k = j
    while k <= sent_last and doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper():
        if doc.words[k].text.endswith(("'s", "’s")):
            return k + 1
        k += 1
    if k > j and k <= sent_last and doc.words[k].text in ("'s", "’s"):
        return k + 1
    return None


def _end_of_noun_run(doc: Doc, j: int, sent_last: int, quoted: set[int]) -> int:
    """The last noun of a run, hyphenated compounds included ("four-year-old" is four, -, year, -, old)."""
    while j + 1 <= sent_last and j + 1 not in quoted:
        nxt = doc.words[j + 1]
        if nxt.upos == "NOUN":
            j += 1
        elif nxt.text == "-" and j + 2 <= sent_last and doc.words[j + 2].upos in ("NOUN", "ADJ") and \
                nxt.start == doc.words[j].end:
            j += 2
        else:
            break
    return j


def _named_word_before(doc: Doc, verb: int, sent_first: int, quoted: set[int]) -> int | None:
    """The clause's first named word before the cue, when nothing but its description intervenes (a
    relative clause set off by commas included: "Reyes, who still has the phone, said")."""
    k, found = verb - 1, None
    if k >= sent_first and doc.words[k].text == ",":
        m = k - 1
        while m >= sent_first and doc.words[m].text != "," and m not in quoted:
            m -= 1
        if m >= sent_first and m + 1 < k and is_relative_pronoun(doc.words[m + 1]):
            k = m - 1
    while k >= sent_first and k not in quoted and (doc.words[k].upos not in ("VERB", "AUX", "SCONJ") or
                                                   doc.words[k].deprel in ("amod", "compound")):
        if doc.words[k].upos == "PROPN" and doc.words[k].ner != "O":
            found = k
        k -= 1
    return found if found is not None else _opening_noun_phrase(doc, verb, sent_first)


def _opening_noun_phrase(doc: Doc, verb: int, sent_first: int) -> int | None:
    """"The Israeli military said soldiers …" parsed with "said" as an adjective of "soldiers": a noun
    phrase with a determiner that opens the sentence and runs up to the cue is its subject; its last
    word is the source."""
    words = doc.words[sent_first:verb]
    if len(words) < 2 or words[0].upos != "DET" or words[0].lemma not in ("the", "a", "an") or \
            not all(w.upos in ("ADJ", "NOUN", "PROPN") for w in words[1:]):
        return None
    return verb - 1


def cue_source(doc: Doc, first: int, quoted: set[int]) -> tuple[int | None, str, list[str]]:
    """The source word of the cue starting at word ``first``, the rule that found it, and notes on
    where the word order overrode the parse."""
    sent_last = doc.sents[doc.words[first].sent][1]
    subj, rule = subject(doc, first, quoted)
    near = adjacent_source(doc, first, quoted)
    if subj is not None and near is not None and near == first - 1 and abs(subj - first) > 4 and subj != near \
            and not _coordinated(doc, near, subj):  # (not "A and B said", where B is A's conjunct)
        return near, "cue-adjacent", ["frame:subject-next-to-cue"]  # "…heartbreaking,” she says": a far subject
    if near is not None and near > first and doc.words[near].upos == "PROPN" and (
            rule == "cue-subject-climb" and doc.words[first].deprel == "parataxis" or
            subj is not None and subj < first and doc.words[first - 1].text in (",", "”", '"')):
        inverted = _inverted_cue_name(doc, near, sent_last)
        if inverted is not None:
            return inverted, "cue-adjacent", ["frame:inverted-cue"]
    if subj is None:
        subj = near
        rule = "cue-adjacent" if subj is not None else "none"
    return subj, rule, []


def _coordinated(doc: Doc, k: int, subj: int) -> bool:
    """Whether word ``k`` names a second person coordinated with a subject that names one of its own
    ("Mayor Clara Oduya and councillor Ivo Marsh said"), not the one person of coordinated titles
    ("Toronto city councillor and tenants advocate Josh Matlow said")."""
    path = [k, *doc.ancestors(k)]
    if subj not in path or subj > k:
        return False
    conj = [j for j in path[:path.index(subj)] if doc.words[j].deprel == "conj"]
    if not conj:
        return False
    own = set(doc.subtree(subj, exclude=set(conj)))
    return any((e := doc.entity_at(j)) is not None and e.type in PERSON_TYPES for j in own)


def _inverted_cue_name(doc: Doc, near: int, sent_last: int) -> int | None:
    """"X is the leading cause, says Ana Kim": after an inverted cue (the parse may take a word of what
    was said for its subject) the source is the name that ends the phrase after it ("says Heart and
    Stroke senior manager Ana Kim"), when that phrase ends the clause."""
    k = near
    while k + 1 <= sent_last and doc.words[k + 1].upos in ("PROPN", "NOUN", "ADJ", "CCONJ"):
        k += 1
    if k == sent_last or doc.words[k + 1].upos == "PUNCT":
        return max(j for j in range(near, k + 1) if doc.words[j].upos == "PROPN")
    return None
