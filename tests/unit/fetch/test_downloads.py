"""The HTTP client against a real local server: statuses, redirects, retries, timeouts, caps."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import brotli
import pytest
import zstandard

from communique.errors import FetchError
from communique.fetch.downloads import GONE_REASONS, FetchRequest, HttpClient
from communique.settings import HttpSettings
from tests.support.http_server import LocalHTTPServer, RecordedRequest, Reply
from tests.support.loopback import loopback_only

RSS = b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title></channel></rss>'
FIXED_NOW = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _loopback() -> Iterator[None]:
    with loopback_only():
        yield


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as running:
        yield running


class Sleeps(list[float]):
    """A ``sleep`` that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def settings_for(server: LocalHTTPServer, **changes: object) -> HttpSettings:
    base = HttpSettings(
        allowed_origins=(server.origin,),
        connect_timeout=2.0,
        read_timeout=2.0,
        total_timeout=5.0,
        max_retries=0,
        backoff_base=0.5,
        backoff_max=10.0,
        respect_robots_txt=False,
        per_host_delay=0.0,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def client_for(server: LocalHTTPServer, sleeps: Sleeps | None = None, **changes: object) -> HttpClient:
    return HttpClient(
        settings_for(server, **changes),
        clock=lambda: FIXED_NOW,
        sleep=sleeps if sleeps is not None else Sleeps(),
    )


def failure(client: HttpClient, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as caught:
        client.fetch(url, **kwargs)  # type: ignore[arg-type]
    return caught.value


# --- 200 and 304 ---------------------------------------------------------------------------------


def test_200_returns_body_headers_and_metadata(server: LocalHTTPServer) -> None:
    server.route("/feed.xml", Reply(body=RSS, headers={"Content-Type": "application/rss+xml", "X-Two": "a"}))
    with client_for(server) as client:
        response = client.fetch(server.url("/feed.xml"), kind="feed")
    assert response.status == 200
    assert response.body == RSS
    assert response.final_url == response.url == server.url("/feed.xml")
    assert response.headers["content-type"] == "application/rss+xml"
    assert response.headers["x-two"] == "a"
    assert response.fetched_at == FIXED_NOW
    assert response.redirects == ()
    assert response.not_modified is False
    assert response.wire_bytes > len(RSS)
    sent = server.requests[0].headers
    assert sent["user-agent"].startswith("Communique/")
    assert "application/rss+xml" in sent["accept"]
    assert {"gzip", "br", "zstd", "deflate"} <= {c.strip() for c in sent["accept-encoding"].split(",")}
    assert "if-none-match" not in sent and "if-modified-since" not in sent


def test_304_on_matching_etag(server: LocalHTTPServer) -> None:
    server.resource("/feed.xml", RSS, etag='"v1"')
    with client_for(server) as client:
        first = client.fetch(server.url("/feed.xml"), kind="feed")
        second = client.fetch(server.url("/feed.xml"), kind="feed", etag=first.etag)
    assert first.etag == '"v1"' and not first.not_modified
    assert second.status == 304 and second.not_modified and second.body == b""
    assert server.requests[1].headers["if-none-match"] == '"v1"'
    assert second.wire_bytes < first.wire_bytes


def test_304_on_matching_last_modified(server: LocalHTTPServer) -> None:
    stamp = "Mon, 05 Jan 2026 10:00:00 GMT"
    server.resource("/feed.xml", RSS, last_modified=stamp)
    with client_for(server) as client:
        first = client.fetch(server.url("/feed.xml"), kind="feed")
        second = client.fetch(server.url("/feed.xml"), kind="feed", last_modified=first.last_modified)
    assert first.last_modified == stamp
    assert second.not_modified
    assert server.requests[1].headers["if-modified-since"] == stamp


def test_a_changed_resource_is_sent_again(server: LocalHTTPServer) -> None:
    server.resource("/feed.xml", RSS, etag='"v2"')
    with client_for(server) as client:
        response = client.fetch(server.url("/feed.xml"), kind="feed", etag='"v1"')
    assert response.status == 200 and response.body == RSS and response.etag == '"v2"'


# --- redirects ---------------------------------------------------------------------------------------


def test_301_302_chain_is_followed_and_reported(server: LocalHTTPServer) -> None:
    server.redirect("/a", "/b", 301)
    server.redirect("/b", server.url("/c"), 302)
    server.route("/c", Reply(body=RSS))
    with client_for(server) as client:
        response = client.fetch(server.url("/a"))
    assert response.body == RSS
    assert response.final_url == server.url("/c")
    assert response.redirects == (server.url("/b"), server.url("/c"))
    assert response.permanent_url is None  # one hop was temporary: keep polling the old URL


def test_permanent_chain_reports_the_new_address(server: LocalHTTPServer) -> None:
    server.redirect("/old", "/older", 308)
    server.redirect("/older", "/new", 301)
    server.route("/new", Reply(body=RSS))
    with client_for(server) as client:
        assert client.fetch(server.url("/old")).permanent_url == server.url("/new")


def test_redirect_loop_is_refused(server: LocalHTTPServer) -> None:
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    with client_for(server) as client:
        error = failure(client, server.url("/a"))
    assert error.reason == "redirect_loop"
    assert server.hits("/a") == 1 and server.hits("/b") == 1


def test_a_cookie_consent_bounce_is_not_a_loop(server: LocalHTTPServer) -> None:
    def article(request: RecordedRequest) -> Reply:
        if "consent=yes" in request.headers.get("cookie", ""):
            return Reply(body=b"article")
        return Reply(status=302, headers={"Location": "/consent"})

    server.route("/article", article)
    server.route("/consent", Reply(status=302, headers={"Location": "/article", "Set-Cookie": "consent=yes; Path=/"}))
    with client_for(server) as client:
        assert client.fetch(server.url("/article")).body == b"article"
        # cookies live for one redirect chain only
        assert client.fetch(server.url("/article")).body == b"article"
    assert "cookie" not in server.requests[3].headers


@pytest.mark.parametrize(("hops", "ok"), [(5, True), (6, False)])
def test_at_most_max_redirects(server: LocalHTTPServer, hops: int, ok: bool) -> None:
    for hop in range(hops):
        server.redirect(f"/r{hop}", f"/r{hop + 1}")
    server.route(f"/r{hops}", Reply(body=b"end"))
    with client_for(server, max_redirects=5) as client:
        if ok:
            assert len(client.fetch(server.url("/r0")).redirects) == hops
        else:
            assert failure(client, server.url("/r0")).reason == "too_many_redirects"
            assert server.hits(f"/r{hops}") == 0


@pytest.mark.parametrize(
    "location", ["ftp://example.org/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "gopher://x/"]
)
def test_redirect_to_a_non_http_scheme_is_refused(server: LocalHTTPServer, location: str) -> None:
    server.redirect("/feed", location)
    with client_for(server) as client:
        assert failure(client, server.url("/feed")).reason == "bad_scheme"


def test_redirect_without_location(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=302))
    with client_for(server) as client:
        assert failure(client, server.url("/feed")).reason == "bad_redirect"


def test_only_http_and_https_urls_are_fetched(server: LocalHTTPServer) -> None:
    with client_for(server) as client:
        assert failure(client, "file:///etc/passwd").reason == "bad_scheme"
        assert failure(client, "http://user:secret@127.0.0.1/").reason == "bad_url"
        assert failure(client, "http:///nohost").reason == "bad_url"
    assert server.requests == []


# --- statuses and retries ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "reason"), [(404, "not_found"), (410, "gone")])
def test_404_and_410_mean_gone(server: LocalHTTPServer, status: int, reason: str) -> None:
    server.route("/feed", Reply.text("no", status=status))
    with client_for(server, max_retries=3) as client:
        error = failure(client, server.url("/feed"))
    assert (error.reason, error.status) == (reason, status)
    assert error.reason in GONE_REASONS
    assert server.hits("/feed") == 1  # never retried


def test_other_4xx_is_an_error_without_retry(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply.text("no", status=403))
    with client_for(server, max_retries=3) as client:
        error = failure(client, server.url("/feed"))
    assert (error.reason, error.status) == ("http_error", 403)
    assert server.hits("/feed") == 1


def test_429_retry_after_seconds_is_honoured(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=429, headers={"Retry-After": "7"}), Reply(body=RSS))
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=2) as client:
        response = client.fetch(server.url("/feed"))
    assert response.body == RSS and response.attempts == 2
    assert sleeps == [7.0]


