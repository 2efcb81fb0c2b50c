"""After the extractor changes, re-processing a range replaces that range's facts, and only those."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from communique import pipeline
from communique.events import extractor
from communique.local.demo_site import load_site
from communique.models import Interval
from communique.settings import Settings
from communique.warehouse import database, raw_store

H0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
FIRST, SECOND = Interval(H0, H0 + timedelta(hours=1)), Interval(H0 + timedelta(hours=1), H0 + timedelta(hours=2))


def _land(dsn: str) -> None:
    pages = [i for i in load_site().items if "?" not in i.path and "revue" not in i.path][:6]
    with database.connect(dsn) as conn:
        for n, item in enumerate(pages):
            landed = (FIRST if n % 2 == 0 else SECOND).start + timedelta(minutes=n)
            url = f"https://{item.feed}.example{item.path}"
            raw_store.land(conn, [raw_store.RawArticle(
                url=url, final_url=url, html=item.file.read_text(encoding="utf-8"), source="file",
                outlet=f"{item.feed}.example", fetched_at=landed, landed_at=landed,
            )])  # fmt: skip


def _versions(dsn: str) -> dict[str, set[str]]:
    """Extractor versions of the facts, by the interval of their (earliest) article."""
    with database.connect(dsn) as conn:
        rows = conn.execute(
            """SELECT CASE WHEN a.landed_at < %s THEN 'first' ELSE 'second' END, f.extractor_version
                 FROM fct_diplomatic_event f JOIN article a USING (article_id)""",
            (SECOND.start,),
        ).fetchall()
    found: dict[str, set[str]] = {"first": set(), "second": set()}
    for interval, version in rows:
        found[interval].add(version)
    return found


def test_reprocessing_a_range_replaces_its_facts_with_the_new_version(
    tmp_path: Path, warehouse_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(home=tmp_path)
    _land(warehouse_dsn)
    for interval in (FIRST, SECOND):
        pipeline.process_interval(settings, warehouse_dsn, interval)
    old = extractor.EXTRACTOR_VERSION
    assert _versions(warehouse_dsn) == {"first": {old}, "second": {old}}

    monkeypatch.setattr(extractor, "EXTRACTOR_VERSION", "9.9.9+rules.test")
    pipeline.process_interval(settings, warehouse_dsn, FIRST)  # a backfill of the first hour only
    assert _versions(warehouse_dsn) == {"first": {"9.9.9+rules.test"}, "second": {old}}
    with database.connect(warehouse_dsn) as conn:
        stale = conn.execute(
            """SELECT count(*) FROM fct_event_mention m JOIN article a USING (article_id)
                WHERE a.landed_at >= %s AND a.landed_at < %s AND m.extractor_version <> %s""",
            (FIRST.start, FIRST.end, "9.9.9+rules.test"),
        ).fetchone()
    assert stale == (0,)
