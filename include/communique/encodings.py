"""Turn fetched bytes into text, choosing the encoding the way browsers do.

Order: the HTTP ``Content-Type`` charset, a byte-order mark, the document's own XML or
HTML declaration, then statistical detection (charset-normalizer). A declared encoding
that Python does not know, or that fails to decode the bytes, falls through to the next
source instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

LOGGER = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
# WHATWG: these labels mean windows-1252 in practice.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    #: Which rule chose the encoding: header, bom, declaration, detected, fallback.
    source: str


def _normalise(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _try(data: bytes, label: str | None) -> str | None:
    encoding = _normalise(label) if label else None
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def header_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_charset(data: bytes) -> str | None:
    """The encoding the document declares in its XML declaration or HTML ``<meta>``."""
    head = data[:_SNIFF_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def decode(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``data``; never raises, falls back to UTF-8 with replacement characters."""
    label = header_charset(content_type)
    text = _try(data, label)
    if text is not None:
        return Decoded(text, _normalise(label or "") or "", "header")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, "replace"), encoding.replace("-sig", ""), "bom")
    label = declared_charset(data)
    text = _try(data, label)
    if text is not None:
        return Decoded(text, _normalise(label or "") or "", "declaration")
    return _detect(data)


def _detect(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 256 * 1024]).best()
    if best is not None:
        text = _try(data, best.encoding)
        if text is not None:
            return Decoded(text, _normalise(best.encoding) or best.encoding, "detected")
    LOGGER.debug("no encoding fits; decoding as UTF-8 with replacement")
    return Decoded(data.decode("utf-8", "replace"), "utf-8", "fallback")
