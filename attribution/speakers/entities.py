"""Who is who in one article: mentions of people and organisations, clustered into entities.

Method (rule-based, in the spirit of Stanford's deterministic sieve coreference):

* named mentions come from the NER layer; honorifics (Mr, Ms, Dr...) and a leading "the" are stripped;
* a full name (two words or more) starts or joins the entity of the same normalised name;
* a bare surname (or "Mr Surname") joins the *most recent preceding* full name that ends with it,
  skipping full names that the article only gives inside another's description ("the son of X");
  with no such name before it, it joins a later full name only when exactly one full name in the
  article ends with it — two people who share a surname are never merged by guesswork;
* an acronym joins the organisation whose initials it spells, or that introduced it in brackets.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from ..parsing.document import ORG_TYPES, PERSON_TYPES, Doc, EntitySpan
from ..text.predicates import is_common_person_noun, is_title_word, title_words
from ..wordlists import words

HONORIFICS = words("honorifics")
NAME_PARTICLES = words("name_particles")
FEMALE_HONORIFICS = words("female_honorifics")
MALE_HONORIFICS = words("male_honorifics")
_CALENDAR = words("calendar_words")
#: Nouns of kinship and relation: a name inside "the son of X" describes someone else.
RELATION_NOUNS = words("relation_nouns")
#: "Jr.", "III": the end of a full name, not the family name a later mention uses alone.
NAME_SUFFIXES = words("name_suffixes")


def normalise(name: str) -> str:
    """Casefolded, accent-free, punctuation-free form of a name, for comparing."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = s.replace("’", "'").replace("‘", "'").casefold()
    s = re.sub(r"'s\b", "", s)
    s = re.sub(r"[^\w\s-]", " ", s)
    return " ".join(s.split())


def family_words(name_words: list[str]) -> list[str]:
    """A person's name without the generational suffix after it, normalised: "Walter P. Hensley Jr." ->
    ``["walter", "p", "hensley"]``, so that a later "Hensley" finds it."""
    names = [normalise(w) for w in name_words]
    while len(names) > 1 and names[-1].rstrip(".") in NAME_SUFFIXES:
        names.pop()
    return names


def _initials_apart(names: list[str]) -> tuple[list[str], list[str]]:
    """A normalised full name's words without its middle initials, and those initials ("nora b castell"
    -> ``["nora", "castell"]``, ``["b"]``)."""
    inner = names[1:-1]
    return [names[0], *[w for w in inner if len(w) > 1], names[-1]], [w for w in inner if len(w) == 1]


@dataclass
class Mention:
    """One mention of an entity: its words and characters, and what kind of mention it is."""

    first: int
    last: int
    start: int
    end: int
    text: str
    type: str  # PERSON / ORG / GROUP
    name_words: list[str] = field(default_factory=list)  # without honorifics and "the"
    gender: str | None = None
    relational: bool = False  # inside "the son of ...": describes someone else
    kin: bool = False  # introduced as someone's relative: "her husband, Tom Pell"
    entity: int | None = None
    title: tuple[int, int] | None = None  # title words the NER put inside the name ("Mayor")
    determiner: bool = False  # written with "the" ("the Taliban")
    named: bool = False  # found by the NER layer (a name), not a description added by the rules


@dataclass
class Cluster:
    """An entity being built: its mentions and best name."""

    id: int
    type: str
    mentions: list[Mention] = field(default_factory=list)
    gender: str | None = None
    acronym: str | None = None

    @property
    def name(self) -> str:
        """The fullest name: the longest mention name, the first of those given, as written.

        Organisations keep the article's "the" ("the Taliban"), which is how news text names them.
        """
        best = max(self.mentions, key=lambda m: (len(m.name_words), -m.start))
        if not best.name_words:
            return best.text
        name = " ".join(best.name_words) or best.text
        if self.type == "ORG" and any(m.determiner for m in self.mentions):
            name = "the " + name
        return name

    @property
    def bare_name(self) -> str:
        """The fullest name without a leading "the" (for affiliations and comparisons)."""
        name = self.name
        return name[4:] if name.lower().startswith("the ") else name

    @property
    def aliases(self) -> list[str]:
        """Every distinct way the article names it."""
        seen: dict[str, str] = {}
        for m in self.mentions:
            seen.setdefault(normalise(m.text), m.text)
        if self.acronym:
            seen.setdefault(normalise(self.acronym), self.acronym)
        return list(seen.values())


