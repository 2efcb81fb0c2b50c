"""poll_feed / poll_feeds against a real local server: conditional GET, change detection, statuses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from communique.feeds.polling import FeedState, poll_feed, poll_feeds
from communique.fetch.downloads import HttpClient
from communique.models import FeedSpec
from communique.settings import HttpSettings
from tests.support.http_server import LocalHTTPServer, RecordedRequest, Reply
from tests.support.loopback import loopback_only


def rss(*links: str, build: str = "Mon, 05 Jan 2026 10:00:00 GMT") -> bytes:
    items = "".join(
        f"<item><title>Story {link}</title><link>https://news.example/{link}</link></item>" for link in links
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>News</title>'
        f"<lastBuildDate>{build}</lastBuildDate>{items}</channel></rss>"
    ).encode()


@pytest.fixture(autouse=True)
def _loopback() -> Iterator[None]:
    with loopback_only():
        yield


@pytest.fixture
def server() -> Iterator[LocalHTTPServer]:
    with LocalHTTPServer() as running:
        yield running


@pytest.fixture
def client(server: LocalHTTPServer) -> Iterator[HttpClient]:
    settings = HttpSettings(
        allowed_origins=(server.origin,), max_retries=0, respect_robots_txt=False, per_host_delay=0.0
    )
    with HttpClient(settings, sleep=lambda seconds: None) as running:
        yield running


def spec(server: LocalHTTPServer, path: str = "/feed.xml") -> FeedSpec:
    return FeedSpec(url=server.url(path), outlet="News")


def test_first_poll_then_304(server: LocalHTTPServer, client: HttpClient) -> None:
    server.resource("/feed.xml", rss("a", "b"), etag='"v1"', last_modified="Mon, 05 Jan 2026 10:00:00 GMT")
    first = poll_feed(client, spec(server))
    assert first.status == "ok" and [e.url for e in first.entries] == [
        "https://news.example/a",
        "https://news.example/b",
    ]
    assert first.state.etag == '"v1"' and first.state.last_modified == "Mon, 05 Jan 2026 10:00:00 GMT"
    assert first.state.body_fingerprint and first.state.entries_fingerprint
    assert first.title == "News" and first.http_status == 200 and first.bytes_received > 0
    assert first.reader == "rss"

    second = poll_feed(client, spec(server), first.state)
    assert second.status == "not_modified" and second.entries == [] and second.http_status == 304
    assert second.reader is None  # nothing was parsed
    assert second.state == first.state
    assert second.bytes_received < first.bytes_received
    assert server.requests[1].headers["if-none-match"] == '"v1"'


def test_server_ignoring_validators_same_bytes_is_unchanged(server: LocalHTTPServer, client: HttpClient) -> None:
    server.route("/feed.xml", Reply(body=rss("a")))
    first = poll_feed(client, spec(server))
    second = poll_feed(client, spec(server), first.state)
    assert (first.status, second.status) == ("ok", "unchanged")
    assert second.entries == [] and second.state.body_fingerprint == first.state.body_fingerprint


def test_new_timestamp_same_entries_is_unchanged(server: LocalHTTPServer, client: HttpClient) -> None:
    server.route("/feed.xml", Reply(body=rss("a")), Reply(body=rss("a", build="Mon, 05 Jan 2026 11:00:00 GMT")))
    first = poll_feed(client, spec(server))
    second = poll_feed(client, spec(server), first.state)
    assert second.status == "unchanged"
    assert second.state.body_fingerprint != first.state.body_fingerprint
    assert second.state.entries_fingerprint == first.state.entries_fingerprint


def test_changed_feed_is_ok_again(server: LocalHTTPServer, client: HttpClient) -> None:
    server.route("/feed.xml", Reply(body=rss("a")), Reply(body=rss("b", "a")))
    first = poll_feed(client, spec(server))
    second = poll_feed(client, spec(server), first.state)
    assert second.status == "ok" and len(second.entries) == 2


@pytest.mark.parametrize("status", [404, 410])
def test_gone(server: LocalHTTPServer, client: HttpClient, status: int) -> None:
    server.route("/feed.xml", Reply(status=status))
    previous = FeedState(etag='"old"')
    result = poll_feed(client, spec(server), previous)
    assert (result.status, result.http_status, result.state) == ("gone", status, previous)
    assert result.failed


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (
            Reply.text("<html><head><title>x</title></head><body>moved</body></html>", "text/html"),
            "html_not_feed",
        ),
        (Reply(body=b""), "empty"),
        (Reply(status=500), "server_error"),
        (Reply(status=429, headers={"Retry-After": "86400"}), "rate_limited"),
        (Reply(body=b'<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]><rss/>'), "entity_declaration"),
    ],
)
def test_errors_carry_a_reason(server: LocalHTTPServer, client: HttpClient, reply: Reply, reason: str) -> None:
    server.route("/feed.xml", reply)
    result = poll_feed(client, spec(server))
    assert (result.status, result.reason) == ("error", reason)
    assert result.entries == []
    if reason == "rate_limited":
        assert result.retry_after == 86400.0


def test_permanent_redirect_is_reported(server: LocalHTTPServer, client: HttpClient) -> None:
    server.redirect("/feed.xml", "/new.xml", 301)
    server.route("/new.xml", Reply(body=rss("a")))
    result = poll_feed(client, spec(server))
    assert result.status == "ok" and result.permanent_url == server.url("/new.xml")
    assert result.entries[0].feed_url == server.url("/feed.xml")  # entries stay attached to the registry URL


def test_poll_feeds_isolates_failures_and_keeps_order(server: LocalHTTPServer, client: HttpClient) -> None:
    server.route("/a.xml", Reply(body=rss("a")))
    server.route("/gone.xml", Reply(status=410))
    server.route("/html.xml", Reply.text("<!DOCTYPE html><html></html>", "text/html"))

    def cond(request: RecordedRequest) -> Reply:
        return Reply(status=304) if request.headers.get("if-none-match") == '"x"' else Reply(body=rss("c"))

    server.route("/cond.xml", cond)
    feeds = [
        (spec(server, "/gone.xml"), None),
        (spec(server, "/a.xml"), None),
        (spec(server, "/html.xml"), FeedState()),
        (spec(server, "/cond.xml"), FeedState(etag='"x"')),
        (FeedSpec(url="ftp://news.example/feed", outlet="x"), None),
    ]
    results = poll_feeds(client, feeds)
    assert [r.feed_url for r in results] == [f.url for f, _ in feeds]
    assert [(r.status, r.reason) for r in results] == [
        ("gone", "gone"),
        ("ok", ""),
        ("error", "html_not_feed"),
        ("not_modified", ""),
        ("error", "bad_scheme"),
    ]
    assert "gone" in results[0].summary() and "1 entries" in results[1].summary()


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        # the header claims UTF-8; the bytes (and the document's own declaration) are windows-1252
        (
            "application/rss+xml; charset=utf-8",
            rss("zürich").replace(b'encoding="utf-8"', b'encoding="windows-1252"').decode().encode("cp1252"),
        ),
        # the header claims ISO-8859-1; the bytes are UTF-8
        ("application/rss+xml; charset=ISO-8859-1", rss("zürich")),
        # no charset anywhere, windows-1252 bytes: detected
        ("text/xml", rss("zürich").replace(b' encoding="utf-8"', b"").decode().encode("cp1252")),
    ],
)
def test_wrong_declared_charset(server: LocalHTTPServer, client: HttpClient, content_type: str, body: bytes) -> None:
    server.route("/feed.xml", Reply(body=body, headers={"Content-Type": content_type}))
    result = poll_feed(client, spec(server))
    assert result.status == "ok"
    assert [e.title for e in result.entries] == ["Story zürich"]
    assert result.encoding in ("cp1252", "utf-8")
