"""The attribution engine: extraction as its stages, in order.

1. furniture: headings and page furniture are set aside (:mod:`.furniture`);
2. quotation marks: quoted spans are found by their marks (:mod:`.quotemarks`);
3. speech frames: cue, source word and reported content, read off the parse (:mod:`.frames`);
4. entities and roles: names clustered into entities (:mod:`.entities`), the roles the article states
   (:mod:`.roles`), each person's gender from the article's evidence (:mod:`.gender`), and nominal
   subjects registered for pronouns to find (:mod:`.nominals`); then the quotes are assembled from
   marks and frames (:mod:`.assembly`);
5. speaker sieves: who each cue's source is (:mod:`.sieves`);
6. pronouns, descriptions and inheritance: the reference sieves, in text order (:mod:`.sieves`);
7. the resolver: a trained model weighs the sieves' choice against the other candidates and gives each
   quote a calibrated confidence (:mod:`.speakers.resolver`);
8. claims: each quote split into claims with a check-worthiness score (:mod:`.claims`).
"""

from __future__ import annotations

from typing import Any

from . import results
from .claims.statements import claims_for
from .parsing.document import Doc
from .quotes.frames import find_frames
from .reading.furniture import is_furniture
from .roles.stated import stated_roles
from .speakers.assembly import Item, assemble
from .speakers.context import Context
from .speakers.entities import EntityIndex
from .speakers.gender import infer_genders
from .speakers.nominals import register_nominal_subjects
from .speakers.resolver import ResolverModel, resolve_speakers
from .speakers.sieves import decide_speakers, resolve_references
from .text.lexicon import Lexicon, load_lexicon
from .text.predicates import repaired_tags
from .text.quotemarks import find_quotes
from .types import Entity, Quote


def extract_from_doc(text: str, stanza_doc: Any, resolver: ResolverModel | None = None
                     ) -> tuple[list[Quote], list[Entity]]:
    """Quotes and entities of one parsed article (``resolver``: another speaker model than the shipped one,
    as the resolver's out-of-fold evaluation uses)."""
    found = attribute(text, stanza_doc)
    if found is None:
        return [], []
    ctx, items = found
    resolve_speakers(ctx, items, resolver)                                                       # 7
    quotes = results.quotes(ctx, items)
    for q in quotes:                                                                             # 8
        q.claims = claims_for(ctx.doc, q)
    return quotes, results.entities(ctx)


def attribute(text: str, stanza_doc: Any) -> tuple[Context, list[Item]] | None:
    """Stages 1-6: the quotes of one parsed article with the speakers the sieves decide (``None`` for an
    empty article). The resolver's training reads the sieves' decisions from here."""
    if not text.strip() or not stanza_doc.sentences:
        return None
    lex = load_lexicon()
    doc = read_parse(text, stanza_doc, lex)
    skip = {k for k, (s, e) in enumerate(doc.paras) if is_furniture(text[s:e])}                 # 1
    spans = [q for q in find_quotes(text) if doc.para_of(q.start) not in skip]                  # 2
    quoted = {k for q in spans for k in doc.words_in(q.start, q.end)}
    frames = find_frames(doc, lex, quoted, skip)                                                 # 3
    idx = EntityIndex(doc)                                                                       # 4
    ctx = Context(text, doc, lex, skip, spans, quoted, frames, idx, stated_roles(doc, idx))
    infer_genders(ctx)
    register_nominal_subjects(ctx)
    items = assemble(ctx)
    decide_speakers(ctx, items)                                                                  # 5
    resolve_references(ctx, items)                                                               # 6
    return ctx, items


def read_parse(text: str, stanza_doc: Any, lex: Lexicon) -> Doc:
    """The parse as the rules read it, with the cue verbs the tagger garbled put right
    (:func:`attribution.text.predicates.repaired_tags`, the same repair sentence selection makes)."""
    doc = Doc(text, stanza_doc)
    for first, last in doc.sents:
        ws = doc.words[first:last + 1]
        lemmas, upos = repaired_tags([w.text for w in ws], [w.lemma for w in ws], [w.upos for w in ws], lex)
        for w, lemma, tag in zip(ws, lemmas, upos, strict=True):
            w.lemma, w.upos = lemma, tag
    return doc
