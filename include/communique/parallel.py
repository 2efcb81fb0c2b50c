"""Worker processes for the CPU-bound stages (cleaning pages, extracting events) inside one task.

Scale-out across machines is Airflow's (Celery or Kubernetes workers); this only keeps every
core of one worker busy while a task runs. A stage hands :func:`map_chunks` a function and its
items; the function runs on chunks of items in worker processes and the results come back in
input order, so what a stage writes does not depend on how many workers computed it.

Workers are started with ``spawn`` (no state inherited from a parent that holds database
connections, threads or Airflow's supervisor pipes) and without re-running the parent's main
script (in an Airflow task that is the ``airflow`` command, which cannot start there); they load
what they need on first use (the spaCy model once per worker) and stay up for the rest of the
process, so a backfill that processes many intervals pays the start-up once. At most
``2 * workers`` chunks are in flight: memory stays bounded however large the interval.

A worker watches its parent and exits when the parent is gone, however it died: a ``kill -9``
of a task must not leave its workers (a spaCy model each) running. The pool's own shutdown
covers every other ending.
"""

from __future__ import annotations

import atexit
import itertools
import logging
import multiprocessing
import multiprocessing.connection
import os
import sys
import threading
import types
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from typing import TypeVar

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")

#: Below this many items the work runs in this process: starting workers would cost more.
MIN_ITEMS_FOR_WORKERS = 64
#: Fresh workers after this many items (pages, stories) went to the pool: spaCy's vocabulary and
#: lxml's arenas only grow, and a worker that has read tens of thousands of articles holds memory it
#: will not give back. Counted in items, not chunks, so that smaller chunks do not recycle sooner.
#: (Not ``max_tasks_per_child``: it deadlocks on Python 3.11, cpython issue 115634.)
RECYCLE_AFTER_ITEMS = 8_000

_pools: dict[int, ProcessPoolExecutor] = {}
_items_done: dict[int, int] = {}


def chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """``items`` in lists of ``size`` (the last one shorter)."""
    iterator = iter(items)
    while chunk := list(itertools.islice(iterator, size)):
        yield chunk


def can_start_workers() -> bool:
    """False inside a daemonic process (a Celery prefork child, say), which may not have children."""
    return not multiprocessing.current_process().daemon


def map_chunks(
    function: Callable[[list[T]], list[R]],
    items: Iterable[T],
    *,
    workers: int,
    chunk_size: int,
    expected: int | None = None,
) -> Iterator[R]:
    """``function`` over ``items`` in chunks, in ``workers`` processes; results in input order.

    ``function`` must be importable by name (a module-level function of an importable module,
    not of the main script, which workers do not load) and take and return picklable values.
    With one worker, fewer than :data:`MIN_ITEMS_FOR_WORKERS` ``expected`` items, or in a
    process that may not start children, everything runs here.
    """
    if workers <= 1 or (expected is not None and expected < MIN_ITEMS_FOR_WORKERS) or not can_start_workers():
        if workers > 1 and not can_start_workers():
            LOGGER.warning("running in a daemonic process: %d workers requested, working in-process", workers)
        for chunk in chunks(items, chunk_size):
            yield from function(chunk)
        return
    in_flight: deque[Future[list[R]]] = deque()
    try:
        for chunk in chunks(items, chunk_size):
            if _items_done.get(workers, 0) >= RECYCLE_AFTER_ITEMS:
                while in_flight:
                    yield from in_flight.popleft().result()
                LOGGER.info("recycling the %d worker processes after %d items", workers, _items_done[workers])
                shutdown(workers)
            with _main_hidden():  # submit() is where the pool starts its processes
                in_flight.append(_pool(workers).submit(function, chunk))
            _items_done[workers] = _items_done.get(workers, 0) + len(chunk)
            if len(in_flight) >= 2 * workers:
                yield from in_flight.popleft().result()
        while in_flight:
            yield from in_flight.popleft().result()
    except BrokenProcessPool:
        shutdown(workers)  # a worker died (killed, out of memory): the next call starts a fresh pool
        raise
    finally:
        for future in in_flight:
            future.cancel()


@contextmanager
def _main_hidden() -> Iterator[None]:
    """Start processes without the parent's ``__main__``: ``spawn`` would re-run its script first.

    The functions sent to workers live in importable modules, never in ``__main__``; the main
    script, though, may be one that cannot run in a child (Airflow's task runner hides the
    metadata database, so importing ``airflow`` there fails).
    """
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


def _pool(workers: int) -> ProcessPoolExecutor:
    pool = _pools.get(workers)
    if pool is None:
        LOGGER.info("starting %d worker processes", workers)
        pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=multiprocessing.get_context("spawn"), initializer=watch_parent
        )
        _pools[workers] = pool
    return pool


def watch_parent() -> None:
    """In a worker: exit as soon as the parent process dies (its sentinel becomes ready)."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def wait_for_parent() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)  # no cleanup to run: the parent, and the work, are gone

    threading.Thread(target=wait_for_parent, name="communique-parent-watch", daemon=True).start()


def shutdown(workers: int | None = None) -> None:
    """Stop the worker processes (of the pool of ``workers``, or all); they start again when needed."""
    for size in [workers] if workers is not None else list(_pools):
        pool = _pools.pop(size, None)
        _items_done.pop(size, None)
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


atexit.register(shutdown)
