"""Who said it: each quote's speaker, decided by ordered lists of named sieves.

This is the design of CoreNLP's quote attribution (Muzny et al., 2017, "A Two-stage Sieve Approach for
Quote Attribution"): each sieve is a small function that either decides or passes on to the next, and
the order is data -- the lists below, which a reader can scan. Every sieve that decides is named in the
quote's ``rule_trace``. Two stages run over the quotes, in this order:

1. **Speaker sieves** (:data:`SPEAKER_SIEVES`), for quotes a speech frame attributes: who the cue's
   source word is. A source word that is a name or a description goes through :data:`MENTION_SIEVES`,
   which find the mention it stands for.
2. **Reference sieves** (:data:`REFERENCE_SIEVES`), in text order, with the speakers decided so far:
   pronouns, definite descriptions and quotes without a cue that continue an earlier speaker.

A quote's ``rule`` is the rule that links it to its speaker: the frame's source rule for a cue's
source (``cue-subject``, ``according-to``, ...), else the deciding reference sieve (``pronoun``,
``relative-pronoun``, ``previous-sentence-subject``, ``same-paragraph``, ``inherited``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..text.predicates import is_relative_pronoun, is_speech_pronoun
from ..wordlists import words
from .assembly import Item
from .context import Context
from .coreference import narrated_subject, refer, relative_head, resolve_pronoun
from .entities import Cluster, Mention
from .mentions import (
    SourcePhrase,
    apposed_name,
    described_person,
    description,
    name_after_title,
    noun_run,
    past_separator,
    possessor_of,
    short_name,
    source_phrase,
    surname_alone,
    title_holder,
    with_conjuncts,
)


@dataclass(frozen=True)
class Sieve:
    """A named step that decides or passes on."""

    name: str
    decide: Callable[..., object]


@dataclass
class Decision:
    """What a speaker or reference sieve decided for a quote."""

    cluster: Cluster | None
    rule: str | None = None  # None: the quote keeps its rule
    mention: Mention | None = None  # the mention the text attaches to the quote, when it changes
    mention_span: tuple[int, int, str] | None = None
    source: Mention | None = None  # the source word's mention, for the reference stage
    notes: list[str] = field(default_factory=list)


# --- mention sieves: which mention a source word stands for ------------------------------------------

def name_in_source_run(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"Sharks head coach Peter DeBoer said", "the Taliban's chief spokesman Zabihullah Mujahid said": a
    person named in the run of name-like words around the source, the one nearest the verb's end of the
    run, wins over an organisation that only qualifies it (and over an owner: "Kim's spokesman")."""
    a, b = src.run
    people = [m for m in ctx.idx.mentions if m.type == "PERSON" and a <= m.first <= b and not m.relational
              and m.first not in ctx.quoted and not possessor_of(ctx, m, src.head)]
    if not people:
        return None
    person = max(people, key=lambda m: m.last)
    return body_named_after(ctx, person, src.head) or person


