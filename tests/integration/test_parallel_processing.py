"""Worker processes change how fast an interval is processed, never what it loads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from communique import parallel, pipeline
from communique.local.demo_site import load_site
from communique.models import Interval
from communique.settings import Settings
from communique.warehouse import database, raw_store

HOUR = Interval(datetime(2026, 5, 4, 9, tzinfo=UTC), datetime(2026, 5, 4, 10, tzinfo=UTC))
TABLES = {
    "articles": """SELECT article_id, canonical_url, title, body, body_sha256, published_at, language, status,
                          skip_reason, cluster_id, duplicate_kind FROM article ORDER BY article_id""",
    "mentions": "SELECT * FROM fct_event_mention ORDER BY event_id, article_id",
    "facts": "SELECT * FROM fct_diplomatic_event ORDER BY event_id",
    "dyads": "SELECT * FROM agg_dyad_daily ORDER BY 1, 2, 3",
}


def _land_demo_pages(dsn: str) -> int:
    """Every page of the offline demo site (copies and a non-English page included), in one hour."""
    items = [i for i in load_site().items if i.file.suffix == ".html"]
    with database.connect(dsn) as conn:
        for n, item in enumerate(items):
            url = f"https://{item.feed}.example{item.path}"
            landed = HOUR.start + timedelta(minutes=n)
            raw_store.land(conn, [raw_store.RawArticle(
                url=url, final_url=url, html=item.file.read_text(encoding="utf-8"), source="file",
                outlet=f"{item.feed}.example", fetched_at=landed, landed_at=landed,
            )])  # fmt: skip
    return len(items)


def _snapshot(dsn: str) -> dict[str, list[tuple[object, ...]]]:
    with database.connect(dsn) as conn:
        return {name: conn.execute(query).fetchall() for name, query in TABLES.items()}


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
