"""``attribution extract``: the table, the --jsonl prediction format, directories, stdin (real parser)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from cli.app import app

runner = CliRunner()

STORY = ("Mayor Clara Oduya visited the flooded district of Norwell on Monday.\n"
         "“We will rebuild the bridge before winter,” said Mayor Clara Oduya.\n"
         "Harbour master Ingrid Solberg said the pier would reopen on Friday.\n")
SECOND = "“The ferry is safe to sail again,” said Ravi Patel, the town engineer.\n"
NO_QUOTES = "The ferry left Norwell at noon and reached the islands an hour later.\n"

PREDICTION_KEYS = {"start", "end", "content", "kind", "speaker", "speaker_mention", "speaker_start", "speaker_end",
                   "speaker_type", "cue", "role", "affiliation", "confidence"}


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def story(tmp_path, models_dir):
    f = tmp_path / "norwell-flood.txt"
    f.write_text(STORY, encoding="utf-8")
    return f


def test_extract_prints_a_table_with_speaker_and_quote(story):
    result = runner.invoke(app, ["extract", str(story)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for header in ("speaker", "role", "cue", "kind", "quote", "conf"):
        assert header in out
    assert "Clara Oduya" in out
    assert "Ingrid Solberg" in out
    assert "rebuild" in out and "bridge" in out
    assert "said" in out
    assert "Mayor" in out
    assert result.stderr == ""


def test_extract_jsonl_is_the_prediction_format(story):
    result = runner.invoke(app, ["extract", "--jsonl", str(story)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    doc = json.loads(lines[0])
    assert doc["id"] == "norwell-flood"
    assert isinstance(doc["quotes"], list) and doc["quotes"]
    for q in doc["quotes"]:
        assert set(q) >= PREDICTION_KEYS, PREDICTION_KEYS - set(q)
        assert isinstance(q["start"], int) and isinstance(q["end"], int)
        assert STORY[q["start"]:q["end"]] == q["content"]
        assert q["kind"] in ("direct", "partial", "mixed", "indirect")
        assert 0 <= q["confidence"] <= 1
        if q["speaker_start"] is not None:
            assert STORY[q["speaker_start"]:q["speaker_end"]] == q["speaker_mention"]
    bridge = next(q for q in doc["quotes"] if "rebuild the bridge" in q["content"])
    assert bridge["speaker"] == "Clara Oduya"
    assert bridge["speaker_type"] == "PERSON"
    assert bridge["cue"] == "said"
    assert bridge["role"] == "Mayor"
    assert bridge["kind"] == "direct"


def test_extract_directory_and_several_paths(tmp_path, models_dir):
    d = tmp_path / "articles"
    (d / "sub").mkdir(parents=True)
    (d / "a-flood.txt").write_text(STORY, encoding="utf-8")
    (d / "sub" / "b-ferry.txt").write_text(SECOND, encoding="utf-8")
    extra = tmp_path / "c-calm.txt"
    extra.write_text(NO_QUOTES, encoding="utf-8")
    result = runner.invoke(app, ["extract", "--jsonl", str(d), str(extra)])
    assert result.exit_code == 0, result.output
    docs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [doc["id"] for doc in docs] == ["a-flood", "b-ferry", "c-calm"]
    assert docs[2]["quotes"] == []
    assert docs[1]["quotes"][0]["speaker"] == "Ravi Patel"


def test_extract_stdin(models_dir):
    result = runner.invoke(app, ["extract", "--jsonl", "-"], input=SECOND)
    assert result.exit_code == 0, result.output
    [doc] = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(doc["id"]) == 16
    [q] = doc["quotes"]
    assert q["speaker"] == "Ravi Patel"
    assert SECOND[q["start"]:q["end"]] == q["content"]


def test_extract_jsonl_articles_keep_their_ids(tmp_path, models_dir):
    f = tmp_path / "feed.jsonl"
    f.write_text(json.dumps({"id": "feed-1", "text": SECOND, "title": "Ferry"}) + "\n"
                 + json.dumps({"id": "feed-2", "text": NO_QUOTES}) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--jsonl", str(f)])
    assert result.exit_code == 0, result.output
    assert [json.loads(line)["id"] for line in result.stdout.splitlines()] == ["feed-1", "feed-2"]


def test_extract_without_quotes_says_so(tmp_path, models_dir):
    f = tmp_path / "calm.txt"
    f.write_text(NO_QUOTES, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(f)])
    assert result.exit_code == 0, result.output
    assert "no quotes found" in flat(result.stdout)


def test_extract_reports_a_bad_file_and_goes_on(story, tmp_path):
    missing = tmp_path / "missing.txt"
    result = runner.invoke(app, ["extract", "--jsonl", str(missing), str(story)])
    assert result.exit_code == 1
    [doc] = [json.loads(line) for line in result.stdout.splitlines()]
    assert doc["id"] == "norwell-flood"
    err = [ln for ln in result.stderr.splitlines() if ln.strip()]
    assert len(err) == 1 and err[0].startswith("error:") and "missing.txt" in err[0]
    assert "Traceback" not in result.output


def test_extract_table_shows_article_text_inertly(tmp_path, models_dir):
    text = "“The [bold red]warning[/bold red] sirens \x1b[31mfailed\x1b[0m in Norwell last night,” said Ravi Patel.\n"
    f = tmp_path / "markup.txt"
    f.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["extract", str(f)])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    assert "[bold red]warning[/bold red]" in out
    assert "\x1b" not in result.stdout
    assert "\\x1b" in out
