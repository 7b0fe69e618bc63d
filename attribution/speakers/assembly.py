"""Which spans are quotes, and which speech frame attributes each.

* Reported speech with a content span is a quote of its own; quoted fragments inside it make it one
  *mixed* quote ("warned that anyone who “tries to start an insurgency” …"), and so does a short
  fragment that reported speech leads into ("… shot at them “like snipers,” he said").
* A quotation is attributed to the frame next to it: after it ("“…,” she said"), before it ("he said:
  “…”"), or a colon cue closing the paragraph before ("Caddell continued:").
* A quotation with no frame continues the speaker of the quotation before it in its paragraph, or, when
  it makes a paragraph of its own or a sentence of six words or more, the previous quote's speaker.
* A word or two in quotes next to a cue, a few quoted words with no cue, and titles in quotes ("Saturday
  Night Live") are not quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..quotes.speech_frame import Frame
from ..text.predicates import ends_a_sentence_inside, word_count
from ..text.quotemarks import QuoteSpan
from ..wordlists import words
from .context import Context
from .entities import Cluster, Mention

_SENT_END = re.compile(r"[.!?]['\"”’]?\s*$")


@dataclass
class Item:
    """A quote being built: its span, the frame that attributes it, and its speaker as decided so far.

    ``rule`` is the rule that links the quote to its speaker (the frame's source rule, or a discourse
    rule such as ``pronoun`` or ``inherited``); ``trace`` the stages and sieves that touched it.
    """

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
    source: Mention | None = None  # the mention the frame's source word stands for
    trace: list[str] = field(default_factory=list)
    confidence: float | None = None  # the resolver's probability that the speaker is right


def assemble(ctx: Context) -> list[Item]:
    """The quotes of the article, in text order, each with its frame or marked to inherit."""
    used: set[int] = set()  # frames that attribute a quote
    absorbed: set[int] = set()  # quotations inside a mixed quote
    items = _reported(ctx, used, absorbed)
    by_para: dict[int, list[int]] = {}
    for k, q in enumerate(ctx.spans):
        if k not in absorbed:
            by_para.setdefault(ctx.doc.para_of(q.start), []).append(k)
    for para, ks in by_para.items():
        items += _quotations(ctx, para, ks, used)
    items.sort(key=lambda it: it.start)
    return items


def _item(start: int, end: int, kind: str, f: Frame | None, para: int, how: str, *,
          fragments: list[tuple[int, int]] | None = None, inherit: str | None = None) -> Item:
    """An item found ``how`` (named in its trace), attributed by frame ``f`` or, with ``inherit`` (the
    rule: ``same-paragraph`` or ``inherited``), continuing an earlier speaker."""
    trace = [f"quotes:{how}"]
    if f is not None:
        trace += [f"frame:{f.source_rule}", *f.notes]
    rule = f.source_rule if f is not None else inherit or "none"
    return Item(start, end, kind, f, inherit=inherit is not None, rule=rule, fragments=fragments or [],
                para=para, trace=trace)


def _reported(ctx: Context, used: set[int], absorbed: set[int]) -> list[Item]:
    """Reported speech with a content span; quoted fragments inside it make it mixed."""
    doc, spans = ctx.doc, ctx.spans
    items: list[Item] = []
    for fi, f in enumerate(ctx.frames):
        if f.content is None or f.source is None or _carries_a_report(ctx, f):
            continue
        cs, ce = f.content
        inside = [k for k, q in enumerate(spans) if q.start >= cs - 1 and q.end <= ce + 1]
        if inside:
            covered = sum(spans[k].inner_end - spans[k].inner_start for k in inside)
            if len(inside) == 1 and covered >= 0.85 * (ce - cs):
                continue  # "X said: “…”": the quotation itself, attributed below
            items.append(_item(cs, ce, "mixed", f, doc.para_of(cs), "reported-with-quotations",
                               fragments=[(spans[k].inner_start, spans[k].inner_end) for k in inside]))
            absorbed.update(inside)
            used.add(fi)
        elif not any(q.start < ce and q.end > cs for q in spans) and word_count(ctx.text[cs:ce]) >= 3:
            items.append(_item(cs, ce, "indirect", f, doc.para_of(cs), "reported"))
            used.add(fi)
            if f.after is not None and not any(q.start < f.after[1] and q.end > f.after[0] for q in spans):
                # "…, he said, but one person ran to the roof": the rest of the sentence, same speaker
                items.append(_item(f.after[0], f.after[1], "indirect", f, doc.para_of(f.after[0]),
                                   "reported-after-parenthetical-cue"))
    return items


def _carries_a_report(ctx: Context, f: Frame) -> bool:
    """"The Observatory said 11 people were killed, Agence France-Presse reported": a trailing cue whose
    content holds a whole report of its own -- cue, source and what was said -- only carries that report;
    the report's own source is who said it."""
    doc = ctx.doc
    assert f.content is not None
    cs, ce = f.content
    if doc.words[f.cue_first].start < ce:
        return False  # only content before its cue
    return any(g is not f and g.source is not None and g.content is not None and g.source_rule != "according-to"
               and cs <= doc.words[g.source].start and doc.words[g.cue_last].end <= ce
               and cs <= g.content[0] and g.content[1] <= ce for g in ctx.frames)


