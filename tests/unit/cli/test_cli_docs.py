"""The command line and its documentation agree: every ``communique ...`` the docs show exists, and the
README's table of commands shows every command and every option the parser has.

The docs are read as a reader reads them: each inline code span and each line of a code block
that says ``communique`` is a command line; ``a\\|b`` or ``a|b`` names alternatives, ``[--x]``
an optional option, upper-case words placeholders.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest

from communique.cli.main import build_parser
from tests.support.paths import DOCS, REPO_ROOT

README = REPO_ROOT / "README.md"
GLOBAL_OPTIONS = {"--help", "--version", "--verbose", "-v", "-h"}
_COMMAND = re.compile(r"(?<![\w/.-])(?:\.venv/bin/)?communique((?:[ \t]+[^\s;&`]+)*)")
_WORD = re.compile(r"^[a-z][a-z-]*(?:\\?\|[a-z][a-z-]*)*$")


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


@cache
def _leaves() -> dict[tuple[str, ...], argparse.ArgumentParser]:
    """Every runnable command (``("feeds", "add")`` ...) and its parser."""
    found: dict[tuple[str, ...], argparse.ArgumentParser] = {}

    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
        children = _subcommands(parser)
        if not children:
            found[path] = parser
        for name, child in children.items():
            walk(child, (*path, name))

    walk(build_parser(), ())
    return found


def _snippets(text: str) -> Iterator[str]:
    """Inline code spans and code-block lines."""
    in_block = False
    for line in text.splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        if in_block:
            yield line.split(" #", 1)[0]
        else:
            yield from re.findall(r"`([^`]+)`", line)


def command_lines(text: str) -> Iterator[tuple[list[tuple[str, ...]], set[str], str]]:
    """``(command paths, options, the text)`` of every ``communique ...`` in ``text``."""
    for snippet in _snippets(text):
        for match in _COMMAND.finditer(snippet):
            tokens = [t.strip("[]\"')(") for t in match.group(1).split()]
            tokens = tokens[: next((i for i, t in enumerate(tokens) if t == "|"), len(tokens))]
            paths: list[tuple[str, ...]] = [()]
            for token in tokens:
                if not _WORD.match(token):
                    break
                names = re.split(r"\\?\|", token)
                extended = [(*p, n) for p in paths for n in names if n in _children_of(p)]
                if not extended:
                    break
                paths = extended
            options = {t.split("=")[0] for t in tokens if t.startswith("-")}
            yield paths, options, match.group(0)


def _children_of(path: tuple[str, ...]) -> set[str]:
    return {leaf[len(path)] for leaf in _leaves() if leaf[: len(path)] == path and len(leaf) > len(path)}


def _options_below(path: tuple[str, ...]) -> set[str]:
    return set().union(*(_options(p) for leaf, p in _leaves().items() if leaf[: len(path)] == path))


def _documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.name)
def test_every_command_the_docs_show_exists(document: Path) -> None:
    wrong = []
    for paths, options, text in command_lines(document.read_text(encoding="utf-8")):
        known = set().union(*(_options_below(path) for path in paths)) | GLOBAL_OPTIONS
        if unknown := options - known:
            wrong.append(f"{text}: no option {', '.join(sorted(unknown))} on {' / '.join(map(' '.join, paths))}")
    assert wrong == []


def _readme_table() -> list[tuple[list[tuple[str, ...]], set[str], str]]:
    """The command lines of the README's table of commands (its rows start with a `communique ...` span)."""
    rows = [line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `communique")]
    return [found for row in rows for found in command_lines(row.split(" | ")[0])]


@pytest.mark.parametrize("leaf", sorted(_leaves()), ids=" ".join)
def test_the_readme_table_shows_every_command_and_option(leaf: tuple[str, ...]) -> None:
    rows = [(options, text) for paths, options, text in _readme_table() if leaf in paths]
    assert rows, f"`communique {' '.join(leaf)}` is not in the README's table of commands"
    shown = set().union(*(options for options, _ in rows))
    long_options = {max(a.option_strings, key=len) for a in _leaves()[leaf]._actions if a.option_strings}
    assert long_options - {"--help"} - shown == set(), rows


def test_help_lists_every_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "communique.cli.main", "--help"], capture_output=True, text=True, check=True
    )
    listed = set(re.findall(r"^ {4}(\S+)", result.stdout, re.MULTILINE))  # wrapped help lines go deeper
    assert listed == set(_subcommands(build_parser()))


@pytest.mark.parametrize("group", sorted({leaf[0] for leaf in _leaves() if len(leaf) > 1}))
def test_each_group_lists_its_subcommands(group: str) -> None:
    text = _subcommands(build_parser())[group].format_help()
    assert all(re.search(rf"^\s+{name}\b", text, re.MULTILINE) for name in _children_of((group,))), text