def known_mention(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"The Taliban warned …", "The mayor said …": the mention the entity stage found at the source word
    (a name the NER layer tagged, or a subject registered as a description)."""
    return ctx.idx.mention_covering(src.head, src.head)


def family_name_alone(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"says House" after "artistic director Christopher House", where the NER layer missed "House"."""
    return surname_alone(ctx, src.head)


def person_before_description(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"said Maria Gonzalez, a spokesperson for …": the person a description is set off after."""
    return described_person(ctx, src.head)


def person_in_apposition(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"Spindler's father, Joseph, said": the person named in apposition to a common noun (with the people
    coordinated with them: "Charles Glynn and Richard Jones")."""
    for c in ctx.doc.kids(src.head, "appos"):
        m = ctx.idx.mention_covering(c, c)
        if m is not None and m.type == "PERSON":
            return with_conjuncts(ctx, m, c)
    return None


def person_in_source_phrase(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"spokesman Zabihullah Mujahid said": the name the head noun introduces, not a possessor."""
    doc = ctx.doc
    people = [m for m in ctx.idx.mentions if m.type == "PERSON" and m.first in src.phrase and
              doc.words[m.first].deprel.split(":")[0] in ("flat", "appos", "compound", "nsubj", "nmod") and
              not m.relational and not possessor_of(ctx, m, src.head)]
    people.sort(key=lambda m: (doc.words[m.first].deprel == "nmod:poss", abs(m.first - src.head)))
    return people[0] if people else None


def organisation_in_source_phrase(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"Freedonia's state-run FNA news agency said": the organisation the head noun names, not its
    possessor -- when the head is a noun for an organisation ("the WHL commissioner", "Surrey staff" are
    people of the organisation, not the organisation)."""
    doc = ctx.doc
    head = doc.words[src.head]
    if not ({head.lemma, head.text.lower()} & (words("org_nouns") | words("body_nouns") | words("anaphoric_org_nouns"))
            or head.upos == "PROPN"):
        return None
    orgs = [m for m in ctx.idx.mentions if m.type == "ORG" and m.first in src.phrase and
            doc.words[m.first].deprel.split(":")[0] in ("compound", "flat")]
    if not orgs:
        return None
    org = min(orgs, key=lambda m: any(doc.words[k].deprel == "nmod:poss" for k in range(m.first, m.last + 1)))
    return body_named_after(ctx, org, src.head) or org


def body_named_after(ctx: Context, org: Mention, head: int) -> Mention | None:
    """"The Hollis campaign said", "the BTA news agency said": a body that a name (of a person or an
    organisation) only qualifies -- a lower-case noun for a body after the name, with nothing but
    lower-case nouns between -- is that body, named by the whole phrase as written, not the name."""
    doc = ctx.doc
    w = doc.words[head]
    if not (org.last < head and w.upos == "NOUN" and w.text.islower() and w.lemma in words("body_nouns")
            and doc.words[org.last].deprel == "compound" and doc.words[org.last].head == head
            and all(doc.words[k].upos == "NOUN" and doc.words[k].text.islower() for k in range(org.last + 1, head))):
        return None
    first = org.first - 1 if org.first > 0 and doc.words[org.first - 1].text.lower() == "the" else org.first
    return ctx.idx.add_mention(first, head, "ORG")


def one_of_a_group(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"one of the players said": a person picked out of a group, named by the whole phrase."""
    doc = ctx.doc
    w = doc.words[src.head]
    if not (w.upos == "NUM" and w.text.lower() == "one" and doc.kids(src.head, "nmod")):
        return None
    end = max(k for k in src.phrase if doc.words[k].upos != "PUNCT")
    return ctx.idx.add_mention(min(src.phrase), end, "PERSON")


def title_given_before(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"the mayor said" after "Mayor Doug McCallum": the one person the article gave that title."""
    return title_holder(ctx, src.head)


def name_after_lower_case_title(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"Town clerk Benedict Harrow said": capitalised words after a lower-case title, NER or not."""
    return name_after_title(ctx, src.first, src.last) if src.nominal else None


def short_organisation_name(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"the Rockets said" after "the Kelowna Rockets": the one organisation whose name ends so."""
    return short_name(ctx, src.first, src.last) if src.nominal else None


def own_description(ctx: Context, src: SourcePhrase) -> Mention | None:
    """"officials said", "a local shopkeeper said", "the ministry said": the description itself."""
    return description(ctx, src) if src.nominal else None


#: Which mention a cue's source word stands for: the first sieve that finds one decides.
MENTION_SIEVES: tuple[Sieve, ...] = (
    Sieve("name-in-source-run", name_in_source_run),
    Sieve("known-mention", known_mention),
    Sieve("family-name-alone", family_name_alone),
    Sieve("person-before-description", person_before_description),
    Sieve("person-in-apposition", person_in_apposition),
    Sieve("person-in-source-phrase", person_in_source_phrase),
    Sieve("organisation-in-source-phrase", organisation_in_source_phrase),
    Sieve("one-of-a-group", one_of_a_group),
    Sieve("title-given-before", title_given_before),
    Sieve("name-after-lower-case-title", name_after_lower_case_title),
    Sieve("short-organisation-name", short_organisation_name),
    Sieve("own-description", own_description),
)


def source_mention(ctx: Context, head: int) -> tuple[Mention | None, str]:
    """The mention the source word at ``head`` stands for, and the mention sieve that found it."""
    src = source_phrase(ctx, head)
    for sieve in MENTION_SIEVES:
        m = sieve.decide(ctx, src)
        if m is not None:
            assert isinstance(m, Mention)
            return m, sieve.name
    return None, "none"


# --- speaker sieves: who the cue's source is ----------------------------------------------------------

def relative_pronoun(ctx: Context, it: Item) -> Decision | None:
    """"an architect who said …": the relative pronoun is the cue's subject (the mention, as "he" would
    be); the noun it hangs on is the speaker."""
    f = it.frame
    if f is None or f.source is None or not is_relative_pronoun(ctx.doc.words[f.source]) or \
            ctx.doc.words[f.source].upos != "PRON":
        return None
    head = relative_head(ctx, f.source)
    if head is None:
        return None
    w = ctx.doc.words[f.source]
    m, how = source_mention(ctx, head)
    cluster = ctx.idx.cluster(m) if m is not None else None
    return Decision(cluster, "relative-pronoun" if cluster is not None else "none",
                    mention_span=(w.start, w.end, w.text), notes=[f"mention:{how}"])


def cue_source(ctx: Context, it: Item) -> Decision | None:
    """"Zabihullah Mujahid said", "the company said", "“…,” said Ana Flores": the mention the source word
    stands for (:data:`MENTION_SIEVES`), past a dateline or label the parse took for the subject and
    back to a name a description was set off after."""
    f = it.frame
    if f is None or f.source is None or is_speech_pronoun(ctx.doc.words[f.source]):
        return None
    found, how = source_mention(ctx, f.source)
    if found is None:
        return Decision(None)
    notes = [f"mention:{how}"]
    if found.type == "PERSON" and found.named:
        group = with_conjuncts(ctx, found, f.source)
        if group is not found:
            found = group
            notes.append("mention:coordinated-people")
    m = past_separator(ctx, found, f.cue_first)
    if m is not found:
        notes.append("mention:past-separator")
    named = apposed_name(ctx, m, f.cue_first)
    if named is not m:
        notes.append("mention:name-before-description")
    return Decision(ctx.idx.cluster(named), mention=named, source=named, notes=notes)


#: Who a speech frame's source is, for quotes a frame attributes.
SPEAKER_SIEVES: tuple[Sieve, ...] = (
    Sieve("relative-pronoun", relative_pronoun),
    Sieve("cue-source", cue_source),
)


# --- reference sieves: pronouns, descriptions and inheritance ----------------------------------------

def pronoun(ctx: Context, it: Item, history: list[Item]) -> Decision | None:
    """"“…,” he said": the nearest compatible antecedent (:func:`attribution.speakers.coreference.antecedent`)."""
    f = it.frame
    if f is None or f.source is None or not is_speech_pronoun(ctx.doc.words[f.source]):
        return None
    w = ctx.doc.words[f.source]
    cluster, how = resolve_pronoun(ctx, f.source, history)
    return Decision(cluster, "pronoun" if cluster is not None else "none", mention_span=(w.start, w.end, w.text),
                    notes=[f"antecedent:{how}"])


def definite_description(ctx: Context, it: Item, history: list[Item]) -> Decision | None:
    """"the company said" after "Northwind Freight Inc.", "her statement read": the named entity a
    described source stands for, when the article makes it plain."""
    f = it.frame
    if f is None or f.source is None or it.source is None:
        return None
    cluster, how = refer(ctx, f.source, it.source, history)
    return Decision(cluster, notes=[f"description:{how}"]) if cluster is not None else None


def previous_sentence_subject(ctx: Context, it: Item, history: list[Item]) -> Decision | None:
    """"Durning did not need much coaxing. “I’m thankful …”": a quotation without a cue goes to the named
    subject of the narrative sentence right before it, when that is someone other than the last speaker."""
    if not it.inherit:
        return None
    prev = next((h for h in reversed(history) if h.cluster is not None), None)
    between = narrated_subject(ctx, prev.end if prev is not None else 0, it.start)
    if between is None or prev is not None and prev.cluster is not None and between.entity == prev.cluster.id:
        return None
    return Decision(ctx.idx.cluster(between), "previous-sentence-subject")


def continues_previous(ctx: Context, it: Item, history: list[Item]) -> Decision | None:
    """"“…,” said Jo Doe. “…”" and a quote-only paragraph after Jo Doe's: a quotation without a cue
    continues the last speaker, in its own paragraph after an attributed quotation (``same-paragraph``),
    or within three paragraphs (``inherited``)."""
    if not it.inherit:
        return None
    prev = next((h for h in reversed(history) if h.cluster is not None), None)
    if prev is not None and (it.rule == "same-paragraph" and prev.para == it.para or prev.para >= it.para - 3):
        return Decision(prev.cluster)
    return Decision(None, "none")


#: Pronouns, descriptions and inheritance, decided in text order with the speakers decided so far.
REFERENCE_SIEVES: tuple[Sieve, ...] = (
    Sieve("pronoun", pronoun),
    Sieve("definite-description", definite_description),
    Sieve("previous-sentence-subject", previous_sentence_subject),
    Sieve("continues-previous", continues_previous),
)


def _apply(it: Item, stage: str, sieve: Sieve, d: Decision) -> None:
    it.cluster = d.cluster
    if d.rule is not None:
        it.rule = d.rule
    if d.mention is not None:
        it.mention = (d.mention.start, d.mention.end, d.mention.text)
    if d.mention_span is not None:
        it.mention = d.mention_span
    if d.source is not None:
        it.source = d.source
    it.trace += [f"{stage}:{sieve.name}", *d.notes]


def decide_speakers(ctx: Context, items: list[Item]) -> None:
    """Who the cue's source is, for every quote a frame attributes (stage 1, :data:`SPEAKER_SIEVES`)."""
    for it in items:
        for sieve in SPEAKER_SIEVES:
            d = sieve.decide(ctx, it)
            if d is not None:
                assert isinstance(d, Decision)
                _apply(it, "speaker", sieve, d)
                break


def resolve_references(ctx: Context, items: list[Item]) -> None:
    """Pronouns, descriptions and inheritance, in text order (stage 2, :data:`REFERENCE_SIEVES`)."""
    history: list[Item] = []
    for it in items:
        for sieve in REFERENCE_SIEVES:
            d = sieve.decide(ctx, it, history)
            if d is not None:
                assert isinstance(d, Decision)
                _apply(it, "reference", sieve, d)
                break
        history.append(it)


__all__ = ["MENTION_SIEVES", "REFERENCE_SIEVES", "SPEAKER_SIEVES", "Decision", "Sieve", "decide_speakers",
           "noun_run", "resolve_references", "source_mention"]
