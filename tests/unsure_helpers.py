"""A hand-built article whose attributions range from sure to unsure, for the ``review --unsure`` and
``export corrections`` tests (no parser; text of our own). Holds no tests itself."""

from __future__ import annotations

import db
from attribution.types import Article
from tests.db_helpers import VERSION, Canned, claim, entity, quote, result

FERRY = (
    "Ferry Fares\n\n"
    "\"Fares will rise in March,\" said Petra Lind, the harbour director of Eastvik. \"We had no choice,\" she "
    "said.\n\n"
    "Jonas Berg, a port official, said the timetable would stay. \"It is a scandal,\" a passenger shouted.\n"
)

#: The quotes, least sure first, as the unsure queue shows them.
LEAST_SURE_FIRST = ["It is a scandal,", "the timetable would stay", "We had no choice,", "Fares will rise in March,"]


def ferry() -> tuple[Article, Canned]:
    """The article, and an extractor that gets Berg's quote wrong (Petra Lind, unsure) and the shout unnamed."""
    t = FERRY
    art = Article(id="ferry-fares", text=t, url="https://eastvik.example/ferry", outlet="Eastvik Post",
                  published="2024-09-03", title="Ferry Fares")
    canned = Canned()
    canned.add(result(art, [
        quote(t, "Fares will rise in March,", "Petra Lind", entity_id=1, role="harbour director",
              affiliation="Eastvik", claims=[claim(t, "Fares will rise in March")]),
        quote(t, "We had no choice,", "Petra Lind", mention="she", entity_id=1, confidence=0.45, rule="pronoun"),
        quote(t, "the timetable would stay", "Petra Lind", mention="Jonas Berg", kind="indirect", entity_id=1,
              confidence=0.3, rule="nearest-name"),
        quote(t, "It is a scandal,", None, mention="a passenger", cue="shouted", confidence=0.1, rule="none"),
    ], [entity(t, 1, "Petra Lind", roles=[("harbour director", "Eastvik", "the harbour director of Eastvik")]),
        entity(t, 2, "Jonas Berg", roles=[("official", "port", "a port official")])]))
    return art, canned


def ferry_db(db_url: str) -> str:
    """Create the schema and ingest the ferry article; returns the URL."""
    db.setup_database(db_url)
    art, canned = ferry()
    with db.open_store(db_url) as store:
        report = db.ingest(store, [art], canned, version=VERSION)
    assert report.failed == 0, report.failures
    return db_url
