"""Canonical URLs of IP literals: IPv6 keeps its brackets, so the key is still a URL of the same host."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from communique.dedup.urls import canonical_url


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("http://[::1]:18901/p", "http://[::1]:18901/p"),
        ("http://[::1]/p/", "http://[::1]/p"),
        ("https://[2001:DB8:0:0::1]:443/a?utm_source=x", "https://[2001:db8::1]/a"),
        ("http://[2606:4700:4700::1111]:8080/news", "http://[2606:4700:4700::1111]:8080/news"),
        ("http://127.0.0.1:8765/story", "http://127.0.0.1:8765/story"),
        ("http://www.example.com/story/", "http://example.com/story"),
    ],
)
def test_ip_literals_keep_their_form(url: str, canonical: str) -> None:
    assert canonical_url(url) == canonical
    assert urlsplit(canonical_url(url)).hostname == urlsplit(canonical).hostname
    assert canonical_url(canonical_url(url)) == canonical_url(url)  # idempotent
