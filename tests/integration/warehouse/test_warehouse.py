"""Schema migrations and the analyst role, against a real PostgreSQL."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import pytest

from communique.errors import WarehouseError
from communique.warehouse import database


def test_migrate_applies_everything_once(empty_dsn: str) -> None:
    applied = database.migrate(empty_dsn)
    assert [m.version for m in applied] == [m.version for m in database.list_migrations()]
    assert database.migrate(empty_dsn) == []
    assert database.pending_migrations(empty_dsn) == []


def test_a_changed_migration_is_refused(empty_dsn: str, tmp_path: Path) -> None:
    for migration in database.list_migrations():
        shutil.copy(migration.path, tmp_path / migration.path.name)
    database.migrate(empty_dsn, database.list_migrations(tmp_path))
    first = sorted(tmp_path.glob("*.sql"))[0]
    first.write_text(first.read_text() + "\n-- edited after the fact\n")
    with pytest.raises(WarehouseError, match="forward-only"):
        database.migrate(empty_dsn, database.list_migrations(tmp_path))


def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "1_init.sql").write_text("SELECT 1;")
    with pytest.raises(WarehouseError, match=r"0001_name\.sql"):
        database.list_migrations(tmp_path)


def test_every_table_view_and_column_is_documented(warehouse_dsn: str) -> None:
    with database.connect(warehouse_dsn) as conn:
        database.ensure_partitions(conn, [date(2025, 1, 15)])
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
    with database.connect(warehouse_dsn) as conn:
        names = database.ensure_partitions(conn, [date(2025, 1, 31), date(2025, 1, 1), date(2025, 2, 1)])
        again = database.ensure_partitions(conn, [date(2025, 1, 2)])
        kind = conn.execute("SELECT relkind FROM pg_class WHERE relname = 'fct_diplomatic_event'").fetchone()
    assert names == ["fct_diplomatic_event_2025_01", "fct_diplomatic_event_2025_02"]
    assert again == ["fct_diplomatic_event_2025_01"]
    assert kind == ("p",)


READABLE = ["fct_diplomatic_event", "fct_event_mention", "dim_country", "v_events", "v_event_article"]
HIDDEN = ["raw_article", "article", "stg_event", "stg_batch", "stg_feed_entry", "feed", "feed_health", "fetch_failure",
          "story_cluster", "ops_pipeline_run", "schema_migration"]  # fmt: skip


@pytest.mark.parametrize("table", READABLE)
def test_analyst_reads_facts_dimensions_and_views(warehouse_dsn: str, table: str) -> None:
    with database.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute(f"SELECT * FROM {table} LIMIT 1").fetchall()


@pytest.mark.parametrize("table", HIDDEN)
def test_analyst_reads_nothing_else(warehouse_dsn: str, table: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), database.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute(f"SELECT * FROM {table} LIMIT 1")


def test_analyst_cannot_write(warehouse_dsn: str) -> None:
    with pytest.raises(psycopg.errors.InsufficientPrivilege), database.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        conn.execute("DELETE FROM fct_diplomatic_event")


def test_the_embedded_server_is_tuned(pg_admin_dsn: str) -> None:
    import os

    from communique.warehouse.embedded import TUNING

    if os.environ.get("COMMUNIQUE_TEST_DSN"):
        pytest.skip("COMMUNIQUE_TEST_DSN points at a server we do not manage")
    with psycopg.connect(pg_admin_dsn) as conn:
        settings = dict(conn.execute("SELECT name, current_setting(name) FROM pg_settings").fetchall())
    assert {name: settings[name] for name in TUNING} == TUNING


def _copy_rows(source: psycopg.Connection[Any], target: psycopg.Connection[Any], table: str, columns: str) -> None:
    with (
        source.cursor().copy(f"COPY (SELECT {columns} FROM {table}) TO STDOUT (FORMAT BINARY)") as out,
        target.cursor().copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as into,
    ):
        for block in out:
            into.write(block)


def test_upgrading_a_loaded_warehouse_keeps_its_facts(warehouse_dsn: str, empty_dsn: str) -> None:
    """Migration 0009 re-keys facts and mentions and fills their new lists exactly as the loader does."""
    from tests.support.warehouse_data import build_sample, land_sample, load_events

    build_sample(warehouse_dsn)  # loaded with every migration: what 0009 must reproduce
    before_0009 = [m for m in database.list_migrations() if m.version < 9]
    database.migrate(empty_dsn, before_0009)
    sample = land_sample(empty_dsn)
    new_lists = {"story_ids", "article_ids", "outlets"}
    with database.connect(warehouse_dsn) as new, database.connect(empty_dsn) as old:
        fact_columns = [c for c in _columns(new, "fct_diplomatic_event") if c not in new_lists]
        days = new.execute("SELECT DISTINCT event_date FROM fct_event_mention").fetchall()
        database.ensure_partitions(old, [day for (day,) in days])
        _copy_rows(new, old, "fct_diplomatic_event", ", ".join(fact_columns))
        _copy_rows(new, old, "fct_event_mention", ", ".join(_columns(new, "fct_event_mention")))
        old.execute("SET CONSTRAINTS ALL DEFERRED")
        # The ids of 0007: a hash of the whole key, place included.
        old.execute(
            """UPDATE fct_event_mention AS m
                  SET fact_id = communique_fact_id(f.event_type, f.source_cameo, f.target_cameo, f.event_date,
                                                   f.location_country)
                 FROM fct_diplomatic_event AS f WHERE f.event_id = m.fact_id"""
        )
        changed = old.execute(
            """UPDATE fct_diplomatic_event
                  SET event_id = communique_fact_id(event_type, source_cameo, target_cameo, event_date,
                                                    location_country)"""
        ).rowcount
        assert changed > 0
        assert not set(_ids(old)) & set(_ids(new))
    database.migrate(empty_dsn)
    for query in ("SELECT * FROM fct_diplomatic_event ORDER BY event_id",
                  "SELECT * FROM fct_event_mention ORDER BY article_id, event_id",
                  "SELECT * FROM v_event_article ORDER BY event_id, article_id",
                  "SELECT * FROM v_events ORDER BY event_id"):  # fmt: skip
        with database.connect(warehouse_dsn) as new, database.connect(empty_dsn) as old:
            assert old.execute(query).fetchall() == new.execute(query).fetchall(), query
    # The upgraded warehouse is one the loader keeps: re-running every interval changes nothing.
    for interval, extracted in sample.items():
        counts = load_events(empty_dsn, interval, extracted)
        assert (counts["facts_upserted"], counts["facts_deleted"]) == (0, 0)


def _columns(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", (table,)
    )
    return [r[0] for r in rows]


def _ids(conn: psycopg.Connection[Any]) -> list[str]:
    return [r[0] for r in conn.execute("SELECT event_id FROM fct_diplomatic_event")]
