"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1): items to plain-text entries.

JSON Feed is UTF-8 by definition and needs no DTD scan; what it needs is a bound on what
the JSON parser builds (the fetcher caps the bytes) and tolerance for the wrong types that
real feeds put in optional fields (a number where a string belongs is skipped, not fatal).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from communique.errors import ParseError
from communique.feeds.entries import (
    MAX_SUMMARY_CHARS,
    MAX_TITLE_CHARS,
    ParsedFeed,
    SkippedEntry,
    absolute_http,
    author_names,
    clean_link,
    collect,
    entry_key,
    html_to_text,
    squash,
)
from communique.models import FeedEntry

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def parse(content: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a JSON Feed document into entries.

    :param content: the body as fetched (UTF-8, with or without a byte-order mark).
    :param url: where it came from: the base for relative links and each entry's ``feed_url``.
    :param content_type: unused (JSON Feed is always UTF-8); accepted for the common signature.
    :raises ParseError: with ``reason`` ``empty``, ``malformed`` or ``not_a_feed``.
    """
    if not content.strip():
        raise ParseError(f"{url}: empty document", reason="empty")
    try:
        document = json.loads(content.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ParseError(f"{url}: not valid JSON: {exc}", reason="malformed") from exc
    if not isinstance(document, Mapping) or not str(document.get("version", "")).startswith(_VERSION_PREFIX):
        raise ParseError(f"{url}: not a JSON Feed (no {_VERSION_PREFIX}... version)", reason="not_a_feed")
    items = document.get("items")
    if not isinstance(items, list):
        raise ParseError(f"{url}: JSON Feed without an items list", reason="not_a_feed")
    parsed = ParsedFeed(
        url=url,
        title=_string(document.get("title"), MAX_TITLE_CHARS),
        link=absolute_http(document.get("home_page_url"), url),
        language=_string(document.get("language"), 35) or None,
        version="json" + str(document["version"]).removeprefix(_VERSION_PREFIX),
        encoding="utf-8",
        encoding_source="jsonfeed",
        reader="jsonfeed",
    )
    collect(parsed, _entries(items, url, document.get("authors") or document.get("author")))
    return parsed


def _entries(items: list[Any], feed_url: str, feed_authors: Any) -> Iterator[FeedEntry | SkippedEntry]:
    for index, item in enumerate(items):
        if not isinstance(item, Mapping):
            yield SkippedEntry(index, "not_an_object")
            continue
        guid = squash(str(item.get("id") or "")) if isinstance(item.get("id"), str | int) else ""
        link_text = clean_link(_first_string(item, "url", "external_url"))
        if not link_text:
            yield SkippedEntry(index, "no_link", guid or None)
            continue
        link = absolute_http(link_text, feed_url)
        if link is None:
            yield SkippedEntry(index, "non_http_link", link_text[:200])
            continue
        yield FeedEntry(
            feed_url=feed_url,
            entry_key=entry_key(guid, link),
            url=link,
            title=_string(item.get("title"), MAX_TITLE_CHARS),
            summary=_summary(item),
            published_at=_moment(item.get("date_published")) or _moment(item.get("date_modified")),
            authors=author_names(_names(item.get("authors") or item.get("author") or feed_authors)),
        )


def _first_string(item: Mapping[str, Any], *keys: str) -> str:
    return next((item[k] for k in keys if isinstance(item.get(k), str) and item[k].strip()), "")


def _string(value: object, limit: int) -> str:
    return html_to_text(value, limit) if isinstance(value, str) else ""


def _summary(item: Mapping[str, Any]) -> str:
    if isinstance(item.get("summary"), str) and item["summary"].strip():
        return html_to_text(item["summary"], MAX_SUMMARY_CHARS)
    if isinstance(item.get("content_text"), str):
        return squash(item["content_text"])[:MAX_SUMMARY_CHARS].rstrip()
    return _string(item.get("content_html"), MAX_SUMMARY_CHARS)


def _names(authors: Any) -> list[str]:
    """Names from version 1.1 ``authors`` (a list) or version 1 ``author`` (one object)."""
    if isinstance(authors, Mapping):
        authors = [authors]
    if not isinstance(authors, list):
        return []
    return [a["name"] for a in authors if isinstance(a, Mapping) and isinstance(a.get("name"), str)]


def _moment(value: object) -> datetime | None:
    """An RFC 3339 date as an aware UTC datetime (``None`` when absent or unreadable)."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
