"""`make airflow`: Airflow standalone on the embedded stack, metadata in the embedded PostgreSQL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from .airflow_stack import free_port

pytestmark = pytest.mark.slow
COMMUNIQUE = Path(sys.executable).parent / "communique"


def _get(url: str, **kwargs: object) -> httpx.Response | None:
    try:
        return httpx.get(url, timeout=5, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError:
        return None


def test_standalone_serves_the_dags_on_the_embedded_stack(tmp_path: Path) -> None:
    port, home, airflow_home = free_port(), tmp_path / "home", tmp_path / "airflow"
    env = {**os.environ, "COMMUNIQUE_HOME": str(home), "AIRFLOW_HOME": str(airflow_home),
           "COMMUNIQUE_AIRFLOW_PORT": str(port), "COMMUNIQUE_DEMO_PORT": str(free_port()),
           "PATH": f"{COMMUNIQUE.parent}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    env.pop("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", None)  # the stack's own metadata database, not the tests'
    env.pop("AIRFLOW__CORE__DAGS_FOLDER", None)
    env.pop("AIRFLOW__CORE__PLUGINS_FOLDER", None)
    log = (tmp_path / "standalone.log").open("wb")
    process = subprocess.Popen(
        [str(COMMUNIQUE), "airflow", "standalone"], env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        health: dict = {}
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and process.poll() is None:
            response = _get(f"{base}/api/v2/monitor/health")
            health = response.json() if response is not None and response.status_code == 200 else {}
            if health and all(
                health.get(c, {}).get("status") == "healthy"
                for c in ("metadatabase", "scheduler", "triggerer", "dag_processor")
            ):
                break  # fmt: skip
            time.sleep(2)
        assert process.poll() is None, (tmp_path / "standalone.log").read_text()[-4000:]
        assert health.get("scheduler", {}).get("status") == "healthy", health

        config = (airflow_home / "airflow.cfg").read_text()
        assert "sql_alchemy_conn = postgresql+psycopg://" in config and str(home / "pgdata") in config
        passwords = json.loads((airflow_home / "simple_auth_manager_passwords.json.generated").read_text())
        token = httpx.post(
            f"{base}/auth/token", json={"username": "admin", "password": passwords["admin"]}, timeout=10
        ).json()["access_token"]
        dags: set[str] = set()
        while time.monotonic() < deadline and not {"communique_ingest", "communique_process"} <= dags:
            listed = _get(f"{base}/api/v2/dags", headers={"Authorization": f"Bearer {token}"})
            dags = {d["dag_id"] for d in listed.json()["dags"]} if listed is not None else set()
            time.sleep(2)
        assert {"communique_ingest", "communique_process"} <= dags
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        subprocess.run([str(COMMUNIQUE), "warehouse", "stop"], env=env, check=False, capture_output=True)
