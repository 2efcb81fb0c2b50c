"""The fast readers give what the reference readers give: feedxml vs feedparser, feedtext vs BeautifulSoup.

``parse_feed(fast=False)`` sends every document to feedparser and ``html_to_text(fast=False)``
always builds BeautifulSoup's tree; those are the references. Every feed we have (the real
corpus, the hostile corpus, our fixtures, the benchmark's generated feeds) and several hundred
generated variants of small feeds (elements dropped, repeated, moved, or added from a list of the
shapes feedparser treats specially) must come out identical, field by field, refusals included.
Coverage is asserted too, so the comparison cannot pass by the fast reader declining everything.
"""

from __future__ import annotations

import csv
import dataclasses
import random
import re
from pathlib import Path

import pytest

from bench.polling import generate_feed
from communique.errors import ParseError
from communique.feeds import ParsedFeed, html_to_text, parse_feed
from communique.feedxml import read_feed

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpora"
FEEDS = SHARED / "feeds"
HOSTILE = SHARED / "hostile_feeds"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "feeds"
URL = "https://news.example/world/rss.xml"

Outcome = ParsedFeed | tuple[str, str, str]


def _outcome(content: bytes, *, fast: bool, content_type: str | None = None) -> Outcome:
    try:
        return parse_feed(content, url=URL, content_type=content_type, fast=fast)
    except ParseError as refused:
        return ("refused", refused.reason, str(refused))


def _assert_same(content: bytes, content_type: str | None = None) -> str:
    """Both readers agree; returns which one the fast path used (``refused`` when both refused)."""
    reference = _outcome(content, fast=False, content_type=content_type)
    fast = _outcome(content, fast=True, content_type=content_type)
    if isinstance(reference, tuple) or isinstance(fast, tuple):
        assert fast == reference
        return "refused"
    assert reference.reader == "feedparser"
    for name in (f.name for f in dataclasses.fields(ParsedFeed) if f.name not in ("entries", "reader")):
        assert getattr(fast, name) == getattr(reference, name), name
    assert len(fast.entries) == len(reference.entries)
    for ours, theirs in zip(fast.entries, reference.entries, strict=True):
        assert ours == theirs
    return fast.reader


def _header(path: Path) -> str | None:
    for line in path.read_bytes()[:600].decode("latin-1").splitlines():
        if line.strip().lower().startswith("header:") and "content-type" in line.lower():
            return line.split(":", 2)[2].strip()
    return None


