"""Errors users can cause are one line on stderr, a non-zero exit and never a traceback;
every command has help text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from attribution import ModelsNotFound
from cli.app import app

runner = CliRunner()
SCRIPT = Path(sys.executable).parent / "attribution"
needs_script = pytest.mark.skipif(not SCRIPT.is_file(), reason="the attribution console script is not installed")


def assert_one_line_error(result_or_stderr, output: str = "") -> str:
    stderr = result_or_stderr if isinstance(result_or_stderr, str) else result_or_stderr.stderr
    lines = [ln for ln in stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error:"), lines[0]
    assert "Traceback" not in stderr and "Traceback" not in output
    return lines[0]


@pytest.fixture
def bad_inputs(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    blank = tmp_path / "blank.txt"
    blank.write_text(" \n\t\n", encoding="utf-8")
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    return {"missing": (tmp_path / "missing.txt", "no such file"), "empty": (empty, "empty"),
            "blank": (blank, "empty"), "binary": (binary, "binary")}


@pytest.mark.parametrize("kind", ["missing", "empty", "blank", "binary"])
def test_extract_bad_input_is_one_line(bad_inputs, kind, models_dir):
    path, words = bad_inputs[kind]
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    line = assert_one_line_error(result, result.stdout)
    assert path.name in line
    assert words in line
    assert result.stdout.strip() == ""


def test_control_characters_in_a_path_are_shown_not_executed(tmp_path, models_dir):
    path = tmp_path / "evil\x1b[31mred.txt"
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code != 0
    line = assert_one_line_error(result)
    assert "\x1b" not in result.stderr
    assert "\\x1b[31mred.txt" in line


def test_missing_models_is_one_line_naming_the_fixes(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("“We will rebuild,” said Clara Oduya.", encoding="utf-8")
    result = runner.invoke(app, ["extract", "--models", str(tmp_path / "no-models"), str(story)])
    assert result.exit_code == 1
    line = assert_one_line_error(result)
    assert "attribution models download" in line and "attribution models install" in line


def test_debug_mode_lets_the_exception_through(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_DEBUG", "1")
    result = runner.invoke(app, ["models", "info", "--models", str(tmp_path / "no-models")])
    assert isinstance(result.exception, ModelsNotFound)


def test_unknown_command_and_option_are_usage_errors():
    for args in (["no-such-command"], ["extract", "--no-such-option", "x"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2
        assert "Traceback" not in result.output
        assert "Usage" in result.output or "No such" in result.output


def test_no_arguments_shows_help():
    result = runner.invoke(app, [])
    assert "Usage" in result.output
    for name in ("extract", "eval", "models", "setup"):
        assert name in result.output


# --- the real console script ----------------------------------------------------------------------


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("ATTRIBUTION_DEBUG", None)
    env["COLUMNS"] = "200"
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@needs_script
def test_console_script_extract_bad_path_no_traceback(tmp_path, models_dir):
    proc = _run("extract", str(tmp_path / "missing.txt"), cwd=tmp_path)
    assert proc.returncode != 0
    line = assert_one_line_error(proc.stderr, proc.stdout)
    assert "missing.txt" in line
    assert proc.stdout == ""


@needs_script
def test_console_script_eval_malformed_gold_no_traceback(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "a", "text": "x", "quotes": []}\n{oops\n', encoding="utf-8")
    proc = _run("eval", str(gold), cwd=tmp_path)
    assert proc.returncode == 1
    line = assert_one_line_error(proc.stderr, proc.stdout)
    assert "gold.jsonl:2" in line


@needs_script
def test_console_script_missing_models_no_traceback(tmp_path):
    proc = _run("models", "info", "--models", str(tmp_path / "none"), cwd=tmp_path)
    assert proc.returncode == 1
    line = assert_one_line_error(proc.stderr, proc.stdout)
    assert "attribution models download" in line


# --- help text ----------------------------------------------------------------------------------------


def _commands(cmd, path: tuple[str, ...] = ()):
    """Every command under ``cmd`` (Typer vendors its own click, so groups are found by shape)."""
    yield path, cmd
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        yield from _commands(sub, (*path, name))


def test_every_command_and_subcommand_has_help_text():
    root = typer.main.get_command(app)
    found = list(_commands(root))
    names = {" ".join(p) for p, _ in found}
    assert {"extract", "eval", "setup", "models", "models download", "models install", "models info"} <= names
    missing = [" ".join(p) or "attribution" for p, cmd in found if not (cmd.help or "").strip()]
    assert missing == [], f"commands without help text: {missing}"
    for path, cmd in found:
        for param in cmd.params:
            if param.param_type_name == "option" and not getattr(param, "hidden", False):
                assert (param.help or "").strip(), f"{' '.join(path)} {param.opts} has no help"


@pytest.mark.parametrize("path", [[], ["extract"], ["eval"], ["models"], ["models", "info"], ["setup"]])
def test_help_runs(path):
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output
