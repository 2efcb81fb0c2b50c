"""Feeds that feedparser reads must not be refused by our pre-scan: comments in the prolog, very long feeds."""

from __future__ import annotations

import pytest

from communique.errors import ParseError
from communique.feeds import rss
from communique.feeds.entries import MAX_ENTRIES

ITEM = (
    "<item><title>Story {n} &amp; more</title><link>https://news.example/{n}</link>"
    "<guid>https://news.example/{n}</guid><pubDate>Mon, 03 Mar 2025 10:00:00 GMT</pubDate>"
    "<description>Talks &lt;b&gt;went on&lt;/b&gt; in the capital, officials said.</description></item>"
)


def _rss(items: int, *, prolog: str = "") -> bytes:
    body = "".join(ITEM.format(n=n) for n in range(items))
    return (f'<?xml version="1.0" encoding="utf-8"?>{prolog}<rss version="2.0"><channel><title>News</title>'
            f"<link>https://news.example/</link>{body}</channel></rss>").encode()  # fmt: skip


@pytest.mark.parametrize(
    "prolog",
    [
        "<!-- generated; no <!DOCTYPE here -->",
        "\n<!-- <!DOCTYPE rss> was removed -->\n<!-- second comment -->",
        "<!-- a > b --><?xml-stylesheet href='s.xsl'?>",
        '<!-- x --><!DOCTYPE rss PUBLIC "-//Netscape//DTD RSS 0.91//EN" "http://my.netscape.com/rss-0.91.dtd">',
        "<!DOCTYPE rss [<!ELEMENT rss ANY>]><!-- after -->",
    ],
)
def test_a_comment_mentioning_doctype_before_the_root_is_read(prolog: str) -> None:
    parsed = rss.parse(_rss(3, prolog=prolog), url="https://news.example/feed")
    assert [e.url for e in parsed.entries] == [f"https://news.example/{n}" for n in range(3)]
    assert parsed.bozo_reason is None


def test_a_doctype_is_still_removed_before_feedparser_sees_it() -> None:
    text = '<!-- c --><!DOCTYPE rss SYSTEM "http://attacker.example/x.dtd"><rss><channel/></rss>'
    assert "DOCTYPE" not in rss._prepared(text) and "<!-- c -->" in rss._prepared(text)


def test_a_very_long_feed_keeps_its_first_entries_and_says_it_truncated(caplog: pytest.LogCaptureFixture) -> None:
    document = _rss(7_000)  # about 1.5 MB, 140,000 tags and references: over MAX_MARKUP
    assert len(document) > 1_200_000
    parsed = rss.parse(document, url="https://news.example/feed")
    assert len(parsed.entries) == MAX_ENTRIES
    assert parsed.entries[0].url == "https://news.example/0" and parsed.entries[0].title == "Story 0 & more"
    reasons = {s.reason for s in parsed.skipped}
    assert reasons == {"too_many_entries", "feed_truncated"}
    assert len(parsed.entries) + len(parsed.skipped) == 7_000  # every item accounted for
    assert "truncated after" in caplog.text


def test_an_atom_feed_is_cut_after_an_entry_too() -> None:
    entry = '<entry><id>urn:{n}</id><title>T {n}</title><link href="https://news.example/{n}"/></entry>'
    body = "".join(entry.format(n=n) for n in range(20_000))
    document = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>{body}</feed>'.encode()
    parsed = rss.parse(document, url="https://news.example/atom")
    assert parsed.version.startswith("atom") and len(parsed.entries) == MAX_ENTRIES
    assert any(s.reason == "feed_truncated" for s in parsed.skipped)


def test_a_flood_without_items_is_still_refused() -> None:
    with pytest.raises(ParseError) as refused:
        rss.parse(b"<rss><channel>" + b"<x/>" * 200_000 + b"</channel></rss>", url="https://news.example/f")
    assert refused.value.reason == "too_complex"


def test_item_ends_inside_comments_are_not_cut_points() -> None:
    hidden = "<!-- " + "</item>" * 20_000 + " -->"
    document = _rss(0).replace(b"</channel>", hidden.encode() + b"<x/>" * 70_000 + b"</channel>")
    with pytest.raises(ParseError) as refused:
        rss.parse(document, url="https://news.example/f")
    assert refused.value.reason == "too_complex"
