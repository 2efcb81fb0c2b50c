"""The house rules of ``include/communique``: stage packages, no import cycle, one direction inside ``events``.

The import graph is read from the source (every ``import``, including those inside functions),
so a cycle hidden behind a lazy import fails here as surely as one at module level.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

PACKAGE = REPO_ROOT / "include" / "communique"
#: Modules allowed at the top of the package; everything else lives in a stage package.
TOP_LEVEL = {"__init__", "settings", "models", "errors", "pipeline", "parallel", "metrics"}
STAGES = {"feeds", "fetch", "articles", "dedup", "events", "warehouse", "history", "cli", "local", "reports"}
#: Inside ``events``: data -> rules -> the spaCy pipeline -> the extractor.
EVENT_LAYERS = {
    "data": {"gazetteer", "triggers", "coding", "spans", "people", "refresh"},
    "rules": {"actors", "arguments", "frames", "coreference", "dates", "locations", "topics", "verbmatch"},
    "pipeline": {"nlp"},
    "extractor": {"extractor"},
}
LAYER_RANK = {name: rank for rank, layer in enumerate(EVENT_LAYERS) for name in EVENT_LAYERS[layer]}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py") if "data" not in path.relative_to(PACKAGE).parts}


def _imports(path: Path) -> Iterator[str]:
    modules = _modules()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in modules)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("communique"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                yield full if full in modules else node.module


@cache
def _graph() -> dict[str, frozenset[str]]:
    return {name: frozenset(i for i in _imports(path) if i != name) for name, path in _modules().items()}


def _cycle(graph: dict[str, frozenset[str]]) -> list[str] | None:
    """A cycle of ``graph`` as a list of nodes, or None (iterative DFS, white/grey/black)."""
    state: dict[str, int] = {}
    for root in sorted(graph):
        if state.get(root):
            continue
        stack: list[tuple[str, Iterator[str]]] = [(root, iter(sorted(graph[root])))]
        state[root] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
            elif state.get(child) == 1:
                path = [n for n, _ in stack]
                return [*path[path.index(child) :], child]
            elif not state.get(child) and child in graph:
                state[child] = 1
                stack.append((child, iter(sorted(graph[child]))))
    return None


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in STAGES) else "top"


def test_the_tree_shows_the_stages() -> None:
    top = {p.stem for p in PACKAGE.glob("*.py")}
    packages = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert top == TOP_LEVEL
    assert packages - {"data"} == STAGES


@pytest.mark.parametrize("stage", sorted(STAGES))
def test_each_stage_says_what_it_takes_and_gives(stage: str) -> None:
    doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Takes" in doc and "gives" in doc, f"{stage}/__init__.py should say what the stage takes and gives"


def test_no_import_cycle_between_modules() -> None:
    assert _cycle(_graph()) is None


def test_no_import_cycle_between_stages() -> None:
    stages: dict[str, set[str]] = {}
    for module, imports in _graph().items():
        stages.setdefault(_stage(module), set()).update(_stage(i) for i in imports if _stage(i) != _stage(module))
    stages.pop("top", None)  # pipeline and friends sit above the stages by design
    graph = {stage: frozenset(deps - {"top"}) for stage, deps in stages.items()}
    assert _cycle(graph) is None


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"})}) == ["a", "b", "c", "a"]
    assert _cycle({"a": frozenset({"b"}), "b": frozenset()}) is None


@pytest.mark.parametrize("module", sorted(m for m in _modules() if m.startswith("communique.events.")))
def test_events_depend_one_way(module: str) -> None:
    name = module.rsplit(".", 1)[1]
    assert name in LAYER_RANK, f"{module} belongs to no layer of events/ (add it to EVENT_LAYERS)"
    for imported in _graph()[module]:
        if imported.startswith("communique.events."):
            other = imported.rsplit(".", 1)[1]
            assert LAYER_RANK[other] <= LAYER_RANK[name], f"{module} ({name}) must not import {imported}"