def _corpus() -> list[Path]:
    with (FEEDS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return [FEEDS / row["file"] for row in csv.DictReader(handle, delimiter="\t")]


# --- every feed we have ---------------------------------------------------------------------------


@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_real_feeds_read_the_same_and_fast(path: Path) -> None:
    assert _assert_same(path.read_bytes(), "application/rss+xml") == "expat"


@pytest.mark.parametrize("path", sorted(HOSTILE.glob("*.xml")), ids=lambda p: p.name.removeprefix("feedparser__"))
def test_hostile_feeds_read_or_refused_the_same(path: Path) -> None:
    _assert_same(path.read_bytes(), _header(path))


@pytest.mark.parametrize("path", sorted(p for p in FIXTURES.iterdir() if p.suffix != ".md"), ids=lambda p: p.name)
def test_fixtures_read_or_refused_the_same(path: Path) -> None:
    _assert_same(path.read_bytes())


@pytest.mark.parametrize("index", [0, 1, 96, 999])
def test_the_benchmark_feeds_read_the_same_and_fast(index: int) -> None:
    assert _assert_same(generate_feed(index, 50), "application/xml") == "expat"


def test_most_hostile_files_that_parse_take_the_fast_path() -> None:
    readers = [_assert_same(p.read_bytes(), _header(p)) for p in sorted(HOSTILE.glob("*.xml"))]
    assert readers.count("expat") >= 20, readers


# --- the shapes feedparser treats specially, and generated variants ----------------------------------

DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
MEDIA = 'xmlns:media="http://search.yahoo.com/mrss/"'
NAMESPACES = (
    f'{DC} {MEDIA} xmlns:content="http://purl.org/rss/1.0/modules/content/" '
    'xmlns:atom="http://www.w3.org/2005/Atom" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"'
)
RSS_ITEM = (
    "<item><title>Ministers meet in Geneva</title><link>https://news.example/a?x=1&amp;y=2</link>"
    '<guid isPermaLink="true">https://news.example/a</guid><pubDate>Mon, 05 Jan 2026 10:30:00 +0200</pubDate>'
    "<dc:creator>Jane Doe</dc:creator><category>World</category>"
    "<description>&lt;p&gt;Talks &amp;amp; more &lt;a href='/x'&gt;here&lt;/a&gt;.&lt;/p&gt;</description></item>"
)
RSS = (
    f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" {NAMESPACES}>\n<channel>\n'
    "<title>World &amp; more</title><link>https://news.example/</link><language>en-gb</language>"
    '<atom:link href="https://news.example/rss" rel="self" type="application/rss+xml"/>'
    "<image><title>Logo</title><url>https://news.example/logo.png</url><link>https://news.example/</link></image>\n"
    + "\n".join(RSS_ITEM.replace("/a", f"/{n}") for n in range(3))
    + "\n</channel></rss>"
)
ATOM = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en" '
    f'xml:base="https://agency.example/en/" {MEDIA}><title type="html">Agency &lt;i&gt;wire&lt;/i&gt;</title>'
    '<link rel="alternate" href="https://agency.example/"/><id>tag:agency.example,2026:feed</id>'
    + "".join(
        f"<entry><id>tag:agency.example,2026:{n}</id><title type='text'>Summit {n}: 3 &lt; 5</title>"
        f"<link rel='enclosure' href='https://cdn.agency.example/{n}.jpg'/><link href='news/{n}'/>"
        "<updated>2026-01-05T10:00:00Z</updated><published>2026-01-05T09:00:00+01:00</published>"
        "<author><name>A. Writer</name><email>a@agency.example</email></author>"
        "<summary>Short</summary>"
        "<content type='html'>&lt;p&gt;Full &lt;em&gt;text&lt;/em&gt;&lt;/p&gt;</content></entry>"
        for n in range(3)
    )
    + "</feed>"
)
RDF = (
    '<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    f'xmlns="http://purl.org/rss/1.0/" {DC}><channel rdf:about="https://heise.example/">'
    "<title>Heise</title><link>https://heise.example/</link><description>News</description></channel>"
    + "".join(
        f'<item rdf:about="https://heise.example/{n}"><title>Meldung {n}</title>'
        f"<link>https://heise.example/{n}</link><dc:date>2026-01-05T10:0{n}:00+01:00</dc:date>"
        f"<description>Text {n}</description></item>"
        for n in range(3)
    )
    + "</rdf:RDF>"
)
#: One element each, in the shapes whose handling in feedparser is not obvious.
SNIPPETS = [
    '<guid isPermaLink="false">tag:news.example,2026:1</guid>',
    "<guid>relative/path</guid>",
    "<guid>https://news.example/guid-link</guid>",
    "<link>/relative/link?a=1&amp;b=2</link>",
    "<link></link>",
    "<link>  https://news.example/spaced  </link>",
    "<link>javascript:alert(1)</link>",
    "<description>&lt;b&gt;Bold&lt;/b&gt; &amp;amp; text</description>",
    "<description/>",
    '<description type="text/plain">plain &amp; simple</description>',
    "<content:encoded><![CDATA[<p>Full <em>text</em> &amp; more</p>]]></content:encoded>",
    "<content:encoded><![CDATA[<p>With <script>x()</script> script</p>]]></content:encoded>",
    "<media:description>Caption</media:description>",
    "<media:title>Media title</media:title>",
    "<media:group><media:title>Deep</media:title><media:description>Deep caption</media:description></media:group>",
    '<media:content url="https://cdn.example/v.mp4"><media:title>In content</media:title></media:content>',
    '<media:thumbnail url="https://cdn.example/t.jpg"/>',
    "<dc:creator>Jane Doe</dc:creator>",
    "<author>desk@news.example (Jane Doe)</author>",
    "<author>Jane Doe &lt;jane@news.example&gt;</author>",
    "<author><name>Nested Name</name><email>n@news.example</email></author>",
    "<itunes:author>Pod Author</itunes:author>",
    "<title>Tom &amp;amp; Jerry</title>",
    "<title>3 &lt; 5 &amp; 6 &gt; 2</title>",
    "<title>&lt;b&gt;Bold&lt;/b&gt; title</title>",
    '<title type="html">&lt;i&gt;Typed&lt;/i&gt;</title>',
    "<title></title>",
    "<title>Caf\u00c3\u00a9 mojibake \u0092quote\u0092</title>",
    "<dc:title>DC title</dc:title>",
    "<TITLE>Upper</TITLE>",
    "<pubDate>Tue, 31 Feb 2026 10:00:00 GMT</pubDate>",
    "<pubDate>2026-01-05T10:00:00+02:00</pubDate>",
    "<pubDate>Mon, 05 Jan 26 10:00 EST</pubDate>",
    "<pubDate>05 Jan 2026</pubDate>",
    "<pubDate>not a date</pubDate>",
    "<dc:date>2026-01-05</dc:date>",
    "<updated>2026-01-06T10:00:00Z</updated>",
    '<atom:link rel="alternate" href="https://alt.example/x"/>',
    '<atom:link rel="alternate" type="application/pdf" href="https://alt.example/doc.pdf"/>',
    '<atom:link rel="enclosure" href="https://alt.example/e.mp3"/>',
    '<enclosure url="https://cdn.example/a.mp3" type="audio/mpeg" length="1"/>',
    '<source url="https://src.example/rss">Source title</source>',
    '<category domain="x">World</category>',
    "<foo>bar</foo>",
    '<foo a="1">bar</foo>',
    '<x:thing xmlns:x="http://unknown.example/">t</x:thing>',
    '<x:links xmlns:x="http://unknown.example/">not links</x:links>',
    '<published:parsed xmlns:published="http://unknown.example/p">no</published:parsed>',
    "<image><title>Item image</title><url>https://x.example/i.png</url></image>",
    '<link xml:base="https://base.example/dir/">rel/page</link>',
    "<comments>https://news.example/c</comments>",
    "<itunes:summary>Pod summary</itunes:summary>",
    '<georss:point xmlns:georss="http://www.georss.org/georss">45 -71</georss:point>',
    "<summary>Atom-style summary</summary>",
    "<content type='text'>3 &lt; 5</content>",
    "<content type='xhtml'><div xmlns='http://www.w3.org/1999/xhtml'>x <b>y</b></div></content>",
    "<content type='image/png'>aGVsbG8=</content>",
    "<id>urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a</id>",
    "<link href='relative/atom'/>",
    "<link rel='alternate' type='text/plain' href='https://x.example/plain'/>",
    "<published>2026-01-05T08:00:00Z</published>",
    "<description>Second description</description>",
    "<textInput><title>Search</title><link>https://x.example/s</link><name>q</name></textInput>",
]
ELEMENT = re.compile(
    r"<(link|guid|description|title|pubDate|dc:creator|dc:date|content:encoded|summary|content|id|updated|"
    r"published|author|category)\b[^>]*?(?:/>|>.*?</\1>)",
    re.DOTALL,
)
ITEM_START = re.compile(r"<(?:item|entry)\b[^>]*>")
ROOT_CHANGES = [
    ("<channel>", '<channel xml:base="https://base.example/sub/">'),
    ('<rss version="2.0"', '<rss version="2.0" xml:lang="fr_CA"'),
    ('<rss version="2.0"', '<rss version="0.91"'),
    (DC, 'xmlns:dc="http://purl.org/dc/terms/" xmlns:x="http://purl.org/dc/elements/1.1/"'),
    ("<language>en-gb</language>", ""),
    ('xml:base="https://agency.example/en/"', 'xml:base="https://other.example/a/b/"'),
    ('xml:lang="en"', 'xml:lang=""'),
]


