"""bench/warehouse.py runs with one command and prints what docs/warehouse.md quotes (a small run)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_warehouse_bench_runs_and_prints_its_figures(pg_admin_dsn: str, tmp_path: Path) -> None:
    command = [
        sys.executable, str(ROOT / "bench" / "warehouse.py"), "--events", "3000", "--batch", "1000", "--repeat", "3",
        "--dsn", pg_admin_dsn, "--statements", "--json",
    ]  # fmt: skip
    done = subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=600, cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "COMMUNIQUE_HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["events"] == 3000 and figures["batch"] == 1000
    assert 0 < figures["facts"] <= 3000  # reports of one event merged into one fact
    for key in ("load_rows_per_s", "baseline_rows_per_s", "write_floor_rows_per_s", "dyad_one_pair_year_ms"):
        assert figures[key] > 0, key
    assert "Index Scan using agg_dyad_daily_pkey" in done.stdout  # the one-pair query uses the index
    assert "loader time by statement" in done.stdout
