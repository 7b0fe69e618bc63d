"""Roles and affiliations the article states for a person, read off the parse around each mention.

Patterns, each named in ``RoleFact.rule``:

* ``title-before``: "the Taliban's chief spokesman Zabihullah Mujahid", "Taliban official Bilal Karimi",
  "former vice-president Amrullah Saleh" — the modifiers before a name; an organisation among them (or
  its possessor) is the affiliation, the rest the title;
* ``apposition``: "Fahim Dashty – a well-known Afghan journalist –", "Jane Roe, a senior analyst with
  the Treasury," — a noun phrase set off after the name; "of/for/with/at ORG" gives the affiliation;
* ``apposition-before``: "a top commander, General Abdul Wudod Zara";
* ``led-by``: "The NRF is led by Ahmad Massoud", "X, who leads the NRF" — leader of the organisation.
"""

from __future__ import annotations

from . import wordlists
from .document import Doc
from .entities import HONORIFICS, RELATION_NOUNS, EntityIndex, Mention
from .predicates import is_relative_pronoun
from .predicates import title_words as known_titles
from .types import RoleFact

_STOP_UPOS = {"VERB", "AUX", "PRON", "SCONJ", "CCONJ", "ADV", "NUM", "SYM", "INTJ"}
_SEPARATORS = {",", "–", "—", "-", "(", ")", ";", ":", ".", "―"}
# Nouns that put a person against an organisation rather than in it.
_ADVERSARIAL = wordlists.words("adversarial_nouns")
_LEAD_VERBS = wordlists.mapping("lead_verbs")


def _org_name(idx: EntityIndex, first: int, last: int) -> tuple[str | None, set[int]]:
    """The organisation named within words first..last, and the words it covers."""
    for m in idx.mentions:
        if m.type == "ORG" and m.first >= first and m.last <= last:
            return idx.cluster(m).bare_name, set(range(m.first, m.last + 1))
    return None, set()


def _title_text(doc: Doc, words: list[int]) -> str | None:
    words = [i for i in words if doc.words[i].upos not in ("DET", "PUNCT", "PART")
             and doc.words[i].text.lower() not in HONORIFICS]
    if not words or not any(doc.words[i].upos in ("NOUN", "PROPN") or doc.words[i].text.lower() in known_titles()
                            for i in words):
        return None
    if doc.words[words[-1]].lemma in RELATION_NOUNS:
        return None
    return doc.text[doc.words[words[0]].start:doc.words[words[-1]].end]


def _is_separator(doc: Doc, i: int) -> bool:
    """Punctuation that ends a noun phrase; a hyphen inside a word ("vice-president") does not."""
    w = doc.words[i]
    if w.text not in _SEPARATORS:
        return False
    if w.text == "-" and 0 < i < len(doc.words) - 1:
        return doc.words[i - 1].end != w.start or doc.words[i + 1].start != w.end
    return True


def _title_before(doc: Doc, idx: EntityIndex, m: Mention) -> RoleFact | None:
    j = m.first - 1
    sent_first = doc.sents[doc.words[m.first].sent][0]
    prefix: list[int] = []
    while j >= sent_first:
        w = doc.words[j]
        if _is_separator(doc, j) or w.upos in _STOP_UPOS or w.upos == "ADP" or w.text.lower() in HONORIFICS:
            break
        other = idx.mention_covering(j, j)
        if other is not None and other.type == "PERSON":
            break
        prefix.insert(0, j)
        if w.upos == "DET":
            break
        j -= 1
    last = doc.words[prefix[-1]] if prefix else None
    if last is None or not (last.upos in ("NOUN", "PROPN") or last.text.lower() in known_titles()):
        return None  # ("official" is often tagged an adjective: the titles list settles it)
    affiliation, org_words = _org_name(idx, prefix[0], prefix[-1])
    possessive = [i for i in prefix if doc.words[i].text in ("'s", "’s")]
    if not org_words and possessive:
        # "the union's chief negotiator": the possessor is the affiliation even without a name
        owner = [i for i in prefix if i < possessive[-1] and doc.words[i].upos in ("NOUN", "PROPN")]
        if owner:
            affiliation = doc.span_text(owner[0], owner[-1])
            org_words = set(range(prefix[0], possessive[-1] + 1))
    title_words = [i for i in prefix if i not in org_words]
    # The title is what follows the organisation ("Taliban ['s] chief spokesman").
    if org_words:
        title_words = [i for i in title_words if i > max(org_words)] or title_words
    title = _title_text(doc, title_words)
    if title is None:
        return None
    if doc.words[title_words[-1]].lemma in _ADVERSARIAL:
        affiliation = None
    start = doc.words[prefix[0]].start
    return RoleFact(title, affiliation, start, doc.words[m.last].end, "title-before")


