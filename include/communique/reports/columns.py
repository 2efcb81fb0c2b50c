"""Column types of an export: PostgreSQL's, as Arrow/Parquet types and as CSV cells.

A BI tool reads the Parquet types as they are (dates, UTC timestamps, integers of the
column's width, floats, lists for arrays). CSV carries the same values as text in the forms
tools parse without help: ISO 8601 dates and times, JSON for arrays and for ``jsonb``,
``true``/``false``; the server formats them (``to_json``), as it does JSON Lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg
    import pyarrow as pa
    from psycopg import sql

#: PostgreSQL types whose values psycopg returns as Arrow takes them (others are read as text).
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

    def arrow_expression(self) -> sql.Composable:
        """The SQL that reads ``column`` (of the row alias ``r``) as a value Arrow takes for :meth:`arrow_type`.

        The server casts what Python would otherwise convert value by value: ``jsonb`` to its text,
        a numeric of no declared precision to a double, a type Arrow has no match for to text.
        """
        from psycopg import sql

        ref = sql.SQL("r.{}").format(sql.Identifier(self.name))
        suffix = "[]" if self.is_array else ""
        if self.pg_type == "numeric" and not self.is_decimal:
            cast: sql.Composable = sql.SQL("{}::float8" + suffix).format(ref)
        elif self.pg_type not in _NATIVE and not self.is_decimal:
            cast = sql.SQL("{}::text" + suffix).format(ref)
        else:
            cast = ref
        return sql.SQL("{} AS {}").format(cast, sql.Identifier(self.name))


def arrow_schema(columns: list[Column], metadata: dict[str, str] | None = None) -> pa.Schema:
    """The Parquet schema of an export, with each column's comment as its description."""
    import pyarrow as pa

    fields = [
        pa.field(c.name, c.arrow_type(), metadata={"description": c.description} if c.description else None)
        for c in columns
    ]
    return pa.schema(fields, metadata=metadata)


#: Text types go into CSV as they are; everything else as its JSON form (``to_json``), which gives ISO 8601
#: dates and times (``2019-11-20T07:29:39+00:00`` in the session's UTC), ``true``/``false``, plain numbers,
#: and JSON for arrays and ``jsonb``.
_TEXT = {"text", "varchar", "bpchar", "name"}


def csv_expression(column: Column) -> sql.Composable:
    """The SQL that formats ``column`` (of the row alias ``r``) as a CSV cell; NULL stays an empty cell."""
    from psycopg import sql

    ref = sql.SQL("r.{}").format(sql.Identifier(column.name))
    if column.pg_type in _TEXT and not column.is_array:
        cell: sql.Composable = ref
    elif column.is_array or column.pg_type in {"json", "jsonb"}:
        cell = sql.SQL("to_json({})::text").format(ref)
    else:
        cell = sql.SQL("to_json({}) #>> '{{}}'").format(ref)
    return sql.SQL("{} AS {}").format(cell, sql.Identifier(column.name))


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
