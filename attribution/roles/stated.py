"""Roles and affiliations the article states for a person: where a title phrase stands next to a name.

Each construction finds a title phrase and :func:`attribution.roles.titles.read_title` reads it into a role
and an affiliation. The constructions, each named in ``RoleFact.rule``:

* ``title-before``: "the Taliban's chief spokesman Zabihullah Mujahid", "US Secretary of Defence Lloyd
  Austin", "chief of staff General Pingrenoma Zagre" -- the words before a name back to a clause
  boundary (and ``title-in-name`` where the NER layer ran the title into the name: "Mayor Doug McCallum");
* ``apposition``: "Jane Roe, a senior analyst with the Treasury,", "Fahim Dashty – a well-known Afghan
  journalist –", "X, head of the group's political office" -- a noun phrase set off after the name;
* ``apposition-before``: "the head of the Kyiv Regional Military Administration, Mykola Kalashnyk,";
  "Houthi Chief Negotiator, Mohammed Abdul Salam," -- one set off before it;
* ``copular``: "X is a member of the council", "X, who is the party's deputy leader";
* ``led-by``: "The NRF is led by Ahmad Massoud", "X, who leads the NRF", "X heads the council".
"""

from __future__ import annotations

from .. import wordlists
from ..parsing.document import Doc
from ..speakers.entities import HONORIFICS, RELATION_NOUNS, EntityIndex, Mention
from ..text.predicates import is_relative_pronoun, title_words
from ..types import RoleFact
from .titles import Title, read_title

_SEPARATORS = {",", "–", "—", "-", "(", ")", ";", ":", ".", "―"}
#: Prepositions that continue a title phrase ("head of the …", "spokesperson for the …"); another one
#: ends it, read leftwards from a name.
_TITLE_TAIL_PREPOSITIONS = frozenset({"of", "for", "at", "with"})
_LEAD_VERBS = wordlists.mapping("lead_verbs")
#: Parts of speech that end a title phrase read leftwards from a name.
_STOP_UPOS = {"VERB", "AUX", "PRON", "SCONJ", "CCONJ", "ADV", "NUM", "SYM", "INTJ"}


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
    for rule, find in (("title-in-name", _title_in_name), ("title-before", _title_before),
                       ("apposition", _apposition), ("apposition-before", _apposition_before),
                       ("copular", _copular), ("led-by", _led_by)):
        found = find(doc, idx, m)
        if found is not None:
            title, start, end = found
            if title.role is not None and not _relation(title.role):
                out.append(RoleFact(title.role, title.affiliation, start, end, rule))
    return out


def sentence_organisation(doc: Doc, idx: EntityIndex, char: int) -> str | None:
    """"The World Food Programme will resume its work, Executive Director Cindy McCain said": the one
    organisation named in the sentence at character ``char``, where a title stated without its body holds."""
    first = doc.word_at(char)
    if first is None:
        return None
    sent = doc.words[first].sent
    orgs = {x.entity for x in idx.mentions if x.type == "ORG" and x.named and x.entity is not None
            and doc.words[x.first].sent == sent}
    return idx.clusters[orgs.pop()].bare_name if len(orgs) == 1 else None


def _relation(role: str) -> bool:
    """"the son of X", "his wife": a relation, not a role."""
    return role.split()[-1].lower() in RELATION_NOUNS


Found = tuple[Title, int, int] | None


def _is_separator(doc: Doc, i: int) -> bool:
    """Punctuation that ends a noun phrase; a hyphen inside a word ("vice-president") does not."""
    w = doc.words[i]
    if w.text not in _SEPARATORS:
        return False
    if w.text == "-" and 0 < i < len(doc.words) - 1:
        return doc.words[i - 1].end != w.start or doc.words[i + 1].start != w.end
    return True


def _acronym_in_brackets(doc: Doc, i: int) -> bool:
    """Whether word ``i`` is part of a bracketed acronym ("(NUG)") inside a title phrase."""
    for k in (i - 1, i, i + 1):
        if 0 < k < len(doc.words) - 1 and doc.words[k - 1].text == "(" and doc.words[k + 1].text == ")" and \
                doc.words[k].text.isupper() and doc.words[k].text.isalpha():
            return True
    return False


