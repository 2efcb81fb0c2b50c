"""Feed HTML (a title, a summary) as one line of plain text, without building a tree when it is simple.

The text of a fragment is what BeautifulSoup's ``html.parser`` tree gives with ``get_text(" ")``:
the runs of character data between tags and comments, entities decoded, joined by spaces, with
scripts, styles and other non-text elements dropped. Building that tree costs ~100 µs per
summary, more than the rest of a feed entry. Most feed HTML is simple: a few ``<p>``, ``<a>``,
``<img>``, ``<br>`` and named entities. :func:`simple_html_text` reads such a fragment with one
regular expression that accepts only constructs whose meaning in Python's ``html.parser`` is
unambiguous (well-formed tags from a list of ordinary elements, quoted or plain attributes, simple
comments, ``&name;`` and ``&#n;`` references decoded with BeautifulSoup's own tables) and returns
``None`` for anything else, which then goes through BeautifulSoup as before.
``tests/unit/test_feeds_parity.py`` compares both on every title and summary of our corpora and
on a list of awkward fragments.
"""

from __future__ import annotations

import re

from bs4.dammit import EntitySubstitution, UnicodeDammit

#: Elements whose text ``html.parser`` treats as ordinary data and BeautifulSoup keeps in
#: ``get_text``: not script or style (raw text), not rt/rp/template (strings of other types), not
#: textarea or title (raw text in newer Pythons), not svg/math/iframe/object ... (dropped by us).
_TEXT_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "address",
        "article",
        "aside",
        "audio",
        "b",
        "bdi",
        "bdo",
        "big",
        "blockquote",
        "br",
        "caption",
        "center",
        "cite",
        "code",
        "col",
        "colgroup",
        "dd",
        "del",
        "details",
        "dfn",
        "div",
        "dl",
        "dt",
        "em",
        "figcaption",
        "figure",
        "font",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "label",
        "li",
        "main",
        "mark",
        "nav",
        "ol",
        "p",
        "picture",
        "pre",
        "q",
        "s",
        "samp",
        "section",
        "small",
        "source",
        "span",
        "strike",
        "strong",
        "sub",
        "summary",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "time",
        "tr",
        "tt",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    }
)
_ATTRIBUTE = r"""\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?"""
_MARKUP = re.compile(
    rf"<(?P<start>[a-zA-Z][a-zA-Z0-9]*)(?:{_ATTRIBUTE})*\s*/?>"
    r"|</(?P<end>[a-zA-Z][a-zA-Z0-9]*)\s*>"
    r"|(?P<comment><!--(?:[^-<>]|-(?!-))*-->)"
    r"|&(?:#(?P<decimal>[0-9]{1,7})|#[xX](?P<hex>[0-9a-fA-F]{1,6})|(?P<name>[a-zA-Z][a-zA-Z0-9]{0,31}));"
    r"|(?P<ampersand>&)(?=\s)",
    re.ASCII,  # white space as html.parser's tag syntax knows it, not Unicode's
)
_SPECIAL = re.compile("[<&]")
_entities: dict[str, str] = {}


def simple_html_text(fragment: str) -> str | None:
    """The text BeautifulSoup would find in ``fragment``, strings joined by spaces, or ``None``.

    ``None`` means the fragment holds something this reader does not vouch for (an element outside
    the ordinary list, a stray ``<``, an unknown entity, an odd comment ...). The result is meant
    to be whitespace-squashed by the caller, as BeautifulSoup's output is.
    """
    entities = _entities or _entities.update(EntitySubstitution.HTML_ENTITY_TO_CHARACTER) or _entities
    parts: list[str] = []
    position = 0
    while special := _SPECIAL.search(fragment, position):
        match = _MARKUP.match(fragment, special.start())
        if match is None:
            return None
        parts.append(fragment[position : match.start()])
        position = match.end()
        kind = match.lastgroup
        if kind in ("start", "end"):
            if match.group(kind).lower() not in _TEXT_ELEMENTS:
                return None
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