def _quotations(ctx: Context, para: int, ks: list[int], used: set[int]) -> list[Item]:
    """Direct and partial quotations of one paragraph (indices into ``ctx.spans``)."""
    items: list[Item] = []
    prev_attached = False
    for n, k in enumerate(ks):
        q = ctx.spans[k]
        content = ctx.text[q.inner_start:q.inner_end]
        nwords = word_count(content)
        fi = _frame_for(ctx, q, ks, n, used)
        kind = _kind(q, content, nwords)
        if fi is not None:
            f = ctx.frames[fi]
            lead = _lead_in(ctx, q, f)
            if nwords <= 2 and not re.search(r"[.!?…]$", content) and lead is None and not _utterance(ctx, q, f):
                continue  # a word or two in quotes next to a cue is a scare quote or a label
                # (unless reported speech leads into it: "… shot at them “like snipers,” he said")
            used.add(fi)
            if lead is not None:  # "The vote was “a catastrophic defeat,” Mr X said": one mixed quote
                items.append(_item(lead, q.inner_end, "mixed", f, para, "lead-in-to-quotation",
                                   fragments=[(q.inner_start, q.inner_end)]))
            else:
                items.append(_item(q.inner_start, q.inner_end, kind, f, para, "quotation-with-frame"))
            prev_attached = True
        elif not (nwords <= 4 and kind == "partial" or _is_title(content)):  # scare quotes, titles, nicknames
            inherited = _inherited(ctx, q, content, kind, para, nwords, prev_attached)
            if inherited is not None:
                items.append(inherited)
    return items


def _inherited(ctx: Context, q: QuoteSpan, content: str, kind: str, para: int, nwords: int,
               prev_attached: bool) -> Item | None:
    """A quotation without a frame that continues an earlier speaker, if it is one."""
    if prev_attached:
        return _item(q.inner_start, q.inner_end, kind, None, para, "same-paragraph", inherit="same-paragraph")
    if _quote_only(ctx, para) or nwords >= 6 and _SENT_END.search(content + ctx.text[q.inner_end:q.end]):
        return _item(q.inner_start, q.inner_end, kind, None, para, "quote-only-paragraph", inherit="inherited")
    return None


def _utterance(ctx: Context, q: QuoteSpan, f: Frame) -> bool:
    """"“We won,” Jo Bloggs said.", "“No,” she said.": a short quotation that makes its sentence's start,
    ends with its own comma, and is attributed after it, is all that was said -- not a scare quote (nor
    the first words of a sentence the cue interrupts: "“My hope,” he said, “is that …”")."""
    doc, text = ctx.doc, ctx.text
    if doc.words[f.cue_first].start < q.end or not text[q.inner_start:q.inner_end].rstrip().endswith(","):
        return False
    first = doc.word_at(q.start)
    if first is None:
        return False
    sent_end = doc.words[doc.sents[doc.words[f.cue_first].sent][1]].end
    if any(o.start > q.end and o.start < sent_end for o in ctx.spans):
        return False
    s0 = max(doc.words[doc.sents[doc.words[first].sent][0]].start, doc.paras[doc.para_of(q.start)][0])
    return not re.search(r"\w", text[s0:q.start])


def _lead_in(ctx: Context, q: QuoteSpan, f: Frame) -> int | None:
    """Where reported speech begins when a quotation attributed after it starts mid-sentence."""
    doc, text = ctx.doc, ctx.text
    if doc.words[f.cue_first].start < q.end:
        return None
    first = doc.word_at(q.start)
    if first is None:
        return None
    s0 = doc.words[doc.sents[doc.words[first].sent][0]].start
    s0 = max(s0, doc.paras[doc.para_of(q.start)][0])
    before = text[s0:q.start]
    if word_count(before) < 3 or re.search(r"[:;]\s*$", before) or any(
            o.start >= s0 and o.end <= q.start for o in ctx.spans):
        return None
    return s0