def _title_in_name(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """"Mayor Doug McCallum" tagged as one name: the title words are the role."""
    if m.title is None:
        return None
    a, b = m.title
    title = read_title(doc, idx, list(range(a, b + 1)), before_name=True, own=(m.first, m.last))
    return (title, m.start, m.end) if title else None


def _title_before(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """The words before the name back to a clause boundary: "Ethiopian government spokesman X",
    "Gaza's Health Ministry spokesperson X", "chief of staff General X"."""
    j = m.first - 1
    sent_first = doc.sents[doc.words[m.first].sent][0]
    prefix: list[int] = []
    while j >= sent_first:
        w = doc.words[j]
        if _acronym_in_brackets(doc, j):
            prefix.insert(0, j)
            j -= 1
            continue
        acronym = w.text.isupper() and w.text.isalpha() and len(w.text) >= 2  # "WHO", whatever its tag
        if _is_separator(doc, j) or w.upos in _STOP_UPOS and not acronym or w.text.lower() in HONORIFICS or (
                w.upos == "ADP" and w.lemma != "of"):
            break
        other = idx.mention_covering(j, j)
        if other is not None and other.type == "PERSON" and other.entity != m.entity:
            break
        prefix.insert(0, j)
        if w.upos == "DET" and not (j > sent_first and doc.words[j - 1].lemma == "of"):
            break  # but "the secretary of the … Ministry of Defence X" goes on past "of the"
        j -= 1
    while prefix and doc.words[prefix[0]].lemma == "of":
        prefix.pop(0)  # "… a statement by the head of" never starts a title
    if not prefix or not _ends_in_title(doc, prefix) or doc.words[prefix[-1]].lemma == "of":
        return None  # "part of Santos' efforts": the name is the object of "of", not titled
    title = read_title(doc, idx, prefix, before_name=True, own=(m.first, m.last))
    return (title, doc.words[prefix[0]].start, m.end) if title else None


def _ends_in_title(doc: Doc, prefix: list[int]) -> bool:
    """Whether a phrase before a name holds a title: a noun, or a title word the tagger called an adjective
    ("official")."""
    return any(doc.words[k].upos in ("NOUN", "PROPN") or doc.words[k].text.lower() in title_words()
               for k in prefix)


def _np_after(doc: Doc, first: int) -> list[int]:
    """Words of a noun phrase set off by a separator, from ``first`` to the next separator, verb or
    relative clause (a bracketed acronym is part of it)."""
    out = []
    sent_last = doc.sents[doc.words[first].sent][1]
    j = first
    while j <= sent_last:
        w = doc.words[j]
        participle = w.upos == "VERB" and w.deprel in ("amod", "compound")  # "well-known", "elected"
        # a noun the tagger read as a verb before a title word: "the top UN aid official"
        participle = participle or w.upos == "VERB" and j < sent_last and doc.words[j + 1].text.lower() in title_words()
        if _acronym_in_brackets(doc, j) or w.text in "()" and _bracketed_name_part(doc, j):
            out.append(j)
            j += 1
            continue
        if _is_separator(doc, j) or (w.upos in ("VERB", "AUX") and not participle) or \
                is_relative_pronoun(w) or w.lemma == "that":
            break
        out.append(j)
        j += 1
    # An apposition is set off on both sides; a noun phrase running into a finite verb is a clause's
    # subject ("Under Mr X, the fighters earned ..."), unlike one running into a participle ("head of
    # the team and better known as …")
    if j <= sent_last and doc.words[j].upos in ("VERB", "AUX") and doc.words[j].feat("VerbForm") != "Part":
        return []
    return out


def _bracketed_name_part(doc: Doc, j: int) -> bool:
    """A bracketed capitalised word that is part of an organisation's name ("… of India (Marxist)")."""
    if doc.words[j].text == "(":
        return j + 2 < len(doc.words) and doc.words[j + 1].text[:1].isupper() and doc.words[j + 2].text == ")"
    return j >= 2 and doc.words[j - 1].text[:1].isupper() and doc.words[j - 2].text == "("


def _apposition(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """"X, spokesperson for the World Health Organization, said", "X – a well-known Afghan journalist –"."""
    j = m.last + 1
    if j + 1 >= len(doc.words) or doc.words[j].text not in (",", "–", "—", "-", "(", "―") or \
            doc.words[j].sent != doc.words[m.last].sent:
        return None
    np = _np_after(doc, j + 1)
    if not np or len(np) > 16 or not any(doc.words[i].upos == "NOUN" or doc.words[i].text.lower() in title_words()
                                         for i in np):
        return None
    if doc.words[np[0]].upos not in ("DET", "ADJ", "NOUN", "PROPN", "NUM") or _opens_with_person(idx, m, np[0]):
        return None
    title = read_title(doc, idx, _last_conjunct(doc, np))
    return (title, m.start, doc.words[np[-1]].end) if title else None


def _opens_with_person(idx: EntityIndex, m: Mention, k: int) -> bool:
    """Whether another person's name opens the phrase ("X, Y Z, said"), not a possessor ("X, Russia's
    ambassador", whatever the NER layer made of "Russia's")."""
    other = idx.mention_covering(k, k)
    if other is None or other.type != "PERSON" or other.entity == m.entity:
        return False
    doc = idx.doc
    nxt = doc.words[other.last + 1] if other.last + 1 < len(doc.words) else None
    return not (doc.words[other.last].text.endswith(("'s", "’s")) or nxt is not None and nxt.text in ("'s", "’s"))


def _last_conjunct(doc: Doc, np: list[int]) -> list[int]:
    """"a leader of the group and a member of its council": the title nearest the name is the last one."""
    cuts = [n for n, k in enumerate(np) if doc.words[k].lemma == "and" and n + 1 < len(np)
            and doc.words[np[n + 1]].upos == "DET"]
    return np[cuts[-1] + 1:] if cuts else np


def _apposition_before(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """"the head of the Kyiv Regional Military Administration, Mykola Kalashnyk,": a title phrase set
    off by a comma right before the name, back to the start of the clause."""
    j = m.first - 1
    while j >= 0 and doc.words[j].upos == "PROPN" and idx.mention_covering(j, j) is None:
        j -= 1  # a title written as a name part: "General"
    if j < 1 or doc.words[j].text != ",":
        return None
    sent_first = doc.sents[doc.words[m.first].sent][0]
    k = j - 1
    phrase: list[int] = []
    while k >= sent_first and not (_is_separator(doc, k) or doc.words[k].upos in ("VERB", "AUX", "SCONJ")):
        if doc.words[k].lemma == "and" and phrase and doc.words[phrase[0]].upos == "DET":
            break  # "… – and a top commander, General X": the conjunct that names X
        if doc.words[k].upos == "ADP" and doc.words[k].lemma not in _TITLE_TAIL_PREPOSITIONS and \
                idx.mention_covering(k, k) is None:
            break  # "talks between the watchdog's executive director, X": the phrase after the preposition
        phrase.insert(0, k)
        k -= 1
    if not phrase or any(doc.words[i].upos in ("NUM", "PRON") for i in phrase) or \
            doc.words[phrase[0]].upos in ("ADP", "ADV"):
        return None  # "By the end of the day, X", "In virtually every policy realm, X": an adverbial
    if k >= sent_first and doc.words[k].upos in ("VERB", "ADP") and not _appositive(doc, phrase, j + 1, m.last):
        # "Emphasizing the urgency of the matter, X", "By the end of the day, X": a verb's or a
        # preposition's object is X's title only where the parse sets X in apposition to it ("quoted
        # the military spokesperson, Colonel X", "talks between the group's director, X")
        return None
    # a plain noun phrase opening its clause: with a determiner ("a top commander", "the head of …"), a
    # possessor ("Hamas's spokesman,") or at the start of the sentence ("Houthi Chief Negotiator,")
    owner = any(doc.words[i].text in ("'s", "’s") or doc.words[i].text.endswith(("'s", "’s")) for i in phrase)
    if doc.words[phrase[0]].upos != "DET" and phrase[0] != sent_first and not owner:
        return None
    if not any(doc.words[i].text.lower() in title_words() or doc.words[i].upos == "NOUN" for i in phrase):
        return None
    phrase = _last_conjunct(doc, phrase)
    if len(phrase) > 16:
        return None
    title = read_title(doc, idx, phrase)
    return (title, doc.words[phrase[0]].start, m.end) if title else None


def _appositive(doc: Doc, phrase: list[int], first: int, last: int) -> bool:
    """Whether the parse sets the name (words ``first`` to ``last``, with a rank written before it) in
    apposition to the phrase ("quoted the military spokesperson, Colonel X") or the phrase to the name."""
    inside = set(phrase)
    name = range(first, last + 1)
    # the parser often reads "between the group's director, X, and …" as a coordination: a name joined so
    # to a phrase that ends in a title is its apposition all the same
    joined = ("appos", "conj") if doc.words[phrase[-1]].text.lower() in title_words() else ("appos",)
    return any(doc.words[i].deprel in joined and doc.words[i].head in inside for i in name) or \
        any(doc.words[i].deprel == "appos" and doc.words[i].head in name for i in phrase)


def _copular(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """"X is a member of the council", "X, who is the party's deputy leader, …", "X serves as …"."""
    k = m.last + 1
    while k < len(doc.words) and k <= m.last + 3 and (doc.words[k].text == "," or is_relative_pronoun(doc.words[k])
                                                      or doc.words[k].upos == "ADV"):
        k += 1
    if k >= len(doc.words) or doc.words[k].sent != doc.words[m.last].sent:
        return None
    if doc.words[k].lemma == "serve" and k + 1 < len(doc.words) and doc.words[k + 1].lemma == "as":
        k += 1
    elif doc.words[k].lemma != "be" or doc.words[k].upos not in ("AUX", "VERB"):
        return None
    np = _np_after(doc, k + 1)
    if not np or doc.words[np[0]].upos != "DET" or not any(doc.words[i].upos == "NOUN" for i in np):
        return None
    title = read_title(doc, idx, np)
    return (title, m.start, doc.words[np[-1]].end) if title else None


def _org_after(doc: Doc, idx: EntityIndex, first: int, last: int) -> str | None:
    """The organisation named within words first..last."""
    for x in idx.mentions:
        if x.type == "ORG" and x.first >= first and x.last <= last:
            return idx.cluster(x).bare_name
    return None


def _led_by(doc: Doc, idx: EntityIndex, m: Mention) -> Found:
    """"X is led by NAME", "NAME, who leads X", "NAME heads X": the leader of an organisation."""
    j = m.first - 1
    if j >= 1 and doc.words[j].lemma == "by" and doc.words[j - 1].lemma in _LEAD_VERBS:
        verb = j - 1
        title = _LEAD_VERBS[doc.words[verb].lemma]
        for s in doc.kids(verb, "nsubj"):
            subject = idx.mention_covering(s, s)
            if subject is not None and subject.type == "ORG":
                return Title(title, idx.cluster(subject).bare_name), subject.start, m.end
        # parse without the subject attached: the organisation just before "is led by"
        org = _org_after(doc, idx, max(0, verb - 6), verb - 1)
        if org:
            return Title(title, org), doc.words[max(0, verb - 6)].start, m.end
    k = m.last + 1
    while k < len(doc.words) and k <= m.last + 3 and doc.words[k].lemma in (",", "who", "also", "now"):
        k += 1
    if k < len(doc.words) and doc.words[k].lemma in _LEAD_VERBS and doc.words[k].upos == "VERB":
        org = _org_after(doc, idx, k + 1, min(len(doc.words) - 1, k + 6))
        if org:
            return Title(_LEAD_VERBS[doc.words[k].lemma], org), m.start, doc.words[k].end
    return None
