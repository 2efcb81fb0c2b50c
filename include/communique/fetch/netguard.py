"""Where our HTTP client may connect: the SSRF guard and the connection layer that enforces it.

Three jobs, kept together because each relies on the others to be safe:

* :func:`check_address` is the policy: which IP addresses the open-web client must never
  reach: every IANA special-purpose block (private, loopback, link-local, multicast,
  reserved, CGNAT, documentation, AS112 and other infrastructure anycast), cloud metadata,
  IPv4-mapped, -translated and -compatible IPv6 (no public site is reached through them), and
  the NAT64 and 6to4 forms of a refused IPv4 address.
* :class:`GuardedBackend` is an ``httpcore`` network backend that resolves a host name
  itself, checks *every* address it resolves to, and connects to one of exactly those
  addresses. The check and the connection use the same answer, so a DNS server that changes
  its reply between the two (DNS rebinding) gains nothing; the URL keeps its host name, so
  the ``Host`` header, TLS SNI and certificate checks are unchanged.
* A per-request deadline (:func:`deadline`) clamps every connect, TLS handshake, read and
  write, so a server that drips one byte at a time cannot outlast the total timeout.
"""

from __future__ import annotations

import contextvars
import functools
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager
from typing import Any

import httpcore
import httpx

from communique.errors import AddressBlockedError, ResolutionError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
#: ``(host, port) -> IP address strings``; the default asks the system resolver.
Resolver = Callable[[str, int], Sequence[str]]

#: Cloud metadata and instance-control endpoints. Most sit in ranges refused anyway; the
#: list names them so the refusal says why, and it catches Azure's public-looking WireServer.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, Oracle, DigitalOcean instance metadata
        "169.254.170.2",  # AWS ECS task metadata and credentials
        "169.254.169.123",  # AWS time sync
        "169.254.169.253",  # AWS VPC DNS
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "fd00:ec2::23",  # AWS VPC DNS over IPv6
        "fd00:ec2::123",  # AWS time sync over IPv6
        "100.100.100.200",  # Alibaba Cloud metadata
        "168.63.129.16",  # Azure WireServer (publicly routable, reachable only from inside Azure)
    )
)

_V4_RANGES = tuple(
    (ipaddress.IPv4Network(net), reason)
    for net, reason in (
        ("0.0.0.0/8", "unspecified"),
        ("10.0.0.0/8", "private"),
        ("100.64.0.0/10", "shared_cgnat"),
        ("127.0.0.0/8", "loopback"),
        ("169.254.0.0/16", "link_local"),
        ("172.16.0.0/12", "private"),
        ("192.0.0.0/24", "reserved"),
        ("192.0.2.0/24", "documentation"),
        ("192.31.196.0/24", "special_purpose"),  # AS112 DNS sink
        ("192.52.193.0/24", "special_purpose"),  # AMT relays
        ("192.88.99.0/24", "reserved"),
        ("192.168.0.0/16", "private"),
        ("192.175.48.0/24", "special_purpose"),  # AS112 direct delegation
        ("198.18.0.0/15", "benchmarking"),
        ("198.51.100.0/24", "documentation"),
        ("203.0.113.0/24", "documentation"),
        ("224.0.0.0/4", "multicast"),
        ("240.0.0.0/4", "reserved"),
    )
)
_V6_RANGES = tuple(
    (ipaddress.IPv6Network(net), reason)
    for net, reason in (
        ("::/128", "unspecified"),
        ("::1/128", "loopback"),
        ("64:ff9b:1::/48", "private"),
        ("100::/64", "reserved"),
        ("2001::/32", "teredo"),
        ("2001::/23", "reserved"),
        ("2001:db8::/32", "documentation"),
        ("2620:4f:8000::/48", "special_purpose"),  # AS112 direct delegation
        ("3fff::/20", "documentation"),
        ("5f00::/16", "reserved"),  # segment routing (SRv6) identifiers
        ("fc00::/7", "private"),
        ("fe80::/10", "link_local"),
        ("fec0::/10", "site_local"),
        ("ff00::/8", "multicast"),
    )
)
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_V4_COMPATIBLE = ipaddress.IPv6Network("::/96")
_V4_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
#: Forms refused whatever IPv4 address they carry; NAT64 and 6to4 reach the address they embed.
_ALWAYS_REFUSED_FORMS = ("ipv4_mapped", "ipv4_translated", "ipv4_compatible")


def check_address(address: str | IPAddress) -> str | None:
    """The guard's verdict on one IP address: the reason it is refused, or ``None`` if allowed.

    Pure (no network): ``check_address("169.254.169.254") == "cloud_metadata"``.
    """
    try:
        ip = address if not isinstance(address, str) else ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not_an_ip"
    if ip in METADATA_ADDRESSES:
        return "cloud_metadata"
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return _embedded_verdict(*embedded)
        ranges: Iterable[tuple[Any, str]] = _V6_RANGES
    else:
        if ip == ipaddress.IPv4Address("255.255.255.255"):
            return "broadcast"
        ranges = _V4_RANGES
    for network, reason in ranges:
        if ip in network:
            return reason
    return None if ip.is_global else "not_global"


