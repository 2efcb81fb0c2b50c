"""robots.txt, fetched once per origin and cached, read the way RFC 9309 says.

* 2xx: the rules apply (parsed with ``protego``; the first ``max_robots_bytes`` only).
* 4xx (404, 401, 403, 410 ...): no rules, everything is allowed.
* 429 and 5xx: the site is "unreachable", so everything is disallowed until the entry expires.
* Network failures (DNS, connect, timeout) are cached for a short while and reported as the
  fetch's own error, so an operator sees ``connect_error`` rather than a robots verdict.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from protego import Protego

from communique.errors import BlockedURLError, FetchError

LOGGER = logging.getLogger(__name__)

#: ``robots_url -> (status, body)``; raises :class:`FetchError` when no HTTP answer came.
RobotsFetcher = Callable[[str], tuple[int, bytes]]
#: A ``Crawl-delay`` above this is treated as this (some sites ask for hours).
MAX_CRAWL_DELAY = 60.0


@dataclass(slots=True)
class _Entry:
    expires: float
    rules: Any = None  # protego.Protego when the site has rules
    unavailable: bool = False
    failure: FetchError | None = None


def user_agent_token(user_agent: str) -> str:
    """The product token that robots.txt groups name (``Communique`` of ``Communique/0.1 (...)``)."""
    token = user_agent.split("/", 1)[0].strip()
    return token.split()[0] if token else "*"


class RobotsCache:
    """Per-origin robots.txt verdicts with a TTL; safe to share between threads.

    :param fetch: how to get ``/robots.txt`` (the HTTP client, with its guard and caps).
    :param user_agent: our User-Agent; its product token selects the robots.txt group.
    :param ttl: how long a fetched robots.txt is trusted (RFC 9309: at most 24 hours).
    :param error_ttl: how long an unreachable robots.txt (5xx, network error) is remembered.
    """

    def __init__(
        self,
        fetch: RobotsFetcher,
        *,
        user_agent: str,
        ttl: float = 24 * 3600.0,
        error_ttl: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._agent = user_agent_token(user_agent)
        self._ttl = ttl
        self._error_ttl = min(error_ttl, ttl)
        self._monotonic = monotonic
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def check(self, url: str, origin: str) -> str | None:
        """Why ``url`` may not be fetched (``robots_disallowed`` / ``robots_unavailable``), or ``None``.

        :raises FetchError: robots.txt could not be fetched at all (the cached network failure).
        """
        entry = self._entry(origin)
        if entry.failure is not None:
            failure = entry.failure
            if isinstance(failure, BlockedURLError):
                raise BlockedURLError(url, failure.reason, failure.detail)
            raise FetchError(url, failure.reason, f"robots.txt: {failure.detail}", failure.status)
        if entry.unavailable:
            return "robots_unavailable"
        if entry.rules is not None and not entry.rules.can_fetch(url, self._agent):
            return "robots_disallowed"
        return None

    def crawl_delay(self, host: str) -> float | None:
        """The largest cached ``Crawl-delay`` for our agent on any origin of ``host`` (no fetch)."""
        delays = []
        with self._lock:
            entries = [e for o, e in self._entries.items() if _host_of_origin(o) == host]
        for entry in entries:
            delay = entry.rules.crawl_delay(self._agent) if entry.rules is not None else None
            if delay:
                delays.append(min(float(delay), MAX_CRAWL_DELAY))
        return max(delays) if delays else None

    def _entry(self, origin: str) -> _Entry:
        with self._lock:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:  # one fetch per origin even when many threads ask at once
            entry = self._entries.get(origin)
            if entry is None or entry.expires <= self._monotonic():
                entry = self._load(origin)
                with self._lock:
                    self._entries[origin] = entry
            return entry

    def _load(self, origin: str) -> _Entry:
        now = self._monotonic()
        try:
            status, body = self._fetch(f"{origin}/robots.txt")
        except FetchError as exc:
            LOGGER.info("robots.txt of %s unreachable: %s", origin, exc)
            return _Entry(expires=now + self._error_ttl, failure=exc)
        if 200 <= status < 300:
            rules = Protego.parse(body.decode("utf-8", "replace"))
            return _Entry(expires=now + self._ttl, rules=rules)
        if status == 429 or status >= 500:
            LOGGER.info("robots.txt of %s answered %s: treating the site as disallowed", origin, status)
            return _Entry(expires=now + self._error_ttl, unavailable=True)
        return _Entry(expires=now + self._ttl)


def _host_of_origin(origin: str) -> str:
    rest = origin.split("://", 1)[-1]
    if rest.startswith("["):
        return rest[1 : rest.index("]")]
    return rest.rsplit(":", 1)[0]
