"""Feeds in the warehouse: the registry mirror, conditional-GET state, health, and entries.

Polls are recorded only after their entries are stored (same transaction), so a crash in
between re-polls rather than loses entries. A feed that keeps failing backs off
exponentially, up to a day; ``Retry-After`` is honoured.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from communique.dedup.urls import canonical_url
from communique.models import FeedSpec

if TYPE_CHECKING:
    import psycopg

    from communique.feeds.polling import FeedState, PollResult

LOGGER = logging.getLogger(__name__)
MAX_BACKOFF = timedelta(hours=24)


def database_now(conn: psycopg.Connection[Any]) -> datetime:
    """The warehouse clock: one clock for every worker's 'when is this feed due'."""
    row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def sync_registry(conn: psycopg.Connection[Any], specs: Sequence[FeedSpec]) -> None:
    """Mirror the registry file: upsert its feeds, disable the ones it no longer lists."""
    for spec in specs:
        conn.execute(
            """INSERT INTO feed (feed_url, outlet, name, language, country, poll_interval_minutes, enabled)
               VALUES (%s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (feed_url) DO UPDATE SET outlet = EXCLUDED.outlet, name = EXCLUDED.name,
                   language = EXCLUDED.language, country = EXCLUDED.country,
                   poll_interval_minutes = EXCLUDED.poll_interval_minutes, enabled = EXCLUDED.enabled""",
            (spec.url, spec.outlet, spec.name, spec.language, spec.country, spec.poll_interval_minutes, spec.enabled),
        )
        conn.execute("INSERT INTO feed_health (feed_url) VALUES (%s) ON CONFLICT DO NOTHING", (spec.url,))
    conn.execute("UPDATE feed SET enabled = false WHERE NOT (feed_url = ANY(%s))", ([s.url for s in specs],))


def due_feeds(conn: psycopg.Connection[Any], specs: Sequence[FeedSpec], *, force: bool = False) -> list[FeedSpec]:
    """The enabled feeds whose next poll time has come (all enabled ones when ``force``)."""
    rows = conn.execute(
        """SELECT f.feed_url FROM feed f JOIN feed_health h USING (feed_url)
            WHERE f.enabled AND (%s OR h.next_poll_at IS NULL OR h.next_poll_at <= clock_timestamp())""",
        (force,),
    ).fetchall()
    due = {str(r[0]) for r in rows}
    return [s for s in specs if s.url in due]


def load_states(conn: psycopg.Connection[Any]) -> dict[str, FeedState]:
    """The conditional-GET state of every feed."""
    from communique.feeds.polling import FeedState

    rows = conn.execute("SELECT feed_url, etag, last_modified, body_fingerprint, entries_fingerprint FROM feed")
    return {str(url): FeedState(etag, modified, body, entries) for url, etag, modified, body, entries in rows}


def store_entries(conn: psycopg.Connection[Any], result: PollResult, seen_at: datetime) -> int:
    """Upsert the entries of a poll; return how many were new."""
    new = 0
    for entry in result.entries:
        cur = conn.execute(
            """INSERT INTO stg_feed_entry (feed_url, entry_key, url, canonical_url, title, summary, published_at,
                                           authors, first_seen_at, last_seen_at)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
               ON CONFLICT (feed_url, entry_key) DO UPDATE SET
                   url = EXCLUDED.url, canonical_url = EXCLUDED.canonical_url, title = EXCLUDED.title,
                   summary = EXCLUDED.summary, published_at = EXCLUDED.published_at, authors = EXCLUDED.authors,
                   last_seen_at = EXCLUDED.last_seen_at
               RETURNING (xmax = 0)""",
            (
                result.feed_url, entry.entry_key, entry.url, canonical_url(entry.url), entry.title, entry.summary,
                entry.published_at, list(entry.authors), seen_at, seen_at,
            ),
        )  # fmt: skip
        row = cur.fetchone()
        new += bool(row and row[0])
    return new


def record_poll(conn: psycopg.Connection[Any], spec: FeedSpec, result: PollResult, now: datetime) -> None:
    """Store the new conditional-GET state and the feed's health after a poll."""
    state = result.state
    conn.execute(
        """UPDATE feed SET etag = %s, last_modified = %s, body_fingerprint = %s, entries_fingerprint = %s
            WHERE feed_url = %s""",
        (state.etag, state.last_modified, state.body_fingerprint, state.entries_fingerprint, spec.url),
    )
    failures = conn.execute("SELECT consecutive_failures FROM feed_health WHERE feed_url = %s", (spec.url,))
    row = failures.fetchone()
    previous = int(row[0]) if row else 0
    failed = result.failed
    count = previous + 1 if failed else 0
    next_poll = now + next_poll_delay(spec, count, result.retry_after)
    conn.execute(
        """UPDATE feed_health SET last_polled_at = %s, last_status = %s, last_http_status = %s, last_error = %s,
               consecutive_failures = %s, last_success_at = CASE WHEN %s THEN last_success_at ELSE %s END,
               next_poll_at = %s, items_seen = CASE WHEN %s THEN items_seen ELSE %s END,
               items_total = items_total + %s, bytes_last = %s, bytes_total = bytes_total + %s,
               moved_to = %s
            WHERE feed_url = %s""",
        (
            now, result.status, result.http_status, _error_text(result) if failed else None, count, failed, now,
            next_poll, failed or result.status != "ok", len(result.entries), len(result.entries),
            result.bytes_received, result.bytes_received, result.permanent_url, spec.url,
        ),
    )  # fmt: skip


