"""The CLI's layering (issue 14, "Layers"): shared options live in one module, and no command module imports
another in a cycle (``review_cmd`` and ``store_cmds`` used to import each other)."""

from __future__ import annotations

import ast
import re

from .conftest import ROOT

CLI = ROOT / "cli"
SHARED_FLAGS = ("--speaker", "--role", "--affiliation", "--text", "--raw-search", "--kind", "--outlet", "--since",
                "--until", "--article", "--min-confidence", "--max-confidence",
                "--json", "--db", "--models", "--wide")
#: Same flag, another meaning: `eval --json` prints score.py's object, `eval-claims --json` the model's measures,
#: `ingest --json` and `follow --json` a summary of the run, `speakers split --article` picks what to move.
OWN_MEANING = {"--json": ["claims_eval_cmd", "eval_cmd", "follow_cmd", "ingest_cmd"], "--article": ["store_cmds"]}


def _imports() -> dict[str, set[str]]:
    """``cli`` module -> the ``cli`` modules it imports (relative or absolute, anywhere in the file)."""
    modules = {p.stem for p in CLI.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for path in CLI.glob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level == 1 and base:
                    found.add(base.split(".")[0])
                elif node.level == 1:
                    found |= {a.name for a in node.names}
                elif base.startswith("cli."):
                    found.add(base.split(".")[1])
            elif isinstance(node, ast.Import):
                found |= {a.name.split(".")[1] for a in node.names if a.name.startswith("cli.")}
        graph[path.stem] = found & modules - {path.stem}
    return graph


def test_no_cli_module_imports_another_in_a_cycle():
    graph = _imports()
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append(path[path.index(nxt):] + [nxt])
            else:
                visit(nxt, path + [nxt])

    for start in graph:
        visit(start, [start])
    assert cycles == []
    assert "store_cmds" not in graph["review_cmd"] and "review_cmd" not in graph["store_cmds"]


def test_shared_options_are_declared_once_in_the_options_module():
    declared: dict[str, list[str]] = {}
    for path in CLI.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for flag in SHARED_FLAGS:
            if re.search(rf'typer\.Option\(\s*(None,\s*|False,\s*)?"{re.escape(flag)}"', source):
                declared.setdefault(flag, []).append(path.stem)
    assert {f: sorted(m) for f, m in declared.items()} == {
        flag: sorted(["options", *OWN_MEANING.get(flag, [])]) for flag in SHARED_FLAGS}
    for command in ("store_cmds", "export_cmd", "review_cmd"):
        assert "options" in _imports()[command]
