"""Finding a speaker by any part of the name (issue 16): a surname, a first name, a first name and surname,
an acronym, a name without its accents; in ``quotes``, ``speaker``, ``export`` and ``review``; roles and
affiliations by their words; "did you mean" only when nothing matches."""

from __future__ import annotations

import json

import pytest

import db
from attribution.types import Article
from db.review.session import ReviewQueue, ReviewSession
from tests.cli_helpers import run, run_json
from tests.db_helpers import VERSION, Canned, claim, entity, quote, result
from tests.seed_helpers import SEED, seed_article, seed_canned

pytestmark = pytest.mark.db

FERRY = (
    "Ferry Service Resumes\n\n"
    "\"The crossing is safe again,\" said José Ramírez-Ortega, the chief spokesman of the Harbour Authority. "
    "Ramírez-Ortega added that \"two boats will run every hour.\"\n"
)
FARES = (
    "Fares Frozen\n\n"
    "\"Fares will not rise this winter,\" said Jose Ramirez-Ortega, speaking for the Harbour Authority.\n"
)
FAMILY = (
    "Mill Reopens\n\n"
    "The mill was founded by Chidi Emeka Okonkwo in 1961. \"We kept every loom,\" said his son Chidi Okonkwo, "
    "who runs it now. \"My father would have wanted the doors open,\" Okonkwo said.\n"
)
NAMESAKES = (
    "Two Ortizes\n\n"
    "\"The budget is balanced,\" said Lena Ortiz Mendes, the treasurer. \"Not quite,\" said Lena Ortiz, "
    "an auditor.\n"
)


def newsroom() -> tuple[list[Article], Canned]:
    """Four articles of our own: an accented hyphenated name in two spellings, a father and son, namesakes."""
    canned = Canned()
    ferry = Article(id="ferry", text=FERRY, outlet="Island Times", published="2024-02-01")
    t = FERRY
    canned.add(result(ferry, [
        quote(t, "The crossing is safe again,", "José Ramírez-Ortega", entity_id=1, role="chief spokesman",
              affiliation="the Harbour Authority", claims=[claim(t, "The crossing is safe again")]),
        quote(t, "two boats will run every hour.", "José Ramírez-Ortega", mention="Ramírez-Ortega", cue="added",
              entity_id=1, role="chief spokesman", affiliation="the Harbour Authority"),
    ], [entity(t, 1, "José Ramírez-Ortega", aliases=["Ramírez-Ortega"],
               roles=[("chief spokesman", "the Harbour Authority", "the chief spokesman of the Harbour")])]))
    fares = Article(id="fares", text=FARES, outlet="Coast Post", published="2024-03-01")
    t = FARES
    canned.add(result(fares, [
        quote(t, "Fares will not rise this winter,", "Jose Ramirez-Ortega", entity_id=1,
              affiliation="Harbour Authority", claims=[claim(t, "Fares will not rise this winter")]),
    ], [entity(t, 1, "Jose Ramirez-Ortega")]))
    family = Article(id="family", text=FAMILY, outlet="Valley News", published="2024-04-01")
    t = FAMILY
    canned.add(result(family, [
        quote(t, "We kept every loom,", "Chidi Okonkwo", entity_id=2),
        quote(t, "My father would have wanted the doors open,", "Chidi Okonkwo", mention="Okonkwo", entity_id=2),
    ], [entity(t, 1, "Chidi Emeka Okonkwo"), entity(t, 2, "Chidi Okonkwo", aliases=["Okonkwo"])]))
    namesakes = Article(id="namesakes", text=NAMESAKES, outlet="Valley News", published="2024-05-01")
    t = NAMESAKES
    canned.add(result(namesakes, [
        quote(t, "The budget is balanced,", "Lena Ortiz Mendes", entity_id=1, role="treasurer"),
        quote(t, "Not quite,", "Lena Ortiz", entity_id=2, role="auditor"),
    ], [entity(t, 1, "Lena Ortiz Mendes"), entity(t, 2, "Lena Ortiz")]))
    # An older article: Lena Ortiz's newest quote is older than Lena Ortiz Mendes's.
    older = Article(id="older", text='"Audits take time," said Lena Ortiz.', published="2023-01-01")
    canned.add(result(older, [quote(older.text, "Audits take time,", "Lena Ortiz", entity_id=1)],
                      [entity(older.text, 1, "Lena Ortiz")]))
    return [ferry, fares, family, namesakes, older], canned