def _variant(rng: random.Random, base: str) -> str:
    text = base
    for _ in range(rng.randint(1, 3)):
        operation = rng.choice(("drop", "repeat", "move", "insert", "insert", "root"))
        elements = list(ELEMENT.finditer(text))
        starts = list(ITEM_START.finditer(text))
        if operation in ("drop", "repeat", "move") and elements:
            chosen = rng.choice(elements)
            if operation == "drop":
                text = text[: chosen.start()] + text[chosen.end() :]
            elif operation == "repeat":
                text = text[: chosen.end()] + chosen.group() + text[chosen.end() :]
            elif starts:
                text = text[: chosen.start()] + text[chosen.end() :]
                start = min(starts, key=lambda s: abs(s.end() - chosen.start())).end()
                start = min(start, len(text))
                text = text[:start] + chosen.group() + text[start:]
        elif operation == "insert" and starts:
            at = rng.choice(starts).end() if rng.random() < 0.7 else rng.choice(starts).start()
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif operation == "root":
            old, new = rng.choice(ROOT_CHANGES)
            text = text.replace(old, new, 1)
    return text


@pytest.mark.parametrize("snippet", SNIPPETS)
@pytest.mark.parametrize("base", [RSS, ATOM, RDF], ids=["rss", "atom", "rdf"])
def test_each_special_shape_reads_the_same(base: str, snippet: str) -> None:
    start = ITEM_START.search(base)
    assert start is not None
    _assert_same((base[: start.end()] + snippet + base[start.end() :]).encode("utf-8"))


