"""Who a pronoun, a description or a quotation without a cue refers to.

* Pronouns ("he said") take the nearest compatible antecedent: the recent speaker unless another entity
  was introduced as a subject since; a person just introduced by full name in the narrative sentence
  before (news introduces a new voice right before quoting it); else the latest subject, else the latest
  mention. Compatible means type, number and the gender the article gives (:mod:`attribution.speakers.gender`).
* Definite descriptions are anaphoric (the "definite NP" step of deterministic coreference sieves): "the
  company said" is the organisation just named, "the rookie defenceman said" the person the text is
  about; a document speaks for its author ("her statement read", "a release said" after an organisation
  spoke). Indefinite and plural descriptions ("a spokesperson", "officials") stay as they are.
* A quotation without a cue, right after a narrative sentence whose subject is another named person, is
  that person's ("Durning did not need much coaxing. “I’m thankful …”").
"""

from __future__ import annotations

from ..parsing.document import PERSON_TYPES
from ..text.predicates import is_common_person_noun, is_title_word
from ..wordlists import mapping, words
from .assembly import Item
from .context import Context
from .entities import Cluster, Mention
from .mentions import definite_singular_noun, titled

#: Sentences before a full-name mention free of its entity for the mention to count as introducing it.
INTRODUCTION_GAP = 8
#: Entity types a pronoun (or a person description, "person") may refer to.
WANTED_BY_PRONOUN = {"he": ("PERSON",), "she": ("PERSON",), "they": ("ORG", "GROUP", "PERSON"), "it": ("ORG",),
           "person": ("PERSON",)}


def named(m: Mention) -> bool:
    """Whether a mention is a name the NER layer found (not a description the rules added)."""
    return m.named and bool(m.name_words) and m.name_words[-1][:1].isupper()


def is_person_noun(ctx: Context, i: int) -> bool:
    """A common noun for a person ("the rookie defenceman", "the prime minister"), by title or ending;
    a capitalised noun for a party member ("the Kentucky Republican") outside any name."""
    w = ctx.doc.words[i]
    if is_title_word(w):
        return True
    if w.upos == "PROPN":
        return w.text.lower().endswith(("an", "at")) and w.feat("Number") != "Plur" and ctx.doc.entity_at(i) is None
    return is_common_person_noun(w)


def compatible(ctx: Context, c: Cluster, lemma: str) -> bool:
    """Whether cluster ``c`` can be what ``lemma`` (he/she/they/it, or "person") refers to."""
    if c.type not in WANTED_BY_PRONOUN[lemma] or lemma == "they" and c.type == "PERSON":
        return False
    if lemma == "person" and not any(x.name_words and x.name_words[-1][:1].isupper() for x in c.mentions):
        return False  # a description refers back to someone named
    if lemma in ("he", "she") and not any(x.named or ctx.doc.words[x.last].upos == "PROPN" and not _tagged_not_person(
            ctx, x.last) or is_person_noun(ctx, x.last) for x in c.mentions):
        return False  # "the complaint", "according to Ukrinform" (a place to the NER) were typed persons for
        # want of a better type
    gender = {"he": "M", "she": "F"}.get(lemma)
    return not (gender and c.gender and c.gender != gender)


def _tagged_not_person(ctx: Context, k: int) -> bool:
    """Whether the NER layer tagged word ``k`` a place or an organisation."""
    e = ctx.doc.entity_at(k)
    return e is not None and e.type not in PERSON_TYPES


