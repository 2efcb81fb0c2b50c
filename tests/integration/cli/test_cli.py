"""The `communique` command as a user runs it: a subprocess against the demo site and a test warehouse."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.local.demo_site import DemoServer, feed_list_toml, load_site

COMMUNIQUE = Path(sys.executable).parent / "communique"


@pytest.fixture(scope="module")
def demo_server() -> Iterator[DemoServer]:
    with DemoServer(load_site(), 0) as server:
        yield server


def run(args: list[str], dsn: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "COMMUNIQUE_WAREHOUSE_URL": dsn, "COMMUNIQUE_HOME": str(tmp_path / "home"),
               "COMMUNIQUE_PER_HOST_DELAY": "0", **env}  # fmt: skip
    return subprocess.run(
        [str(COMMUNIQUE), *args], check=False, capture_output=True, text=True, env=environ, timeout=300
    )


def test_poll_lands_the_demo_site_and_prints_a_table(
    tmp_path: Path, demo_server: DemoServer, warehouse_dsn: str
) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text(feed_list_toml(load_site(), demo_server.origin), encoding="utf-8")
    env = {"COMMUNIQUE_ALLOWED_ORIGINS": demo_server.origin}
    first = run(["poll", "--feeds", str(feeds)], warehouse_dsn, tmp_path, **env)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert lines[0].split()[:2] == ["status", "http"]
    assert sum(line.startswith("ok ") for line in lines) == len(load_site().feeds)
    pages = len({item.path.split("?")[0] for item in load_site().items})
    assert f"{pages} articles landed, 0 failed" in first.stdout

    second = run(["poll", "--feeds", str(feeds)], warehouse_dsn, tmp_path, **env)
    assert sum(line.startswith("not_modified") for line in second.stdout.splitlines()) == len(load_site().feeds)
    assert "0 articles landed" in second.stdout

    health = run(["feeds", "health", "--all", "--feeds", str(feeds)], warehouse_dsn, tmp_path)
    assert health.returncode == 0 and f"{len(load_site().feeds)} feeds" in health.stdout
    unhealthy = run(["feeds", "health", "--feeds", str(feeds)], warehouse_dsn, tmp_path)
    assert "0 unhealthy feeds" in unhealthy.stdout


def test_feeds_add_and_check_name_the_bad_entry(tmp_path: Path, warehouse_dsn: str) -> None:
    feeds = tmp_path / "feeds.toml"
    feeds.write_text('# my feeds\n[[feed]]\nurl = "https://example.org/rss"\noutlet = "example.org"\n')
    added = run(["feeds", "add", "https://example.com/world.atom", "--outlet", "example.com", "--country", "FRA",
                 "--feeds", str(feeds)], warehouse_dsn, tmp_path)  # fmt: skip
    assert added.returncode == 0, added.stderr
    assert feeds.read_text().startswith("# my feeds") and "example.com/world.atom" in feeds.read_text()
    listed = run(["feeds", "list", "--feeds", str(feeds)], warehouse_dsn, tmp_path)
    assert "2 feeds" in listed.stdout

    feeds.write_text(feeds.read_text() + '\n[[feed]]\nurl = "ftp://example.net/feed"\noutlet = "example.net"\n')
    checked = run(["feeds", "check", "--feeds", str(feeds)], warehouse_dsn, tmp_path)
    assert checked.returncode == 1
    assert "feed #3" in checked.stdout and "ftp://example.net/feed" in checked.stdout


def test_extract_prints_one_json_event_per_line(tmp_path: Path, warehouse_dsn: str) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi on Wednesday.")
    result = run(["extract", str(doc), "--published", "2025-03-06"], warehouse_dsn, tmp_path)
    assert result.returncode == 0, result.stderr
    events = [json.loads(line) for line in result.stdout.splitlines()]
    assert events and all(e["doc_id"] == str(doc) for e in events)
    assert {(e["source"]["country"], e["target"]["country"]) for e in events} >= {("KEN", "ETH")}
    assert {e["event_date"] for e in events} == {"2025-03-05"}


def test_warehouse_url_prints_the_configured_url(tmp_path: Path, warehouse_dsn: str) -> None:
    result = run(["warehouse", "url"], warehouse_dsn, tmp_path)
    assert result.stdout.strip() == warehouse_dsn
