"""The exact shortcuts inside Stanza (:mod:`attribution.parsing.shortcuts`) change no annotation.

They patch Stanza internals, so these tests compare them with Stanza's own code, on the real models and on
random inputs; a Stanza upgrade that changes those internals fails here first.
"""

from __future__ import annotations

import numpy as np
import pytest

from attribution.parsing.pipeline import get_parser
from attribution.parsing.shortcuts import contract_cycle, cycles

# Written for this test: reported speech, a split quotation, a relative clause, passive and possessive
# constructions, lists and a sentence with two clauses on one verb -- enough variety to give every label
# and cycles in the tree decoding.
TEXT = (
    "The harbour council said on Monday that ferry crossings would resume in April, after a winter of "
    "repairs that cost more than the town had planned.\n\n"
    "“We were told the pier was safe,” said Mara Lind, who runs the kiosk by the quay. “It was not.”\n\n"
    "The report, which was written by an engineer hired by the council's own auditors, was published "
    "late and was criticised by the opposition, the unions and two former mayors.\n\n"
    "Officials declined to say whether the contractor, whose name was withheld, would be fined.\n\n"
    "She gave the inspectors the keys and the ledgers, and they gave her a receipt."
)
OTHER = "Nobody answered the phone at the ferry office. The boats stayed in port all week."


@pytest.fixture(scope="module")
def parser(models_dir):
    return get_parser(models_dir)


def _annotations(doc):
    return [(w.text, w.upos, w.xpos, w.feats, w.lemma, w.head, w.deprel, t.ner)
            for s in doc.sentences for t in s.tokens for w in t.words]


def _both(parser, texts):
    """Annotations of ``texts`` with the shortcuts and with Stanza as it comes."""
    fast = [_annotations(d) for d in parser.parse(texts, mode="full")]
    parser.exact_shortcuts = False
    try:
        stock = [_annotations(d) for d in parser.parse(texts, mode="full")]
    finally:
        parser.exact_shortcuts = True
    return fast, stock


def test_shortcuts_change_no_annotation(parser):
    fast, stock = _both(parser, [TEXT, OTHER, TEXT])
    assert fast == stock
    assert {a[6] for doc in fast for a in doc} >= {"nsubj", "nsubj:pass", "ccomp", "acl:relcl", "obl"}


def test_remembered_lemmas_are_the_lemmas_stanza_finds(parser):
    """The second parse of a text takes its rare words' lemmas from the memo, and they are the same."""
    from attribution.parsing.shortcuts import lemmatizer_shortcuts

    trainer = parser._nlp.processors["lemma"].trainer
    parser.parse([TEXT], mode="full")
    memo = lemmatizer_shortcuts(trainer).memo
    assert memo  # "Lind", "kiosk" ...: words the lemmatizer's dictionary does not hold
    fast, stock = _both(parser, [TEXT])
    assert fast == stock


CONTRACTIONS = (
    "“It’s not the harbour’s fault,” said Mara Lind. Lind's brother didn't agree: “Lind's kiosk isn't safe "
    "and the council's engineers know it.” Tromsø's ferries can't sail, and Tromsø's mayor won't say why."
)
ONLY_COMMON = "It's late. Don't wait for us, we're fine."


def test_multiword_tokens_expand_as_stanza_expands_them(parser):
    """Tokens the expander's dictionary lacks go to its model once per text; the dictionary's alone, and
    repeats, are answered without it; every expansion is Stanza's own."""
    from attribution.parsing.shortcuts import mwt_shortcuts

    processor = parser._nlp.processors["mwt"]
    fast, stock = _both(parser, [CONTRACTIONS, ONLY_COMMON, CONTRACTIONS])
    assert fast == stock
    assert "Lind's" in mwt_shortcuts(processor).memo  # a name the dictionary cannot hold
    assert ("Lind", "'s") in {(a[0], b[0]) for a, b in zip(fast[0], fast[0][1:], strict=False)}
    # nothing new for the model now (remembered or in the dictionary): the merge still runs
    fast, stock = _both(parser, [ONLY_COMMON, CONTRACTIONS])
    assert fast == stock
    assert [a[0] for a in fast[0][:3]] == ["It", "'s", "late"]


