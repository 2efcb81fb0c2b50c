"""Worker processes change how fast an interval is processed, never what it loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique import parallel, pipeline
from communique.settings import Settings
from tests.support.demo_pages import HOUR
from tests.support.demo_pages import land_demo_pages as _land_demo_pages
from tests.support.demo_pages import snapshot as _snapshot


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Send even a handful of pages to the workers, one or two per chunk, so chunks interleave."""
    monkeypatch.setattr(parallel, "MIN_ITEMS_FOR_WORKERS", 0)
    monkeypatch.setattr(pipeline, "CLEAN_CHUNK", 1)
    monkeypatch.setattr(pipeline, "EXTRACT_CHUNK", 2)


def test_two_workers_load_exactly_what_one_process_loads(
    tmp_path: Path, warehouse_dsn: str, second_warehouse_dsn: str, small_chunks: None
) -> None:
    pages = _land_demo_pages(warehouse_dsn)
    assert _land_demo_pages(second_warehouse_dsn) == pages >= 10

    one = pipeline.process_interval(Settings(home=tmp_path, workers=1), warehouse_dsn, HOUR)
    try:
        two = pipeline.process_interval(Settings(home=tmp_path, workers=2), second_warehouse_dsn, HOUR)
    finally:
        parallel.shutdown()

    assert one == two  # the same counts, stage by stage
    assert one[0].counts["pages"] == pages
    expected = _snapshot(warehouse_dsn)
    assert expected["facts"], "the demo pages hold events"
    assert _snapshot(second_warehouse_dsn) == expected


def test_a_rerun_with_workers_changes_nothing(tmp_path: Path, warehouse_dsn: str, small_chunks: None) -> None:
    _land_demo_pages(warehouse_dsn)
    settings = Settings(home=tmp_path, workers=2)
    try:
        pipeline.process_interval(settings, warehouse_dsn, HOUR)
        first = _snapshot(warehouse_dsn)
        pipeline.process_interval(settings, warehouse_dsn, HOUR)
    finally:
        parallel.shutdown()
    assert _snapshot(warehouse_dsn) == first
