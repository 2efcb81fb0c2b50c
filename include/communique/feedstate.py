"""feedparser's parsing state and the primitives its handlers build on, re-enacted for the keys we read.

:class:`FeedState` holds what feedparser's ``_FeedParserMixin`` keeps while it reads a feed (the
element stack, the feed and entry dictionaries, the "in entry", "in content", "in image" ...
flags, ``contentparams``, the depths that decide which ``title`` wins) and its primitives:
``push``/``pop`` (with feedparser's URL resolution, text-or-HTML guess and encoding repairs),
``push_content``/``pop_content``, ``context``, ``save``, the author bookkeeping. Each follows
feedparser 6's code line by line, with plain dictionaries instead of ``FeedParserDict`` (its key
aliases applied when storing) and without storing values nothing reads. Where feedparser would do
something not re-enacted (base64 or inline XHTML content ...), :class:`NotReenactedError` is raised
and the caller gives the document to feedparser. See :mod:`communique.feedxml`.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from feedparser.datetimes import _date_handlers, _parse_date
from feedparser.datetimes.rfc822 import _parse_date_rfc822
from feedparser.datetimes.rfc822 import timezone_names as rfc822_zones
from feedparser.datetimes.w3dtf import _parse_date_w3dtf
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

Context = dict[str, Any]

MATCH_NS: dict[str, str] = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
KEYMAP: dict[str, str] = {
    key: (value[0] if isinstance(value, list) else value) for key, value in FeedParserDict.keymap.items()
}
_RELATIVE_URI_ELEMENTS = frozenset(_FeedParserMixin.can_be_relative_uri)
HTML_TYPES = frozenset(_FeedParserMixin.html_types)
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html
#: Keys the re-enacted handlers read or keep: an unknown element whose name lands on one of them
#: (``<links>``, ``<x:parsed>`` bound to a ``published`` prefix ...) is left to feedparser.
GUARDED_KEYS = frozenset(
    {
        "id", "link", "links", "title", "title_detail", "summary", "summary_detail", "content",
        "published_parsed", "updated_parsed", "created_parsed", "author", "authors", "author_detail",
        "language", "image", "textinput", "source", "tags", "guidislink", "contributors",
        "publisher_detail", "generator_detail", "media_content", "media_thumbnail", "media_credit",
        "media_rating", "media_player",
    }
)  # fmt: skip
#: Elements whose stored value (or its presence) is read: by feeds.py or by the handlers here.
_READ_ELEMENTS = frozenset({"id", "link", "title", "description", "summary", "content", "author", "language"})
_LINK_QUERY_FIX = re.compile("&([A-Za-z0-9_]+);")
_C1 = re.compile("[\x80-\x9f]")
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"""
    r"""([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


class NotReenactedError(Exception):
    """The document needs something only feedparser does."""


#: An absolute http(s) URL that ``urljoin`` returns unchanged whatever the base and ``urlsplit``
#: reads without complaint: lower-case scheme, ASCII host name, no empty query or fragment, no
#: ``;`` (path parameters), no white space, brackets or ``//`` after the scheme.
_PLAIN_HTTP_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?"
    r"(?:/[A-Za-z0-9._~!$&'()*+,=:@%/-]*)?(?:\?[A-Za-z0-9._~!$&'()*+,=:@%/?-]+)?(?:#[A-Za-z0-9._~!$&'()*+,=:@%/?#-]+)?"
)


@lru_cache(maxsize=4096)
def is_plain_http_url(url: str) -> bool:
    """True for a URL that joining against any base leaves as it is (the common case, done quickly)."""
    return _PLAIN_HTTP_URL.fullmatch(url) is not None


def join_uri(base: str, uri: str) -> str:
    """feedparser's ``_urljoin`` (its URL fix-up, then ``urljoin``; ``''`` when that raises)."""
    if is_plain_http_url(uri) and is_plain_http_url(base):
        return uri
    return _join_uri(base, uri)


@lru_cache(maxsize=4096)
def _join_uri(base: str, uri: str) -> str:
    return str(_urljoin(base, uri))


@lru_cache(maxsize=1024)
def safe_absolute_uri(base: str, uri: str) -> str:
    """feedparser's ``make_safe_absolute_uri`` (``''`` for a scheme it does not accept)."""
    return str(make_safe_absolute_uri(base, uri))


#: feedparser tries W3DTF first, then RFC 822; W3DTF reads nothing that starts with a letter
#: (its date part would start with it), so RFC 822 dates ("Mon, 05 Jan ...") can go there directly.
_RFC822_FIRST = _date_handlers[:2] == [_parse_date_w3dtf, _parse_date_rfc822]
#: The usual RFC 822 date, which _parse_date_rfc822 reads as day, month, year, time and zone.
_RFC822_USUAL = re.compile(
    r"(?:mon|tue|wed|thu|fri|sat|sun), ([0-9]{1,2}) (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec) "
    r"([0-9]{4}) ([0-9]{2}):([0-9]{2}):([0-9]{2}) (?:([a-z]+)|([+-])([0-9]{2})([0-9]{2}))",
    re.IGNORECASE,
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}


