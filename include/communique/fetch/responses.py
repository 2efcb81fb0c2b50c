"""Reading what a server sends: bounded bodies, statuses and transport failures as our errors.

Helpers of :class:`communique.fetch.downloads.HttpClient`, kept apart so that the client reads as
the protocol it follows (redirects, guard, robots, retries) and this module as the rules it
applies to each response.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from datetime import datetime

import httpx

from communique.errors import (
    AddressBlockedError,
    BlockedURLError,
    DecompressionError,
    FetchError,
    ResolutionError,
    RetryableError,
)
from communique.fetch.decompression import decode_stream, parse_content_encoding
from communique.fetch.netguard import deadline_passed
from communique.fetch.politeness import parse_retry_after

#: Statuses worth another attempt (with backoff, or after ``Retry-After`` on 429/503).
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})
#: Small unwanted bodies (redirects, error pages) are read to keep the connection; larger ones drop it.
DRAIN_LIMIT = 64 * 1024


def read_body(url: str, response: httpx.Response, limit: int, truncate: bool) -> tuple[bytes, int]:
    """The decoded body, never more than ``limit`` bytes held, compressed or not."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit and not truncate:
        raise FetchError(url, "too_large", f"Content-Length {declared} exceeds the {limit}-byte cap")
    codings = parse_content_encoding(response.headers.get("content-encoding"))
    wire = 0

    def raw() -> Iterator[bytes]:
        nonlocal wire
        for chunk in response.iter_raw():
            wire += len(chunk)
            if wire > limit and not truncate:
                raise FetchError(url, "too_large", f"more than {limit} bytes on the wire")
            yield chunk

    body = bytearray()
    for chunk in decode_stream(raw(), codings):
        body += chunk
        if len(body) > limit:
            if truncate:
                del body[limit:]
                break
            raise FetchError(url, "too_large", f"more than {limit} bytes after decoding")
    return bytes(body), wire


def drain(response: httpx.Response, limit: int = DRAIN_LIMIT) -> None:
    """Read a small unwanted body (redirect, error page) so the connection can be reused."""
    declared = response.headers.get("content-length", "")
    if not declared.isdigit() or int(declared) > limit:
        return  # unknown or large: closing the response drops the connection instead
    try:
        for _ in response.iter_raw():
            pass
    except httpx.HTTPError:
        return


def status_failure(url: str, response: httpx.Response, now: datetime) -> FetchError | RetryableError:
    status = response.status_code
    if status == 404:
        return FetchError(url, "not_found", "HTTP 404", status)
    if status == 410:
        return FetchError(url, "gone", "HTTP 410", status)
    if status in RETRY_STATUSES:
        retry_after = parse_retry_after(response.headers.get("retry-after"), now) if status in (429, 503) else None
        reason = "rate_limited" if status == 429 else "server_error" if status >= 500 else "http_error"
        return RetryableError(FetchError(url, reason, f"HTTP {status}", status, retry_after=retry_after))
    return FetchError(url, "http_error", f"HTTP {status}", status)


def classify(url: str, exc: Exception) -> FetchError | RetryableError:
    """Our error for a transport-level failure; transient ones come wrapped for a retry."""
    if isinstance(exc, AddressBlockedError):
        return BlockedURLError(url, "blocked", str(exc))
    reason, transient = _reason_for(exc)
    error = FetchError(url, reason, str(exc) or type(exc).__name__)
    return RetryableError(error) if transient else error


#: (exception type, reason, transient?) for failures that need no closer look; first match wins.
_TRANSPORT_REASONS: tuple[tuple[type[Exception], str, bool], ...] = (
    (DecompressionError, "decode_error", False),
    (httpx.UnsupportedProtocol, "bad_url", False),
    (httpx.LocalProtocolError, "protocol_error", False),
    (httpx.ProxyError, "protocol_error", False),
    (httpx.TransportError, "connection_error", True),
)


def _reason_for(exc: Exception) -> tuple[str, bool]:
    if isinstance(exc, ResolutionError):
        return exc.reason, exc.reason == "dns_timeout"
    if isinstance(exc, httpx.TimeoutException):
        if deadline_passed():
            return "total_timeout", False
        return ("connect_timeout" if isinstance(exc, httpx.ConnectTimeout) else "read_timeout"), True
    if isinstance(exc, httpx.ConnectError):
        return ("tls_error", False) if _caused_by(exc, ssl.SSLError) else ("connect_error", True)
    for kind, reason, transient in _TRANSPORT_REASONS:
        if isinstance(exc, kind):
            return reason, transient
    return "protocol_error", False


def _caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, kind):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def lower_headers(headers: httpx.Headers) -> dict[str, str]:
    merged: dict[str, str] = {}
    for name, value in headers.multi_items():
        key = name.lower()
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return merged


def header_size(headers: dict[str, str]) -> int:
    return len("HTTP/1.1 200 OK\r\n\r\n") + sum(len(k) + len(v) + 4 for k, v in headers.items())
