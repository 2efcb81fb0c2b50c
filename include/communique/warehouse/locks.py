"""One run at a time per processing interval: advisory locks on the hours (and days) it covers.

Two runs of one interval (``communique process`` twice, a backfill beside a scheduled run)
must not interleave their stages. Every processing stage holds its interval's lock while it
works, and ``communique process`` holds it across all of its stages; a second run waits,
saying for whom.

Intervals may overlap without being equal (an asset-triggered run covers several hours), so
the lock is taken on time buckets, in two granularities: an interval of at most a day holds
its hours exclusively and its days in shared mode; a longer one holds its days exclusively.
Any two overlapping intervals then conflict on some key, two hours of one day do not, and a
year takes 366 locks rather than 8,760. Keys are taken in one global order (days, then hours,
each ascending), so waiting runs never deadlock. The locks belong to a connection of their
own: they end with it, so a killed run never leaves its interval locked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from communique.models import Interval
from communique.warehouse import database

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

#: First key of the advisory locks on days and on hours ("days", "hour").
DAY_SPACE, HOUR_SPACE = 0x64617973, 0x686F7572
_HOUR, _DAY = 3600, 86400
#: Intervals this execution context already holds (so that a stage inside a locked run does not wait for itself).
_held: ContextVar[tuple[Interval, ...]] = ContextVar("communique_interval_locks", default=())


class LockKey(NamedTuple):
    space: int
    bucket: int
    exclusive: bool


def _buckets(interval: Interval, size: int) -> range:
    """Numbers of the ``size``-second buckets (since the epoch) that ``interval`` touches."""
    first = int(interval.start.timestamp()) // size
    last = -(-int(interval.end.timestamp()) // size)  # ceiling
    return range(first, max(last, first + 1))


def lock_keys(interval: Interval) -> list[LockKey]:
    """The advisory locks of ``interval``, in the order they must be taken."""
    days = _buckets(interval, _DAY)
    if interval.end - interval.start > timedelta(seconds=_DAY):
        return [LockKey(DAY_SPACE, day, True) for day in days]
    return [LockKey(DAY_SPACE, day, False) for day in days] + [
        LockKey(HOUR_SPACE, hour, True) for hour in _buckets(interval, _HOUR)
    ]


@contextmanager
def interval_lock(dsn: str, interval: Interval, *, holder: str) -> Iterator[None]:
    """Hold ``interval`` for the block: wait (and say for whom) while another run holds any part of it.

    ``holder`` names this run in ``pg_stat_activity.application_name``, which is what a
    waiting run reports.
    """
    if any(held.start <= interval.start and interval.end <= held.end for held in _held.get()):
        yield
        return
    name = f"communique run {holder}"[:63]
    with database.connect(dsn, autocommit=True, application_name=name) as conn:
        for key in lock_keys(interval):
            _acquire(conn, key, interval)
        token = _held.set((*_held.get(), interval))
        try:
            yield
        finally:
            _held.reset(token)
            conn.execute("SELECT pg_advisory_unlock_all()")


def _acquire(conn: psycopg.Connection[Any], key: LockKey, interval: Interval) -> None:
    mode = "" if key.exclusive else "_shared"
    row = conn.execute(f"SELECT pg_try_advisory_lock{mode}(%s, %s)", (key.space, key.bucket)).fetchone()
    if row and row[0]:
        return
    LOGGER.warning(
        "waiting for interval %s: %s is processing %s", interval, _holders(conn, key) or "another run",
        _describe(key),
    )  # fmt: skip
    conn.execute(f"SELECT pg_advisory_lock{mode}(%s, %s)", (key.space, key.bucket))
    LOGGER.info("interval %s: lock acquired, going on", interval)


def _holders(conn: psycopg.Connection[Any], key: LockKey) -> str:
    """Who holds ``key`` (application name and backend pid), for the waiting message."""
    rows = conn.execute(
        """SELECT DISTINCT a.application_name, a.pid FROM pg_locks AS l JOIN pg_stat_activity AS a USING (pid)
            WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s::oid AND l.objid = %s::oid
              AND a.pid <> pg_backend_pid()""",
        (key.space, key.bucket),
    ).fetchall()
    return ", ".join(f"{name or 'a session'} (pid {pid})" for name, pid in rows)


def _describe(key: LockKey) -> str:
    size = _DAY if key.space == DAY_SPACE else _HOUR
    start = datetime.fromtimestamp(key.bucket * size, UTC)
    return f"the {'day' if size == _DAY else 'hour'} from {start.isoformat()}"
