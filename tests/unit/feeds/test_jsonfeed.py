"""JSON Feed through the format seam: one module, one line in FORMATS, and the registry accepts it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from communique.errors import ParseError
from communique.feeds.entries import MAX_ENTRIES
from communique.feeds.parsing import FORMATS, parse_feed
from communique.feeds.registry import check_feeds

URL = "https://agency.example/feed.json"


def feed(items: list[object], **extra: object) -> bytes:
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "Agency &amp; wire", "items": items, **extra}
    return json.dumps(document).encode()


def test_items_become_entries() -> None:
    items = [
        {
            "id": "2026-01-05-geneva",
            "url": "/en/geneva-talks",
            "title": "Ministers meet in Geneva",
            "content_html": "<p>Talks <b>resumed</b>.</p><script>x()</script>",
            "date_published": "2026-01-05T08:30:00+01:00",
            "authors": [{"name": "Jane Doe"}, {"url": "https://no-name.example"}],
        },
        {"id": 7, "external_url": "https://elsewhere.example/story", "content_text": "  Plain\n text  "},
    ]
    parsed = parse_feed(feed(items, home_page_url="https://agency.example/", language="en"), url=URL, format="jsonfeed")
    assert (parsed.title, parsed.link, parsed.language, parsed.version, parsed.reader) == (
        "Agency & wire",
        "https://agency.example/",
        "en",
        "json1.1",
        "jsonfeed",
    )
    first, second = parsed.entries
    assert (first.entry_key, first.url, first.summary) == (
        "2026-01-05-geneva",
        "https://agency.example/en/geneva-talks",
        "Talks resumed .",
    )
    assert first.published_at == datetime(2026, 1, 5, 7, 30, tzinfo=UTC) and first.authors == ("Jane Doe",)
    assert (second.entry_key, second.url, second.summary, second.published_at) == (
        "7",
        "https://elsewhere.example/story",
        "Plain text",
        None,
    )


def test_bad_items_are_skipped_with_reasons_and_duplicates_dropped() -> None:
    items = [
        "not an object",
        {"id": "a"},
        {"id": "b", "url": "javascript:alert(1)"},
        {"id": "c", "url": "https://agency.example/c", "title": 42, "date_published": "yesterday"},
        {"id": "c", "url": "https://agency.example/c-again"},
    ]
    parsed = parse_feed(feed(items), url=URL, format="jsonfeed")
    assert [e.url for e in parsed.entries] == ["https://agency.example/c"]
    assert parsed.entries[0].title == "" and parsed.entries[0].published_at is None
    assert [s.reason for s in parsed.skipped] == ["not_an_object", "no_link", "non_http_link", "duplicate_key"]


def test_an_oversized_feed_keeps_its_first_entries() -> None:
    items = [{"id": str(i), "url": f"https://agency.example/{i}"} for i in range(MAX_ENTRIES + 3)]
    parsed = parse_feed(feed(items), url=URL, format="jsonfeed")
    assert len(parsed.entries) == MAX_ENTRIES and {s.reason for s in parsed.skipped} == {"too_many_entries"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty"),
        (b"{not json", "malformed"),
        (b"\xff\xfe{}", "malformed"),
        (b'{"version": "1", "items": []}', "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1", "items": {}}', "not_a_feed"),
        (b"[" * 100_000 + b"]" * 100_000, "malformed"),
    ],
)
def test_what_is_not_a_json_feed_is_refused(content: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as refused:
        parse_feed(content, url=URL, format="jsonfeed")
    assert refused.value.reason == reason


def test_an_rss_feed_given_json_says_which_format_to_declare() -> None:
    with pytest.raises(ParseError, match="jsonfeed") as refused:
        parse_feed(feed([]), url=URL)
    assert refused.value.reason == "not_a_feed"


def test_an_unknown_format_is_a_clear_error() -> None:
    with pytest.raises(ParseError, match="unknown feed format 'atomish'"):
        parse_feed(b"<rss/>", url=URL, format="atomish")


def test_the_registry_takes_the_format_field(tmp_path: Path) -> None:
    path = tmp_path / "feeds.toml"
    path.write_text(
        '[[feed]]\nurl = "https://agency.example/feed.json"\noutlet = "Agency"\nformat = "jsonfeed"\n\n'
        '[[feed]]\nurl = "https://agency.example/rss"\noutlet = "Agency"\n\n'
        '[[feed]]\nurl = "https://agency.example/x"\noutlet = "Agency"\nformat = "csv"\n',
        encoding="utf-8",
    )
    specs, problems = check_feeds(path)
    assert [s.format for s in specs] == ["jsonfeed", "rss"]
    assert len(problems) == 1 and "'csv' is not a feed format" in problems[0]
    assert set(FORMATS) == {"rss", "jsonfeed"}