def test_503_retry_after_http_date_is_honoured(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=503, headers={"Retry-After": "Mon, 05 Jan 2026 12:00:03 GMT"}), Reply(body=RSS))
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=1) as client:
        assert client.fetch(server.url("/feed")).body == RSS
    assert sleeps == [3.0]  # the date minus the client's clock (FIXED_NOW)


def test_retry_after_beyond_backoff_max_is_reported_not_waited(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=429, headers={"Retry-After": "3600"}))
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=3, backoff_max=60.0) as client:
        error = failure(client, server.url("/feed"))
    assert (error.reason, error.status, error.retry_after) == ("rate_limited", 429, 3600.0)
    assert sleeps == [] and server.hits("/feed") == 1


def test_500_then_success_is_retried_with_backoff(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=500), Reply(status=502), Reply(body=RSS))
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=3, backoff_base=1.0) as client:
        response = client.fetch(server.url("/feed"))
    assert response.body == RSS and response.attempts == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1.0 and 1.0 <= sleeps[1] <= 2.0  # equal jitter on base * 2**attempt


def test_persistent_5xx_gives_up_after_max_retries(server: LocalHTTPServer) -> None:
    server.route("/feed", Reply(status=503))
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=2) as client:
        error = failure(client, server.url("/feed"))
    assert (error.reason, error.status) == ("server_error", 503)
    assert server.hits("/feed") == 3 and len(sleeps) == 2


