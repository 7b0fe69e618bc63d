"""The shape the engine keeps: small functions, shallow nesting, word lists as data, layers apart."""

from __future__ import annotations

import ast
import subprocess
import sys

from attribution import wordlists
from tests.conftest import ROOT

PACKAGE = ROOT / "attribution"


def test_no_function_is_longer_than_60_lines_or_nests_deeper_than_4():
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "code_shape.py"), str(PACKAGE), "--check"],
                         capture_output=True, text=True)
    assert out.returncode == 0, "functions over the limits:\n" + out.stdout


def _string_collections(tree: ast.Module) -> list[tuple[str, int]]:
    """Module-level names bound to a literal set, frozenset, tuple or dict of five or more strings."""
    found = []
    for node in tree.body:
        if not isinstance(node, (ast.Assign, ast.AnnAssign)) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Call) and getattr(value.func, "id", "") == "frozenset" and value.args:
            value = value.args[0]
        elts = value.keys if isinstance(value, ast.Dict) else getattr(value, "elts", [])
        strings = [e for e in elts if isinstance(e, ast.Constant) and isinstance(e.value, str) and e.value.isalpha()]
        if len(strings) >= 5:
            target = node.targets[0] if isinstance(node, ast.Assign) else node.target
            found.append((getattr(target, "id", "?"), node.lineno))
    return found


#: Collections of strings that are not English word lists: names the code exports, Stanza processor and
#: article field names, the dependency relations, parts of speech and entity types the rules read, and the
#: feed formats, XML root elements and URL tracking parameters of the web readers.
NOT_WORD_LISTS = {"__all__", "PROCESSORS", "ARTICLE_FIELDS", "_CLIMB", "_NOT_IN_PHRASE", "_STOP_UPOS",
                  "LISTING_KINDS", "_ROOTS", "TRACKING_PARAMS", "WANTED_BY_PRONOUN"}


def test_word_lists_live_in_data_files():
    offenders = []
    for path in sorted(PACKAGE.rglob("*.py")):  # every stage's subpackage too
        for name, line in _string_collections(ast.parse(path.read_text(encoding="utf-8"))):
            if name not in NOT_WORD_LISTS:
                offenders.append(f"{path.relative_to(PACKAGE)}:{line} {name}")
    assert not offenders, "word lists belong in attribution/data/words/: " + ", ".join(offenders)


def test_every_word_list_file_loads_lower_case_and_without_repeats():
    folder = PACKAGE / "data" / "words"
    files = sorted(folder.iterdir())
    assert len(files) >= 20
    for f in files:
        name = f.stem
        lines = [ln.split("#", 1)[0].strip() for ln in f.read_text(encoding="utf-8").splitlines()]
        entries = [ln.split("\t")[0] for ln in lines if ln]
        assert len(entries) == len(set(entries)), f"{f.name} repeats an entry"
        loaded = wordlists.mapping(name) if f.suffix == ".tsv" else wordlists.words(name)
        assert set(loaded) == set(entries)
        if name != "abbreviations":  # abbreviations keep their capitals ("Mr", "Inc")
            assert all(e == e.lower() for e in entries), f"{f.name} has capitals"
