"""Poll one feed (or many): conditional GET, change detection, parsing, one status per feed.

The warehouse keeps a :class:`FeedState` per feed; :func:`poll_feed` takes the last one and
returns a :class:`PollResult` holding the next one. Store it only after the result's
entries have landed, so a crash between the two re-polls rather than loses entries.

Statuses:

``ok``            new or changed content, parsed; ``entries`` holds what the feed lists.
``not_modified``  the server answered 304 to our ETag / Last-Modified.
``unchanged``     200, but the same bytes (or the same entries) as last time: nothing to land.
``gone``          404 or 410: the feed is not there any more.
``error``         anything else; ``reason`` says what (``connect_error``, ``rate_limited``,
                  ``blocked``, ``robots_disallowed``, ``html_not_feed``, ``entity_declaration`` ...).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Literal

from communique.errors import FetchError, ParseError
from communique.feeds.entries import ParsedFeed, SkippedEntry, body_fingerprint, entries_fingerprint
from communique.feeds.parsing import parse_feed
from communique.fetch.downloads import GONE_REASONS, HttpClient, Response
from communique.models import FeedEntry, FeedSpec

LOGGER = logging.getLogger(__name__)

PollStatus = Literal["ok", "not_modified", "unchanged", "gone", "error"]


@dataclass(frozen=True, slots=True)
class FeedState:
    """What we remember about a feed between polls (the warehouse's conditional-GET columns)."""

    etag: str | None = None
    last_modified: str | None = None
    #: :func:`communique.feeds.parsing.body_fingerprint` of the last body parsed.
    body_fingerprint: str | None = None
    #: :func:`communique.feeds.parsing.entries_fingerprint` of the last entries parsed.
    entries_fingerprint: str | None = None


@dataclass(slots=True)
class PollResult:
    """The outcome of polling one feed; ``state`` is what to remember for the next poll."""

    feed_url: str
    status: PollStatus
    state: FeedState
    reason: str = ""
    detail: str = ""
    http_status: int | None = None
    final_url: str | None = None
    #: Where the feed now lives when it was permanently redirected (update the registry).
    permanent_url: str | None = None
    title: str = ""
    entries: list[FeedEntry] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)
    bozo_reason: str | None = None
    encoding: str | None = None
    #: Which format's reader read the body (``ParsedFeed.reader``: ``rss``, ``jsonfeed``), if one did.
    reader: str | None = None
    bytes_received: int = 0
    elapsed: float = 0.0
    fetched_at: datetime | None = None
    #: Seconds the server asked us to wait (429/503 ``Retry-After``): back off at least that long.
    retry_after: float | None = None

    @property
    def failed(self) -> bool:
        return self.status in ("gone", "error")

    def summary(self) -> str:
        """One log line per feed, as the DAG and ``communique poll`` print it."""
        counts = f"{len(self.entries)} entries" + (f", {len(self.skipped)} skipped" if self.skipped else "")
        why = f" {self.reason}" + (f" ({self.detail})" if self.detail else "") if self.reason else ""
        return f"{self.status:<12} {self.feed_url}: {counts}, {self.bytes_received} B, {self.elapsed:.2f} s{why}"


def poll_feed(client: HttpClient, spec: FeedSpec, state: FeedState | None = None) -> PollResult:
    """Fetch ``spec.url`` conditionally and parse it if it changed; never raises for a bad feed."""
    state = state or FeedState()
    try:
        response = client.fetch(spec.url, kind="feed", etag=state.etag, last_modified=state.last_modified)
    except FetchError as error:
        return _failure(spec.url, state, error)
    next_state = replace(
        state,
        etag=response.etag or state.etag,
        last_modified=response.last_modified or state.last_modified,
    )
    result = _from_response(spec.url, next_state, response)
    if response.not_modified:
        return result
    fingerprint = body_fingerprint(response.body)
    result.state = replace(result.state, body_fingerprint=fingerprint)
    if fingerprint == state.body_fingerprint:
        result.status = "unchanged"
        return result
    try:
        parsed = parse_feed(response.body, url=spec.url, content_type=response.content_type, format=spec.format)
    except ParseError as error:
        result.status, result.reason, result.detail = "error", error.reason, str(error)
        return result
    return _parsed(result, parsed, previous=state.entries_fingerprint)


def poll_feeds(client: HttpClient, feeds: Sequence[tuple[FeedSpec, FeedState | None]]) -> list[PollResult]:
    """Poll many feeds concurrently (politely per host); one result per feed, in input order."""

    def one(item: tuple[FeedSpec, FeedState | None]) -> PollResult:
        return poll_feed(client, item[0], item[1])

    results = []
    for (spec, state), outcome in zip(feeds, client.map_politely(one, feeds, lambda i: i[0].url), strict=True):
        if isinstance(outcome, PollResult):
            results.append(outcome)
        else:  # a bug, not a bad feed: keep the batch going and say so
            results.append(
                PollResult(
                    spec.url,
                    "error",
                    state or FeedState(),
                    "internal_error",
                    f"{type(outcome).__name__}: {outcome}",
                )
            )
    return results


def _from_response(url: str, state: FeedState, response: Response) -> PollResult:
    return PollResult(
        feed_url=url,
        status="not_modified" if response.not_modified else "ok",
        state=state,
        http_status=response.status,
        final_url=response.final_url,
        permanent_url=response.permanent_url,
        bytes_received=response.wire_bytes,
        elapsed=response.elapsed,
        fetched_at=response.fetched_at,
    )


def _parsed(result: PollResult, parsed: ParsedFeed, *, previous: str | None) -> PollResult:
    fingerprint = entries_fingerprint(parsed.entries)
    result.state = replace(result.state, entries_fingerprint=fingerprint)
    result.title = parsed.title
    result.bozo_reason = parsed.bozo_reason
    result.encoding = parsed.encoding
    result.reader = parsed.reader
    result.skipped = parsed.skipped
    if fingerprint == previous and parsed.entries:
        result.status = "unchanged"  # new bytes (a fresh lastBuildDate ...), same entries
        return result
    result.entries = parsed.entries
    return result


def _failure(url: str, state: FeedState, error: FetchError) -> PollResult:
    status: PollStatus = "gone" if error.reason in GONE_REASONS else "error"
    LOGGER.debug("poll of %s failed: %s", url, error)
    return PollResult(
        feed_url=url,
        status=status,
        state=state,
        reason=error.reason,
        detail=error.detail,
        http_status=error.status,
        retry_after=error.retry_after,
    )