def _kind(q: QuoteSpan, content: str, nwords: int) -> str:
    if nwords >= 8 or re.search(r"[.!?,;:…]$", content) or q.paragraphs > 1:
        return "direct"
    return "partial"


def _quote_only(ctx: Context, para: int) -> bool:
    s, e = ctx.doc.paras[para]
    rest = ctx.text[s:e]
    for q in ctx.spans:
        if q.start >= s and q.end <= e:
            rest = rest.replace(ctx.text[q.start:q.end], " ")
    return word_count(rest) == 0


def _is_title(content: str) -> bool:
    """A title or name in quotes ("Saturday Night Live"): every word capitalised, no sentence end."""
    found = re.findall(r"[A-Za-z][\w'’-]*", content)
    small = words("title_small_words")
    # American style puts the sentence's full stop inside the marks (“The Kid Who Would Be King.”): a
    # title of three words or more keeps its title shape with it; a question or exclamation is speech.
    end_ok = not re.search(r"[.!?,]$", content) or len(found) >= 3 and re.search(r"[.,]$", content) is not None
    return bool(found) and len(found) <= 12 and end_ok and all(
        w[0].isupper() or w.lower() in small for w in found) and found[0][0].isupper()


def _frame_for(ctx: Context, q: QuoteSpan, ks: list[int], n: int, used: set[int]) -> int | None:
    """The frame that attributes quotation ``q``: after it ("…,” she said) or before it (said: “…”)."""
    doc = ctx.doc
    s, e = doc.paras[doc.para_of(q.start)]
    nxt = ctx.spans[ks[n + 1]].start if n + 1 < len(ks) else e
    prv = ctx.spans[ks[n - 1]].end if n > 0 else s
    after: tuple[int, int] | None = None
    before: tuple[int, int] | None = None
    for fi, f in enumerate(ctx.frames):
        if fi in used:
            continue
        cs = doc.words[f.cue_first].start
        if q.end <= cs < nxt:
            if after is None and _attributes_before_it(ctx, q, f, cs):
                after = (fi, word_count(ctx.text[q.end:cs]))
        elif prv <= cs < q.start and _introduces(ctx, q, f):
            before = (fi, word_count(ctx.text[doc.words[f.cue_last].end:q.start]))
    if after is not None and after[1] <= 4:
        return after[0]
    if before is not None:
        return before[0]
    if after is not None:
        return after[0]
    return _colon_intro(ctx, q, n, used)


def _attributes_before_it(ctx: Context, q: QuoteSpan, f: Frame, cs: int) -> bool:
    """Whether frame ``f``, whose cue starts at ``cs`` after quotation ``q``, attributes it: no sentence
    ends between, and the gap is short, or a long one is the source's own description ("“…,” Jo Doe,
    director of defence studies at the Centre for X, said")."""
    gap = ctx.text[q.end:cs]
    n = word_count(gap)
    near = n <= 10 or n <= 25 and f.source is not None and q.end <= ctx.doc.words[f.source].start < cs
    return not ends_a_sentence_inside(gap) and near and (
        f.content is None or f.content[0] <= q.start or f.content[1] <= cs)


def _introduces(ctx: Context, q: QuoteSpan, f: Frame) -> bool:
    """Whether frame ``f``, before quotation ``q``, introduces it: a colon, content that runs into it,
    or a short gap within the sentence."""
    gap = ctx.text[ctx.doc.words[f.cue_last].end:q.start]
    return f.colon or bool(f.content and f.content[0] <= q.inner_start <= f.content[1]) or (
        not ends_a_sentence_inside(gap) and word_count(gap) <= 4)


def _colon_intro(ctx: Context, q: QuoteSpan, n: int, used: set[int]) -> int | None:
    """"Caddell continued:" closing the paragraph before introduces this paragraph's quotation."""
    doc, text = ctx.doc, ctx.text
    para = doc.para_of(q.start)
    if n > 0 or para == 0 or text[doc.paras[para][0]:q.start].strip():
        return None
    ps, pe = doc.paras[para - 1]
    if not text[ps:pe].rstrip().endswith(":"):
        return None
    cands = [fi for fi, f in enumerate(ctx.frames) if fi not in used and f.colon and
             ps <= doc.words[f.cue_first].start < pe and f.source is not None]
    return cands[-1] if cands else None
