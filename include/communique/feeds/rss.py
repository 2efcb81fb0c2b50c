"""RSS, Atom and RDF feeds: our DTD pre-scan, then feedparser as published, then plain-text entries.

It never fetches anything: bytes come from our HTTP client (:mod:`communique.fetch.downloads`)
and reach feedparser wrapped in ``BytesIO``, so feedparser can neither open a URL nor a local
file named by untrusted input.

Before feedparser sees a byte, the document is decoded with :mod:`communique.fetch.encodings`
(the encoding is ours to choose and record) and scanned: any ``<!ENTITY`` declaration
(internal or external, the stuff of "billion laughs" and XXE) is refused, and a DOCTYPE
is removed, so nothing downstream can expand or fetch anything. This pre-scan is our own
rather than defusedxml's because defusedxml needs a well-formed document to find
declarations, and real feeds are often ill-formed: feedparser's loose parser recovers
them, and they must be scanned all the same. The scan is linear in the input.
"""

from __future__ import annotations

import calendar
import io
import logging
import re
import time
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser

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
from communique.fetch.encodings import decode
from communique.models import FeedEntry

LOGGER = logging.getLogger(__name__)

#: feedparser's cost grows with markup, and some shapes cost far more than their size (its
#: loose parser spends ~80 µs per tag; deep nesting and huge attribute lists are quadratic).
#: Real feeds carry about 30 ``<`` or ``&`` per KiB, so these bounds admit a ~2 MiB feed
#: and keep the worst case to seconds (see docs/fetching.md for the measurements).
MAX_MARKUP = 60_000
MAX_DEPTH = 1_000
MAX_ATTRIBUTES = 100
_HIDDEN_SECTIONS = re.compile(r"<!--|<!\[CDATA\[")
#: The end of an item (RSS, RDF) or entry (Atom): where an over-long feed may be cut.
_ITEM_END = re.compile(r"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.IGNORECASE)
#: Markup kept free under MAX_MARKUP when a feed is cut: the closing tags added, and some slack.
_CUT_SLACK = 1_000
_ENTITY_DECL = re.compile(r"<!ENTITY\b(?P<body>[^>]{0,500})", re.IGNORECASE)
_DOCTYPE = re.compile(r"<!DOCTYPE\b", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_ROOT = re.compile(r"<([A-Za-z_][\w:.-]*)")
_TAG = re.compile(r"<(/?)([A-Za-z_][\w:.-]*)([^<>]*)>")
#: A tag as ``_TAG`` reads it with over MAX_ATTRIBUTES ``=`` in it (linear: each try stops at ``<``/``>``).
_CROWDED_TAG = re.compile(rf"</?([A-Za-z_][\w:.-]*)(?:[^<>=]*=){{{MAX_ATTRIBUTES + 1}}}[^<>]*>")
_VOID = frozenset(
    {"br", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "wbr"}
)
_FEED_LINK = re.compile(r"<link\b[^>]*type\s*=\s*[\"']application/(?:rss|atom)\+xml[\"'][^>]*>", re.IGNORECASE)
_HREF = re.compile(r"href\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_EMAIL_AND_NAME = re.compile(r"^\s*[^\s@]+@[^\s@()]+\s*\((?P<name>[^()]+)\)\s*$")


def parse(content: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse an RSS, Atom or RDF document into entries, refusing anything dangerous or not a feed.

    :param content: the body as fetched (any encoding; our rules pick it).
    :param url: where it came from: the base for relative links and each entry's ``feed_url``.
    :param content_type: the HTTP ``Content-Type`` header, for its charset.
    :raises ParseError: with ``reason`` ``empty``, ``entity_declaration``, ``html_not_feed``,
        ``too_complex``, ``not_a_feed`` or ``malformed``.
    """
    if not content.strip():
        raise ParseError(f"{url}: empty document", reason="empty")
    decoded = decode(content, content_type)
    text = decoded.text
    scan = _visible_markup(text)
    _refuse_entities(scan, url)
    _refuse_non_feeds(scan, url)
    text, scan, dropped = _within_budget(text, scan, url)
    _refuse_costly(scan, url)
    result = _read_with_feedparser(_prepared(text).encode("utf-8"), url)
    bozo_reason = _bozo_reason(result)
    version = str(result.get("version") or "")
    if not version and not result.entries:
        reason = "malformed" if bozo_reason else "not_a_feed"
        raise ParseError(f"{url}: no RSS/Atom feed found ({bozo_reason or 'unknown root element'})", reason=reason)
    feed = result.feed
    parsed = ParsedFeed(
        url=url,
        title=_text(feed.get("title", ""), feed.get("title_detail"), MAX_TITLE_CHARS),
        link=absolute_http(feed.get("link"), url),
        language=(str(feed.get("language") or "").strip() or None),
        version=version,
        encoding=decoded.encoding,
        encoding_source=decoded.source,
        bozo_reason=bozo_reason,
        reader="rss",
    )
    collect(parsed, (_entry(raw, index, url) for index, raw in enumerate(result.entries)))
    if dropped:
        kept = len(result.entries)
        parsed.skipped.extend(SkippedEntry(kept + n, "feed_truncated") for n in range(dropped))
        LOGGER.warning("%s: over %d tags and references: truncated after %d items, %d dropped", url, MAX_MARKUP,
                       kept, dropped)  # fmt: skip
    if bozo_reason:
        LOGGER.debug("%s is ill-formed but usable (%s): %d entries", url, bozo_reason, len(parsed.entries))
    return parsed


def _read_with_feedparser(prepared: bytes, url: str) -> Any:
    try:
        result = feedparser.parse(
            io.BytesIO(prepared),
            response_headers={"content-type": "application/xml; charset=utf-8", "content-location": url},
            sanitize_html=False,  # we keep text only (html_to_text drops scripts and styles)
            resolve_relative_uris=False,
        )
    except Exception as error:  # its handlers trip over some shapes (KeyError for <textInput> in an item)
        raise ParseError(f"{url}: feedparser failed: {type(error).__name__}: {error}", reason="malformed") from error
    return result


# --- before the readers -----------------------------------------------------------------------


def _visible_markup(text: str) -> str:
    """``text`` without comments and CDATA sections (linear even when they never end)."""
    parts: list[str] = []
    position = 0
    while match := _HIDDEN_SECTIONS.search(text, position):
        parts.append(text[position : match.start()])
        terminator = "-->" if match.group() == "<!--" else "]]>"
        end = text.find(terminator, match.end())
        if end < 0:
            return "".join(parts)
        parts.append(" ")
        position = end + len(terminator)
    parts.append(text[position:])
    return "".join(parts)


def _refuse_entities(scan: str, url: str) -> None:
    match = _ENTITY_DECL.search(scan) if "<!" in scan else None
    if match is None:
        return
    body = match.group("body")
    kind = "external entity" if re.search(r"\b(?:SYSTEM|PUBLIC)\b", body) else "entity"
    raise ParseError(
        f"{url}: refused before parsing: the document declares an {kind} ({match.group(0)[:80]!r})",
        reason="entity_declaration",
    )


def _refuse_non_feeds(scan: str, url: str) -> None:
    head = scan.lstrip()
    root = _ROOT.search(scan)
    if head.startswith("{"):
        raise ParseError(f"{url}: JSON, not RSS/Atom (for a JSON Feed set format = 'jsonfeed')", reason="not_a_feed")
    if root is None:
        raise ParseError(f"{url}: no element at all", reason="empty")
    if root.group(1).lower() == "html" or head[:14].lower() == "<!doctype html":
        advertised = [urljoin(url, h) for tag in _FEED_LINK.findall(scan[:100_000]) for h in _HREF.findall(tag)]
        hint = f"; the page advertises {', '.join(advertised[:3])}" if advertised else ""
        raise ParseError(f"{url}: an HTML page, not a feed{hint}", reason="html_not_feed")


def _refuse_costly(scan: str, url: str) -> None:
    """Refuse documents whose shape would cost feedparser far more than their size suggests."""
    markup = scan.count("<") + scan.count("&")
    if markup > MAX_MARKUP:
        raise ParseError(f"{url}: {markup} tags and references, over the {MAX_MARKUP} limit", reason="too_complex")
    crowded = _CROWDED_TAG.search(scan) if scan.count("=") > MAX_ATTRIBUTES else None
    if scan.count("<") - scan.count("</") <= MAX_DEPTH:  # too few start tags to nest too deep
        if crowded:
            raise ParseError(f"{url}: <{crowded.group(1)}> has over {MAX_ATTRIBUTES} attributes", reason="too_complex")
        return
    depth = 0
    for match in _TAG.finditer(scan):
        closing, name, attributes = match.groups()
        if attributes.count("=") > MAX_ATTRIBUTES:
            raise ParseError(f"{url}: <{name}> has over {MAX_ATTRIBUTES} attributes", reason="too_complex")
        if closing:
            depth = max(0, depth - 1)
        elif not attributes.endswith("/") and name.lower() not in _VOID:
            depth += 1
            if depth > MAX_DEPTH:
                raise ParseError(f"{url}: elements nested over {MAX_DEPTH} deep", reason="too_complex")


def _within_budget(text: str, scan: str, url: str) -> tuple[str, str, int]:
    """A feed over MAX_MARKUP cut after its last whole item within the limit: (text, scan, items dropped).

    The elements still open at the cut (the channel, the feed) are closed, so the first items
    of a very long feed are read rather than the whole feed refused. A document with no item
    end within the limit is left whole (and refused as too complex).
    """
    if scan.count("<") + scan.count("&") <= MAX_MARKUP:
        return text, scan, 0
    cut = _last_item_end_within(text, MAX_MARKUP - _CUT_SLACK)
    if cut is None:
        return text, scan, 0
    dropped = sum(1 for _ in _outside_hidden(text, _ITEM_END.finditer(text, cut)))
    kept = _visible_markup(text[:cut])
    return text[:cut] + _closing_tags(kept), kept, dropped


def _last_item_end_within(text: str, budget: int) -> int | None:
    """The end of the last item (outside comments and CDATA) before ``budget`` markup characters."""
    used, position, cut = 0, 0, None
    for match in _outside_hidden(text, _ITEM_END.finditer(text)):
        used += text.count("<", position, match.end()) + text.count("&", position, match.end())
        position = match.end()
        if used > budget:
            break
        cut = match.end()
    return cut


def _outside_hidden(text: str, matches: Iterator[re.Match[str]]) -> Iterator[re.Match[str]]:
    """The ``matches`` (in order) that do not start inside a comment or CDATA section; linear."""
    hidden = _hidden_spans(text)
    span = next(hidden, None)
    for match in matches:
        while span is not None and span[1] <= match.start():
            span = next(hidden, None)
        if span is None or not span[0] <= match.start() < span[1]:
            yield match


def _hidden_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each comment and CDATA section, in order (an unterminated one runs to the end)."""
    position = 0
    while match := _HIDDEN_SECTIONS.search(text, position):
        terminator = "-->" if match.group() == "<!--" else "]]>"
        end = text.find(terminator, match.end())
        end = len(text) if end < 0 else end + len(terminator)
        yield match.start(), end
        position = end


def _closing_tags(scan: str) -> str:
    """End tags for the elements left open at the end of ``scan``, innermost first."""
    open_elements: list[str] = []
    for match in _TAG.finditer(scan):
        closing, name, attributes = match.groups()
        if not closing:
            if not attributes.endswith("/"):
                open_elements.append(name)
        elif name in open_elements:
            del open_elements[len(open_elements) - 1 - open_elements[::-1].index(name) :]
    return "".join(f"</{name}>" for name in reversed(open_elements))


def _prepared(text: str) -> str:
    """The document re-declared as UTF-8 and without its DOCTYPE (nothing left to fetch or expand)."""
    text = _XML_DECL.sub('<?xml version="1.0" encoding="utf-8"?>', text, count=1)
    span = _prolog_doctype(text)
    return text if span is None else text[: span[0]] + text[span[1] :]


_SUBSET_END = re.compile(r"\]\s*>")


def _prolog_doctype(text: str) -> tuple[int, int] | None:
    """Where the DOCTYPE declaration before the root element is, if there is one.

    Comments and CDATA sections are skipped whole, so a comment that mentions ``<!DOCTYPE``
    is left alone (cutting it at its ``-->`` would leave the comment open).
    """
    root = next((m.start() for m in _outside_hidden(text, _ROOT.finditer(text))), len(text))
    declaration = next(_outside_hidden(text, _DOCTYPE.finditer(text, 0, root)), None)
    if declaration is None:
        return None
    end = text.find(">", declaration.end())
    subset = text.find("[", declaration.end(), end if end >= 0 else len(text))
    if subset >= 0:  # an internal subset: it ends at "]>"
        closing = _SUBSET_END.search(text, subset)
        return (declaration.start(), closing.end()) if closing else None
    return (declaration.start(), end + 1) if end >= 0 else None


def _bozo_reason(result: Mapping[str, Any]) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    return f"{type(exc).__name__}: {exc}"[:300] if exc is not None else "ill-formed"


# --- entries -----------------------------------------------------------------------------------


def _entry(raw: dict[str, Any], index: int, feed_url: str) -> FeedEntry | SkippedEntry:
    guid = squash(str(raw.get("id") or ""))
    link_text = _entry_link(raw)
    if not link_text:
        return SkippedEntry(index, "no_link", guid or None)
    link = absolute_http(link_text, feed_url)
    if link is None:
        return SkippedEntry(index, "non_http_link", link_text[:200])
    return FeedEntry(
        feed_url=feed_url,
        entry_key=entry_key(guid, link),
        url=link,
        title=_text(raw.get("title", ""), raw.get("title_detail"), MAX_TITLE_CHARS),
        summary=_summary(raw),
        published_at=_moment(_first(raw, "published_parsed", "updated_parsed", "created_parsed")),
        authors=_authors(raw),
    )


def _first(raw: dict[str, Any], *keys: str) -> Any:
    """The first present key, read without feedparser's deprecated key aliasing (and its warning)."""
    for key in keys:
        value = dict.get(raw, key)
        if value:
            return value
    return None


def _entry_link(raw: dict[str, Any]) -> str:
    link = raw.get("link")
    if not link:
        for candidate in raw.get("links") or ():
            if candidate.get("rel", "alternate") == "alternate" and candidate.get("href"):
                link = candidate["href"]
                break
    return clean_link(str(link or ""))


def _summary(raw: dict[str, Any]) -> str:
    summary = raw.get("summary") or ""
    detail = raw.get("summary_detail")
    if not summary:
        for content in raw.get("content") or ():
            if content.get("value"):
                summary, detail = content["value"], content
                break
    return _text(summary, detail, MAX_SUMMARY_CHARS)


def _text(value: object, detail: Mapping[str, Any] | None, limit: int) -> str:
    text = str(value or "")
    if detail is not None and detail.get("type") == "text/plain":
        return squash(text)[:limit].rstrip()
    return html_to_text(text, limit)


def _moment(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime (``None`` when absent or absurd)."""
    if not parsed:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _authors(raw: dict[str, Any]) -> tuple[str, ...]:
    """Author names, never bare e-mail addresses (RSS ``<author>`` is often ``email (Name)``)."""
    source = str(dict.get(raw, "author") or "")
    names = []
    for author in dict.get(raw, "authors") or ():
        if not isinstance(author, Mapping):
            continue
        name = str(author.get("name") or "")
        if author.get("email"):  # feedparser garbles "desk@news.example (Jane Doe)": re-read it
            match = _EMAIL_AND_NAME.match(source)
            name = match.group("name") if match else name
        names.append(name)
    return author_names(names if any(names) else [source])
