"""Airflow for the DAG tests: a temporary AIRFLOW_HOME with its own SQLite metadata database.

The variables are set when this module is imported, before anything imports airflow
(Airflow reads its configuration at import time). The metadata database is migrated once
per session, and only when a test needs it (``airflow_db``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.support.paths import REPO_ROOT

DAGS_FOLDER = REPO_ROOT / "dags"
AIRFLOW_HOME = Path(tempfile.mkdtemp(prefix="communique-airflow-test-"))

os.environ.update(
    {
        "AIRFLOW_HOME": str(AIRFLOW_HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_FOLDER),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(REPO_ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{AIRFLOW_HOME / 'airflow.db'}",
        "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
    }
)


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """Migrate the session's metadata database (about 10 s, once)."""
    airflow = Path(sys.executable).parent / "airflow"
    subprocess.run([str(airflow), "db", "migrate"], check=True, capture_output=True, env=dict(os.environ))
    return AIRFLOW_HOME
