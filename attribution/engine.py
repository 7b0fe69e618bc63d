"""The attribution engine: quotes from marks and speech frames, speakers from the parse and discourse.

Steps, each in its own module:

1. furniture paragraphs are set aside (:mod:`.furniture`);
2. quoted spans are found by their marks (:mod:`.quotemarks`);
3. speech frames — cue, source, reported content — are read off the parse (:mod:`.frames`);
4. a frame whose reported content holds quoted fragments becomes one *mixed* quote; a quotation is
   attributed to the frame next to it ("“…,” she said", "he said: “…”"); a quotation with no frame
   continues the speaker of the quotation before it in the paragraph or, for a quote-only paragraph,
   the previous quote's speaker;
5. sources become speakers: named mentions join their entity (:mod:`.entities`), pronouns resolve to
   the nearest compatible antecedent, and each speaker carries the role the article states
   (:mod:`.roles`);
6. each quote is split into claims with a check-worthiness score (:mod:`.claims`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .claims import claims_for
from .document import Doc
from .entities import HONORIFICS, Cluster, EntityIndex, Mention, normalise, title_words
from .frames import PRONOUNS, Frame, find_frames
from .furniture import is_furniture
from .lexicon import load_lexicon, misread_cue_verb
from .quotemarks import QuoteSpan, find_quotes
from .roles import roles_for
from .types import Entity, Quote, RoleFact

# Common nouns that name organisations rather than people, for unnamed sources ("the ministry said").
ORG_NOUNS = {"government", "ministry", "department", "police", "company", "agency", "office", "council", "court",
             "committee", "party", "union", "association", "board", "commission", "group", "team", "club",
             "university", "hospital", "army", "military", "force", "front", "administration", "campaign",
             "firm", "bank", "network", "newspaper", "paper", "station", "service", "authority", "embassy",
             "regime", "organization", "organisation", "coalition", "movement", "school", "institute", "city",
             "state", "county", "province", "country", "parliament", "senate", "house", "cabinet", "report",
             "study", "survey", "statement", "poll", "website", "site", "magazine", "channel"}
KINSHIP_GENDER = {"brother": "M", "son": "M", "father": "M", "husband": "M", "uncle": "M", "nephew": "M",
                  "grandson": "M", "grandfather": "M", "boyfriend": "M", "sister": "F", "daughter": "F",
                  "mother": "F", "wife": "F", "aunt": "F", "niece": "F", "granddaughter": "F", "grandmother": "F",
                  "girlfriend": "F", "widow": "F", "widower": "M"}
# What someone wrote or issued: "her statement read", "a release said" speak for their author.
DOCUMENT_NOUNS = {"statement", "release", "post", "tweet", "email", "e-mail", "letter", "message", "memo",
                  "posting", "notice", "announcement", "communique", "communiqué", "blog", "book", "memoir",
                  "column", "essay", "article"}
# Organisation nouns whose definite use ("the company said") points back to the organisation just named.
ANAPHORIC_ORG_NOUNS = {"company", "agency", "firm", "group", "organization", "organisation", "team", "club",
                       "association", "union", "league", "network", "bank", "airline", "retailer", "charity",
                       "institute", "university", "hospital", "board", "party", "coalition", "movement",
                       "foundation", "society", "federation", "corporation", "business", "manufacturer", "maker",
                       "carrier", "broadcaster", "insurer", "lender", "utility", "ministry", "department",
                       "organizer", "organiser", "developer", "automaker", "giant", "chain", "operator"}
# Word endings of nouns for people ("labourer", "defenceman", "economist", "historian").
_PERSON_SUFFIXES = ("man", "woman", "person", "ist", "ian", "eur", "er", "or")
_NOT_PERSON_NOUNS = {"order", "paper", "letter", "number", "chapter", "member", "filer", "report", "matter",
                     "center", "centre", "factor", "sector", "error", "document", "water", "computer", "power",
                     "register", "monitor", "indicator", "minister's", "partner"}
# Nouns for people that say their sex: evidence the article itself gives ("a Marine spokeswoman said").
GENDERED_NOUNS = {**KINSHIP_GENDER, "spokeswoman": "F", "spokesman": "M", "chairwoman": "F", "chairman": "M",
                  "businesswoman": "F", "businessman": "M", "congresswoman": "F", "congressman": "M",
                  "councilwoman": "F", "councilman": "M", "policewoman": "F", "policeman": "M", "woman": "F",
                  "man": "M", "girl": "F", "boy": "M", "actress": "F", "actor": "M", "queen": "F", "king": "M",
                  "mom": "F", "dad": "M", "grandma": "F", "grandpa": "M", "sportswoman": "F", "sportsman": "M",
                  "waitress": "F", "waiter": "M", "heiress": "F", "mother-of-two": "F", "father-of-two": "M"}
_SENT_END = re.compile(r"[.!?]['\"”’]?\s*$")
RULE_CONFIDENCE = {
    "cue-subject": 0.9, "cue-subject-climb": 0.8, "passive-agent": 0.85, "according-to": 0.85,
    "cue-adjacent": 0.7, "pronoun": 0.75, "same-paragraph": 0.8, "inherited": 0.7, "colon-subject": 0.6,
    "previous-paragraph-subject": 0.45, "previous-sentence-subject": 0.6, "dash-byline": 0.85, "relative-pronoun": 0.75,
    "signed-paragraph": 0.7,
    "none": 0.2,
}


@dataclass
class Item:
    """A quote being built: its span and how its speaker is to be found."""

    start: int
    end: int
    kind: str
    frame: Frame | None = None
    inherit: bool = False  # continues the speaker of the quote before it
    rule: str = "none"
    fragments: list[tuple[int, int]] = field(default_factory=list)
    para: int = 0
    cluster: Cluster | None = None
    mention: tuple[int, int, str] | None = None  # start, end, text


# Abbreviations whose full stop does not end a sentence: titles, initials, dotted acronyms, months.
_ABBREVIATION = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Lt|Sgt|Gen|Col|Capt|Maj|Gov|Sen|Rep|Rev|Prof|Jr|Sr|Cpl|Const|Det|Insp|Supt|Mt|Ft|"
    r"Inc|Corp|Co|Ltd|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|No|vs|etc|approx|[A-Z]|(?:[A-Za-z]\.)+[A-Za-z])\.$")


#: Words that open a subordinate clause even where the tagger calls them adverbs.
_SUBORDINATORS = frozenset({"when", "while", "after", "before", "as", "because", "since", "once", "if",
                            "although", "though", "until", "whenever"})

#: Sentences before a full-name mention free of its entity for the mention to count as introducing it.
INTRODUCTION_GAP = 8


def _sentence_break(gap: str) -> bool:
    """Whether a stretch of text ends a sentence inside it ("Mr.", "Lt.", "St.", "J." do not)."""
    for m in re.finditer(r"[.!?](?=\s)", gap):
        if m.group() == "." and _ABBREVIATION.search(gap[:m.end()]):
            continue
        return True
    return False


def _words_count(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _is_title(content: str) -> bool:
    """A title or name in quotes ("Saturday Night Live"): every word capitalised, no sentence end."""
    words = re.findall(r"[A-Za-z][\w'’-]*", content)
    small = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "with", "or", "from", "by"}
    # American style puts the sentence's full stop inside the marks (“The Kid Who Would Be King.”): a
    # title of three words or more keeps its title shape with it; a question or exclamation is speech.
    end_ok = not re.search(r"[.!?,]$", content) or len(words) >= 3 and re.search(r"[.,]$", content) is not None
    return bool(words) and len(words) <= 12 and end_ok and all(
        w[0].isupper() or w.lower() in small for w in words) and words[0][0].isupper()


class _Engine:
    def __init__(self, text: str, stanza_doc: Any):
        self.text = text
        self.doc = Doc(text, stanza_doc)
        self.lex = load_lexicon()
        doc = self.doc
        for k, w in enumerate(doc.words):
            if w.upos in ("VERB", "ADJ"):  # a cue verb the seq2seq lemmatizer garbled ("quipped" -> "quipp")
                w.lemma = self.lex.verb_lemma(w.text, w.lemma)
            elif 0 < k < len(doc.words) - 1 and doc.words[k - 1].sent == w.sent == doc.words[k + 1].sent:
                verb = misread_cue_verb(self.lex, doc.words[k - 1].upos, w.upos, w.text,
                                        (doc.words[k + 1].text.lower(), doc.words[k + 1].upos))
                if verb is not None:  # "Reyes alleges he …" tagged a plural noun
                    w.upos, w.lemma = "VERB", verb
        self.skip_paras = {k for k, (s, e) in enumerate(doc.paras) if is_furniture(text[s:e])}
        self.spans = [q for q in find_quotes(text) if doc.para_of(q.start) not in self.skip_paras]
        self.quoted: set[int] = set()
        for q in self.spans:
            self.quoted.update(doc.words_in(q.start, q.end))
        self.idx = EntityIndex(doc)
        self.frames = find_frames(doc, self.lex, self.quoted, self.skip_paras)
        self._roles: dict[int, list[RoleFact]] = {}
        for m in list(self.idx.mentions):
            if m.type == "PERSON" and m.entity is not None:
                for fact in roles_for(doc, self.idx, m):
                    self._roles.setdefault(m.entity, []).append(fact)

    def infer_genders(self) -> None:
        """Gender of each person from the article itself: the pronouns of sentences that name only them.

        (No name lists: "he"/"his" in sentences about one person only is the article's own evidence.)
        """
        doc, idx = self.doc, self.idx
        votes: dict[int, list[int]] = {}
        by_sent: dict[int, set[int]] = {}
        lead: dict[int, int] = {}  # sentence -> first word of its only person's first mention
        for m in idx.mentions:
            if m.type == "PERSON" and m.name_words and m.first not in self.quoted and m.entity is not None:
                si = doc.words[m.first].sent
                by_sent.setdefault(si, set()).add(m.entity)
                lead[si] = min(lead.get(si, m.first), m.first)
        for si, ents in by_sent.items():
            if len(ents) != 1:
                continue
            first, last = doc.sents[si]
            # only pronouns after the name, when the name opens the sentence (its subject, as a rule):
            # in "He ordered a weeping Jayme to …" the "he" is someone else
            lead_words = sum(1 for k in range(first, lead[si]) if doc.words[k].upos != "PUNCT")
            if lead_words > 3 or any(doc.words[k].upos == "SCONJ" or doc.words[k].lemma in _SUBORDINATORS
                                     for k in range(first, lead[si])):
                continue  # "When Jo Doe left, she …": the name is in a subordinate clause, "she" another
            # subject, possessive and reflexive pronouns only: an object ("dragged her", "told him")
            # is as a rule someone other than the sentence's subject
            male = sum(1 for k in range(lead[si], last + 1) if k not in self.quoted
                       and doc.words[k].text.lower() in ("he", "his", "himself"))
            female = sum(1 for k in range(lead[si], last + 1) if k not in self.quoted and (
                doc.words[k].text.lower() in ("she", "hers", "herself")
                or doc.words[k].text.lower() == "her" and doc.words[k].feat("Poss") == "Yes"))
            v = votes.setdefault(next(iter(ents)), [0, 0])
            v[0] += male
            v[1] += female
        # "her brother Paul", "his wife Ana": a kinship noun right before a name says its gender.
        for m in idx.mentions:
            if m.type == "PERSON" and m.first > 0 and m.entity is not None:
                g = KINSHIP_GENDER.get(doc.words[m.first - 1].lemma)
                if g:
                    v = votes.setdefault(m.entity, [0, 0])
                    v[0 if g == "M" else 1] += 3
        # "Katy Barnett, a spokeswoman for …": a gendered noun among the roles the article gives
        for cid, facts in self._roles.items():
            for fact in facts:
                g = GENDERED_NOUNS.get(fact.title.lower().split()[-1]) if fact.title else None
                if g:
                    v = votes.setdefault(cid, [0, 0])
                    v[0 if g == "M" else 1] += 3
        for cid, (male, female) in votes.items():
            c = idx.clusters[cid]
            if c.gender is None and male != female:
                c.gender = "M" if male > female else "F"

    def register_nominal_subjects(self) -> None:
        """Subjects written as common nouns ("the mayor", "officials", "the ministry") become mentions,
        so that a later "he"/"they"/"it" can refer to them."""
        doc = self.doc
        for w in doc.words:
            if w.deprel not in ("nsubj", "nsubj:pass") or w.upos != "NOUN" or w.i in self.quoted:
                continue
            if self.idx.mention_covering(w.i, w.i) is not None or w.para in self.skip_paras:
                continue
            if self._by_role(w.i) is None and (w.feat("Number") == "Plur" or w.lemma in ORG_NOUNS or
                                               w.lemma in title_words()) and any(
                    doc.words[c].lemma in ("the", "its", "their") for c in doc.kids(w.i, "det", "nmod:poss")):
                self.source_mention(w.i)  # "the mayor", "officials", "the ministry" can be "he"/"they"/"it"

    # --- step 4: quotes and their frames ------------------------------------------------------

    def items(self) -> list[Item]:
        doc, text = self.doc, self.text
        items: list[Item] = []
        absorbed: set[int] = set()  # indices into self.spans
        used_frames: set[int] = set()
        # Reported speech with a content span; quoted fragments inside it make it mixed.
        for fi, f in enumerate(self.frames):
            if f.content is None or f.source is None:
                continue
            cs, ce = f.content
            inside = [k for k, q in enumerate(self.spans) if q.start >= cs - 1 and q.end <= ce + 1]
            if inside:
                covered = sum(self.spans[k].inner_end - self.spans[k].inner_start for k in inside)
                if len(inside) == 1 and covered >= 0.85 * (ce - cs):
                    continue  # "X said: “…”": the quotation itself, attributed below
                items.append(Item(cs, ce, "mixed", f, rule=f.source_rule, para=doc.para_of(cs),
                                  fragments=[(self.spans[k].inner_start, self.spans[k].inner_end) for k in inside]))
                absorbed.update(inside)
                used_frames.add(fi)
            elif not any(q.start < ce and q.end > cs for q in self.spans) and _words_count(text[cs:ce]) >= 3:
                items.append(Item(cs, ce, "indirect", f, rule=f.source_rule, para=doc.para_of(cs)))
                used_frames.add(fi)
                if f.after is not None and not any(q.start < f.after[1] and q.end > f.after[0] for q in self.spans):
                    # "…, he said, but one person ran to the roof": the rest of the sentence, same speaker
                    items.append(Item(f.after[0], f.after[1], "indirect", f, rule=f.source_rule,
                                      para=doc.para_of(f.after[0])))
        # Direct and partial quotations.
        by_para: dict[int, list[int]] = {}
        for k, q in enumerate(self.spans):
            if k not in absorbed:
                by_para.setdefault(doc.para_of(q.start), []).append(k)
        for para, ks in by_para.items():
            prev_attached = False
            for n, k in enumerate(ks):
                q = self.spans[k]
                content = text[q.inner_start:q.inner_end]
                nwords = _words_count(content)
                fi = self._frame_for(q, ks, n, used_frames)
                kind = self._kind(q, content, nwords)
                if fi is not None and nwords <= 2 and not re.search(r"[.!?…]$", content) and \
                        self._lead_in(q, self.frames[fi]) is None:
                    continue  # a word or two in quotes next to a cue is a scare quote or a label
                    # (unless reported speech leads into it: "… shot at them “like snipers,” he said")
                if fi is not None:
                    used_frames.add(fi)
                    f = self.frames[fi]
                    lead = self._lead_in(q, f)
                    if lead is not None:  # "The vote was “a catastrophic defeat,” Mr X said": one mixed quote
                        items.append(Item(lead, q.inner_end, "mixed", f, rule=f.source_rule, para=para,
                                          fragments=[(q.inner_start, q.inner_end)]))
                    else:
                        items.append(Item(q.inner_start, q.inner_end, kind, f, rule=f.source_rule, para=para))
                    prev_attached = True
                    continue
                if nwords <= 4 and kind == "partial" or _is_title(content):
                    continue  # scare quotes, titles, nicknames
                if prev_attached:
                    items.append(Item(q.inner_start, q.inner_end, kind, inherit=True, rule="same-paragraph",
                                      para=para))
                elif self._quote_only(para) or nwords >= 6 and _SENT_END.search(content + text[q.inner_end:q.end]):
                    items.append(Item(q.inner_start, q.inner_end, kind, inherit=True, rule="inherited",
                                      para=para))
        items.sort(key=lambda it: it.start)
        return items

    def _lead_in(self, q: QuoteSpan, f: Frame) -> int | None:
        """Where reported speech begins when a quotation attributed after it starts mid-sentence."""
        doc, text = self.doc, self.text
        if doc.words[f.cue_first].start < q.end:
            return None
        first = doc.word_at(q.start)
        if first is None:
            return None
        s0 = doc.words[doc.sents[doc.words[first].sent][0]].start
        s0 = max(s0, doc.paras[doc.para_of(q.start)][0])
        before = text[s0:q.start]
        if _words_count(before) < 3 or re.search(r"[:;]\s*$", before) or any(
                o.start >= s0 and o.end <= q.start for o in self.spans):
            return None
        return s0

    def _kind(self, q: QuoteSpan, content: str, nwords: int) -> str:
        if nwords >= 8 or re.search(r"[.!?,;:…]$", content) or q.paragraphs > 1:
            return "direct"
        return "partial"

    def _quote_only(self, para: int) -> bool:
        s, e = self.doc.paras[para]
        rest = self.text[s:e]
        for q in self.spans:
            if q.start >= s and q.end <= e:
                rest = rest.replace(self.text[q.start:q.end], " ")
        return _words_count(rest) == 0

    def _frame_for(self, q: QuoteSpan, ks: list[int], n: int, used: set[int]) -> int | None:
        """The frame that attributes quotation ``q``: after it ("…,” she said) or before it (said: “…”)."""
        doc, text = self.doc, self.text
        s, e = doc.paras[doc.para_of(q.start)]
        nxt = self.spans[ks[n + 1]].start if n + 1 < len(ks) else e
        prv = self.spans[ks[n - 1]].end if n > 0 else s
        after, before = None, None
        for fi, f in enumerate(self.frames):
            if fi in used:
                continue
            cs = doc.words[f.cue_first].start
            if q.end <= cs < nxt:
                gap = text[q.end:cs]
                # a long gap is fine when it is the source's own description ("“…,” Jo Doe, director
                # of defence studies at the Centre for X, said")
                near = _words_count(gap) <= 10 or _words_count(gap) <= 25 and f.source is not None and \
                    q.end <= doc.words[f.source].start < cs
                if after is None and not _sentence_break(gap) and near and (
                        f.content is None or f.content[0] <= q.start or f.content[1] <= cs):
                    after = (fi, _words_count(gap))
            elif prv <= cs < q.start:
                ce = doc.words[f.cue_last].end
                gap = text[ce:q.start]
                if f.colon or (f.content and f.content[0] <= q.inner_start <= f.content[1]) or (
                        not _sentence_break(gap) and _words_count(gap) <= 4):
                    before = (fi, _words_count(gap))
        if after is not None and after[1] <= 4:
            return after[0]
        if before is not None:
            return before[0]
        if after is not None:
            return after[0]
        return self._colon_intro(q, ks, n, used)

    def _colon_intro(self, q: QuoteSpan, ks: list[int], n: int, used: set[int]) -> int | None:
        """"Caddell continued:" closing the paragraph before introduces this paragraph's quotation."""
        doc, text = self.doc, self.text
        para = doc.para_of(q.start)
        if n > 0 or para == 0 or text[doc.paras[para][0]:q.start].strip():
            return None
        ps, pe = doc.paras[para - 1]
        if not text[ps:pe].rstrip().endswith(":"):
            return None
        cands = [fi for fi, f in enumerate(self.frames) if fi not in used and f.colon and
                 ps <= doc.words[f.cue_first].start < pe and f.source is not None]
        return cands[-1] if cands else None

    # --- step 5: speakers ---------------------------------------------------------------------

    def _noun_run(self, head: int) -> tuple[int, int]:
        """The run of name-like words around a head ("Sharks head coach Peter DeBoer")."""
        doc = self.doc
        sent_first, sent_last = doc.sents[doc.words[head].sent]

        def inside(k: int) -> bool:
            w = doc.words[k]
            return k not in self.quoted and (w.upos in ("PROPN", "NOUN", "ADJ", "NUM") or w.text in ("'s", "’s", ".")
                                             and w.upos == "PART")

        a = b = head
        while a - 1 >= sent_first and inside(a - 1):
            a -= 1
        while b + 1 <= sent_last and inside(b + 1):
            b += 1
        return a, b

    def _possessor_of(self, m: Mention, head: int) -> bool:
        """"Trudeau's office said": the person owns the head noun that speaks, and is not the speaker (but
        "her statement read", "according to Foster's book": a document speaks for its author)."""
        doc = self.doc
        k = m.last + 1
        return m.last < head and doc.words[head].upos == "NOUN" and doc.words[head].lemma not in DOCUMENT_NOUNS and (
            doc.words[m.last].text.endswith(("'s", "’s")) or k < len(doc.words) and doc.words[k].text in ("'s", "’s"))

    def source_mention(self, head: int) -> Mention | None:
        """The mention a source word stands for: a name in its phrase, or the phrase itself.

        A person named in the source phrase wins over an organisation that only qualifies it ("Sharks
        head coach Peter DeBoer", "the Taliban's chief spokesman Zabihullah Mujahid"); a common noun with
        a name in apposition is that name ("Spindler's father, Joseph,").
        """
        doc, idx = self.doc, self.idx
        w = doc.words[head]
        a, b = self._noun_run(head)
        run_people = [m for m in idx.mentions if m.type == "PERSON" and a <= m.first <= b and not m.relational
                      and m.first not in self.quoted and not self._possessor_of(m, head)]
        if run_people:
            return max(run_people, key=lambda m: m.last)  # the name closest to the verb's end of the run
        named = idx.mention_covering(head, head)
        if named is not None:
            return named
        surname = self._surname_alone(head)
        if surname is not None:
            return surname
        described = self._described_person(head)
        if described is not None:
            return described
        for c in doc.kids(head, "appos"):
            m = idx.mention_covering(c, c)
            if m is not None and m.type == "PERSON":
                return self._with_conjuncts(m, c)
        phrase = doc.subtree(head, exclude={c for c in w.children if doc.words[c].deprel in ("acl:relcl",) or
                                            doc.words[c].deprel.split(":")[0] in (
            "advcl", "parataxis", "conj", "cc", "punct", "ccomp", "dep", "appos", "case", "mark")})
        people = [m for m in idx.mentions if m.type == "PERSON" and m.first in phrase and
                  doc.words[m.first].deprel.split(":")[0] in ("flat", "appos", "compound", "nsubj", "nmod") and
                  not m.relational and not self._possessor_of(m, head)]
        if people:
            # the name the head noun introduces ("spokesman Zabihullah Mujahid"), not a possessor
            people.sort(key=lambda m: (doc.words[m.first].deprel == "nmod:poss", abs(m.first - head)))
            return people[0]
        orgs = [m for m in idx.mentions if m.type == "ORG" and m.first in phrase and
                doc.words[m.first].deprel.split(":")[0] in ("compound", "flat")]
        if orgs:
            # the organisation the head noun names ("North Korea's KCNA news agency"), not its possessor
            return min(orgs, key=lambda m: any(doc.words[k].deprel == "nmod:poss" for k in range(m.first, m.last + 1)))
        if w.upos == "NUM" and w.text.lower() == "one" and doc.kids(head, "nmod"):
            # "one of the players": a person picked out of a group, named by the whole phrase
            end = max(k for k in phrase if doc.words[k].upos != "PUNCT")
            return idx.add_mention(min(phrase), end, "PERSON")
        hyphenated = w.upos == "ADJ" and head > 0 and doc.words[head - 1].text == "-"  # "my four-year-old"
        if w.upos not in ("NOUN", "PROPN") and not hyphenated:
            return None
        known = self._by_role(head)
        if known is not None:
            return known
        first, last = min(phrase), max(phrase)
        # stop at the first comma after the head (an apposition or clause follows)
        for j in range(head, last + 1):
            if doc.words[j].text in (",", "–", "—", "(") and j > head:
                last = j - 1
                break
        named = self._name_after_title(first, last)
        if named is not None:
            return named
        partial = self._short_name(first, last)
        if partial is not None:
            return partial
        etype = "GROUP" if w.feat("Number") == "Plur" else "ORG" if w.lemma in ORG_NOUNS else "PERSON"
        if w.upos == "PROPN":
            # a plural stays a group: "Prosecutors said" opening a sentence is tagged a proper noun
            etype = "GROUP" if w.feat("Number") == "Plur" else "ORG" if w.lemma in ORG_NOUNS else "PERSON"
        m = idx.add_mention(first, last, etype)
        gender = GENDERED_NOUNS.get(w.text.lower()) if etype == "PERSON" else None
        if gender and idx.cluster(m).gender is None:
            idx.cluster(m).gender = gender  # "a Marine spokeswoman" is never "he"
        return m

    def _surname_alone(self, head: int) -> Mention | None:
        """"says House" after "artistic director Christopher House": a capitalised word alone that is the
        family name of a person named in full before is that person, even where the NER layer missed it
        and the word is also a common noun or adjective ("House", "Major", "Young"). Of two people who
        share the name, the one named in full last, as the NER-time surname link does."""
        doc, idx = self.doc, self.idx
        w = doc.words[head]
        if not (w.text[:1].isupper() and w.text[1:].islower() and w.text.isalpha()) or head in self.quoted:
            return None
        if any(doc.words[c].upos not in ("PUNCT", "DET") and doc.words[c].text.lower() not in HONORIFICS
               for c in w.children if doc.words[c].deprel.split(":")[0] in ("compound", "amod", "flat", "det")):
            return None  # "the Opera House", "Green Party": more than a family name
        key = normalise(w.text)
        full = [x for x in idx.mentions if x.type == "PERSON" and x.named and len(x.name_words) >= 2
                and x.end <= w.start and normalise(x.name_words[-1]) == key and not x.relational]
        if not full:
            return None
        m = Mention(head, head, w.start, w.end, w.text, "PERSON", [w.text], named=True)
        idx.attach(m, idx.cluster(max(full, key=lambda x: x.start)))
        return m

    def _short_name(self, first: int, last: int) -> Mention | None:
        """"the Rockets" after "the Kelowna Rockets": capitalised words that end (or begin) the name of
        exactly one organisation named before are that organisation, whatever the NER layer made of them."""
        doc, idx = self.doc, self.idx
        words = [normalise(doc.words[k].text) for k in range(first, last + 1)
                 if doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper()]
        if not words or len(words) != sum(1 for k in range(first, last + 1) if doc.words[k].upos != "DET"):
            return None
        start = doc.words[first].start
        found = idx.orgs_whose_name(words, begins=True, before=start)
        if len(found) != 1:
            return None
        target = idx.clusters[found.pop()]  # type: ignore[index]
        m = Mention(first, last, start, doc.words[last].end, doc.span_text(first, last), target.type,
                    [doc.words[k].text for k in range(first, last + 1) if doc.words[k].upos != "DET"])
        idx.attach(m, target)
        return m

    def _name_after_title(self, first: int, last: int) -> Mention | None:
        """"Town clerk Benedict Harrow": capitalised words after a lower-case title are a person's name,
        even when the NER model missed them or typed them as a place; the title becomes the role."""
        doc, idx = self.doc, self.idx
        k = last
        while k >= first and doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper():
            k -= 1
        if last - k < 2 or k < first or not doc.words[k].text[:1].islower() or doc.words[k].upos != "NOUN":
            return None
        m = idx.add_mention(k + 1, last, "PERSON")
        title_first = first
        while title_first < k and doc.words[title_first].upos == "DET":
            title_first += 1
        fact = RoleFact(doc.span_text(title_first, k), None, doc.words[first].start, m.end, "title-before")
        self._roles.setdefault(m.entity, []).append(fact)  # type: ignore[arg-type]
        return m

    def _described_person(self, head: int) -> Mention | None:
        """"said Maria Gonzalez, a spokesperson for …": a description set off after a name is that person."""
        doc, idx = self.doc, self.idx
        w = doc.words[head]
        if w.upos != "NOUN":
            return None
        if w.deprel == "appos" and w.head >= 0:
            m = idx.mention_covering(w.head, w.head)
            if m is not None and m.type == "PERSON":
                return m
        # the subtree may start with the comma that sets the description off (the parser attaches it
        # to the description's head): the word before the description proper is what counts
        first = min(k for k in doc.subtree(head) if doc.words[k].upos != "PUNCT" or k == head)
        j = first - 1
        if j >= 1 and doc.words[j].text == "," and j - 1 not in self.quoted:
            m = idx.mention_covering(j - 1, j - 1)
            if m is not None and m.type == "PERSON" and m.last == j - 1:
                return m
        return None

    def _with_conjuncts(self, m: Mention, head: int) -> Mention:
        """"Charles Glynn and Richard Jones": two people named together speak as one group."""
        doc, idx = self.doc, self.idx
        others = [idx.mention_covering(c, c) for c in doc.kids(head, "conj")]
        others = [o for o in others if o is not None and o.type == "PERSON"]
        if not others:
            return m
        last = max(o.last for o in others)
        return idx.add_mention(m.first, last, "GROUP")

    def _by_role(self, head: int) -> Mention | None:
        """"the mayor said": the one person the article gave that title before; "the authority said": the
        one organisation named before whose name ends with that noun."""
        doc, idx = self.doc, self.idx
        w = doc.words[head]
        if w.upos != "NOUN" or w.feat("Number") == "Plur" or not any(
                doc.words[c].lemma == "the" for c in doc.kids(head, "det")):
            return None
        owners = {cid for cid, facts in self._roles.items() for f in facts
                  if f.title and f.title.lower().split()[-1] in (w.lemma, w.text.lower()) and f.start < w.start}
        if not owners:
            owners = {c.id for c in idx.clusters if c.type == "ORG" and any(
                m.start < w.start and m.name_words and m.name_words[-1].lower() in (w.lemma, w.text.lower())
                for m in c.mentions)}
        if len(owners) != 1:
            return None
        first = min([head] + doc.kids(head, "det", "amod"))
        target = idx.clusters[next(iter(owners))]
        m = Mention(first, head, doc.words[first].start, w.end, doc.span_text(first, head), target.type, [])
        idx.attach(m, target)
        return m

    def _is_person_noun(self, w: Any) -> bool:
        """A common noun for a person ("the rookie defenceman", "the prime minister"), by title or ending."""
        low = w.text.lower()
        if w.lemma in title_words() or low in title_words():
            return True
        if w.upos == "PROPN":  # "the Kentucky Republican": a capitalised noun for a party member
            return low.endswith(("an", "at")) and w.feat("Number") != "Plur" and self.doc.entity_at(w.i) is None
        return len(low) > 5 and low.endswith(_PERSON_SUFFIXES) and w.lemma not in _NOT_PERSON_NOUNS and \
            w.lemma not in ORG_NOUNS and w.lemma not in ANAPHORIC_ORG_NOUNS

    def refer(self, head: int, m: Mention, history: list[Item]) -> Cluster | None:
        """The named entity a described source stands for, when the article makes it plain.

        Definite descriptions are anaphoric (the "definite NP" step of deterministic coreference sieves):
        "the company said" is the organisation just named, "the rookie defenceman said" the person the
        text is about; a document speaks for its author ("her statement read", "a release said" after an
        organisation spoke). Indefinite and plural descriptions ("a spokesperson", "officials") stay as
        they are: the article did not say who they are.
        """
        doc, idx = self.doc, self.idx
        w = doc.words[head]
        cluster = idx.cluster(m)
        if any(self._named(x) for x in cluster.mentions):
            return None  # already a named entity
        if any(doc.words[k].upos == "PROPN" for k in range(m.first, m.last + 1)) and w.upos != "PROPN":
            return None  # "Mississauga accountant" and such carry a name of their own
        dets = {doc.words[c].lemma for c in doc.kids(head, "det")}
        poss = doc.kids(head, "nmod:poss")
        if w.lemma in DOCUMENT_NOUNS and w.feat("Number") != "Plur":
            if poss:
                p = poss[0]
                pw = doc.words[p]
                if pw.upos == "PRON":
                    return self._antecedent(p, {"he": "he", "she": "she", "they": "they", "it": "it",
                                                "his": "he", "her": "she", "their": "they", "its": "it"}.get(
                        pw.text.lower(), ""), history)
                named = idx.mention_covering(p, p)
                return idx.cluster(named) if named is not None else None
            if dets & {"the", "a", "an", "this"}:
                last = next((h for h in reversed(history) if h.cluster is not None), None)
                if last is not None and last.para >= w.para - 1 and last.cluster is not cluster and any(
                        self._named(x) for x in last.cluster.mentions):
                    return last.cluster
            return None
        if "the" not in dets or poss or w.feat("Number") == "Plur" or w.lemma in KINSHIP_GENDER or \
                doc.kids(head, "nmod", "acl", "acl:relcl"):
            return None  # "the head of …", "the person who spoke …": restrictive, not anaphoric
        if any(x.entity != cluster.id and not self._named(x) and x.end <= w.start and
               doc.words[x.last].lemma == w.lemma for x in idx.mentions):
            return None  # "a senior official … the official said": the earlier description, still unnamed
        if w.upos == "PROPN":
            return self._antecedent(head, "person", history) if self._is_person_noun(w) else None
        # "the diocese" after "the Roman Catholic Diocese of Covington": the one organisation named
        # before whose name holds the noun
        holders = {x.entity for x in idx.mentions if x.type == "ORG" and x.named and x.end <= w.start and
                   any(n.lower() in (w.lemma, w.text.lower()) and n[:1].isupper() for n in x.name_words)}
        if len(holders) == 1:
            return idx.clusters[holders.pop()]  # type: ignore[index]
        if w.lemma in ANAPHORIC_ORG_NOUNS:
            orgs = [x for x in idx.mentions if x.type == "ORG" and x.end <= w.start and x.first not in self.quoted
                    and x.name_words and x.name_words[-1][:1].isupper() and not x.relational
                    and doc.words[x.first].para >= w.para - 3 and x.entity != cluster.id]
            return idx.cluster(orgs[-1]) if orgs else None
        if self._is_person_noun(w):
            return self._antecedent(head, "person", history)
        return None

    def _past_separator(self, m: Mention, cue: int) -> Mention:
        """A dateline, section label or photo credit the parser made the subject ("MILTON, Ont. — Justin
        Trudeau says", "EARNINGS: Samsung said", "(Photo / Paper) Accountant Jo Doe says"): the name after
        the last dash, colon, bracket or slash before the cue is the speaker."""
        doc = self.doc
        if m.last >= cue or doc.words[m.last].sent != doc.words[cue].sent:
            return m
        seps = [k for k in range(m.last + 1, cue) if doc.words[k].text in ("—", "–", ":", ")", "/")]
        if not seps:
            return m
        after = [x for x in self.idx.mentions if x.named and seps[-1] < x.first and x.last < cue
                 and x.type in ("PERSON", "ORG") and not x.relational]
        return max(after, key=lambda x: x.last) if after else m

    def _apposed_name(self, m: Mention, cue: int) -> Mention:
        """"Jo Doe, director of studies at the Centre for X, said": when the parse makes a word of the
        description the subject, the person named right before the description is the speaker."""
        doc = self.doc
        if m.type == "PERSON" and m.named or m.last >= cue:
            return m
        sent = doc.words[cue].sent
        people = [x for x in self.idx.mentions if x.type == "PERSON" and x.named and x.last < m.first
                  and doc.words[x.first].sent == sent and x.first not in self.quoted and not x.relational
                  and x.last + 1 < len(doc.words) and doc.words[x.last + 1].text == ","]
        if not people:
            return m
        x = max(people, key=lambda p: p.last)
        k = cue - 1
        while k > x.last and doc.words[k].upos == "ADV":
            k -= 1
        if doc.words[k].text != ",":
            return m  # an apposition is closed by a comma before the verb; "In Chelsea, the mayor said" is not
        between = range(x.last + 1, cue)
        # a relative clause inside the description has verbs of its own ("Jo Doe, the head of the
        # council, which represents the towns, urged …"); any other verb makes a clause of its own
        relative = next((k for k in between if doc.words[k].lemma in ("who", "which", "whose")
                         and doc.words[k - 1].text == ","), cue)
        if any(k < relative and (doc.words[k].upos == "AUX" or doc.words[k].upos == "VERB" and
                                 doc.words[k].feat("VerbForm") == "Fin") or k in self.quoted for k in between):
            return m
        return x

    def _named(self, m: Mention) -> bool:
        """Whether a mention is a name the NER layer found (not a description the rules added)."""
        return m.named and bool(m.name_words) and m.name_words[-1][:1].isupper()

    def resolve_pronoun(self, pron: int, history: list[Item]) -> Cluster | None:
        """Nearest compatible antecedent: a recent speaker, else the latest subject mention before it."""
        return self._antecedent(pron, self.doc.words[pron].lemma, history)

    def _antecedent(self, pron: int, lemma: str, history: list[Item]) -> Cluster | None:
        """The antecedent of a pronoun (``lemma`` he/she/they/it) or of a person description ("person")
        at word ``pron``."""
        doc, idx = self.doc, self.idx
        want = {"he": ("PERSON",), "she": ("PERSON",), "they": ("ORG", "GROUP", "PERSON"), "it": ("ORG",),
                "person": ("PERSON",)}.get(lemma)
        if want is None:
            return None
        gender = {"he": "M", "she": "F"}.get(lemma)
        pstart = doc.words[pron].start
        para = doc.words[pron].para

        def ok(c: Cluster) -> bool:
            if c.type not in want:
                return False
            if lemma == "they" and c.type == "PERSON":
                return False
            if lemma == "person" and not any(x.name_words and x.name_words[-1][:1].isupper() for x in c.mentions):
                return False  # a description refers back to someone named
            if lemma in ("he", "she") and not any(x.named or doc.words[x.last].upos == "PROPN" or
                                                  self._is_person_noun(doc.words[x.last]) for x in c.mentions):
                return False  # "the complaint" was typed a person only for want of a better type
            return not (gender and c.gender and c.gender != gender)

        cands = sorted((m for m in idx.mentions if m.end <= pstart and m.first not in self.quoted
                        and not m.relational and doc.words[m.first].para >= para - 3 and ok(idx.cluster(m))),
                       key=lambda m: m.start)
        last_speaker = next((it for it in reversed(history) if it.cluster is not None and it.start < pstart), None)
        subjects = [m for m in cands if self._is_subject(m)]
        # A person the text has just introduced by full name in the narrative sentence before is who a
        # following "he said" is about, even as an object ("… results for accountant Jo Doe. “…,” she
        # says"): news introduces a new voice right before quoting it. (Earlier in the pronoun's own
        # sentence, a full name is rather someone else: "Asked what he would tell Mayor Jo Doe, he said".)
        window = self._lead_up(doc.words[pron].sent)
        introduced = [m for m in cands if m.type == "PERSON" and len(m.name_words) >= 2 and m.named
                      and doc.words[m.first].sent in window and self._newly_named(m)
                      and doc.words[m.last].deprel != "nmod:poss" and not self._credit_like(m)]
        if last_speaker is not None and ok(last_speaker.cluster) and last_speaker.para >= para - 2:  # type: ignore[arg-type]
            # a different entity introduced as a subject since that quote takes over
            later = [m for m in subjects + introduced
                     if m.start > last_speaker.end and m.entity != last_speaker.cluster.id]  # type: ignore[union-attr]
            if not later:
                return last_speaker.cluster
        if introduced and (not subjects or introduced[-1].start > subjects[-1].start):
            return idx.cluster(introduced[-1])
        if subjects:
            return idx.cluster(subjects[-1])
        if cands:
            return idx.cluster(cands[-1])
        if last_speaker is not None and ok(last_speaker.cluster):  # type: ignore[arg-type]
            return last_speaker.cluster
        return None

    def _relative_head(self, pron: int) -> int | None:
        """The noun a relative clause hangs on, for its relative pronoun ``pron``."""
        doc = self.doc
        v = doc.words[pron].head
        while v >= 0 and doc.words[v].deprel not in ("acl:relcl", "acl") and doc.words[v].deprel.split(":")[0] in (
                "xcomp", "conj", "ccomp"):
            v = doc.words[v].head
        if v < 0 or doc.words[v].deprel not in ("acl:relcl", "acl"):
            return None
        head = doc.words[v].head
        return head if head >= 0 and doc.words[head].upos in ("NOUN", "PROPN") and head not in self.quoted else None

    def _narrated_subject(self, after: int, quote_start: int) -> Mention | None:
        """"Durning did not need much coaxing. “I’m thankful …”": a named person who is the subject of
        the narrative sentence right before a quotation that has no cue (and after the previous quote)
        is who speaks it, rather than the earlier speaker."""
        doc = self.doc
        k = doc.word_before(quote_start)
        while k is not None and k >= 0 and (k in self.quoted or doc.words[k].upos == "PUNCT"):
            k -= 1
        if k is None or k < 0 or doc.words[k].start < after:
            return None
        first, last = doc.sents[doc.words[k].sent]
        if doc.words[first].start < after or any(j in self.quoted for j in range(first, last + 1)) or \
                doc.words[first].para < doc.para_of(quote_start) - 1:
            return None
        root = next((j for j in range(first, last + 1) if doc.words[j].deprel == "root"), None)
        if root is None:
            return None
        for c in doc.kids(root, "nsubj"):
            m = self.idx.mention_covering(c, c)
            if m is not None and m.type == "PERSON" and m.named and not m.relational:
                return m
        return None

    def _credit_like(self, m: Mention) -> bool:
        """A possessive or a name in brackets or before a slash: a photo credit, a byline, an owner."""
        doc = self.doc
        after = doc.words[m.last + 1].text if m.last + 1 < len(doc.words) else ""
        before = doc.words[m.first - 1].text if m.first > 0 else ""
        return after in ("'s", "’s", "/", ")") or before in ("(", "/")

    def _first_mention(self, m: Mention) -> bool:
        """Whether ``m`` is the first time the article names its entity."""
        return all(x.start >= m.start for x in self.idx.cluster(m).mentions)

    def _newly_named(self, m: Mention) -> bool:
        """Whether ``m`` (re)introduces its entity: nothing in the ``INTRODUCTION_GAP`` sentences before it
        names the entity. A photo caption at the top of the page, or a first appearance long before,
        does not make a later full-name introduction old news."""
        sent = self.doc.words[m.first].sent
        return not any(x.start < m.start and sent - INTRODUCTION_GAP <= self.doc.words[x.first].sent
                       for x in self.idx.cluster(m).mentions)

    def _lead_up(self, sent: int) -> set[int]:
        """The narrative sentence before sentence ``sent``, skipping sentences that are quoted speech
        throughout; one more when that one opens in lower case, a piece of a sentence the tokenizer broke
        (after "lbs." and the like)."""
        doc, out, k = self.doc, set(), sent - 1
        while k >= 0:
            first, last = doc.sents[k]
            if all(j in self.quoted or doc.words[j].upos == "PUNCT" for j in range(first, last + 1)):
                k -= 1
                continue
            out.add(k)
            opener = next((doc.words[j].text for j in range(first, last + 1) if doc.words[j].text[:1].isalpha()), "")
            if not opener[:1].islower() or len(out) > 1:
                break
            k -= 1
        return out

    def _is_subject(self, m: Mention) -> bool:
        """Whether a mention is the subject of its clause: by the parse, or by word order in a sentence
        left unparsed (selective parsing skips sentences without a cue) or whose main verb the parser
        left without a subject."""
        doc = self.doc
        if any(doc.words[i].deprel.startswith("nsubj") for i in range(m.first, m.last + 1)):
            return True
        first, last = doc.sents[doc.words[m.first].sent]
        root = next((k for k in range(first, last + 1) if doc.words[k].deprel == "root"), None)
        if root is not None and doc.kids(root, "nsubj", "csubj"):
            return False
        # Unparsed, or parsed without a subject for its main verb: "Down the street, Jo Doe also
        # rejoiced …": the name opens the sentence (or follows an opening phrase closed by a comma, with
        # no verb in it) and a verb follows it
        before = range(first, m.first)
        if before and (doc.words[m.first - 1].text != "," or any(
                doc.words[k].upos in ("VERB", "AUX") for k in before)):
            return False
        k = m.last + 1
        while k <= last and doc.words[k].upos == "ADV":
            k += 1
        return k <= last and doc.words[k].upos in ("VERB", "AUX")

    def attribute(self, items: list[Item]) -> None:
        doc = self.doc
        history: list[Item] = []
        for it in items:
            f = it.frame
            if f is not None and f.source is not None:
                w = doc.words[f.source]
                if w.upos == "PRON" and w.lemma in PRONOUNS:
                    it.mention = (w.start, w.end, w.text)
                    it.cluster = self.resolve_pronoun(f.source, history)
                    it.rule = "pronoun" if it.cluster is not None else "none"
                    if it.cluster is not None and w.lemma in ("he", "she") and it.cluster.gender is None:
                        it.cluster.gender = "M" if w.lemma == "he" else "F"
                elif w.upos == "PRON" and w.lemma in ("who", "which", "that") and self._relative_head(f.source):
                    # "an architect who said …": the relative pronoun is the cue's subject (the mention,
                    # as "he" would be); the noun it hangs on is the speaker
                    it.mention = (w.start, w.end, w.text)
                    m = self.source_mention(self._relative_head(f.source))  # type: ignore[arg-type]
                    it.cluster = self.idx.cluster(m) if m is not None else None
                    it.rule = "relative-pronoun" if it.cluster is not None else "none"
                else:
                    m = self.source_mention(f.source)
                    if m is not None:
                        m = self._apposed_name(self._past_separator(m, f.cue_first), f.cue_first)
                        it.mention = (m.start, m.end, m.text)
                        it.cluster = self.refer(f.source, m, history) or self.idx.cluster(m)
            elif it.inherit:
                prev = next((h for h in reversed(history) if h.cluster is not None), None)
                between = self._narrated_subject(prev.end if prev is not None else 0, it.start)
                if between is not None and (prev is None or between.entity != prev.cluster.id):  # type: ignore[union-attr]
                    it.cluster = self.idx.cluster(between)
                    it.rule = "previous-sentence-subject"
                elif prev is not None and (it.rule == "same-paragraph" and prev.para == it.para
                                           or prev.para >= it.para - 3):
                    it.cluster = prev.cluster
                else:
                    it.rule = "none"
            history.append(it)

    # --- output -------------------------------------------------------------------------------

    def entities(self) -> list[Entity]:
        out = []
        for c in self.idx.clusters:
            roles = self._roles.get(c.id, [])
            out.append(Entity(c.id, c.name, c.type,  # type: ignore[arg-type]
                              [(m.start, m.end) for m in c.mentions], c.aliases, roles))
        return out

    def quotes(self, items: list[Item]) -> list[Quote]:
        doc, text = self.doc, self.text
        out = []
        for it in items:
            c = it.cluster
            role = next((r for r in self._roles.get(c.id, []) if r.title and r.affiliation), None) if c else None
            role = role or (next((r for r in self._roles.get(c.id, []) if r.title), None) if c else None)
            f = it.frame
            cue = cue_s = cue_e = None
            if f is not None and it.rule not in ("same-paragraph", "inherited"):
                cue, cue_s, cue_e = f.cue_text(doc), doc.words[f.cue_first].start, doc.words[f.cue_last].end
            mention = it.mention if f is not None else None
            conf = RULE_CONFIDENCE.get(it.rule if c is not None else "none", 0.5)
            if it.kind == "indirect":
                conf *= 0.9
            q = Quote(start=it.start, end=it.end, content=text[it.start:it.end], kind=it.kind,  # type: ignore[arg-type]
                      speaker=c.name if c else None, speaker_type=c.type if c else None,  # type: ignore[arg-type]
                      speaker_mention=mention[2] if mention else None,
                      speaker_start=mention[0] if mention else None, speaker_end=mention[1] if mention else None,
                      cue=cue, cue_start=cue_s, cue_end=cue_e,
                      role=role.title if role else None, affiliation=role.affiliation if role else None,
                      confidence=round(conf, 3), rule=it.rule if c is not None else "none",
                      entity_id=c.id if c else None, fragments=it.fragments)
            q.claims = claims_for(doc, q)
            out.append(q)
        return _drop_overlaps(out)


def _drop_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Keep quotes disjoint: a quote overlapping an earlier, longer one is dropped."""
    out: list[Quote] = []
    for q in sorted(quotes, key=lambda q: (-(q.end - q.start), q.start)):
        if all(q.end <= o.start or q.start >= o.end for o in out):
            out.append(q)
    return sorted(out, key=lambda q: q.start)


def extract_from_doc(text: str, stanza_doc: Any) -> tuple[list[Quote], list[Entity]]:
    """Quotes and entities of one parsed article."""
    if not text.strip() or not stanza_doc.sentences:
        return [], []
    eng = _Engine(text, stanza_doc)
    eng.infer_genders()
    eng.register_nominal_subjects()
    items = eng.items()
    eng.attribute(items)
    return eng.quotes(items), eng.entities()