def antecedent(ctx: Context, pron: int, lemma: str, history: list[Item]) -> tuple[Cluster | None, str]:
    """The antecedent of a pronoun (``lemma`` he/she/they/it) or of a person description ("person") at
    word ``pron``, and which preference chose it."""
    doc, idx = ctx.doc, ctx.idx
    if lemma not in WANTED_BY_PRONOUN:
        return None, "none"
    pstart, para = doc.words[pron].start, doc.words[pron].para
    cands = sorted((m for m in idx.mentions if m.end <= pstart and m.first not in ctx.quoted and not m.relational
                    and doc.words[m.first].para >= para - 3 and compatible(ctx, idx.cluster(m), lemma)),
                   key=lambda m: m.start)
    last = next((it for it in reversed(history) if it.cluster is not None and it.start < pstart), None)
    last_ok = last is not None and last.cluster is not None and compatible(ctx, last.cluster, lemma)
    subjects = [m for m in cands if is_subject(ctx, m)]
    introduced = _introduced(ctx, pron, cands)
    # the last speaker, unless a different entity was introduced as a subject since that quote
    if last is not None and last.cluster is not None and last_ok and last.para >= para - 2 and not [
            m for m in subjects + introduced if m.start > last.end and m.entity != last.cluster.id]:
        return last.cluster, "last-speaker"
    if introduced and (not subjects or introduced[-1].start > subjects[-1].start):
        return idx.cluster(introduced[-1]), "introduced-before"
    if subjects:
        return idx.cluster(subjects[-1]), "latest-subject"
    if cands:
        return idx.cluster(cands[-1]), "latest-mention"
    if last is not None and last_ok:
        return last.cluster, "earlier-speaker"
    return None, "none"


def _introduced(ctx: Context, pron: int, cands: list[Mention]) -> list[Mention]:
    """People just introduced by full name in the narrative sentence before the pronoun's: who a
    following "he said" is about, even as an object ("… results for accountant Jo Doe. “…,” she says").
    (Earlier in the pronoun's own sentence, a full name is rather someone else: "Asked what he would
    tell Mayor Jo Doe, he said".)"""
    doc = ctx.doc
    window = _lead_up(ctx, doc.words[pron].sent)
    return [m for m in cands if m.type == "PERSON" and len(m.name_words) >= 2 and m.named
            and doc.words[m.first].sent in window and _newly_named(ctx, m)
            and doc.words[m.last].deprel != "nmod:poss" and not _credit_like(ctx, m)]


def resolve_pronoun(ctx: Context, pron: int, history: list[Item]) -> tuple[Cluster | None, str]:
    """The antecedent of the pronoun at word ``pron``; a he/she resolved to someone of unknown gender
    gives them that gender from now on."""
    w = ctx.doc.words[pron]
    cluster, how = antecedent(ctx, pron, w.lemma, history)
    if cluster is not None and w.lemma in ("he", "she") and cluster.gender is None:
        cluster.gender = "M" if w.lemma == "he" else "F"
    return cluster, how


def relative_head(ctx: Context, pron: int) -> int | None:
    """The noun a relative clause hangs on, for its relative pronoun ``pron``."""
    doc = ctx.doc
    v = doc.words[pron].head
    while v >= 0 and doc.words[v].deprel not in ("acl:relcl", "acl") and doc.words[v].deprel.split(":")[0] in (
            "xcomp", "conj", "ccomp"):
        v = doc.words[v].head
    if v < 0 or doc.words[v].deprel not in ("acl:relcl", "acl"):
        return None
    head = doc.words[v].head
    return head if head >= 0 and doc.words[head].upos in ("NOUN", "PROPN") and head not in ctx.quoted else None


def narrated_subject(ctx: Context, after: int, quote_start: int) -> Mention | None:
    """"Durning did not need much coaxing. “I’m thankful …”": a named person who is the subject of
    the narrative sentence right before a quotation that has no cue (and after the previous quote)
    is who speaks it, rather than the earlier speaker."""
    doc = ctx.doc
    k = doc.word_before(quote_start)
    while k is not None and k >= 0 and (k in ctx.quoted or doc.words[k].upos == "PUNCT"):
        k -= 1
    if k is None or k < 0 or doc.words[k].start < after:
        return None
    first, last = doc.sents[doc.words[k].sent]
    if doc.words[first].start < after or any(j in ctx.quoted for j in range(first, last + 1)) or \
            doc.words[first].para < doc.para_of(quote_start) - 1:
        return None
    root = next((j for j in range(first, last + 1) if doc.words[j].deprel == "root"), None)
    if root is None:
        return None
    for c in doc.kids(root, "nsubj"):
        m = ctx.idx.mention_covering(c, c)
        if m is not None and m.type == "PERSON" and m.named and not m.relational:
            return m
    return None