def _np_after(doc: Doc, first: int) -> list[int]:
    """Words of a noun phrase set off by a separator, from ``first`` to the next separator or verb."""
    out = []
    sent_last = doc.sents[doc.words[first].sent][1]
    j = first
    while j <= sent_last:
        w = doc.words[j]
        participle = w.upos == "VERB" and w.deprel in ("amod", "compound")  # "well-known", "elected"
        if _is_separator(doc, j) or (w.upos in ("VERB", "AUX") and not participle) or \
                is_relative_pronoun(w) or w.lemma == "that":
            break
        out.append(j)
        j += 1
    # An apposition is set off on both sides; a noun phrase running into a verb is a clause's subject
    # ("Under Mr X, the fighters earned ...").
    if j <= sent_last and doc.words[j].upos in ("VERB", "AUX"):
        return []
    return out


def _from_np(doc: Doc, idx: EntityIndex, words: list[int], start: int, end: int, rule: str) -> RoleFact | None:
    if not words or doc.words[words[0]].upos not in ("DET", "ADJ", "NOUN", "PROPN"):
        return None
    opening = idx.mention_covering(words[0], words[0])
    if opening is not None and opening.type == "PERSON":
        return None
    title_words: list[int] = []
    affiliation = None
    k = 0
    while k < len(words):
        w = doc.words[words[k]]
        if w.upos == "ADP" or w.lemma in ("of", "for", "with", "at", "in", "from"):
            rest = words[k + 1:]
            org, _ = _org_name(idx, rest[0], rest[-1]) if rest else (None, set())
            if org:
                affiliation = affiliation or org
                break
            if w.lemma != "of":
                break
        elif w.upos == "PART" and w.text in ("’s", "'s") and title_words:
            org, _ = _org_name(idx, title_words[0], title_words[-1])
            affiliation = affiliation or org
            title_words = []
            k += 1
            continue
        title_words.append(words[k])
        k += 1
    org_in_title, org_words = _org_name(idx, title_words[0], title_words[-1]) if title_words else (None, set())
    if org_in_title and org_words and max(org_words) < title_words[-1]:
        affiliation = affiliation or org_in_title
        title_words = [i for i in title_words if i > max(org_words)]
    if any(doc.words[i].lemma in RELATION_NOUNS for i in title_words):
        return None  # "the son of X" is a relation, not a role
    title = _title_text(doc, title_words)
    if title is None:
        return None
    if doc.words[title_words[-1]].lemma in _ADVERSARIAL:
        affiliation = None
    return RoleFact(title, affiliation, start, end, rule)


def _apposition(doc: Doc, idx: EntityIndex, m: Mention) -> RoleFact | None:
    j = m.last + 1
    if j >= len(doc.words) or doc.words[j].text not in (",", "–", "—", "-", "(", "―"):
        return None
    if j + 1 >= len(doc.words) or doc.words[j].sent != doc.words[m.last].sent:
        return None
    words = _np_after(doc, j + 1)
    if len(words) > 14:
        return None
    nouns = [i for i in words if doc.words[i].upos == "NOUN"]
    if not nouns:
        return None
    end = doc.words[words[-1]].end if words else doc.words[m.last].end
    return _from_np(doc, idx, words, doc.words[m.first].start, end, "apposition")


