"""URL canonicalisation and text fingerprints."""

from __future__ import annotations

import pytest

from communique.deduplication import article_id, canonical_url, normalise_text, text_fingerprint

SAME_PAGE = [
    ("https://www.bbc.co.uk/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("HTTPS://WWW.BBC.CO.UK:443/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123/", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123#comments", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123?utm_source=rss&utm_medium=feed", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123?fbclid=abc&gclid=def", "https://bbc.co.uk/news/world-123"),
    ("https://m.bbc.co.uk/news/world-123", "https://bbc.co.uk/news/world-123"),
    ("https://www.bbc.co.uk/news/world-123.amp", "https://bbc.co.uk/news/world-123"),
    ("https://amp.theguardian.com/world/2020/jan/01/story", "https://theguardian.com/world/2020/jan/01/story"),
    ("https://example.com/a/story/amp/", "https://example.com/a/story"),
    ("https://example.com/a//story", "https://example.com/a/story"),
    ("https://example.com/p?b=2&a=1", "https://example.com/p?a=1&b=2"),
]


@pytest.mark.parametrize(("url", "expected"), SAME_PAGE)
def test_variants_of_a_page_share_one_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com:8080/story",  # a non-default port is part of the address
        "https://example.com/story?id=42",  # content parameters stay
        "https://example.com/",
    ],
)
def test_meaningful_parts_are_kept(url: str) -> None:
    assert canonical_url(url) == url


def test_different_pages_stay_different() -> None:
    assert canonical_url("https://example.com/story?id=1") != canonical_url("https://example.com/story?id=2")
    assert canonical_url("http://example.com/a") != canonical_url("https://example.com/a")


def test_article_id_is_deterministic_and_short() -> None:
    first = article_id(canonical_url("https://www.example.com/x?utm_source=a"))
    assert first == article_id(canonical_url("https://example.com/x"))
    assert len(first) == 32 and int(first, 16) >= 0


def test_fingerprint_ignores_case_spacing_and_punctuation() -> None:
    a = "Ruto hosted Abiy in Nairobi.\n\nThe two leaders signed a deal."
    b = "RUTO hosted Abiy, in  Nairobi! The two leaders signed a deal"
    assert normalise_text(a) == normalise_text(b)
    assert text_fingerprint(a) == text_fingerprint(b)
    assert text_fingerprint(a) != text_fingerprint(a + " Then they left.")


def test_no_words_no_fingerprint() -> None:
    assert text_fingerprint(" \n ... ") is None
