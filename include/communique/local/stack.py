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
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path
from typing import TextIO

from communique.errors import ConfigError
from communique.local.keys import stack_secrets, write_private
from communique.settings import PROJECT_ROOT, Settings, child_environment
from communique.warehouse import database, embedded

LOGGER = logging.getLogger(__name__)
_CFG_MARKER = "# Written by communique.local.stack"
#: The Airflow pool of the web-facing tasks (plugins/communique_airflow uses the same name).
HTTP_POOL, HTTP_POOL_SLOTS = "communique_http", 4
POOL_DESCRIPTION = "Caps the poll and fetch tasks that talk to the web at once"
AIRFLOW_METADATA_DB = "airflow"
#: The embedded stack's secrets, in AIRFLOW_HOME (see communique.local.keys).
SECRETS_FILE = "communique-secrets.json"


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


def airflow_cfg(settings: Settings, sql_alchemy_conn: str, keys: dict[str, str]) -> str:
    """The ``airflow.cfg`` of the embedded stack (with its secrets: the file is private to its owner).

    The API server listens on ``settings.airflow_host`` (loopback by default); the log servers
    and the scheduler's health check take their ports from the settings, so that two stacks
    can run on one machine.
    """
    root = PROJECT_ROOT or Path.cwd()
    return f"""{_CFG_MARKER}; edit settings through AIRFLOW__* variables instead.
# The secrets below are this machine's (kept in {SECRETS_FILE} beside this file): never commit them.
[core]
dags_folder = {root / "dags"}
plugins_folder = {root / "plugins"}
executor = LocalExecutor
load_examples = False
parallelism = 4
max_active_tasks_per_dag = 4
dags_are_paused_at_creation = False
simple_auth_manager_users = admin:admin
execution_api_server_url = http://{_client_host(settings.airflow_host)}:{settings.airflow_port}/execution/
fernet_key = {keys["fernet_key"]}

[api]
host = {settings.airflow_host}
port = {settings.airflow_port}
base_url = {ui_url(settings)}
secret_key = {keys["api_secret_key"]}

[api_auth]
jwt_secret = {keys["jwt_secret"]}

[database]
sql_alchemy_conn = {sql_alchemy_conn}

[dag_processor]
refresh_interval = 30

[workers]
# Standalone starts the scheduler and the API server together; on a busy machine the API server can
# answer a minute after the first task starts: wait for it (about 2 minutes) instead of failing the try.
execution_api_retries = 8

[scheduler]
enable_health_check = True
scheduler_health_check_server_host = {settings.airflow_host}
scheduler_health_check_server_port = {settings.airflow_health_port}

[logging]
base_log_folder = {settings.airflow_home / "logs"}
worker_log_server_port = {settings.airflow_worker_log_port}
trigger_log_server_port = {settings.airflow_trigger_log_port}
"""


def ui_url(settings: Settings) -> str:
    """The address people open (and the base of the task log links in alerts)."""
    host = settings.airflow_host
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0", "::", ""} else _client_host(host)  # noqa: S104
    return f"http://{shown}:{settings.airflow_port}"


def _client_host(host: str) -> str:
    """Where a client on this machine reaches a server bound to ``host``."""
    if host in {"0.0.0.0", "::", ""}:  # noqa: S104 (a comparison, not a bind)
        return "127.0.0.1"
    return f"[{host}]" if ":" in host else host


def airflow_env(settings: Settings) -> dict[str, str]:
    """Environment for an Airflow subprocess: this process's, plus AIRFLOW_HOME and the venv on PATH."""
    path = child_environment({}).get("PATH", "")
    return child_environment({"AIRFLOW_HOME": str(settings.airflow_home), "PATH": f"{bin_dir()}{os.pathsep}{path}"})


