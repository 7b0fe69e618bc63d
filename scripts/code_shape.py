#!/usr/bin/env python3
"""The shape of the code: the longest functions and the deepest nesting in a package.

    python scripts/code_shape.py [PATH ...] [--top N] [--check] [--max-lines 60] [--max-depth 4]

Length is a function's lines from ``def`` to its last line (docstring included). Depth counts nested
``if``/``for``/``while``/``with``/``try``/``match`` blocks inside a function (an ``elif`` is the same
level as its ``if``; a nested function is measured on its own). ``--check`` exits 1 and lists every
function over either limit.
"""

from __future__ import annotations

import argparse
import ast
import sys
from dataclasses import dataclass
from pathlib import Path

_BLOCKS = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try, ast.Match)
if sys.version_info >= (3, 11):
    _BLOCKS = (*_BLOCKS, ast.TryStar)


@dataclass(frozen=True)
class Shape:
    """One function's length and nesting depth."""

    path: str
    name: str
    line: int
    lines: int
    depth: int


def _depth(nodes: list[ast.stmt], level: int = 0) -> int:
    deepest = level
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue  # measured on its own
        if isinstance(node, _BLOCKS):
            deepest = max(deepest, _block_depth(node, level + 1))
    return deepest


def _block_depth(node: ast.stmt, level: int) -> int:
    deepest = level
    if isinstance(node, ast.If):
        deepest = max(deepest, _depth(node.body, level))
        orelse = node.orelse
        if len(orelse) == 1 and isinstance(orelse[0], ast.If) and orelse[0].col_offset == node.col_offset:
            return max(deepest, _block_depth(orelse[0], level))  # elif: the same level
        return max(deepest, _depth(orelse, level))
    if isinstance(node, ast.Match):
        return max([deepest] + [_depth(case.body, level + 1) for case in node.cases])
    for field in ("body", "orelse", "finalbody"):
        deepest = max(deepest, _depth(getattr(node, field, []) or [], level))
    for handler in getattr(node, "handlers", []) or []:
        deepest = max(deepest, _depth(handler.body, level))
    return deepest


def shapes(paths: list[Path]) -> list[Shape]:
    """Every function and method in the Python files under ``paths``."""
    out = []
    for root in paths:
        files = sorted(root.rglob("*.py")) if root.is_dir() else [root]
        for f in files:
            tree = ast.parse(f.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    assert node.end_lineno is not None
                    out.append(Shape(str(f), node.name, node.lineno, node.end_lineno - node.lineno + 1,
                                     _depth(node.body)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=[Path(__file__).resolve().parent.parent / "attribution"])
    ap.add_argument("--top", type=int, default=5)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--max-lines", type=int, default=60)
    ap.add_argument("--max-depth", type=int, default=4)
    a = ap.parse_args()
    found = shapes(a.paths)
    if a.check:
        bad = [s for s in found if s.lines > a.max_lines or s.depth > a.max_depth]
        for s in bad:
            print(f"{s.path}:{s.line}: {s.name}: {s.lines} lines, depth {s.depth}")
        sys.exit(1 if bad else 0)
    for s in sorted(found, key=lambda s: -s.lines)[:a.top]:
        print(f"{s.lines:5} lines  depth {s.depth}  {s.name}  ({s.path}:{s.line})")
    deepest = sorted(found, key=lambda s: -s.depth)[:a.top]
    print("deepest: " + ", ".join(f"{s.name} {s.depth}" for s in deepest))


if __name__ == "__main__":
    main()
