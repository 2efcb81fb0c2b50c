"""Turn fetched bytes into text, choosing the encoding the way browsers do.

Order: the HTTP ``Content-Type`` charset, a byte-order mark, the document's own XML or
HTML declaration (or, for XML without a BOM, the UTF-16/32 pattern of its first bytes),
then statistical detection (charset-normalizer). A declared encoding that Python does
not know, or that fails to decode the bytes, falls through to the next source instead of
producing mojibake.

Two repairs for the commonest lies on the web:

* a legacy single-byte label (ISO-8859-1, windows-1252 ...) on bytes that are valid UTF-8
  with multi-byte sequences: the bytes win (real Latin-1 text is virtually never valid
  UTF-8), and the result records both what was declared and what was used;
* C1 control characters (U+0080-U+009F) in the text, which are windows-1252 punctuation
  decoded as Latin-1 or smuggled into UTF-8: they become the characters meant (’ “ ” – …).
"""

from __future__ import annotations

import codecs
import logging
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

LOGGER = logging.getLogger(__name__)

_BOMS = (
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)
# XML 1.0 Appendix F: how "<?" starts in each wide encoding when there is no BOM.
_XML_WIDE_STARTS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([\w.:-]+)[\"']", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096
_DETECT_BYTES = 256 * 1024
# WHATWG: these labels mean windows-1252 in practice.
_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
}
#: Python names of the WHATWG Encoding Standard's encodings (what browsers decode), for detection.
_WEB_ENCODINGS = (
    "utf_8", "utf_16_be", "utf_16_le", "cp866", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5",
    "iso8859_6", "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "mac_roman", "mac_cyrillic", "cp874", "tis_620", "cp1250",
    "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "gb2312", "gbk",
    "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis", "euc_kr",
)  # fmt: skip
_C1 = re.compile("[\x80-\x9f]")
_MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
_LATIN1_PASSTHROUGH = "communique-latin1-passthrough"
# windows-1252 leaves five bytes undefined; WHATWG maps them to the same code points.
codecs.register_error(_LATIN1_PASSTHROUGH, lambda e: (e.object[e.start : e.end].decode("latin-1"), e.end))  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    #: Python codec name of the encoding used (``utf-8``, ``cp1252``, ``utf-16-le`` ...).
    encoding: str
    #: Which rule chose it: header, bom, declaration, utf8-override, detected, fallback.
    source: str
    #: The label the header or document gave, when the bytes overruled it.
    declared: str | None = None


def _normalise(label: str) -> str | None:
    label = label.strip().strip("\"'").lower()
    label = _ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _is_single_byte(encoding: str) -> bool:
    return encoding in {"cp1252", "latin-1", "iso8859-15"} or encoding.startswith(("cp125", "iso8859-", "koi8"))


def _try(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:
        return None
    try:
        if encoding == "cp1252":
            return data.decode(encoding, _LATIN1_PASSTHROUGH)
        return data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def _declared(data: bytes, label: str | None, source: str) -> Decoded | None:
    """Decode with a declared label, unless the bytes show it is a lie."""
    encoding = _normalise(label) if label else None
    if encoding is None:
        if label:
            LOGGER.debug("unknown %s charset %r ignored", source, label)
        return None
    if _is_single_byte(encoding) and _MULTIBYTE_UTF8.search(data):
        try:
            return Decoded(data.decode("utf-8"), "utf-8", "utf8-override", declared=label)
        except UnicodeDecodeError:
            pass
    text = _try(data, encoding)
    return Decoded(text, encoding, source) if text is not None else None


def header_charset(content_type: str | None) -> str | None:
    """The ``charset`` parameter of a Content-Type header, if any."""
    match = _HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def declared_charset(data: bytes) -> str | None:
    """The encoding the document declares in its XML declaration or HTML ``<meta>``."""
    head = data[:_SNIFF_BYTES]
    match = _XML_DECL.search(head) or _META_CHARSET.search(head)
    return match.group(1).decode("ascii", "replace") if match else None


def _wide_xml(data: bytes) -> str | None:
    for start, encoding in _XML_WIDE_STARTS:
        if data.startswith(start):
            return encoding
    return None


def decode(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode ``data``; never raises, falls back to UTF-8 with replacement characters."""
    decoded = _declared(data, header_charset(content_type), "header")
    if decoded is None:
        decoded = _from_bom(data)
    if decoded is None:
        wide = _wide_xml(data)
        text = _try(data, wide)
        if wide and text is not None:
            decoded = Decoded(text, wide, "declaration")
    if decoded is None:
        decoded = _declared(data, declared_charset(data), "declaration")
    if decoded is None:
        decoded = _detect(data)
    return _repaired(decoded)


def _from_bom(data: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(encoding, "replace"), encoding, "bom")
    return None


def _repaired(decoded: Decoded) -> Decoded:
    text = decoded.text.removeprefix("\ufeff")
    if _C1.search(text):
        text = _C1.sub(_c1_to_cp1252, text)
    if text is decoded.text:
        return decoded
    return Decoded(text, decoded.encoding, decoded.source, decoded.declared)


def _c1_to_cp1252(match: re.Match[str]) -> str:
    try:
        return bytes([ord(match.group())]).decode("cp1252")
    except UnicodeDecodeError:  # the five bytes windows-1252 leaves undefined: drop them
        return ""


def _likeliest(sample: bytes) -> str | None:
    """charset-normalizer's choice among the encodings of the web, windows-1252 winning ties.

    Candidates are limited to the WHATWG Encoding Standard's (no DOS code pages: a lone "ü"
    must not come out as cp775's "³"). Feeds are mostly ASCII markup, so several single-byte
    code pages often decode a sample with equal (zero) chaos, and windows-1252, by far the
    commonest legacy encoding on the web, is then the better bet.
    """
    matches = list(from_bytes(sample, cp_isolation=list(_WEB_ENCODINGS)))
    if not matches:
        return None
    best = matches[0]
    for match in matches:
        if match.chaos <= best.chaos + 0.01 and "cp1252" in {match.encoding, *match.could_be_from_charset}:
            return "cp1252"
    return _normalise(best.encoding)


def _detect(data: bytes) -> Decoded:
    try:
        return Decoded(data.decode("utf-8"), "utf-8", "detected")
    except UnicodeDecodeError:
        pass
    encoding = _likeliest(data[:_DETECT_BYTES])
    if encoding is not None:
        return Decoded(_try(data, encoding) or data.decode(encoding, "replace"), encoding, "detected")
    LOGGER.debug("no encoding fits; decoding as UTF-8 with replacement")
    return Decoded(data.decode("utf-8", "replace"), "utf-8", "fallback")
