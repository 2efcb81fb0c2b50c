"""Well-formed RSS, Atom and RDF feeds read at C speed: feedparser's strict path, re-enacted.

feedparser spends 20-45 ms of CPU on a 40 KB feed, nearly all of it in its generic machinery
(SAX wrappers, dictionaries with key aliasing, deep copies, a URL join per element), which made
parsing, not fetching, the cost of a poll. Most real feeds are well-formed XML that feedparser
reads with its strict parser. For those, :func:`read_feed` drives the same XML parser (expat, with
the same namespace reporting, on the same bytes) straight into a re-enactment of the feedparser
handlers that decide what Communiqué keeps: entry ids, links, titles, summaries and content,
dates and authors; the feed's title, link and language. It uses feedparser's own helpers for URL
joining, dates, text-or-HTML guessing and the namespace table, and keeps its quirks (a permalink
``guid`` that stands in for a missing ``link``, a second ``description`` read as content, the
``title`` of the shallowest element winning ...), so the result is the one feedparser gives.

Whenever the document needs anything not re-enacted here it returns ``None`` and the caller hands
the same bytes to feedparser: not well-formed (feedparser's loose parser then takes over), a
DOCTYPE, inline XHTML or base64 content, child elements inside a text element, GeoRSS, Podlove
chapters, Creative Commons, a root other than ``rss``, ``feed`` or ``rdf:RDF`` ...
``tests/unit/test_feeds_parity.py`` runs both readers over every feed we have and over generated
variants of them and requires identical results.

Safety: expat never loads anything (no external entity handler, parameter entities off), a DOCTYPE
or an entity declaration stops the reading, and the caller's pre-scan (entity declarations,
markup and nesting limits) has already run.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from xml.parsers import expat

from feedparser.datetimes import _parse_date
from feedparser.html import _cp1252
from feedparser.mixin import _FeedParserMixin
from feedparser.sanitizer import RE_DOCTYPE_PATTERN, RE_ENTITY_PATTERN
from feedparser.urls import _urljoin, make_safe_absolute_uri
from feedparser.util import FeedParserDict

Context = dict[str, Any]

_MATCH_NS: dict[str, str] = {uri.lower(): prefix for uri, prefix in _FeedParserMixin.namespaces.items()}
_KEYMAP: dict[str, str] = {
    key: (value[0] if isinstance(value, list) else value) for key, value in FeedParserDict.keymap.items()
}
_FP_STARTS = frozenset(name[7:] for name in dir(_FeedParserMixin) if name.startswith("_start_"))
_FP_ENDS = frozenset(name[5:] for name in dir(_FeedParserMixin) if name.startswith("_end_"))
_RELATIVE_URI_ELEMENTS = frozenset(_FeedParserMixin.can_be_relative_uri)
_HTML_TYPES = frozenset(_FeedParserMixin.html_types)
_COPIED_TO_SUMMARY = frozenset({"text/plain"}) | _HTML_TYPES
_looks_like_html: Callable[[str], bool] = _FeedParserMixin.looks_like_html
#: Keys the re-enacted handlers read or keep: an unknown element whose name lands on one of them
#: (``<links>``, ``<x:parsed>`` bound to a ``published`` prefix ...) is left to feedparser.
_GUARDED_KEYS = frozenset(
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
_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
_RSS_VERSIONS = {"0.91": "rss091u", "0.92": "rss092", "0.93": "rss093", "0.94": "rss094"}
_ATOM_VERSIONS = {"0.1": "atom01", "0.2": "atom02", "0.3": "atom03"}
_FEEDPARSER_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?>")
_FIRST_ELEMENT = re.compile(rb"<\w")
_LINK_QUERY_FIX = re.compile("&([A-Za-z0-9_]+);")
_EMAIL = re.compile(
    r"""(([a-zA-Z0-9\_\-\.\+]+)@((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.)|(([a-zA-Z0-9\-]+\.)+))"""
    r"""([a-zA-Z]{2,4}|[0-9]{1,3})(\]?))(\?subject=\S+)?"""
)


_Start = Callable[["_Reader", Context], None]
_End = Callable[["_Reader"], None]


class _NotReenactedError(Exception):
    """The document needs something only feedparser does."""


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """What a feed reader found: feedparser's ``version``, ``feed`` and ``entries`` (the keys we read)."""

    version: str
    feed: Context
    entries: list[Context]


def read_feed(data: bytes, base_url: str) -> FeedDocument | None:
    """Read a UTF-8 feed as feedparser's strict parser would, or ``None`` to leave it to feedparser.

    :param data: the document as :func:`communique.feeds.parse_feed` hands it to feedparser.
    :param base_url: the feed's URL, the base for relative links (feedparser's ``Content-Location``).
    """
    document = _as_feedparser_reads(data)
    if document is None:
        return None
    reader = _Reader(base_url)
    try:
        reader.parse(document)
    except (_NotReenactedError, expat.ExpatError, LookupError, AttributeError, TypeError, ValueError):
        return None
    if reader.root not in _ROOTS:
        return None
    return FeedDocument(reader.version, reader.feed, reader.entries)


