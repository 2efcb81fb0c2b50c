"""One exception hierarchy for the package: callers catch :class:`CommuniqueError`."""

from __future__ import annotations


class CommuniqueError(Exception):
    """Base class of every error Communiqué raises on purpose."""


class ConfigError(CommuniqueError):
    """The configuration (settings, feed list, model name) is unusable."""


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
