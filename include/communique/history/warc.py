"""WARC archives (the CC-NEWS format) into the raw store: their HTML responses, landed by publication time.

Archives are read tolerantly. A record that cannot be read (a damaged gzip member, a broken
header) is skipped with its offset and reason, and reading goes on at the next record that
can be found (the next gzip member, or the next ``WARC/1.x`` line of an uncompressed file). A
record cut short (the file ends inside it) is never landed: the first landing of a page wins,
so a truncated page would stay truncated. Each file is its own unit, committed as it goes:
a bad file costs only its own unreadable part, and an interrupted import keeps what it landed.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from communique.fetch.encodings import decode
from communique.history.landing import HTML_TYPES, failed, land_in_span, raw_page
from communique.models import Interval, StageReport
from communique.settings import Settings
from communique.warehouse import database

LOGGER = logging.getLogger(__name__)

#: Records landed per transaction: an interrupted import keeps all but the last few.
COMMIT_EVERY = 100
_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_LINE = re.compile(rb"(?:^|\n)(WARC/1\.[01]\r?\n)")
_SCAN_CHUNK = 1 << 20


@dataclass(slots=True)
class WarcPage:
    url: str
    captured: datetime
    status: int
    content_type: str | None
    body: bytes


@dataclass(frozen=True, slots=True)
class Unusable:
    """A record that is not landed: ``reason`` (counted), ``failure`` when the archive itself is at fault."""

    reason: str
    failure: bool = False
    detail: str = ""


def read_warc(path: Path, max_bytes: int) -> Iterator[WarcPage | Unusable]:
    """HTML responses of a WARC file, or why each other response record is not one (bounded per record).

    A damaged region yields one ``corrupt_record`` and reading resumes after it; a file with
    no readable record at all yields ``not_warc`` instead.
    """
    with path.open("rb") as stream:
        compressed = stream.read(2) == _GZIP_MEMBER[:2]
        position: int | None = 0
        read_any, damage_at_start = False, None
        while position is not None:
            last = None
            try:
                for start, item in _records_from(stream, position, max_bytes):
                    last = start
                    if not read_any and damage_at_start:
                        yield damage_at_start
                    read_any = True
                    if item is not None:
                        yield item
                break
            except Exception as exc:  # warcio, zlib and the HTTP header parser each raise their own
                where = last if last is not None else position
                damage = Unusable("corrupt_record", True, f"{path}: unreadable record after offset {where}: {exc}")
                if last is not None:  # else the region was reported when reading stopped in it
                    yield damage
                elif position == 0:
                    damage_at_start = damage  # reported if anything readable follows, else "not_warc"
                position = _next_record(stream, where + 1, compressed=compressed)
        if not read_any:
            yield Unusable("not_warc", True, f"{path}: no readable WARC record")


def _records_from(stream: IO[bytes], position: int, max_bytes: int) -> Iterator[tuple[int, WarcPage | Unusable | None]]:
    """(offset, page or reason) of each record from ``position`` on (None: not a response); raises where it breaks."""
    from warcio.archiveiterator import ArchiveIterator

    stream.seek(position)
    records = ArchiveIterator(stream)
    for record in records:
        if record.format != "warc":  # warcio also reads ARC files, and takes any text line for an ARC header
            raise ValueError(f"not a WARC record ({record.format})")
        page = _page_of(record, max_bytes) if record.rec_type == "response" else None
        yield position + records.get_record_offset(), page  # the offset is known once the record is read


def _page_of(record: Any, max_bytes: int) -> WarcPage | Unusable:
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    status = int(record.http_headers.get_statuscode() or 0) if record.http_headers else 0
    kind = record.http_headers.get_header("Content-Type") if record.http_headers else None
    if status != 200:
        return Unusable(f"http_{status}")
    if (kind or "text/html").split(";")[0].strip().lower() not in HTML_TYPES:
        return Unusable("not_html")
    body = _body(record, url, max_bytes)
    if isinstance(body, Unusable):
        return body
    captured = _capture_time(record.rec_headers.get_header("WARC-Date"))
    if captured is None:
        return Unusable("bad_date", True, f"{url}: WARC-Date missing or unreadable")
    return WarcPage(url, captured, status, kind, body)


def _body(record: Any, url: str, max_bytes: int) -> bytes | Unusable:
    """The record's whole payload, or why it cannot be landed (too large, undecodable, cut short)."""
    try:
        body: bytes = record.content_stream().read(max_bytes + 1)
    except (zlib.error, EOFError, ValueError) as exc:  # a content-encoding that does not decode
        return Unusable("corrupt_record", True, f"{url}: body unreadable: {exc}")
    if len(body) > max_bytes:
        return Unusable("too_large")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the archive ended before the record did
        return Unusable("truncated", True, f"{url}: record cut short ({len(body)} bytes of payload read)")
    return body