def test_connection_refused_is_retried_then_reported(server: LocalHTTPServer) -> None:
    with LocalHTTPServer() as closed:
        url, origin = closed.url("/feed"), closed.origin
    sleeps = Sleeps()
    with client_for(server, sleeps, max_retries=1, allowed_origins=(origin,)) as client:
        error = failure(client, url)
    assert error.reason == "connect_error" and len(sleeps) == 1


# --- time and size bounds ------------------------------------------------------------------------------


def test_slow_drip_stops_at_the_total_timeout(server: LocalHTTPServer) -> None:
    server.route("/drip", Reply.drip(interval=0.05))
    with client_for(server, read_timeout=2.0, total_timeout=0.6, max_retries=2) as client:
        error = failure(client, server.url("/drip"), kind="feed")
    assert error.reason == "total_timeout"
    assert server.hits("/drip") == 1  # a drip is not retried: it would drip again


def test_silent_server_hits_the_read_timeout(server: LocalHTTPServer) -> None:
    server.route("/slow", Reply(body=RSS, delay=1.0))
    with client_for(server, read_timeout=0.2, total_timeout=5.0) as client:
        assert failure(client, server.url("/slow")).reason == "read_timeout"


def test_endless_body_stops_at_the_cap(server: LocalHTTPServer) -> None:
    server.route("/endless", Reply.endless())
    with client_for(server, max_feed_bytes=256 * 1024) as client:
        error = failure(client, server.url("/endless"), kind="feed")
    assert error.reason == "too_large"


def test_declared_length_over_the_cap_is_refused_unread(server: LocalHTTPServer) -> None:
    server.route("/big", Reply(body=b"x" * 300_000))
    with client_for(server, max_page_bytes=100_000, max_feed_bytes=1_000_000) as client:
        assert failure(client, server.url("/big"), kind="page").reason == "too_large"
        assert len(client.fetch(server.url("/big"), kind="feed").body) == 300_000  # separate caps


def _gzip_bomb(decoded_mib: int) -> bytes:
    member = gzip.compress(b"\0" * (8 << 20), compresslevel=9)
    return member * (decoded_mib // 8)  # concatenated members decode one after another


@pytest.mark.parametrize(
    ("coding", "bomb"),
    [
        ("gzip", lambda: _gzip_bomb(128)),
        ("br", lambda: brotli.compress(b"\0" * (256 << 20), quality=3)),
        ("zstd", lambda: zstandard.ZstdCompressor(level=3).compress(b"\0" * (256 << 20))),
    ],
)
def test_decompression_bombs_stop_at_the_decoded_cap(server: LocalHTTPServer, coding: str, bomb: object) -> None:
    body = bomb()  # type: ignore[operator]
    assert len(body) < 150_000  # a small download...
    server.route("/bomb", Reply(body=body, headers={"Content-Encoding": coding}))
    with client_for(server, max_feed_bytes=1 << 20) as client:
        error = failure(client, server.url("/bomb"), kind="feed")
    assert error.reason == "too_large"  # ...that is never expanded past the 1 MiB cap
    assert "after decoding" in error.detail


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some servers send
        ("br", brotli.compress),
        ("zstd", lambda data: zstandard.ZstdCompressor().compress(data)),
        ("gzip, br", lambda data: brotli.compress(gzip.compress(data))),
        ("identity", lambda data: data),
    ],
)
def test_content_codings_are_decoded(server: LocalHTTPServer, coding: str, encode: object) -> None:
    body = RSS * 500
    encoded = encode(body)  # type: ignore[operator]
    server.route("/feed", Reply(body=encoded, headers={"Content-Encoding": coding}))
    with client_for(server) as client:
        response = client.fetch(server.url("/feed"), kind="feed")
    assert response.body == body
    assert response.wire_bytes < len(body) or coding == "identity"


@pytest.mark.parametrize(("coding", "body"), [("gzip", b"not gzip at all"), ("compress", b"x"), ("br", b"\xff\xff")])
def test_bad_content_coding_is_a_decode_error(server: LocalHTTPServer, coding: str, body: bytes) -> None:
    server.route("/feed", Reply(body=body, headers={"Content-Encoding": coding}))
    with client_for(server) as client:
        assert failure(client, server.url("/feed")).reason == "decode_error"


# --- many at once ----------------------------------------------------------------------------------


def test_fetch_many_keeps_order_and_isolates_failures(server: LocalHTTPServer) -> None:
    server.route("/ok1", Reply(body=b"1"))
    server.route("/ok2", Reply(body=b"2"))
    server.route("/gone", Reply(status=410))
    server.route("/slow", Reply(body=b"3", delay=0.2))
    requests = [FetchRequest(server.url(p), kind="feed") for p in ("/slow", "/gone", "/ok1", "/nope", "/ok2")]
    requests.insert(2, FetchRequest("ftp://example.org/x"))
    with client_for(server, per_host_concurrency=4) as client:
        outcomes = client.fetch_many(requests)
    assert [o.request for o in outcomes] == requests
    assert [o.response.body if o.response else o.error.reason for o in outcomes if o.response or o.error] == [
        b"3",
        "gone",
        "bad_scheme",
        b"1",
        "not_found",
        b"2",
    ]
    assert all(o.ok == (o.response is not None) for o in outcomes)
