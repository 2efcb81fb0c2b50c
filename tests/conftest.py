"""Shared fixtures: a real PostgreSQL for the whole session, a fresh database per test.

The server is ``COMMUNIQUE_TEST_DSN`` when given (any PostgreSQL 13+ where that user may
create databases), else an embedded pgserver in a temporary directory. Each test that asks
for ``warehouse_dsn`` gets its own database cloned from a migrated template, so tests are
independent and fast.

No test reads beside the repository: a user's clone has no ``../shared``. The audit hook of
``tests/support/confinement.py`` refuses such reads from here on, and a test that reached one fails.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from tests.support import confinement

TEMPLATE_DB = "communique_test_template"
confinement.install()


@pytest.fixture(autouse=True)
def _nothing_read_beside_the_repository() -> Iterator[None]:
    """Fail a test that reached a path beside the repository, even if it caught the refusal."""
    confinement.take_violations()
    yield
    if reached := confinement.take_violations():
        pytest.fail("read beside the repository (a bare clone has none of it): " + "; ".join(reached))


def _with_db(dsn: str, dbname: str) -> str:
    params = conninfo_to_dict(dsn)
    params["dbname"] = dbname
    return make_conninfo(**params)


@pytest.fixture(scope="session")
def pg_admin_dsn() -> Iterator[str]:
    """DSN of a database on the test server with the right to create databases."""
    given = os.environ.get("COMMUNIQUE_TEST_DSN")
    if given:
        yield given
        return
    from communique.warehouse import embedded

    # Not under pytest's own temp root: pgserver runs the server as another user (when root) and
    # must traverse the parent directories, whose permissions pytest resets between sessions.
    parent = Path(tempfile.mkdtemp(prefix="communique-test-pg-"))
    pgdata = parent / "data"
    try:
        url = embedded.server_url(pgdata)
        embedded.tune(pgdata)
        yield make_conninfo(url)
    finally:
        embedded.stop(pgdata)
        shutil.rmtree(parent, ignore_errors=True)


@pytest.fixture(scope="session")
def template_dsn(pg_admin_dsn: str) -> str:
    """A database with every migration applied, cloned by each test."""
    from communique.warehouse import database

    with psycopg.connect(pg_admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(TEMPLATE_DB)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(TEMPLATE_DB)))
    dsn = _with_db(pg_admin_dsn, TEMPLATE_DB)
    database.migrate(dsn)
    return dsn


def _fresh_database(admin_dsn: str, template: str | None) -> Iterator[str]:
    name = f"communique_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        query = "CREATE DATABASE {} TEMPLATE {}" if template else "CREATE DATABASE {}"
        idents = [sql.Identifier(name)] + ([sql.Identifier(template)] if template else [])
        conn.execute(sql.SQL(query).format(*idents))
    yield _with_db(admin_dsn, name)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture
def warehouse_dsn(pg_admin_dsn: str, template_dsn: str) -> Iterator[str]:
    """A fresh, fully migrated warehouse database for one test."""
    yield from _fresh_database(pg_admin_dsn, TEMPLATE_DB)


@pytest.fixture
def second_warehouse_dsn(pg_admin_dsn: str, template_dsn: str) -> Iterator[str]:
    """Another fresh, fully migrated warehouse, for tests that compare two runs side by side."""
    yield from _fresh_database(pg_admin_dsn, TEMPLATE_DB)


@pytest.fixture
def empty_dsn(pg_admin_dsn: str) -> Iterator[str]:
    """A fresh, empty database (for migration tests)."""
    yield from _fresh_database(pg_admin_dsn, None)


@pytest.fixture(scope="session")
def demo_dsn(pg_admin_dsn: str, template_dsn: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A warehouse holding the demo site processed like ``make demo`` does; built once, read-only for tests."""
    from tests.support.demo_warehouse import build_demo_warehouse

    databases = _fresh_database(pg_admin_dsn, TEMPLATE_DB)
    dsn = next(databases)
    build_demo_warehouse(dsn, tmp_path_factory.mktemp("demo-home"))
    yield dsn
    next(databases, None)


_OWN_BASETEMP = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    # pgserver runs the server as its own user (when root) and needs to traverse the folders above
    # a test's COMMUNIQUE_HOME. pytest's shared root (/tmp/pytest-of-<user>) is reset to 0700 by
    # every session that starts, which breaks the servers of a session already running beside it:
    # each session gets a base folder of its own instead, unless one is given.
    if config.option.basetemp is None:
        config.option.basetemp = tempfile.mkdtemp(prefix="communique-pytest-")
        config.stash[_OWN_BASETEMP] = Path(config.option.basetemp)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove the session's own base folder when all passed; keep it to look into otherwise."""
    own = session.config.stash.get(_OWN_BASETEMP, None)
    if own is None:
        return
    if exitstatus == 0:
        shutil.rmtree(own, ignore_errors=True)
    else:
        session.config.get_terminal_writer().line(f"test folders kept in {own}")


@pytest.fixture(scope="session", autouse=True)
def _traversable_basetemp(tmp_path_factory: pytest.TempPathFactory) -> None:
    """pytest makes the base folder 0700; the embedded server's user must be able to enter it."""
    tmp_path_factory.getbasetemp().chmod(0o755)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The slow end-to-end tests first: `make test` deals tests out to its workers in this order."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
