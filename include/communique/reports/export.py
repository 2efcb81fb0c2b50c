"""Take data away: a view's rows for a range of days, streamed into CSV, Parquet or JSON Lines.

Rows come through a server-side cursor as the analyst role, a batch at a time, so an export
of years holds one batch in memory, never the range. Each batch becomes a Parquet row group
(or lines of text) at once. Output goes to a temporary file that replaces the target only
when every row is written: a failed export leaves no half file behind.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from communique.errors import ReportError
from communique.reports.access import analyst_connection
from communique.reports.columns import Column, arrow_schema, csv_value, describe, text_value
from communique.reports.files import atomic_path

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

#: What can be exported: the analyst's views and facts, each with its date column and a stable row order.
EXPORTABLE: dict[str, tuple[str, tuple[str, ...]]] = {
    "v_events": ("event_date", ("event_id",)),
    "v_event_article": ("event_date", ("event_id", "article_id")),
    "v_meetings": ("event_date", ("event_id",)),
    "v_dyad_daily": ("event_date", ("source_country", "target_country")),
    "v_country_activity": ("week", ("country",)),
    "fct_diplomatic_event": ("event_date", ("event_id",)),
    "fct_event_mention": ("event_date", ("event_id", "article_id")),
}
FORMATS = ("csv", "parquet", "jsonl")
BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class ExportResult:
    view: str
    start: date
    end: date
    format: str
    rows: int
    columns: list[Column]
    path: Path | None


def export_view(
    dsn: str,
    view: str,
    start: date,
    end: date,
    fmt: str,
    out: Path | IO[bytes],
    *,
    batch_rows: int = BATCH_ROWS,
) -> ExportResult:
    """Write the rows of ``view`` dated ``start`` to ``end`` (both included) to ``out`` in format ``fmt``.

    :param out: a file path (written atomically), or a binary stream such as stdout (CSV and JSONL only).
    :param batch_rows: rows fetched per round trip and per Parquet row group.
    """
    _check(view, start, end, fmt, out)
    import psycopg

    with analyst_connection(dsn) as conn:
        try:
            cursor = _open(conn, view, start, end, batch_rows)
            columns = describe(cursor, _comments(conn, view))
            batches = _batches(cursor, batch_rows)
            if isinstance(out, Path):
                with atomic_path(out) as partial:
                    rows = _write(fmt, columns, batches, partial, _metadata(view, start, end))
            else:
                rows = _write(fmt, columns, batches, out, _metadata(view, start, end))
        except psycopg.Error as exc:
            raise ReportError(f"cannot export {view}: {exc}".strip()) from exc
    LOGGER.info("exported %s rows of %s (%s .. %s) as %s", rows, view, start, end, fmt)
    return ExportResult(view, start, end, fmt, rows, columns, out if isinstance(out, Path) else None)


def _check(view: str, start: date, end: date, fmt: str, out: Path | IO[bytes]) -> None:
    if view not in EXPORTABLE:
        raise ReportError(f"cannot export {view!r}: choose one of {', '.join(EXPORTABLE)}")
    if fmt not in FORMATS:
        raise ReportError(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
    if end < start:
        raise ReportError(f"the range ends before it starts: {start} > {end}")
    if fmt == "parquet" and not isinstance(out, Path):
        raise ReportError("Parquet is a binary file format: give an output file (--out FILE)")


def _open(conn: psycopg.Connection[Any], view: str, start: date, end: date, batch_rows: int) -> psycopg.Cursor[Any]:
    from psycopg import sql

    day, keys = EXPORTABLE[view]
    query = sql.SQL("SELECT * FROM {view} WHERE {day} BETWEEN %s AND %s ORDER BY {order}").format(
        view=sql.Identifier(view),
        day=sql.Identifier(day),
        order=sql.SQL(", ").join(sql.Identifier(c) for c in (day, *keys)),
    )
    cursor = conn.cursor(name=f"communique_export_{view}")  # server-side: rows stay on the server until fetched
    cursor.itersize = batch_rows
    cursor.execute(query, (start, end))
    return cursor


def _batches(cursor: psycopg.Cursor[Any], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while rows := cursor.fetchmany(size):
        yield rows


def _comments(conn: psycopg.Connection[Any], view: str) -> dict[str, str]:
    """The column comments of ``view`` (every analyst object has them): descriptions in the Parquet schema."""
    rows = conn.execute(
        """SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute AS a
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped""",
        (view,),
    ).fetchall()
    return {str(name): str(text) for name, text in rows if text}


def _metadata(view: str, start: date, end: date) -> dict[str, str]:
    from communique import __version__

    return {"communique.view": view, "communique.start": start.isoformat(), "communique.end": end.isoformat(),
            "communique.version": __version__}  # fmt: skip


def _write(
    fmt: str, columns: list[Column], batches: Iterator[list[tuple[Any, ...]]], out: Path | IO[bytes],
    metadata: dict[str, str],
) -> int:  # fmt: skip
    if fmt == "parquet":
        assert isinstance(out, Path)
        return _write_parquet(columns, batches, out, metadata)
    with _text(out) as stream:
        return (_write_csv if fmt == "csv" else _write_jsonl)(columns, batches, stream)


@contextmanager
def _text(out: Path | IO[bytes]) -> Iterator[IO[str]]:
    """A UTF-8 text stream over a path or a binary stream (left open: it may be stdout)."""
    if isinstance(out, Path):
        with out.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        return
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
    try:
        yield stream
        stream.flush()
    finally:
        stream.detach()


def _write_csv(columns: list[Column], batches: Iterator[list[tuple[Any, ...]]], stream: IO[str]) -> int:
    writer = csv.writer(stream)
    writer.writerow([c.name for c in columns])
    count = 0
    for rows in batches:
        writer.writerows([csv_value(v) for v in row] for row in rows)
        count += len(rows)
    return count


def _write_jsonl(columns: list[Column], batches: Iterator[list[tuple[Any, ...]]], stream: IO[str]) -> int:
    names = [c.name for c in columns]
    count = 0
    for rows in batches:
        stream.writelines(
            json.dumps({n: text_value(v) for n, v in zip(names, row, strict=True)}, ensure_ascii=False) + "\n"
            for row in rows
        )
        count += len(rows)
    return count


def _write_parquet(
    columns: list[Column], batches: Iterator[list[tuple[Any, ...]]], path: Path, metadata: dict[str, str]
) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = arrow_schema(columns, metadata)
    convert = [c.arrow_value() for c in columns]
    count = 0
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for rows in batches:
            arrays = [
                pa.array([f(row[i]) for row in rows], type=field.type)
                for i, (f, field) in enumerate(zip(convert, schema, strict=True))
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(rows)
    return count