def _as_feedparser_reads(data: bytes) -> bytes | None:
    """The bytes feedparser's strict parser gets (its declaration), or ``None`` if it would rewrite more."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    declaration = _XML_DECLARATION.match(data)
    rest = data[declaration.end() :] if declaration else b"\n" + data
    data = _FEEDPARSER_DECLARATION + rest
    first = _FIRST_ELEMENT.search(data)
    head = data[: first.start() + 1] if first else data[:1]
    if RE_DOCTYPE_PATTERN.search(head) or RE_ENTITY_PATTERN.search(head):
        return None  # feedparser would rewrite the prolog
    return data


#: An absolute http(s) URL that ``urljoin`` returns unchanged whatever the base and ``urlsplit``
#: reads without complaint: lower-case scheme, ASCII host name, no empty query or fragment, no
#: ``;`` (path parameters), no white space, brackets or ``//`` after the scheme.
_PLAIN_HTTP_URL = re.compile(
    r"https?://[A-Za-z0-9.-]+(?::[0-9]+)?"
    r"(?:/[A-Za-z0-9._~!$&'()*+,=:@%/-]*)?(?:\?[A-Za-z0-9._~!$&'()*+,=:@%/?-]+)?(?:#[A-Za-z0-9._~!$&'()*+,=:@%/?#-]+)?"
)


def is_plain_http_url(url: str) -> bool:
    """True for a URL that joining against any base leaves as it is (the common case, done quickly)."""
    return _PLAIN_HTTP_URL.fullmatch(url) is not None


@lru_cache(maxsize=4096)
def _join(base: str, uri: str) -> str:
    """feedparser's ``_urljoin`` (its URL fix-up, then ``urljoin``; ``''`` when that raises)."""
    if _PLAIN_HTTP_URL.fullmatch(uri) and _PLAIN_HTTP_URL.fullmatch(base):
        return uri
    return str(_urljoin(base, uri))


@lru_cache(maxsize=1024)
def _safe_absolute(base: str, uri: str) -> str:
    return str(make_safe_absolute_uri(base, uri))


def _map_content_type(content_type: str) -> str:
    content_type = content_type.lower()
    if content_type in ("text", "plain"):
        return "text/plain"
    if content_type == "html":
        return "text/html"
    if content_type == "xhtml":
        return "application/xhtml+xml"
    return content_type


def _repaired(text: str) -> str:
    """feedparser's last touch on every value: UTF-8 read as Latin-1 undone, C1 as windows-1252."""
    if text.isascii():
        return text
    with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
        text = text.encode("iso-8859-1").decode("utf-8")
    return text.translate(_cp1252)


def _enforce_href(attrs: Context) -> Context:
    href = attrs.get("url", attrs.get("uri", attrs.get("href")))
    if href:
        attrs.pop("url", None)
        attrs.pop("uri", None)
        attrs["href"] = href
    return attrs


def _expat_name(name: str) -> tuple[str | None, str]:
    """(namespace, local name) as ``xml.sax``'s expat reader reports an element."""
    parts = name.split(" ")
    if len(parts) == 1:
        return None, name
    if len(parts) in (2, 3):
        return parts[0], parts[1]
    raise _NotReenactedError(name)


