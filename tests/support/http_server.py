"""A real HTTP/1.1 server on loopback with scripted routes, for tests and benchmarks.

It binds ``127.0.0.1`` (or any loopback address, ``::1`` included) on a free port, serves
each connection on its own thread with keep-alive, and records every request. Routes are
exact paths (the query string is ignored for matching but recorded)::

    with LocalHTTPServer() as server:
        server.route("/feed.xml", Reply(body=rss, headers={"Content-Type": "application/rss+xml"}))
        server.route("/flaky", Reply(status=500), Reply(body=b"ok"))  # 500 first, then 200 for ever
        server.resource("/cond.xml", rss, etag='"v1"', last_modified="Mon, 05 Jan 2026 10:00:00 GMT")
        server.redirect("/old", "/new", status=301)
        server.route("/echo", lambda request: Reply(body=request.headers["user-agent"].encode()))
        server.route("/drip", Reply.drip(interval=0.05))          # one byte every 50 ms, for ever
        server.route("/endless", Reply.endless())                 # 64 KiB chunks until the client hangs up

        client.fetch(server.url("/feed.xml"))
        assert server.hits("/feed.xml") == 1
        assert server.requests[-1].headers["user-agent"].startswith("Communique/")

A route takes either replies (played in order, the last one repeating) or one callable
``(RecordedRequest) -> Reply``. Unknown paths answer 404. ``bytes_sent`` counts every byte
written to sockets (status lines, headers and bodies) and ``max_in_flight`` the most
requests handled at once, for politeness tests and the polling benchmark.
"""

from __future__ import annotations

