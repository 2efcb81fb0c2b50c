"""One exception hierarchy for the package: callers catch :class:`CommuniqueError`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class CommuniqueError(Exception):
    """Base class of every error Communiqué raises on purpose."""


class ConfigError(CommuniqueError):
    """The configuration (settings, feed list, model name) is unusable."""


class UsageError(CommuniqueError):
    """A command was given arguments it cannot use; the CLI prints the message and a usage hint."""


class FetchError(CommuniqueError):
    """A URL could not be fetched; ``reason`` is a short machine-readable cause."""

    def __init__(
        self,
        url: str,
        reason: str,
        detail: str = "",
        status: int | None = None,
        *,
        retry_after: float | None = None,
    ) -> None:
        self.url = url
        self.reason = reason
        self.detail = detail
        self.status = status
        #: Seconds the server asked us to wait (``Retry-After``), when it said so.
        self.retry_after = retry_after
        super().__init__(f"{reason}: {url}" + (f" ({detail})" if detail else ""))


class BlockedURLError(FetchError):
    """The URL or one of its redirects points at an address the SSRF guard refuses."""


class ParseError(CommuniqueError):
    """Input (a feed, a page, a WARC record) could not be parsed; ``reason`` is a short machine-readable cause."""

    def __init__(self, message: str, *, reason: str = "unparseable") -> None:
        self.reason = reason
        super().__init__(message)


class ExtractionError(CommuniqueError):
    """The NLP pipeline could not be built or run."""


class WarehouseError(CommuniqueError):
    """The warehouse is unreachable or its schema is not what this version expects."""


class ReportError(CommuniqueError):
    """A brief or an export could not be produced (unknown view, no analyst role, unwritable output)."""


class BriefNotReadyError(ReportError):
    """The warehouse has not loaded the whole day yet: the daily brief task waits (Airflow retries it)."""


class RetryableError(CommuniqueError):
    """A transient failure; the client may try again after ``retry_after`` (or its own backoff)."""

    def __init__(self, error: FetchError) -> None:
        super().__init__(str(error))
        self.error = error


class AddressBlockedError(CommuniqueError):
    """A host resolved to an address the guard refuses; raised before any connection is tried."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        self.host = host
        self.address = address
        self.reason = reason
        shown = host if host == address else f"{host} resolves to {address}"
        super().__init__(f"{shown}: {reason.replace('_', ' ')} address refused")


class ResolutionError(CommuniqueError):
    """The host name could not be resolved; ``reason`` is ``dns_error`` or ``dns_timeout``."""

    def __init__(self, host: str, reason: str, detail: str = "") -> None:
        self.host = host
        self.reason = reason
        super().__init__(f"{host}: {detail or reason}")


class DecompressionError(CommuniqueError, ValueError):
    """The body is not valid for its declared content coding, or the coding is unknown."""


class CheckFailure(Protocol):
    """What :class:`DataQualityError` reports of a failed check (``warehouse.checks.CheckResult``)."""

    @property
    def name(self) -> str: ...
    @property
    def promise(self) -> str: ...
    @property
    def failures(self) -> int: ...
    @property
    def samples(self) -> tuple[str, ...]: ...


class DataQualityError(CommuniqueError):
    """A load broke one of the warehouse's promises; the run must fail."""

    def __init__(self, interval: object, failed: Sequence[CheckFailure]) -> None:
        self.failed = list(failed)
        lines = [f"{c.name}: {c.failures} rows break '{c.promise}' (e.g. {', '.join(c.samples)})" for c in failed]
        super().__init__(f"data-quality checks failed for {interval}:\n  " + "\n  ".join(lines))
