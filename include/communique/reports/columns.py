"""Column types of an export: PostgreSQL's, as Arrow/Parquet types and as CSV or JSON text.

A BI tool reads the Parquet types as they are (dates, UTC timestamps, integers of the
column's width, floats, lists for arrays). CSV and JSON Lines carry the same values as text
in the forms tools parse without help: ISO 8601 dates and times, JSON for arrays and for
``jsonb``, ``true``/``false``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    import pyarrow as pa

#: PostgreSQL types whose values psycopg returns as Arrow takes them (others are written as text).
_NATIVE = {"bool", "int2", "int4", "int8", "float4", "float8", "date", "timestamptz", "timestamp", "text",
           "varchar", "bpchar", "name", "bytea"}  # fmt: skip


@cache
def _arrow_types() -> dict[str, pa.DataType]:
    """PostgreSQL type name -> Arrow type (numeric with a declared precision becomes a decimal apart)."""
    import pyarrow as pa

    return {
        "bool": pa.bool_(), "int2": pa.int16(), "int4": pa.int32(), "int8": pa.int64(),
        "float4": pa.float32(), "float8": pa.float64(), "numeric": pa.float64(),
        "date": pa.date32(), "timestamptz": pa.timestamp("us", tz="UTC"), "timestamp": pa.timestamp("us"),
        "bytea": pa.binary(),
    }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a result: its name, PostgreSQL type, and whether it is an array of that type."""

    name: str
    pg_type: str
    is_array: bool = False
    precision: int | None = None
    scale: int | None = None
    description: str | None = None

    @property
    def is_decimal(self) -> bool:
        """A numeric with a declared precision Arrow can hold: written as a decimal, else as a double."""
        return self.pg_type == "numeric" and self.precision is not None and 0 < self.precision <= 38

    def arrow_type(self) -> pa.DataType:
        """The Arrow type of the column (unknown PostgreSQL types are written as text)."""
        import pyarrow as pa

        if self.is_decimal:
            assert self.precision is not None
            base: pa.DataType = pa.decimal128(self.precision, self.scale or 0)
        else:
            base = _arrow_types().get(self.pg_type, pa.string())
        return pa.list_(base) if self.is_array else base

    def arrow_value(self) -> Callable[[Any], Any]:
        """How a value psycopg returns becomes one Arrow takes for :meth:`arrow_type`."""
        one = _arrow_scalar(self)
        if self.is_array:
            return lambda v: None if v is None else [one(x) for x in v]
        return one


def _arrow_scalar(column: Column) -> Callable[[Any], Any]:
    if column.pg_type in {"json", "jsonb"}:
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False, sort_keys=True)
    if column.pg_type == "numeric":
        return (lambda v: v) if column.is_decimal else (lambda v: None if v is None else float(v))
    if column.pg_type not in _NATIVE:
        return lambda v: None if v is None else str(v)
    return lambda v: v


def arrow_schema(columns: list[Column], metadata: dict[str, str] | None = None) -> pa.Schema:
    """The Parquet schema of an export, with each column's comment as its description."""
    import pyarrow as pa

    fields = [
        pa.field(c.name, c.arrow_type(), metadata={"description": c.description} if c.description else None)
        for c in columns
    ]
    return pa.schema(fields, metadata=metadata)


def text_value(value: Any) -> Any:
    """A value for JSON: ISO 8601 dates and times, floats for decimals, lists and objects as they are."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [text_value(v) for v in value]
    return value


def csv_value(value: Any) -> str:
    """A CSV cell: empty for NULL, JSON for arrays and objects, ``true``/``false``, ISO 8601 times."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple | dict):
        return json.dumps(text_value(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def describe(cursor: psycopg.Cursor[Any], comments: dict[str, str]) -> list[Column]:
    """The columns of an executed query, typed from the server's description."""
    types = cursor.connection.adapters.types
    columns = []
    for d in cursor.description or []:
        info = types.get(d.type_code)
        name = info.name if info else "text"
        is_array = info is not None and info.array_oid == d.type_code != info.oid
        columns.append(Column(d.name, name, is_array, d.precision, d.scale, comments.get(d.name)))
    return columns
