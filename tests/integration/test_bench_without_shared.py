"""A bench whose data set is not beside the repository says so in one line and exits non-zero.

The benchmarks measure on the team's larger sets in ``../shared``, which a clone of the repository alone does
not have. Each script is run from a copy of ``bench/`` in a folder with nothing beside it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT


@pytest.mark.parametrize("script", ["article_extraction.py", "dedup.py", "event_accuracy.py", "throughput.py"])
def test_a_bench_without_its_data_says_what_is_missing(script: str, tmp_path: Path) -> None:
    clone = tmp_path / "communique"
    shutil.copytree(REPO_ROOT / "bench", clone / "bench", ignore=shutil.ignore_patterns("out", "__pycache__"))
    done = subprocess.run(
        [sys.executable, str(clone / "bench" / script)], check=False, capture_output=True, text=True, timeout=120,
        cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "COMMUNIQUE_HOME": str(tmp_path / "home")},
    )  # fmt: skip
    assert done.returncode != 0
    assert done.stdout == ""
    (line,) = done.stderr.splitlines()
    assert line.startswith(script.removesuffix(".py") + ": ")
    assert str(tmp_path / "shared") in line and "../shared" in line