def _apposition_before(doc: Doc, idx: EntityIndex, m: Mention) -> RoleFact | None:
    j = m.first - 1
    while j >= 0 and doc.words[j].upos == "PROPN" and idx.mention_covering(j, j) is None:
        j -= 1  # a title written as a name part: "General"
    if j < 1 or doc.words[j].text != ",":
        return None
    k = j - 1
    words: list[int] = []
    sent_first = doc.sents[doc.words[m.first].sent][0]
    # Only a plain noun phrase ("a top commander") stands in apposition before a name; a phrase with
    # prepositions or numbers ("the orchard for 40 years with his son") is something else.
    while k >= sent_first and doc.words[k].upos in ("DET", "ADJ", "NOUN", "PROPN"):
        words.insert(0, k)
        if doc.words[k].upos == "DET":
            break
        k -= 1
    if not words or doc.words[words[0]].upos != "DET" or doc.words[words[-1]].upos != "NOUN" or \
            doc.words[words[-1]].lemma in RELATION_NOUNS:
        return None
    return _from_np(doc, idx, words, doc.words[words[0]].start, doc.words[m.last].end, "apposition-before")


def _led_by(doc: Doc, idx: EntityIndex, m: Mention) -> RoleFact | None:
    # "X is led by NAME": NAME is the agent of a passive "lead" whose subject is an organisation.
    j = m.first - 1
    if j >= 1 and doc.words[j].lemma == "by" and doc.words[j - 1].lemma in _LEAD_VERBS:
        verb = j - 1
        title = _LEAD_VERBS[doc.words[verb].lemma]
        for s in doc.kids(verb, "nsubj"):
            subject = idx.mention_covering(s, s)
            if subject is not None and subject.type == "ORG":
                return RoleFact(title, idx.cluster(subject).bare_name, subject.start, m.end, "led-by")
        # parse without the subject attached: the organisation just before "is led by"
        org, _ = _org_name(idx, max(0, verb - 6), verb - 1)
        if org:
            return RoleFact(title, org, doc.words[max(0, verb - 6)].start, m.end, "led-by")
    # "NAME, who leads X" / "NAME leads X"
    k = m.last + 1
    while k < len(doc.words) and k <= m.last + 3 and doc.words[k].lemma in (",", "who", "also", "now"):
        k += 1
    if k < len(doc.words) and doc.words[k].lemma in _LEAD_VERBS and doc.words[k].upos == "VERB":
        org, _ = _org_name(idx, k + 1, min(len(doc.words) - 1, k + 6))
        if org:
            return RoleFact(_LEAD_VERBS[doc.words[k].lemma], org, m.start, doc.words[k].end, "led-by")
    return None


def _title_in_name(doc: Doc, idx: EntityIndex, m: Mention) -> RoleFact | None:
    """"Mayor Doug McCallum" tagged as one name: the title words are the role."""
    if m.title is None:
        return None
    a, b = m.title
    return RoleFact(doc.span_text(a, b), None, m.start, m.end, "title-in-name")


def stated_roles(doc: Doc, idx: EntityIndex) -> dict[int, list[RoleFact]]:
    """Every role the article states, by entity: the roles at each person mention the NER layer found."""
    out: dict[int, list[RoleFact]] = {}
    for m in list(idx.mentions):
        if m.type == "PERSON" and m.entity is not None:
            for fact in roles_for(doc, idx, m):
                out.setdefault(m.entity, []).append(fact)
    return out


def roles_for(doc: Doc, idx: EntityIndex, m: Mention) -> list[RoleFact]:
    """Every role stated at one person mention."""
    out = []
    fact = _title_in_name(doc, idx, m)
    if fact is not None:
        out.append(fact)
    for rule in (_title_before, _apposition, _apposition_before, _led_by):
        fact = rule(doc, idx, m)
        if fact is not None:
            out.append(fact)
    return out