@pytest.mark.parametrize("seed", range(6))
def test_generated_variants_read_the_same(seed: int) -> None:
    rng = random.Random(seed)
    readers = [_assert_same(_variant(rng, base).encode("utf-8")) for base in (RSS, ATOM, RDF) for _ in range(40)]
    assert readers.count("expat") >= len(readers) // 2, readers


def test_the_special_shapes_mostly_take_the_fast_path() -> None:
    readers = []
    for base in (RSS, ATOM, RDF):
        start = ITEM_START.search(base)
        assert start is not None
        for snippet in SNIPPETS:
            content = base[: start.end()] + snippet + base[start.end() :]
            readers.append(_outcome(content.encode(), fast=True))
    fast = [r for r in readers if isinstance(r, ParsedFeed) and r.reader == "expat"]
    assert len(fast) >= 0.8 * len(readers)


# --- feed HTML to text -----------------------------------------------------------------------------

AWKWARD_FRAGMENTS = [
    "<p>One<br>two</p><script>x()</script><style>p{}</style> &amp; three",
    "a<b>b</b>c",
    "a<!-- comment -->b",
    "a<!---->b",
    "a<!--->b-->c",
    "x &amp y",
    "x & y",
    "x &nbsp; y &copy; z",
    "x &unknown; y",
    "x &#169; &#xA9; &#X41; &#128; &#0; &#1114112; &#55296;",
    "x &#65 y",
    "tail &",
    "<p class='a' data-x=\"1>2\">q</p>",
    "<p class=a>unquoted</p>",
    "<a href=x/>self</a>",
    "< p>not a tag</p>",
    "3 < 5 and 6 > 2",
    "<P>Upper</P><BR/>",
    "<rt>ruby</rt><rp>(</rp>",
    "<template>t</template>after",
    "<textarea>raw <b>x</b></textarea>",
    "<title>t</title>body",
    "<svg><text>s</text></svg>after",
    "<![CDATA[cdata]]>after",
    "<!DOCTYPE html>doc",
    "<?pi x?>after",
    "<custom-element>c</custom-element>",
    "<o:p>office</o:p>",
    "<p\u00a0class='x'>nbsp in tag</p>",
    "a\u200bb\ufeffc",
    "line\nbreak\ttab\r\nwindows",
    "ctrl\x01chars\x7f",
    "<img src='x.png' alt='alt text'>",
    "<p>unclosed <b>bold",
    "</p>stray end",
    "<a href='x'>link",
    "&lt;p&gt;double escaped&lt;/p&gt;",
    "<p>" + "word " * 2000 + "</p>",
    "<br>x</br>y",
    "a<img src=x>b</img>c",
    "<br><br/>x</br>y",
    "<embed><embed/>hidden?",
    "<blockquote class='twitter-tweet'><p>Tweet</p></blockquote><script async src='w.js'></script> after",
    "a<script>if (a < b && c) { x = '</p>'; }</script>b",
    "a<script>never closed",
    "a<SCRIPT>x</Script >b",
    "a<iframe src='https://v.example/e'></iframe>b",
    "a<iframe src='x'>fallback text</iframe>b",
    "a<style>p{color:red}</style>b<noscript></noscript>c",
]