def _credit_like(ctx: Context, m: Mention) -> bool:
    """A possessive or a name in brackets or before a slash: a photo credit, a byline, an owner."""
    doc = ctx.doc
    after = doc.words[m.last + 1].text if m.last + 1 < len(doc.words) else ""
    before = doc.words[m.first - 1].text if m.first > 0 else ""
    return after in ("'s", "’s", "/", ")") or before in ("(", "/")


def _newly_named(ctx: Context, m: Mention) -> bool:
    """Whether ``m`` (re)introduces its entity: nothing in the ``INTRODUCTION_GAP`` sentences before it
    names the entity. A photo caption at the top of the page, or a first appearance long before,
    does not make a later full-name introduction old news."""
    sent = ctx.doc.words[m.first].sent
    return not any(x.start < m.start and sent - INTRODUCTION_GAP <= ctx.doc.words[x.first].sent
                   for x in ctx.idx.cluster(m).mentions)


def _lead_up(ctx: Context, sent: int) -> set[int]:
    """The narrative sentence before sentence ``sent``, skipping sentences that are quoted speech
    throughout; one more when that one opens in lower case, a piece of a sentence the tokenizer broke
    (after "lbs." and the like)."""
    doc, out, k = ctx.doc, set(), sent - 1
    while k >= 0:
        first, last = doc.sents[k]
        if all(j in ctx.quoted or doc.words[j].upos == "PUNCT" for j in range(first, last + 1)):
            k -= 1
            continue
        out.add(k)
        opener = next((doc.words[j].text for j in range(first, last + 1) if doc.words[j].text[:1].isalpha()), "")
        if not opener[:1].islower() or len(out) > 1:
            break
        k -= 1
    return out


def is_subject(ctx: Context, m: Mention) -> bool:
    """Whether a mention is the subject of its clause: by the parse, or by word order in a sentence
    left unparsed (selective parsing skips sentences without a cue) or whose main verb the parser
    left without a subject."""
    doc = ctx.doc
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
    if before and (doc.words[m.first - 1].text != "," or any(doc.words[k].upos in ("VERB", "AUX") for k in before)):
        return False
    k = m.last + 1
    while k <= last and doc.words[k].upos == "ADV":
        k += 1
    return k <= last and doc.words[k].upos in ("VERB", "AUX")


def refer(ctx: Context, head: int, m: Mention, history: list[Item]) -> tuple[Cluster | None, str]:
    """The named entity a described source stands for, when the article makes it plain, and how."""
    doc, idx = ctx.doc, ctx.idx
    w = doc.words[head]
    cluster = idx.cluster(m)
    if any(named(x) for x in cluster.mentions):
        return None, "none"  # already a named entity
    if any(doc.words[k].upos == "PROPN" and not _in_epithet(ctx, k) for k in range(m.first, m.last + 1)) and \
            w.upos != "PROPN":
        # "Mississauga accountant" and such carry a name of their own; "the WHL commissioner" is the
        # league's one commissioner the article names
        holder = _title_holder(ctx, head, cluster) if _definite_title(ctx, head) else None
        return holder, "title-holder" if holder is not None else "none"
    if w.lemma in words("document_nouns") and w.feat("Number") != "Plur":
        return _document_author(ctx, head, cluster, history), "document-author"
    fuller = _fuller_description(ctx, head, m)
    if fuller is not None and fuller.entity != cluster.id:
        return idx.cluster(fuller), "fuller-description"
    owned = _owners_body(ctx, head, m, history)
    if owned is not None:
        return owned, "owner-named"
    dets = {doc.words[c].lemma for c in doc.kids(head, "det")}
    if "the" not in dets or doc.kids(head, "nmod:poss") or w.feat("Number") == "Plur" or \
            w.lemma in mapping("kinship_gender") or doc.kids(head, "nmod", "acl", "acl:relcl"):
        return None, "none"  # "the head of …", "the person who spoke …": restrictive, not anaphoric
    if any(x.entity != cluster.id and not named(x) and x.end <= w.start and
           doc.words[x.last].lemma == w.lemma for x in idx.mentions):
        return None, "none"  # "a senior official … the official said": the earlier description, still unnamed
    if w.upos == "PROPN":
        if not is_person_noun(ctx, head):
            return None, "none"
        return antecedent(ctx, head, "person", history)[0], "definite-person"
    return _definite_description(ctx, head, cluster, history)


