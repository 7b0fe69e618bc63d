"""``attribution eval`` and the scorer behind it, checked against ../shared/tools/score.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from attribution.errors import GoldFormatError
from attribution.evaluation import THRESHOLDS, evaluate, load_gold, name_matches
from cli.app import app
from tests.conftest import SHARED

runner = CliRunner()
SCORE_PY = SHARED / "tools" / "score.py"
needs_score_py = pytest.mark.skipif(not SCORE_PY.is_file(), reason=f"{SCORE_PY} not found")

DOC1 = ("Mayor Clara Oduya visited the flooded district of Norwell on Monday.\n"
        "“We will rebuild the bridge before winter,” said Mayor Clara Oduya.\n"
        "Harbour master Ingrid Solberg said the pier would reopen on Friday.\n")
DOC2 = ("The Harbour Alliance is led by Selma Okafor.\n"
        "“We will not be moved from this quay,” she said.\n"
        "The alliance has 400 members in Norwell.\n")


def span(text: str, needle: str) -> tuple[int, int]:
    s = text.index(needle)
    return s, s + len(needle)


def at(text: str, needle: str) -> dict:
    s, e = span(text, needle)
    return {"start": s, "end": e, "content": needle}


def gold_quote(text, content, kind, speaker, mention, cue, role=None, **extra):
    s, e = span(text, content)
    q = {"start": s, "end": e, "content": content, "kind": kind, "speaker": speaker, "cue": cue, "role": role}
    if mention is None:
        q.update(speaker_mention=None, speaker_start=None, speaker_end=None)
    else:
        mention_text, after = mention
        ms = text.index(mention_text, text.index(after) if after else 0)
        q.update(speaker_mention=mention_text, speaker_start=ms, speaker_end=ms + len(mention_text))
    q.update(extra)
    return q


def gold_docs() -> list[dict]:
    return [
        {"id": "norwell-1", "text": DOC1, "source": "seed", "quotes": [
            gold_quote(DOC1, "We will rebuild the bridge before winter,", "direct", "Clara Oduya",
                       ("Mayor Clara Oduya", "said"), "said", role="Mayor"),
            gold_quote(DOC1, "the pier would reopen on Friday", "indirect", "Ingrid Solberg",
                       ("Ingrid Solberg", None), "said", role="Harbour master"),
            # nothing reports this as speech: the extractor misses it, and --errors lists the miss
            gold_quote(DOC1, "visited the flooded district of Norwell", "indirect", "Clara Oduya", None, None),
        ]},
        {"id": "norwell-2", "text": DOC2, "source": "seed", "quotes": [
            gold_quote(DOC2, "We will not be moved from this quay,", "direct", "Selma Okafor", ("she", None), "said",
                       role="leader", affiliation="Harbour Alliance"),
        ]},
    ]


def write_jsonl(path: Path, docs: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8")
    return path


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error:")
    assert "Traceback" not in result.output
    return lines[0]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def gold_file(tmp_path, models_dir):
    return write_jsonl(tmp_path / "gold.jsonl", gold_docs())


def test_eval_prints_precision_recall_f1(gold_file):
    result = runner.invoke(app, ["eval", str(gold_file)])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    for header in ("P", "R", "F1", "cue", "role", "gold", "pred"):
        assert f"┃ {header} " in out
    for t in THRESHOLDS:
        assert f"> {t}" in out
    assert "documents: 2/2 predicted" in out
    assert "recall by kind" in out


@needs_score_py
def test_eval_json_equals_score_py_on_the_same_predictions(gold_file, tmp_path):
    pred = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(gold_file), "--json", "--pred-out", str(pred)])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    preds = [json.loads(line) for line in pred.read_text(encoding="utf-8").splitlines()]
    assert sorted(p["id"] for p in preds) == ["norwell-1", "norwell-2"]
    assert not list(tmp_path.glob("*.tmp")), "the temporary predictions file is left behind"
    theirs = subprocess.run([sys.executable, str(SCORE_PY), str(gold_file), str(pred), "--json"],
                            capture_output=True, text=True, check=True)
    assert ours == json.loads(theirs.stdout)
    # sanity: the easy quotes are found and the planted miss is missed
    t = ours["t0.3"]
    assert t["gold"] == 4
    assert 2 <= t["matched"] <= 3
    assert ours["documents"] == ours["documents_predicted"] == 2


def test_eval_errors_lists_the_miss(gold_file):
    result = runner.invoke(app, ["eval", str(gold_file), "--errors", "20"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert {"doc": "norwell-1", "type": "missed", "gold": "visited the flooded district of Norwell"} in records


def test_eval_errors_prints_the_trace_beside_a_wrong_speaker(tmp_path, models_dir, monkeypatch):
    """A gold file naming someone else as the mayor's speaker: the wrong-speaker line carries the predicted
    quote's rule_trace, the same list the predictions file holds."""
    from cli import common

    monkeypatch.setattr(common.console, "_width", 400)  # one record per line
    docs = gold_docs()[:1]
    docs[0]["quotes"][0]["speaker"] = "Harald Vik"
    gold = write_jsonl(tmp_path / "wrong.jsonl", docs)
    pred_out = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(gold), "--errors", "20", "--pred-out", str(pred_out)])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    wrong = [r for r in records if r["type"] == "wrong speaker"]
    assert [(r["gold"], r["pred"]) for r in wrong] == [("Harald Vik", "Clara Oduya")]
    predicted = json.loads(pred_out.read_text(encoding="utf-8"))["quotes"]
    chosen = next(q for q in predicted if q["content"].startswith("We will rebuild"))
    assert wrong[0]["rule_trace"] == chosen["rule_trace"]
    assert all("rule_trace" not in r for r in records if r["type"] != "wrong speaker")


