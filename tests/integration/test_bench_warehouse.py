"""bench/warehouse.py runs with one command and prints what docs/warehouse.md quotes (a small run)."""

from __future__ import annotations

from pathlib import Path

from tests.support.bench import run_bench


def test_the_warehouse_bench_runs_and_prints_its_figures(pg_admin_dsn: str, tmp_path: Path) -> None:
    args = ["--events", "3000", "--batch", "1000", "--repeat", "3", "--dsn", pg_admin_dsn, "--statements"]
    output, figures = run_bench("warehouse.py", args, tmp_path)
    assert figures["events"] == 3000 and figures["batch"] == 1000
    assert 0 < figures["facts"] <= 3000  # reports of one event merged into one fact
    for key in ("load_rows_per_s", "baseline_rows_per_s", "write_floor_rows_per_s", "dyad_one_pair_year_ms"):
        assert figures[key] > 0, key
    assert "Index Scan using agg_dyad_daily_pkey" in output  # the one-pair query uses the index
    assert "loader time by statement" in output
