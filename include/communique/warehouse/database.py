"""The PostgreSQL warehouse: where it is, how to connect, its schema migrations and its analyst views.

Migrations are numbered SQL files applied in order and recorded with a checksum: an applied
migration that changed on disk is an error, never a silent re-run. The analyst views are not
migrations: they live as files (``sql/views/*.sql``, one view each, applied in name order) and
are dropped and created again whenever the schema or a view file changed, so a view is always
declared once, where a reader looks for it. Pending migrations and the views are applied in one
transaction; an advisory lock makes concurrent ``migrate`` calls (several Airflow workers
starting at once) safe.
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
from communique.settings import MIGRATIONS_DIR, VIEWS_DIR, Settings

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
_MIGRATE_LOCK = 0x636F6D6D  # "comm": advisory lock key for migrations
#: Migrations 0001-0009 declared views themselves; later ones leave them to ``sql/views`` and may
#: change what the views read, so the views are dropped before such a migration runs.
VIEWS_MANAGED_FROM = 10
_VIEW_NAME = re.compile(r"^CREATE VIEW (\w+)", re.MULTILINE)
_SCHEMA_MIGRATION_COMMENTS = (
    ("TABLE schema_migration", "One row per applied schema migration (communique warehouse migrate)."),
    ("COLUMN schema_migration.version", "Number of the migration file (0001_...)."),
    ("COLUMN schema_migration.name", "Name part of the migration file."),
    ("COLUMN schema_migration.checksum", "sha256 of the file when applied; a changed file is refused."),
    ("COLUMN schema_migration.applied_at", "When the migration was applied."),
)
_SCHEMA_VIEWS_COMMENTS = (
    ("TABLE schema_views", "One row: the checksum of the analyst view files (sql/views) last applied."),
    ("COLUMN schema_views.id", "Always true: the table holds one row."),
    ("COLUMN schema_views.checksum", "sha256 over the view files; a change re-creates every view."),
    ("COLUMN schema_views.applied_at", "When the views were last created."),
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
    from communique.warehouse import embedded

    return embedded.ensure_database(settings.pgdata, settings.warehouse_db)


#: A password in a libpq URL (``scheme://user:PASSWORD@``) or key/value string (``password=PASSWORD``).
_URL_PASSWORD = re.compile(r"(://[^:/?#@\s]*:)[^@\s]*@")
_KV_PASSWORD = re.compile(r"(\bpassword\s*=\s*)('(?:[^'\\]|\\.)*'|[^\s&]+)", re.IGNORECASE)


def redact(text: str) -> str:
    """``text`` with every connection password replaced by ``***``: safe to print or log."""
    if "password" not in text.lower() and "@" not in text:
        return text
    return _KV_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", text))


class RedactingFilter(logging.Filter):
    """A logging filter that removes connection passwords from every record it passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True


@contextmanager
def connect(
    dsn: str, *, autocommit: bool = False, application_name: str = "communique"
) -> Iterator[psycopg.Connection[Any]]:
    """A psycopg connection that commits on success and rolls back on error."""
    import psycopg

    try:
        conn = psycopg.connect(dsn, autocommit=autocommit, application_name=application_name, options="-c TimeZone=UTC")
    except psycopg.ProgrammingError:  # libpq quotes the unparsable string, password and all: say less
        raise WarehouseError(
            "the warehouse URL is not a valid libpq connection string (postgresql://user:password@host/db or "
            "host=... dbname=...)"
        ) from None
    except psycopg.Error as exc:
        detail = " ".join(redact(str(exc)).split())  # libpq's message spans lines
        raise WarehouseError(f"cannot connect to the warehouse: {detail}") from None
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
    conn.execute(
        """CREATE TABLE IF NOT EXISTS schema_views (
               id         boolean PRIMARY KEY DEFAULT true CHECK (id),
               checksum   text NOT NULL,
               applied_at timestamptz NOT NULL DEFAULT now())"""
    )
    for target, text in _SCHEMA_VIEWS_COMMENTS:
        conn.execute(f"COMMENT ON {target} IS '{text}'")
    rows = conn.execute("SELECT version, checksum FROM schema_migration").fetchall()
    return {int(str(version)): str(checksum) for version, checksum in rows}


def migrate(dsn: str, migrations: Iterable[Migration] | None = None) -> list[Migration]:
    """Apply the pending migrations, then the views when the schema is complete; return the migrations applied.

    :param migrations: apply only these (tests that stop at an old version); the views are applied
        only once every migration on disk has been.
    """
    todo = list_migrations() if migrations is None else list(migrations)
    with connect(dsn) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATE_LOCK,))
        applied = _applied(conn)
        pending = [m for m in todo if not _is_applied(m, applied)]
        complete = {m.version for m in list_migrations()} <= set(applied) | {m.version for m in pending}
        views = view_files()
        views_due = complete and (pending or _views_checksum(conn) != _checksum_of(views))
        if pending and any(m.version >= VIEWS_MANAGED_FROM for m in pending):
            drop_views(conn, views)
        for migration in pending:
            LOGGER.info("applying migration %s", migration.path.name)
            conn.execute(migration.sql.encode())
            conn.execute(
                "INSERT INTO schema_migration (version, name, checksum) VALUES (%s, %s, %s)",
                (migration.version, migration.name, migration.checksum),
            )
        if views_due:
            apply_views(conn, views)
    return pending


def _is_applied(migration: Migration, applied: dict[int, str]) -> bool:
    known = applied.get(migration.version)
    if known is not None and known != migration.checksum:
        raise WarehouseError(
            f"migration {migration.path.name} changed after it was applied; "
            "migrations are forward-only: add a new one instead"
        )
    return known is not None


def view_files(directory: Path = VIEWS_DIR) -> list[Path]:
    """The view files in the order they are created (views may read earlier views)."""
    return sorted(directory.glob("*.sql"))


def drop_views(conn: psycopg.Connection[Any], files: list[Path]) -> None:
    """Drop the views the files declare, last first (no CASCADE: a user's own view on ours stops the upgrade)."""
    from psycopg import sql

    for path in reversed(files):
        for name in reversed(_VIEW_NAME.findall(path.read_text(encoding="utf-8"))):
            conn.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(sql.Identifier(name)))


def apply_views(conn: psycopg.Connection[Any], files: list[Path]) -> None:
    """Create every view afresh from its file, with its comments and grants, and record their checksum."""
    drop_views(conn, files)
    for path in files:
        LOGGER.info("applying view file %s", path.name)
        conn.execute(path.read_text(encoding="utf-8").encode())
    conn.execute(
        """INSERT INTO schema_views (id, checksum) VALUES (true, %s)
           ON CONFLICT (id) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()""",
        (_checksum_of(files),),
    )


def _checksum_of(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _views_checksum(conn: psycopg.Connection[Any]) -> str | None:
    row = conn.execute("SELECT checksum FROM schema_views").fetchone()
    return str(row[0]) if row else None


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
