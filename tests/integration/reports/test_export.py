"""Exports of the demo warehouse: every view in every format, typed Parquet that reads back the same, streamed."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import psycopg
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from communique.errors import ReportError
from communique.reports import export
from communique.reports.export import EXPORTABLE, export_view

COMMUNIQUE = Path(sys.executable).parent / "communique"
FIRST, LAST = date(2000, 1, 1), date(2030, 12, 31)


def _rows(dsn: str, view: str, start: date = FIRST, end: date = LAST) -> list[tuple[Any, ...]]:
    day, keys = EXPORTABLE[view]
    with psycopg.connect(dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        query = f"SELECT * FROM {view} WHERE {day} BETWEEN %s AND %s ORDER BY {', '.join((day, *keys))}"
        return conn.execute(query, (start, end)).fetchall()


def test_events_to_parquet_read_back_with_the_same_rows_and_types(demo_dsn: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = export_view(demo_dsn, "v_events", FIRST, LAST, "parquet", out)
    expected = _rows(demo_dsn, "v_events")
    table = pq.read_table(out)
    assert result.rows == table.num_rows == len(expected) > 0
    types = {field.name: field.type for field in table.schema}
    assert types["event_date"] == pa.date32()
    assert types["first_published_at"] == types["article_published_at"] == pa.timestamp("us", tz="UTC")
    assert types["quad_class"] == pa.int16() and types["num_articles"] == pa.int32()
    assert types["goldstein"] == pa.float32() and types["location_lat"] == pa.float64()
    assert types["topics"] == types["article_urls"] == pa.list_(pa.string())
    assert types["participants"] == pa.string() and types["source_country"] == pa.string()
    assert table.schema.field("num_articles").metadata[b"description"].startswith(b"Articles that report")
    assert table.schema.metadata[b"communique.view"] == b"v_events"

    back = table.to_pylist()
    names = [f.name for f in table.schema]
    for row, want in zip(back, expected, strict=True):
        for name, value in zip(names, want, strict=True):
            if name == "participants":
                assert json.loads(row[name]) == value
            elif isinstance(value, float):
                assert math.isclose(row[name], value, rel_tol=1e-6)
            else:
                assert row[name] == value, name


@pytest.mark.parametrize("view", list(EXPORTABLE))
@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_every_view_exports_its_rows_in_every_format(demo_dsn: str, tmp_path: Path, view: str, fmt: str) -> None:
    out = tmp_path / f"{view}.{fmt}"
    result = export_view(demo_dsn, view, FIRST, LAST, fmt, out)
    expected = _rows(demo_dsn, view)
    names = [c.name for c in result.columns]
    assert result.rows == len(expected) > 0
    if fmt == "csv":
        with out.open(encoding="utf-8", newline="") as f:
            lines = list(csv.reader(f))
        assert lines[0] == names and len(lines) == len(expected) + 1
    elif fmt == "jsonl":
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(records) == len(expected) and list(records[0]) == names
        assert records[0][EXPORTABLE[view][0]] == expected[0][names.index(EXPORTABLE[view][0])].isoformat()
    else:
        assert pq.read_table(out).column_names == names and pq.read_metadata(out).num_rows == len(expected)


def test_csv_cells_read_back_as_the_values(demo_dsn: str) -> None:
    """ISO 8601 dates and UTC times, JSON arrays, true/false, empty for NULL: what BI tools parse."""
    buffer = io.BytesIO()
    export_view(demo_dsn, "v_event_article", FIRST, LAST, "csv", buffer)
    header, *lines = list(csv.reader(io.StringIO(buffer.getvalue().decode())))
    for line, want in zip(lines, _rows(demo_dsn, "v_event_article"), strict=True):
        cell = dict(zip(header, line, strict=True))
        assert date.fromisoformat(cell["event_date"]) == want[header.index("event_date")]
        published = want[header.index("published_at")]
        assert (datetime.fromisoformat(cell["published_at"]) if cell["published_at"] else None) == published
        assert cell["extracted"] == str(want[header.index("extracted")]).lower()
    events = io.BytesIO()
    export_view(demo_dsn, "v_events", FIRST, LAST, "csv", events)
    header, *lines = list(csv.reader(io.StringIO(events.getvalue().decode())))
    for line, want in zip(lines, _rows(demo_dsn, "v_events"), strict=True):
        assert json.loads(line[header.index("article_urls")]) == want[header.index("article_urls")]
        assert json.loads(line[header.index("participants")]) == want[header.index("participants")]
        lat = want[header.index("location_lat")]
        assert line[header.index("location_lat")] == ("" if lat is None else line[header.index("location_lat")])
        assert lat is None or math.isclose(float(line[header.index("location_lat")]), lat)


def test_a_range_selects_its_days_both_included(demo_dsn: str) -> None:
    days = sorted({row[0] for row in _rows(demo_dsn, "v_dyad_daily")})
    first, last = days[1], days[-2]
    buffer = io.BytesIO()
    result = export_view(demo_dsn, "v_dyad_daily", first, last, "csv", buffer)
    exported = {line[0] for line in list(csv.reader(io.StringIO(buffer.getvalue().decode())))[1:]}
    assert exported == {d.isoformat() for d in days[1:-1]}
    assert result.rows == len(_rows(demo_dsn, "v_dyad_daily", first, last))


def test_rows_stream_in_batches_one_row_group_each(demo_dsn: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    result = export_view(demo_dsn, "v_events", FIRST, LAST, "parquet", out, batch_rows=5)
    metadata = pq.read_metadata(out)
    assert metadata.num_row_groups == math.ceil(result.rows / 5) and metadata.num_rows == result.rows


def test_an_empty_range_writes_the_header_and_the_schema(demo_dsn: str, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    assert export_view(demo_dsn, "v_meetings", date(1990, 1, 1), date(1990, 1, 2), "csv", buffer).rows == 0
    assert buffer.getvalue().decode().startswith("event_id,event_date,")
    out = tmp_path / "none.parquet"
    export_view(demo_dsn, "v_events", date(1990, 1, 1), date(1990, 1, 2), "parquet", out)
    assert pq.read_table(out).num_rows == 0 and pq.read_schema(out).field("event_date").type == pa.date32()


def test_a_failed_export_leaves_no_file(demo_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(cursor: Any, size: int) -> Iterator[list[tuple[Any, ...]]]:
        yield cursor.fetchmany(size)
        raise psycopg.OperationalError("the server went away")

    monkeypatch.setattr(export, "_batches", broken)
    out = tmp_path / "events.parquet"
    with pytest.raises(ReportError, match="cannot export v_events: the server went away"):
        export_view(demo_dsn, "v_events", FIRST, LAST, "parquet", out, batch_rows=3)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("view", "fmt", "message"),
    [
        ("raw_article", "csv", "cannot export 'raw_article'"),
        ("v_events", "xlsx", "unknown format 'xlsx'"),
    ],
)
def test_what_cannot_be_exported_is_refused(demo_dsn: str, view: str, fmt: str, message: str) -> None:
    with pytest.raises(ReportError, match=message):
        export_view(demo_dsn, view, FIRST, LAST, fmt, io.BytesIO())


def _run(args: list[str], dsn: str, tmp_path: Path) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "COMMUNIQUE_WAREHOUSE_URL": dsn, "COMMUNIQUE_HOME": str(tmp_path / "home")}
    return subprocess.run([str(COMMUNIQUE), *args], capture_output=True, env=env, check=False, timeout=300)


def test_the_export_command(demo_dsn: str, tmp_path: Path) -> None:
    out = tmp_path / "events.parquet"
    span = ["--start", str(FIRST), "--end", str(LAST)]
    done = _run(["export", *span, "--out", str(out)], demo_dsn, tmp_path)  # the format from the suffix
    rows = len(_rows(demo_dsn, "v_events"))
    assert done.returncode == 0, done.stderr
    assert f"{rows} rows of v_events".encode() in done.stderr and pq.read_metadata(out).num_rows == rows

    to_stdout = _run(["export", *span, "--view", "v_meetings", "--format", "jsonl"], demo_dsn, tmp_path)
    assert to_stdout.returncode == 0
    assert len(to_stdout.stdout.decode().splitlines()) == len(_rows(demo_dsn, "v_meetings"))

    parquet_to_terminal = _run(["export", *span, "--format", "parquet"], demo_dsn, tmp_path)
    assert parquet_to_terminal.returncode == 1 and b"give an output file" in parquet_to_terminal.stderr
    backwards = _run(["export", "--start", "2019-11-30", "--end", "2019-11-01"], demo_dsn, tmp_path)
    assert backwards.returncode == 1 and b"ends before it starts" in backwards.stderr
    unknown = _run(["export", *span, "--view", "raw_article"], demo_dsn, tmp_path)
    assert unknown.returncode == 2 and b"invalid choice" in unknown.stderr
