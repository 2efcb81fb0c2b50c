"""Feed HTML (a title, a summary) as one line of plain text, without building a tree when it is simple.

The reference is BeautifulSoup with Python's ``html.parser``: ``get_text(" ")`` of the tree after
the script, style and other non-text elements are removed (:func:`communique.feeds.html_to_text`).
That text is the runs of character data between tag and comment events, entities decoded, joined
by spaces. Building the tree costs ~100 µs per summary, more than the rest of a feed entry, and
most feed HTML is simple: ``<p>``, ``<a>``, ``<img>``, ``<br>``, an embedded ``<script>`` or
``<iframe>``, named entities. :func:`simple_html_text` reads such a fragment with one tokenizer that
accepts only constructs whose meaning in ``html.parser`` is unambiguous (well-formed tags of a list
of ordinary elements, quoted or plain attributes, simple comments, ``&name;`` and ``&#n;``
references decoded with BeautifulSoup's own tables), follows the two rules of BeautifulSoup's
builder that change how strings are split (an end tag of a void element it already closed is
swallowed; ``<script>`` and ``<style>`` hold raw text up to their end tag), and returns ``None`` for
anything else, which then goes through BeautifulSoup as before. ``tests/unit/test_feeds_parity.py``
compares both on every title and summary of our corpora, on awkward fragments and on random ones.
"""

from __future__ import annotations

import re

from bs4.builder import HTMLTreeBuilder
from bs4.dammit import EntitySubstitution, UnicodeDammit

# fmt: off
#: Elements whose text ``html.parser`` treats as ordinary data and BeautifulSoup keeps in
#: ``get_text``: not rt/rp/template (strings of other types), not textarea or title (raw text in
#: newer Pythons), not custom or namespaced elements.
_TEXT_ELEMENTS = frozenset((
    "a", "abbr", "acronym", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big",
    "blockquote", "br", "caption", "center", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "i", "img", "ins", "kbd", "label", "li", "main", "mark", "nav", "ol", "p",
    "picture", "pre", "q", "s", "samp", "section", "small", "source", "span", "strike", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var",
    "video", "wbr", "embed",
))
# fmt: on
#: ``html.parser``'s raw-text elements: everything up to the end tag is their text (then dropped).
_RAW_TEXT = frozenset(("script", "style"))
#: Elements dropped with all they hold; read here only when empty (``<iframe ...></iframe>``).
_DROPPED_WHEN_EMPTY = frozenset(("noscript", "template", "iframe", "object", "svg", "math", "head"))
_VOID = frozenset(HTMLTreeBuilder.DEFAULT_EMPTY_ELEMENT_TAGS or ())
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?"""
_MARKUP = re.compile(
    rf"<(?P<start>[a-zA-Z][a-zA-Z0-9]*)(?:{_ATTRIBUTE})*\s*(?P<selfclosing>/?)>"
    r"|</(?P<end>[a-zA-Z][a-zA-Z0-9]*)\s*>"
    r"|(?P<comment><!--(?:[^-<>]|-(?!-))*-->)"
    r"|&(?:#(?P<decimal>[0-9]{1,7})|#[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<name>[a-zA-Z][a-zA-Z0-9]{0,31}));"
    r"|(?P<ampersand>&)(?=\s)",
    re.ASCII,  # white space as html.parser's tag syntax knows it, not Unicode's
)
_END_TAG = re.compile(r"</([a-zA-Z][a-zA-Z0-9]*)\s*>", re.ASCII)
_RAW_TEXT_END = {name: re.compile(rf"</\s*{name}\s*>", re.IGNORECASE) for name in _RAW_TEXT}
_SPECIAL = re.compile("[<&]")
_entities: dict[str, str] = {}


def simple_html_text(fragment: str) -> str | None:
    """The text BeautifulSoup would find in ``fragment``, strings joined by spaces, or ``None``.

    ``None`` means the fragment holds something this reader does not vouch for (an element outside
    the ordinary list, a stray ``<``, an unknown entity, an odd comment, a non-empty ``<iframe>``
    ...). The result is meant to be whitespace-squashed by the caller, as BeautifulSoup's output is.
    """
    entities = _entities or _entities.update(EntitySubstitution.HTML_ENTITY_TO_CHARACTER) or _entities
    parts: list[str] = []
    closed_voids: list[str] = []  # BeautifulSoup's already_closed_empty_element
    position = 0
    while special := _SPECIAL.search(fragment, position):
        match = _MARKUP.match(fragment, special.start())
        if match is None:
            return None
        parts.append(fragment[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind in ("start", "selfclosing"):
            position = _start_tag(match, fragment, closed_voids, parts)
            if position < 0:
                return None if position == -1 else "".join(parts)
        elif kind == "end":
            name = match.group("end").lower()
            if name in closed_voids:
                closed_voids.remove(name)  # swallowed: the string around it is not split
            else:
                parts.append(" ")
        elif kind == "comment":
            parts.append(" ")
        elif kind == "name":
            character = entities.get(match.group("name"))
            if character is None:
                return None
            parts.append(character)
        elif kind in ("decimal", "hex"):
            number = int(match.group(kind), 10 if kind == "decimal" else 16)
            parts.append(UnicodeDammit.numeric_character_reference(number)[0])
        else:  # a lone ampersand before white space is text
            parts.append("&")
    parts.append(fragment[position:])
    return "".join(parts)


def _start_tag(match: re.Match[str], fragment: str, closed_voids: list[str], parts: list[str]) -> int:
    """Where reading goes on after a start tag; -1: not simple, -2: the rest is raw text, dropped."""
    name = match.group("start").lower()
    position = match.end()
    parts.append(" ")
    if match.group("selfclosing"):  # html.parser: handle_startendtag, which BeautifulSoup closes at once
        return position if name in _TEXT_ELEMENTS or name in _RAW_TEXT or name in _DROPPED_WHEN_EMPTY else -1
    if name in _RAW_TEXT:
        end = _RAW_TEXT_END[name].search(fragment, position)
        return -2 if end is None else end.end()
    if name in _DROPPED_WHEN_EMPTY:
        end = _END_TAG.match(fragment, position)
        return end.end() if end is not None and end.group(1).lower() == name else -1
    if name not in _TEXT_ELEMENTS:
        return -1
    if name in _VOID:
        closed_voids.append(name)
    return position