def _capture_time(text: str | None) -> datetime | None:
    try:
        captured = datetime.fromisoformat((text or "").replace("Z", "+00:00"))
    except ValueError:
        return None
    return (captured if captured.tzinfo else captured.replace(tzinfo=UTC)).astimezone(UTC)


def _next_record(stream: IO[bytes], offset: int, *, compressed: bool) -> int | None:
    """Offset of the next place a record may start at or after ``offset`` (None at the end of the file)."""
    stream.seek(offset)
    base, tail = offset, b""
    while chunk := stream.read(_SCAN_CHUNK):
        window = tail + chunk
        if compressed:
            found = window.find(_GZIP_MEMBER)
            hit = found if found >= 0 else None
        else:
            match = _WARC_LINE.search(window)
            hit = match.start(1) if match else None
        if hit is not None:
            return base - len(tail) + hit
        tail = window[-16:]
        base += len(chunk)
    return None


def import_warc(settings: Settings, dsn: str, paths: Iterable[Path], span: Interval | None = None) -> StageReport:
    """Land the HTML pages of WARC files whose publication time falls in ``span`` (all when None).

    Each file is read and committed on its own; the report adds them up (``failed`` counts
    what could not be read: damaged or truncated records, unreadable files).
    """
    stats = StageReport("import_warc", {"files": 0, "records": 0, "landed": 0, "known": 0, "failed": 0}, span=span)
    for path in paths:
        stats.merge(import_file(settings, dsn, path, span))
    return stats  # the caller prints the total (``communique import``): logged here, it would show twice


def import_file(settings: Settings, dsn: str, path: Path, span: Interval | None) -> StageReport:
    """One WARC file, committed every :data:`COMMIT_EVERY` records."""
    stats = StageReport("import_warc", {"files": 1, "records": 0, "landed": 0, "known": 0, "failed": 0}, span=span)
    try:
        with database.connect(dsn) as conn:
            for number, item in enumerate(read_warc(path, settings.http.max_page_bytes), 1):
                stats.add("records", 0 if isinstance(item, Unusable) and item.reason == "not_warc" else 1)
                if isinstance(item, Unusable):
                    _refuse(stats, item)
                else:
                    _land(conn, item, span, stats)
                if number % COMMIT_EVERY == 0:
                    conn.commit()
    except OSError as exc:
        failed(stats, "unreadable_file", f"{path}: {exc.strerror or exc}")
    LOGGER.info("%s: %s", path, stats.summary())
    return stats


def _refuse(stats: StageReport, item: Unusable) -> None:
    if item.failure:
        failed(stats, item.reason, item.detail)
    else:
        stats.skip(item.reason)


def _land(conn: Any, item: WarcPage, span: Interval | None, stats: StageReport) -> None:
    decoded = decode(item.body, item.content_type)
    meta = {"status": item.status, "content_type": item.content_type, "encoding": decoded.encoding,
            "encoding_source": decoded.source}  # fmt: skip
    page = raw_page(item.url, decoded.text, "warc", item.captured, None, meta)
    land_in_span(conn, page, span, stats)
