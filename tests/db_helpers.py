"""Hand-built extraction results for store tests: no parser involved, offsets computed from the text."""

from __future__ import annotations

from attribution.types import Article, Claim, Entity, ExtractionResult, Quote, RoleFact

VERSION = "0.3.0"


def span(text: str, sub: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``sub`` in ``text``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return start, start + len(sub)


def claim(text: str, sub: str, worth: float = 0.8, checkable: bool = True) -> Claim:
    """A claim over ``sub``."""
    s, e = span(text, sub)
    return Claim(sub, s, e, worth, "numbers" if checkable else "opinion", checkable)


def quote(text: str, content: str, speaker: str | None = None, *, mention: str | None = None,
          cue: str | None = "said", role: str | None = None, affiliation: str | None = None, kind: str = "direct",
          entity_id: int | None = None, claims: list[Claim] | None = None, confidence: float = 0.9,
          speaker_type: str = "PERSON", rule: str = "cue-subject") -> Quote:
    """A quote over ``content`` with offsets of its mention and cue found in ``text``."""
    s, e = span(text, content)
    mention = mention or speaker
    ms = span(text, mention) if mention and mention in text else (None, None)
    cs = span(text, cue) if cue and cue in text else (None, None)
    return Quote(start=s, end=e, content=content, kind=kind, speaker=speaker,  # type: ignore[arg-type]
                 speaker_type=speaker_type if speaker else None, speaker_mention=mention,  # type: ignore[arg-type]
                 speaker_start=ms[0], speaker_end=ms[1], cue=cue, cue_start=cs[0], cue_end=cs[1], role=role,
                 affiliation=affiliation, confidence=confidence, rule=rule, entity_id=entity_id,
                 claims=claims or [])


def entity(text: str, eid: int, name: str, *, type: str = "PERSON", aliases: list[str] | None = None,
           roles: list[tuple[str | None, str | None, str]] | None = None) -> Entity:
    """An entity with roles given as ``(title, affiliation, evidence substring)``."""
    facts = [RoleFact(t, a, *span(text, ev), "appositive") for t, a, ev in roles or []]
    mentions = [span(text, name)] if name in text else []
    return Entity(eid, name, type, mentions, list(aliases or []), facts)  # type: ignore[arg-type]


def result(article: Article, quotes: list[Quote], entities: list[Entity] | None = None,
           version: str = VERSION) -> ExtractionResult:
    """An extraction result as the extractor would return it."""
    return ExtractionResult(article, quotes, entities or [], version, {"tokenize": "test"})


class Canned:
    """A callable extractor seam returning prepared results by article id (and counting calls)."""

    def __init__(self, results: dict[str, ExtractionResult] | None = None):
        self.results = dict(results or {})
        self.calls: list[str] = []

    def add(self, res: ExtractionResult) -> ExtractionResult:
        self.results[res.article.id] = res
        return res

    def __call__(self, article: Article) -> ExtractionResult:
        self.calls.append(article.id)
        res = self.results.get(article.id)
        if res is None:
            return ExtractionResult(article, [], [], VERSION, {})
        # The stored text is the one ingested; results are keyed by id only.
        return ExtractionResult(article, res.quotes, res.entities, res.extractor_version, res.model_ids)


# A small newsroom of our own: three articles, hand-annotated.
BRIDGE = (
    "Council Approves Bridge\n\n"
    "\"This bridge will cut commuting times in half,\" said Maria Gonzalez, a spokesperson for the "
    "Department of Transportation. Gonzalez added that \"costs are 20% lower than planned.\"\n"
)
HARBOUR = (
    "Harbour Plan Criticised\n\n"
    "\"The noise will be unbearable for families,\" said Luis Gonzalez, a resident of the waterfront. "
    "\"=SUM(A1:A9) is not a plan,\" Mr Gonzalez said. Maria Gonzalez, director of communications at the "
    "Department of Transportation, said \"the harbour is not our project.\"\n"
)
CLINIC = (
    "Clinic Opens\n\n"
    "The Ministry of Health said \"waiting lists will fall by a third.\" \"We are ready,\" said Dr. Chen. "
    "Anna Berg, the mayor of Eastfield, attended the opening.\n"
)


def newsroom() -> tuple[list[Article], Canned]:
    """Three articles and the extraction results a good extractor would return for them."""
    a1 = Article(id="bridge", text=BRIDGE, url="https://courier.example/bridge", outlet="Daily Courier",
                 published="2024-03-05", title="Council Approves Bridge")
    a2 = Article(id="harbour", text=HARBOUR, url="https://herald.example/harbour", outlet="Harbour Herald",
                 published="2024-04-10T09:30:00+02:00")
    a3 = Article(id="clinic", text=CLINIC, source_path="/news/clinic.txt")
    canned = Canned()
    t = BRIDGE
    canned.add(result(a1, [
        quote(t, "This bridge will cut commuting times in half,", "Maria Gonzalez", entity_id=1, role="spokesperson",
              affiliation="Department of Transportation",
              claims=[claim(t, "This bridge will cut commuting times in half")]),
        quote(t, "costs are 20% lower than planned.", "Maria Gonzalez", mention="Gonzalez", cue="added",
              entity_id=1, role="spokesperson", affiliation="Department of Transportation", confidence=0.7,
              claims=[claim(t, "costs are 20% lower than planned")]),
    ], [entity(t, 1, "Maria Gonzalez", aliases=["Gonzalez"],
               roles=[("spokesperson", "Department of Transportation", "a spokesperson for the Department")])]))
    t = HARBOUR
    canned.add(result(a2, [
        quote(t, "The noise will be unbearable for families,", "Luis Gonzalez", entity_id=1, role="resident",
              claims=[claim(t, "The noise will be unbearable for families", 0.2, checkable=False)]),
        quote(t, "=SUM(A1:A9) is not a plan,", "Luis Gonzalez", mention="Mr Gonzalez", entity_id=1, role="resident",
              confidence=0.6),
        quote(t, "the harbour is not our project.", "Maria Gonzalez", entity_id=2, role="director of communications",
              affiliation="Department of Transportation", confidence=0.85),
    ], [entity(t, 1, "Luis Gonzalez", aliases=["Mr Gonzalez"],
               roles=[("resident", None, "a resident of the waterfront")]),
        entity(t, 2, "Maria Gonzalez", roles=[("director of communications", "Department of Transportation",
                                               "director of communications at the Department of Transportation")])]))
    t = CLINIC
    canned.add(result(a3, [
        quote(t, "waiting lists will fall by a third.", "the Ministry of Health", speaker_type="ORG", entity_id=1,
              claims=[claim(t, "waiting lists will fall by a third")]),
        quote(t, "We are ready,", "Dr. Chen", entity_id=2, confidence=0.5),
    ], [entity(t, 1, "the Ministry of Health", type="ORG"), entity(t, 2, "Dr. Chen"),
        entity(t, 3, "Anna Berg", roles=[("mayor", "Eastfield", "the mayor of Eastfield")])]))
    return [a1, a2, a3], canned


def fill(store) -> tuple[list[Article], Canned]:
    """Ingest the newsroom into a store."""
    import db

    articles, canned = newsroom()
    report = db.ingest(store, articles, canned, version=VERSION)
    assert report.failed == 0, report.failures
    return articles, canned