def next_poll_delay(spec: FeedSpec, failures: int, retry_after: float | None) -> timedelta:
    """The poll interval, doubled per consecutive failure (capped at a day), never below Retry-After."""
    base = timedelta(minutes=spec.poll_interval_minutes)
    delay = min(base * (2**failures), MAX_BACKOFF) if failures else base
    if retry_after:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def _error_text(result: PollResult) -> str:
    return result.reason + (f": {result.detail}" if result.detail else "")


@dataclass(slots=True)
class PendingEntry:
    """A feed entry whose page is still to fetch."""

    canonical_url: str
    url: str
    feed_url: str
    outlet: str
    title: str
    published_at: datetime | None


def shard_of(url: str, shards: int) -> int:
    """The ingest shard of a URL: by host, so one host's pages stay in one shard (politeness holds)."""
    if shards <= 1:
        return 0
    host = (urlsplit(url).hostname or "").lower()
    return int(hashlib.sha1(host.encode(), usedforsecurity=False).hexdigest()[:8], 16) % shards


def pending_entries(
    conn: psycopg.Connection[Any], limit: int, shard: int = 0, shards: int = 1
) -> tuple[list[PendingEntry], int]:
    """Entries of ``shard`` to fetch, one per canonical URL, oldest first; and how many listed entries repeat a URL."""
    rows = conn.execute(
        """WITH todo AS (
               SELECT e.canonical_url, e.url, e.feed_url, f.outlet, e.title, e.published_at, e.first_seen_at
                 FROM stg_feed_entry e JOIN feed f USING (feed_url)
                WHERE e.article_id IS NULL
                  AND NOT EXISTS (SELECT 1 FROM fetch_failure x
                                   WHERE x.canonical_url = e.canonical_url
                                     AND (x.gave_up OR x.last_attempt_at >
                                          clock_timestamp() - interval '15 minutes' * power(2, x.attempts - 1)))
           ), pick AS (
               SELECT DISTINCT ON (canonical_url) * FROM todo ORDER BY canonical_url, first_seen_at, feed_url
           ), listed AS (
               SELECT canonical_url, count(*) AS n FROM todo GROUP BY canonical_url
           )
           SELECT pick.canonical_url, url, feed_url, outlet, title, published_at, listed.n
             FROM pick JOIN listed USING (canonical_url)
            ORDER BY first_seen_at, canonical_url"""
    ).fetchall()
    rows = [r for r in rows if shard_of(str(r[0]), shards) == shard]
    repeats = sum(int(r[6]) - 1 for r in rows)
    return [PendingEntry(*r[:6]) for r in rows[:limit]], repeats


def link_entries(conn: psycopg.Connection[Any], entry_canonical: str, article_id: str) -> None:
    """Mark every entry with this canonical URL as fetched into ``article_id``."""
    conn.execute("UPDATE stg_feed_entry SET article_id = %s WHERE canonical_url = %s", (article_id, entry_canonical))


#: Fetch failures that will not heal by themselves (see docs/fetching.md): the URL is given up at once.
PERMANENT_FETCH_FAILURES = frozenset(
    {
        "not_found", "gone", "blocked", "robots_disallowed", "not_html", "too_large", "bad_url", "bad_scheme",
        "bad_redirect", "redirect_loop", "too_many_redirects", "tls_error", "decode_error",
    }
)  # fmt: skip
MAX_FETCH_ATTEMPTS = 5


def record_fetch_failure(
    conn: psycopg.Connection[Any], entry: PendingEntry, reason: str, status: int | None, now: datetime
) -> bool:
    """Remember a failed fetch; return whether the URL is given up for good."""
    row = conn.execute(
        """INSERT INTO fetch_failure (canonical_url, url, feed_url, attempts, last_attempt_at, last_status, last_error,
                                      gave_up)
           VALUES (%(c)s, %(u)s, %(f)s, 1, %(now)s, %(s)s, %(r)s, %(permanent)s)
           ON CONFLICT (canonical_url) DO UPDATE SET attempts = fetch_failure.attempts + 1,
               last_attempt_at = %(now)s, last_status = %(s)s, last_error = %(r)s,
               gave_up = %(permanent)s OR fetch_failure.attempts + 1 >= %(max)s
           RETURNING gave_up""",
        {
            "c": entry.canonical_url, "u": entry.url, "f": entry.feed_url, "now": now, "s": status, "r": reason,
            "permanent": reason in PERMANENT_FETCH_FAILURES, "max": MAX_FETCH_ATTEMPTS,
        },
    ).fetchone()  # fmt: skip
    return bool(row and row[0])
