"""WARC archives (the CC-NEWS format) into the raw store: their HTML responses, landed by publication time."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from communique.fetch.encodings import decode
from communique.history.landing import HTML_TYPES, land_in_span, raw_page
from communique.models import Interval, StageReport
from communique.settings import Settings
from communique.warehouse import database

LOGGER = logging.getLogger(__name__)


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
            if (kind or "text/html").split(";")[0].strip().lower() not in HTML_TYPES:
                yield "not_html"
                continue
            body = record.content_stream().read(max_bytes + 1)
            if len(body) > max_bytes:
                yield "too_large"
                continue
            captured = datetime.fromisoformat(record.rec_headers.get_header("WARC-Date").replace("Z", "+00:00"))
            yield WarcPage(url, captured.astimezone(UTC), status, kind, body)


def import_warc(settings: Settings, dsn: str, paths: Iterable[Path], span: Interval | None = None) -> StageReport:
    """Land the HTML pages of WARC files whose publication time falls in ``span`` (all when None)."""
    stats = StageReport("import_warc", {"records": 0, "landed": 0, "known": 0}, span=span)
    with database.connect(dsn) as conn:
        for path in paths:
            for item in read_warc(path, settings.http.max_page_bytes):
                stats.add("records")
                if isinstance(item, str):
                    stats.skip(item)
                    continue
                decoded = decode(item.body, item.content_type)
                meta = {"status": item.status, "content_type": item.content_type, "encoding": decoded.encoding,
                        "encoding_source": decoded.source}  # fmt: skip
                page = raw_page(item.url, decoded.text, "warc", item.captured, None, meta)
                land_in_span(conn, page, span, stats)
    LOGGER.info("%s", stats.summary())
    return stats
