"""The suite needs nothing beside the repository: the guard that enforces it, and the data it ships instead.

A bare clone has no ``../shared``: ``tests/support/confinement.py`` refuses any read there (these tests prove
it trips), and what the tests need is in ``tests/data``, each file named with its source in ``SOURCES.md``.
"""

# These tests call the os and glob functions the guard must catch, on purpose.
# ruff: noqa: PTH123, PTH207, PTH208

from __future__ import annotations

import contextlib
import csv
import glob
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.confinement import (
    GUARDS_THE_PARENT,
    OutsideRepositoryError,
    expecting_violations,
    is_beside_repository,
)
from tests.support.corpora import corpus
from tests.support.paths import DATA, REPO_ROOT

SHARED = REPO_ROOT.parent / "shared"
MANIFEST = SHARED / "corpora" / "articles" / "MANIFEST.tsv"


def test_opening_a_file_beside_the_repository_is_refused() -> None:
    with expecting_violations() as caught, pytest.raises(OutsideRepositoryError, match="beside the repository"):
        MANIFEST.read_text(encoding="utf-8")
    assert caught == [f"open: {MANIFEST}"]


def test_a_relative_path_out_of_the_repository_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT / "tests")
    with expecting_violations() as caught, pytest.raises(OutsideRepositoryError):
        open("../../shared/corpora/feeds/MANIFEST.tsv", "rb")  # noqa: SIM115 (refused before it opens)
    assert len(caught) == 1


#: A checkout straight in the temporary folder may list its parent: every test may use that folder.
_PARENT = pytest.mark.skipif(not GUARDS_THE_PARENT, reason="the checkout's parent is the temporary folder")


@pytest.mark.parametrize(
    "look",
    [
        lambda: os.listdir(SHARED),
        # a literal missing folder is skipped unlisted
        pytest.param(lambda: list(REPO_ROOT.parent.glob("sha*/*")), marks=_PARENT),
        lambda: glob.glob(str(SHARED / "corpora" / "*")),
        pytest.param(lambda: list(REPO_ROOT.parent.iterdir()), marks=_PARENT),  # going looking for ../shared
    ],
    ids=["listdir", "pathlib-glob", "glob", "parent-listing"],
)
def test_listing_beside_the_repository_is_refused(look: object) -> None:
    with expecting_violations() as caught, pytest.raises(OutsideRepositoryError):
        look()  # type: ignore[operator]
    assert caught


def test_a_subprocess_pointed_beside_the_repository_is_refused() -> None:
    with expecting_violations() as caught:
        with pytest.raises(OutsideRepositoryError):
            subprocess.run(["ls", f"--directory={SHARED}/knowledge"], check=False, capture_output=True)
        with pytest.raises(OutsideRepositoryError):
            subprocess.run(["ls"], cwd=SHARED, check=False, capture_output=True)
    assert caught == [f"subprocess.Popen: --directory={SHARED}/knowledge", f"subprocess.Popen: {SHARED}"]


def test_a_swallowed_refusal_is_still_recorded() -> None:
    """Code that swallows every error cannot hide the read: the recorded violation fails the test."""
    with expecting_violations() as caught, contextlib.suppress(Exception):
        MANIFEST.read_bytes()
    assert caught == [f"open: {MANIFEST}"]


def test_the_repository_the_temporary_folder_and_python_stay_open(tmp_path: Path) -> None:
    with expecting_violations() as caught:
        (tmp_path / "x.txt").write_text("ok", encoding="utf-8")
        assert (tmp_path / "x.txt").read_text(encoding="utf-8") == "ok"
        assert (REPO_ROOT / "README.md").read_text(encoding="utf-8")
        assert os.listdir(REPO_ROOT)
        assert Path(os.__file__).read_bytes()
        subprocess.run([sys.executable, "-c", "pass"], check=True, cwd=REPO_ROOT)
    assert caught == []
    assert not is_beside_repository(str(REPO_ROOT / ".." / REPO_ROOT.name / "tests"))
    assert is_beside_repository(str(REPO_ROOT / ".." / "shared"))


# --- the data the suite ships --------------------------------------------------------------------------


def _data_files() -> list[str]:
    """Every file and corpus archive under tests/data, as the path SOURCES.md names (corpus folders whole)."""
    names = []
    for path in sorted(DATA.rglob("*")):
        relative = path.relative_to(DATA).as_posix()
        if path.is_file() and not relative.startswith("corpora/hostile_feeds/") and relative != "SOURCES.md":
            names.append(relative)
    return [*names, "corpora/hostile_feeds/"]


@pytest.mark.parametrize("name", _data_files())
def test_every_data_file_is_named_in_the_sources(name: str) -> None:
    sources = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    folder = name.rsplit("/", 1)[0] + "/" if "/" in name else ""
    assert f"`{name}`" in sources or (folder and f"`{folder}`" in sources), name


@pytest.mark.parametrize("name", ["articles", "feeds", "hostile_feeds"])
def test_each_corpus_holds_every_file_its_manifest_lists(name: str) -> None:
    folder = corpus(name)
    with (folder / "MANIFEST.tsv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    assert rows
    for row in rows:
        assert (folder / row["file"]).is_file(), row["file"]
        assert row["license"] and row["commit"] and row["source_repo"], row["file"]
