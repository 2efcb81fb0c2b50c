"""The corpora of ``tests/data/corpora``: a plain folder as it is, a ``<name>.tar.xz`` unpacked once per process.

The article pages (36 MB) and the feeds travel compressed; tests that iterate over a corpus ask for its folder
here and read plain files, exactly as the corpus was captured (``tests/data/SOURCES.md``).
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tarfile
import tempfile
from pathlib import Path

from tests.support.paths import DATA

CORPORA = DATA / "corpora"


@functools.cache
def _scratch() -> Path:
    """A private temporary folder for the unpacked corpora, removed when the process ends."""
    path = Path(tempfile.mkdtemp(prefix="communique-test-corpora-"))
    atexit.register(shutil.rmtree, path, True)
    return path


@functools.cache
def corpus(name: str) -> Path:
    """The folder of corpus ``name`` (``articles``, ``feeds``, ``hostile_feeds``), with its ``MANIFEST.tsv``."""
    plain = CORPORA / name
    if plain.is_dir():
        return plain
    archive = CORPORA / f"{name}.tar.xz"
    with tarfile.open(archive, "r:xz") as tar:
        tar.extractall(_scratch(), filter="data")
    folder = _scratch() / name
    assert (folder / "MANIFEST.tsv").is_file(), f"{archive} holds no {name}/MANIFEST.tsv"
    return folder