import itertools
import socket
import ssl
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request the server received."""

    method: str
    path: str
    query: str
    #: Lower-case header names.
    headers: Mapping[str, str]
    client: tuple[str, int]
    #: ``time.monotonic()`` when the request line was read.
    started: float
    #: The request body (POST), at most 1 MiB.
    body: bytes = b""


@dataclass(slots=True)
class Reply:
    """What to answer: a status, headers and a body, or a stream of chunks.

    With ``chunks`` the body has no Content-Length: the chunks are written one by one
    (``chunk_delay`` apart) and the connection is closed after them, or when the client
    hangs up. ``delay`` waits before the status line (slow servers, concurrency tests).
    """

    status: int = 200
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    chunks: Iterable[bytes] | None = None
    chunk_delay: float = 0.0
    delay: float = 0.0

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, headers={"Location": location})

    @classmethod
    def text(cls, body: str | bytes, content_type: str = "text/plain; charset=utf-8", status: int = 200) -> Reply:
        data = body.encode() if isinstance(body, str) else body
        return cls(status=status, body=data, headers={"Content-Type": content_type})

    @classmethod
    def endless(cls, chunk: bytes = b"x" * 65536, content_type: str = "application/rss+xml") -> Reply:
        return cls(chunks=itertools.repeat(chunk), headers={"Content-Type": content_type})

    @classmethod
    def drip(cls, data: bytes = b"<", interval: float = 0.05, content_type: str = "application/rss+xml") -> Reply:
        return cls(chunks=itertools.repeat(data), chunk_delay=interval, headers={"Content-Type": content_type})


Handler = Callable[[RecordedRequest], Reply]


class _Route:
    def __init__(self, replies: tuple[Reply | Handler, ...]) -> None:
        self._replies = replies
        self._index = 0
        self._lock = threading.Lock()

    def reply_for(self, request: RecordedRequest) -> Reply:
        with self._lock:
            chosen = self._replies[min(self._index, len(self._replies) - 1)]
            self._index += 1
        return chosen if isinstance(chosen, Reply) else chosen(request)


class LocalHTTPServer:
    """A threaded HTTP/1.1 server on a loopback address; a context manager.

    :param host: the loopback address to bind (``127.0.0.1``, ``127.0.0.2`` ..., ``::1``).
    :param port: 0 picks a free port.
    :param tls: serve HTTPS with this server context (see ``tests.support.tls``); the server
        name each client asked for (SNI) is recorded in ``server_names``.
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, tls: ssl.SSLContext | None = None) -> None:
        self._routes: dict[str, _Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._in_flight = 0
        self.max_in_flight = 0
        self.bytes_sent = 0
        self._httpd = _server_class(host)((host, port), _make_handler(self))
        self._thread: threading.Thread | None = None
        self.scheme = "https" if tls else "http"
        self.server_names: list[str | None] = []
        if tls is not None:
            tls.sni_callback = lambda sock, name, context: self.server_names.append(name)  # type: ignore[assignment,misc]
            # the handshake runs on the connection's own thread (see the handler's setup)
            self._httpd.socket = tls.wrap_socket(self._httpd.socket, server_side=True, do_handshake_on_connect=False)

    # --- lifecycle -------------------------------------------------------------------------

    def start(self) -> LocalHTTPServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="local-http", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> LocalHTTPServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    # --- addresses -------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def origin(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.origin + path

    # --- routes ----------------------------------------------------------------------------

    def route(self, path: str, *replies: Reply | Handler) -> None:
        """Answer ``path`` with ``replies`` in turn (the last repeats), or with a handler."""
        if not replies:
            raise ValueError("a route needs at least one reply")
        self._routes[path] = _Route(replies)

    def resource(
        self,
        path: str,
        body: bytes,
        *,
        content_type: str = "application/rss+xml; charset=utf-8",
        etag: str | None = None,
        last_modified: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """Serve ``body`` with validators, answering 304 to a matching conditional GET."""
        base = {"Content-Type": content_type, **(headers or {})}
        if etag:
            base["ETag"] = etag
        if last_modified:
            base["Last-Modified"] = last_modified

        def answer(request: RecordedRequest) -> Reply:
            if not_modified(request, etag, last_modified):
                return Reply(status=304, headers={k: v for k, v in base.items() if k != "Content-Type"})
            return Reply(body=body, headers=base)

        self.route(path, answer)

    def redirect(self, path: str, location: str, status: int = 302) -> None:
        self.route(path, Reply.redirect(location, status))

    # --- what happened ---------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def hits(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)

    def reset_counters(self) -> None:
        with self._lock:
            self._requests.clear()
            self.bytes_sent = 0
            self.max_in_flight = 0

    # --- used by the handler ---------------------------------------------------------------

    def _begin(self, request: RecordedRequest) -> Reply:
        with self._lock:
            self._requests.append(request)
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)
        route = self._routes.get(request.path)
        return route.reply_for(request) if route else Reply.text("not found", status=404)

    def _end(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _count(self, sent: int) -> None:
        with self._lock:
            self.bytes_sent += sent


def not_modified(request: RecordedRequest, etag: str | None, last_modified: str | None) -> bool:
    """RFC 9110 §13.1: If-None-Match decides when present, else If-Modified-Since (exact match)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since = request.headers.get("if-modified-since")
    return since is not None and last_modified is not None and since == last_modified


def _server_class(host: str) -> type[ThreadingHTTPServer]:
    class Server(ThreadingHTTPServer):
        daemon_threads = True
        allow_reuse_address = True
        address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
        request_queue_size = 128

        def handle_error(self, request: Any, client_address: Any) -> None:
            if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
                return  # the client hung up (as our client does on purpose past a cap): not news
            super().handle_error(request, client_address)

    return Server


class _CountingWriter:
    """The handler's socket writer, counting bytes for ``bytes_sent``."""

    def __init__(self, inner: Any, count: Callable[[int], None]) -> None:
        self._inner = inner
        self._count = count

    def write(self, data: bytes) -> int:
        written = self._inner.write(data)
        self._count(len(data))
        return int(written or len(data))

    def flush(self) -> None:
        self._inner.flush()

    def close(self) -> None:
        self._inner.close()

    @property
    def closed(self) -> bool:
        return bool(self._inner.closed)


def _make_handler(server: LocalHTTPServer) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "LocalHTTPServer/1"
        timeout = 30  # an idle keep-alive connection frees its thread after this

        def setup(self) -> None:
            if isinstance(self.request, ssl.SSLSocket):
                self.request.settimeout(self.timeout)
                self.request.do_handshake()
            super().setup()
            self.wfile = _CountingWriter(self.wfile, server._count)  # type: ignore[assignment]

        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            length = min(int(self.headers.get("Content-Length") or 0), 1 << 20)
            request = RecordedRequest(
                method=self.command,
                path=parts.path,
                query=parts.query,
                headers={k.lower(): v for k, v in self.headers.items()},
                client=self.client_address[:2],
                started=time.monotonic(),
                body=self.rfile.read(length) if length else b"",
            )
            reply = server._begin(request)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError, TimeoutError):
                self.close_connection = True
            finally:
                server._end()

        do_POST = do_GET  # webhooks: same routes, the body is recorded  # noqa: N815

        def _send(self, reply: Reply) -> None:
            if reply.delay:
                time.sleep(reply.delay)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.chunks is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                if reply.body and reply.status != 304:
                    self.wfile.write(reply.body)
                return
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            for chunk in _paced(reply.chunks, reply.chunk_delay):
                self.wfile.write(chunk)

        def log_message(self, format: str, *args: Any) -> None:
            return

    return RequestHandler


def _paced(chunks: Iterable[bytes], delay: float) -> Iterator[bytes]:
    for index, chunk in enumerate(chunks):
        if index and delay:
            time.sleep(delay)
        yield chunk
