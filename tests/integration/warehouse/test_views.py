"""Analyst views live as files (sql/views) and are re-created after migrations, never re-declared in them."""

from __future__ import annotations

import re

import psycopg

from communique.settings import MIGRATIONS_DIR
from communique.warehouse import database

VIEW_FILES = database.view_files()


def _views(dsn: str) -> dict[str, str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT viewname, obj_description(format('%I', viewname)::regclass) FROM pg_views "
            "WHERE schemaname = 'public'"
        ).fetchall()
    return {str(name): str(comment) for name, comment in rows}


def test_every_view_file_declares_one_documented_view_that_exists(warehouse_dsn: str) -> None:
    declared = [name for path in VIEW_FILES for name in re.findall(r"^CREATE VIEW (\w+)", path.read_text(), re.M)]
    assert declared == [
        "v_person_title",
        "v_event_article",
        "v_events",
        "v_dyad_daily",
        "v_meetings",
        "v_country_activity",
    ]
    views = _views(warehouse_dsn)
    assert set(declared) <= set(views)
    assert all(views[name] and views[name] != "None" for name in declared)


def test_no_later_migration_declares_a_view() -> None:
    for migration in database.list_migrations(MIGRATIONS_DIR):
        if migration.version >= database.VIEWS_MANAGED_FROM:
            assert not re.search(r"CREATE\s+(OR\s+REPLACE\s+)?VIEW", migration.sql, re.I), migration.path.name


def test_a_stale_or_damaged_view_set_is_recreated_by_migrate(warehouse_dsn: str) -> None:
    with psycopg.connect(warehouse_dsn) as conn:
        conn.execute("DROP VIEW v_country_activity")
        conn.execute("UPDATE schema_views SET checksum = 'an older set of view files'")
    assert database.migrate(warehouse_dsn) == []  # no migration was pending
    assert "v_country_activity" in _views(warehouse_dsn)
    with psycopg.connect(warehouse_dsn) as conn:
        (checksum,) = conn.execute("SELECT checksum FROM schema_views").fetchone() or ("",)
        granted = conn.execute(
            "SELECT count(*) FROM information_schema.role_table_grants "
            "WHERE grantee = 'communique_analyst' AND table_name = 'v_country_activity'"
        ).fetchone()
    assert checksum == database._checksum_of(VIEW_FILES)
    assert granted == (1,)


def test_an_up_to_date_warehouse_is_not_touched(warehouse_dsn: str) -> None:
    with psycopg.connect(warehouse_dsn) as conn:
        before = conn.execute("SELECT applied_at FROM schema_views").fetchone()
    database.migrate(warehouse_dsn)
    with psycopg.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT applied_at FROM schema_views").fetchone() == before
