"""The mention a cue's source word stands for, read off the phrase around it.

These are the building blocks of the mention sieves in :mod:`attribution.speakers.sieves`: the phrase a source
word heads, the names inside it, and the names the NER layer missed that the article still makes plain
(a family name alone, a title and a name, the short name of an organisation, a title the article gave
one person). Mentions found here and not by the NER layer are added to the entity index.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..text.predicates import is_finite_verb, is_possessive_mark, is_relative_pronoun, is_title_word, title_words
from ..types import RoleFact
from ..wordlists import words
from .context import Context
from .entities import HONORIFICS, Mention, family_words, normalise
from .gender import gendered_nouns

#: Relations whose subtrees are not part of a source's noun phrase.
_NOT_IN_PHRASE = frozenset({"advcl", "parataxis", "conj", "cc", "punct", "ccomp", "dep", "appos", "case", "mark"})


@dataclass(frozen=True)
class SourcePhrase:
    """A source word and the phrase it heads.

    ``run`` is the run of name-like words around the head ("Sharks head coach Peter DeBoer");
    ``phrase`` the head's subtree without clauses, conjuncts and appositions; ``first``..``last`` that
    phrase up to the first comma or dash after the head; ``nominal`` whether the phrase can be a
    description of its own (a noun, or "my four-year-old").
    """

    head: int
    run: tuple[int, int]
    phrase: frozenset[int]
    first: int
    last: int
    nominal: bool


def source_phrase(ctx: Context, head: int) -> SourcePhrase:
    """The phrase a source word heads."""
    doc = ctx.doc
    w = doc.words[head]
    exclude = {c for c in w.children if doc.words[c].deprel == "acl:relcl" or
               doc.words[c].deprel.split(":")[0] in _NOT_IN_PHRASE}
    phrase = doc.subtree(head, exclude=exclude)
    if w.deprel in ("amod", "compound") and w.head > head:
        # a parse that made the source modify the next word ("The Israeli military said soldiers …"):
        # its phrase is the noun phrase that ends with it, read linearly
        k = head
        while k - 1 >= doc.sents[w.sent][0] and doc.words[k - 1].upos in ("DET", "ADJ", "NOUN", "PROPN"):
            k -= 1
        phrase = list(range(k, head + 1))
    cues = [k for k in range(min(phrase), head) if doc.words[k].lemma in ctx.lex.verbs and
            doc.words[k].upos in ("VERB", "ADJ")]
    if cues:  # "The Israeli military said soldiers": a verb of saying the parse took for a modifier
        phrase = [k for k in phrase if k > cues[-1]]
    first, last = min(phrase), max(phrase)
    for j in range(head, last + 1):  # stop at the first comma after the head (an apposition or clause)
        if doc.words[j].text in (",", "–", "—", "(") and j > head:
            last = j - 1
            break
    hyphenated = w.upos == "ADJ" and head > 0 and doc.words[head - 1].text == "-"  # "my four-year-old"
    # "an aid official told …", "Israel's military said …": an adjective used as a noun (a title, or a
    # subject or object of its own) heads a description too
    as_noun = w.upos == "ADJ" and (is_title_word(w) or w.deprel.startswith(("nsubj", "obj", "obl"))
                                   or w.lemma in words("org_nouns"))
    return SourcePhrase(head, noun_run(ctx, head), frozenset(phrase), first, last,
                        w.upos in ("NOUN", "PROPN") or hyphenated or as_noun)


def noun_run(ctx: Context, head: int) -> tuple[int, int]:
    """The run of name-like words around a head ("Sharks head coach Peter DeBoer")."""
    doc = ctx.doc
    sent_first, sent_last = doc.sents[doc.words[head].sent]

    def inside(k: int) -> bool:
        w = doc.words[k]
        return k not in ctx.quoted and (w.upos in ("PROPN", "NOUN", "ADJ", "NUM") or w.text in ("'s", "’s", ".")
                                        and w.upos == "PART")

    a = b = head
    while a - 1 >= sent_first and inside(a - 1):
        a -= 1
    while b + 1 <= sent_last and inside(b + 1):
        b += 1
    return a, b


def possessor_of(ctx: Context, m: Mention, head: int) -> bool:
    """"Trudeau's office said": the person owns the head noun that speaks, and is not the speaker (but
    "her statement read", "according to Foster's book": a document speaks for its author)."""
    doc = ctx.doc
    k = m.last + 1
    return m.last < head and doc.words[head].upos == "NOUN" and doc.words[head].lemma not in words(
        "document_nouns") and (doc.words[m.last].text.endswith(("'s", "’s")) or
                               k < len(doc.words) and is_possessive_mark(doc.words[k]))


def surname_alone(ctx: Context, head: int) -> Mention | None:
    """"says House" after "artistic director Christopher House": a capitalised word alone that is the
    family name of a person named in full before is that person, even where the NER layer missed it
    and the word is also a common noun or adjective ("House", "Major", "Young"). Of two people who
    share the name, the one named in full last, as the NER-time surname link does."""
    doc, idx = ctx.doc, ctx.idx
    w = doc.words[head]
    if not (w.text[:1].isupper() and w.text[1:].islower() and w.text.isalpha()) or head in ctx.quoted:
        return None
    if any(doc.words[c].upos not in ("PUNCT", "DET") and doc.words[c].text.lower() not in HONORIFICS
           for c in w.children if doc.words[c].deprel.split(":")[0] in ("compound", "amod", "flat", "det")):
        return None  # "the Opera House", "Green Party": more than a family name
    key = normalise(w.text)
    full = [x for x in idx.mentions if x.type == "PERSON" and x.named and len(x.name_words) >= 2
            and x.end <= w.start and family_words(x.name_words)[-1] == key and not x.relational]
    if not full:
        return None
    m = Mention(head, head, w.start, w.end, w.text, "PERSON", [w.text], named=True)
    idx.attach(m, idx.cluster(max(full, key=lambda x: x.start)))
    return m


def short_name(ctx: Context, first: int, last: int) -> Mention | None:
    """"the Rockets" after "the Kelowna Rockets": capitalised words that end (or begin) the name of
    exactly one organisation named before are that organisation, whatever the NER layer made of them."""
    doc, idx = ctx.doc, ctx.idx
    names = [normalise(doc.words[k].text) for k in range(first, last + 1)
             if doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper()]
    if not names or len(names) != sum(1 for k in range(first, last + 1) if doc.words[k].upos != "DET"):
        return None
    start = doc.words[first].start
    found = idx.orgs_whose_name(names, begins=True, before=start)
    if len(found) != 1:
        return None
    target = idx.clusters[found.pop()]
    m = Mention(first, last, start, doc.words[last].end, doc.span_text(first, last), target.type,
                [doc.words[k].text for k in range(first, last + 1) if doc.words[k].upos != "DET"])
    idx.attach(m, target)
    return m


def name_after_title(ctx: Context, first: int, last: int) -> Mention | None:
    """"Town clerk Benedict Harrow": capitalised words after a lower-case title are a person's name,
    even when the NER model missed them or typed them as a place; the title becomes the role."""
    doc, idx = ctx.doc, ctx.idx
    k = last
    while k >= first and doc.words[k].upos == "PROPN" and doc.words[k].text[:1].isupper():
        k -= 1
    if last - k < 2 or k < first or not doc.words[k].text[:1].islower() or doc.words[k].upos != "NOUN":
        return None
    m = idx.add_mention(k + 1, last, "PERSON")
    title_first = first
    while title_first < k and doc.words[title_first].upos == "DET":
        title_first += 1
    assert m.entity is not None
    ctx.add_role(m.entity, RoleFact(doc.span_text(title_first, k), None, doc.words[first].start, m.end,
                                    "title-before"))
    return m


def described_person(ctx: Context, head: int) -> Mention | None:
    """"said Maria Gonzalez, a spokesperson for …": a description set off after a name is that person."""
    doc, idx = ctx.doc, ctx.idx
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
    if j >= 1 and doc.words[j].text == "," and j - 1 not in ctx.quoted:
        m = idx.mention_covering(j - 1, j - 1)
        if m is not None and m.type == "PERSON" and m.last == j - 1:
            return m
    return None


def with_conjuncts(ctx: Context, m: Mention, head: int) -> Mention:
    """"Charles Glynn and Richard Jones", "Mayor Clara Oduya and councillor Ivo Marsh": people named
    together, coordinated with the source, speak as one group."""
    doc = ctx.doc
    people = [m]
    heads = {head, *range(m.first, m.last + 1)}
    for c in sorted({c for h in heads for c in doc.kids(h, "conj")}):
        inside = set(doc.subtree(c))
        found = [x for x in ctx.idx.mentions if x.type == "PERSON" and x.named and x.first in inside
                 and x.first > people[-1].last and x.entity != m.entity]
        if found and _joined_by_and(ctx, people[-1], min(found, key=lambda x: x.first)):
            people.append(min(found, key=lambda x: x.first))
    if len(people) == 1 or any(k in ctx.quoted for k in range(m.first, people[-1].last + 1)):
        return m
    return ctx.idx.add_group(people)


def _joined_by_and(ctx: Context, a: Mention, b: Mention) -> bool:
    """Whether only "and" or a comma, and a title, stand between two names ("Clara Oduya and councillor
    Ivo Marsh"), not a description ("Cecil Foster, author of the book They Call Me George")."""
    between = ctx.doc.words[a.last + 1:b.first]
    return 0 < len(between) <= 3 and any(w.lemma == "and" or w.text == "," for w in between) and all(
        w.lemma == "and" or w.text == "," or w.text.lower() in title_words() for w in between)


def title_holder(ctx: Context, head: int) -> Mention | None:
    """"the mayor said": the one person the article gave that title before; "the authority said": the
    one organisation named before whose name ends with that noun."""
    doc, idx = ctx.doc, ctx.idx
    w = doc.words[head]
    if not definite_singular_noun(ctx, head):
        return None
    owners = {cid for cid, facts in titled(ctx, head).items() if any(f.end <= w.start for f in facts)}
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


def definite_singular_noun(ctx: Context, head: int) -> bool:
    """"the mayor", "the authority": a singular common noun with "the", which refers back to one
    entity the article has named rather than introducing someone."""
    w = ctx.doc.words[head]
    return w.upos == "NOUN" and w.feat("Number") != "Plur" and \
        any(ctx.doc.words[c].lemma == "the" for c in ctx.doc.kids(head, "det"))


def titled(ctx: Context, head: int) -> dict[int, list[RoleFact]]:
    """The entities the article gives the title that noun ``head`` names ("mayor" of "the mayor"), each
    with those role facts (where the article states them)."""
    w = ctx.doc.words[head]
    found: dict[int, list[RoleFact]] = {}
    for cid, facts in ctx.roles.items():
        for f in facts:
            if f.title and _title_head(f.title) in (w.lemma, w.text.lower()):
                found.setdefault(cid, []).append(f)
    return found


def _title_head(title: str) -> str:
    """The noun a title is named by: "spokesman" of "chief spokesman", "director" of "director of
    operations"."""
    return title.lower().split(" of ")[0].split()[-1]


def description(ctx: Context, src: SourcePhrase) -> Mention:
    """The source phrase as a mention of its own: a group for a plural ("officials"), an organisation for
    an organisation noun ("the ministry"), else a person ("a local shopkeeper"), whose gendered noun
    says their sex ("a Marine spokeswoman" is never "he")."""
    w = ctx.doc.words[src.head]
    etype = "GROUP" if w.feat("Number") == "Plur" else "ORG" if w.lemma in words("org_nouns") else "PERSON"
    m = ctx.idx.add_mention(src.first, src.last, etype)
    gender = gendered_nouns().get(w.text.lower()) if etype == "PERSON" else None
    if gender and ctx.idx.cluster(m).gender is None:
        ctx.idx.cluster(m).gender = gender
    return m


def past_separator(ctx: Context, m: Mention, cue: int) -> Mention:
    """A dateline, section label or photo credit the parser made the subject ("MILTON, Ont. — Justin
    Trudeau says", "EARNINGS: Samsung said", "(Photo / Paper) Accountant Jo Doe says"): the name after
    the last dash, colon, bracket or slash before the cue is the speaker."""
    doc = ctx.doc
    if m.last >= cue or doc.words[m.last].sent != doc.words[cue].sent:
        return m
    seps = [k for k in range(m.last + 1, cue) if doc.words[k].text in ("—", "–", ":", ")", "/")]
    if not seps:
        return m
    after = [x for x in ctx.idx.mentions if x.named and seps[-1] < x.first and x.last < cue
             and x.type in ("PERSON", "ORG") and not x.relational]
    return max(after, key=lambda x: x.last) if after else m


def apposed_name(ctx: Context, m: Mention, cue: int) -> Mention:
    """"Jo Doe, director of studies at the Centre for X, said": when the parse makes a word of the
    description the subject, the person named right before the description is the speaker."""
    doc = ctx.doc
    if m.type == "PERSON" and m.named or m.last >= cue:
        return m
    sent = doc.words[cue].sent
    people = [x for x in ctx.idx.mentions if x.type == "PERSON" and x.named and x.last < m.first
              and doc.words[x.first].sent == sent and x.first not in ctx.quoted and not x.relational
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
    relative = next((k for k in between if is_relative_pronoun(doc.words[k]) and doc.words[k - 1].text == ","), cue)
    if any(k < relative and (doc.words[k].upos == "AUX" or doc.words[k].upos == "VERB" and is_finite_verb(doc.words[k]))
           or k in ctx.quoted for k in between):
        return m
    return x