class _Reader:
    """feedparser's ``_StrictFeedParser`` + ``_FeedParserMixin`` state machine, for the keys we read."""

    def __init__(self, base_url: str) -> None:
        self.version = ""
        self.feed: Context = {}
        self.entries: list[Context] = []
        self.root: str | None = None
        self.ns_in_use: dict[str, str] = {}
        self.ns_map: dict[str | None, str] = {}
        self.decls: Context = {}
        self.infeed = self.inentry = self.incontent = self.intextinput = self.inimage = 0
        self.inauthor = self.incontributor = self.inpublisher = self.insource = 0
        self.source: Context = {}
        self.params: Context = {}  # feedparser's contentparams
        self.summary_key: str | None = None
        self.stack: list[list[Any]] = []  # [element, expecting_text, pieces]
        self.basestack: list[str] = []
        self.langstack: list[str | None] = []
        self.baseuri = base_url
        self.lang: str | None = None
        self.title_depth = -1
        self.depth = 0
        self.has_content = 0
        self.guidislink = False
        self.depths: dict[int, dict[str, int]] = {}
        self.start_names: dict[str, tuple[str, str, _Start | None, bool, bool]] = {}
        self.end_names: dict[str, tuple[str, _End | None]] = {}

    def parse(self, data: bytes) -> None:
        parser = expat.ParserCreate(None, " ")
        parser.namespace_prefixes = True
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartNamespaceDeclHandler = self._start_prefix_mapping
        parser.StartElementHandler = self._start_element
        parser.EndElementHandler = self._end_element
        parser.CharacterDataHandler = self._characters
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.ExternalEntityRefHandler = _refuse
        parser.Parse(data, True)

    # --- SAX events (feedparser/parsers/strict.py) ----------------------------------------------

    def _start_prefix_mapping(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        prefix = prefix or None
        self._track_namespace(prefix, uri)
        if prefix and uri == "http://www.w3.org/1999/xlink":
            self.decls["xmlns:" + prefix] = uri

    def _characters(self, text: str) -> None:
        if self.stack:
            self.stack[-1][2].append(text)

    def _start_element(self, name: str, attributes: dict[str, str]) -> None:
        tag, key, handler, resets_textinput, resets_image = self.start_names.get(name) or self._start_entry(name)
        attrs = self._attributes(attributes) if attributes or self.decls else {}
        self.depth += 1
        if self.root is None:
            self.root = tag
            if tag not in _ROOTS:
                raise _NotReenactedError(tag)
        if attrs:
            self._enter_scope(tag, attrs)
        else:  # feedparser's unknown_starttag without attributes: inherit base and language
            base = self.baseuri
            self.baseuri = (_safe_absolute(base, base) or base) if base else _join(base, base)
            if self.lang and tag in ("feed", "rss", "rdf:RDF"):
                self.feed["language"] = self.lang.replace("_", "-")
        self.basestack.append(self.baseuri)
        self.langstack.append(self.lang)
        if self.incontent:
            raise _NotReenactedError("markup inside a text element")
        if resets_textinput:
            self.intextinput = 0
        if resets_image:
            self.inimage = 0
        if handler is not None:
            handler(self, attrs)
        elif not attrs:
            self._push(key, 1)
        else:
            self._context()  # feedparser stores the attributes there (and fails where it would)

    def _attributes(self, attributes: dict[str, str]) -> Context:
        """The attribute dictionary feedparser builds (its names, ``rel`` and ``type`` lower-cased)."""
        attrs, self.decls = self.decls, {}
        qnames = []
        for aname, value in attributes.items():
            parts = aname.split(" ")
            if len(parts) == 1:
                namespace, local, qname = None, aname, aname
            elif len(parts) == 3:
                namespace, local, qname = parts[0], parts[1], f"{parts[2]}:{parts[1]}"
            else:
                raise _NotReenactedError(aname)
            prefix = _MATCH_NS.get((namespace or "").lower(), "")
            attrs[(f"{prefix}:{local}" if prefix else local).lower()] = value
            qnames.append((qname, value))
        for qname, value in qnames:
            attrs[qname.lower()] = value
        for key in ("rel", "type"):
            if key in attrs:
                attrs[key] = attrs[key].lower()
        return attrs

    def _enter_scope(self, tag: str, attrs: Context) -> None:
        """``xml:base``, ``xml:lang`` and namespace attributes, as feedparser's unknown_starttag reads them."""
        base = attrs.get("xml:base", attrs.get("base")) or self.baseuri
        if self.baseuri:
            self.baseuri = _safe_absolute(self.baseuri, base) or self.baseuri
        else:
            self.baseuri = _join(self.baseuri, base)
        lang = attrs.get("xml:lang", attrs.get("lang"))
        if lang == "":
            lang = None
        elif lang is None:
            lang = self.lang
        if lang and tag in ("feed", "rss", "rdf:RDF"):
            self.feed["language"] = lang.replace("_", "-")
        self.lang = lang
        for name, value in attrs.items():
            if name.startswith("xmlns:"):
                self._track_namespace(name[6:], value)
            elif name == "xmlns":
                self._track_namespace(None, value)

    def _start_entry(self, name: str) -> tuple[str, str, _Start | None, bool, bool]:
        """How an element name is dispatched (cached until the next namespace declaration)."""
        namespace, local = _expat_name(name)
        lower_ns = (namespace or "").lower()
        if "backend.userland.com/rss" in lower_ns:
            namespace = lower_ns = "http://backend.userland.com/rss"
        local = local.lower()
        if local in ("math", "svg"):
            raise _NotReenactedError(local)
        prefix = _MATCH_NS.get(lower_ns)
        if prefix:
            local = prefix.lower() + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        tag = local.lower()
        prefix, key = self._method_key(tag)
        handler = _STARTS.get(key)
        if handler is None and (key in _FP_STARTS or _KEYMAP.get(key, key) in _GUARDED_KEYS):
            handler = _unsupported
        entry = (
            tag,
            key,
            handler,
            not prefix and tag not in ("title", "link", "description", "name"),
            not prefix and tag not in ("title", "link", "description", "url", "href", "width", "height"),
        )
        self.start_names[name] = entry
        return entry

    def _end_entry(self, name: str) -> tuple[str, _End | None]:
        namespace, local = _expat_name(name)
        prefix = _MATCH_NS.get((namespace or "").lower(), "")
        if prefix:
            local = prefix + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        key = self._method_key(local.lower())[1]
        handler = _ENDS.get(key)
        if handler is None and key in _FP_ENDS:
            handler = _unsupported
        self.end_names[name] = entry = (key, handler)
        return entry

    def _declared_prefix(self, namespace: str, local: str) -> str:
        for declared, uri in self.ns_in_use.items():
            if declared and uri == namespace:
                return declared + ":" + local
        return local

    def _end_element(self, name: str) -> None:
        key, handler = self.end_names.get(name) or self._end_entry(name)
        if handler is not None:
            handler(self)
        elif self.stack and self.stack[-1][0] == key:  # an element we never read
            if _KEYMAP.get(key, key) in _GUARDED_KEYS:
                raise _NotReenactedError(key)  # feedparser would store it under a name we read
            self.stack.pop()
        if self.incontent:
            raise _NotReenactedError("markup inside a text element")
        basestack = self.basestack
        if basestack:
            basestack.pop()
            if basestack and basestack[-1]:
                self.baseuri = basestack[-1]
        langstack = self.langstack
        if langstack:
            langstack.pop()
            if langstack:
                self.lang = langstack[-1]
        self.depth -= 1

    # --- feedparser/mixin.py --------------------------------------------------------------------

    def _track_namespace(self, prefix: str | None, uri: str) -> None:
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
        if lower_uri in _MATCH_NS:
            self.ns_map[prefix] = _MATCH_NS[lower_uri]
            self.ns_in_use[_MATCH_NS[lower_uri]] = uri
        else:
            self.ns_in_use[prefix or ""] = uri
        self.start_names.clear()
        self.end_names.clear()

    def _method_key(self, tag: str) -> tuple[str, str]:
        """(mapped prefix, handler key) as feedparser's ``unknown_starttag`` derives them."""
        if ":" not in tag:
            return "", tag
        prefix, suffix = tag.split(":", 1)
        prefix = self.ns_map.get(prefix, prefix)
        return prefix, (f"{prefix}_{suffix}" if prefix else suffix)

    def _push(self, element: str, expecting_text: int) -> None:
        self.stack.append([element, expecting_text, []])

    def _pop(self, element: str, strip_whitespace: bool = True) -> str | None:
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
            output = _join(self.baseuri or "", output)
        params = self.params
        if params.get("type") == "text/plain" and not self.version.startswith("atom") and _looks_like_html(output):
            params["type"] = "text/html"
        params.pop("mode", None)
        params.pop("base64", None)
        output = _repaired(output)
        if element in ("category", "tags", "itunes_keywords"):
            return output
        if element == "title" and -1 < self.title_depth <= self.depth:
            return output
        self._store(element, output)
        return output

    def _store(self, element: str, output: str) -> None:
        if element not in _READ_ELEMENTS:
            return  # feedparser keeps it (published, rights, generator ...), nothing reads it
        if self.inentry and not self.insource:
            self._store_in_entry(self.entries[-1], element, output)
        elif self.infeed or self.insource:
            context = self._context()
            if element == "description":
                element = "subtitle"
            context[_KEYMAP.get(element, element)] = output
            if element == "link":
                output = _LINK_QUERY_FIX.sub(r"&\g<1>", output)
                context["link"] = output
                context["links"][-1]["href"] = output
            elif self.incontent:
                detail = element + "_detail"
                context[_KEYMAP.get(detail, detail)] = {**self.params, "value": output}

    def _store_in_entry(self, entry: Context, element: str, output: str) -> None:
        if element == "content":
            entry.setdefault("content", []).append({**self.params, "value": output})
            return
        if element == "link":
            if not self.inimage:
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
            entry[_KEYMAP.get(element, element)] = output
        if self.incontent:
            detail = element + "_detail"
            entry[_KEYMAP.get(detail, detail)] = {**self.params, "value": output}

    def _push_content(self, tag: str, attrs: Context, default_type: str, expecting_text: int) -> None:
        self.incontent += 1
        if self.lang:
            self.lang = self.lang.replace("_", "-")
        content_type = _map_content_type(attrs.get("type", default_type))
        if content_type == "application/xhtml+xml" or attrs.get("mode", "") == "base64":
            raise _NotReenactedError(content_type)
        if not content_type.startswith("text/") and not content_type.endswith(("+xml", "/xml")):
            raise _NotReenactedError(content_type)  # feedparser would try base64
        self.params = {"type": content_type, "language": self.lang, "base": self.baseuri, "base64": 0}
        self._push(tag, expecting_text)

    def _pop_content(self, tag: str) -> str | None:
        value = self._pop(tag)
        self.incontent -= 1
        self.params.clear()
        return value

    def _context(self) -> Context:
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

    def _save(self, key: str, value: object, overwrite: bool = False) -> None:
        context = self._context()
        key = _KEYMAP.get(key, key)
        if overwrite:
            context[key] = value
        else:
            context.setdefault(key, value)

    def _save_author(self, key: str, value: str | None, prefix: str = "author") -> None:
        context = self._context()
        context.setdefault(prefix + "_detail", {})[key] = value
        self._sync_author_detail()
        context.setdefault("authors", [{}])[-1][key] = value

    def _save_contributor(self, key: str, value: str | None) -> None:
        self._context().setdefault("contributors", [{}])[-1][key] = value

    def _sync_author_detail(self, key: str = "author") -> None:
        context = self._context()
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
        match = _EMAIL.search(author)
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

    def _standard_attribute(self, attrs: Context, name: str) -> Any:
        prefix, _, suffix = name.partition(":")
        return attrs.get(self.ns_map.get(prefix, prefix) + ":" + suffix)

    # --- feedparser/namespaces: the handlers re-enacted ------------------------------------------

    def start_rss(self, attrs: Context) -> None:
        if not self.version or not self.version.startswith("rss"):
            given = attrs.get("version", "")
            self.version = _RSS_VERSIONS.get(given) or ("rss20" if given.startswith("2.") else "rss")

    def start_channel(self, attrs: Context) -> None:
        self.infeed = 1
        _refuse_cdf(attrs)

    def start_feed(self, attrs: Context) -> None:
        self.infeed = 1
        if not self.version:
            self.version = _ATOM_VERSIONS.get(attrs.get("version", "")) or "atom"

    def end_channel(self) -> None:
        self.infeed = 0

    def start_image(self, attrs: Context) -> None:
        context = self._context()
        if not self.inentry:
            context.setdefault("image", {})
        self.inimage = 1
        self.title_depth = -1
        self._push("image", 0)

    def end_image(self) -> None:
        self._pop("image")
        self.inimage = 0

    def start_textinput(self, attrs: Context) -> None:
        self._context().setdefault("textinput", {})
        self.intextinput = 1
        self.title_depth = -1
        self._push("textinput", 0)

    def end_textinput(self) -> None:
        self._pop("textinput")
        self.intextinput = 0

    def start_author(self, attrs: Context) -> None:
        self.inauthor = 1
        self._push("author", 1)
        self._context().setdefault("authors", []).append({})

    def end_author(self) -> None:
        self._pop("author")
        self.inauthor = 0
        self._sync_author_detail()

    def start_contributor(self, attrs: Context) -> None:
        self.incontributor = 1
        self._context().setdefault("contributors", []).append({})
        self._push("contributor", 0)

    def end_contributor(self) -> None:
        self._pop("contributor")
        self.incontributor = 0

    def start_dc_contributor(self, attrs: Context) -> None:
        self.incontributor = 1
        self._context().setdefault("contributors", []).append({})
        self._push("name", 0)

    def end_dc_contributor(self) -> None:
        self.end_name()
        self.incontributor = 0

    def end_name(self) -> None:
        value = self._pop("name")
        if self.inpublisher:
            self._save_author("name", value, "publisher")
        elif self.inauthor:
            self._save_author("name", value)
        elif self.incontributor:
            self._save_contributor("name", value)
        elif self.intextinput:
            self._context()["name"] = value

    def end_url(self) -> None:
        value = self._pop("href")
        if self.inauthor:
            self._save_author("href", value)
        elif self.incontributor:
            self._save_contributor("href", value)

    def end_email(self) -> None:
        value = self._pop("email")
        if self.inpublisher:
            self._save_author("email", value, "publisher")
        elif self.inauthor:
            self._save_author("email", value)
        elif self.incontributor:
            self._save_contributor("email", value)

    def start_item(self, attrs: Context) -> None:
        self.entries.append({})
        self._push("item", 0)
        self.inentry = 1
        self.guidislink = False
        self.title_depth = -1
        about = self._standard_attribute(attrs, "rdf:about")
        if about:
            self._context()["id"] = about
        _refuse_cdf(attrs)

    def end_item(self) -> None:
        self._pop("item")
        self.inentry = 0
        self.has_content = 0

    def end_language(self) -> None:
        self.lang = self._pop("language")

    def end_webmaster(self) -> None:
        self._pop("publisher")
        self._sync_author_detail("publisher")

    def start_itunes_owner(self, attrs: Context) -> None:
        self.inpublisher = 1
        self._push("publisher", 0)

    def end_itunes_owner(self) -> None:
        self._pop("publisher")
        self.inpublisher = 0
        self._sync_author_detail("publisher")

    def end_published(self) -> None:
        self._save("published_parsed", _parse_date(self._pop("published")), overwrite=True)

    def end_updated(self) -> None:
        self._save("updated_parsed", _parse_date(self._pop("updated")), overwrite=True)

    def end_created(self) -> None:
        self._save("created_parsed", _parse_date(self._pop("created")), overwrite=True)

    def end_expirationdate(self) -> None:
        self._save("expired_parsed", _parse_date(self._pop("expired")), overwrite=True)

    def start_category(self, attrs: Context) -> None:
        self._context().setdefault("tags", [])
        self._push("category", 1)

    def end_category(self) -> None:
        value = self._pop("category")
        if value and "tags" not in self._context():
            raise _NotReenactedError("category")

    def start_link(self, attrs: Context) -> None:
        attrs.setdefault("rel", "alternate")
        attrs.setdefault("type", "application/atom+xml" if attrs["rel"] == "self" else "text/html")
        context = self._context()
        attrs = _enforce_href(attrs)
        if "href" in attrs:
            attrs["href"] = _join(self.baseuri or "", attrs["href"])
        links = context.setdefault("links", [])
        if not (self.inentry and self.inimage):
            links.append(dict(attrs))
        if "href" not in attrs:
            self._push("link", self.infeed or self.inentry or self.insource)
        elif attrs.get("rel") == "alternate" and _map_content_type(attrs["type"]) in _HTML_TYPES:
            context["link"] = attrs["href"]

    def start_enclosure(self, attrs: Context) -> None:
        attrs = _enforce_href(attrs)
        context = self._context()
        attrs["rel"] = "enclosure"
        context.setdefault("links", []).append(dict(attrs))

    def start_guid(self, attrs: Context) -> None:
        self.guidislink = attrs.get("ispermalink", "true") == "true"
        self._push("id", 1)

    def end_guid(self) -> None:
        value = self._pop("id")
        self._save("guidislink", self.guidislink and "link" not in self._context())
        if self.guidislink:
            self._save("link", value)

    def start_title(self, attrs: Context) -> None:
        self._push_content("title", attrs, "text/plain", self.infeed or self.inentry or self.insource)

    def end_title(self) -> None:
        if self._pop_content("title"):
            self.title_depth = self.depth

    def end_media_title(self) -> None:
        title_depth = self.title_depth
        self.end_title()
        self.title_depth = title_depth

    def start_description(self, attrs: Context) -> None:
        if "summary" in self._context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self._push_content("description", attrs, "text/html", self.infeed or self.inentry or self.insource)

    def start_abstract(self, attrs: Context) -> None:
        self._push_content("description", attrs, "text/plain", self.infeed or self.inentry or self.insource)

    def end_description(self) -> None:
        if self.summary_key == "content":
            self.end_content()
        else:
            self._pop_content("description")
        self.summary_key = None

    def start_summary(self, attrs: Context) -> None:
        if "summary" in self._context() and not self.has_content:
            self.summary_key = "content"
            self.start_content(attrs)
        else:
            self.summary_key = "summary"
            self._push_content("summary", attrs, "text/plain", 1)

    def end_summary(self) -> None:
        if self.summary_key == "content":
            self.end_content()
        else:
            self._pop_content(self.summary_key or "summary")
        self.summary_key = None

    def start_content(self, attrs: Context) -> None:
        self.has_content = 1
        self._push_content("content", attrs, "text/plain", 1)
        if attrs.get("src"):
            self.params["src"] = attrs["src"]
        self._push("content", 1)  # feedparser pushes it twice

    def start_content_encoded(self, attrs: Context) -> None:
        self.has_content = 1
        self._push_content("content", attrs, "text/html", 1)

    def end_content(self) -> None:
        content_type = self.params.get("type")
        if content_type is None:
            raise _NotReenactedError("content without a type")
        copy_to_summary = _map_content_type(content_type) in _COPIED_TO_SUMMARY
        value = self._pop_content("content")
        if copy_to_summary:
            self._save("summary", value)

    def start_source(self, attrs: Context) -> None:
        if "url" in attrs:
            self.source["href"] = attrs["url"]
        self._push("source", 1)
        self.insource = 1
        self.title_depth = -1

    def end_source(self) -> None:
        self.insource = 0
        value = self._pop("source")
        if value:
            self.source["title"] = value
        self._context()["source"] = dict(self.source)
        self.source.clear()

    def start_media_rating(self, attrs: Context) -> None:
        self._context().setdefault("media_rating", attrs)
        self._push("rating", 1)

    def end_media_rating(self) -> None:
        rating = self._pop("rating")
        if rating is not None and rating.strip():
            self._context()["media_rating"]["content"] = rating

    def start_media_restriction(self, attrs: Context) -> None:
        self._context().setdefault("media_restriction", attrs)
        self._push("restriction", 1)

    def end_media_restriction(self) -> None:
        restriction = self._pop("restriction")
        if restriction is not None and restriction.strip():
            self._context()["media_restriction"]["content"] = restriction

    def start_media_license(self, attrs: Context) -> None:
        self._context().setdefault("media_license", attrs)
        self._push("license", 1)

    def end_media_license(self) -> None:
        license_ = self._pop("license")
        if license_ is not None and license_.strip():
            self._context()["media_license"]["content"] = license_

    def start_media_credit(self, attrs: Context) -> None:
        self._context().setdefault("media_credit", []).append(attrs)
        self._push("credit", 1)

    def end_media_credit(self) -> None:
        credit = self._pop("credit")
        if credit is not None and credit.strip():
            self._context()["media_credit"][-1]["content"] = credit

    def start_media_content(self, attrs: Context) -> None:
        self._context().setdefault("media_content", []).append(attrs)

    def start_media_thumbnail(self, attrs: Context) -> None:
        self._context().setdefault("media_thumbnail", []).append(attrs)
        self._push("url", 1)

    def end_media_thumbnail(self) -> None:
        url = self._pop("url")
        thumbnails = self._context()["media_thumbnail"]
        if url is not None and url.strip() and "url" not in thumbnails[-1]:
            thumbnails[-1]["url"] = url

    def start_media_player(self, attrs: Context) -> None:
        self._push("media_player", 0)
        self._context()["media_player"] = attrs

    def end_media_player(self) -> None:
        value = self._pop("media_player")
        self._context()["media_player"]["content"] = value

    def start_itunes_image(self, attrs: Context) -> None:
        self._push("itunes_image", 0)
        href = attrs.get("href") or attrs.get("url")
        if href:
            self._context()["image"] = {"href": href}

    def start_generator(self, attrs: Context) -> None:
        self._context()["generator_detail"] = attrs
        self._push("generator", 1)


def _refuse(*_: object) -> int:
    raise _NotReenactedError("DTD")


def _unsupported(reader: _Reader, *_: object) -> None:
    raise _NotReenactedError("an element feedparser handles in ways not re-enacted here")


def _refuse_cdf(attrs: Context) -> None:
    if "lastmod" in attrs or "href" in attrs:
        raise _NotReenactedError("CDF attributes")


def _pusher(element: str, expecting_text: int = 1) -> Callable[[_Reader, Context], None]:
    def start(reader: _Reader, attrs: Context) -> None:
        reader._push(element, expecting_text)

    return start


def _popper(element: str, strip_whitespace: bool = True) -> Callable[[_Reader], None]:
    def end(reader: _Reader) -> None:
        reader._pop(element, strip_whitespace)

    return end


def _content(element: str, default_type: str) -> Callable[[_Reader, Context], None]:
    def start(reader: _Reader, attrs: Context) -> None:
        reader._push_content(element, attrs, default_type, 1)

    return start


def _content_end(element: str) -> Callable[[_Reader], None]:
    def end(reader: _Reader) -> None:
        reader._pop_content(element)

    return end


def _nothing(reader: _Reader, attrs: Context) -> None:
    """feedparser's handler stores only what we never read."""


_R = _Reader
_STARTS: dict[str, _Start] = {
    "rss": _R.start_rss,
    "channel": _R.start_channel,
    "feed": _R.start_feed,
    "image": _R.start_image,
    "textinput": _R.start_textinput,
    "item": _R.start_item,
    "entry": _R.start_item,
    **dict.fromkeys(("author", "managingeditor", "dc_author", "dc_creator", "itunes_author"), _R.start_author),
    "contributor": _R.start_contributor,
    "dc_contributor": _R.start_dc_contributor,
    **dict.fromkeys(("name", "itunes_name"), _pusher("name", 0)),
    **dict.fromkeys(("email", "itunes_email"), _pusher("email", 0)),
    **dict.fromkeys(("url", "homepage", "uri"), _pusher("href")),
    "width": _pusher("width", 0),
    "height": _pusher("height", 0),
    **dict.fromkeys(("subtitle", "tagline", "itunes_subtitle"), _content("subtitle", "text/plain")),
    **dict.fromkeys(("rights", "copyright", "dc_rights"), _content("rights", "text/plain")),
    **dict.fromkeys(("info", "feedburner_browserfriendly"), _content("info", "text/plain")),
    **dict.fromkeys(("language", "dc_language"), _pusher("language")),
    **dict.fromkeys(("webmaster", "dc_publisher"), _pusher("publisher")),
    "itunes_owner": _R.start_itunes_owner,
    **dict.fromkeys(("published", "issued", "pubdate", "dcterms_issued"), _pusher("published")),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), _pusher("updated")),
    **dict.fromkeys(("created", "dcterms_created"), _pusher("created")),
    "expirationdate": _pusher("expired"),
    **dict.fromkeys(("category", "keywords", "dc_subject", "media_category", "itunes_category"), _R.start_category),
    "tags": _pusher("tags"),
    "cloud": _nothing,
    "link": _R.start_link,
    "enclosure": _R.start_enclosure,
    **dict.fromkeys(("guid", "id"), _R.start_guid),
    **dict.fromkeys(("title", "dc_title", "media_title"), _R.start_title),
    **dict.fromkeys(("description", "dc_description", "media_description"), _R.start_description),
    "abstract": _R.start_abstract,
    **dict.fromkeys(("summary", "itunes_summary"), _R.start_summary),
    "content": _R.start_content,
    **dict.fromkeys(("content_encoded", "fullitem"), _R.start_content_encoded),
    "generator": _R.start_generator,
    "source": _R.start_source,
    "newlocation": _pusher("newlocation"),
    "media_group": _nothing,
    "media_rating": _R.start_media_rating,
    "media_credit": _R.start_media_credit,
    "media_restriction": _R.start_media_restriction,
    "media_license": _R.start_media_license,
    "media_content": _R.start_media_content,
    "media_thumbnail": _R.start_media_thumbnail,
    "media_player": _R.start_media_player,
    **dict.fromkeys(("itunes_image", "itunes_link"), _R.start_itunes_image),
}
_ENDS: dict[str, _End] = {
    **dict.fromkeys(("channel", "feed"), _R.end_channel),
    "image": _R.end_image,
    "textinput": _R.end_textinput,
    **dict.fromkeys(("item", "entry"), _R.end_item),
    **dict.fromkeys(("author", "managingeditor", "dc_author", "dc_creator", "itunes_author"), _R.end_author),
    "contributor": _R.end_contributor,
    "dc_contributor": _R.end_dc_contributor,
    **dict.fromkeys(("name", "itunes_name"), _R.end_name),
    **dict.fromkeys(("email", "itunes_email"), _R.end_email),
    **dict.fromkeys(("url", "homepage", "uri"), _R.end_url),
    "width": _popper("width"),
    "height": _popper("height"),
    **dict.fromkeys(("subtitle", "tagline", "itunes_subtitle"), _content_end("subtitle")),
    **dict.fromkeys(("rights", "copyright", "dc_rights"), _content_end("rights")),
    **dict.fromkeys(("info", "feedburner_browserfriendly"), _content_end("info")),
    **dict.fromkeys(("language", "dc_language"), _R.end_language),
    **dict.fromkeys(("webmaster", "dc_publisher"), _R.end_webmaster),
    "itunes_owner": _R.end_itunes_owner,
    **dict.fromkeys(("published", "issued", "pubdate", "dcterms_issued"), _R.end_published),
    **dict.fromkeys(("updated", "modified", "lastbuilddate", "dc_date", "dcterms_modified"), _R.end_updated),
    **dict.fromkeys(("created", "dcterms_created"), _R.end_created),
    "expirationdate": _R.end_expirationdate,
    **dict.fromkeys(("category", "keywords", "dc_subject", "media_category", "itunes_category"), _R.end_category),
    "tags": _popper("tags"),
    "media_keywords": _popper("media_keywords"),
    "itunes_keywords": _popper("itunes_keywords"),
    "link": _popper("link"),
    **dict.fromkeys(("guid", "id"), _R.end_guid),
    **dict.fromkeys(("title", "dc_title"), _R.end_title),
    "media_title": _R.end_media_title,
    **dict.fromkeys(("description", "dc_description", "media_description", "abstract"), _R.end_description),
    **dict.fromkeys(("summary", "itunes_summary"), _R.end_summary),
    **dict.fromkeys(("content", "content_encoded", "fullitem"), _R.end_content),
    "generator": _popper("generator"),
    "source": _R.end_source,
    "newlocation": _popper("newlocation"),
    "media_rating": _R.end_media_rating,
    "media_credit": _R.end_media_credit,
    "media_restriction": _R.end_media_restriction,
    "media_license": _R.end_media_license,
    "media_thumbnail": _R.end_media_thumbnail,
    "media_player": _R.end_media_player,
    "itunes_block": _popper("itunes_block", strip_whitespace=False),
    "itunes_explicit": _popper("itunes_explicit", strip_whitespace=False),
}
