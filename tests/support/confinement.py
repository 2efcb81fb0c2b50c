"""Keep the tests inside the repository: nothing beside it may be opened, listed or handed to a subprocess.

A user clones the repository alone; the team's ``../shared`` folder (or any other sibling of the checkout) is
not there for them. :func:`install` adds an audit hook (:pep:`578`) to the test process: opening, listing or
globbing a path in the folder that holds the repository, outside the repository itself, raises
:class:`OutsideRepositoryError` on the spot and is recorded, so that a test which swallows the error still fails
(``tests/conftest.py`` checks :data:`VIOLATIONS` after each test). The system, the virtualenv and the temporary
folder stay open to every test. Subprocesses are checked by their arguments and working directory only; what
they open themselves is checked by running the suite from a bare clone (``tests/data/README.md``).
"""

# The audit hook runs on every open: plain os.path strings, no Path objects in that hot path.
# ruff: noqa: PTH109, PTH117, PTH118

from __future__ import annotations

import functools
import os
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.support.paths import REPO_ROOT

#: Audit events that name a path read or listed, and the position of that path in their arguments.
_PATH_EVENTS = {"open": 0, "os.listdir": 0, "os.scandir": 0, "glob.glob": 0, "os.chdir": 0}
_LISTINGS = frozenset({"os.listdir", "os.scandir", "glob.glob"})
_REPO = str(REPO_ROOT)
_BESIDE = str(REPO_ROOT.parent).rstrip(os.sep) + os.sep
_SHARED = _BESIDE + "shared"
#: Folders every test may use: the temporary folder and the Python installation (a virtualenv kept elsewhere).
_ROOTS = {os.path.normpath(p) for p in (tempfile.gettempdir(), sys.prefix, sys.base_prefix, sys.exec_prefix)}
#: When one of them *is* the folder holding the repository (a checkout straight under /tmp or /usr), only
#: ``../shared`` can be told apart from the tests' own files.
_ONLY_SHARED = any(root + os.sep == _BESIDE or root == os.sep for root in _ROOTS) or os.sep == _BESIDE
_EXEMPT = tuple(root for root in _ROOTS if root.startswith(_BESIDE))
#: Whether listing the folder that holds the repository is refused (not when that folder is /tmp or /usr).
GUARDS_THE_PARENT = not _ONLY_SHARED
_PATH_IN_ARGUMENT = re.compile(re.escape(_BESIDE) + r"[^\s:;,='\"]*")

#: Every path reached beside the repository since the last :func:`take_violations`, as ``event: path``.
VIOLATIONS: list[str] = []


class OutsideRepositoryError(AssertionError):
    """A test reached a path beside the repository, which a fresh clone does not have.

    Not an ``OSError``: tolerant code (``except OSError``, pathlib's glob) must not mistake it for a missing file.
    """


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def is_beside_repository(path: str) -> bool:
    """Whether a path (relative ones against the working directory) lies beside the repository.

    Dot-folders beside it (``~/.cache``, ``~/.local`` when the checkout sits in a home folder) are the tools' own,
    not data a test could need.
    """
    if not os.path.isabs(path):
        try:
            path = os.path.join(os.getcwd(), path)
        except OSError:
            return False  # the working directory is gone
    absolute = os.path.normpath(path)
    if not absolute.startswith(_BESIDE) or _inside(absolute, _REPO) or any(_inside(absolute, r) for r in _EXEMPT):
        return False
    if _ONLY_SHARED:
        return _inside(absolute, _SHARED)
    return not absolute[len(_BESIDE) :].startswith(".")


def _is_the_parent(path: str) -> bool:
    """Listing the folder that holds the repository is how a test would go looking for ``../shared``."""
    try:
        return not _ONLY_SHARED and os.path.normpath(os.path.join(os.getcwd(), path)) + os.sep == _BESIDE
    except OSError:
        return False


def _as_text(value: Any) -> str | None:
    if isinstance(value, int) or value is None:
        return None  # a file descriptor, or the current directory
    try:
        return os.fsdecode(os.fspath(value))
    except TypeError:
        return None


def _mentions_beside(argument: str) -> bool:
    """A subprocess argument naming a place beside the repository (``--source=/x/shared/y`` too)."""
    if is_beside_repository(argument):
        return True
    return any(is_beside_repository(match) for match in _PATH_IN_ARGUMENT.findall(argument))


def _violation(event: str, path: str) -> None:
    VIOLATIONS.append(f"{event}: {path}")
    raise OutsideRepositoryError(
        f"{event} {path!r}: beside the repository {_REPO}, where a bare clone has nothing; "
        "put what the test needs under tests/data with its source (tests/data/SOURCES.md)"
    )


def _hook(event: str, args: tuple[Any, ...]) -> None:
    position = _PATH_EVENTS.get(event)
    if position is not None:
        path = _as_text(args[position]) if len(args) > position else None
        if path is not None and (is_beside_repository(path) or (event in _LISTINGS and _is_the_parent(path))):
            _violation(event, path)
    elif event == "subprocess.Popen":
        executable, arguments, cwd = args[0], args[1], args[2]
        if isinstance(arguments, (str, bytes, os.PathLike)):
            arguments = [arguments]
        for value in (executable, cwd, *(arguments or ())):
            text = _as_text(value)
            if text is not None and _mentions_beside(text):
                _violation(event, text)


@functools.cache
def install() -> None:
    """Add the audit hook to this process (once: audit hooks cannot be removed)."""
    sys.addaudithook(_hook)


def take_violations() -> list[str]:
    """The violations recorded so far, forgetting them."""
    taken = VIOLATIONS[:]
    VIOLATIONS.clear()
    return taken


@contextmanager
def expecting_violations() -> Iterator[list[str]]:
    """For the tests of this guard: the violations inside the block are handed over instead of failing a test."""
    before = take_violations()
    caught: list[str] = []
    try:
        yield caught
    finally:
        caught.extend(take_violations())
        VIOLATIONS.extend(before)
