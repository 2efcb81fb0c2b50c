"""Politeness: robots.txt, per-host concurrency and delay, Retry-After parsing, backoff."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from communique.errors import FetchError
from communique.fetch.downloads import FetchRequest, HttpClient
from communique.fetch.politeness import HostScheduler, backoff_delay, parse_retry_after
from communique.fetch.robots import user_agent_token
from communique.settings import HttpSettings
from tests.support.http_server import LocalHTTPServer, Reply
from tests.support.loopback import loopback_only

ROBOTS = """\
User-agent: *
Disallow: /private/

User-agent: Communique
Disallow: /no-bots/
Crawl-delay: 0.3
"""


@pytest.fixture(autouse=True)
def _loopback() -> Iterator[None]:
    with loopback_only():
        yield


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as running:
        yield running


def polite(server: LocalHTTPServer, *origins: str, **changes: object) -> HttpSettings:
    base = HttpSettings(
        allowed_origins=(server.origin, *origins),
        max_retries=0,
        respect_robots_txt=True,
        per_host_delay=0.0,
        total_timeout=5.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


# --- robots.txt ----------------------------------------------------------------------------------------


def test_robots_txt_disallow_is_respected_and_cached(server: LocalHTTPServer) -> None:
    server.route("/robots.txt", Reply.text(ROBOTS))
    server.route("/no-bots/feed.xml", Reply(body=b"secret"))
    server.route("/private/feed.xml", Reply(body=b"also ours"))
    server.route("/feed.xml", Reply(body=b"ok"))
    with HttpClient(polite(server)) as client:
        with pytest.raises(FetchError) as caught:
            client.fetch(server.url("/no-bots/feed.xml"), kind="feed")
        # our own group replaces the * group, so /private/ is allowed to us (RFC 9309 §2.2.1)
        assert client.fetch(server.url("/private/feed.xml")).body == b"also ours"
        assert client.fetch(server.url("/feed.xml")).body == b"ok"
        assert client.host_delay("127.0.0.1") == pytest.approx(0.3)  # Crawl-delay raises our delay
    assert caught.value.reason == "robots_disallowed"
    assert server.hits("/no-bots/feed.xml") == 0
    assert server.hits("/robots.txt") == 1


def test_robots_txt_is_ignored_when_told(server: LocalHTTPServer) -> None:
    server.route("/robots.txt", Reply.text("User-agent: *\nDisallow: /\n"))
    server.route("/feed.xml", Reply(body=b"ok"))
    with HttpClient(polite(server, respect_robots_txt=False)) as client:
        assert client.fetch(server.url("/feed.xml")).body == b"ok"
    assert server.hits("/robots.txt") == 0


@pytest.mark.parametrize("status", [404, 403, 410])
def test_missing_robots_txt_allows_everything(server: LocalHTTPServer, status: int) -> None:
    server.route("/robots.txt", Reply.text("nope", status=status))
    server.route("/feed.xml", Reply(body=b"ok"))
    with HttpClient(polite(server)) as client:
        assert client.fetch(server.url("/feed.xml")).body == b"ok"


@pytest.mark.parametrize("status", [500, 503, 429])
def test_unreachable_robots_txt_disallows_everything(server: LocalHTTPServer, status: int) -> None:
    server.route("/robots.txt", Reply.text("down", status=status))
    server.route("/feed.xml", Reply(body=b"ok"))
    with HttpClient(polite(server)) as client, pytest.raises(FetchError) as caught:
        client.fetch(server.url("/feed.xml"))
    assert caught.value.reason == "robots_unavailable"
    assert server.hits("/feed.xml") == 0


def test_robots_txt_is_checked_at_every_redirect_hop(server: LocalHTTPServer) -> None:
    with LocalHTTPServer("127.0.0.2") as other:
        other.route("/robots.txt", Reply.text("User-agent: *\nDisallow: /\n"))
        server.route("/robots.txt", Reply.text("User-agent: *\nAllow: /\n"))
        server.redirect("/feed.xml", other.url("/feed.xml"))
        with HttpClient(polite(server, other.origin)) as client, pytest.raises(FetchError) as caught:
            client.fetch(server.url("/feed.xml"))
        assert caught.value.reason == "robots_disallowed"
        assert other.hits("/feed.xml") == 0


def test_oversized_robots_txt_is_read_up_to_the_cap(server: LocalHTTPServer) -> None:
    rules = "User-agent: *\nDisallow: /blocked/\n" + "# padding\n" * 20_000
    server.route("/robots.txt", Reply.text(rules))
    with HttpClient(polite(server, max_robots_bytes=1024)) as client, pytest.raises(FetchError) as caught:
        client.fetch(server.url("/blocked/x"))
    assert caught.value.reason == "robots_disallowed"


def test_user_agent_token() -> None:
    assert user_agent_token("Communique/0.1.0 (+https://example.org)") == "Communique"
    assert user_agent_token("") == "*"


# --- per-host concurrency and delay ----------------------------------------------------------------------


def test_per_host_concurrency_is_capped(server: LocalHTTPServer) -> None:
    server.route("/slow", Reply(body=b"x", delay=0.15))
    requests = [FetchRequest(server.url("/slow")) for _ in range(6)]
    settings = polite(server, per_host_concurrency=2, respect_robots_txt=False)
    with HttpClient(settings, max_workers=6) as client:
        outcomes = client.fetch_many(requests)
    assert all(o.ok for o in outcomes)
    assert server.max_in_flight <= 2


def test_per_host_delay_spaces_request_starts(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(body=b"x"))
    settings = polite(server, per_host_concurrency=4, per_host_delay=0.1, respect_robots_txt=False)
    with HttpClient(settings, max_workers=4) as client:
        client.fetch_many([FetchRequest(server.url("/feed")) for _ in range(4)])
    starts = sorted(r.started for r in server.requests)
    gaps = [later - earlier for earlier, later in itertools.pairwise(starts)]
    # measured on the server, so each gap carries a few ms of thread-scheduling noise
    assert sum(gaps) >= 3 * 0.1 - 0.02
    assert min(gaps) >= 0.05


def test_hosts_are_served_in_parallel_while_one_is_slow(server: LocalHTTPServer) -> None:
    """A slow host does not hold back the workers: the other host's queue drains meanwhile."""
    with LocalHTTPServer("127.0.0.2") as fast:
        server.route("/slow", Reply(body=b"s", delay=0.3))
        fast.route("/fast", Reply(body=b"f"))
        requests = [FetchRequest(server.url("/slow")) for _ in range(2)]
        requests += [FetchRequest(fast.url("/fast")) for _ in range(6)]
        settings = polite(server, fast.origin, per_host_concurrency=1, respect_robots_txt=False)
        with HttpClient(settings, max_workers=3) as client:
            outcomes = client.fetch_many(requests)
        assert all(o.ok for o in outcomes)
        first_slow_done = server.requests[0].started + 0.3
        assert all(r.started < first_slow_done for r in fast.requests)


def test_scheduler_returns_results_in_order_and_exceptions_in_place() -> None:
    def work(item: int) -> int:
        if item == 3:
            raise ValueError("boom")
        return item * 10

    scheduler = HostScheduler(per_host=2, delay_for=lambda host: 0.0, workers=4)
    results = scheduler.run(list(range(6)), lambda item: f"host{item % 2}", work)
    assert results[:3] == [0, 10, 20] and results[4:] == [40, 50]
    assert isinstance(results[3], ValueError)
    assert scheduler.run([], str, work) == []


# --- Retry-After and backoff ---------------------------------------------------------------------------


NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (" 0 ", 0.0),
        ("Mon, 05 Jan 2026 12:01:30 GMT", 90.0),
        ("Mon, 05 Jan 2026 11:00:00 GMT", 0.0),  # in the past: go now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: str | None, seconds: float | None) -> None:
    assert parse_retry_after(value, NOW) == seconds


def test_backoff_grows_exponentially_with_jitter_and_a_cap() -> None:
    rng = random.Random(7)
    for attempt in range(8):
        ceiling = min(30.0, 1.0 * 2**attempt)
        delays = {backoff_delay(attempt, 1.0, 30.0, rng) for _ in range(50)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1
