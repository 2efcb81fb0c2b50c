"""Encoding choice: header, BOM, declaration, detection, in that order; and the repairs for lies."""

from __future__ import annotations

import codecs
import csv
import random

import pytest

from communique.fetch.encodings import declared_charset, decode, header_charset
from tests.support.corpora import corpus

FEEDS = corpus("feeds")
TEXT = "Café, naïve, Zürich – “quoted” €5"


def test_header_wins_over_declaration() -> None:
    data = b'<?xml version="1.0" encoding="iso-8859-1"?><t>' + "Ωmega".encode("iso-8859-7") + b"</t>"
    decoded = decode(data, "application/xml; charset=iso-8859-7")
    assert (decoded.encoding, decoded.source) == ("iso8859-7", "header")
    assert "Ωmega" in decoded.text


def test_bom_beats_declaration() -> None:
    data = codecs.BOM_UTF16_LE + '<?xml version="1.0" encoding="iso-8859-1"?><t>ü</t>'.encode("utf-16-le")
    decoded = decode(data)
    assert (decoded.encoding, decoded.source) == ("utf-16-le", "bom")
    assert decoded.text.startswith("<?xml") and "ü" in decoded.text


def test_utf8_bom_is_not_left_in_the_text() -> None:
    decoded = decode(codecs.BOM_UTF8 + b"<rss/>", "text/xml; charset=utf-8")
    assert decoded.text == "<rss/>"


def test_declaration_is_used_without_header() -> None:
    data = b'<?xml version="1.0" encoding="windows-1251"?><t>' + "Привет".encode("cp1251") + b"</t>"
    decoded = decode(data, "application/rss+xml")
    assert (decoded.encoding, decoded.source) == ("cp1251", "declaration")
    assert "Привет" in decoded.text


def test_html_meta_charset() -> None:
    data = b'<html><head><meta charset="koi8-r"></head><body>' + "Мир".encode("koi8-r") + b"</body></html>"
    assert "Мир" in decode(data, "text/html").text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_wide_xml_without_bom_is_recognised(encoding: str) -> None:
    document = f'<?xml version="1.0" encoding="utf-16"?><t>{TEXT}</t>'
    decoded = decode(document.encode(encoding))
    assert decoded.text == document
    assert decoded.encoding == encoding


def test_wrong_header_charset_falls_through_to_the_declaration() -> None:
    data = b'<?xml version="1.0" encoding="windows-1252"?><t>' + TEXT.encode("cp1252") + b"</t>"
    decoded = decode(data, "application/xml; charset=utf-8")  # the server lies: the bytes are not UTF-8
    assert (decoded.encoding, decoded.source) == ("cp1252", "declaration")
    assert TEXT in decoded.text


def test_wrong_everything_falls_through_to_detection() -> None:
    body = ("<t>" + "Les élèves ont visité le musée à Genève. " * 20 + "</t>").encode("cp1252")
    decoded = decode(body, "text/xml; charset=utf-8")
    assert decoded.source == "detected"
    assert "élèves" in decoded.text and "à Genève" in decoded.text


@pytest.mark.parametrize("label", ["iso-8859-1", "latin1", "windows-1252", "us-ascii", "windows-1251"])
def test_legacy_label_on_utf8_bytes_is_overruled(label: str) -> None:
    decoded = decode(f"<t>{TEXT}</t>".encode(), f"text/xml; charset={label}")
    assert decoded.text == f"<t>{TEXT}</t>"
    assert (decoded.encoding, decoded.source, decoded.declared) == ("utf-8", "utf8-override", label)


def test_iso_8859_1_means_windows_1252() -> None:
    decoded = decode(b"<t>\x93quoted\x94 \x80</t>", "text/xml; charset=ISO-8859-1")
    assert decoded.text == "<t>“quoted” €</t>"


def test_undefined_windows_1252_bytes_do_not_fail_the_document() -> None:
    decoded = decode(b"<t>caf\xe9 \x81</t>", "text/html; charset=windows-1252")
    assert decoded.source == "header" and decoded.text.startswith("<t>café")


def test_c1_controls_become_the_punctuation_meant() -> None:
    decoded = decode("<t>don\x92t \x93go\x94 \x85</t>".encode())
    assert decoded.text == "<t>don’t “go” …</t>"


def test_unknown_labels_are_ignored() -> None:
    decoded = decode(f"<t>{TEXT}</t>".encode(), "text/xml; charset=bogus-42")
    assert decoded.text == f"<t>{TEXT}</t>"


def test_header_and_declaration_helpers() -> None:
    assert header_charset('text/xml; charset="UTF-8"') == "UTF-8"
    assert header_charset("text/xml") is None
    assert header_charset(None) is None
    assert declared_charset(b"<?xml version='1.0' encoding='ISO-8859-1'?><a/>") == "ISO-8859-1"
    assert declared_charset(b"<a/>") is None


@pytest.mark.parametrize("seed", range(5))
def test_arbitrary_bytes_never_raise(seed: int) -> None:
    data = random.Random(seed).randbytes(2000)
    assert isinstance(decode(data, "text/xml; charset=utf-8").text, str)


def _corpus() -> list[tuple[str, str]]:
    with (FEEDS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return [(row["file"], row["declared_encoding"]) for row in csv.DictReader(handle, delimiter="\t")]


@pytest.mark.parametrize(("name", "declared"), _corpus())
def test_real_feeds_decode_without_replacement_characters(name: str, declared: str) -> None:
    data = (FEEDS / name).read_bytes()
    decoded = decode(data)
    if name != "feedrs__rss_2.0_ilmessaggero.xml":  # its capture already holds U+FFFD
        assert "\ufffd" not in decoded.text
    if declared.lower().startswith(("windows-125", "iso-8859")):
        assert decoded.encoding.startswith(("cp125", "iso8859")) or decoded.source == "utf8-override"