def parse_date(value: str | None) -> Any:
    """feedparser's ``_parse_date``: the usual RFC 822 form computed as its RFC 822 reader does."""
    if not _RFC822_FIRST or not value or not value[0].isascii() or not value[0].isalpha():
        return _parse_date(value)
    usual = _RFC822_USUAL.fullmatch(value)
    if usual is not None:
        day, month, year, hour, minute, second, zone, sign, zone_hours, zone_minutes = usual.groups()
        if zone is not None:
            zone = zone.lower()
            hours, minutes = rfc822_zones.get(zone[3:] or "gmt" if zone.startswith("gmt") else zone, 0), 0
        else:
            hours, minutes = int(zone_hours), int(zone_minutes)
            if sign == "-":
                hours, minutes = -hours, -minutes
        try:
            # naive, then shifted by the zone and read as UTC: the arithmetic _parse_date_rfc822 does
            stamp = datetime.datetime(  # noqa: DTZ001
                int(year), _MONTHS[month.lower()], int(day), int(hour), int(minute), int(second)
            )
            return (stamp - datetime.timedelta(0, 0, 0, 0, minutes, hours)).utctimetuple()
        except (OverflowError, ValueError):
            return _parse_date(value)  # feedparser's other readers get their chance
    try:
        parsed = _parse_date_rfc822(value)
    except (KeyError, OverflowError, ValueError, AttributeError):
        parsed = None
    return parsed if parsed and len(parsed) == 9 else _parse_date(value)


def map_content_type(content_type: str) -> str:
    """feedparser's names for content types (``text`` is ``text/plain`` ...)."""
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return "application/xhtml+xml"
    return content_type


def repaired(text: str) -> str:
    """feedparser's last touch on every value: UTF-8 read as Latin-1 undone, C1 as windows-1252."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252) if _C1.search(text) else text  # translate() is slow on long text


def enforce_href(attrs: Context) -> Context:
    """feedparser's ``_enforce_href``: ``url`` or ``uri`` attributes become ``href``."""
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


