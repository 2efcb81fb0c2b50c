"""Export column types: PostgreSQL's types as the Arrow types BI tools read, and values as CSV/JSON text."""

from __future__ import annotations

import pyarrow as pa
import pytest

from communique.reports.columns import Column, arrow_schema, csv_expression


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


@pytest.mark.parametrize(
    ("column", "read"),
    [
        (Column("participants", "jsonb"), 'r."participants"::text AS "participants"'),
        (Column("goldstein_mean", "numeric"), 'r."goldstein_mean"::float8 AS "goldstein_mean"'),
        (Column("goldstein_sum", "numeric", precision=12, scale=1), 'r."goldstein_sum" AS "goldstein_sum"'),
        (Column("words", "tsvector"), 'r."words"::text AS "words"'),
        (Column("ids", "uuid", is_array=True), 'r."ids"::text[] AS "ids"'),
        (Column("topics", "text", is_array=True), 'r."topics" AS "topics"'),
        (Column("event_date", "date"), 'r."event_date" AS "event_date"'),
    ],
    ids=lambda v: v.name if isinstance(v, Column) else "",
)
def test_the_server_casts_what_arrow_cannot_take_as_it_is(column: Column, read: str) -> None:
    assert column.arrow_expression().as_string() == read


def test_the_schema_carries_descriptions_and_the_export_range() -> None:
    schema = arrow_schema([Column("event_date", "date", description="When it happened.")], {"communique.view": "v"})
    assert schema.field("event_date").metadata == {b"description": b"When it happened."}
    assert schema.metadata == {b"communique.view": b"v"}


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        (Column("source_name", "text"), 'r."source_name" AS "source_name"'),
        (Column("source_country", "bpchar"), 'r."source_country" AS "source_country"'),
        (Column("topics", "text", is_array=True), 'to_json(r."topics")::text AS "topics"'),
        (Column("participants", "jsonb"), 'to_json(r."participants")::text AS "participants"'),
        (Column("event_date", "date"), 'to_json(r."event_date") #>> \'{}\' AS "event_date"'),
        (Column("extracted", "bool"), 'to_json(r."extracted") #>> \'{}\' AS "extracted"'),
    ],
    ids=lambda v: v.name if isinstance(v, Column) else "",
)
def test_csv_cells_are_formatted_by_the_server(column: Column, cell: str) -> None:
    assert csv_expression(column).as_string() == cell
