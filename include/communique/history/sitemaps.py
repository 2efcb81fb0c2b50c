"""News sitemaps (and sitemap indexes) into the raw store: the articles they list, fetched politely."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from communique.errors import FetchError, ParseError
from communique.history.landing import HTML_TYPES, land_in_span, raw_page
from communique.models import Interval, StageReport
from communique.settings import Settings
from communique.warehouse import database

if TYPE_CHECKING:
    from lxml import etree

LOGGER = logging.getLogger(__name__)
MAX_SITEMAPS = 200
MAX_SITEMAP_URLS = 50_000  # the sitemaps.org limit per file


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


def walk_sitemaps(client: Any, root_url: str, stats: StageReport) -> list[SitemapEntry]:
    """Every article entry reachable from ``root_url`` (index files followed, at most MAX_SITEMAPS)."""
    todo, entries = [root_url], []
    seen: set[str] = set()
    while todo and len(seen) < MAX_SITEMAPS:
        url = todo.pop(0)
        if url in seen:
            continue
        seen.add(url)
        try:
            children, found = parse_sitemap(_sitemap_bytes(client, url), url)
        except (FetchError, ParseError) as exc:
            LOGGER.warning("sitemap skipped: %s", exc)
            stats.skip(f"sitemap_{getattr(exc, 'reason', 'error')}")
            continue
        stats.add("sitemaps")
        todo += children
        entries += found
    return entries


def import_sitemap(settings: Settings, dsn: str, sitemap_url: str, span: Interval | None = None) -> StageReport:
    """Fetch the articles a news sitemap lists (published in ``span``) and land them."""
    from communique.fetch.downloads import FetchRequest, HttpClient
    from communique.fetch.encodings import decode

    stats = StageReport("import_sitemap", {"sitemaps": 0, "entries": 0, "landed": 0, "known": 0}, span=span)
    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        entries = walk_sitemaps(client, sitemap_url, stats)
        stats.add("entries", len(entries))
        wanted = [e for e in entries if not (span and e.published and not span.contains(e.published))]
        if len(entries) > len(wanted):
            stats.skip("outside_range", len(entries) - len(wanted))
        outcomes = client.fetch_many([FetchRequest(e.url, kind="page") for e in wanted])
    with database.connect(dsn) as conn:
        for entry, outcome in zip(wanted, outcomes, strict=True):
            response = outcome.response
            if response is None or (response.content_type or "text/html").split(";")[0].strip() not in HTML_TYPES:
                stats.skip(outcome.error.reason if outcome.error else "not_html")
                continue
            decoded = decode(response.body, response.content_type)
            meta = {"final_url": response.final_url, "status": response.status, "content_type": response.content_type,
                    "encoding": decoded.encoding, "encoding_source": decoded.source, "title": entry.title}  # fmt: skip
            page = raw_page(entry.url, decoded.text, "sitemap", response.fetched_at, entry.published, meta)
            land_in_span(conn, page, span, stats)
    LOGGER.info("%s", stats.summary())
    return stats
