"""Schema migrations and the analyst role, against a real PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import psycopg
import pytest

from communique import warehouse
from communique.errors import WarehouseError


def test_migrate_applies_everything_once(empty_dsn: str) -> None:
    applied = warehouse.migrate(empty_dsn)
    assert [m.version for m in applied] == [m.version for m in warehouse.list_migrations()]
    assert warehouse.migrate(empty_dsn) == []
    assert warehouse.pending_migrations(empty_dsn) == []


def test_a_changed_migration_is_refused(empty_dsn: str, tmp_path: Path) -> None:
    for migration in warehouse.list_migrations():
        shutil.copy(migration.path, tmp_path / migration.path.name)
    warehouse.migrate(empty_dsn, warehouse.list_migrations(tmp_path))
    first = sorted(tmp_path.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited after the fact\n")
    with pytest.raises(WarehouseError, match="forward-only"):
        warehouse.migrate(empty_dsn, warehouse.list_migrations(tmp_path))


def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_init.sql").write_text("SELECT 1;")
    with pytest.raises(WarehouseError, match=r"0001_name\.sql"):
        warehouse.list_migrations(tmp_path)


def test_every_table_view_and_column_is_documented(warehouse_dsn: str) -> None:
    with warehouse.connect(warehouse_dsn) as conn:
        warehouse.ensure_partitions(conn, [date(2025, 1, 15)])
        missing = conn.execute(
            """SELECT c.relname, a.attname
                 FROM pg_class c
                 JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
                 LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
                WHERE c.relkind IN ('r', 'p', 'v', 'm')
                  AND NOT c.relispartition
                  AND (obj_description(c.oid, 'pg_class') IS NULL
                       OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))
                ORDER BY 1, 2"""
        ).fetchall()
    assert missing == []


def test_facts_are_partitioned_by_month(warehouse_dsn: str) -> None:
    with warehouse.connect(warehouse_dsn) as conn:
        names = warehouse.ensure_partitions(conn, [date(2025, 1, 31), date(2025, 1, 1), date(2025, 2, 1)])
        again = warehouse.ensure_partitions(conn, [date(2025, 1, 2)])
        kind = conn.execute("SELECT relkind FROM pg_class WHERE relname = 'fct_diplomatic_event'").fetchone()
    assert names == ["fct_diplomatic_event_2025_01", "fct_diplomatic_event_2025_02"]
    assert again == ["fct_diplomatic_event_2025_01"]
    assert kind == ("p",)


READABLE = ["fct_diplomatic_event", "fct_event_mention", "dim_country", "v_events", "v_event_article"]
HIDDEN = ["raw_article", "article", "stg_event", "stg_feed_entry", "feed", "feed_health", "fetch_failure",
          "story_cluster", "ops_pipeline_run", "schema_migration"]  # fmt: skip


@pytest.mark.parametrize("table", READABLE)
def test_analyst_reads_facts_dimensions_and_views(warehouse_dsn: str, table: str) -> None:
    with warehouse.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()


@pytest.mark.parametrize("table", HIDDEN)
def test_analyst_reads_nothing_else(warehouse_dsn: str, table: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), warehouse.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute(f"SELECT * FROM {table} LIMIT 1")


def test_analyst_cannot_write(warehouse_dsn: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), warehouse.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute("DELETE FROM fct_diplomatic_event")


def test_the_embedded_server_is_tuned(pg_admin_dsn: str) -> None:
    import os

    from communique.embedded import TUNING

    if os.environ.get("COMMUNIQUE_TEST_DSN"):
        pytest.skip("COMMUNIQUE_TEST_DSN points at a server we do not manage")
    with psycopg.connect(pg_admin_dsn) as conn:
        settings = dict(conn.execute("SELECT name, current_setting(name) FROM pg_settings").fetchall())
    assert {name: settings[name] for name in TUNING} == TUNING
