"""Functions for worker-process tests: importable by name in a spawned process."""

from __future__ import annotations

import multiprocessing
import os

from communique import parallel


def square_with_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(n * n, os.getpid()) for n in chunk]


def fail_on_seven(chunk: list[int]) -> list[int]:
    if 7 in chunk:
        raise ValueError("seven")
    return chunk


def map_in_daemon(queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """Run map_chunks with two workers requested; report whether all of it ran in this process."""
    results = list(parallel.map_chunks(square_with_pid, range(100), workers=2, chunk_size=10))
    queue.put((parallel.can_start_workers(), {pid for _, pid in results} == {os.getpid()}))
