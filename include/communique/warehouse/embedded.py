"""The embedded PostgreSQL server (pgserver) behind the zero-configuration default.

The server listens on a Unix socket in its data directory only, keeps running after the
process that started it exits (so Airflow workers, psql and the CLI share it), and is
stopped explicitly with ``communique warehouse stop``.
"""

from __future__ import annotations

import logging
import os
import stat
import warnings
from pathlib import Path
from typing import Any
from urllib.parse import quote

from communique.errors import WarehouseError

LOGGER = logging.getLogger(__name__)


def _server(pgdata: Path) -> Any:
    logging.getLogger("pgserver").setLevel(logging.WARNING)  # it logs every command at INFO
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); the /tmp fallback is fine.
        warnings.simplefilter("ignore")
        import pgserver
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    try:
        return pgserver.get_server(pgdata, cleanup_mode=None)  # type: ignore[attr-defined]
    except Exception as exc:
        log = pgdata / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.is_file() else ""
        raise WarehouseError(f"could not start the embedded PostgreSQL in {pgdata}: {exc}\n{tail}") from exc


#: Server settings for a warehouse on one small machine (pgserver's defaults are PostgreSQL's,
#: sized for a laptop in 2005): bigger caches, fewer checkpoints during loads, SSD costs.
TUNING = {
    "shared_buffers": "512MB",
    "effective_cache_size": "4GB",
    "work_mem": "32MB",
    "maintenance_work_mem": "256MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "15min",
    "random_page_cost": "1.1",
}


def tune(pgdata: Path) -> bool:
    """Apply :data:`TUNING` with ALTER SYSTEM; restart the server when a setting needs it."""
    import psycopg

    host = socket_dir(pgdata)
    with psycopg.connect(f"postgresql://postgres@/postgres?host={quote(host, safe='/')}", autocommit=True) as conn:
        query = "SELECT name, current_setting(name) FROM pg_settings WHERE name = ANY(%s)"
        current: dict[str, str] = dict(conn.execute(query, (list(TUNING),)).fetchall())
        wanted = {k: v for k, v in TUNING.items() if _normal(current.get(k)) != _normal(v)}
        for name, value in wanted.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
        conn.execute("SELECT pg_reload_conf()")
        # A reload is asynchronous; which settings need a restart is known from their context.
        needs_restart = conn.execute(
            "SELECT count(*) FROM pg_settings WHERE context = 'postmaster' AND name = ANY(%s)", (list(wanted),)
        ).fetchone()
        restart = bool(needs_restart and needs_restart[0])
    if restart:
        LOGGER.info("restarting the embedded PostgreSQL to apply %s", ", ".join(wanted))
        _pg_ctl(pgdata, "restart")  # keeps the options the server was started with (postmaster.opts)
    return bool(wanted)


def _normal(value: str | None) -> str:
    return (value or "").replace(" ", "").lower()


def socket_dir(pgdata: Path) -> str:
    """Directory of the running server's Unix socket (pgserver picks it; usually ``pgdata``)."""
    info = _server(pgdata).get_postmaster_info()
    return str(info.socket_dir) if info.socket_dir else str(pgdata)


def server_url(pgdata: Path, database: str = "postgres") -> str:
    """A libpq URL for ``database`` on the embedded server, starting the server if needed."""
    host = socket_dir(pgdata)
    return f"postgresql://postgres@/{quote(database)}?host={quote(host, safe='/')}"


def ensure_database(pgdata: Path, database: str) -> str:
    """Create ``database`` on the embedded server unless it exists; return its URL."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(server_url(pgdata), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if not exists:
            LOGGER.info("creating database %s on the embedded server", database)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    return server_url(pgdata, database)


def is_running(pgdata: Path) -> bool:
    """Whether a server owns ``pgdata`` right now (without starting one)."""
    pid_file = pgdata / "postmaster.pid"
    if not pid_file.is_file():
        return False
    try:
        pid = int(pid_file.read_text().split()[0])
        os.kill(pid, 0)
    except (ValueError, IndexError, ProcessLookupError, PermissionError):
        return False
    return True


def stop(pgdata: Path) -> bool:
    """Stop the embedded server; return whether one was running."""
    if not is_running(pgdata):
        return False
    _pg_ctl(pgdata, "stop")
    LOGGER.info("stopped the embedded PostgreSQL in %s", pgdata)
    return True


def _pg_ctl(pgdata: Path, action: str) -> None:
    logging.getLogger("pgserver").setLevel(logging.WARNING)
    from pgserver._commands import pg_ctl  # type: ignore[attr-defined, unused-ignore]  # run as its system user

    user = "pgserver" if os.geteuid() == 0 else None
    pg_ctl(["-w", "-m", "fast", action], pgdata=pgdata, user=user)


def psql_path() -> Path:
    """The psql client shipped with pgserver (same major version as the server)."""
    import pgserver

    return Path(pgserver.__file__).parent / "pginstall" / "bin" / "psql"


def install_psql_wrapper(bin_dir: Path) -> Path | None:
    """Put a ``psql`` into ``bin_dir`` (the virtualenv) that runs pgserver's client."""
    target = bin_dir / "psql"
    if target.exists():
        return None
    target.write_text(f'#!/bin/sh\nexec "{psql_path()}" "$@"\n')
    target.chmod(target.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return target


#: The read-only group of migration 0005 (``communique.reports.access.ANALYST_ROLE``), and the login
#: that setup makes in it on the embedded server, so that analysts need not use the superuser.
ANALYST_GROUP = "communique_analyst"
ANALYST_LOGIN = "analyst"


def ensure_login(admin_url: str, login: str = ANALYST_LOGIN, group: str = ANALYST_GROUP) -> bool:
    """Create ``login`` (a login role in ``group``, nothing more) unless it exists; return whether it was made.

    The embedded server trusts connections over its socket, which only its owner can reach,
    so the login needs no password. Raises :class:`WarehouseError` when ``group`` does not
    exist yet (the migrations create it).
    """
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)).fetchone():
            raise WarehouseError(f"the warehouse has no role {group} yet: run `communique warehouse migrate`")
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone():
            conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(login)))
            return False
        conn.execute(
            sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT IN ROLE {}").format(
                sql.Identifier(login), sql.Identifier(group)
            )
        )
        return True


def with_user(url: str, user: str) -> str:
    """``url`` (``postgresql://USER@/db?host=...``) logging in as ``user`` instead, without a password."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{quote(user, safe='')}@{host}"))
