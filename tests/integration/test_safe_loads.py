"""Loads that cannot destroy facts: retried loads, two runs of one interval, lost staging.

Each test processes the offline demo pages through the real stages against a real warehouse.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from communique import pipeline
from communique.errors import DataQualityError, WarehouseError
from communique.settings import Settings
from communique.warehouse import database, locks
from tests.support.demo_pages import HOUR, land_demo_pages, snapshot


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, workers=1)


def _prepare(settings: Settings, dsn: str) -> None:
    land_demo_pages(dsn)
    pipeline.clean_articles(settings, dsn, HOUR)
    pipeline.deduplicate_articles(settings, dsn, HOUR)


def _reference(settings: Settings, dsn: str) -> dict[str, list[tuple[object, ...]]]:
    """What one uneventful run of the interval loads."""
    land_demo_pages(dsn)
    pipeline.process_interval(settings, dsn, HOUR)
    return snapshot(dsn)


def test_a_retried_load_changes_nothing(settings: Settings, warehouse_dsn: str) -> None:
    _prepare(settings, warehouse_dsn)
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    first = pipeline.load_events(settings, warehouse_dsn, HOUR)
    loaded = snapshot(warehouse_dsn)
    assert first.counts["mentions_loaded"] > 0 and loaded["facts"]

    again = pipeline.load_events(settings, warehouse_dsn, HOUR)  # an Airflow retry after the commit

    assert snapshot(warehouse_dsn) == loaded
    assert again.counts["facts_deleted"] == 0 and again.counts["mentions_removed"] == 0
    assert again.skipped == {"nothing_staged": 1}
    assert pipeline.check_quality(settings, warehouse_dsn, HOUR).counts["failed"] == 0


def test_two_runs_interleaved_stage_by_stage_keep_every_fact(
    settings: Settings, warehouse_dsn: str, second_warehouse_dsn: str
) -> None:
    expected = _reference(settings, second_warehouse_dsn)
    _prepare(settings, warehouse_dsn)
    # The audit's interleaving: both runs extract, then both load.
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    pipeline.load_events(settings, warehouse_dsn, HOUR)
    pipeline.load_events(settings, warehouse_dsn, HOUR)
    assert snapshot(warehouse_dsn) == expected
    pipeline.check_quality(settings, warehouse_dsn, HOUR)


def test_each_run_loads_its_own_staging_and_a_stale_one_is_superseded(
    settings: Settings, warehouse_dsn: str, second_warehouse_dsn: str
) -> None:
    expected = _reference(settings, second_warehouse_dsn)
    _prepare(settings, warehouse_dsn)
    pipeline.extract_events(settings, warehouse_dsn, HOUR, run="a")
    pipeline.extract_events(settings, warehouse_dsn, HOUR, run="b")
    b = pipeline.load_events(settings, warehouse_dsn, HOUR, run="b")
    a = pipeline.load_events(settings, warehouse_dsn, HOUR, run="a")  # staged before b's: older
    assert b.counts["mentions_loaded"] > 0 and not b.skipped
    assert a.skipped == {"superseded": 1} and a.counts["mentions_loaded"] == 0
    assert snapshot(warehouse_dsn) == expected
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM stg_event").fetchone() == (0,)
        outcomes = conn.execute("SELECT run_key, outcome FROM stg_batch ORDER BY batch_id").fetchall()
    assert outcomes == [("a", "superseded"), ("b", "loaded")]


def test_a_load_refuses_staging_that_lost_rows(settings: Settings, warehouse_dsn: str) -> None:
    """Staging is UNLOGGED: a server crash empties it, and a load must not take that for 'no events'."""
    _prepare(settings, warehouse_dsn)
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    pipeline.load_events(settings, warehouse_dsn, HOUR)
    loaded = snapshot(warehouse_dsn)
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    with database.connect(warehouse_dsn) as conn:
        conn.execute("TRUNCATE stg_event")
    with pytest.raises(WarehouseError, match="extract"):
        pipeline.load_events(settings, warehouse_dsn, HOUR)
    assert snapshot(warehouse_dsn) == loaded


def test_checks_fail_when_an_interval_with_events_ends_without_facts(settings: Settings, warehouse_dsn: str) -> None:
    _prepare(settings, warehouse_dsn)
    pipeline.extract_events(settings, warehouse_dsn, HOUR)
    pipeline.load_events(settings, warehouse_dsn, HOUR)
    with database.connect(warehouse_dsn) as conn:  # what the retried load used to do
        conn.execute("DELETE FROM fct_event_mention")
        conn.execute("DELETE FROM fct_diplomatic_event")
    with pytest.raises(DataQualityError, match="events_lost"):
        pipeline.check_quality(settings, warehouse_dsn, HOUR)


def _waiters(dsn: str) -> int:
    with database.connect(dsn) as conn:
        row = conn.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted").fetchone()
    return int(row[0]) if row else 0


def test_two_concurrent_process_commands_run_one_after_the_other(
    tmp_path: Path, settings: Settings, warehouse_dsn: str, second_warehouse_dsn: str
) -> None:
    expected = _reference(settings, second_warehouse_dsn)
    land_demo_pages(warehouse_dsn)
    env = {**os.environ, "COMMUNIQUE_WAREHOUSE_URL": warehouse_dsn, "COMMUNIQUE_HOME": str(tmp_path),
           "COMMUNIQUE_WORKERS": "1"}  # fmt: skip
    command = [sys.executable, "-m", "communique.cli.main", "process",
               "--start", HOUR.start.isoformat(), "--end", HOUR.end.isoformat()]  # fmt: skip
    # Hold the interval, start both runs, and let go once both wait for it: they then run in turn.
    with locks.interval_lock(warehouse_dsn, HOUR, holder="test"):
        runs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for _ in range(2)]  # fmt: skip
        deadline = time.monotonic() + 120  # a bound on a hang, not a speed threshold
        while _waiters(warehouse_dsn) < 2 and time.monotonic() < deadline:
            assert all(run.poll() is None for run in runs), [run.communicate() for run in runs]
            time.sleep(0.2)
    outputs = [run.communicate(timeout=600) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert all("waiting for interval" in err for _, err in outputs)
    assert snapshot(warehouse_dsn) == expected