def _embedded_verdict(form: str, inner: ipaddress.IPv4Address) -> str | None:
    """The verdict on an IPv6 form that carries ``inner``: the inner verdict, else the form's own."""
    verdict = check_address(inner)
    if verdict:
        return f"{form}:{verdict}"
    return form if form in _ALWAYS_REFUSED_FORMS else None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> tuple[str, ipaddress.IPv4Address] | None:
    """The IPv4 address a translated IPv6 form would reach, with the form's name."""
    if ip.ipv4_mapped is not None:
        return "ipv4_mapped", ip.ipv4_mapped
    if ip in _V4_TRANSLATED:
        return "ipv4_translated", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip.sixtofour is not None:
        return "6to4", ip.sixtofour
    if ip in _NAT64:
        return "nat64", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    if ip in _V4_COMPATIBLE and int(ip) > 1:
        return "ipv4_compatible", ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def resolve_host(host: str, port: int) -> list[str]:
    """All addresses the system resolver gives for ``host``, in its preference order, no duplicates."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


_RESOLVER_POOL: ThreadPoolExecutor | None = None


def _resolver_pool() -> ThreadPoolExecutor:
    global _RESOLVER_POOL  # noqa: PLW0603 - one lazily created pool per process
    if _RESOLVER_POOL is None:
        _RESOLVER_POOL = ThreadPoolExecutor(max_workers=8, thread_name_prefix="communique-dns")
    return _RESOLVER_POOL


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def resolve_bounded(resolver: Resolver, host: str, port: int, timeout: float | None) -> list[str]:
    """Resolve ``host`` within ``timeout`` seconds (getaddrinfo itself cannot be interrupted)."""
    if _is_ip_literal(host):
        return [host]
    future = _resolver_pool().submit(resolver, host, port)
    try:
        addresses = list(future.result(timeout=timeout))
    except FutureTimeout as exc:
        raise ResolutionError(host, "dns_timeout", f"no answer within {timeout:.1f} s") from exc
    except (OSError, UnicodeError) as exc:
        raise ResolutionError(host, "dns_error", str(exc)) from exc
    if not addresses:
        raise ResolutionError(host, "dns_error", "no addresses")
    return addresses


# --- deadlines -------------------------------------------------------------------------

_DEADLINE: contextvars.ContextVar[float | None] = contextvars.ContextVar("communique_deadline", default=None)


@contextmanager
def deadline(seconds: float) -> Iterator[float]:
    """Bound every network operation started in this context to ``seconds`` from now.

    Nested deadlines never extend an outer one (robots.txt fetched during a feed's fetch).
    """
    until = time.monotonic() + seconds
    outer = _DEADLINE.get()
    if outer is not None:
        until = min(until, outer)
    token = _DEADLINE.set(until)
    try:
        yield until
    finally:
        _DEADLINE.reset(token)


def deadline_passed() -> bool:
    """Whether the current context's deadline (if any) has gone by."""
    until = _DEADLINE.get()
    return until is not None and time.monotonic() >= until


def _clamp(timeout: float | None, expired: type[Exception]) -> float | None:
    until = _DEADLINE.get()
    if until is None:
        return timeout
    remaining = until - time.monotonic()
    if remaining <= 0:
        raise expired("total timeout exceeded")
    return remaining if timeout is None else min(timeout, remaining)


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation ends by the context's deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self._inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, _clamp(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, _clamp(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        inner = self._inner.start_tls(ssl_context, server_hostname, _clamp(timeout, httpcore.ConnectTimeout))
        return DeadlineStream(inner)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """Resolve, check every address, then connect to a checked address: no rebinding window.

    :param guard: refuse addresses :func:`check_address` rejects; ``False`` only resolves and
        connects (allowed origins, or ``allow_private_addresses``).
    :param resolver: ``(host, port) -> addresses``; the system resolver by default.
    """

    def __init__(self, *, guard: bool = True, resolver: Resolver = resolve_host) -> None:
        self.guard = guard
        self._resolver = resolver
        self._inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = resolve_bounded(self._resolver, host, port, _clamp(timeout, httpcore.ConnectTimeout))
        if self.guard:
            for address in addresses:
                reason = check_address(address)
                if reason is not None:
                    raise AddressBlockedError(host, address, reason)
        failure: Exception | None = None
        for address in addresses:
            try:
                stream = self._inner.connect_tcp(
                    address, port, _clamp(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except httpcore.ConnectError as exc:
                failure = exc
                continue
            return DeadlineStream(stream)
        assert failure is not None
        raise failure

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not reachable from the open-web client")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


def pinned_transport(backend: GuardedBackend, pool_size: int, ssl_context: ssl.SSLContext) -> httpx.HTTPTransport:
    """An httpx transport whose connections all go through ``backend`` (resolve, check, connect).

    httpx does not take a network backend as an argument, so the pool it builds is replaced
    by an identical one that has ours (``tests/unit/test_downloads_guard.py`` proves ours is used).
    """
    limits = httpx.Limits(max_connections=pool_size, max_keepalive_connections=pool_size, keepalive_expiry=30.0)
    transport = httpx.HTTPTransport(verify=ssl_context, trust_env=False, limits=limits)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        http1=True,
        http2=False,
        network_backend=backend,
    )
    return transport


@functools.cache
def default_ssl_context() -> ssl.SSLContext:
    """One verifying TLS context (certifi's CA bundle) per process: loading it costs ~30 ms."""
    return httpx.create_ssl_context(trust_env=False)
