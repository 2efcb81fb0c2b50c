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

import re
from dataclasses import dataclass
from xml.parsers import expat

from feedparser.sanitizer import RE_DOCTYPE_PATTERN, RE_ENTITY_PATTERN

from communique.feedhandlers import ENDS, FP_ENDS, FP_STARTS, STARTS, End, FeedHandlers, Pop, Push, Start
from communique.feedstate import (
    GUARDED_KEYS,
    KEYMAP,
    MATCH_NS,
    Context,
    NotReenactedError,
    join_uri,
    safe_absolute_uri,
)

_ROOTS = frozenset({"rss", "feed", "rdf:rdf"})
_FEEDPARSER_DECLARATION = b"<?xml version='1.0' encoding='utf-8'?>"
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?>")
_FIRST_ELEMENT = re.compile(rb"<\w")
_NO_TEXT_INPUT_RESET = frozenset({"title", "link", "description", "name"})
_NO_IMAGE_RESET = frozenset({"title", "link", "description", "url", "href", "width", "height"})
#: How an element is dispatched: tag, handler key, handler, the push it amounts to, and whether it
#: ends feedparser's "in text input" and "in image" states.
_StartEntry = tuple[str, str, Start | None, Push | None, bool, bool]
_EndEntry = tuple[str, End | None, Pop | None]


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
    except (NotReenactedError, expat.ExpatError, LookupError, AttributeError, TypeError, ValueError):
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
    head = data[: first.start() + 1] if first else b""
    if RE_DOCTYPE_PATTERN.search(head) or RE_ENTITY_PATTERN.search(head):
        return None  # feedparser would rewrite the prolog
    return data


def _expat_name(name: str) -> tuple[str | None, str]:
    """(namespace, local name) as ``xml.sax``'s expat reader reports an element."""
    parts = name.split(" ")
    if len(parts) == 1:
        return None, name
    if len(parts) in (2, 3):
        return parts[0], parts[1]
    raise NotReenactedError(name)


def _refuse(*_: object) -> int:
    raise NotReenactedError("DTD")


def _unsupported(reader: FeedHandlers, *_: object) -> None:
    raise NotReenactedError("an element feedparser handles in ways not re-enacted here")


