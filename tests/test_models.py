"""Where the Stanza models come from: resolution, validation, install, and ``attribution models``."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import platformdirs
import pytest
from typer.testing import CliRunner

from attribution import Extractor, ModelsError, ModelsNotFound
from attribution.parsing.models import (
    PROCESSORS,
    PROVENANCE_FILE,
    data_dir,
    default_models_dir,
    install_models,
    model_files,
    provenance,
    resolve_models_dir,
)
from cli.app import app

runner = CliRunner()

PACKAGES = {"tokenize": "combined", "mwt": "combined", "pos": "tiny", "lemma": "tiny", "depparse": "tiny",
            "ner": "tiny_ner"}


def make_resources(root: Path, *, packages: dict[str, str] | None = None, skip: tuple[str, ...] = (),
                   size: int = 1000) -> Path:
    """A tiny fake Stanza resources directory: resources.json and small dummy .pt files."""
    packages = dict(PACKAGES if packages is None else packages)
    root.mkdir(parents=True, exist_ok=True)
    dep = {"dependencies": [{"model": "pretrain", "package": "vec50"}]}
    en = {"default_processors": packages, "lang_name": "English",
          "pos": {packages.get("pos", "tiny"): dep}, "depparse": {packages.get("depparse", "tiny"): dep},
          "ner": {packages.get("ner", "tiny_ner"): dep}}
    (root / "resources.json").write_text(json.dumps({"en": en}), encoding="utf-8")
    files = [(proc, pkg) for proc, pkg in packages.items()] + [("pretrain", "vec50")]
    for n, (proc, pkg) in enumerate(files):
        if proc in skip:
            continue
        path = root / "en" / proc / f"{pkg}.pt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes([n]) * (size + n))
    return root


def flat(text: str) -> str:
    """Output with Rich's line wrapping undone."""
    return " ".join(text.split())


