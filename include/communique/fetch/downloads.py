"""Our HTTP client for the open web: polite, bounded, and guarded against SSRF.

One :class:`HttpClient` per task or process. Every request it makes:

* sends our User-Agent and conditional headers (``If-None-Match`` / ``If-Modified-Since``);
* is bounded in time (connect, read, and a total deadline that also stops slow drips) and in
  size (separate caps for feeds and pages, checked on the compressed *and* decoded bytes);
* follows at most ``max_redirects`` redirects itself, checking scheme, guard and robots.txt
  at every hop, and refusing loops;
* connects only to addresses the SSRF guard accepts (:mod:`communique.fetch.netguard`), unless the
  origin is listed in ``allowed_origins`` or the guard is turned off;
* is retried with exponential backoff and jitter on transient failures only (connection
  errors, timeouts, 408, 429, 5xx), honouring ``Retry-After`` up to ``backoff_max``.

Failures raise :class:`communique.errors.FetchError` with a short ``reason``; see
``docs/fetching.md`` for the list.
"""

from __future__ import annotations

import logging
import random
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TypeVar

import httpx

from communique.errors import (
    AddressBlockedError,
    BlockedURLError,
    ConfigError,
    DecompressionError,
    FetchError,
    ResolutionError,
    RetryableError,
)
from communique.fetch.decompression import ACCEPT_ENCODING
from communique.fetch.netguard import (
    GuardedBackend,
    Resolver,
    check_address,
    deadline,
    default_ssl_context,
    pinned_transport,
    resolve_bounded,
    resolve_host,
)
from communique.fetch.politeness import HostScheduler, backoff_delay
from communique.fetch.responses import (
    classify,
    drain,
    header_size,
    lower_headers,
    read_body,
    status_failure,
)
from communique.fetch.robots import RobotsCache
from communique.settings import HttpSettings

LOGGER = logging.getLogger(__name__)

Kind = Literal["feed", "page", "data"]
T = TypeVar("T")
R = TypeVar("R")

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, "
    "application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
#: Structured data (a SPARQL result set): JSON first.
DATA_ACCEPT = "application/sparql-results+json, application/json;q=0.9, */*;q=0.5"
_ACCEPT = {"feed": FEED_ACCEPT, "page": PAGE_ACCEPT, "data": DATA_ACCEPT}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
#: Reasons meaning "the resource is not there any more" (a feed to mark gone).
GONE_REASONS = frozenset({"not_found", "gone"})


@dataclass(slots=True)
class Response:
    """A fetched resource: the decoded body and what we learnt getting it."""

    url: str
    final_url: str
    status: int
    #: Lower-case names; repeated headers joined with ", ".
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...] = ()
    not_modified: bool = False
    elapsed: float = 0.0
    #: Body bytes as received (compressed), plus an estimate of the status line and headers.
    wire_bytes: int = 0
    attempts: int = 1
    #: The final URL when every redirect was permanent (301/308): the feed's new address.
    permanent_url: str | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass(frozen=True, slots=True)
class FetchRequest:
    url: str
    kind: Kind = "page"
    etag: str | None = None
    last_modified: str | None = None


@dataclass(slots=True)
class FetchOutcome:
    """One result of :meth:`HttpClient.fetch_many`: a response or the error, never both."""

    request: FetchRequest
    response: Response | None = None
    error: FetchError | None = None

    @property
    def ok(self) -> bool:
        return self.response is not None


def _utcnow() -> datetime:
    return datetime.now(UTC)


def origin_of(url: httpx.URL) -> str:
    """``scheme://host:port`` with the port always spelled out (IPv6 hosts in brackets)."""
    port = url.port or (443 if url.scheme == "https" else 80)
    host = f"[{url.host}]" if ":" in url.host else url.host
    return f"{url.scheme}://{host}:{port}"


