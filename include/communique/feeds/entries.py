"""What every feed format gives: entries as plain text, the skipped items with reasons, fingerprints.

The format readers (:mod:`communique.feeds.rss`, :mod:`communique.feeds.jsonfeed`) build
:class:`FeedEntry` candidates from their own documents; :func:`collect` applies the limits and
the duplicate rule every format shares, and the text helpers make titles and summaries plain text.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

from communique.models import FeedEntry

MAX_TITLE_CHARS = 1_000
MAX_SUMMARY_CHARS = 5_000
MAX_KEY_CHARS = 512
MAX_AUTHORS = 10
MAX_ENTRIES = 2_000
_MAX_HTML_CHARS = 200_000
_NOT_TEXT = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "math", "head")
_NOT_TEXT_TAG = re.compile(r"<(?:" + "|".join(_NOT_TEXT) + r")\b", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_ZERO_WIDTH_TO_SPACE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), " ")


@dataclass(frozen=True, slots=True)
class SkippedEntry:
    """An item of the feed we did not keep, and why (``no_link``, ``non_http_link`` ...)."""

    index: int
    reason: str
    key: str | None = None


@dataclass(slots=True)
class ParsedFeed:
    """A parsed feed: its metadata, the usable entries, and the skipped ones with reasons."""

    url: str
    title: str = ""
    link: str | None = None
    language: str | None = None
    #: The document's own format name (``rss20``, ``atom10``, ``rss10`` ... from feedparser; ``json1.1``).
    version: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    encoding: str = "utf-8"
    #: How the encoding was chosen (see :class:`communique.fetch.encodings.Decoded`).
    encoding_source: str = ""
    #: Why the document is ill-formed, when it is but still gave entries (feedparser's ``bozo``).
    bozo_reason: str | None = None
    #: The registry format that read it (``rss``, ``jsonfeed``): the key of :data:`communique.feeds.parsing.FORMATS`.
    reader: str = "rss"


def body_fingerprint(content: bytes) -> str:
    """A digest of the raw body: "unchanged" for servers that ignore ETag and Last-Modified."""
    return hashlib.sha256(content).hexdigest()


def entries_fingerprint(entries: Iterable[FeedEntry]) -> str:
    """A digest of what the entries say, blind to order and to feed-level timestamps."""
    lines = sorted(
        "\t".join((e.entry_key, e.url, e.title, e.published_at.isoformat() if e.published_at else "")) for e in entries
    )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def collect(parsed: ParsedFeed, candidates: Iterable[FeedEntry | SkippedEntry]) -> None:
    """Keep the first MAX_ENTRIES candidates with distinct keys; record every other item with its reason.

    ``candidates`` is read lazily: an item past the cap is counted, not built.
    """
    seen: set[str] = set()
    for index, entry in enumerate(candidates):
        if index >= MAX_ENTRIES:
            parsed.skipped.append(SkippedEntry(index, "too_many_entries"))
        elif isinstance(entry, SkippedEntry):
            parsed.skipped.append(entry)
        elif entry.entry_key in seen:
            parsed.skipped.append(SkippedEntry(index, "duplicate_key", entry.entry_key))
        else:
            seen.add(entry.entry_key)
            parsed.entries.append(entry)


def entry_key(guid: str, link: str) -> str:
    """The stable key of an entry: its id (guid) or else its link, hashed when absurdly long."""
    key = guid or link
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest() if len(key) > MAX_KEY_CHARS else key


def absolute_http(link: object, base: str) -> str | None:
    """``link`` made absolute against ``base`` if it is an http(s) URL with a host, else ``None``."""
    if not link or not isinstance(link, str):
        return None
    link = "".join((link.translate(_ZERO_WIDTH_TO_SPACE) if _ZERO_WIDTH.search(link) else link).split())
    absolute = urljoin(base, link)
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return absolute


def clean_link(link: str) -> str:
    """A link as given, without control characters and surrounding white space."""
    return (link if link.isprintable() else _CONTROL.sub("", link)).strip()


def html_to_text(fragment: str, limit: int = MAX_SUMMARY_CHARS) -> str:
    """Feed HTML (a title, a summary) as one line of plain text, scripts and styles dropped."""
    if "<" not in fragment and "&" not in fragment:
        return squash(fragment)[:limit].rstrip()
    soup = BeautifulSoup(fragment[:_MAX_HTML_CHARS], "html.parser")
    if _NOT_TEXT_TAG.search(fragment):  # searching the tree costs more than parsing a summary
        for tag in soup(_NOT_TEXT):
            tag.decompose()
    return squash(soup.get_text(" "))[:limit].rstrip()


def squash(text: str) -> str:
    """One line: control characters dropped, runs of white space (and zero-width spaces) one space."""
    if text.isprintable():  # then its only white space is " " (no control, zero-width or other spaces)
        text = text.strip(" ")
        return text if "  " not in text else " ".join(text.split())
    if not text.isascii() and _ZERO_WIDTH.search(text):
        text = text.translate(_ZERO_WIDTH_TO_SPACE)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return " ".join(text.split())  # str.split() splits on what the regex \s matches


def author_names(names: Iterable[str]) -> tuple[str, ...]:
    """Plain-text author names, no bare e-mail addresses, no duplicates, at most MAX_AUTHORS."""
    cleaned = (html_to_text(n, 200) for n in names)
    return tuple(dict.fromkeys(n for n in cleaned if n and "@" not in n))[:MAX_AUTHORS]