def entity_type(ner_type: str) -> str | None:
    """Our speaker type for an NER label of either model set (PER/PERSON, ORG/NORP/GPE)."""
    if ner_type in PERSON_TYPES:
        return "PERSON"
    if ner_type in ORG_TYPES:
        return "ORG"
    return None


def _name_words(doc: Doc, span: EntitySpan, etype: str) -> tuple[list[str], str | None, tuple[int, int] | None,
                                                                 bool]:
    """The name's words as written, its gender from an honorific, title words inside it, "the" before it."""
    first, last = span.first, span.last
    gender = None
    determiner = False
    # Possessive endings are not part of the name.
    while last > first and doc.words[last].text in ("'s", "’s", "‘s", "'", "’"):
        last -= 1
    # A name written with a hyphen the tokenizer split ("Kim Jong-un") goes on to the word's end.
    while last + 1 < len(doc.words) and doc.words[last + 1].start == doc.words[last].end and \
            doc.words[last + 1].upos in ("PROPN", "PUNCT", "NOUN", "X") and doc.words[last + 1].text not in (
            "'s", "’s", "’", "'", ",", ".", ")", ":", ";"):
        last += 1
    # Everything up to the last title word is the title ("Senate Minority Leader Chuck Schumer"); a
    # lower-case word is never part of a name ("Town clerk Benedict Harrow"), bar particles (de, van, al).
    if etype == "PERSON":
        titled = [k for k in range(first, last) if doc.words[k].text.lower() in title_words() or (
            doc.words[k].text[:1].islower() and doc.words[k].text not in NAME_PARTICLES)]
        if titled and titled[-1] < last:
            title_start, first = first, titled[-1] + 1
        else:
            title_start = None
    else:
        title_start = None
    while first < last:
        low = doc.words[first].text.lower()
        if low in HONORIFICS:
            gender = "F" if low in FEMALE_HONORIFICS else "M" if low in MALE_HONORIFICS else gender
        elif low == "the":
            determiner = True
        elif etype == "PERSON" and (low in title_words() or doc.words[first].upos == "NOUN" and not (
                doc.words[first].text[:1].isupper() and first > 0 and
                doc.words[first - 1].sent == doc.words[first].sent)):
            # a capitalised "noun" inside a name mid-sentence is a first name the tagger misread
            # ("Brittany Lincicome"); at a sentence start it may be a title ("Coach Gillis")
            title_start = first if title_start is None else title_start
        else:
            break
        first += 1
    # An honorific or "the" just before the entity ("Mr Massoud" with only "Massoud" tagged).
    if span.first > 0:
        prev = doc.words[span.first - 1].text.lower()
        if prev in HONORIFICS and etype == "PERSON":
            gender = "F" if prev in FEMALE_HONORIFICS else "M" if prev in MALE_HONORIFICS else gender
        if prev == "the":
            determiner = True
    text = doc.text[doc.words[first].start:doc.words[last].end]
    # a possessive the tokenizer left on the word ("Schumer‘s", written with the wrong mark)
    text = re.sub(r"[’‘']s$", "", text) if len(text) > 3 else text
    title = (title_start, first - 1) if title_start is not None else None
    return text.split(), gender, title, determiner


def _is_relational(doc: Doc, span: EntitySpan) -> bool:
    """Whether the mention sits in "the son of X" (X only describes someone else)."""
    head = span.last
    for i in range(span.first, span.last + 1):
        if doc.words[i].head < span.first or doc.words[i].head > span.last:
            head = i
            break
    w = doc.words[head]
    if w.deprel.startswith("nmod") and w.head >= 0 and doc.words[w.head].lemma in RELATION_NOUNS:
        return True
    # Linear fallback for parses that attach it elsewhere: "... son of X".
    j = span.first - 1
    return j >= 1 and doc.words[j].lemma == "of" and doc.words[j - 1].lemma in RELATION_NOUNS