@pytest.mark.parametrize("content, where", [
    ('{"id": "a", "text": "x", "quotes": []}\n{not json\n', ":2:"),
    ('{"id": "a", "quotes": []}\n', ":1:"),
    ('{"id": "a", "text": "Some text.", "quotes": [{"start": "0", "end": 4}]}\n', ":1:"),
    ('["a", "list"]\n', ":1:"),
    ("\n\n", "no documents"),
])
def test_malformed_gold_is_a_one_line_error(tmp_path, content, where):
    f = tmp_path / "bad-gold.jsonl"
    f.write_text(content, encoding="utf-8")
    line = one_line_error(runner.invoke(app, ["eval", str(f)]))
    assert "bad-gold.jsonl" in line
    assert where in line


def test_missing_gold_file_is_a_one_line_error(tmp_path):
    line = one_line_error(runner.invoke(app, ["eval", str(tmp_path / "nope.jsonl")]))
    assert "nope.jsonl" in line


def test_gold_file_that_is_not_utf8_is_a_one_line_error(tmp_path):
    f = tmp_path / "bin.jsonl"
    f.write_bytes(b"\xff\xfe\x00\x01binary")
    line = one_line_error(runner.invoke(app, ["eval", str(f)]))
    assert "bin.jsonl" in line


# --- the scorer itself, against score.py, without the parser ---------------------------------------

SCORER_TEXT = "Ana Flores said the pier is safe. “It was checked twice,” she said. Officials agreed."


def scorer_case() -> tuple[list[dict], list[dict]]:
    t = SCORER_TEXT
    gold = [{"id": "s1", "text": t, "quotes": [
        {**at(t, "the pier is safe"), "kind": "indirect",
         "speaker": "Ana Flores", "speaker_aliases": ["Flores"], "not_speaker": ["Ana Flores Senior"],
         "speaker_start": 0, "speaker_end": 10, "cue": "said", "role": "harbour engineer"},
        {**at(t, "It was checked twice,"),
         "kind": "direct", "speaker": "Ana Flores", "speaker_start": t.index("she"), "speaker_end": t.index("she") + 3,
         "cue": "said"},
        {**at(t, "Officials agreed"), "kind": "indirect",
         "speaker": None, "required": False},
    ]}, {"id": "s2", "text": "Nothing here.", "quotes": [
        {"start": 0, "end": 7, "content": "Nothing", "kind": "direct", "speaker": "Tom Birch", "cue": None}]}]
    s, e = span(t, "the pier is safe")
    pred = [{"id": "s1", "quotes": [
        {"start": s, "end": e - 3, "speaker": "Ms Ana Flores", "speaker_start": 3, "speaker_end": 10, "cue": "said",
         "role": "senior harbour engineer"},
        {"start": t.index("It was"), "end": t.index("It was") + 10, "speaker": "Tom Birch",
         "speaker_start": None, "cue": "says", "rule_trace": ["frame:cue-subject", "sieve:nearest-name"]},
        {"start": t.index("Officials"), "end": len(t) - 1, "speaker": "officials"},
        {"start": 0, "end": 3, "speaker": None},
        {"start": None, "end": None},
    ]}, {"id": "ghost", "quotes": [{"start": 0, "end": 2}]}]
    return gold, pred


