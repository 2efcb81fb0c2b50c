"""News sitemaps (and sitemap indexes) into the raw store: the articles they list, fetched politely.

A large sitemap takes long at a polite pace (60,000 pages on one host at one request a
second is most of a day), so the import keeps little and loses nothing: sitemap files are
read one at a time, pages are fetched in small chunks and each chunk is landed and committed
before the next is fetched (memory holds one chunk of pages), and a page already in the raw
store is not fetched again, so a rerun of a stopped import resumes where it stopped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from communique.dedup.urls import article_id, canonical_url
from communique.errors import FetchError, ParseError
from communique.history.landing import HTML_TYPES, failed, land_in_span, raw_page
from communique.models import Interval, StageReport
from communique.settings import Settings
from communique.warehouse import database

if TYPE_CHECKING:
    from lxml import etree

LOGGER = logging.getLogger(__name__)
MAX_SITEMAPS = 200
MAX_SITEMAP_URLS = 50_000  # the sitemaps.org limit per file
#: Pages fetched, landed and committed together: what the import holds in memory at once.
FETCH_CHUNK = 32


@dataclass(slots=True)
class SitemapEntry:
    url: str
    published: datetime | None
    title: str | None


def _xml(content: bytes, url: str) -> etree._Element:
    from lxml import etree

    head = content[:4096].lower()
    if b"<!doctype" in head or b"<!entity" in content.lower():
        raise ParseError(f"{url}: sitemap with a DOCTYPE or entity declarations refused", reason="entity_declaration")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(f"{url}: not a sitemap: {exc}", reason="not_xml") from exc


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child_text(node: etree._Element, *path: str) -> str | None:
    found: etree._Element | None = node
    for name in path:
        found = next((c for c in found if _local(c.tag) == name), None) if found is not None else None
        if found is None:
            return None
    return (found.text or "").strip() or None if found is not None else None


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)


def parse_sitemap(content: bytes, url: str) -> tuple[list[str], list[SitemapEntry]]:
    """(child sitemap URLs, article entries) of a sitemap index, a news sitemap or a plain sitemap."""
    root = _xml(content, url)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        return [loc for s in root if _local(s.tag) == "sitemap" and (loc := _child_text(s, "loc"))][:MAX_SITEMAPS], []
    if kind != "urlset":
        raise ParseError(f"{url}: not a sitemap (root element {kind!r})", reason="not_sitemap")
    entries = []
    for node in root:
        loc = _child_text(node, "loc") if _local(node.tag) == "url" else None
        if not loc:
            continue
        published = _moment(_child_text(node, "news", "publication_date") or _child_text(node, "lastmod"))
        entries.append(SitemapEntry(loc, published, _child_text(node, "news", "title")))
    return [], entries[:MAX_SITEMAP_URLS]


def _sitemap_bytes(client: Any, url: str) -> bytes:
    response = client.fetch(url, kind="feed")
    body: bytes = response.body
    if body[:2] == b"\x1f\x8b":  # a .xml.gz file served as is: gunzip within the feed cap
        from communique.fetch.decompression import decode_stream

        out = bytearray()
        for chunk in decode_stream([body], ["gzip"]):
            out += chunk
            if len(out) > client.http.max_feed_bytes:
                raise ParseError(f"{url}: sitemap larger than {client.http.max_feed_bytes} bytes", reason="too_large")
        body = bytes(out)
    return body


def walk_sitemaps(client: Any, root_url: str, stats: StageReport) -> Iterator[SitemapEntry]:
    """Every article entry reachable from ``root_url``, one sitemap file at a time (at most MAX_SITEMAPS)."""
    todo = [root_url]
    seen: set[str] = set()
    while todo and len(seen) < MAX_SITEMAPS:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            children, found = parse_sitemap(_sitemap_bytes(client, url), url)
        except (FetchError, ParseError) as exc:
            failed(stats, f"sitemap_{getattr(exc, 'reason', 'error')}", str(exc))
            continue
        stats.add("sitemaps")
        todo += children
        yield from found


def import_sitemap(settings: Settings, dsn: str, sitemap_url: str, span: Interval | None = None) -> StageReport:
    """Fetch the articles a news sitemap lists (published in ``span``) and land them, chunk by chunk.

    Pages already stored count as ``known`` and are not fetched again; ``failed`` counts the
    sitemaps and pages that could not be fetched (a rerun tries them again).
    """
    from communique.fetch.downloads import HttpClient

    stats = StageReport("import_sitemap", {"sitemaps": 0, "entries": 0, "landed": 0, "known": 0, "failed": 0},
                        span=span)  # fmt: skip
    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client, database.connect(dsn) as conn:
        for chunk in _chunks(_wanted(walk_sitemaps(client, sitemap_url, stats), span, stats), FETCH_CHUNK):
            _import_chunk(conn, client, chunk, span, stats)
            conn.commit()
            LOGGER.info("%s: %s", sitemap_url, stats.summary())
    return stats  # the caller prints the total (``communique import``): logged here, it would show twice


def _wanted(entries: Iterator[SitemapEntry], span: Interval | None, stats: StageReport) -> Iterator[SitemapEntry]:
    """The entries published in ``span`` (or undated: their page says when)."""
    for entry in entries:
        stats.add("entries")
        if span and entry.published and not span.contains(entry.published):
            stats.skip("outside_range")
        else:
            yield entry


def _chunks(entries: Iterator[SitemapEntry], size: int) -> Iterator[list[SitemapEntry]]:
    chunk: list[SitemapEntry] = []
    for entry in entries:
        chunk.append(entry)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _import_chunk(
    conn: Any, client: Any, entries: list[SitemapEntry], span: Interval | None, stats: StageReport
) -> None:
    """Fetch the entries not stored yet and land them."""
    from communique.fetch.downloads import FetchRequest
    from communique.fetch.encodings import decode

    ids = {entry.url: article_id(canonical_url(entry.url)) for entry in entries}
    stored = {row[0] for row in conn.execute("SELECT article_id FROM raw_article WHERE article_id = ANY(%s)",
                                             (list(ids.values()),))}  # fmt: skip
    todo = [entry for entry in entries if ids[entry.url] not in stored]
    stats.add("known", len(entries) - len(todo))
    outcomes = client.fetch_many([FetchRequest(e.url, kind="page") for e in todo])
    for entry, outcome in zip(todo, outcomes, strict=True):
        response = outcome.response
        if response is None:
            error = outcome.error
            failed(stats, error.reason if error else "fetch_error", str(error) if error else entry.url)
            continue
        if (response.content_type or "text/html").split(";")[0].strip() not in HTML_TYPES:
            stats.skip("not_html")
            continue
        decoded = decode(response.body, response.content_type)
        meta = {"final_url": response.final_url, "status": response.status, "content_type": response.content_type,
                "encoding": decoded.encoding, "encoding_source": decoded.source, "title": entry.title}  # fmt: skip
        page = raw_page(entry.url, decoded.text, "sitemap", response.fetched_at, entry.published, meta)
        land_in_span(conn, page, span, stats)
