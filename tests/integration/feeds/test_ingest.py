"""Polling and fetching against the demo site on loopback and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from communique import pipeline
from communique.local.demo_site import DemoServer, feed_list_toml, load_site, page_bytes
from communique.settings import HttpSettings, Settings
from communique.warehouse import database, raw_store


@pytest.fixture(scope="module")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(load_site(), 0) as server:
        yield server


def demo_settings(tmp_path: Path, origin: str) -> Settings:
    """Settings that poll the demo site at ``origin``, with the SSRF guard on and only that origin let through."""
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(feed_list_toml(load_site(), origin), encoding="utf-8")
    http = HttpSettings(allowed_origins=(origin,), per_host_delay=0.0, max_retries=0)
    return Settings(home=tmp_path, feeds_file=feeds, http=http, fetch_concurrency=4)


def test_poll_then_fetch_lands_every_page_once(tmp_path: Path, demo_server: DemoServer, warehouse_dsn: str) -> None:
    settings = demo_settings(tmp_path, demo_server.origin)
    site = load_site()
    polled = pipeline.poll_feeds(settings, warehouse_dsn)
    assert polled.counts["feeds"] == len(site.feeds)
    assert polled.counts["entries"] == polled.counts["new_entries"] == len(site.items)

    fetched = pipeline.fetch_articles(settings, warehouse_dsn)
    distinct_pages = len({item.path.split("?")[0] for item in site.items})
    assert fetched.counts["landed"] == distinct_pages
    assert fetched.counts["duplicate_urls"] == len(site.items) - distinct_pages
    assert fetched.landed_from is not None and fetched.landed_to is not None

    with database.connect(warehouse_dsn) as conn:
        unlinked = conn.execute("SELECT count(*) FROM stg_feed_entry WHERE article_id IS NULL").fetchone()
        pages = {p.url.split("?")[0]: p for p in raw_store.pages_in(conn, _everything())}
    assert unlinked == (0,)
    for item in site.items:
        page = pages[demo_server.origin + item.path.split("?")[0]]
        assert page.html == page_bytes(item, demo_server.origin).decode("utf-8")
        assert page.outlet.endswith(".demo")

    again = pipeline.fetch_articles(settings, warehouse_dsn)
    assert again.counts["candidates"] == 0 and again.landed_from is None


def test_a_second_poll_is_conditional(tmp_path: Path, demo_server: DemoServer, warehouse_dsn: str) -> None:
    settings = demo_settings(tmp_path, demo_server.origin)
    first = pipeline.poll_feeds(settings, warehouse_dsn)
    summary, results = pipeline.poll_once(settings, warehouse_dsn, force=True)
    assert {r.status for _, r in results} == {"not_modified"}
    assert summary.counts["entries"] == 0
    assert summary.counts["bytes"] < first.counts["bytes"] / 10
    # Not forced: nothing is due before the poll interval has passed.
    assert pipeline.poll_feeds(settings, warehouse_dsn).counts["feeds"] == 0


def test_the_guard_refuses_loopback_without_the_allowance(
    tmp_path: Path, demo_server: DemoServer, warehouse_dsn: str
) -> None:
    settings = demo_settings(tmp_path, demo_server.origin).with_overrides(http=HttpSettings(max_retries=0))
    _, results = pipeline.poll_once(settings, warehouse_dsn)
    assert {r.status for _, r in results} == {"error"}
    assert {r.reason for _, r in results} == {"blocked"}
    with database.connect(warehouse_dsn) as conn:
        health = conn.execute("SELECT last_status, consecutive_failures, last_error FROM feed_health").fetchall()
    assert all(
        status == "error" and failures == 1 and error.startswith("blocked") for status, failures, error in health
    )


def _everything() -> pipeline.Interval:
    from datetime import UTC, datetime

    return pipeline.Interval(datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC))