def test_evaluate_hand_checked_figures():
    gold, pred = scorer_case()
    result, errors = evaluate({d["id"]: d for d in gold}, {d["id"]: d for d in pred})
    t3 = result["t0.3"]
    assert t3["gold"] == 3  # the optional quote does not count
    assert t3["predicted"] == 3  # 4 with int offsets in s1, minus the one matching the optional quote
    assert t3["matched"] == 2
    assert t3["speaker_span_acc"] == 50.0
    assert t3["speaker_name_acc"] == 50.0
    assert t3["cue_acc"] == 50.0
    assert t3["role_acc"] == 100.0
    t8 = result["t0.8"]
    assert t8["matched"] == 1  # the 10-character prediction covers under 80% of its gold quote
    assert result["documents"] == 2 and result["documents_predicted"] == 1
    types = sorted(e.type for e in errors)
    assert types == ["missed", "spurious", "wrong speaker"]
    wrong = next(e for e in errors if e.type == "wrong speaker")
    assert wrong.rule_trace == ["frame:cue-subject", "sieve:nearest-name"]
    assert "rule_trace" not in wrong.to_dict()  # score.py's record: the trace is only printed by eval --errors


@needs_score_py
def test_evaluate_equals_score_py(tmp_path):
    gold, pred = scorer_case()
    g = write_jsonl(tmp_path / "g.jsonl", gold)
    p = write_jsonl(tmp_path / "p.jsonl", pred)
    ours, errors = evaluate(load_gold(g), {d["id"]: d for d in pred})
    out = subprocess.run([sys.executable, str(SCORE_PY), str(g), str(p), "--json", "--show-errors", "50"],
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert ours == json.loads(out[0])
    assert [e.to_dict() for e in errors] == [json.loads(line) for line in out[1:]]


@needs_score_py
def test_evaluate_roles_equals_score_py_roles(tmp_path):
    gold, pred = scorer_case()
    gold[0]["quotes"][0]["affiliation"] = "the Port Authority"
    pred[0]["quotes"][0]["affiliation"] = "Port Authority's"  # an article and a possessive are ignored
    g = write_jsonl(tmp_path / "g.jsonl", gold)
    p = write_jsonl(tmp_path / "p.jsonl", pred)
    ours, _ = evaluate(load_gold(g), {d["id"]: d for d in pred}, roles=True)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORE_PY), str(g), str(p), "--json", "--roles"],
                                       capture_output=True, text=True, check=True).stdout)
    assert ours == theirs
    assert ours["roles"]["affiliation_strict"] == 100.0
    assert ours["roles"]["role_strict"] == 0.0  # "senior harbour engineer" is not "harbour engineer"


def test_eval_roles_option_prints_exact_role_figures(gold_file):
    result = runner.invoke(app, ["eval", str(gold_file), "--json", "--roles"])
    assert result.exit_code == 0, result.output
    roles = json.loads(result.stdout)["roles"]
    assert roles["role_scored"] >= 1 and roles["affiliation_scored"] == 1


@pytest.mark.parametrize("pred, ok", [
    ("Ana Flores", True), ("Ms Ana Flores", True), ("Flores", False), ("Ana Flores Senior", False),
    ("Ana Maria Flores", False), (None, False), ("", False),
])
def test_name_matches(pred, ok):
    gold = {"speaker": "Ana Flores", "speaker_aliases": ["Flores", "A. Flores"], "not_speaker": ["Ana Flores Senior"]}
    assert name_matches(pred, gold) is ok


def test_name_matches_needs_a_gold_name():
    assert name_matches("Ana Flores", {"speaker": None}) is None


def test_load_gold_fills_content_and_rejects_shapes(tmp_path):
    f = write_jsonl(tmp_path / "g.jsonl", [{"id": 5, "text": "Hello there.", "quotes": [{"start": 0, "end": 5}]}])
    docs = load_gold(f)
    assert list(docs) == ["5"]
    assert docs["5"]["quotes"][0]["content"] == "Hello"
    with pytest.raises(GoldFormatError):
        load_gold(write_jsonl(tmp_path / "h.jsonl", [{"id": 1, "text": "x", "quotes": ["not a dict"]}]))


# --- calibration: how far a quote's confidence can be trusted ---------------------------------------

CALIB_TEXT = ("Ana Flores said the pier is safe. “It was checked twice,” she said. Tom Birch said the ferry runs "
              "late. “We need a new boat,” Birch said. Lena Holm said the quay will close. “Not this year,” "
              "Holm added.")


