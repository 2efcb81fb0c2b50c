"""The offline demo site: its feeds list real pages with their own titles and dates."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import feedparser
import pytest

from communique.deduplication import canonical_url
from communique.demo_site import DemoServer, load_site


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(load_site(), 0) as running:
        yield running


def _get(url: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, b"", dict(exc.headers)


def test_every_page_file_is_named_with_its_origin() -> None:
    site = load_site()
    assert len(site.feeds) >= 2
    for item in site.items:
        assert item.file.is_file()
        assert ":" in item.origin and "@" in item.origin  # repo:path@commit


def test_feeds_list_every_page_with_its_title_and_date(server: DemoServer) -> None:
    site = load_site()
    listed = {}
    for feed in site.feeds.values():
        status, body, headers = _get(server.origin + feed.path)
        assert status == 200 and "xml" in headers["Content-Type"]
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        for entry in parsed.entries:
            listed[entry.link] = entry
    for item in site.items:
        entry = listed[server.origin + item.path]
        assert entry.title == item.title
        assert entry.published_parsed is not None


def test_pages_are_served_byte_for_byte(server: DemoServer) -> None:
    item = load_site().items[0]
    status, body, _ = _get(server.origin + item.path)
    assert status == 200 and body == item.file.read_bytes()
    assert _get(server.origin + "/nope.html")[0] == 404


def test_conditional_get_answers_304(server: DemoServer) -> None:
    feed = next(iter(load_site().feeds.values()))
    _, _, headers = _get(server.origin + feed.path)
    status, body, _ = _get(server.origin + feed.path, {"If-None-Match": headers["ETag"]})
    assert (status, body) == (304, b"")
    status, _, _ = _get(server.origin + feed.path, {"If-Modified-Since": headers["Last-Modified"]})
    assert status == 304


def test_the_demo_has_copies_to_deduplicate() -> None:
    site = load_site()
    by_file: dict[str, list[str]] = {}
    for item in site.items:
        by_file.setdefault(item.file.name, []).append(item.path)
    copies = [paths for paths in by_file.values() if len(paths) > 1]
    assert copies, "the demo should list at least one page twice"
    tracked = [p for paths in copies for p in paths if "utm_" in p]
    assert tracked and canonical_url("http://h" + tracked[0]) == canonical_url("http://h" + tracked[0].split("?")[0])
