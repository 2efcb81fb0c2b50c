"""History from before the feeds were polled: WARC archives and news sitemaps into the raw store.

Imported pages land with ``landed_at`` = their publication time (the page's own, else the
sitemap's, else the capture time), so that a backfill of a date range processes exactly
the articles published in it. Imports are idempotent: a page already stored (same
canonical URL) keeps its first landing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from communique import raw_store, warehouse
from communique.errors import FetchError, ParseError
from communique.models import Interval, StageStats
from communique.settings import Settings

if TYPE_CHECKING:
    from lxml import etree

LOGGER = logging.getLogger(__name__)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_SITEMAPS = 200
MAX_SITEMAP_URLS = 50_000  # the sitemaps.org limit per file


def outlet_of(url: str) -> str:
    """The outlet key of a URL: its host without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def _landing(html: str, url: str, captured: datetime, hint: datetime | None) -> tuple[datetime, str]:
    """When the page was published (its own metadata first), for ``landed_at``; and the source used."""
    from communique.htmlprocessing import clean_article

    article = clean_article(html, url, feed_published=hint, fetched_at=captured)
    if article.published_at and article.published_source not in (None, "fetch"):
        return article.published_at, str(article.published_source)
    if hint:
        return hint, "sitemap"
    return captured, "capture"


def _page(
    url: str, html: str, source: str, captured: datetime, hint: datetime | None, meta: dict[str, Any]
) -> raw_store.RawArticle:
    landed, _ = _landing(html, url, captured, hint)
    return raw_store.RawArticle(
        url=url, final_url=meta.get("final_url", url), html=html, source=source, outlet=outlet_of(url),
        fetched_at=captured, landed_at=landed, http_status=meta.get("status"), content_type=meta.get("content_type"),
        encoding=meta.get("encoding"), encoding_source=meta.get("encoding_source"), feed_title=meta.get("title"),
        feed_published_at=hint,
    )  # fmt: skip


# --- WARC (the CC-NEWS format) ---------------------------------------------------------------


@dataclass(slots=True)
class WarcPage:
    url: str
    captured: datetime
    status: int
    content_type: str | None
    body: bytes


def read_warc(path: Path, max_bytes: int) -> Iterator[WarcPage | str]:
    """HTML responses in a WARC file, or a skip reason per other record (bounded per record)."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            status = int(record.http_headers.get_statuscode() or 0) if record.http_headers else 0
            kind = record.http_headers.get_header("Content-Type") if record.http_headers else None
            if status != 200:
                yield f"http_{status}"
                continue
            if (kind or "text/html").split(";")[0].strip().lower() not in _HTML_TYPES:
                yield "not_html"
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield "too_large"
                continue
            captured = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
            yield WarcPage(url, captured.astimezone(UTC), status, kind, body)


def import_warc(settings: Settings, dsn: str, paths: Iterable[Path], span: Interval | None = None) -> dict[str, Any]:
    """Land the HTML pages of WARC files whose publication time falls in ``span`` (all when None)."""
    from communique.encodings import decode

    stats = StageStats("import_warc", {"records": 0, "landed": 0, "known": 0})
    with warehouse.connect(dsn) as conn:
        for path in paths:
            for item in read_warc(path, settings.http.max_page_bytes):
                stats.add("records")
                if isinstance(item, str):
                    stats.skip(item)
                    continue
                decoded = decode(item.body, item.content_type)
                meta = {"status": item.status, "content_type": item.content_type, "encoding": decoded.encoding,
                        "encoding_source": decoded.source}  # fmt: skip
                page = _page(item.url, decoded.text, "warc", item.captured, None, meta)
                _land_in_span(conn, page, span, stats)
    LOGGER.info("import_warc: %s", stats.to_json())
    return _with_range(stats, span)


def _land_in_span(conn: Any, page: raw_store.RawArticle, span: Interval | None, stats: StageStats) -> None:
    if span and not span.contains(page.landed_at):
        stats.skip("outside_range")
        return
    if raw_store.land(conn, [page]):
        stats.add("landed")
    else:
        stats.add("known")


def _with_range(stats: StageStats, span: Interval | None) -> dict[str, Any]:
    result = stats.to_json()
    if span:
        result["range"] = {"start": span.start.isoformat(), "end": span.end.isoformat()}
    return result


# --- News sitemaps -------------------------------------------------------------------------


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
        from communique.decompression import decode_stream

        out = bytearray()
        for chunk in decode_stream([body], ["gzip"]):
            out += chunk
            if len(out) > client.http.max_feed_bytes:
                raise ParseError(f"{url}: sitemap larger than {client.http.max_feed_bytes} bytes", reason="too_large")
        body = bytes(out)
    return body


def walk_sitemaps(client: Any, root_url: str, stats: StageStats) -> list[SitemapEntry]:
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


def import_sitemap(settings: Settings, dsn: str, sitemap_url: str, span: Interval | None = None) -> dict[str, Any]:
    """Fetch the articles a news sitemap lists (published in ``span``) and land them."""
    from communique.downloads import FetchRequest, HttpClient
    from communique.encodings import decode

    stats = StageStats("import_sitemap", {"sitemaps": 0, "entries": 0, "landed": 0, "known": 0})
    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        entries = walk_sitemaps(client, sitemap_url, stats)
        stats.add("entries", len(entries))
        wanted = [e for e in entries if not (span and e.published and not span.contains(e.published))]
        if len(entries) > len(wanted):
            stats.skip("outside_range", len(entries) - len(wanted))
        outcomes = client.fetch_many([FetchRequest(e.url, kind="page") for e in wanted])
    with warehouse.connect(dsn) as conn:
        for entry, outcome in zip(wanted, outcomes, strict=True):
            response = outcome.response
            if response is None or (response.content_type or "text/html").split(";")[0].strip() not in _HTML_TYPES:
                stats.skip(outcome.error.reason if outcome.error else "not_html")
                continue
            decoded = decode(response.body, response.content_type)
            meta = {"final_url": response.final_url, "status": response.status, "content_type": response.content_type,
                    "encoding": decoded.encoding, "encoding_source": decoded.source, "title": entry.title}  # fmt: skip
            page = _page(entry.url, decoded.text, "sitemap", response.fetched_at, entry.published, meta)
            _land_in_span(conn, page, span, stats)
    LOGGER.info("import_sitemap: %s", stats.to_json())
    return _with_range(stats, span)