def _corpus_fragments() -> list[str]:
    fragments: list[str] = []
    for path in [*_corpus(), *sorted(HOSTILE.glob("*.xml"))]:
        document = read_feed(path.read_bytes(), URL)
        if document is None:
            continue
        for entry in document.entries:
            fragments += [str(entry.get(key) or "") for key in ("title", "summary")]
            fragments += [str(c.get("value") or "") for c in entry.get("content") or ()]
    return [f for f in fragments if "<" in f or "&" in f]


def test_html_to_text_matches_beautifulsoup_on_awkward_fragments() -> None:
    for fragment in AWKWARD_FRAGMENTS:
        assert html_to_text(fragment) == html_to_text(fragment, fast=False), fragment
        assert html_to_text(fragment, 20) == html_to_text(fragment, 20, fast=False), fragment


def test_html_to_text_matches_beautifulsoup_on_the_corpus() -> None:
    from communique.feedtext import simple_html_text

    fragments = _corpus_fragments()
    assert len(fragments) > 250
    for fragment in fragments:
        assert html_to_text(fragment) == html_to_text(fragment, fast=False), fragment[:200]
    simple = sum(simple_html_text(f) is not None for f in fragments)
    assert simple >= 0.5 * len(fragments)


HTML_PIECES = [
    "text", " ", "  ", "\n", "\t", "é", "\u00a0", "\u200b", "\x01", ">", "<", "&", "& ", ";", "=", '"', "'",
    "<p>", "</p>", "<b>", "</b>", "<br>", "<br/>", "<br />", "<BR>", "<img src='x.png'>", '<a href="/x?a=1&b=2">',
    "</a>", "<span class=x>", "</span>", "<div\tid='d'>", "</div >", "<p/>", "<h2>", "</h2>", "<rt>", "</rt>",
    "<script>", "</script>", "<style>", "<iframe>", "<foo>", "</foo>", "<x:y>", "<!-- c -->", "<!---->",
    "<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?x?>", "&amp;", "&amp", "&lt;", "&gt;", "&nbsp;",
    "&copy;", "&hellip;", "&bogus;", "&#8217;", "&#x2019;", "&#128;", "&#0;", "&#99999999;", "&#;", "&#x;",
    "</br>", "</img>", "<hr>", "</hr>", "<embed>", "</embed>", "<embed/>", "<wbr/>", "</script>", "<script/>",
    "<iframe src='x'>", "</iframe>", "<iframe/>", "<noscript>", "</noscript>", "<template>", "</template>",
    "<style>p{}</style>", "</ script >", "<svg>", "</svg>", "<head>", "</head>",
]  # fmt: skip


