"""``attribution eval-claims FILE``: the check-worthiness model measured on a small labelled file of our
own, in both benchmark formats (a ClaimBuster JSON list, a CLEF CheckThat! CSV)."""

from __future__ import annotations

import csv
import json

import pytest

from tests.cli_helpers import run

#: Sentences written for this test: check-worthy ones state figures and past facts, the others are
#: opinions, thanks, questions and promises.
LABELLED = [
    ("The county spent 14 million dollars on road repairs in 2022.", 1),
    ("I think our town deserves better than this.", 0),
    ("Unemployment in the region fell from 9 percent to 6 percent last year.", 1),
    ("Thank you all for coming tonight.", 0),
    ("The state senate passed the housing bill by 31 votes to 8.", 1),
    ("Why would anyone believe that?", 0),
    ("We will fight for every family in this city.", 0),
    ("Crime rose by a third after the police budget was cut in half.", 1),
]


def _json_file(tmp_path):
    path = tmp_path / "set.json"
    path.write_text(json.dumps([{"sentence_id": i, "label": y, "text": t} for i, (t, y) in enumerate(LABELLED)]))
    return path


def _csv_file(tmp_path, transcripts=("debate-a.tsv", "debate-b.tsv")):
    path = tmp_path / "set.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["line_number", "speaker", "text", "label", "file_name"])
        for i, (t, y) in enumerate(LABELLED):
            writer.writerow([i + 1, "SPEAKER", t, y, transcripts[i % len(transcripts)]])
    return path


def _json_result(*args):
    result = run("eval-claims", *args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_claimbuster_json_gives_the_measures_and_no_map(tmp_path):
    figures = _json_result(_json_file(tmp_path))
    assert set(figures) == {"sentences", "roc_auc", "f1", "map"}
    assert figures["sentences"] == len(LABELLED)
    assert figures["map"] is None  # one transcript
    assert figures["roc_auc"] == 1.0  # every statement of fact outranks every opinion, thanks and promise
    assert 0.0 < figures["f1"] <= 1.0


def test_clef_csv_with_several_transcripts_gives_map(tmp_path):
    figures = _json_result(_csv_file(tmp_path))
    assert figures["sentences"] == len(LABELLED)
    assert figures["map"] == 1.0 and figures["roc_auc"] == 1.0
    assert _json_result(_csv_file(tmp_path, transcripts=("only.tsv",)))["map"] is None


def test_pred_out_writes_one_line_per_sentence_in_input_order(tmp_path):
    out = tmp_path / "pred.jsonl"
    figures = _json_result(_csv_file(tmp_path), "--pred-out", out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == figures["sentences"] == len(LABELLED)
    assert all(set(p) == {"score", "checkable"} and 0.0 <= p["score"] <= 1.0 for p in lines)
    scores = [p["score"] for p in lines]
    assert min(s for s, (_, y) in zip(scores, LABELLED, strict=True) if y) > max(
        s for s, (_, y) in zip(scores, LABELLED, strict=True) if not y)
    checkable = {t: p["checkable"] for p, (t, _) in zip(lines, LABELLED, strict=True)}
    assert not checkable["Why would anyone believe that?"]
    assert not checkable["We will fight for every family in this city."]
    assert checkable["The county spent 14 million dollars on road repairs in 2022."]
    # The same file in the other format gives the same scores.
    other = tmp_path / "pred2.jsonl"
    _json_result(_json_file(tmp_path), "--pred-out", other)
    assert other.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


def test_the_table_names_the_measures(tmp_path):
    result = run("eval-claims", _csv_file(tmp_path))
    assert result.exit_code == 0, result.stderr
    for header in ("sentences", "ROC AUC", "F1", "MAP"):
        assert header in result.stdout


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("just some words\n", "neither a ClaimBuster JSON list nor a CLEF CSV"),
    ('[{"text": "A sentence."}]', "item 1 is not an object with a text and a label"),
    ('[{"text": "A sentence.", "label": 2}]', "label must be 0 or 1"),
    ("[1, 2", "not valid JSON"),
    ("text,label\nA sentence.,yes\n", "line 2: label must be 0 or 1"),
    ("[]", "holds no sentences"),
])
def test_bad_input_is_one_line_and_exit_1(tmp_path, content, message):
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run("eval-claims", path, "--json")
    assert result.exit_code == 1
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stdout == ""
