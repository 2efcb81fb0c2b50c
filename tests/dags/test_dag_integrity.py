"""DAG integrity and policy: the DAG files load, follow our rules, and stay cheap to parse."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import DAGS_FOLDER, REPO_ROOT

DAG_FILES = sorted(DAGS_FOLDER.glob("*.py"))


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_dags_load_without_import_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    assert set(dagbag.dag_ids) == {p.stem for p in DAG_FILES}


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_dag_id_is_the_file_stem(dagbag, path: Path) -> None:
    assert path.stem in dagbag.dags


def test_every_dag_is_tagged_documented_and_retried(dagbag) -> None:
    for dag in dagbag.dags.values():
        assert "communique" in dag.tags, dag.dag_id
        assert dag.doc_md and len(dag.doc_md) > 200, dag.dag_id
        assert dag.catchup is False, dag.dag_id
        for task in dag.tasks:
            assert task.retries >= 2, f"{dag.dag_id}.{task.task_id} retries={task.retries}"
            assert task.retry_exponential_backoff, f"{dag.dag_id}.{task.task_id}"
            # Mapped tasks keep the docstring on their callable (Airflow does not copy it to doc_md).
            doc = task.doc_md or task.doc or getattr(getattr(task, "python_callable", None), "__doc__", None)
            assert doc, f"{dag.dag_id}.{task.task_id} has no docstring"


def test_web_tasks_share_the_http_pool_and_are_sharded(dagbag) -> None:
    ingest = dagbag.dags["communique_ingest"]
    assert {t.task_id for t in ingest.tasks if t.pool == "communique_http"} == {"poll_feeds", "fetch_articles"}
    assert all(type(ingest.get_task(t)).__name__.endswith("MappedOperator") for t in ("poll_feeds", "fetch_articles"))
    assert ingest.get_task("announce_landed").outlets


def test_setup_creates_the_pool_the_dags_use() -> None:
    from communique.local import stack
    from communique_airflow import HTTP_POOL, HTTP_POOL_SLOTS

    assert (stack.HTTP_POOL, stack.HTTP_POOL_SLOTS) == (HTTP_POOL, HTTP_POOL_SLOTS)


def test_every_task_alerts_on_failure(dagbag) -> None:
    for dag in dagbag.dags.values():
        for task in dag.tasks:
            callbacks = getattr(task, "on_failure_callback", None) or getattr(task, "partial_kwargs", {}).get(
                "on_failure_callback"
            )
            assert callbacks, f"{dag.dag_id}.{task.task_id} raises no alert"


def test_every_task_has_a_time_limit_and_processing_runs_a_run_limit(dagbag) -> None:
    from datetime import timedelta

    for dag in dagbag.dags.values():
        for task in dag.tasks:
            limit = getattr(task, "execution_timeout", None) or getattr(task, "partial_kwargs", {}).get(
                "execution_timeout"
            )
            assert isinstance(limit, timedelta) and limit >= timedelta(minutes=5), f"{dag.dag_id}.{task.task_id}"
    process = dagbag.dags["communique_process"]
    assert process.dagrun_timeout and process.dagrun_timeout >= max(t.execution_timeout for t in process.tasks)


def test_processing_runs_on_real_hourly_intervals(dagbag) -> None:
    dag = dagbag.dags["communique_process"]
    inner = getattr(dag.timetable, "timetable", dag.timetable)  # AssetOrTimeSchedule wraps the clock
    assert type(inner).__name__ == "CronDataIntervalTimetable"
    assert inner.expression == "0 * * * *"
    assert dag.max_active_runs == 1


@pytest.mark.parametrize("path", DAG_FILES, ids=lambda p: p.stem)
def test_dag_files_only_wire_tasks(path: Path) -> None:
    """No heavy import at module level and each task body is one call into the glue."""
    tree = ast.parse(path.read_text())
    top_imports = {
        (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert top_imports <= {"__future__", "pendulum", "airflow.sdk", "communique_airflow"}, top_imports


def test_parsing_dags_does_not_import_spacy_or_the_pipeline() -> None:
    """Parse the DAG folder in a fresh interpreter and list what got imported."""
    code = (
        "import sys\n"
        "from airflow.dag_processing.dagbag import DagBag\n"
        f"bag = DagBag(dag_folder={str(DAGS_FOLDER)!r})\n"
        "assert not bag.import_errors, bag.import_errors\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "{'spacy', 'trafilatura', 'feedparser', 'datasketch', 'lxml'} "
        "or m in {'communique.pipeline', 'communique.events.extractor'})\n"
        "print('HEAVY=' + ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY=\n" in out.stdout + "\n", out.stdout


def test_core_package_never_imports_airflow() -> None:
    """Import every communique module in a fresh interpreter: airflow must stay out."""
    code = (
        "import importlib, pkgutil, sys\n"
        "import communique\n"
        "for m in pkgutil.walk_packages(communique.__path__, 'communique.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('AIRFLOW=', sorted(m for m in sys.modules if m == 'airflow' or m.startswith('airflow.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT / "include"
    )
    assert "AIRFLOW= []" in out.stdout, out.stdout + out.stderr
