"""The raw layer: pages as fetched or imported, compressed, keyed by canonical URL.

Everything downstream is rebuilt from here, so landing is insert-only: a page that is
already stored keeps its bytes and its ``landed_at`` (which places it in a processing
interval) forever.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from communique.dedup.urls import article_id as make_article_id
from communique.dedup.urls import canonical_url as make_canonical_url
from communique.models import Interval

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)
_ZSTD_LEVEL = 6


@dataclass(slots=True)
class RawArticle:
    """One page for the raw store (html is the decoded UTF-8 text)."""

    url: str
    final_url: str
    html: str
    source: str
    outlet: str
    fetched_at: datetime
    landed_at: datetime
    feed_url: str | None = None
    http_status: int | None = None
    content_type: str | None = None
    encoding: str | None = None
    encoding_source: str | None = None
    feed_title: str | None = None
    feed_published_at: datetime | None = None
    canonical_url: str = ""
    article_id: str = ""

    def __post_init__(self) -> None:
        if not self.canonical_url:
            self.canonical_url = make_canonical_url(self.url)
        if not self.article_id:
            self.article_id = make_article_id(self.canonical_url)


def compress(html: str) -> bytes:
    import zstandard

    return zstandard.ZstdCompressor(level=_ZSTD_LEVEL).compress(html.encode("utf-8"))


def decompress(blob: bytes, size: int) -> str:
    """Inverse of :func:`compress`; ``size`` (the stored length) bounds the output."""
    import zstandard

    return zstandard.ZstdDecompressor().decompress(blob, max_output_size=max(size, 1)).decode("utf-8", "replace")


_INSERT = """
INSERT INTO raw_article (article_id, canonical_url, url, final_url, source, feed_url, outlet, http_status,
                         content_type, encoding, encoding_source, html_zstd, html_bytes, feed_title,
                         feed_published_at, fetched_at, landed_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (article_id) DO NOTHING
"""


def land(conn: psycopg.Connection[Any], articles: Iterable[RawArticle]) -> list[RawArticle]:
    """Store pages not stored yet; return the ones that were new."""
    landed = []
    with conn.cursor() as cur:
        for a in articles:
            html = a.html.encode("utf-8")
            cur.execute(
                _INSERT,
                (
                    a.article_id, a.canonical_url, a.url, a.final_url, a.source, a.feed_url, a.outlet,
                    a.http_status, a.content_type, a.encoding, a.encoding_source, compress(a.html), len(html),
                    a.feed_title, a.feed_published_at, a.fetched_at, a.landed_at,
                ),
            )  # fmt: skip
            if cur.rowcount == 1:
                landed.append(a)
    return landed


@dataclass(slots=True)
class StoredPage:
    """A raw article read back for processing."""

    article_id: str
    url: str
    final_url: str
    canonical_url: str
    outlet: str
    html: str
    fetched_at: datetime
    landed_at: datetime
    feed_title: str | None
    feed_published_at: datetime | None


def pages_in(conn: psycopg.Connection[Any], interval: Interval) -> Iterator[StoredPage]:
    """The raw pages that landed in ``interval``, in landing order."""
    with conn.cursor(name="raw_pages") as cur:
        cur.itersize = 200
        cur.execute(
            """SELECT article_id, url, final_url, canonical_url, outlet, html_zstd, html_bytes, fetched_at,
                      landed_at, feed_title, feed_published_at
                 FROM raw_article WHERE landed_at >= %s AND landed_at < %s ORDER BY landed_at, article_id""",
            (interval.start, interval.end),
        )
        for row in cur:
            (aid, url, final_url, canonical, outlet, blob, size, fetched, landed, ftitle, fpub) = row
            yield StoredPage(
                aid, url, final_url, canonical, outlet, decompress(blob, size), fetched, landed, ftitle, fpub
            )


def count_in(conn: psycopg.Connection[Any], interval: Interval) -> int:
    """How many raw pages landed in ``interval``."""
    row = conn.execute(
        "SELECT count(*) FROM raw_article WHERE landed_at >= %s AND landed_at < %s", (interval.start, interval.end)
    ).fetchone()
    return int(row[0]) if row else 0


def landed_pieces(conn: psycopg.Connection[Any], interval: Interval, step: timedelta | None) -> list[int]:
    """Indexes of the pieces of ``step`` (counted from ``interval.start``) in which pages landed, in order.

    One query over the ``landed_at`` index, however long the range: a year of hours costs
    one scan of the pages that landed in it, not 8,760 lookups. Without a step the whole
    interval is piece 0.
    """
    if step is None:
        row = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM raw_article WHERE landed_at >= %s AND landed_at < %s)",
            (interval.start, interval.end),
        ).fetchone()
        return [0] if row and row[0] else []
    rows = conn.execute(
        """SELECT DISTINCT floor(extract(epoch FROM landed_at - %(start)s) / %(step)s)::bigint
             FROM raw_article WHERE landed_at >= %(start)s AND landed_at < %(end)s ORDER BY 1""",
        {"start": interval.start, "end": interval.end, "step": step.total_seconds()},
    ).fetchall()
    return [int(row[0]) for row in rows]
