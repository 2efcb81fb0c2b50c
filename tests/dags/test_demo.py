"""`make demo`: the pipeline through Airflow on the offline site, its runs keeping their task logs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .airflow_stack import free_port

pytestmark = pytest.mark.slow
COMMUNIQUE = Path(sys.executable).parent / "communique"


def test_the_demo_runs_both_dags_and_keeps_their_task_logs(tmp_path: Path) -> None:
    home, airflow_home = tmp_path / "home", tmp_path / "airflow"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW__", "AIRFLOW_CONN_"))}
    env |= {"COMMUNIQUE_HOME": str(home), "AIRFLOW_HOME": str(airflow_home),
            "COMMUNIQUE_AIRFLOW_PORT": str(free_port()), "COMMUNIQUE_DEMO_PORT": str(free_port()),
            "COMMUNIQUE_AIRFLOW_WORKER_LOG_PORT": str(free_port()),
            "COMMUNIQUE_AIRFLOW_TRIGGER_LOG_PORT": str(free_port()),
            "COMMUNIQUE_AIRFLOW_HEALTH_PORT": str(free_port()),
            "PATH": f"{COMMUNIQUE.parent}{os.pathsep}{os.environ['PATH']}"}  # fmt: skip
    try:
        result = subprocess.run(
            [str(COMMUNIQUE), "demo"], env=env, capture_output=True, text=True, check=False, timeout=900
        )
    finally:
        subprocess.run([str(COMMUNIQUE), "warehouse", "stop"], env=env, check=False, capture_output=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "events loaded" in result.stdout and "FAILED" not in result.stdout

    logs = airflow_home / "logs"
    for dag_id, task_id, prefix in [
        ("communique_ingest", "poll_feeds", "poll: "),
        ("communique_ingest", "fetch_articles", "fetch: "),
        ("communique_process", "clean_articles", "clean: "),
        ("communique_process", "extract_events", "extract: "),
        ("communique_process", "load_events", "load: "),
    ]:
        files = sorted(logs.glob(f"dag_id={dag_id}/run_id=*/task_id={task_id}/**/attempt=1.log"))
        assert files, f"no task log of {dag_id}.{task_id} under {logs}"
        events = [json.loads(line).get("event", "") for f in files for line in f.read_text().splitlines() if line]
        lines = [e for e in events if e.startswith(prefix)]
        assert lines, f"{task_id}: no '{prefix}' line in {files}"
        assert len(lines) == len(files), f"{task_id}: the stage line is logged more than once: {lines}"
    clean = [e for f in logs.glob("dag_id=communique_process/run_id=*/task_id=clean_articles/attempt=1.log")
             for e in (json.loads(line).get("event", "") for line in f.read_text().splitlines() if line)
             if e.startswith("clean: ")]  # fmt: skip
    assert any("pages" in line and "cleaned" in line and "not English" in line for line in clean), clean
