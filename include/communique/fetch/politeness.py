"""How hard we knock: backoff between retries, Retry-After, and per-host concurrency and delay.

:class:`HostScheduler` runs many fetches on a thread pool while keeping each host to at
most ``per_host`` requests in flight and a minimum delay between the starts of two requests
to it. Workers never sit waiting on a busy host while another host has work ready: each one
takes the next item of whichever host may be contacted now.
"""

from __future__ import annotations

import email.utils
import logging
import random
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TypeVar

from communique.errors import CommuniqueError

LOGGER = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date), ``None`` if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, base: float, cap: float, rng: random.Random) -> float:
    """Exponential backoff with "equal jitter": half of ``min(cap, base * 2**attempt)`` plus a random half.

    The jitter spreads out clients that failed together; the fixed half keeps every wait real.
    """
    ceiling = min(cap, base * 2.0**attempt)
    return ceiling / 2 + rng.uniform(0, ceiling / 2)


class HostScheduler:
    """Run work items concurrently with per-host limits; results come back in input order.

    :param per_host: most requests in flight to one host at a time.
    :param delay_for: minimum seconds between the starts of two requests to a host.
    :param workers: threads in total.
    """

    def __init__(self, *, per_host: int, delay_for: Callable[[str], float], workers: int) -> None:
        self._per_host = max(1, per_host)
        self._delay_for = delay_for
        self._workers = max(1, workers)

    def run(self, items: Sequence[T], host_of: Callable[[T], str], work: Callable[[T], R]) -> list[R | Exception]:
        """Apply ``work`` to every item; an exception is returned in the item's place, never raised."""
        results: list[R | Exception | None] = [None] * len(items)
        state = _Queues([host_of(item) for item in items], self._per_host, self._delay_for)

        def worker() -> None:
            while (index := state.take()) is not None:
                try:
                    results[index] = work(items[index])
                except CommuniqueError as exc:
                    results[index] = exc
                except Exception as exc:
                    LOGGER.exception("unexpected failure on item %d", index)
                    results[index] = exc
                finally:
                    state.release(index)

        threads = min(self._workers, len(items))
        if threads:
            with ThreadPoolExecutor(threads, thread_name_prefix="communique-fetch") as pool:
                for future in [pool.submit(worker) for _ in range(threads)]:
                    future.result()
        return results  # type: ignore[return-value]  # every slot was filled by a worker


class _Queues:
    """The scheduler's shared state: one queue per host, in-flight counts and next start times."""

    def __init__(self, hosts: list[str], per_host: int, delay_for: Callable[[str], float]) -> None:
        self._hosts = hosts
        self._per_host = per_host
        self._delay_for = delay_for
        self._queues: dict[str, deque[int]] = {}
        for index, host in enumerate(hosts):
            self._queues.setdefault(host, deque()).append(index)
        self._active: dict[str, int] = dict.fromkeys(self._queues, 0)
        self._next_start: dict[str, float] = dict.fromkeys(self._queues, 0.0)
        self._cond = threading.Condition()

    def take(self) -> int | None:
        """The next item some host may serve now, waiting if needed; ``None`` when all are taken."""
        with self._cond:
            while self._queues:
                now = time.monotonic()
                wait: float | None = None
                for host, queue in self._queues.items():
                    if self._active[host] >= self._per_host:
                        continue
                    ready_at = self._next_start[host]
                    if ready_at <= now:
                        return self._start(host, queue, now)
                    wait = ready_at - now if wait is None else min(wait, ready_at - now)
                self._cond.wait(wait)
            return None

    def _start(self, host: str, queue: deque[int], now: float) -> int:
        index = queue.popleft()
        self._active[host] += 1
        self._next_start[host] = now + max(0.0, self._delay_for(host))
        del self._queues[host]
        if queue:  # back of the line: the next worker tries another host first
            self._queues[host] = queue
        return index

    def release(self, index: int) -> None:
        with self._cond:
            self._active[self._hosts[index]] -= 1
            self._cond.notify_all()
