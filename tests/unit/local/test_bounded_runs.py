"""A run of the stack's commands that hangs is stopped with every process it started, and says so in one line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from communique.errors import CommuniqueError
from communique.local.stack import run_bounded


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its reaper does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def test_a_hanging_command_and_its_children_are_stopped(tmp_path: Path) -> None:
    log, pids = tmp_path / "run.log", tmp_path / "child.pid"
    # Like `airflow dags test` waiting on a task that died: a child of its own, and a wait that never ends.
    script = f"sleep 600 & echo $! > {pids}; echo started; wait"
    with pytest.raises(CommuniqueError) as raised:
        run_bounded(["/bin/sh", "-c", script], env=dict(os.environ), log=log, timeout=2)
    message = str(raised.value)
    assert "did not finish in 2 s" in message and str(log) in message and "\n" not in message
    assert not _alive(int(pids.read_text()))
    assert "started" in log.read_text()


def test_a_command_that_finishes_gives_its_exit_status(tmp_path: Path) -> None:
    log = tmp_path / "run.log"
    assert run_bounded(["/bin/sh", "-c", "echo done; exit 3"], env=dict(os.environ), log=log, timeout=600) == 3
    assert log.read_text() == "done\n"
