"""Feed bytes to entries: the parser of the feed's declared format (one module per format).

A feed of the registry says its ``format`` (``rss`` by default: RSS, Atom or RDF); this module
sends the bytes to that format's reader. A new kind of source (another feed format, an API that
lists articles) is one module with a ``parse(content, *, url, content_type) -> ParsedFeed``
function and one line in :data:`FORMATS`.
"""

from __future__ import annotations

from typing import Protocol

from communique.errors import ParseError
from communique.feeds import jsonfeed, rss
from communique.feeds.entries import ParsedFeed


class FeedParser(Protocol):
    """What a format module's ``parse`` is."""

    def __call__(self, content: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed: ...


#: Every format a feed can declare, and its reader.
FORMATS: dict[str, FeedParser] = {"rss": rss.parse, "jsonfeed": jsonfeed.parse}
DEFAULT_FORMAT = "rss"


def parse_feed(
    content: bytes, *, url: str, content_type: str | None = None, format: str = DEFAULT_FORMAT
) -> ParsedFeed:
    """Parse a feed document with the reader of ``format`` (see :data:`FORMATS`).

    :raises ParseError: when the document is not a usable feed of that format, or the format is unknown.
    """
    reader = FORMATS.get(format)
    if reader is None:
        known = ", ".join(sorted(FORMATS))
        raise ParseError(f"{url}: unknown feed format {format!r} (known: {known})", reason="unknown_format")
    return reader(content, url=url, content_type=content_type)
