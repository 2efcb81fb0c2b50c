"""The PostgreSQL warehouse: where it is, how to connect, and its schema migrations.

Migrations are numbered SQL files applied in order, each in its own transaction, and
recorded with a checksum: an applied migration that changed on disk is an error, never a
silent re-run. An advisory lock makes concurrent ``migrate`` calls (several Airflow
workers starting at once) safe.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from communique.errors import WarehouseError
from communique.settings import MIGRATIONS_DIR, Settings

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_MIGRATE_LOCK = 0x636F6D6D  # "comm": advisory lock key for migrations
_SCHEMA_MIGRATION_COMMENTS = (
    ("TABLE schema_migration", "One row per applied schema migration (communique warehouse migrate)."),
    ("COLUMN schema_migration.version", "Number of the migration file (0001_...)."),
    ("COLUMN schema_migration.name", "Name part of the migration file."),
    ("COLUMN schema_migration.checksum", "sha256 of the file when applied; a changed file is refused."),
    ("COLUMN schema_migration.applied_at", "When the migration was applied."),
)


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def checksum(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def resolve_url(settings: Settings) -> str:
    """The warehouse URL in use: the configured one, else the embedded server (started if needed)."""
    if settings.warehouse_url:
        return settings.warehouse_url
    from communique import embedded

    return embedded.ensure_database(settings.pgdata, settings.warehouse_db)


@contextmanager
def connect(dsn: str, *, autocommit: bool = False) -> Iterator[psycopg.Connection[Any]]:
    """A psycopg connection that commits on success and rolls back on error."""
    import psycopg

    try:
        conn = psycopg.connect(dsn, autocommit=autocommit, application_name="communique", options="-c TimeZone=UTC")
    except psycopg.OperationalError as exc:
        raise WarehouseError(f"cannot connect to the warehouse: {exc}".strip()) from exc
    with conn:
        yield conn


def list_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """The migration files in version order; a malformed name or a duplicate version is an error."""
    migrations: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        match = _MIGRATION_NAME.match(path.name)
        if not match:
            raise WarehouseError(f"migration file name must look like 0001_name.sql: {path.name}")
        version = int(match.group(1))
        if version in migrations:
            raise WarehouseError(f"two migrations with version {version}: {path.name}")
        migrations[version] = Migration(version, match.group(2), path)
    return [migrations[v] for v in sorted(migrations)]


def _applied(conn: psycopg.Connection[Any]) -> dict[int, str]:
    conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_migration (
               version    integer PRIMARY KEY,
               name       text NOT NULL,
               checksum   text NOT NULL,
               applied_at timestamptz NOT NULL DEFAULT now())"""
    )
    for target, text in _SCHEMA_MIGRATION_COMMENTS:
        conn.execute(f"COMMENT ON {target} IS '{text}'")
    rows = conn.execute("SELECT version, checksum FROM schema_migration").fetchall()
    return {int(str(version)): str(checksum) for version, checksum in rows}


def migrate(dsn: str, migrations: Iterable[Migration] | None = None) -> list[Migration]:
    """Apply the pending migrations; return the ones applied (empty when up to date)."""
    todo = list_migrations() if migrations is None else list(migrations)
    applied_now: list[Migration] = []
    with connect(dsn) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        applied = _applied(conn)
        for migration in todo:
            known = applied.get(migration.version)
            if known is not None:
                if known != migration.checksum:
                    raise WarehouseError(
                        f"migration {migration.path.name} changed after it was applied; "
                        "migrations are forward-only: add a new one instead"
                    )
                continue
            LOGGER.info("applying migration %s", migration.path.name)
            with conn.transaction():
                conn.execute(migration.sql.encode())
                conn.execute(
                    "INSERT INTO schema_migration (version, name, checksum) VALUES (%s, %s, %s)",
                    (migration.version, migration.name, migration.checksum),
                )
            applied_now.append(migration)
    return applied_now


def pending_migrations(dsn: str) -> list[Migration]:
    """Migrations on disk that the warehouse has not applied yet."""
    with connect(dsn) as conn:
        applied = _applied(conn)
    return [m for m in list_migrations() if m.version not in applied]


def ensure_partitions(conn: psycopg.Connection[Any], days: Iterable[date]) -> list[str]:
    """Create the monthly fact partitions that hold ``days`` (idempotent); return their names."""
    months = sorted({d.replace(day=1) for d in days})
    names = [f"fct_diplomatic_event_{m:%Y_%m}" for m in months]
    existing = {
        str(r[0])
        for r in conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'fct_diplomatic_event'::regclass"
        )
    }
    for month, name in zip(months, names, strict=True):
        if name not in existing:
            conn.execute("SELECT communique_ensure_event_partition(%s)", (month,))
    return names
