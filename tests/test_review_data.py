"""Hand-built review queues for the review tests (no parser; text of our own). Holds no tests itself."""

from __future__ import annotations

import db
from attribution.types import Article
from tests.db_helpers import VERSION, Canned, claim, entity, quote, result

#: Text with Rich markup and an ANSI escape inside the quoted claim's paragraph: must print literally.
HOSTILE = (
    "Markup Test\n\n"
    "\"Prices will fall by [red]half[/red] next spring,\" said Odile Ferrand, the treasurer of Northvale. "
    "She waved a sign reading \x1b[31mRED\x1b[0m.\n\n"
    "A second paragraph that should not be shown.\n"
)

RENTS = (
    "Rents Debate\n\n"
    "\"Rents rose by 12 percent in Northvale last year,\" said Priya Raman, a councillor for the Green "
    "Party. \"Rents in the old town doubled since 2015,\" Raman added.\n"
)
# The same claim, word for word, in a later article (same claim group), and a near-identical one.
RENTS_AGAIN = (
    "Housing Hearing\n\n"
    "At the hearing, Priya Raman repeated that \"Rents rose by 12 percent in Northvale last year.\" "
    "Tomas Berg, the mayor of Northvale, said \"rents rose by twelve percent in Northvale last year.\"\n"
)


def numbered(i: int) -> tuple[Article, object]:
    """A small article with one claim whose check-worthiness falls with ``i``."""
    text = (f"Budget Note {i}\n\n\"The ferry line {i} carried {1000 + i} passengers in May,\" said Jon Aske, "
            "a planner at the Port Authority.\n")
    art = Article(id=f"note-{i}", text=text, url=f"https://gazette.example/{i}", outlet="Coast Gazette",
                  published=f"2024-01-{1 + i % 28:02d}")
    content = f"The ferry line {i} carried {1000 + i} passengers in May,"
    res = result(art, [quote(text, content, "Jon Aske", entity_id=1, role="planner", affiliation="Port Authority",
                             claims=[claim(text, content.rstrip(","), worth=round(0.9 - i * 0.01, 3))])],
                 [entity(text, 1, "Jon Aske")])
    return art, res


def articles() -> tuple[list[Article], Canned]:
    """Three articles with claims: rents (two claims), a repeat of one of them, and the hostile one."""
    canned = Canned()
    rents = Article(id="rents", text=RENTS, url="https://ledger.example/rents", outlet="Valley Ledger",
                    published="2024-05-02", title="Rents Debate")
    t = RENTS
    canned.add(result(rents, [
        quote(t, "Rents rose by 12 percent in Northvale last year,", "Priya Raman", entity_id=1, role="councillor",
              affiliation="Green Party", claims=[claim(t, "Rents rose by 12 percent in Northvale last year", 0.9)]),
        quote(t, "Rents in the old town doubled since 2015,", "Priya Raman", mention="Raman", cue="added",
              entity_id=1, role="councillor", affiliation="Green Party", confidence=0.7,
              claims=[claim(t, "Rents in the old town doubled since 2015", 0.6)]),
    ], [entity(t, 1, "Priya Raman", aliases=["Raman"])]))
    again = Article(id="again", text=RENTS_AGAIN, url="https://post.example/hearing", outlet="Evening Post",
                    published="2024-06-10", title="Housing Hearing")
    t = RENTS_AGAIN
    canned.add(result(again, [
        quote(t, "Rents rose by 12 percent in Northvale last year.", "Priya Raman", entity_id=1, rule="according-to",
              claims=[claim(t, "Rents rose by 12 percent in Northvale last year", 0.7)]),
        quote(t, "rents rose by twelve percent in Northvale last year.", "Tomas Berg", entity_id=2, role="mayor",
              affiliation="Northvale", claims=[claim(t, "rents rose by twelve percent in Northvale last year", 0.5)]),
    ], [entity(t, 1, "Priya Raman"), entity(t, 2, "Tomas Berg")]))
    hostile = Article(id="hostile", text=HOSTILE, url="https://tribune.example/[red]x", outlet="[bold]Tribune",
                      published="2024-02-01", title="Markup [red]Test")
    t = HOSTILE
    canned.add(result(hostile, [
        quote(t, "Prices will fall by [red]half[/red] next spring,", "Odile Ferrand", entity_id=1, role="treasurer",
              affiliation="Northvale", claims=[claim(t, "Prices will fall by [red]half[/red] next spring", 0.3)]),
    ], [entity(t, 1, "Odile Ferrand")]))
    return [rents, again, hostile], canned


def review_db(db_url: str, extra: int = 0) -> str:
    """Create the schema and ingest the review articles (plus ``extra`` numbered ones); returns the URL."""
    db.setup_database(db_url)
    arts, canned = articles()
    for i in range(extra):
        art, res = numbered(i)
        arts.append(art)
        canned.add(res)  # type: ignore[arg-type]
    with db.open_store(db_url) as store:
        report = db.ingest(store, arts, canned, version=VERSION)
        assert report.failed == 0, report.failures
    return db_url


#: Queue order of the review articles' claims: check-worthiness first.
ORDER = ["Rents rose by 12 percent in Northvale last year",          # 0.9
         "Rents rose by 12 percent in Northvale last year",          # 0.7, the repeat
         "Rents in the old town doubled since 2015",                 # 0.6
         "rents rose by twelve percent in Northvale last year",      # 0.5
         "Prices will fall by [red]half[/red] next spring"]          # 0.3