def run_airflow(
    settings: Settings, *args: str, check: bool = True, log: Path | None = None, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``airflow ARGS...`` for the embedded stack; output goes to ``log`` (appended) or the console.

    With ``timeout`` (and a ``log``), a run still going after that many seconds is stopped with
    every process it started (:func:`run_bounded`).
    """
    airflow = bin_dir() / "airflow"
    if not airflow.exists():
        raise ConfigError(f"airflow is not installed next to {sys.executable}; run `make install`")
    LOGGER.debug("airflow %s", " ".join(args))
    if timeout is not None and log is not None:
        command = [str(airflow), *args]
        return subprocess.CompletedProcess(command, run_bounded(command, env=airflow_env(settings), log=log,
                                                                timeout=timeout))  # fmt: skip
    if log is None:
        return subprocess.run([str(airflow), *args], env=airflow_env(settings), check=check, text=True)  # noqa: S603
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        return subprocess.run(  # noqa: S603
            [str(airflow), *args], env=airflow_env(settings), check=check, text=True, stdout=out, stderr=out
        )


def run_bounded(command: list[str], *, env: dict[str, str], log: Path, timeout: float) -> int:
    """Run ``command`` in a process group of its own, its output appended to ``log``; its exit status.

    When it has not finished after ``timeout`` seconds, the whole group (the command and every
    process it started: executor workers, task runners) is terminated, then killed, and
    :class:`CommuniqueError` says so: a run that waits forever on a task that died never hangs
    its caller.
    """
    import signal

    from communique.errors import CommuniqueError

    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as out:
        process = subprocess.Popen(  # noqa: S603
            command, env=env, text=True, stdout=out, stderr=out, start_new_session=True
        )
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _stop_group(process, grace=10.0)
            raise CommuniqueError(
                f"`{' '.join([Path(command[0]).name, *command[1:]])}` did not finish in {timeout:.0f} s: "
                f"stopped it and every process it started (see {log})"
            ) from None
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)  # Ctrl-C: leave no executor or task process behind
            process.wait()
            raise


def _stop_group(process: subprocess.Popen[str], grace: float) -> None:
    """Terminate, then kill, every process of ``process``'s group, waiting for each signal to take.

    The leader exiting is not enough: its children got the signal too but may not have run yet
    to act on it (on a loaded machine), so the group is watched until none of it runs.
    """
    import signal

    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            process.poll()  # reap the leader, so that it does not keep the group alive as a zombie
            if not _group_running(process.pid):
                return
            time.sleep(0.05)
    process.poll()


def _group_running(pgid: int) -> bool:
    """Whether a process of group ``pgid`` still runs (zombies, dead but not yet reaped, do not)."""
    proc = Path("/proc")
    if not proc.is_dir():  # not Linux: any member, zombie or not
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return False
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        if fields[0] != "Z" and int(fields[2]) == pgid:
            return True
    return False


def start_airflow(settings: Settings, *args: str, output: TextIO) -> subprocess.Popen[str]:
    """Start ``airflow ARGS...`` for the embedded stack in the background, its output to ``output``."""
    airflow = bin_dir() / "airflow"
    if not airflow.exists():
        raise ConfigError(f"airflow is not installed next to {sys.executable}; run `make install`")
    return subprocess.Popen(  # noqa: S603
        [str(airflow), *args], env=airflow_env(settings), text=True, stdout=output, stderr=subprocess.STDOUT
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
    keys, made = stack_secrets(home / SECRETS_FILE)
    if made:
        steps.append(f"made the stack's JWT secret, Fernet key and API secret key ({home / SECRETS_FILE})")
    cfg = home / "airflow.cfg"
    text = airflow_cfg(settings, conn, keys)
    if not cfg.exists() or (cfg.read_text().startswith(_CFG_MARKER) and cfg.read_text() != text):
        write_private(cfg, text)
        steps.append(f"wrote {cfg}")
    elif not cfg.read_text().startswith(_CFG_MARKER):
        LOGGER.warning("%s was not written by communique setup: left as it is (it needs [api_auth] jwt_secret)", cfg)
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
    if settings.uses_embedded_warehouse and embedded.ensure_login(embedded.server_url(settings.pgdata)):
        report.steps.append(
            f"made the login {embedded.ANALYST_LOGIN} in {embedded.ANALYST_GROUP} (communique warehouse url --analyst)"
        )
    if settings.uses_demo_feeds:
        report.steps.append(f"demo feed list at {write_demo_feed_list(settings)}")
    if with_airflow:
        report.steps += setup_airflow(settings)
    if embedded.install_psql_wrapper(bin_dir()):
        report.steps.append(f"psql client at {bin_dir() / 'psql'}")
    return report
