"""Keep tests on loopback: an audit hook that refuses any other connection or DNS lookup.

Python raises the ``socket.connect`` and ``socket.getaddrinfo`` audit events *before* the
operation, so a hook that raises stops it: inside :func:`loopback_only` no packet can
leave the machine, whatever the code under test tries. The context manager also records
every connection made, so a test can prove that a refused redirect was refused before
any connection was attempted::

    with loopback_only() as connections:
        ...
    assert all(host == "127.0.0.1" for host, _port in connections)
"""

from __future__ import annotations

import ipaddress
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})


class NonLoopbackError(PermissionError):
    """A test tried to reach something other than loopback."""


class _State:
    def __init__(self) -> None:
        self.depth = 0
        self.connections: list[tuple[str, int]] = []
        self.violations: list[str] = []
        self.lock = threading.Lock()
        self.installed = False


_STATE = _State()


def _is_loopback(host: object) -> bool:
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _STATE.depth:
        return
    if event == "socket.connect":
        sock, address = args
        if sock.family not in (socket.AF_INET, socket.AF_INET6):
            return
        host, port = address[0], address[1]
        with _STATE.lock:
            if not _is_loopback(host):
                _STATE.violations.append(f"connect to {host}:{port}")
                raise NonLoopbackError(f"tests may only connect to loopback, not {host}:{port}")
            _STATE.connections.append((host, port))
    elif event == "socket.getaddrinfo":
        host = args[0]
        if host is not None and not _is_loopback(host):
            with _STATE.lock:
                _STATE.violations.append(f"DNS lookup of {host!r}")
            raise NonLoopbackError(f"tests may not resolve {host!r}")


@contextmanager
def loopback_only() -> Iterator[list[tuple[str, int]]]:
    """Refuse non-loopback connects and lookups inside the block; yield the connections made.

    :raises AssertionError: on exit, if anything tried to leave loopback (even if the code
        under test swallowed the refusal).
    """
    if not _STATE.installed:
        sys.addaudithook(_hook)
        _STATE.installed = True
    with _STATE.lock:
        _STATE.depth += 1
        _STATE.connections = []
        _STATE.violations = []
    try:
        yield _STATE.connections
    finally:
        with _STATE.lock:
            _STATE.depth -= 1
            violations = list(_STATE.violations)
    assert not violations, f"non-loopback network use: {violations}"
