"""communique.parallel: results in input order, whatever the workers; in-process where it must be."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique import parallel
from tests.support.paths import REPO_ROOT
from tests.support.workers import fail_on_seven, map_in_daemon, square_with_pid


@pytest.fixture
def pool_cleanup() -> Iterator[None]:
    yield
    parallel.shutdown()


def test_chunks_cover_the_items_in_order() -> None:
    assert list(parallel.chunks(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]
    assert list(parallel.chunks([], 3)) == []


def test_workers_return_results_in_input_order(pool_cleanup: None) -> None:
    results = list(parallel.map_chunks(square_with_pid, range(500), workers=2, chunk_size=7, expected=500))
    assert [value for value, _ in results] == [n * n for n in range(500)]
    pids = {pid for _, pid in results}
    assert os.getpid() not in pids and 1 <= len(pids) <= 2


def test_the_pool_is_reused_across_calls(pool_cleanup: None) -> None:
    first = {pid for _, pid in parallel.map_chunks(square_with_pid, range(200), workers=2, chunk_size=5)}
    second = {pid for _, pid in parallel.map_chunks(square_with_pid, range(200), workers=2, chunk_size=5)}
    assert first & second, "the second call ran in the processes the first one started"


def test_one_worker_or_few_items_run_here() -> None:
    for workers, expected in ((1, 1000), (4, parallel.MIN_ITEMS_FOR_WORKERS - 1)):
        results = list(
            parallel.map_chunks(square_with_pid, range(20), workers=workers, chunk_size=3, expected=expected)
        )
        assert {pid for _, pid in results} == {os.getpid()}
        assert [v for v, _ in results] == [n * n for n in range(20)]


def test_an_error_in_a_worker_reaches_the_caller(pool_cleanup: None) -> None:
    with pytest.raises(ValueError, match="seven"):
        list(parallel.map_chunks(fail_on_seven, range(100), workers=2, chunk_size=4))
    # the pool survives an ordinary exception and serves the next call
    assert list(parallel.map_chunks(fail_on_seven, range(7), workers=2, chunk_size=4)) == list(range(7))


def test_a_daemonic_process_works_in_process() -> None:
    """Celery's prefork children are daemonic and may not start processes: no crash, same results."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=map_in_daemon, args=(queue,), daemon=True)
    child.start()
    can_start, all_here = queue.get(timeout=60)
    child.join(timeout=60)
    assert (can_start, all_here) == (False, True)


def test_workers_are_recycled_after_many_items(pool_cleanup: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "RECYCLE_AFTER_ITEMS", 20)
    results = list(parallel.map_chunks(square_with_pid, range(100), workers=2, chunk_size=2))
    assert [value for value, _ in results] == [n * n for n in range(100)]
    assert len({pid for _, pid in results}) > 2, "100 items at 20 per pool: several generations of workers"


MAIN_THAT_CANNOT_RUN_TWICE = """
import sys
if __name__ != "__main__":  # what spawn would do to the parent's script: the `airflow` command fails here
    raise SystemExit("the main script was run again in a worker")
from communique import parallel
from tests.support.workers import square_with_pid
results = list(parallel.map_chunks(square_with_pid, range(100), workers=2, chunk_size=10))
print(len({pid for _, pid in results} - {__import__("os").getpid()}), sum(v for v, _ in results))
"""


def test_workers_do_not_re_run_the_parents_main_script(tmp_path: Path) -> None:
    """Inside an Airflow task the main script is `airflow`, which cannot start in a child."""
    script = tmp_path / "main.py"
    script.write_text(MAIN_THAT_CANNOT_RUN_TWICE)
    root = REPO_ROOT
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(root), str(root / "include")])},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    workers_used, total = map(int, done.stdout.split())
    assert workers_used >= 1 and total == sum(n * n for n in range(100))


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its new parent to reap it has exited)."""
    try:
        with Path(f"/proc/{pid}/status").open(encoding="ascii") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return False


def test_workers_exit_when_their_parent_is_killed(tmp_path: Path) -> None:
    """``kill -9`` of a processing run must not leave its workers (hundreds of MB each) running."""
    import signal
    import time

    script = tmp_path / "parent.py"
    script.write_text(
        "import multiprocessing, time\n"
        "from communique import parallel\n"
        "from tests.support.workers import square_with_pid\n"
        "parallel.MIN_ITEMS_FOR_WORKERS = 0\n"
        "list(parallel.map_chunks(square_with_pid, range(40), workers=2, chunk_size=1))\n"
        "print(' '.join(str(p.pid) for p in multiprocessing.active_children()), flush=True)\n"
        "time.sleep(600)\n"
    )
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), str(REPO_ROOT / "include")])}
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=environment)
    workers: list[int] = []
    try:
        line = parent.stdout.readline() if parent.stdout else ""
        workers = [int(pid) for pid in line.split()]
        assert len(workers) == 2 and parent.pid not in workers, line  # the pool's two processes
        assert all(_alive(pid) for pid in workers)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=60)
        deadline = time.monotonic() + 60  # a bound on a hang, not a speed threshold
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "orphaned workers still running"
    finally:
        parent.kill()
        for pid in workers:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