def _normalise_origin(origin: str) -> str:
    """An ``allowed_origins`` entry in :func:`origin_of` form; a malformed one is a configuration error."""
    try:
        url = httpx.URL(origin.strip())
    except httpx.InvalidURL as exc:
        raise ConfigError(f"allowed origin {origin!r}: {exc}") from exc
    if url.scheme not in ("http", "https") or not url.host or url.path not in ("", "/") or url.query:
        raise ConfigError(f"allowed origin {origin!r} must be scheme://host[:port], e.g. http://127.0.0.1:8765")
    return origin_of(url)


def guard_refusal(url: str, http: HttpSettings, *, resolver: Resolver = resolve_host) -> str | None:
    """Why the client would refuse to connect to ``url`` under ``http``'s guard settings, or ``None``.

    The same decision as at fetch time, made ahead (``communique feeds add``): allowed when
    the guard is off or the origin is allowed; else the host's addresses (an IP literal, or
    what the name resolves to now) must all pass :func:`check_address`. A name that does
    not resolve now is not refused: the fetch checks again when it connects.
    """
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        return f"not a valid URL ({exc})"
    allowed = frozenset(_normalise_origin(o) for o in http.allowed_origins)
    if http.allow_private_addresses or origin_of(parsed) in allowed:
        return None
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        addresses = resolve_bounded(resolver, parsed.host, port, http.connect_timeout)
    except ResolutionError:
        return None
    for address in addresses:
        reason = check_address(address)
        if reason is not None:
            shown = parsed.host if address == parsed.host else f"{parsed.host} resolves to {address}"
            return f"{shown}: {reason.replace('_', ' ')} address refused"
    return None