def _definite_title(ctx: Context, head: int) -> bool:
    """"The Supreme Court justice said", "the league commissioner said": "the" and a singular noun for a
    person, whose capitalised modifiers say where they serve rather than who they are, so the phrase
    refers back like any definite description (Lee et al., 2013) instead of naming someone new."""
    return definite_singular_noun(ctx, head) and is_person_noun(ctx, head) and not ctx.doc.kids(head, "nmod:poss")


def _owners_body(ctx: Context, head: int, m: Mention, history: list[Item]) -> Cluster | None:
    """"Her office said", "his campaign said": an office or body a pronoun owns is the office of the
    person (or body) the pronoun stands for, named after them ("Lorna Beck's office")."""
    doc = ctx.doc
    w = doc.words[head]
    poss = [p for p in doc.kids(head, "nmod:poss") if doc.words[p].upos == "PRON"]
    if not poss or w.lemma not in words("body_nouns") or w.feat("Number") == "Plur":
        return None
    owner, _ = antecedent(ctx, poss[0], mapping("possessive_pronouns").get(doc.words[poss[0]].text.lower(), ""),
                          history)
    if owner is None or not any(named(x) for x in owner.mentions):
        return None
    return ctx.idx.cluster(ctx.idx.add_mention(m.first, m.last, "ORG", name=f"{owner.name}'s {w.text}"))


def _fuller_description(ctx: Context, head: int, m: Mention) -> Mention | None:
    """"The government said" after "the Colombian government", "Police said" after "Wauwatosa police":
    a body noun with nothing but "the" is the body the article last named with the same noun and the
    words that make it definite (a name, a demonym, a possessor). The strict head match of
    deterministic coreference sieves (Lee et al., 2013), for bodies named by description."""
    doc = ctx.doc
    w = doc.words[head]
    if w.lemma not in words("body_nouns") or any(doc.words[k].upos != "DET" for k in range(m.first, head)):
        return None
    for k in range(m.first - 1, -1, -1):
        if doc.words[k].lemma == w.lemma and doc.words[k].upos in ("NOUN", "PROPN", "ADJ") and k not in ctx.quoted:
            first = _definite_modifiers(ctx, k)
            if first is not None:
                known = ctx.idx.mention_covering(first, k)
                if known is not None and known.last == k and known.type != "PERSON":
                    return known
                return ctx.idx.add_mention(first, k, "ORG")
    return None


def _definite_modifiers(ctx: Context, k: int) -> int | None:
    """The first word of the modifiers before noun ``k`` when they make it definite: "the Colombian
    government", "Gaza's Hamas-run health ministry", "Wauwatosa police" (not "a rival group")."""
    doc = ctx.doc
    j = k
    while j - 1 >= 0 and doc.words[j - 1].sent == doc.words[k].sent and (
            doc.words[j - 1].upos in ("ADJ", "NOUN", "PROPN") or doc.words[j - 1].text in ("'s", "’s", "-")):
        j -= 1
    if j == k:
        return None
    opener = doc.words[j - 1] if j > 0 else None
    # a name among the modifiers: one the NER layer found, or a capital not owed to the sentence's start
    named = any(doc.entity_at(i) is not None or doc.words[i].text[:1].isupper() and i != doc.sents[doc.words[k].sent][0]
                for i in range(j, k))
    definite = opener is not None and opener.lemma == "the"
    return j if named or definite and any(doc.words[i].text[:1].isupper() for i in range(j, k)) else None


def _in_epithet(ctx: Context, k: int) -> bool:
    """Whether word ``k`` is the name in an epithet ("Britain" of "Britain-based")."""
    doc = ctx.doc
    return k + 2 < len(doc.words) and doc.words[k + 1].text == "-" and doc.words[k + 1].start == doc.words[k].end \
        and doc.words[k + 2].text.endswith("ed")


def _specific(ctx: Context, head: int) -> bool:
    """Whether a description names its own kind of body ("the defence ministry"), as opposed to an
    epithet ("the Britain-based group", "the Ankara-backed force")."""
    doc = ctx.doc
    mods = set(doc.kids(head, "amod", "compound"))
    if head > 0 and doc.words[head - 1].upos in ("NOUN", "ADJ", "PROPN"):
        mods.add(head - 1)
    return any(not _epithet(ctx, k) for k in mods)