@pytest.fixture
def url(db_url):
    db.setup_database(db_url)
    articles, canned = newsroom()
    with db.open_store(db_url) as store:
        report = db.ingest(store, articles, canned, version=VERSION)
    assert report.failed == 0, report.failures
    return db_url


def find(url: str, **kw) -> db.QuoteSearch:
    with db.open_store(url) as store, store.session() as s:
        return db.find_quotes(s, db.QuoteFilter(**kw))


@pytest.mark.parametrize("typed", ["Ramírez-Ortega", "ramirez ortega", "Ortega", "jose", "JOSÉ RAMÍREZ ORTEGA",
                                   "José Ramírez", "Mr. Ramirez-Ortega"])
def test_any_whole_run_of_words_finds_the_speaker_in_every_article(url, typed):
    found = find(url, speaker=typed)
    assert [m.name for m in found.matched] == ["José Ramírez-Ortega"]
    assert sorted(q.quote for q in found.rows) == ["Fares will not rise this winter,", "The crossing is safe again,",
                                                   "two boats will run every hour."]


@pytest.mark.parametrize("typed", ["Ramir", "Ortega José", "ramírez jose"])
def test_a_part_of_a_word_or_words_out_of_order_find_nobody(url, typed):
    found = find(url, speaker=typed)
    assert not found.speaker_known and found.rows == []


def test_a_surname_finds_father_and_son_and_labels_each_quote_with_its_own_speaker(url):
    found = find(url, speaker="Okonkwo")
    assert {m.name for m in found.matched} == {"Chidi Okonkwo", "Chidi Emeka Okonkwo"}
    assert found.matched[0].name == "Chidi Okonkwo"  # "Okonkwo" is his alias: he ranks first
    assert len(found.rows) == 2 and {q.speaker for q in found.rows} == {"Chidi Okonkwo"}
    assert [m.name for m in find(url, speaker="chidi okonkwo").matched] == ["Chidi Okonkwo"]


def test_an_exact_full_name_ranks_first(url):
    found = find(url, speaker="Lena Ortiz")
    assert [m.name for m in found.matched] == ["Lena Ortiz", "Lena Ortiz Mendes"]
    # Her quotes come first although Lena Ortiz Mendes's is newer; newest first within each.
    assert [q.quote for q in found.rows] == ["Not quite,", "Audits take time,", "The budget is balanced,"]
    assert [q.quote for q in find(url, speaker="Lena Ortiz", limit=1).rows] == ["Not quite,"]


def test_did_you_mean_only_when_nothing_matches(url):
    missed = find(url, speaker="Okonkow")
    assert not missed.speaker_known and "Chidi Okonkwo" in missed.suggestions
    assert find(url, speaker="Okonkwo").suggestions == []
    result = run("quotes", "--speaker", "Ramires-Ortega", "--db", url)
    assert result.exit_code == 1
    assert result.stderr.strip() == "No speaker named 'Ramires-Ortega'; did you mean 'José Ramírez-Ortega'?"


def test_role_and_affiliation_match_words_like_names(url):
    assert len(find(url, role="spokesman", affiliation="Harbour Authority").rows) == 2
    assert len(find(url, role="Chief Spokesman").rows) == 2
    assert find(url, role="spokes").rows == []
    assert len(find(url, affiliation="the harbour authority").rows) == 3  # "the" in the query is a word too
    assert len(find(url, affiliation="HARBOUR").rows) == 3
    found = run_json("quotes", "--role", "spokesman", "--affiliation", "Harbour", "--db", url)
    assert {q["affiliation"] for q in found} == {"Harbour Authority"}


def test_speaker_profile_takes_any_run_of_words(url):
    profile = run_json("speaker", "ortega", "--db", url)
    assert profile["speaker"]["name"] == "José Ramírez-Ortega" and profile["speaker"]["quotes"] == 3
    assert set(profile) == {"speaker", "aliases", "roles", "articles"}  # the JSON keeps its shape
    ambiguous = run("speaker", "Okonkwo", "--db", url)
    assert ambiguous.exit_code == 1 and ambiguous.stderr.count("\n") == 1
    assert "Chidi Okonkwo" in ambiguous.stderr and "Chidi Emeka Okonkwo" in ambiguous.stderr
    assert run_json("speaker", "Lena Ortiz", "--db", url)["speaker"]["name"] == "Lena Ortiz"  # exact name wins


