"""Take data away: a view's rows for a range of days, streamed into CSV, Parquet or JSON Lines.

Everything is read as the analyst role and streamed: CSV by ``COPY ... TO STDOUT`` (PostgreSQL
formats the cells), JSON Lines and Parquet through a server-side cursor a batch at a time, so
an export of years holds one batch in memory, never the range; each batch becomes a Parquet
row group at once. Output goes to a temporary file that replaces the target only when every
row is written: a failed export leaves no half file behind.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from communique.errors import ReportError
from communique.reports.access import analyst_connection
from communique.reports.columns import Column, arrow_schema, csv_expression, describe
from communique.reports.files import atomic_path

if TYPE_CHECKING:
    import psycopg
    from psycopg import sql

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

    metadata = {"communique.view": view, "communique.start": start.isoformat(), "communique.end": end.isoformat()}
    with analyst_connection(dsn) as conn:
        try:
            columns = _columns(conn, view)
            query = _Query(view, start, end)
            if isinstance(out, Path):
                with atomic_path(out) as partial, partial.open("wb") as sink:
                    rows = _WRITERS[fmt](conn, query, columns, sink, batch_rows, metadata)
            else:
                rows = _WRITERS[fmt](conn, query, columns, out, batch_rows, metadata)
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


@dataclass(frozen=True, slots=True)
class _Query:
    """The rows of one export: a view, its days, in a stable order."""

    view: str
    start: date
    end: date

    def select(self, columns: sql.Composable) -> sql.Composed:
        """``SELECT columns FROM view AS r WHERE <day in range> ORDER BY <day, key>``."""
        from psycopg import sql

        day, keys = EXPORTABLE[self.view]
        template = "SELECT {columns} FROM {view} AS r WHERE r.{day} BETWEEN {start} AND {end} ORDER BY {order}"
        return sql.SQL(template).format(
            columns=columns, view=sql.Identifier(self.view), day=sql.Identifier(day),
            start=sql.Literal(self.start), end=sql.Literal(self.end),
            order=sql.SQL(", ").join(sql.SQL("r.{}").format(sql.Identifier(c)) for c in (day, *keys)),
        )  # fmt: skip


def _columns(conn: psycopg.Connection[Any], view: str) -> list[Column]:
    """The view's columns, typed from the server's description, with their comments."""
    from psycopg import sql

    cursor = conn.execute(sql.SQL("SELECT * FROM {} LIMIT 0").format(sql.Identifier(view)))
    return describe(cursor, _comments(conn, view))


def _comments(conn: psycopg.Connection[Any], view: str) -> dict[str, str]:
    """The column comments of ``view`` (every analyst object has them): descriptions in the Parquet schema."""
    rows = conn.execute(
        """SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute AS a
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped""",
        (view,),
    ).fetchall()
    return {str(name): str(text) for name, text in rows if text}


def _write_csv(
    conn: psycopg.Connection[Any], query: _Query, columns: list[Column], sink: IO[bytes], batch_rows: int,
    metadata: dict[str, str],
) -> int:  # fmt: skip
    """CSV by ``COPY ... TO STDOUT``: PostgreSQL formats and streams it, in the forms BI tools parse."""
    from psycopg import sql

    cells = sql.SQL(", ").join(csv_expression(c) for c in columns)
    cursor = conn.cursor()
    with cursor.copy(sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER true)").format(query.select(cells))) as copy:
        for chunk in copy:
            sink.write(chunk)
    return max(cursor.rowcount, 0)


def _server_cursor(conn: psycopg.Connection[Any], name: str, batch_rows: int) -> psycopg.ServerCursor[Any]:
    """A server-side cursor: rows stay on the server until fetched, a batch at a time (binary: cheaper to read)."""
    cursor = conn.cursor(name=f"communique_export_{name}", binary=True)
    cursor.itersize = batch_rows
    return cursor


def _write_jsonl(
    conn: psycopg.Connection[Any], query: _Query, columns: list[Column], sink: IO[bytes], batch_rows: int,
    metadata: dict[str, str],
) -> int:  # fmt: skip
    """JSON Lines, each line made by the server (``row_to_json``): ISO dates, arrays as lists, jsonb nested."""
    from psycopg import sql

    cursor = _server_cursor(conn, query.view, batch_rows)
    cursor.execute(query.select(sql.SQL("row_to_json(r)::text")))
    count = 0
    while rows := cursor.fetchmany(batch_rows):
        sink.write("".join(f"{line}\n" for (line,) in rows).encode())
        count += len(rows)
    return count


def _write_parquet(
    conn: psycopg.Connection[Any], query: _Query, columns: list[Column], sink: IO[bytes], batch_rows: int,
    metadata: dict[str, str],
) -> int:  # fmt: skip
    """Parquet with the columns' own types, one row group per batch of rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from psycopg import sql

    from communique import __version__

    schema = arrow_schema(columns, metadata | {"communique.version": __version__})
    cursor = _server_cursor(conn, query.view, batch_rows)
    cursor.execute(query.select(sql.SQL(", ").join(c.arrow_expression() for c in columns)))
    count = 0
    with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
        for rows in _batches(cursor, batch_rows):
            arrays = [
                pa.array(values, type=field.type) for values, field in zip(zip(*rows, strict=True), schema, strict=True)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            count += len(rows)
    return count


def _batches(cursor: psycopg.ServerCursor[Any], size: int) -> Iterator[list[tuple[Any, ...]]]:
    while rows := cursor.fetchmany(size):
        yield rows


_WRITERS: dict[str, Callable[..., int]] = {"csv": _write_csv, "jsonl": _write_jsonl, "parquet": _write_parquet}