class _Reader(FeedHandlers):
    """expat's events as feedparser's ``_StrictFeedParser`` and ``unknown_starttag``/``endtag`` see them."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.root: str | None = None
        self.parser = expat.ParserCreate(None, " ")
        self.stable_base: str | None = None  # a base that joining with itself leaves unchanged
        self.start_names: dict[str, _StartEntry] = {}
        self.end_names: dict[str, _EndEntry] = {}

    def parse(self, data: bytes) -> None:
        parser = self.parser
        parser.namespace_prefixes = True
        parser.buffer_text = True
        parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        parser.StartNamespaceDeclHandler = self._start_prefix_mapping
        parser.StartElementHandler = self._start_root
        parser.EndElementHandler = self._end_element
        parser.CharacterDataHandler = self._characters
        parser.StartDoctypeDeclHandler = _refuse
        parser.EntityDeclHandler = _refuse
        parser.ExternalEntityRefHandler = _refuse
        parser.Parse(data, True)

    def namespaces_changed(self) -> None:
        self.start_names.clear()
        self.end_names.clear()

    # --- SAX events (feedparser/parsers/strict.py, then mixin.unknown_starttag/endtag) ----------

    def _start_prefix_mapping(self, prefix: str | None, uri: str | None) -> None:
        if not uri:
            return
        prefix = prefix or None
        self.track_namespace(prefix, uri)
        if prefix and uri == "http://www.w3.org/1999/xlink":
            self.decls["xmlns:" + prefix] = uri

    def _characters(self, text: str) -> None:
        if self.stack:
            self.stack[-1][2].append(text)

    def _start_root(self, name: str, attributes: dict[str, str]) -> None:
        self.root = (self.start_names.get(name) or self._start_entry(name))[0]
        if self.root not in _ROOTS:
            raise NotReenactedError(self.root)
        self.parser.StartElementHandler = self._start_element
        self._start_element(name, attributes)

    def _start_element(self, name: str, attributes: dict[str, str]) -> None:
        tag, key, handler, push, resets_textinput, resets_image = self.start_names.get(name) or self._start_entry(name)
        attrs = self._attributes(attributes) if attributes or self.decls else {}
        self.depth += 1
        if attrs:
            self._enter_scope(tag, attrs)
        else:  # no xml:base or xml:lang: the base is re-joined with itself, the language inherited
            base = self.baseuri
            if base is not self.stable_base:
                joined = (safe_absolute_uri(base, base) or base) if base else join_uri(base, base)
                self.stable_base = joined if joined == base else None
                self.baseuri = joined
            if self.lang and tag in ("feed", "rss", "rdf:RDF"):
                self.feed["language"] = self.lang.replace("_", "-")
        self.scopes.append((self.baseuri, self.lang))
        if self.incontent:
            raise NotReenactedError("markup inside a text element")
        if resets_textinput:
            self.intextinput = 0
        if resets_image:
            self.inimage = 0
        if push is not None:
            self.stack.append([push.element, push.expecting_text, []])
        elif handler is not None:
            handler(self, attrs)
        elif not attrs:
            self.stack.append([key, 1, []])
        else:
            self.context()  # feedparser stores the attributes there (and fails where it would)

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
                raise NotReenactedError(aname)
            prefix = MATCH_NS.get((namespace or "").lower(), "")
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
            self.baseuri = safe_absolute_uri(self.baseuri, base) or self.baseuri
        else:
            self.baseuri = join_uri(self.baseuri, base)
        self.stable_base = None
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
                self.track_namespace(name[6:], value)
            elif name == "xmlns":
                self.track_namespace(None, value)

    def _start_entry(self, name: str) -> _StartEntry:
        """How an element name is dispatched (cached until the next namespace declaration)."""
        namespace, local = _expat_name(name)
        lower_ns = (namespace or "").lower()
        if "backend.userland.com/rss" in lower_ns:
            namespace = lower_ns = "http://backend.userland.com/rss"
        local = local.lower()
        if local in ("math", "svg"):
            raise NotReenactedError(local)
        prefix = MATCH_NS.get(lower_ns)
        if prefix:
            local = prefix.lower() + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        tag = local.lower()
        prefix, key = self.method_key(tag)
        handler = STARTS.get(key)
        if handler is None and (key in FP_STARTS or KEYMAP.get(key, key) in GUARDED_KEYS):
            handler = _unsupported
        plain = not prefix
        push = handler if isinstance(handler, Push) else None
        entry = (
            tag,
            key,
            handler,
            push,
            plain and tag not in _NO_TEXT_INPUT_RESET,
            plain and tag not in _NO_IMAGE_RESET,
        )
        self.start_names[name] = entry
        return entry

    def _end_entry(self, name: str) -> _EndEntry:
        namespace, local = _expat_name(name)
        prefix = MATCH_NS.get((namespace or "").lower(), "")
        if prefix:
            local = prefix + ":" + local
        elif namespace:
            local = self._declared_prefix(namespace, local)
        key = self.method_key(local.lower())[1]
        handler = ENDS.get(key)
        if handler is None and key in FP_ENDS:
            handler = _unsupported
        self.end_names[name] = entry = (key, handler, handler if isinstance(handler, Pop) else None)
        return entry

    def _declared_prefix(self, namespace: str, local: str) -> str:
        for declared, uri in self.ns_in_use.items():
            if declared and uri == namespace:
                return declared + ":" + local
        return local

    def _end_element(self, name: str) -> None:
        key, handler, pop = self.end_names.get(name) or self._end_entry(name)
        stack = self.stack
        if pop is not None:
            self.pop(pop.element, pop.strip_whitespace)
        elif handler is not None:
            handler(self)
        elif stack and stack[-1][0] == key:  # an element we never read
            if KEYMAP.get(key, key) in GUARDED_KEYS:
                raise NotReenactedError(key)  # feedparser would store it under a name we read
            stack.pop()
        if self.incontent:
            raise NotReenactedError("markup inside a text element")
        scopes = self.scopes
        if scopes:
            scopes.pop()
            if scopes:
                base, self.lang = scopes[-1]
                if base:
                    self.baseuri = base
        self.depth -= 1