class FeedState:
    """feedparser's state while reading a feed, and the primitives its handlers use."""

    def __init__(self, base_url: str) -> None:
        self.version = ""
        self.feed: Context = {}
        self.entries: list[Context] = []
        self.ns_in_use: dict[str, str] = {}
        self.ns_map: dict[str | None, str] = {}
        self.decls: Context = {}
        self.infeed = self.inentry = self.incontent = self.intextinput = self.inimage = 0
        self.inauthor = self.incontributor = self.inpublisher = self.insource = 0
        self.source: Context = {}
        self.params: Context = {}  # feedparser's contentparams
        self.summary_key: str | None = None
        self.stack: list[list[Any]] = []  # [element, expecting_text, pieces]
        self.scopes: list[tuple[str, str | None]] = []  # feedparser's basestack and langstack
        self.baseuri = base_url
        self.lang: str | None = None
        self.title_depth = -1
        self.depth = 0
        self.has_content = 0
        self.guidislink = False
        self.depths: dict[int, dict[str, int]] = {}

    def track_namespace(self, prefix: str | None, uri: str) -> None:
        lower_uri = uri.lower()
        if not self.version:
            if (prefix, lower_uri) == (None, "http://my.netscape.com/rdf/simple/0.9/"):
                self.version = "rss090"
            elif lower_uri == "http://purl.org/rss/1.0/":
                self.version = "rss10"
            elif lower_uri == "http://www.w3.org/2005/atom":
                self.version = "atom10"
        if "backend.userland.com/rss" in lower_uri:
            uri = lower_uri = "http://backend.userland.com/rss"
        if lower_uri in MATCH_NS:
            self.ns_map[prefix] = MATCH_NS[lower_uri]
            self.ns_in_use[MATCH_NS[lower_uri]] = uri
        else:
            self.ns_in_use[prefix or ""] = uri
        self.namespaces_changed()

    def namespaces_changed(self) -> None:
        """Called when a namespace is declared (element names may map to other handlers now)."""

    def method_key(self, tag: str) -> tuple[str, str]:
        """(mapped prefix, handler key) as feedparser's ``unknown_starttag`` derives them."""
        if ":" not in tag:
            return "", tag
        prefix, suffix = tag.split(":", 1)
        prefix = self.ns_map.get(prefix, prefix)
        return prefix, (f"{prefix}_{suffix}" if prefix else suffix)

    def push(self, element: str, expecting_text: int) -> None:
        self.stack.append([element, expecting_text, []])

    def pop(self, element: str, strip_whitespace: bool = True) -> str | None:
        stack = self.stack
        if not stack or stack[-1][0] != element:
            return None
        _, expecting_text, pieces = stack.pop()
        output = "".join(pieces)
        if strip_whitespace:
            output = output.strip()
        if not expecting_text:
            return output
        if output and element in _RELATIVE_URI_ELEMENTS and (element != "id" or self.guidislink):
            output = join_uri(self.baseuri or "", output)
        params = self.params
        if (
            params.get("type") == "text/plain"
            and not self.version.startswith("atom")
            and ("</" in output or "&" in output)  # looks_like_html needs a close tag or a reference
            and _looks_like_html(output)
        ):
            params["type"] = "text/html"
        if not output.isascii():
            output = repaired(output)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        self.store(element, output)
        return output

    def store(self, element: str, output: str) -> None:
        if element not in _READ_ELEMENTS:
            return  # feedparser keeps it (published, rights, generator ...), nothing reads it
        if self.inentry and not self.insource:
            self.store_in_entry(self.entries[-1], element, output)
        elif self.infeed or self.insource:
            context = self.context()
            if element == "description":
                element = "subtitle"
            context[KEYMAP.get(element, element)] = output
            if element == "link":
                output = _LINK_QUERY_FIX.sub(r"&\g<1>", output)
                context["link"] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                detail = element + "_detail"
                context[KEYMAP.get(detail, detail)] = {**self.params, "value": output}

    def store_in_entry(self, entry: Context, element: str, output: str) -> None:
        if element == "content":
            entry.setdefault("content", []).append({**self.params, "value": output})
            return
        if element == "link":
            if not self.inimage:
                if "&" in output:
                    output = _LINK_QUERY_FIX.sub(r"&\g<1>", output.replace("&amp;", "&"))
                entry["link"] = output
                if output:
                    entry["links"][-1]["href"] = output
            return
        if element == "description":
            element = "summary"
        depths = self.depths.setdefault(id(entry), {})
        old_depth = depths.get(element)
        if old_depth is None or self.depth <= old_depth:  # the shallowest element wins
            depths[element] = self.depth
            entry[KEYMAP.get(element, element)] = output
        if self.incontent:
            detail = element + "_detail"
            entry[KEYMAP.get(detail, detail)] = {**self.params, "value": output}

    def push_content(self, tag: str, attrs: Context, default_type: str, expecting_text: int) -> None:
        self.incontent += 1
        if self.lang:
            self.lang = self.lang.replace("_", "-")
        content_type = map_content_type(attrs.get("type", default_type))
        if content_type == "application/xhtml+xml" or attrs.get("mode", "") == "base64":
            raise NotReenactedError(content_type)
        if not content_type.startswith("text/") and not content_type.endswith(("+xml", "/xml")):
            raise NotReenactedError(content_type)  # feedparser would try base64
        self.params = {"type": content_type, "language": self.lang, "base": self.baseuri}
        self.push(tag, expecting_text)

    def pop_content(self, tag: str) -> str | None:
        value = self.pop(tag)
        self.incontent -= 1
        self.params.clear()
        return value

    def context(self) -> Context:
        if self.insource:
            return self.source
        if self.inimage and "image" in self.feed:
            image: Context = self.feed["image"]
            return image
        if self.intextinput:
            textinput: Context = self.feed["textinput"]
            return textinput
        if self.inentry:
            return self.entries[-1]
        return self.feed

    def save(self, key: str, value: object, overwrite: bool = False) -> None:
        context = self.context()
        key = KEYMAP.get(key, key)
        if overwrite:
            context[key] = value
        else:
            context.setdefault(key, value)

    def save_author(self, key: str, value: str | None, prefix: str = "author") -> None:
        context = self.context()
        context.setdefault(prefix + "_detail", {})[key] = value
        self.sync_author_detail()
        context.setdefault("authors", [{}])[-1][key] = value

    def save_contributor(self, key: str, value: str | None) -> None:
        self.context().setdefault("contributors", [{}])[-1][key] = value

    def sync_author_detail(self, key: str = "author") -> None:
        context = self.context()
        detail = context.get(key + "s", [{}])[-1]
        if detail:
            name, email = detail.get("name"), detail.get("email")
            if name and email:
                context[key] = f"{name} ({email})"
            elif name:
                context[key] = name
            elif email:
                context[key] = email
            return
        author, email = context.get(key), None
        if not author:
            return
        match = _EMAIL.search(author) if "@" in author else None
        if match:
            email = match.group(0)
            author = author.replace(email, "").replace("()", "").replace("<>", "").replace("&lt;&gt;", "")
            author = author.strip()
            if author and author[0] == "(":
                author = author[1:]
            if author and author[-1] == ")":
                author = author[:-1]
            author = author.strip()
        if author or email:
            context.setdefault(key + "_detail", detail)
        if author:
            detail["name"] = author
        if email:
            detail["email"] = email

    def standard_attribute(self, attrs: Context, name: str) -> Any:
        prefix, _, suffix = name.partition(":")
        return attrs.get(self.ns_map.get(prefix, prefix) + ":" + suffix)