def _introduced_as_kin(doc: Doc, span: EntitySpan) -> bool:
    """Whether the name follows a possessed noun of kinship: "her husband Tom Pell", "whose son, Army medic
    Ian Calder". Such a name is a real mention of that person, but the article is about the one they are
    related to, whose family name they share: a bare family name after it is rarely theirs."""
    k, between = span.first - 1, 0
    while k >= 1 and between <= 3:
        w = doc.words[k]
        if w.lemma.lower() in RELATION_NOUNS and w.upos == "NOUN":
            before = doc.words[k - 1]
            return before.feat("Poss") == "Yes" or before.lemma.lower() == "whose" or before.text in ("'s", "’s")
        if w.text != "," and w.upos not in ("PROPN", "NOUN", "ADJ"):
            return False
        k, between = k - 1, between + 1
    return False


#: Lower-case words that may join the words of an organisation's name ("Assembly of First Nations").
_JOINING_WORDS = words("org_joining_words")


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w and w[0].isupper())


class EntityIndex:
    """The entities of one article, built from the NER layer, plus mentions added by the rules."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.clusters: list[Cluster] = []
        self.mentions: list[Mention] = []
        self._by_name: dict[tuple[str, str], Cluster] = {}
        self._build()

    # --- building ------------------------------------------------------------------------------

    def _spans(self) -> list[EntitySpan]:
        """NER mentions, plus unlabelled repeats of names the NER found elsewhere in the article.

        One name, one entity type per discourse: a weak NER model that tags "Taliban" in one sentence
        and misses it in the next should not lose the second mention.
        """
        doc = self.doc
        spans = self._spelled_out([self._determined_as_org(self._qualifier_as_org(self._with_first_name(e)))
                                   for e in map(self._past_verbs, doc.ents) if e is not None and entity_type(e.type)
                                   and not self._is_a_title(e)])
        surnames = self._person_surnames(spans)
        spans += [e for e in doc.ents if not entity_type(e.type) and self._looks_like_family_member(e, surnames)]
        spans.sort(key=lambda e: e.first)
        covered = {i for e in spans for i in range(e.first, e.last + 1)}
        known: dict[tuple[str, ...], str] = {}
        for e in spans:
            key = tuple(doc.words[i].text for i in range(e.first, e.last + 1))
            if key and key[0][:1].isupper():
                known.setdefault(key, e.type)
        lengths = sorted({len(k) for k in known}, reverse=True)
        extra = []
        i = 0
        while i < len(doc.words):
            hit = None
            if i not in covered and doc.words[i].text[:1].isupper():
                for n in lengths:
                    key = tuple(w.text for w in doc.words[i:i + n])
                    if key in known and not any(k in covered for k in range(i, i + n)):
                        hit = (n, known[key])
                        break
            if hit:
                n, etype = hit
                last = i + n - 1
                start, end = doc.words[i].start, doc.words[last].end
                extra.append(EntitySpan(i, last, etype, start, end, doc.text[start:end]))
                i += n
            else:
                i += 1
        return sorted(spans + extra, key=lambda e: e.first)

    def _qualifier_as_org(self, e: EntitySpan) -> EntitySpan:
        """One capitalised word tagged a person that qualifies what follows is an organisation: before a
        title and a name ("Green Leader Andrew Weaver", "Tory MP Jo Doe"), or before a common noun when the
        article names an organisation starting with that word and no person ending with it ("Green
        supporters" beside "the Green Party")."""
        doc = self.doc
        k = e.last + 1
        if entity_type(e.type) != "PERSON" or e.first != e.last or k + 1 >= len(doc.words):
            return e
        nxt, after = doc.words[k], doc.words[k + 1]
        before_name = nxt.text[:1].isupper() and nxt.text.lower() in title_words() and after.text[:1].isupper() \
            and any(x.first <= k + 1 <= x.last and entity_type(x.type) == "PERSON" for x in doc.ents)
        key = normalise(e.text)
        attributive = nxt.upos == "NOUN" and nxt.text[:1].islower() and any(
            entity_type(x.type) == "ORG" and x.last > x.first and normalise(doc.words[x.first].text) == key
            for x in doc.ents) and not any(
            entity_type(x.type) == "PERSON" and x.last > x.first and normalise(doc.words[x.last].text) == key
            for x in doc.ents)
        if before_name or attributive:
            return EntitySpan(e.first, e.last, "ORG", e.start, e.end, e.text)
        return e

    def _is_a_title(self, e: EntitySpan) -> bool:
        """"Police Chief Barry Weber", "Houthi Chief Negotiator, Mohammed Abdul Salam": a span right
        before a person's name that ends in a title word, or holds one and ends in a noun for a person,
        is that person's title (:mod:`attribution.roles.titles` reads it), not a name of its own. (A name
        ending like a noun for a person, "Jim Coleman", "the Parliamentary Budget Officer (PBO)", is one.)"""
        doc = self.doc
        words = doc.words[e.first:e.last + 1]
        if not (is_title_word(words[-1]) or is_common_person_noun(words[-1]) and any(
                is_title_word(w) for w in words[:-1])):
            return False
        k = e.last + 1 + (e.last + 1 < len(doc.words) and doc.words[e.last + 1].text == ",")
        return any(x.first == k and entity_type(x.type) == "PERSON" for x in doc.ents)

    def _determined_as_org(self, e: EntitySpan) -> EntitySpan:
        """"The Ironsides said": a name written with "the" right before it is not a person's name (news
        writes "the" before teams, parties, bands and groups, not before people), whatever type the NER
        layer gave it."""
        doc = self.doc
        if entity_type(e.type) != "PERSON" or e.first == 0 or doc.words[e.first - 1].text.lower() != "the":
            return e
        if e.last > e.first and e.last + 1 < len(doc.words) and self._determines_the_noun_after(e.last + 1):
            return e  # "the Margit Sollen report": "the" goes with "report"; the name stays a person's
        return EntitySpan(e.first, e.last, "ORG", e.start, e.end, e.text)

    def _determines_the_noun_after(self, k: int) -> bool:
        """Whether word ``k``, right after a name, is a lower-case singular noun for a thing (not a title, not
        a noun for a person: "the Kelowna Rockets goaltender" is a team's player, the team an organisation),
        so that a "the" before the name belongs to it."""
        w = self.doc.words[k]
        return w.upos == "NOUN" and w.text.islower() and w.feat("Number") != "Plur" and not is_title_word(w) \
            and not is_common_person_noun(w)

    def _spelled_out(self, spans: list[EntitySpan]) -> list[EntitySpan]:
        """"Export Development Canada (EDC)": capitalised words right before a bracketed acronym that
        they spell are one organisation's name, whatever the NER layer made of them (it may have tagged
        only "Canada", as a place). Abbreviation definitions as Schwartz and Hearst (2003) find them:
        the short form in brackets, the long form the nearest words whose initials give it.
        """
        doc = self.doc
        out = list(spans)
        for k in range(1, len(doc.words) - 1):
            acro = doc.words[k].text
            if not (doc.words[k - 1].text == "(" and doc.words[k + 1].text == ")" and acro.isalpha()
                    and acro.isupper() and 2 <= len(acro) <= 8):
                continue
            tagged = next((e for e in spans if e.first <= k <= e.last), None)
            if tagged is not None and entity_type(tagged.type) != "ORG":
                continue  # "(UAE)" tagged a place stays a place
            first = self._long_form(k - 2, acro)
            if first is None:
                continue
            last = k - 2
            if any(e.first == first and e.last == last and entity_type(e.type) == "ORG" for e in out):
                continue
            out = [e for e in out if e.last < first or e.first > last]
            start, end = doc.words[first].start, doc.words[last].end
            out.append(EntitySpan(first, last, "ORG", start, end, doc.text[start:end]))
            if tagged is None:
                out.append(EntitySpan(k, k, "ORG", doc.words[k].start, doc.words[k].end, acro))
        return sorted(out, key=lambda e: e.first)

    def _long_form(self, last: int, acro: str) -> int | None:
        """First word of the run ending at word ``last`` whose capitalised words' initials spell ``acro``
        (lower-case joining words such as "of" and "and" may sit between them)."""
        doc = self.doc
        initials, k = "", last
        sent = doc.words[last].sent if last >= 0 else -1
        while k >= 0 and doc.words[k].sent == sent and len(initials) < len(acro):
            text = doc.words[k].text
            if text[:1].isupper() and text.isalpha():
                initials = text[0] + initials
            elif not (k < last and text.lower() in _JOINING_WORDS):
                return None
            k -= 1
        return k + 1 if initials == acro else None

    def _past_verbs(self, e: EntitySpan) -> EntitySpan | None:
        """"Security Council condemned North Korea": a name the NER ran across a lower-case verb is the
        part after the verb (None if nothing is left)."""
        doc = self.doc
        verbs = [k for k in range(e.first, e.last + 1)
                 if doc.words[k].upos in ("VERB", "AUX") and doc.words[k].text[:1].islower()]
        if not verbs:
            return e
        first = verbs[-1] + 1
        if first > e.last:
            return None
        start = doc.words[first].start
        return EntitySpan(first, e.last, e.type, start, e.end, doc.text[start:e.end])

    def _with_first_name(self, e: EntitySpan) -> EntitySpan:
        """"– Brittany Lincicome stood": a person tagged from the surname on, with the capitalised word
        before it read as a common noun, gets that first name back (not a title, month or day, and not
        the first word of a sentence, where any word is capitalised)."""
        doc = self.doc
        k = e.first - 1
        if entity_type(e.type) != "PERSON" or k < 0 or e.first != e.last:
            return e
        w = doc.words[k]
        if not (w.text.isalpha() and w.text[:1].isupper() and not w.text.isupper() and w.upos in ("NOUN", "PROPN")
                and w.sent == doc.words[e.first].sent and doc.sents[w.sent][0] != k
                and w.text.lower() not in title_words() and w.text.lower() not in HONORIFICS
                and w.text.lower() not in _CALENDAR and doc.entity_at(k) is None
                and w.end < doc.words[e.first].start):
            return e
        return EntitySpan(k, e.last, e.type, w.start, e.end, doc.text[w.start:e.end])

    def _build(self) -> None:
        doc = self.doc
        pending_surnames: list[Mention] = []
        spans = self._spans()
        surnames = self._person_surnames(spans)
        for span in spans:
            etype = entity_type(span.type)
            if etype != "PERSON" and self._looks_like_family_member(span, surnames):
                etype = "PERSON"  # also a person's name the NER model typed as a place or organisation
            elif span.text.isupper() and ("ORG", normalise(span.text)) in self._by_name:
                etype = "ORG"  # an organisation's acronym, whatever type the NER model gave it this time
            elif etype == "ORG" and self._part_of_a_persons_name(span):
                etype = "PERSON"  # "Liberty" after "Liberty Goldsworth": one name, one type per discourse
            if etype is None:
                continue
            words, gender, title, determiner = _name_words(doc, span, etype)
            if not words or (len(words) == 1 and words[0].lower() in HONORIFICS):
                continue  # "Mr." tagged alone: the name after it is its own mention
            m = Mention(span.first, span.last, span.start, span.end, span.text, etype, words, gender,
                        _is_relational(doc, span), kin=_introduced_as_kin(doc, span), title=title,
                        determiner=determiner, named=True)
            self.mentions.append(m)
            if etype == "PERSON" and (len(words) == 1 or self._shorter_form(m)):
                if not self._link_surname(m, before_only=True):
                    pending_surnames.append(m)
            elif etype == "ORG":
                self._link_org(m)
            else:
                key = normalise(" ".join(words))
                same = None if ("PERSON", key) in self._by_name else self._same_person_by_initials(m)
                if same is not None:
                    self._by_name[("PERSON", key)] = same
                    self._add(same, m)
                else:
                    self._join_or_new(m, key)
        for m in pending_surnames:
            if not self._link_surname(m, before_only=False):
                self._join_or_new(m, "surname:" + normalise(" ".join(m.name_words)))
        self._merge_short_organisation_names()

    def _merge_short_organisation_names(self) -> None:
        """"Samsung" in the headline, "Samsung Electronics Co." in the text: an organisation named by
        fewer words joins the one organisation the article names at more length starting (or, for one
        word, ending) with them, wherever in the article that is -- the link :meth:`_link_org` makes for
        names that come after the long one. Shorter names are merged last, so that "Samsung" finds
        "Samsung Electronics" and "Samsung Electronics Co." already one."""
        def length(c: Cluster) -> int:
            return max((len(m.name_words) for m in c.mentions), default=0)

        for c in sorted(self.clusters, key=length, reverse=True):
            names = {normalise(" ".join(m.name_words)) for m in c.mentions}
            if c.type != "ORG" or len(names) != 1 or c.acronym or not c.mentions or c.mentions[0].text.isupper():
                continue
            words = next(iter(names)).split()
            for found in (self.orgs_whose_name(words, ends=False, begins=True),
                          self.orgs_whose_name(words) if len(words) == 1 else set()):
                found.discard(c.id)
                if len(found) == 1:
                    self._merge(c, self.clusters[found.pop()])
                    break

    def _merge(self, short: Cluster, into: Cluster) -> None:
        for m in short.mentions:
            m.entity = into.id
        into.mentions.extend(short.mentions)
        into.mentions.sort(key=lambda m: m.start)
        short.mentions = []
        for key, c in list(self._by_name.items()):
            if c is short:
                self._by_name[key] = into

    def _part_of_a_persons_name(self, span: EntitySpan) -> bool:
        """A single capitalised word (not an acronym, not written with "the") that is the first or the
        last word of a person's full name given before it is that person's name used alone."""
        doc = self.doc
        word = doc.text[span.start:span.end]
        if span.first != span.last or not word.isalpha() or word.isupper() or (
                span.first > 0 and doc.words[span.first - 1].text.lower() == "the"):
            return False
        key = normalise(word)
        return any(m.type == "PERSON" and len(m.name_words) >= 2 and m.start < span.start and
                   key in (normalise(m.name_words[0]), family_words(m.name_words)[-1]) for m in self.mentions)

    def _person_surnames(self, spans: list[EntitySpan]) -> tuple[set[str], set[str]]:
        """Last words of the person names the NER layer found (surnames, or names used alone), and the
        names it found used alone ("Jessa said")."""
        last, alone = set(), set()
        for e in spans:
            names = [w for w in e.text.split() if w[:1].isupper()]
            if entity_type(e.type) == "PERSON" and names:
                last.add(family_words(names)[-1])  # a surname used alone ("Lincicome said") counts too
                if len(names) == 1:
                    alone.add(normalise(names[0]))
        return last, alone

    def _looks_like_family_member(self, span: EntitySpan, surnames: tuple[set[str], set[str]]) -> bool:
        """"Jayme Closs" tagged as an organisation in an article about James and Denise Closs, "Brittany
        Lincicome" tagged as a place where "Lincicome" alone is tagged a person, "Jessa Marlow" tagged a
        place where "Jessa" alone is a person: two or three capitalised words that end in a surname the
        article gives a person, or open with a name it uses alone for one, are a person's name (not
        after "the": "the Fenwick Ironsides" is a team)."""
        words = self.doc.text[span.start:span.end].split()
        if span.first > 0 and self.doc.words[span.first - 1].text.lower() == "the":
            return False
        last, alone = surnames
        return 2 <= len(words) <= 3 and all(w.isalpha() and w[:1].isupper() and not w.isupper() for w in words) \
            and (normalise(words[-1]) in last or normalise(words[0]) in alone)

    def _new(self, m: Mention, key: str | None = None) -> Cluster:
        c = Cluster(len(self.clusters), m.type, gender=m.gender)
        self.clusters.append(c)
        if key:
            self._by_name[(m.type, key)] = c
        self._add(c, m)
        return c

    def _add(self, c: Cluster, m: Mention) -> None:
        c.mentions.append(m)
        m.entity = c.id
        if m.gender and not c.gender:
            c.gender = m.gender

    def _join_or_new(self, m: Mention, key: str) -> Cluster:
        c = self._by_name.get((m.type, key))
        if c is None:
            return self._new(m, key)
        self._add(c, m)
        return c

    def _full_names_ending(self, words: list[str]) -> list[Mention]:
        """Full names (more words than ``words``) that end with them, or whose family name does once a
        suffix is set aside ("Hensley" of "Walter P. Hensley Jr.") -- those only where no name ends with
        them as written: "Hensley" beside "Walter Hensley" and "Walter Hensley Jr." is the father."""
        k = len(words)
        people = [x for x in self.mentions if x.type == "PERSON" and len(x.name_words) > k and x.entity is not None]
        exact = [x for x in people if [normalise(w) for w in x.name_words[-k:]] == words]
        if exact or words[-1].rstrip(".") in NAME_SUFFIXES:
            return exact
        family = [(x, family_words(x.name_words)) for x in people]
        return [x for x, names in family if len(names) > k and names[-k:] == words]

    def _same_person_by_initials(self, m: Mention) -> Cluster | None:
        """"Nora Castell" and "Nora B. Castell": the one person already named with the same words but for
        middle initials that one of the two leaves out. Names with other initials ("Harold K. Minsky",
        "Harold J. Minsky") or another middle name (a father "Ahmad Shah Massoud" and his son "Ahmad
        Massoud") stay apart."""
        bare, initials = _initials_apart([normalise(w) for w in m.name_words])
        same_words = [(x.entity, other) for x in self.mentions
                      if x.type == "PERSON" and x.entity is not None and len(x.name_words) >= 2 and x is not m
                      for other_bare, other in [_initials_apart([normalise(w) for w in x.name_words])]
                      if other_bare == bare]
        found = {entity for entity, other in same_words if other != initials}
        if len(found) != 1:
            return None
        person = found.pop()
        # every full name of that person must agree with this one's initials, where both give some
        if initials and any(entity == person and other and other != initials for entity, other in same_words):
            return None
        return self.clusters[person]

    def _shorter_form(self, m: Mention) -> bool:
        """A multi-word family name used alone ("Al Hashish" after "Fouzia Al Hashish")."""
        words = [normalise(w) for w in m.name_words]
        return bool(self._full_names_ending(words))

    def _link_surname(self, m: Mention, before_only: bool) -> bool:
        words = [normalise(w) for w in m.name_words]
        candidates = self._full_names_ending(words)
        if not candidates and len(words) == 1:
            # a first name used alone ("Jayme"), or a family name written first ("Kim")
            candidates = [x for x in self.mentions if x.type == "PERSON" and len(x.name_words) > 1
                          and x.entity is not None and normalise(x.name_words[0]) == words[0]]
        before = [x for x in candidates if x.start < m.start and not x.relational]
        if before:
            self._add(self.cluster(self._owner_of(words, before)), m)
            return True
        if before_only:
            return False
        people = {x.entity for x in candidates if x.entity is not None}
        if len(people) == 1:
            self._add(self.clusters[people.pop()], m)
            return True
        return False

    def _owner_of(self, words: list[str], before: list[Mention]) -> Mention:
        """Which of the full names before a bare family name it stands for, when two people share it: the
        one the article has been calling by it (the most such mentions so far), else one not introduced
        as another's relative ("her husband Tom Pell"), else the most recent. A victim named once in a
        story about a senator does not take "Murphy" from him."""
        latest = {x.entity: x for x in before}

        def called(x: Mention) -> int:
            return sum(1 for y in self.cluster(x).mentions if [normalise(w) for w in y.name_words] == words)

        def introduced_as_kin(x: Mention) -> bool:
            return all(y.kin for y in self.cluster(x).mentions if len(y.name_words) > len(words))

        return max(latest.values(), key=lambda x: (called(x), not introduced_as_kin(x), x.start))

    def _link_org(self, m: Mention) -> None:
        doc = self.doc
        key = normalise(" ".join(m.name_words))
        text = " ".join(m.name_words)
        # "National Resistance Front (NRF)": the bracketed acronym names the same organisation.
        if text.isupper() and len(text) >= 2:
            for c in self.clusters:
                if c.type == "ORG" and c.mentions and (c.acronym == text or _initials(
                        max((x.name_words for x in c.mentions), key=len)) == text):
                    c.acronym = c.acronym or text
                    self._by_name[("ORG", key)] = c
                    self._add(c, m)
                    return
        words = [normalise(w) for w in m.name_words]
        # "Samsung" after "Samsung Electronics Co."; "the Harbour Hawks" after "the Kestrel Bay Harbour
        # Hawks": the start of one longer name (a single word), else the end of one
        for found in (self.orgs_whose_name(words, ends=False, begins=True) if len(words) == 1 else set(),
                      set() if text.isupper() else self.orgs_whose_name(words)):
            if len(found) == 1:
                self._add(self.clusters[found.pop()], m)
                return
        c = self._join_or_new(m, key)
        nxt = m.last + 1
        if nxt + 2 < len(doc.words) and doc.words[nxt].text == "(" and doc.words[nxt + 2].text == ")":
            acro = doc.words[nxt + 1].text
            if acro.isupper():
                c.acronym = acro
                self._by_name[("ORG", normalise(acro))] = c

    # --- queries -------------------------------------------------------------------------------

    def orgs_whose_name(self, words: list[str], *, ends: bool = True, begins: bool = False,
                        before: int | None = None) -> set[int]:
        """Organisations with a longer name (found by the NER layer, before character ``before``) that
        ends — or, with ``begins``, begins — with the normalised ``words``: "Rockets" of "Kelowna Rockets"."""
        n = len(words)
        found: set[int] = set()
        for c in self.clusters:
            if c.type != "ORG":
                continue
            for x in c.mentions:
                if not x.named or len(x.name_words) <= n or before is not None and x.start >= before:
                    continue
                names = [normalise(w) for w in x.name_words]
                if ends and names[-n:] == words or begins and names[:n] == words:
                    found.add(c.id)
                    break
        return found

    def mention_covering(self, first: int, last: int) -> Mention | None:
        """The named mention that overlaps words ``first..last``, preferring people."""
        found = [m for m in self.mentions if m.first <= last and m.last >= first]
        if not found:
            return None
        found.sort(key=lambda m: (m.type != "PERSON", m.first))
        return found[0]

    def add_mention(self, first: int, last: int, etype: str, name: str | None = None) -> Mention:
        """Register a mention the NER layer missed (a common-noun speaker such as "officials"); ``name``
        names its entity where the words do not ("Her office" -> "Lorna Beck's office")."""
        doc = self.doc
        start, end = doc.words[first].start, doc.words[last].end
        text = name if name is not None else doc.text[start:end]
        words = [w for w in text.split() if w.lower() not in HONORIFICS]
        m = Mention(first, last, start, end, doc.text[start:end], etype, words)
        self.mentions.append(m)
        key = normalise(text)
        if etype == "PERSON" and len(words) == 1 and words[0][:1].isupper() and \
                self._link_surname(m, before_only=False):
            return m
        self._join_or_new(m, key)
        return m

    def add_group(self, people: list[Mention]) -> Mention:
        """"Clara Oduya and Ivo Marsh said": people named together, as one group mention over their words,
        named by their names ("Clara Oduya and Ivo Marsh", titles between them left out)."""
        doc = self.doc
        first, last = people[0].first, people[-1].last
        names = [self.cluster(p).name if p.entity is not None else " ".join(p.name_words) for p in people]
        words = (", ".join(names[:-1]) + " and " + names[-1]).split()
        start, end = doc.words[first].start, doc.words[last].end
        m = Mention(first, last, start, end, doc.text[start:end], "GROUP", words)
        self.mentions.append(m)
        self._join_or_new(m, normalise(" ".join(words)))
        return m

    def attach(self, m: Mention, c: Cluster) -> None:
        """Add a mention resolved by a rule outside this index (a nominal such as "the mayor")."""
        self.mentions.append(m)
        self._add(c, m)

    def cluster(self, m: Mention) -> Cluster:
        """The entity a mention belongs to."""
        assert m.entity is not None
        return self.clusters[m.entity]