def test_the_head_constraint_repair_gets_stanzas_own_label_scores(parser, monkeypatch):
    """With Stanza's head-constraint repair on (two subjects or objects on one head; off in the default
    pipeline), a sentence that needs it is repaired from every pair's label scores.

    No sentence of the text has such a violation, so the check reports one everywhere: every sentence
    then goes through the repair with the full label scores, which must find Stanza's own labels.
    """
    import attribution.parsing.shortcuts as shortcuts

    config = parser._nlp.processors["depparse"].config
    monkeypatch.setitem(config, "resolve_head_constraints", True)
    _fast, stock = _both(parser, [TEXT, OTHER])
    monkeypatch.setattr(shortcuts, "_violates", lambda tree, deprels: True)
    fast = [_annotations(d) for d in parser.parse([TEXT, OTHER], mode="full")]
    assert fast == stock


def test_the_shortcuts_leave_stanza_as_it_was(parser):
    """Outside a call, Stanza's parser, vocabularies and decoder are their own again."""
    from stanza.models.common import chuliu_edmonds

    parser.parse([OTHER], mode="full")
    model = parser._nlp.processors["depparse"]._trainer.model
    assert "forward" not in vars(model.deprel)
    taggers = [model, parser._nlp.processors["pos"]._trainer.model,
               *(t.model for t in parser._nlp.processors["ner"].trainers)]
    assert all("forward" not in vars(m.charmodel) for m in taggers)
    assert "decode_graph_predictions" not in vars(model)
    feats = parser._nlp.processors["pos"]._trainer.vocab["feats"]
    assert "id2unit" not in vars(feats)
    lemmatizer = parser._nlp.processors["lemma"].trainer
    assert "skip_seq2seq" not in vars(lemmatizer) and "ensemble" not in vars(lemmatizer)
    mwt = parser._nlp.processors["mwt"]
    assert "build_batch" not in vars(mwt) and "ensemble" not in vars(mwt.trainer)
    tree = np.array([0, 2, 1])  # a cycle between words 1 and 2
    assert len(chuliu_edmonds.tarjan(tree)) == 1  # the installed switch falls back to Stanza's search


def _random_tree(rng, n):
    tree = rng.integers(0, n, size=n)
    tree[0] = 0
    tree[tree == np.arange(n)] = 0  # no self-loops but the root's, as Stanza prepares its scores
    return tree


def test_cycle_search_matches_stanzas_tarjan():
    from stanza.models.common.chuliu_edmonds import tarjan

    rng = np.random.default_rng(7)
    for _ in range(3000):
        tree = _random_tree(rng, int(rng.integers(1, 30)))
        expected, got = tarjan(tree), cycles(tree)
        assert len(got) == len(expected)
        assert all(g.dtype == e.dtype and (g == e).all() for g, e in zip(got, expected, strict=True))


def test_cycle_contraction_matches_stanzas():
    from stanza.models.common.chuliu_edmonds import process_cycle, tarjan

    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(2000):
        tree = _random_tree(rng, int(rng.integers(3, 30)))
        found = tarjan(tree)
        if not found:
            continue
        scores = rng.normal(size=(len(tree), len(tree)))
        expected = process_cycle(tree, found[-1], scores)
        got = contract_cycle(tree, found[-1], scores)
        assert all(g.dtype == e.dtype and np.array_equal(g, e) for g, e in zip(got, expected, strict=True))
        checked += 1
    assert checked > 500


# --- switching the shortcuts off, and their fallback when Stanza is not the one they were written for -----

# Written for this test: direct, split, partial and reported speech with named, pronoun and organisation
# speakers.
QUOTES_TEXT = (
    "“The ferry will run again in April,” said Mara Lind, who chairs the harbour council. “Not a day later.”\n\n"
    "The operator said the repairs had cost twice what was planned. Its director, Tomas Berg, called the "
    "delay “regrettable but unavoidable”.\n\n"
    "“We were never consulted,” she added."
)


@pytest.fixture
def warn_again(monkeypatch):
    """Let this test see the once-per-process warning again."""
    from attribution.parsing import shortcuts as stanza_shortcuts

    monkeypatch.setattr(stanza_shortcuts, "_warned", False)