def test_a_profile_lists_others_with_the_same_surname(url, monkeypatch):
    from cli import common

    monkeypatch.setattr(common.console, "_width", 120)
    shown = run("speaker", "Chidi Okonkwo", "--db", url)
    assert shown.exit_code == 0, shown.stderr
    line = next(ln for ln in shown.stdout.splitlines() if ln.startswith("same surname:"))
    assert "Chidi Emeka Okonkwo" in line
    with db.open_store(url) as store, store.session() as s:
        father = db.speaker_profile(s, "Chidi Emeka Okonkwo")
    assert [m.name for m in father.same_surname] == ["Chidi Okonkwo"]


def test_export_and_review_take_the_same_speaker_search(url, tmp_path):
    out = tmp_path / "jose.jsonl"
    assert run("export", "jsonl", "--speaker", "jose", "-o", out, "--db", url).exit_code == 0
    exported = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(exported) == 3 and {q["speaker"] for q in exported} == {"José Ramírez-Ortega"}
    with db.open_store(url) as store:
        rs = ReviewSession(store, "ana", ReviewQueue(speaker="Ortega")).open()
        texts = []
        while (card := rs.card()) is not None:
            texts.append(card.text)
            rs.skip()
    assert sorted(texts) == ["Fares will not rise this winter", "The crossing is safe again"]
    with db.open_store(url) as store, pytest.raises(db.NotFound, match="did you mean"):
        ReviewSession(store, "ana", ReviewQueue(speaker="Ortegga")).open()


# --- the seed article (the "Done when") -------------------------------------------------------------

KABUL = (
    "Briefing in Kabul\n\n"
    "\"Foreign embassies can reopen,\" Zabihullah Mujahid told reporters on Tuesday.\n"
)


def test_seed_alone_surname_finds_the_spokesman_with_role_and_affiliation(db_url, extractor, models_dir):
    if not SEED.is_file():
        pytest.skip(f"no seed article at {SEED}")
    assert run("ingest", SEED, "--db", db_url, "--models", models_dir).exit_code == 0
    found = run_json("quotes", "--speaker", "Mujahid", "--db", db_url)
    assert len(found) == 1
    assert (found[0]["speaker"], found[0]["role"], found[0]["affiliation"]) == (
        "Zabihullah Mujahid", "chief spokesman", "Taliban")
    assert found[0]["quote"].startswith("With this victory")


def test_seed_first_name_finds_his_quotes_in_every_article(db_url, extractor):
    db.setup_database(db_url)
    canned = seed_canned(extractor)
    kabul = Article(id="kabul", text=KABUL, published="2021-09-07")
    canned.add(result(kabul, [quote(KABUL, "Foreign embassies can reopen,", "Zabihullah Mujahid", cue="told",
                                    entity_id=1)], [entity(KABUL, 1, "Zabihullah Mujahid")]))
    with db.open_store(db_url) as store:
        db.ingest(store, [seed_article(), kabul], canned, version=canned.results["panjshir"].extractor_version)
    found = run_json("quotes", "--speaker", "zabihullah", "--db", db_url)
    assert {q["speaker"] for q in found} == {"Zabihullah Mujahid"}
    assert len({q["article_id"] for q in found}) == 2


def test_seed_surname_massoud_returns_the_sons_quotes_never_the_fathers(db_url, extractor):
    db.setup_database(db_url)
    canned = seed_canned(extractor)
    with db.open_store(db_url) as store:
        db.ingest(store, [seed_article()], canned, version=canned.results["panjshir"].extractor_version)
    found = run_json("quotes", "--speaker", "Massoud", "--db", db_url)
    assert found and {q["speaker"] for q in found} == {"Ahmad Massoud"}
    assert all(q["speaker"] != "Ahmad Shah Massoud" for q in found)
    with db.open_store(db_url) as store, store.session() as s:
        matched = {m.name for m in db.match_speakers(s, "Massoud")}
    assert {"Ahmad Massoud", "Ahmad Shah Massoud"} <= matched