def calibration_case() -> tuple[list[dict], list[dict]]:
    """Six gold quotes; five predictions with a confidence (three right names), one without."""
    t = CALIB_TEXT
    said = [("the pier is safe", "Ana Flores"), ("It was checked twice,", "Ana Flores"),
            ("the ferry runs late", "Tom Birch"), ("We need a new boat,", "Tom Birch"),
            ("the quay will close", "Lena Holm"), ("Not this year,", "Lena Holm")]
    gold = [{"id": "c1", "text": t, "quotes": [{**at(t, content), "kind": "direct", "speaker": who, "cue": "said"}
                                              for content, who in said]}]
    # (predicted speaker, confidence): right at 0.95 and exactly 0.9, wrong at 1.0 (the last bin is closed),
    # wrong at 0.35 and right at 0.31, and a right name with no confidence (left out, as score.py does).
    guesses = [("Ana Flores", 0.95), ("Tom Birch", 1.0), ("Tom Birch", 0.9), ("Ana Flores", 0.35),
               ("Lena Holm", 0.31), ("Lena Holm", None)]
    quotes = []
    for (content, _who), (speaker, confidence) in zip(said, guesses, strict=True):
        q = {**at(t, content), "speaker": speaker}
        if confidence is not None:
            q["confidence"] = confidence
        quotes.append(q)
    return gold, [{"id": "c1", "quotes": quotes}]


def test_calibration_hand_checked_figures():
    gold, pred = calibration_case()
    result, _ = evaluate({d["id"]: d for d in gold}, {d["id"]: d for d in pred}, calibration=True)
    cal = result["calibration"]
    assert cal["scored"] == 5
    assert cal["bins"] == [{"bin": "0.3-0.4", "n": 2, "confidence": 33.0, "right": 50.0},
                           {"bin": "0.9-1.0", "n": 3, "confidence": 95.0, "right": 66.7}]
    # ECE: 2/5 * |0.33 - 0.5| + 3/5 * |0.95 - 2/3| = 0.068 + 0.17
    assert cal["ece"] == 23.8
    assert cal["right_at_0.9"] == 66.7 and cal["coverage_at_0.9"] == 60.0
    assert "calibration" not in evaluate({d["id"]: d for d in gold}, {d["id"]: d for d in pred})[0]


def test_calibration_without_confidences_scores_nothing():
    gold, pred = calibration_case()
    for q in pred[0]["quotes"]:
        q.pop("confidence", None)
    result, _ = evaluate({d["id"]: d for d in gold}, {d["id"]: d for d in pred}, calibration=True)
    assert result["calibration"] == {"scored": 0}


@needs_score_py
def test_evaluate_calibration_equals_score_py_calibration(tmp_path):
    gold, pred = calibration_case()
    g = write_jsonl(tmp_path / "g.jsonl", gold)
    p = write_jsonl(tmp_path / "p.jsonl", pred)
    ours, _ = evaluate(load_gold(g), {d["id"]: d for d in pred}, roles=True, calibration=True)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORE_PY), str(g), str(p), "--json", "--roles",
                                        "--calibration"], capture_output=True, text=True, check=True).stdout)
    assert ours == theirs
    assert ours["calibration"]["scored"] == 5


@needs_score_py
def test_eval_calibration_json_equals_score_py_on_the_same_predictions(gold_file, tmp_path):
    """The real extractor's predictions on our own gold file: eval --calibration and score.py --calibration agree."""
    pred = tmp_path / "pred.jsonl"
    result = runner.invoke(app, ["eval", str(gold_file), "--json", "--calibration", "--pred-out", str(pred)])
    assert result.exit_code == 0, result.output
    ours = json.loads(result.stdout)
    theirs = subprocess.run([sys.executable, str(SCORE_PY), str(gold_file), str(pred), "--json", "--calibration"],
                            capture_output=True, text=True, check=True)
    assert ours == json.loads(theirs.stdout)
    cal = ours["calibration"]
    assert cal["scored"] >= 2  # the mayor's and the harbour master's quotes are found with a speaker
    assert sum(b["n"] for b in cal["bins"]) == cal["scored"]


def test_eval_calibration_prints_the_reliability_table(gold_file):
    result = runner.invoke(app, ["eval", str(gold_file), "--calibration"])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "calibration (overlap > 0.3)" in out
    for header in ("confidence", "quotes", "mean confidence", "name right", "gap"):
        assert header in out
    assert "speaker names scored · ECE" in out and "at confidence >= 0.9" in out
    assert "calibration" not in runner.invoke(app, ["eval", str(gold_file)]).stdout