def test_the_installed_stanza_is_one_the_shortcuts_fit(parser):
    """Stanza as pinned in pyproject.toml: nothing differs, so the shortcuts run (a failure here after an
    upgrade means: re-run these tests on the new version, then widen TESTED_STANZA and the pin)."""
    from attribution.parsing.shortcuts import pipeline_problems, stanza_problems

    assert stanza_problems() == []
    assert pipeline_problems(parser._nlp.processors) == []
    assert parser.shortcuts_fit()


def test_shortcuts_off_gives_the_same_quotes(models_dir, extractor, monkeypatch):
    from attribution import Extractor
    from attribution.parsing.shortcuts import ENV_SHORTCUTS

    on = [q.to_dict() for q in extractor.extract(QUOTES_TEXT).quotes]
    assert extractor.parser._use_shortcuts  # the default run used them
    off = Extractor(models_dir, shortcuts=False)
    assert [q.to_dict() for q in off.extract(QUOTES_TEXT).quotes] == on
    assert not off.parser._use_shortcuts  # stock Stanza, on the same (shared) pipeline
    monkeypatch.setenv(ENV_SHORTCUTS, "0")
    from_env = Extractor(models_dir)
    assert from_env.shortcuts is False
    assert [q.to_dict() for q in from_env.extract(QUOTES_TEXT).quotes] == on
    assert len(on) >= 4 and {q["speaker"] for q in on} >= {"Mara Lind", "Tomas Berg"}


def test_cli_extract_with_shortcuts_off_prints_the_same_quotes(models_dir, tmp_path, monkeypatch):
    from attribution.parsing.shortcuts import ENV_SHORTCUTS
    from tests.cli_helpers import run

    path = tmp_path / "ferry.txt"
    path.write_text(QUOTES_TEXT, encoding="utf-8")
    default = run("extract", path, "--jsonl")
    monkeypatch.setenv(ENV_SHORTCUTS, "0")
    stock = run("extract", path, "--jsonl")
    assert default.exit_code == stock.exit_code == 0, default.stderr + stock.stderr
    assert stock.stdout == default.stdout and '"speaker": "Mara Lind"' in default.stdout


def test_another_stanza_version_falls_back_to_stock_with_one_warning(models_dir, parser, monkeypatch, warn_again):
    """A Stanza minor version the shortcuts were not tested on: the parser loads, warns once, parses with
    stock Stanza, and the annotations are Stanza's own."""
    import stanza

    from attribution.parsing.pipeline import Parser
    from attribution.parsing.shortcuts import ShortcutsDisabled

    stock = _both(parser, [TEXT])[1]
    monkeypatch.setattr(stanza, "__version__", "1.99.0")
    with pytest.warns(ShortcutsDisabled, match=r"Stanza 1\.99\.0 is not a tested version") as caught:
        fresh = Parser(models_dir)
        assert not fresh.shortcuts_fit()
        got = [_annotations(d) for d in fresh.parse([TEXT], mode="full", shortcuts=True)]
        Parser.shortcuts_fit(fresh)
    assert len([w for w in caught if issubclass(w.category, ShortcutsDisabled)]) == 1
    assert not fresh._use_shortcuts
    assert got == stock


def test_changed_internals_fall_back_with_one_warning(parser, monkeypatch, warn_again):
    """A patched function whose signature changed, and a call site that no longer calls through the
    instance: both reported in the one warning, and the shortcuts are not used."""
    from stanza.models.common import chuliu_edmonds
    from stanza.models.depparse.model import GraphParser

    from attribution.parsing.shortcuts import ShortcutsDisabled, shortcuts_usable, stanza_problems

    monkeypatch.setattr(chuliu_edmonds, "tarjan", lambda graph, root=0: [])
    monkeypatch.setattr(GraphParser, "predict", lambda self, *args, **kwargs: None)
    problems = stanza_problems()
    assert any("chuliu_edmonds.tarjan('graph', 'root')" in p for p in problems)
    assert any("GraphParser.predict no longer calls self.decode_graph_predictions(" in p for p in problems)
    with pytest.warns(ShortcutsDisabled) as caught:
        assert shortcuts_usable(parser._nlp.processors) is False
        assert shortcuts_usable(parser._nlp.processors) is False
    assert len(caught) == 1
    assert "tarjan" in str(caught[0].message) and "decode_graph_predictions" in str(caught[0].message)
