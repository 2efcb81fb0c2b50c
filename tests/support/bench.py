"""Run a benchmark script as a user would: its own process, a bare environment, JSON figures last."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.paths import REPO_ROOT

ROOT = REPO_ROOT


def run_bench(script: str, args: list[str], home: Path) -> tuple[str, dict[str, Any]]:
    """Run ``bench/<script> ... --json`` in ``home``; returns its output and the figures of its last line."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / script), *args, "--json"], check=False, capture_output=True, text=True,
        timeout=600, cwd=home, env={"PATH": "/usr/bin:/bin", "COMMUNIQUE_HOME": str(home)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout, json.loads(done.stdout.strip().splitlines()[-1])
