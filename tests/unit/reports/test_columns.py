"""Export column types: PostgreSQL's types as the Arrow types BI tools read, and values as CSV/JSON text."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pyarrow as pa
import pytest

from communique.reports.columns import Column, arrow_schema, csv_value, text_value


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        (Column("event_date", "date"), pa.date32()),
        (Column("first_published_at", "timestamptz"), pa.timestamp("us", tz="UTC")),
        (Column("quad_class", "int2"), pa.int16()),
        (Column("num_articles", "int4"), pa.int32()),
        (Column("count", "int8"), pa.int64()),
        (Column("goldstein", "float4"), pa.float32()),
        (Column("location_lat", "float8"), pa.float64()),
        (Column("goldstein_sum", "numeric", precision=12, scale=1), pa.decimal128(12, 1)),
        (Column("goldstein_mean", "numeric"), pa.float64()),
        (Column("source_country", "bpchar"), pa.string()),
        (Column("participants", "jsonb"), pa.string()),
        (Column("topics", "text", is_array=True), pa.list_(pa.string())),
        (Column("extracted", "bool"), pa.bool_()),
        (Column("something_new", "tsvector"), pa.string()),
    ],
    ids=lambda v: v.name if isinstance(v, Column) else str(v),
)
def test_postgres_types_become_arrow_types(column: Column, expected: pa.DataType) -> None:
    assert column.arrow_type() == expected


def test_values_convert_to_what_arrow_takes() -> None:
    assert Column("p", "jsonb").arrow_value()([{"name": "Xi"}]) == '[{"name": "Xi"}]'
    assert Column("m", "numeric").arrow_value()(Decimal("1.25")) == 1.25
    assert Column("s", "numeric", precision=12, scale=1).arrow_value()(Decimal("1.5")) == Decimal("1.5")
    assert Column("t", "text", is_array=True).arrow_value()(["a", None]) == ["a", None]
    assert Column("v", "tsvector").arrow_value()(42) == "42"
    assert all(Column("x", t).arrow_value()(None) is None for t in ("jsonb", "numeric", "tsvector", "text"))


def test_the_schema_carries_descriptions_and_the_export_range() -> None:
    schema = arrow_schema([Column("event_date", "date", description="When it happened.")], {"communique.view": "v"})
    assert schema.field("event_date").metadata == {b"description": b"When it happened."}
    assert schema.metadata == {b"communique.view": b"v"}


def test_csv_cells_are_what_tools_parse() -> None:
    moment = datetime(2025, 3, 3, 9, 14, tzinfo=UTC)
    assert [csv_value(v) for v in (None, True, False, date(2025, 3, 3), moment, ["a", "b"], {"k": 1}, 1.5)] == [
        "", "true", "false", "2025-03-03", "2025-03-03T09:14:00+00:00", '["a", "b"]', '{"k": 1}', "1.5",
    ]  # fmt: skip


def test_json_values_are_iso_dates_and_plain_numbers() -> None:
    assert text_value([date(2025, 3, 3), Decimal("2.5")]) == ["2025-03-03", 2.5]
