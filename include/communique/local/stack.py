"""The whole stack on one machine: warehouse, demo feed list, Airflow home and metadata DB.

``communique setup`` (run by ``make install``) calls :func:`setup`; it is idempotent and
quick when everything is in place. Airflow is driven through its own CLI in a subprocess
(this package never imports airflow), with ``AIRFLOW_HOME`` pointing at the project's
``.airflow`` whose ``airflow.cfg`` this module writes: the metadata database lives in the
embedded PostgreSQL (backfills lose runs on SQLite), the DAGs and plugins come from the
project, and the LocalExecutor runs a few tasks at once.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from communique.errors import ConfigError
from communique.settings import PROJECT_ROOT, Settings, child_environment
from communique.warehouse import database, embedded

LOGGER = logging.getLogger(__name__)
_CFG_MARKER = "# Written by communique.local.stack"
#: The Airflow pool of the web-facing tasks (plugins/communique_airflow uses the same name).
HTTP_POOL, HTTP_POOL_SLOTS = "communique_http", 4
POOL_DESCRIPTION = "Caps the poll and fetch tasks that talk to the web at once"
AIRFLOW_METADATA_DB = "airflow"


@dataclass(slots=True)
class SetupReport:
    warehouse_url: str
    migrations_applied: list[str] = field(default_factory=list)
    steps: list[str] = field(default_factory=list)


def bin_dir() -> Path:
    """The virtualenv's bin directory (where ``airflow`` and ``communique`` live)."""
    return Path(sys.executable).parent


def metadata_url(settings: Settings) -> str:
    """SQLAlchemy URL of Airflow's metadata database on the embedded server."""
    host = embedded.socket_dir(settings.pgdata)
    return f"postgresql+psycopg://postgres@/{AIRFLOW_METADATA_DB}?host={host}"


def airflow_cfg(settings: Settings, sql_alchemy_conn: str) -> str:
    """The ``airflow.cfg`` of the embedded stack."""
    root = PROJECT_ROOT or Path.cwd()
    return f"""{_CFG_MARKER}; edit settings through AIRFLOW__* variables instead.
[core]
dags_folder = {root / "dags"}
plugins_folder = {root / "plugins"}
executor = LocalExecutor
load_examples = False
parallelism = 4
max_active_tasks_per_dag = 4
dags_are_paused_at_creation = False
simple_auth_manager_users = admin:admin
execution_api_server_url = http://localhost:{settings.airflow_port}/execution/

[api]
port = {settings.airflow_port}

[database]
sql_alchemy_conn = {sql_alchemy_conn}

[dag_processor]
refresh_interval = 30

[scheduler]
enable_health_check = True

[logging]
base_log_folder = {settings.airflow_home / "logs"}
"""


def airflow_env(settings: Settings) -> dict[str, str]:
    """Environment for an Airflow subprocess: this process's, plus AIRFLOW_HOME and the venv on PATH."""
    path = child_environment({}).get("PATH", "")
    return child_environment({"AIRFLOW_HOME": str(settings.airflow_home), "PATH": f"{bin_dir()}{os.pathsep}{path}"})


def run_airflow(
    settings: Settings, *args: str, check: bool = True, log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``airflow ARGS...`` for the embedded stack; output goes to ``log`` (appended) or the console."""
    airflow = bin_dir() / "airflow"
    if not airflow.exists():
        raise ConfigError(f"airflow is not installed next to {sys.executable}; run `make install`")
    LOGGER.debug("airflow %s", " ".join(args))
    if log is None:
        return subprocess.run([str(airflow), *args], env=airflow_env(settings), check=check, text=True)  # noqa: S603
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        return subprocess.run(  # noqa: S603
            [str(airflow), *args], env=airflow_env(settings), check=check, text=True, stdout=out, stderr=out
        )


def write_demo_feed_list(settings: Settings) -> Path:
    """Generate the demo site's feed registry at ``settings.feed_list``."""
    from communique.local.demo_site import feed_list_toml, load_site

    path = settings.feed_list
    path.parent.mkdir(parents=True, exist_ok=True)
    text = feed_list_toml(load_site(), settings.demo_origin)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def setup_airflow(settings: Settings) -> list[str]:
    """Airflow home, config and metadata database (migrated once per Airflow version)."""
    steps = []
    home = settings.airflow_home
    home.mkdir(parents=True, exist_ok=True)
    conn = settings.airflow_metadata_url
    if not conn:
        embedded.ensure_database(settings.pgdata, AIRFLOW_METADATA_DB)
        conn = metadata_url(settings)
    cfg = home / "airflow.cfg"
    text = airflow_cfg(settings, conn)
    if not cfg.exists() or (cfg.read_text().startswith(_CFG_MARKER) and cfg.read_text() != text):
        cfg.write_text(text)
        steps.append(f"wrote {cfg}")
    stamp = home / ".communique-db-migrated"
    wanted = f"{version('apache-airflow')}|{conn}|{HTTP_POOL}={HTTP_POOL_SLOTS}"
    if not stamp.is_file() or stamp.read_text() != wanted:
        log = settings.home / "logs" / "airflow-setup.log"
        run_airflow(settings, "db", "migrate", log=log)
        run_airflow(settings, "pools", "set", HTTP_POOL, str(HTTP_POOL_SLOTS), POOL_DESCRIPTION, log=log)
        stamp.write_text(wanted)
        steps.append(f"migrated the Airflow metadata database, created the pool {HTTP_POOL}")
    return steps


def setup(settings: Settings, *, with_airflow: bool = True) -> SetupReport:
    """Everything ``make install`` promises beyond the virtualenv; safe to run again."""
    url = database.resolve_url(settings)
    if settings.uses_embedded_warehouse and embedded.tune(settings.pgdata):
        steps = [f"tuned the embedded PostgreSQL ({', '.join(embedded.TUNING)})"]
    else:
        steps = []
    report = SetupReport(url, [m.path.name for m in database.migrate(url)], steps)
    if settings.uses_demo_feeds:
        report.steps.append(f"demo feed list at {write_demo_feed_list(settings)}")
    if with_airflow:
        report.steps += setup_airflow(settings)
    if embedded.install_psql_wrapper(bin_dir()):
        report.steps.append(f"psql client at {bin_dir() / 'psql'}")
    return report