class HttpClient:
    """The polite, bounded, guarded HTTP client; use as a context manager, one per task.

    :param http: limits and politeness settings.
    :param clock: the aware-UTC "now" stamped on responses and used for ``Retry-After`` dates.
    :param sleep: how to wait between retries (tests pass a recorder).
    :param resolver: ``(host, port) -> addresses``; the system resolver by default.
    :param max_workers: threads for :meth:`fetch_many` (``Settings.fetch_concurrency``).
    :param robots_ttl: how long a robots.txt is cached, in seconds.
    :param ssl_context: certificate verification for https (default: certifi's CA bundle);
        pass one to trust a corporate or test CA.
    """

    def __init__(
        self,
        http: HttpSettings,
        *,
        clock: Callable[[], datetime] = _utcnow,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver = resolve_host,
        max_workers: int = 8,
        robots_ttl: float = 24 * 3600.0,
        rng: random.Random | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.http = http
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()  # noqa: S311 - jitter, not cryptography
        self._max_workers = max_workers
        self._limits = {"feed": http.max_feed_bytes, "page": http.max_page_bytes, "data": http.max_data_bytes}
        self._timeout = httpx.Timeout(
            connect=http.connect_timeout,
            read=http.read_timeout,
            write=http.read_timeout,
            pool=http.total_timeout,
        ).as_dict()
        self._allowed = frozenset(_normalise_origin(o) for o in http.allowed_origins)
        pool_size = max(10, max_workers * 2)
        tls = ssl_context or default_ssl_context()
        self._open = pinned_transport(GuardedBackend(guard=False, resolver=resolver), pool_size, tls)
        self._guarded = (
            self._open
            if http.allow_private_addresses
            else pinned_transport(GuardedBackend(guard=True, resolver=resolver), pool_size, tls)
        )
        self.robots = RobotsCache(self._fetch_robots, user_agent=http.user_agent, ttl=robots_ttl)

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._guarded.close()
        self._open.close()

    # --- public API ------------------------------------------------------------------------

    def fetch(
        self, url: str, *, kind: Kind = "page", etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` within all our limits; ``not_modified`` is set when the server answered 304.

        :raises BlockedURLError: the URL or a redirect points at a refused address.
        :raises FetchError: any other failure, with ``reason`` (and ``status``/``retry_after`` when known).
        """
        headers = {"accept": _ACCEPT[kind]}
        if etag:
            headers["if-none-match"] = etag
        if last_modified:
            headers["if-modified-since"] = last_modified
        limit = self._limits[kind]
        started = time.monotonic()
        attempt = 0
        while True:
            try:
                response = self._attempt(url, headers, limit, robots=self.http.respect_robots_txt)
            except RetryableError as retry:
                wait = self._retry_wait(retry.error, attempt)
                LOGGER.info("retrying %s in %.1f s (%s)", url, wait, retry.error.reason)
                self._sleep(wait)
                attempt += 1
                continue
            response.attempts = attempt + 1
            response.elapsed = time.monotonic() - started
            return response

    def fetch_many(self, requests: Sequence[FetchRequest]) -> list[FetchOutcome]:
        """Fetch concurrently, politely per host; outcomes in input order, failures isolated."""

        def one(request: FetchRequest) -> Response:
            return self.fetch(request.url, kind=request.kind, etag=request.etag, last_modified=request.last_modified)

        outcomes = []
        for request, result in zip(requests, self.map_politely(one, requests, lambda r: r.url), strict=True):
            if isinstance(result, Response):
                outcomes.append(FetchOutcome(request, response=result))
            elif isinstance(result, FetchError):
                outcomes.append(FetchOutcome(request, error=result))
            else:
                outcomes.append(FetchOutcome(request, error=FetchError(request.url, "internal_error", repr(result))))
        return outcomes

    def map_politely(
        self, work: Callable[[T], R], items: Sequence[T], url_of: Callable[[T], str]
    ) -> list[R | Exception]:
        """Run ``work`` over ``items`` on our threads with per-host concurrency and delay.

        The building block of :meth:`fetch_many` and of feed polling (fetch and parse in one
        go); an exception is returned in place of its item's result.
        """
        scheduler = HostScheduler(
            per_host=self.http.per_host_concurrency, delay_for=self.host_delay, workers=self._max_workers
        )
        return scheduler.run(items, lambda item: _host_key(url_of(item)), work)

    def host_delay(self, host: str) -> float:
        """Seconds between two request starts to ``host``: our setting, or its robots.txt Crawl-delay."""
        delay = self.http.per_host_delay
        if self.http.respect_robots_txt:
            delay = max(delay, self.robots.crawl_delay(host) or 0.0)
        return delay

    # --- one attempt: redirects, guard, robots, status, body ---------------------------------

    def _attempt(
        self, url: str, headers: dict[str, str], limit: int, *, robots: bool, truncate: bool = False
    ) -> Response:
        with deadline(self.http.total_timeout):
            try:
                return self._follow(url, headers, limit, robots=robots, truncate=truncate)
            except (httpx.HTTPError, AddressBlockedError, ResolutionError, DecompressionError) as exc:
                failure = classify(url, exc)
        raise failure

    def _follow(self, url: str, headers: dict[str, str], limit: int, *, robots: bool, truncate: bool) -> Response:
        current = _parse_url(url, url)
        hops: list[str] = []
        permanent = True
        cookies = httpx.Cookies()  # only for this redirect chain (consent flows), never kept
        seen: set[tuple[str, str]] = set()
        for _ in range(self.http.max_redirects + 1):
            self._admit(url, current, robots=robots)
            request = httpx.Request("GET", current, headers={**headers, **self._base_headers()})
            cookies.set_cookie_header(request)
            seen.add((str(current), request.headers.get("cookie", "")))
            response = self._send(request)
            try:
                cookies.extract_cookies(response)
                if response.status_code not in REDIRECT_STATUSES:
                    return self._finish(
                        url, current, response, hops=hops, permanent=permanent, limit=limit, truncate=truncate
                    )
                drain(response)
                current = _redirect_target(url, current, response)
                permanent = permanent and response.status_code in PERMANENT_REDIRECTS
                hops.append(str(current))
                if (str(current), _cookie_header(cookies, current)) in seen:
                    raise FetchError(url, "redirect_loop", f"{current} again after {len(hops)} redirects")
            finally:
                response.close()
        raise FetchError(url, "too_many_redirects", f"more than {self.http.max_redirects} redirects")

    def _base_headers(self) -> dict[str, str]:
        return {"user-agent": self.http.user_agent, "accept-encoding": ACCEPT_ENCODING}

    def _admit(self, url: str, current: httpx.URL, *, robots: bool) -> None:
        """Refuse a hop before connecting: a literal IP the guard rejects, or a robots.txt rule."""
        origin = origin_of(current)
        guarded = not (self.http.allow_private_addresses or origin in self._allowed)
        if guarded:
            reason = check_address(current.host) if _is_literal(current.host) else None
            if reason is not None:
                raise BlockedURLError(url, "blocked", f"{current.host}: {reason.replace('_', ' ')} address refused")
        if robots:
            verdict = self.robots.check(str(current), origin)
            if verdict is not None:
                raise FetchError(url, verdict, f"robots.txt of {origin} forbids {current.raw_path.decode()}")

    def _send(self, request: httpx.Request) -> httpx.Response:
        request.extensions["timeout"] = self._timeout
        transport = self._open if origin_of(request.url) in self._allowed else self._guarded
        response = transport.handle_request(request)
        response.request = request
        return response

    def _finish(
        self,
        url: str,
        current: httpx.URL,
        response: httpx.Response,
        *,
        hops: list[str],
        permanent: bool,
        limit: int,
        truncate: bool,
    ) -> Response:
        status = response.status_code
        if status >= 400 or (status < 200):
            drain(response)
            raise status_failure(url, response, self._clock())
        body, wire = (b"", 0) if status == 304 else read_body(url, response, limit, truncate)
        headers = lower_headers(response.headers)
        return Response(
            url=url,
            final_url=str(current),
            status=status,
            headers=headers,
            body=body,
            fetched_at=self._clock(),
            redirects=tuple(hops),
            not_modified=status == 304,
            wire_bytes=wire + header_size(headers),
            permanent_url=str(current) if hops and permanent else None,
        )

    def _retry_wait(self, error: FetchError, attempt: int) -> float:
        """How long to wait before the next attempt; re-raises ``error`` when we should not retry."""
        if attempt >= self.http.max_retries:
            raise error
        if error.retry_after is not None:
            if error.retry_after > self.http.backoff_max:
                raise error  # the server asks for longer than we wait in-process: let the caller back off
            return error.retry_after
        return backoff_delay(attempt, self.http.backoff_base, self.http.backoff_max, self._rng)

    def _fetch_robots(self, robots_url: str) -> tuple[int, bytes]:
        """robots.txt through the same guard and caps (truncated at the cap, never retried)."""
        headers = {"accept": "text/plain, */*;q=0.5"}
        try:
            response = self._attempt(robots_url, headers, self.http.max_robots_bytes, robots=False, truncate=True)
        except RetryableError as retry:
            if retry.error.status is None:
                raise retry.error from None
            return retry.error.status, b""
        except BlockedURLError:
            raise
        except FetchError as error:
            if error.status is None:
                raise
            return error.status, b""
        return response.status, response.body


def _host_key(url: str) -> str:
    try:
        return httpx.URL(url).host or url
    except httpx.InvalidURL:
        return url


def _is_literal(host: str) -> bool:
    return check_address(host) != "not_an_ip"


def _parse_url(url: str, original: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url.strip())
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(original, "bad_url", str(exc)) from exc
    if parsed.scheme not in ("http", "https"):
        raise FetchError(original, "bad_scheme", f"{parsed.scheme or 'no'} scheme in {url!r}: http and https only")
    if not parsed.host:
        raise FetchError(original, "bad_url", f"no host in {url!r}")
    if parsed.userinfo:
        raise FetchError(original, "bad_url", "credentials in URLs are not sent")
    return parsed.copy_with(fragment=None)


def _redirect_target(url: str, current: httpx.URL, response: httpx.Response) -> httpx.URL:
    location = response.headers.get("location", "").strip()
    if not location:
        raise FetchError(url, "bad_redirect", f"{response.status_code} without Location", response.status_code)
    try:
        target = current.join(location)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(url, "bad_redirect", f"unusable Location {location!r}: {exc}") from exc
    return _parse_url(str(target), url)


def _cookie_header(cookies: httpx.Cookies, url: httpx.URL) -> str:
    probe = httpx.Request("GET", url)
    cookies.set_cookie_header(probe)
    return str(probe.headers.get("cookie", ""))
