"""The analyst login: setup makes it on the embedded server, and it reads the views but writes nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from communique.warehouse import embedded

COMMUNIQUE = Path(sys.executable).parent / "communique"
WRITES = [
    "INSERT INTO dim_country (iso3) VALUES ('XXX')",
    "DELETE FROM fct_diplomatic_event",
    "CREATE TABLE public.scratch (a int)",
    "SELECT count(*) FROM raw_article",  # the raw pages are not the analysts' to read either
]


def _can_read_but_not_write(url: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (embedded.ANALYST_LOGIN,)
        assert conn.execute("SELECT count(*) FROM v_events").fetchone() is not None
        assert conn.execute("SELECT count(*) FROM fct_diplomatic_event").fetchone() is not None
        for statement in WRITES:
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)


def test_the_login_is_made_once_and_only_reads(warehouse_dsn: str) -> None:
    assert embedded.ensure_login(warehouse_dsn) in {True, False}  # another test may have made it on this server
    assert embedded.ensure_login(warehouse_dsn) is False
    _can_read_but_not_write(make_conninfo(**{**conninfo_to_dict(warehouse_dsn), "user": embedded.ANALYST_LOGIN}))


def test_with_user_swaps_only_the_user() -> None:
    url = "postgresql://postgres@/communique?host=/srv/x/pgdata"
    assert embedded.with_user(url, "analyst") == "postgresql://analyst@/communique?host=/srv/x/pgdata"


@pytest.fixture
def embedded_home() -> Iterator[Path]:
    """A COMMUNIQUE_HOME of its own (outside pytest's temp root, which the pgserver user may not traverse)."""
    home = Path(tempfile.mkdtemp(prefix="communique-analyst-"))
    home.chmod(0o755)
    try:
        yield home
    finally:
        embedded.stop(home / "pgdata")
        shutil.rmtree(home, ignore_errors=True)


def test_warehouse_url_analyst_logs_in_as_a_reader_after_setup(embedded_home: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COMMUNIQUE_WAREHOUSE_URL"}
    env["COMMUNIQUE_HOME"] = str(embedded_home)

    def communique(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(COMMUNIQUE), *args], capture_output=True, text=True, env=env, timeout=300,
                              check=False)  # fmt: skip

    setup = communique("setup", "--no-airflow")
    assert setup.returncode == 0, setup.stderr
    assert "made the login analyst in communique_analyst" in setup.stdout
    url = communique("warehouse", "url", "--analyst")
    assert url.returncode == 0, url.stderr
    assert url.stdout.startswith("postgresql://analyst@/communique?host=")
    _can_read_but_not_write(url.stdout.strip())
