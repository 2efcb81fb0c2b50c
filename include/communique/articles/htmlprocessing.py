"""HTML to article text and metadata, from one lxml parse shared by trafilatura and the metadata readers.

Main text comes from trafilatura (``include_comments=False``), first in its fast mode. A result that is
short or looks like a navigation dump gets a second opinion from trafilatura's full cascade
(readability and jusText comparisons); a result still too short falls back to the JSON-LD
``articleBody`` or the page's ``<article>`` element, turned to text with BeautifulSoup. A first line
that repeats the headline is dropped: the title is a field of its own, and a headline glued to the
first sentence would spoil sentence splitting.

Text layout: one paragraph (or heading, list item, table row, ``<br>``-separated line) per block,
blocks separated by a blank line (``"\\n\\n"``), whitespace inside a block collapsed to single spaces.
So ``"\\n\\n"`` is always a hard boundary for the sentence splitter and no other newline occurs.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from html import unescape
from typing import TYPE_CHECKING

from communique.articles.language import detect_language
from communique.articles.metadata import PageMetadata, extract_metadata
from communique.articles.pubdates import choose_modified, choose_published, text_date
from communique.articles.quality import assess_quality
from communique.models import Article

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

#: Below this many characters the fast extraction gets a second opinion, then a fallback.
MIN_TEXT_CHARS = 250
#: Largest page handed to the parser (characters); the rest is cut off.
MAX_HTML_CHARS = 8_000_000
_FALLBACK_MIN_SHARE = 0.9
_DUMP_MIN_LINES = 50
_DUMP_SHORT_SHARE = 0.8
_SHORT_LINE_CHARS = 40
#: Consecutive blocks that are each a whole link of the page: a list of links, not the article.
_LINK_RUN = 3
#: A result whose link lists make up this share of its blocks is a navigation dump.
_DUMP_LINK_SHARE = 0.5
_SPACES = re.compile(r"\s+")
_BREAK = "\u2029"  # PARAGRAPH SEPARATOR, inserted at block boundaries of fragments
_WORDS = re.compile(r"\w+")
_BLOCK_TAGS = frozenset(
    (
        "address", "article", "aside", "blockquote", "br", "dd", "details", "div", "dl", "dt",
        "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
        "main", "nav", "ol", "p", "pre", "section", "summary", "table", "td", "th", "tr", "ul",
    )
)  # fmt: skip
_DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "form", "button")


def main_text(html: str) -> str:
    """The article body of ``html``, exactly as the pipeline extracts it ('' when there is none)."""
    return clean_article(html, "").text


def clean_article(
    html: str,
    url: str,
    *,
    feed_published: datetime | None = None,
    feed_title: str | None = None,
    fetched_at: datetime | None = None,
) -> Article:
    """Main text and metadata of one fetched page; never raises on bad HTML (quality says what went wrong).

    :param html: the page, already decoded (:func:`communique.fetch.encodings.decode`).
    :param url: the URL it was fetched from (final URL after redirects).
    :param feed_published: the feed entry's date: a fallback and a sanity bound for page dates.
    :param feed_title: the feed entry's title, used when the page states none.
    :param fetched_at: when the page was fetched (aware); no date after it is believed.
    """
    tree = parse_html(html)
    if tree is None:
        published, source = choose_published([], feed_published=feed_published, fetched_at=fetched_at)
        return Article(
            url=url, canonical_url=url, title=feed_title or "", text="", published_at=published,
            published_source=source, quality="empty",
        )  # fmt: skip
    meta = extract_metadata(tree, url)
    text = extract_text(tree, meta)
    quality = assess_quality(tree, text, meta)
    if quality == "script_only":
        text = ""  # whatever is visible ("enable JavaScript") is not the article
    published, source = _published(tree, meta, feed_published, fetched_at)
    return Article(
        url=url,
        canonical_url=meta.canonical_url or url,
        title=meta.title or feed_title or "",
        text=text,
        published_at=published,
        published_source=source,
        modified_at=choose_modified(meta.modified, published, fetched_at),
        authors=meta.authors,
        language=detect_language(text or meta.title or "", meta.declared_language),
        site_name=meta.site_name,
        quality=quality,
    )


def _published(
    tree: HtmlElement, meta: PageMetadata, feed_published: datetime | None, fetched_at: datetime | None
) -> tuple[datetime | None, str | None]:
    candidates = meta.published
    if not candidates:  # nothing structured anywhere: htmldate's reading of the text, the last resort
        found = text_date(tree, fetched_at)
        candidates = [found] if found else []
    return choose_published(candidates, feed_published=feed_published, fetched_at=fetched_at)


def parse_html(html: str) -> HtmlElement | None:
    """The lxml tree trafilatura itself would build, or ``None`` for input that is not HTML."""
    from trafilatura.utils import load_html  # heavy, imported on first use

    if not html or not html.strip():
        return None
    try:
        return load_html(html[:MAX_HTML_CHARS])
    except (ValueError, TypeError) as exc:
        LOGGER.debug("unparseable HTML: %s", exc)
        return None


def extract_text(tree: HtmlElement, meta: PageMetadata) -> str:
    """Main text of a parsed page, paragraphs separated by blank lines."""
    links = _link_texts(tree)
    lines = _trafilatura_lines(tree, fast=True)
    if _needs_second_opinion(lines, links):
        full = _trafilatura_lines(tree, fast=False)
        if _is_better(full, lines, links):
            lines = full
    lines = _drop_headline(_drop_captions(_drop_link_lists(lines, links), tree), meta.headlines)
    if sum(map(len, lines)) < MIN_TEXT_CHARS:
        # Prefer the structured fallback unless it is clearly shorter (trafilatura's own last resort
        # on such pages glues every block of the page into one line).
        fallback = _fallback_lines(tree, meta)
        if sum(map(len, fallback)) >= _FALLBACK_MIN_SHARE * sum(map(len, lines)) and fallback:
            LOGGER.debug("fallback text used (%d blocks)", len(fallback))
            lines = _drop_headline(fallback, meta.headlines)
    return "\n\n".join(lines)


def _trafilatura_lines(tree: HtmlElement, *, fast: bool) -> list[str]:
    import trafilatura  # heavy, imported on first use
    from lxml.etree import LxmlError  # heavy, imported on first use

    try:
        text = trafilatura.extract(tree, fast=fast, include_comments=False, include_tables=True) or ""
    except (ValueError, TypeError, RecursionError, LxmlError) as exc:  # untrusted page: a skip, not a crash
        LOGGER.warning("trafilatura failed (fast=%s): %s: %s", fast, type(exc).__name__, exc)
        return []
    return _blocks(text.split("\n"))


def _blocks(lines: list[str]) -> list[str]:
    return [block for block in (_SPACES.sub(" ", line).strip() for line in lines) if block]


def _needs_second_opinion(lines: list[str], links: frozenset[str] = frozenset()) -> bool:
    return sum(map(len, lines)) < MIN_TEXT_CHARS or _looks_like_navigation(lines, links)


def _looks_like_navigation(lines: list[str], links: frozenset[str] = frozenset()) -> bool:
    """Many lines, nearly all of them short or half of them in link lists: menus, not prose."""
    if len(lines) < _DUMP_MIN_LINES:
        return False
    short = sum(1 for line in lines if len(line) < _SHORT_LINE_CHARS)
    listed = len(lines) - len(_drop_link_lists(lines, links))
    return short >= _DUMP_SHORT_SHARE * len(lines) or listed >= _DUMP_LINK_SHARE * len(lines)


def _is_better(candidate: list[str], current: list[str], links: frozenset[str] = frozenset()) -> bool:
    if not candidate:
        return False
    if _looks_like_navigation(current, links):
        return not _looks_like_navigation(candidate, links) and sum(map(len, candidate)) >= MIN_TEXT_CHARS
    return sum(map(len, candidate)) > sum(map(len, current))


def _link_texts(tree: HtmlElement) -> frozenset[str]:
    """The words of every link of the page (:func:`_norm`): what a menu or a headline list is made of."""
    return frozenset(filter(None, (_norm(a.text_content()) for a in tree.iter("a"))))


def _drop_captions(lines: list[str], tree: HtmlElement) -> list[str]:
    """Drop blocks that are a whole picture caption (``<figcaption>``, an element of class ``*caption*``)."""
    captions = {_norm(el.text_content()) for el in tree.xpath('//figcaption|//*[contains(@class, "caption")]')}
    captions.discard("")
    return [line for line in lines if _norm(line) not in captions] if captions else lines


def _drop_link_lists(lines: list[str], links: frozenset[str]) -> list[str]:
    """Drop runs of blocks that are each a whole link: menus, "Trending Stories", related-link lists.

    A run is :data:`_LINK_RUN` blocks or more; a lone linked line (a name linked inside a paragraph
    that trafilatura cut out) stays. Such lists are other pages' headlines, not the article.
    """
    if not links:
        return lines
    linked = [_norm(line) in links for line in lines]
    kept: list[str] = []
    start = 0
    while start < len(lines):
        end = start
        while end < len(lines) and linked[end] == linked[start]:
            end += 1
        if not (linked[start] and end - start >= _LINK_RUN):
            kept.extend(lines[start:end])
        start = end
    return kept


def _norm(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def _drop_headline(lines: list[str], headlines: tuple[str, ...]) -> list[str]:
    """Drop a first block that only repeats the headline (the title is stored on its own)."""
    if len(lines) < 2 or not headlines:
        return lines
    first = _norm(lines[0])
    if first and any(first == _norm(h) for h in headlines):
        return lines[1:]
    return lines


def _fallback_lines(tree: HtmlElement, meta: PageMetadata) -> list[str]:
    """The longest of JSON-LD ``articleBody`` and the ``articleBody`` / ``<article>`` element's text."""
    from lxml.html import tostring  # heavy, imported on first use

    options = []
    if meta.article_body:
        options.append(fragment_blocks(meta.article_body))
    containers = tree.xpath('//*[@itemprop="articleBody"]') or tree.xpath("//article")
    if containers:
        biggest = max(containers, key=lambda el: len(el.text_content()))
        options.append(fragment_blocks(tostring(biggest, encoding="unicode")))
    return max(options, key=lambda blocks: sum(map(len, blocks)), default=[])


def fragment_text(html: str) -> str:
    """Text of an HTML fragment (a feed summary, ``content:encoded``), paragraphs separated by blank lines."""
    return "\n\n".join(fragment_blocks(html))


def fragment_blocks(html: str) -> list[str]:
    """The text blocks of an HTML fragment: one per paragraph, heading, list item or ``<br>`` line."""
    from bs4 import BeautifulSoup  # heavy, imported on first use

    if "<" not in html:
        return _blocks(re.split(r"\n\s*\n", unescape(html)))
    soup = BeautifulSoup(html, "lxml")
    for dropped in soup.find_all(_DROP_TAGS):
        dropped.decompose()
    for tag in soup.find_all(_BLOCK_TAGS):
        if tag.name in ("br", "hr"):
            tag.replace_with(_BREAK)
        else:
            tag.insert_before(_BREAK)
            tag.insert_after(_BREAK)
    # Newlines inside text nodes are source formatting, not breaks: only block boundaries split.
    return _blocks(soup.get_text().split(_BREAK))