def one_line_error(text: str) -> str:
    lines = [ln for ln in text.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


# --- resolution ------------------------------------------------------------------------------------


def test_explicit_directory_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_MODELS", str(tmp_path / "env"))
    assert resolve_models_dir(tmp_path / "explicit") == (tmp_path / "explicit", "option")
    assert resolve_models_dir(str(tmp_path / "explicit")) == (tmp_path / "explicit", "option")


def test_environment_wins_over_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_MODELS", str(tmp_path / "env"))
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    assert resolve_models_dir(None) == (tmp_path / "env", "environment")


def test_data_dir_under_attribution_home(tmp_path, monkeypatch):
    monkeypatch.delenv("ATTRIBUTION_MODELS", raising=False)
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    assert data_dir() == tmp_path / "home"
    assert default_models_dir() == tmp_path / "home" / "models" / "stanza"
    assert resolve_models_dir(None) == (tmp_path / "home" / "models" / "stanza", "data dir")
    assert resolve_models_dir("") == (tmp_path / "home" / "models" / "stanza", "data dir")


def test_data_dir_defaults_to_the_platform_user_data_dir(monkeypatch):
    monkeypatch.delenv("ATTRIBUTION_HOME", raising=False)
    assert data_dir() == Path(platformdirs.user_data_dir("attribution"))


def test_home_is_expanded(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert resolve_models_dir("~/models")[0] == tmp_path / "models"
    monkeypatch.setenv("ATTRIBUTION_MODELS", "~/env-models")
    assert resolve_models_dir(None)[0] == tmp_path / "env-models"


# --- validation ------------------------------------------------------------------------------------


def test_model_files_lists_every_processor_and_shared_vectors_once(tmp_path):
    root = make_resources(tmp_path / "stanza")
    files = model_files(root)
    assert [f.processor for f in files if f.processor != "pretrain"] == list(PROCESSORS)
    assert [f.package for f in files if f.processor == "pretrain"] == ["vec50"]
    for f in files:
        assert f.path.is_file()
        assert f.path == root / "en" / f.processor / f"{f.package}.pt"
        assert f.size == f.path.stat().st_size > 0


def test_mwt_is_optional(tmp_path):
    packages = {k: v for k, v in PACKAGES.items() if k != "mwt"}
    files = model_files(make_resources(tmp_path / "stanza", packages=packages))
    assert "mwt" not in {f.processor for f in files}


def _assert_names_both_fixes(message: str) -> None:
    assert "attribution models download" in message
    assert "attribution models install" in message


def test_missing_directory_raises_models_not_found_naming_the_fixes(tmp_path):
    with pytest.raises(ModelsNotFound) as exc:
        model_files(tmp_path / "nowhere")
    _assert_names_both_fixes(str(exc.value))
    assert str(tmp_path / "nowhere") in str(exc.value)


def test_missing_model_file_is_named(tmp_path):
    root = make_resources(tmp_path / "stanza", skip=("depparse",))
    with pytest.raises(ModelsNotFound) as exc:
        model_files(root)
    assert "depparse" in str(exc.value)
    _assert_names_both_fixes(str(exc.value))


def test_missing_dependency_file_is_named(tmp_path):
    root = make_resources(tmp_path / "stanza", skip=("pretrain",))
    with pytest.raises(ModelsNotFound) as exc:
        model_files(root)
    assert "vec50" in str(exc.value)


def test_processor_not_listed(tmp_path):
    packages = {k: v for k, v in PACKAGES.items() if k != "ner"}
    with pytest.raises(ModelsNotFound) as exc:
        model_files(make_resources(tmp_path / "stanza", packages=packages))
    assert "ner" in str(exc.value)
    _assert_names_both_fixes(str(exc.value))


def test_no_english_models(tmp_path):
    root = tmp_path / "stanza"
    root.mkdir()
    (root / "resources.json").write_text(json.dumps({"fr": {"default_processors": {}}}), encoding="utf-8")
    with pytest.raises(ModelsNotFound) as exc:
        model_files(root)
    _assert_names_both_fixes(str(exc.value))


def test_unreadable_resources_json(tmp_path):
    root = tmp_path / "stanza"
    root.mkdir()
    (root / "resources.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelsError) as exc:
        model_files(root)
    assert "resources.json" in str(exc.value)


def test_extractor_without_models_raises_models_not_found(tmp_path):
    with pytest.raises(ModelsNotFound) as exc:
        Extractor(tmp_path / "empty")
    _assert_names_both_fixes(str(exc.value))


def test_extractor_uses_environment_models_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_MODELS", str(tmp_path / "from-env"))
    with pytest.raises(ModelsNotFound) as exc:
        Extractor()
    assert "from-env" in str(exc.value)


# --- install ---------------------------------------------------------------------------------------


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_install_copies_a_resources_directory(tmp_path):
    src = make_resources(tmp_path / "src" / "stanza")
    target = install_models(src, tmp_path / "dest" / "stanza")
    assert target == tmp_path / "dest" / "stanza"
    copied = _tree(target)
    prov = copied.pop(PROVENANCE_FILE)
    assert copied == _tree(src)
    record = json.loads(prov)
    assert "installed from" in record["source"] and str(src.resolve()) in record["source"]
    assert record["installed_at"]
    assert provenance(target)["source"] == record["source"]
    assert [f.size for f in model_files(target)] == [f.size for f in model_files(src)]
    assert not list((tmp_path / "dest").glob(".install-*")), "temporary directory left behind"


def test_install_defaults_to_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    src = make_resources(tmp_path / "src")
    target = install_models(src)
    assert target == tmp_path / "home" / "models" / "stanza"
    assert model_files(target)


def test_install_accepts_the_parent_of_a_resources_dir(tmp_path):
    make_resources(tmp_path / "shared" / "models" / "stanza")
    target = install_models(tmp_path / "shared" / "models", tmp_path / "dest")
    assert (target / "resources.json").is_file()
    assert model_files(target)


def test_install_validates_before_copying(tmp_path):
    src = make_resources(tmp_path / "src", skip=("ner",))
    dest = tmp_path / "dest" / "stanza"
    with pytest.raises(ModelsNotFound):
        install_models(src, dest)
    assert not dest.exists()
    assert not (tmp_path / "dest").exists() or not any((tmp_path / "dest").iterdir())


def test_install_from_a_non_directory(tmp_path):
    with pytest.raises(ModelsError) as exc:
        install_models(tmp_path / "missing", tmp_path / "dest")
    assert "not a directory" in str(exc.value)
    f = tmp_path / "file.txt"
    f.write_text("x")
    with pytest.raises(ModelsError):
        install_models(f, tmp_path / "dest")


def test_install_replaces_an_older_install(tmp_path):
    dest = tmp_path / "dest"
    install_models(make_resources(tmp_path / "old", size=10), dest)
    (dest / "stale.txt").write_text("left over")
    install_models(make_resources(tmp_path / "new", size=50), dest)
    assert not (dest / "stale.txt").exists()
    assert all(f.size >= 50 for f in model_files(dest))


def test_install_from_read_only_source_gives_a_writable_copy(tmp_path):
    src = make_resources(tmp_path / "src")
    for p in sorted(src.rglob("*"), reverse=True):
        p.chmod(0o555 if p.is_dir() else 0o444)
    src.chmod(0o555)
    try:
        dest = install_models(src, tmp_path / "dest")
        for p in dest.rglob("*"):
            assert p.stat().st_mode & stat.S_IWUSR, p
        install_models(src, dest)  # and it can be replaced again
    finally:
        for p in [src, *src.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)


def test_install_onto_itself_is_a_no_op(tmp_path):
    src = make_resources(tmp_path / "stanza")
    before = _tree(src)
    assert install_models(src, src) == src
    assert _tree(src) == before


def test_provenance_of_a_foreign_directory(tmp_path):
    assert "unknown" in provenance(make_resources(tmp_path / "x"))["source"]


def test_install_the_real_models_once(models_dir, tmp_path):
    target = install_models(models_dir, tmp_path / "real")
    real = model_files(models_dir)
    copied = model_files(target)
    assert [(f.processor, f.package, f.size) for f in copied] == [(f.processor, f.package, f.size) for f in real]
    assert all(os.access(f.path, os.W_OK) for f in copied)


# --- the models command ----------------------------------------------------------------------------


def test_models_info_lists_processors_and_sizes(tmp_path):
    root = make_resources(tmp_path / "stanza", size=2_500_000)
    result = runner.invoke(app, ["models", "info", "--models", str(root)])
    assert result.exit_code == 0, result.output
    out = flat(result.stdout)
    for proc in PROCESSORS:
        assert proc in out
    assert "pretrain" in out
    assert "2.5 MB" in out
    assert "Total: 17.5 MB" in out
    assert str(root) in result.stdout.replace("\n", "")
    assert "from the option" in out


def test_models_info_on_the_real_models(models_dir):
    result = runner.invoke(app, ["models", "info", "--models", str(models_dir)])
    assert result.exit_code == 0, result.output
    for f in model_files(models_dir):
        assert f.processor in result.stdout
        assert f"{f.size / 1e6:.1f} MB" in result.stdout


def test_models_info_says_when_the_directory_came_from_the_environment(tmp_path, monkeypatch):
    root = make_resources(tmp_path / "stanza")
    monkeypatch.setenv("ATTRIBUTION_MODELS", str(root))
    result = runner.invoke(app, ["models", "info"])
    assert result.exit_code == 0, result.output
    assert "from the environment" in flat(result.stdout)


def test_models_install_then_info_from_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ATTRIBUTION_MODELS", raising=False)
    monkeypatch.setenv("ATTRIBUTION_HOME", str(tmp_path / "home"))
    src = make_resources(tmp_path / "src")
    result = runner.invoke(app, ["models", "install", "--from", str(src)])
    assert result.exit_code == 0, result.output
    assert "installed" in result.stdout.lower()
    assert model_files(tmp_path / "home" / "models" / "stanza")
    info = runner.invoke(app, ["models", "info"])
    assert info.exit_code == 0, info.output
    assert "from the data dir" in flat(info.stdout)
    assert "installed from" in flat(info.stdout)


def test_models_install_to(tmp_path):
    src = make_resources(tmp_path / "src")
    result = runner.invoke(app, ["models", "install", "--from", str(src), "--to", str(tmp_path / "to")])
    assert result.exit_code == 0, result.output
    assert model_files(tmp_path / "to")


def test_models_info_without_models_is_one_line_naming_the_fixes(tmp_path):
    result = runner.invoke(app, ["models", "info", "--models", str(tmp_path / "empty")])
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert line.startswith("error:")
    _assert_names_both_fixes(line)
    assert result.stdout == ""


def test_models_install_from_an_invalid_source_is_one_line(tmp_path):
    src = make_resources(tmp_path / "src", skip=("pos",))
    result = runner.invoke(app, ["models", "install", "--from", str(src), "--to", str(tmp_path / "to")])
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert "pos" in line
    assert not (tmp_path / "to").exists()
