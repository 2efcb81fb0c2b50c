"""Landing imported pages: when each was published, and whether it falls in the asked range.

Imported pages land with ``landed_at`` = their publication time (the page's own, else the
sitemap's, else the capture time), so that a backfill of a date range processes exactly
the articles published in it. Imports are idempotent: a page already stored (same
canonical URL) keeps its first landing.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from communique.articles.htmlprocessing import clean_article
from communique.models import Interval, StageReport
from communique.warehouse import raw_store

LOGGER = logging.getLogger(__name__)
HTML_TYPES = ("text/html", "application/xhtml+xml")


def failed(stats: StageReport, reason: str, detail: str) -> None:
    """Count something the import could not do (a non-zero exit for the command), and log why."""
    LOGGER.warning("%s skipped: %s", reason.replace("_", " "), detail)
    stats.skip(reason)
    stats.add("failed")


def outlet_of(url: str) -> str:
    """The outlet key of a URL: its host without ``www.``."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def published_time(html: str, url: str, captured: datetime, hint: datetime | None) -> tuple[datetime, str]:
    """When the page was published (its own metadata first), for ``landed_at``; and the source used."""
    article = clean_article(html, url, feed_published=hint, fetched_at=captured)
    if article.published_at and article.published_source not in (None, "fetch"):
        return article.published_at, str(article.published_source)
    if hint:
        return hint, "sitemap"
    return captured, "capture"


def raw_page(
    url: str, html: str, source: str, captured: datetime, hint: datetime | None, meta: dict[str, Any]
) -> raw_store.RawArticle:
    landed, _ = published_time(html, url, captured, hint)
    return raw_store.RawArticle(
        url=url, final_url=meta.get("final_url", url), html=html, source=source, outlet=outlet_of(url),
        fetched_at=captured, landed_at=landed, http_status=meta.get("status"), content_type=meta.get("content_type"),
        encoding=meta.get("encoding"), encoding_source=meta.get("encoding_source"), feed_title=meta.get("title"),
        feed_published_at=hint,
    )  # fmt: skip


def land_in_span(conn: Any, page: raw_store.RawArticle, span: Interval | None, stats: StageReport) -> None:
    if span and not span.contains(page.landed_at):
        stats.skip("outside_range")
        return
    if raw_store.land(conn, [page]):
        stats.add("landed")
    else:
        stats.add("known")
