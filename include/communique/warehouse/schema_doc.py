"""Document the warehouse from the warehouse itself: a mermaid diagram of the migrated schema.

``docs/warehouse.md`` embeds the diagram between markers; a test regenerates it from a
freshly migrated database and fails when the document is stale.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from communique.warehouse import database

BEGIN = "<!-- BEGIN GENERATED SCHEMA (communique warehouse diagram) -->"
END = "<!-- END GENERATED SCHEMA -->"

#: Joins analysts use that are not foreign keys (partitioned facts, views), drawn dotted.
LOGICAL_LINKS = (
    ("fct_event_mention", "article", "article_id"),
    ("fct_diplomatic_event", "article", "article_id"),
    ("fct_diplomatic_event", "article", "article_ids"),
    ("fct_event_mention", "fct_diplomatic_event", "fact_id = event_id"),
    ("fct_diplomatic_event", "dim_country", "source_country, target_country"),
    ("fct_diplomatic_event", "dim_actor", "source_actor_id, target_actor_id"),
    ("article", "dim_outlet", "outlet"),
    ("agg_dyad_daily", "fct_diplomatic_event", "summarises"),
)


def _tables(conn: Any) -> list[tuple[str, str]]:
    rows = conn.execute(
        """SELECT c.relname, obj_description(c.oid, 'pg_class')
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
            WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition ORDER BY c.relname"""
    ).fetchall()
    return [(str(name), str(comment or "")) for name, comment in rows]


def _columns(conn: Any, table: str) -> list[tuple[str, str, bool]]:
    rows = conn.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod),
                  EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary
                                                     AND a.attnum = ANY(i.indkey))
             FROM pg_attribute a
            WHERE a.attrelid = %s::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum""",
        (table,),
    ).fetchall()
    return [(str(name), str(kind), bool(pk)) for name, kind, pk in rows]


def _foreign_keys(conn: Any) -> list[tuple[str, str, str]]:
    rows = conn.execute(
        """SELECT DISTINCT c.conrelid::regclass::text, c.confrelid::regclass::text,
                  (SELECT string_agg(attname, ', ') FROM pg_attribute
                    WHERE attrelid = c.conrelid AND attnum = ANY(c.conkey))
             FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
            WHERE c.contype = 'f' AND NOT t.relispartition ORDER BY 1, 2"""
    ).fetchall()
    return [(str(a), str(b), str(cols)) for a, b, cols in rows]


def _type(kind: str) -> str:
    kind = kind.split("(", maxsplit=1)[0].replace("timestamp with time zone", "timestamptz").replace("[]", "_array")
    return re.sub(r"[^a-z0-9_]", "_", kind)


def mermaid_diagram(dsn: str) -> str:
    """A mermaid ``erDiagram`` of every table: columns, primary keys, foreign keys and logical joins."""
    lines = ["erDiagram"]
    with database.connect(dsn) as conn:
        tables = _tables(conn)
        for table, _comment in tables:
            lines.append(f"    {table} {{")
            for name, kind, pk in _columns(conn, table):
                lines.append(f"        {_type(kind)} {name}{' PK' if pk else ''}")
            lines.append("    }")
        for child, parent, cols in _foreign_keys(conn):
            lines.append(f'    {parent} ||--o{{ {child} : "{cols}"')
    names = {t for t, _ in tables}
    for child, parent, label in LOGICAL_LINKS:
        if child in names and parent in names:
            lines.append(f'    {parent} ||..o{{ {child} : "{label}"')
    return "\n".join(lines) + "\n"


def table_grains(dsn: str) -> list[tuple[str, str]]:
    """(table, comment) for every table: each comment starts with the table's grain."""
    with database.connect(dsn) as conn:
        return _tables(conn)


def render_section(dsn: str) -> str:
    """The generated part of docs/warehouse.md: the diagram and the grain of every table."""
    grains = "\n".join(f"| `{name}` | {comment} |" for name, comment in table_grains(dsn))
    return (
        f"{BEGIN}\n```mermaid\n{mermaid_diagram(dsn)}```\n\n| table | grain and purpose |\n|---|---|\n{grains}\n{END}"
    )


def update_document(path: Path, dsn: str) -> bool:
    """Rewrite the generated section of ``path``; return whether it changed."""
    text = path.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    updated = text[:start] + render_section(dsn) + text[end:]
    if updated != text:
        path.write_text(updated, encoding="utf-8")
    return updated != text