def _epithet(ctx: Context, k: int) -> bool:
    """"Britain-based", "Kurdish-led", "Turkey-backed": a place or people joined by a hyphen to a
    participle, which describes a body rather than names it."""
    doc = ctx.doc
    w = doc.words[k]
    if "-" in w.text:
        return w.text.split("-")[-1].endswith("ed")
    return w.text.endswith("ed") and k >= 2 and doc.words[k - 1].text == "-" and doc.words[k - 1].start == \
        doc.words[k - 2].end


def _document_author(ctx: Context, head: int, cluster: Cluster, history: list[Item]) -> Cluster | None:
    """"her statement read", "Foster's book": the owner; "a release said" after someone spoke: them."""
    doc, idx = ctx.doc, ctx.idx
    w = doc.words[head]
    poss = doc.kids(head, "nmod:poss")
    if poss:
        p = poss[0]
        pw = doc.words[p]
        if pw.upos == "PRON":
            return antecedent(ctx, p, mapping("possessive_pronouns").get(pw.text.lower(), ""), history)[0]
        owner = idx.mention_covering(p, p)
        return idx.cluster(owner) if owner is not None else None
    if {doc.words[c].lemma for c in doc.kids(head, "det")} & {"the", "a", "an", "this"}:
        last = next((h for h in reversed(history) if h.cluster is not None), None)
        if last is not None and last.cluster is not None and last.para >= w.para - 1 and \
                last.cluster is not cluster and any(named(x) for x in last.cluster.mentions):
            return last.cluster
    return None


def _definite_description(ctx: Context, head: int, cluster: Cluster,
                          history: list[Item]) -> tuple[Cluster | None, str]:
    """"the diocese" after "the Roman Catholic Diocese of Covington": the one organisation named before
    whose name holds the noun; "the company": the organisation named last; "the defenceman": the person
    the text is about."""
    doc, idx = ctx.doc, ctx.idx
    w = doc.words[head]
    holders = {x.entity for x in idx.mentions if x.entity is not None and x.type == "ORG" and x.named and
               x.end <= w.start and any(n.lower() in (w.lemma, w.text.lower()) and n[:1].isupper()
                                        for n in x.name_words)}
    if len(holders) == 1:
        return idx.clusters[next(iter(holders))], "named-organisation-noun"
    if w.lemma in words("anaphoric_org_nouns") and not _specific(ctx, head):
        # "the company said", "the Britain-based group said": the organisation that spoke last, else the
        # one named last ("the defence ministry" is specific enough to stand for itself)
        spoke = next((h.cluster for h in reversed(history) if h.cluster is not None and h.cluster.type == "ORG"
                      and h.para >= w.para - 3 and h.cluster is not cluster
                      and any(named(x) for x in h.cluster.mentions)), None)
        if spoke is not None:
            return spoke, "organisation-that-spoke"
        orgs = [x for x in idx.mentions if x.type == "ORG" and x.end <= w.start and x.first not in ctx.quoted
                and x.name_words and x.name_words[-1][:1].isupper() and not x.relational
                and doc.words[x.first].para >= w.para - 3 and x.entity != cluster.id]
        return (idx.cluster(orgs[-1]), "latest-organisation") if orgs else (None, "none")
    if is_person_noun(ctx, head):
        found = antecedent(ctx, head, "person", history)[0]
        if found is None:
            found = _title_holder(ctx, head, cluster)
            return found, "title-holder" if found is not None else "none"
        return found, "definite-person"
    return None, "none"


def _title_holder(ctx: Context, head: int, cluster: Cluster) -> Cluster | None:
    """"The regional governor said" in the lead, "Governor Ana Ruiz" in the next paragraph: the one named
    person the article gives that title, named before the description or in the paragraph after it (news
    often describes a source first and names them right after; someone named much later is someone else)."""
    doc = ctx.doc
    para = doc.words[head].para
    owners = [c for c in map(ctx.idx.clusters.__getitem__, titled(ctx, head)) if c is not cluster and c.type == "PERSON"
              and any(named(x) and doc.words[x.first].para <= para + 1 for x in c.mentions)]
    return owners[0] if len(owners) == 1 else None
