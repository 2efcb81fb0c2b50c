"""bench/throughput.py runs with one command and reports what docs/performance.md quotes (a small run)."""

from __future__ import annotations

from pathlib import Path

from tests.support.bench import run_bench
from tests.support.corpora import corpus


def test_the_throughput_bench_runs_end_to_end_and_prints_its_figures(pg_admin_dsn: str, tmp_path: Path) -> None:
    args = ["--docs", "80", "--hours", "1", "--workers", "2", "--baseline-docs", "4", "--dsn", pg_admin_dsn,
            "--corpus", str(corpus("articles"))]  # fmt: skip
    output, figures = run_bench("throughput.py", args, tmp_path)
    assert figures["docs"] == 80 and figures["workers"] == 2
    assert figures["articles_per_s"] > 0 and figures["baseline_articles_per_s"] > 0
    assert set(figures["stages"]) == {"clean", "deduplicate", "extract", "load", "check"}
    assert figures["facts"] > 0, "the replicated pages hold diplomatic events"
    assert 0 < figures["peak_rss_worker_mb"] < 2048  # the workers did the cleaning and extraction
    assert "| **end to end** |" in output
