"""The offline demo site: its feeds list real pages with their own titles and dates."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator

import feedparser
import pytest

from communique.dedup.urls import canonical_url
from communique.local.demo_site import DemoServer, load_site


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


def test_an_agency_variant_is_a_near_copy_under_its_own_url(server: DemoServer) -> None:
    from communique.articles.htmlprocessing import clean_article
    from communique.dedup.fingerprints import similarity, text_fingerprint, text_signature

    site = load_site()
    variants = [i for i in site.items if i.variant == "agency_variant"]
    assert variants, "the demo should list an agency variant of a page"
    for variant in variants:
        original = next(i for i in site.items if i.file == variant.file and not i.variant)
        assert variant.feed != original.feed and variant.title != original.title
        status, body, _ = _get(server.origin + variant.path)
        assert status == 200 and body != variant.file.read_bytes()
        copy = clean_article(body.decode("utf-8"), server.origin + variant.path)
        first = clean_article(variant.file.read_text(encoding="utf-8"), server.origin + original.path)
        assert copy.title == variant.title
        assert copy.canonical_url == server.origin + variant.path  # its own page, not a rel=canonical copy
        assert copy.text.startswith(variant.dateline)
        assert text_fingerprint(copy.text) != text_fingerprint(first.text)
        signatures = text_signature(copy.text), text_signature(first.text)
        assert signatures[0] and signatures[1] and similarity(*signatures).is_copy()