@pytest.mark.parametrize("seed", range(3))
def test_html_to_text_matches_beautifulsoup_on_random_fragments(seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(3000):
        fragment = "".join(rng.choice(HTML_PIECES) for _ in range(rng.randint(1, 14)))
        assert html_to_text(fragment) == html_to_text(fragment, fast=False), repr(fragment)


# --- the helpers' shortcuts against what they stand for --------------------------------------------


def _random_url(rng: random.Random) -> str:
    scheme = rng.choice(["http", "https", "HTTP", "ftp", "", "javascript"])
    host = rng.choice(
        ["news.example", "a.b-c.example", "127.0.0.1", "[::1]", "xn--bcher-kva.example", "bücher.example", ""]
    )
    port = rng.choice(["", "", ":8080", ":", ":x"])
    path = rng.choice(["", "/", "/a/b", "/a/../b", "/a;p", "//double", "/%7Euser", "/a b", "/é", "/a/./b/"])
    query = rng.choice(["", "", "?", "?a=1&b=2", "?q=a;b", "?x=/y?z"])
    fragment = rng.choice(["", "", "#", "#top", "#a#b"])
    start = f"{scheme}://" if scheme else rng.choice(["", "//", "/"])
    return start + host + port + path + query + fragment


def test_plain_urls_are_what_joining_makes_of_them() -> None:
    from urllib.parse import urljoin, urlsplit

    from feedparser.urls import _urljoin

    from communique.feedstate import is_plain_http_url, join_uri

    rng = random.Random(7)
    bases = [URL, "http://base.example/dir/page?x=1", "https://other.example", ""]
    plain = 0
    for _ in range(5000):
        url, base = _random_url(rng), rng.choice(bases)
        assert join_uri(base, url) == _urljoin(base, url), (base, url)
        if is_plain_http_url(url):
            plain += 1
            assert not base or urljoin(base, url) == url
            assert urlsplit(url).hostname
    assert plain > 150


def test_squash_is_the_regular_expression_it_replaced() -> None:
    from communique.feeds import _squash

    def reference(text: str) -> str:
        control = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", "", text)
        return re.sub(r"[\s\u200b\u200c\u200d\u2060\ufeff]+", " ", control).strip()

    rng = random.Random(3)
    pieces = ["a", "bc", " ", "  ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x01", "\x7f", "\x85", "\u00a0",
              "\u2003", "\u2028", "\u200b", "\ufeff", "\u2060", "é", "\u3000"]  # fmt: skip
    for _ in range(5000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        assert _squash(text) == reference(text), repr(text)


def test_dates_read_as_feedparser_reads_them() -> None:
    from feedparser.datetimes import _parse_date

    from communique.feedstate import parse_date

    rng = random.Random(11)
    days = ["Mon", "tue", "WED", "Thu", "Fri", "Sat", "Sun", "Xyz"]
    months = ["Jan", "feb", "MAR", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Foo"]
    zones = ["GMT", "UT", "UTC", "Z", "EST", "edt", "PST", "gmt", "GMTX", "met", "A", "+0000", "-0500", "+0530",
             "-1330", "+9999", "XYZ", "+05:30", "GMT+1"]  # fmt: skip
    samples = ["", "2026-01-05T10:00:00Z", "2026-01-05", "Mon, 05 Jan 26 10:00 EST", "05 Jan 2026", "nonsense"]
    for _ in range(20000):
        day = rng.randint(0, 32)
        samples.append(
            f"{rng.choice(days)}, {day:0{rng.choice([1, 2])}d} {rng.choice(months)} "
            f"{rng.choice([1, 1970, 2026, 9999, 1899])} {rng.randint(0, 25):02d}:{rng.randint(0, 61):02d}:"
            f"{rng.randint(0, 61):02d} {rng.choice(zones)}{rng.choice(['', '', ' extra'])}"
        )
    for sample in samples:
        assert parse_date(sample) == _parse_date(sample), sample
