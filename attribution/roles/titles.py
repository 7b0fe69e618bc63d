"""Reading a title phrase into a role and an affiliation.

A title phrase is the words an article uses for someone's position: "the Taliban's chief spokesman",
"Ethiopian government spokesman", "head of the ELN's negotiating team", "US Secretary of Defence", "one of
the remaining surgeons at Nasser Hospital". One reading serves every construction that states a title
(:mod:`attribution.roles.stated` finds the phrases):

* the *head* is the title noun: the last noun before a prepositional tail that is not a body;
* the *role* is the head with the words that belong to it: rank words ("chief", "deputy", "acting"),
  title words and other modifiers ("aid official", "high peace commissioner", "public information
  officer"), and a bare "of" tail ("chief of staff", "Secretary of State"); plural heads are read
  singular ("one of the surgeons" -> "surgeon");
* the *affiliation* is the body the title is held in: possessors ("Gaza's Health Ministry" -> "Gaza
  Health Ministry"), names, demonyms ("Haitian"), body nouns with their modifiers ("Ethiopian
  government", "chief military spokesperson" -> "military"), a title the head serves ("the prime
  minister's spokeswoman", "provincial governor spokesman"), else the body after "of", "for", "at" or
  "with" ("spokesman for the Tigray People's Liberation Front");
* descriptive words ("top", "well-known", "remaining"), determiners, bracketed acronyms and a military
  rank right before the name ("Colonel Getnet Adane") are in neither, unless the rank is all there is.

The convention is that of ``../shared/gold/FORMAT.md`` ("Roles and affiliations"); the method is a
small hand-written grammar over parts of speech and the word lists in ``data/words``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..parsing.document import PERSON_TYPES, Doc, EntitySpan
from ..speakers.entities import HONORIFICS, EntityIndex, normalise
from ..text.predicates import is_common_person_noun, is_possessive_mark, is_title_word, title_words
from ..wordlists import mapping as words_map
from ..wordlists import words

#: Prepositions whose object names the body a title is held in.
_BODY_PREPOSITIONS = ("of", "for", "at", "with")
#: An age before a title ("a 35-year-old benefits manager") describes the person, not the post.
_AGE = re.compile(r"^(?:\d+|[a-z]+)?-?year-old$")


class _Named(Doc):
    """The document seen without the entity spans that are titles: the person's own name span, into
    which the NER layer may have run the title ("Police Chief Barry Weber"), a span typed a person that
    holds a title word, and a span that ends in a title ("Houthi Chief Negotiator" tagged an
    organisation)."""

    def __init__(self, doc: Doc, own: tuple[int, int] | None):
        self.__dict__.update(doc.__dict__)
        self.ents = [e for e in doc.ents if (own is None or e.last < own[0] or e.first > own[1])
                     and not _title_span(doc, e)]


def _title_span(doc: Doc, e: EntitySpan) -> bool:
    last = doc.words[e.last]
    if is_title_word(last) or is_common_person_noun(last):
        return True
    return e.type in PERSON_TYPES and any(is_title_word(doc.words[k]) for k in range(e.first, e.last + 1))


@dataclass(frozen=True)
class Title:
    """A role and the body it is held in, as the article words them (either may be ``None``)."""

    role: str | None
    affiliation: str | None


def read_title(doc: Doc, idx: EntityIndex, phrase: list[int], *, before_name: bool = False,
               own: tuple[int, int] | None = None) -> Title | None:
    """The role and affiliation in a title phrase (word indices in text order, without the name).

    ``before_name``: the phrase ends right before the name, where a military rank is not the role.
    ``own``: the words of the person's own name, which the NER layer may have run over the title.
    """
    doc = _Named(doc, own)
    phrase = _content_words(doc, phrase)
    phrase = _after_one_of(doc, phrase)
    if before_name:
        phrase = _without_trailing_rank(doc, phrase)
    head_part, tail = _split_tail(doc, phrase)
    head = _head(doc, head_part)
    if head is None:
        return None
    role_words, aff_words = _classify(doc, head_part, head)
    tail_role, tail_aff = _read_tail(doc, tail)
    role = _spelled_out(_join(doc, role_words, singular=head)) + (" " + tail_role if tail_role else "")
    affiliation = _join(doc, aff_words) or tail_aff
    if doc.words[head].lemma in words("adversarial_nouns"):
        affiliation = None  # "a critic of the party" is not in it
    if affiliation:
        affiliation = _expand(idx, affiliation)
    if affiliation and affiliation == tail_aff and affiliation.lower() in words("body_nouns") and phrase:
        # "a spokesperson for the militia": the militia the article named ("the Houthi militia")
        affiliation = _named_before(doc, affiliation, phrase[0]) or affiliation
    if affiliation and affiliation.lower() in words("anaphoric_org_nouns") and phrase:
        # "the watchdog's executive director": the organisation named last before it
        affiliation = _organisation_before(doc, idx, phrase[0]) or affiliation
    return Title(role or None, affiliation or None)


def _organisation_before(doc: Doc, idx: EntityIndex, before: int) -> str | None:
    """The organisation named last before word ``before``, in the three paragraphs up to it."""
    para = doc.words[before].para
    orgs = [x for x in idx.mentions if x.type == "ORG" and x.named and x.last < before and x.entity is not None
            and x.name_words and x.name_words[-1][:1].isupper() and doc.words[x.first].para >= para - 3]
    return idx.cluster(orgs[-1]).bare_name if orgs else None


def _spelled_out(role: str) -> str:
    """The role with its abbreviated titles written out ("Sen." -> "senator", "Lt. Gov." -> "lieutenant
    governor"), as the gold convention writes roles; other words as the article wrote them."""
    spelled = words_map("title_abbreviations")
    parts = role.split()
    out = [spelled.get(w.lower(), w) for w in parts]
    # a rank's abbreviation is spelled out only before a civil title spelled out ("Lt. Gov."): a rank
    # alone is never a role
    out = [("lieutenant" if w.lower() in ("lt.", "lt") and n + 1 < len(out) and out[n + 1] != parts[n + 1] else w)
           for n, w in enumerate(out)]
    return " ".join(out)


def _content_words(doc: Doc, phrase: list[int]) -> list[int]:
    """The phrase without punctuation at its edges, honorifics and bracketed acronyms ("(NUG)")."""
    out = []
    for k in phrase:
        w = doc.words[k]
        if w.text.lower() in HONORIFICS:
            continue
        if w.text.isupper() and w.text.isalpha() and 0 < k < len(doc.words) - 1 and \
                doc.words[k - 1].text == "(" and doc.words[k + 1].text == ")":
            continue  # an acronym in brackets is another name for what precedes it
        out.append(k)
    while out and doc.words[out[0]].upos == "PUNCT":
        out.pop(0)
    while out and doc.words[out[-1]].upos == "PUNCT" and doc.words[out[-1]].text != ")":
        out.pop()
    return [k for k in out if not (doc.words[k].text in "()" and _bracketed_acronym_edge(doc, k))]


def _bracketed_acronym_edge(doc: Doc, k: int) -> bool:
    """Whether bracket ``k`` encloses a bare acronym ("(NUG)"), which is dropped with it."""
    if doc.words[k].text == "(":
        return k + 2 < len(doc.words) and doc.words[k + 1].text.isupper() and doc.words[k + 2].text == ")"
    return k >= 2 and doc.words[k - 1].text.isupper() and doc.words[k - 2].text == "("


def _after_one_of(doc: Doc, phrase: list[int]) -> list[int]:
    """"one of the remaining surgeons at …": the phrase after "one of"."""
    for n in range(len(phrase) - 1):
        if doc.words[phrase[n]].text.lower() == "one" and doc.words[phrase[n + 1]].lemma == "of":
            return phrase[n + 2:]
    return phrase


def _split_tail(doc: Doc, phrase: list[int]) -> tuple[list[int], list[int]]:
    """The phrase up to its first preposition after a noun, and the tail from it when that preposition
    can name a body ("of", "for", "at", "with"); another preposition ends the phrase ("the top UN aid
    official in the country")."""
    for n, k in enumerate(phrase):
        w = doc.words[k]
        before = doc.words[phrase[n - 1]] if n > 0 else None
        if before is not None and w.upos == "ADP" and doc.entity_at(k) is None and \
                (before.upos in ("NOUN", "PROPN") or before.text.lower() in title_words()):
            return phrase[:n], phrase[n:] if w.lemma in _BODY_PREPOSITIONS else []
    return phrase, []


def _is_rank(doc: Doc, k: int) -> bool:
    return doc.words[k].text.lower() in words("military_ranks")


def _without_trailing_rank(doc: Doc, part: list[int]) -> list[int]:
    """Drop the military rank right before a name ("chief of staff General X", "military spokesman
    Colonel X"), unless the rank is all there is or "General" completes a title ("Secretary General")."""
    n = len(part)
    while n > 0 and _is_rank(doc, part[n - 1]):
        if doc.words[part[n - 1]].lemma == "general" and n > 1 and _is_title_noun(doc, part[n - 2]):
            break
        n -= 1
    return part[:n] if n > 0 else part


def _is_title_noun(doc: Doc, k: int) -> bool:
    w = doc.words[k]
    low = w.text.lower()
    return w.upos in ("NOUN", "PROPN") and low in title_words() and not _is_rank(doc, k) and \
        low not in words("rank_words")


def _is_body(doc: Doc, k: int) -> bool:
    return doc.words[k].lemma in words("body_nouns") or doc.words[k].text.lower() in words("body_nouns")


def _head(doc: Doc, part: list[int]) -> int | None:
    """The title noun: the last noun of the part that is neither a body nor inside a name."""
    for k in reversed(part):
        w = doc.words[k]
        if _AGE.match(_glued_word(doc, k).lower()):
            continue  # "an 81-year-old retiree": the age is no title
        if w.upos in ("NOUN", "PROPN") and not _is_body(doc, k) and doc.entity_at(k) is None:
            return k
        if w.text.lower() in title_words() and w.upos in ("ADJ", "VERB"):
            return k  # "official" or "chief" tagged as an adjective
    return None


def _is_acronym(text: str) -> bool:
    return len(text) >= 2 and text.isalpha() and text.isupper()


def _is_demonym(text: str) -> bool:
    return text[:1].isupper() and text.isalpha() and text.lower().endswith(tuple(words("demonym_endings")))


def _is_party(text: str) -> bool:
    return text[:1].isupper() and text.lower() in words("party_words")


def _classify(doc: Doc, part: list[int], head: int) -> tuple[list[int], list[int]]:
    """The role's words (ending with the head) and the affiliation's words of the part up to the head."""
    mods = [k for k in part if k < head]
    aff: set[int] = set()
    poss = [n for n, k in enumerate(mods)
            if is_possessive_mark(doc.words[k]) or doc.words[k].text.endswith(("'s", "’s"))]
    if poss:  # "Gaza's Health Ministry spokesperson": everything up to the possessive is the body
        aff.update(mods[:poss[-1] + 1])
    for n, k in enumerate(mods):
        w = doc.words[k]
        if doc.entity_at(k) is not None or _is_demonym(w.text) and w.upos in ("ADJ", "PROPN") or \
                _is_acronym(w.text) or _is_party(w.text):
            # a name, a demonym ("Haitian"), an acronym ("WHO", whatever the tagger made of it), a party
            # ("Democratic presidential candidate")
            aff.add(k)
        elif _is_body(doc, k) or (_is_title_noun(doc, k) and doc.words[head].lemma != "general"):
            aff.add(k)  # a body, or the title the head serves ("provincial governor spokesman")
            aff.update(_modifiers_before(doc, mods, n))
    # the parts of the head's own written word stay with it ("front-runner", however it was tagged)
    aff -= {k for k in mods if _same_word(doc, k, head)}
    # "Trump campaign manager": "campaign" is in the title and in the body
    both = {head - 1} if head - 1 in mods and \
        f"{doc.words[head - 1].lemma} {doc.words[head].lemma}".lower() in words("compound_titles") else set()
    role = [k for k in mods if (k not in aff or k in both) and (_in_role(doc, k) or _same_word(doc, k, head))]
    role.append(head)
    affiliation = [k for k in sorted(aff) if doc.words[k].upos != "DET" and not is_possessive_mark(doc.words[k])]
    return role, affiliation


def _modifiers_before(doc: Doc, mods: list[int], n: int) -> list[int]:
    """The words right before a body noun that name it with it ("Health" of "Health Ministry",
    "Ethiopian" of "Ethiopian government"), back to a rank word, a descriptive word or a determiner."""
    out = []
    for k in reversed(mods[:n]):
        w = doc.words[k]
        low = w.text.lower()
        if w.upos == "DET" or low in words("rank_words") or low in words("descriptive_words") or _is_rank(doc, k):
            break
        out.append(k)
    return out


def _in_role(doc: Doc, k: int) -> bool:
    """Whether a modifier before the head belongs to the role: not a determiner, a descriptive word
    ("well-known", however the tokenizer split it), punctuation or a possessive; a hyphen inside a word
    ("vice-president") stays."""
    w = doc.words[k]
    glued = _glued_word(doc, k).lower()
    if glued in words("descriptive_words") or _AGE.match(glued):
        return False
    if w.text == "-":
        return 0 < k < len(doc.words) - 1 and doc.words[k - 1].end == w.start and doc.words[k + 1].start == w.end
    return w.upos not in ("DET", "PUNCT", "PART", "PRON", "NUM", "CCONJ", "SCONJ", "ADV", "ADP", "INTJ")


def _same_word(doc: Doc, k: int, head: int) -> bool:
    """Whether tokens ``k`` and ``head`` are written as one word, with no space between them."""
    return k < head and all(doc.words[j].end == doc.words[j + 1].start for j in range(k, head))


def _glued_word(doc: Doc, k: int) -> str:
    """The whole written word that token ``k`` is part of ("well-known" of "well" "-" "known")."""
    a = b = k
    while a > 0 and doc.words[a - 1].end == doc.words[a].start:
        a -= 1
    while b + 1 < len(doc.words) and doc.words[b].end == doc.words[b + 1].start:
        b += 1
    return doc.text[doc.words[a].start:doc.words[b].end]


def _read_tail(doc: Doc, tail: list[int]) -> tuple[str | None, str | None]:
    """A bare "of" tail belongs to the role ("chief of staff", "Secretary of Defence"); otherwise the
    tail names the body ("of the Communist Party of India (Marxist)", "for the militia")."""
    if not tail:
        return None, None
    body = _tail_body(doc, tail[1:])
    if not body:
        return None, None
    bare = all(doc.words[k].upos in ("NOUN", "PROPN", "ADJ") and doc.entity_at(k) is None for k in body)
    if doc.words[tail[0]].lemma == "of" and bare and len(body) <= 3:
        return doc.words[tail[0]].text + " " + _join(doc, body), None
    return None, _join(doc, [k for k in body if doc.words[k].upos != "DET" and not is_possessive_mark(doc.words[k])])


def _tail_body(doc: Doc, rest: list[int]) -> list[int]:
    """The noun phrase after the preposition, up to a verb, a clause, another preposition outside a
    name, or a bracket that is not part of the name."""
    out: list[int] = []
    for k in rest:
        w = doc.words[k]
        inside = doc.entity_at(k) is not None or _is_acronym(w.text)
        modifier = w.upos == "VERB" and (w.deprel in ("amod", "compound") or w.feat("VerbForm") == "Part") and \
            k + 1 < len(doc.words) and doc.words[k + 1].upos == "NOUN"  # "negotiating team"
        if w.upos in ("VERB", "AUX", "CCONJ", "SCONJ", "PRON") and not (inside or modifier) or \
                w.text in (",", ";", ":", "—", "–"):
            break
        if w.upos == "ADP" and not inside and not (w.lemma == "of" and out and _next_is_name(doc, k)):
            break
        out.append(k)
    return out


def _next_is_name(doc: Doc, k: int) -> bool:
    """"the Communist Party of India": an "of" between capitalised words continues a name."""
    return k + 1 < len(doc.words) and doc.words[k + 1].text[:1].isupper() and doc.words[k - 1].text[:1].isupper()


def _join(doc: Doc, idx: list[int], singular: int | None = None) -> str:
    """The words as written, with the spacing of the text between neighbours; the word ``singular`` in
    its lemma's number when plural ("surgeons" -> "surgeon")."""
    out = ""
    for n, k in enumerate(idx):
        w = doc.words[k]
        text = w.text
        if k == singular and w.feat("Number") == "Plur" and w.lemma and w.text.lower() != w.lemma:
            text = w.lemma
        glued = n > 0 and idx[n - 1] == k - 1 and doc.words[k - 1].end == w.start
        out += text if n == 0 or glued else " " + text
    return out


def _named_before(doc: Doc, noun: str, before: int) -> str | None:
    """"The Houthi militia fired … A spokesperson for the militia, …": a body noun alone is the body the
    article last named with that noun and a name before it ("Houthi militia")."""
    low = noun.lower()
    for k in range(before - 1, 0, -1):
        w = doc.words[k]
        if w.lemma != low and w.text.lower() != low:
            continue
        j = k
        while j - 1 >= 0 and doc.words[j - 1].sent == w.sent and doc.words[j - 1].text[:1].isupper() and \
                doc.words[j - 1].upos in ("PROPN", "ADJ", "NOUN") and j - 1 != doc.sents[w.sent][0]:
            j -= 1
        if j < k:
            return _join(doc, list(range(j, k + 1)))
    return None


def _expand(idx: EntityIndex, affiliation: str) -> str:
    """The affiliation in the article's fullest words: an acronym the article spells out is written out
    ("WHO" -> "World Health Organization", "ELN's negotiating team" -> "National Liberation Army
    negotiating team"), and a body noun alone is the one organisation the article names with it
    ("Police Chief" -> "Wauwatosa police")."""
    long_forms = {c.acronym: c.bare_name for c in idx.clusters if c.type == "ORG" and c.acronym
                  and normalise(c.bare_name) != normalise(c.acronym)}
    expanded = " ".join(long_forms.get(word, word) for word in affiliation.split())
    if expanded.lower() in words("body_nouns"):
        named = {normalise(m.text): " ".join(m.name_words) for m in idx.mentions if m.type == "ORG" and m.named
                 and len(m.name_words) > 1 and m.name_words[-1].lower() == expanded.lower()}
        if len(named) == 1:
            return next(iter(named.values()))
    return expanded
