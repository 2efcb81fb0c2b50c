"""Polling benchmark: many generated feeds served on loopback, polled twice through the real client.

A server subprocess generates ``--feeds`` RSS feeds of ``--entries`` items each and serves them
from ``--hosts`` loopback addresses (127.0.0.1, 127.0.0.2 ...), gzip-compressed and with
ETag / Last-Modified, like a news site. This process then runs, ``--repeat`` times side by side:

1. ``poll 1``: :func:`communique.feeds.polling.poll_feeds` with no state (fetch + parse every feed);
2. ``poll 2``: the same with the state poll 1 returned (conditional GET: 304s);
3. ``fetch only``: :meth:`HttpClient.fetch_many` of every feed, unconditional and unparsed,
   to separate HTTP throughput from parsing;
4. ``parse only``: :func:`communique.feeds.parsing.parse_feed` (feedparser for RSS) on the bodies
   phase 3 fetched, in one thread, without the network.

For each phase it reports the median feeds/s, the bytes the server wrote (status lines, headers,
bodies), and the client's peak RSS, and for poll 1 which parser read the feeds; ``--json`` adds one
JSON line at the end. Targets: poll 2 transfers under 5% of poll 1's bytes; fetching and conditional
polls at least 100 feeds/s (issue 5); a first poll, every feed changed and parsed, fast enough for
10,000 feeds every 15 minutes (11.1 feeds/s) in this one process, a fraction of one compose worker
(issue 15, which chose feedparser as published over a faster copy of its internals).

    .venv/bin/python bench/polling.py                 # 1,000 feeds x 50 entries, 3 repeats
    .venv/bin/python bench/polling.py --feeds 200 --repeat 1 --json
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "include"), str(ROOT)]

from communique.feeds.parsing import parse_feed  # noqa: E402
from communique.feeds.polling import FeedState, PollResult, poll_feeds  # noqa: E402
from communique.fetch.downloads import FetchOutcome, FetchRequest, HttpClient  # noqa: E402
from communique.models import FeedSpec  # noqa: E402
from communique.settings import HttpSettings  # noqa: E402

_SYLLABLES = [
    "ka",
    "to",
    "ri",
    "ne",
    "sa",
    "mu",
    "lo",
    "pe",
    "vi",
    "da",
    "ghu",
    "bra",
    "sto",
    "len",
    "mar",
    "tin",
    "os",
    "ul",
    "ax",
    "ev",
    "ir",
    "qua",
    "zel",
    "fon",
]
_COMMON = [
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "is",
    "that",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "said",
    "minister",
    "talks",
    "president",
]


def _vocabulary(size: int = 4000) -> list[str]:
    rng = random.Random(42)
    made = {"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    return sorted(made)


VOCABULARY = _vocabulary()


def _sentence(rng: random.Random, words: int) -> str:
    """Text that compresses like news (about 4-5x with gzip), not like a repeated phrase."""
    picked = [rng.choice(_COMMON) if rng.random() < 0.4 else rng.choice(VOCABULARY) for _ in range(words)]
    return " ".join(picked).capitalize()


# --- the server side -------------------------------------------------------------------------------------


def generate_feed(index: int, entries: int) -> bytes:
    """A realistic RSS 2.0 document (~600 bytes per item), deterministic for ``index``."""
    start = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)
    rng = random.Random(index)
    items = []
    for n in range(entries):
        title = _sentence(rng, 10)
        when = format_datetime(start - timedelta(minutes=17 * n + rng.randint(0, 16)), usegmt=True)
        slug = "-".join(title.lower().split()[:6])
        link = f"https://outlet{index % 97}.example/world/2026/01/05/{slug}-{rng.randrange(10**8)}"
        items.append(
            f"<item><title>{title}</title>"
            f"<link>{link}</link><guid isPermaLink='true'>{link}</guid>"
            f"<pubDate>{when}</pubDate><dc:creator>{_sentence(rng, 2).title()}</dc:creator>"
            f"<category>World</category>"
            f"<description>&lt;p&gt;{_sentence(rng, 45)} &amp;amp; more.&lt;/p&gt;</description></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>Outlet {index} world news</title><link>https://outlet{index % 97}.example/world</link>"
        f"<description>World news from outlet {index}</description><language>en</language>"
        f"<lastBuildDate>{format_datetime(start, usegmt=True)}</lastBuildDate>"
        f"{''.join(items)}</channel></rss>"
    ).encode()


def serve(feeds: int, entries: int, hosts: int, compress: bool) -> None:
    """Run the servers; print their origins as one JSON line; answer ``stats``/``reset`` on stdin."""
    from tests.support.http_server import LocalHTTPServer

    servers = [LocalHTTPServer(f"127.0.0.{n + 1}").start() for n in range(hosts)]
    stamp = "Mon, 05 Jan 2026 12:00:00 GMT"
    for index in range(feeds):
        body = generate_feed(index, entries)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        headers = {"Content-Encoding": "gzip", "Vary": "Accept-Encoding"} if compress else {}
        payload = gzip.compress(body, compresslevel=6) if compress else body
        servers[index % hosts].resource(f"/feeds/{index}.xml", payload, etag=etag, last_modified=stamp, headers=headers)
    print(json.dumps({"origins": [s.origin for s in servers]}), flush=True)
    for line in sys.stdin:
        command = line.strip()
        if command == "stats":
            stats = {
                "bytes": sum(s.bytes_sent for s in servers),
                "requests": sum(len(s.requests) for s in servers),
            }
            print(json.dumps(stats), flush=True)
        elif command == "reset":
            for server in servers:
                server.reset_counters()
            print("{}", flush=True)
    for server in servers:
        server.stop()


class ServerProcess:
    def __init__(self, args: argparse.Namespace) -> None:
        command = [
            sys.executable,
            __file__,
            "--serve",
            "--feeds",
            str(args.feeds),
            "--entries",
            str(args.entries),
        ]
        command += ["--hosts", str(args.hosts)] + ([] if args.gzip else ["--no-gzip"])
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.origins: list[str] = json.loads(self._ask(None))["origins"]

    def _ask(self, command: str | None) -> str:
        assert self._process.stdin and self._process.stdout
        if command:
            self._process.stdin.write(command + "\n")
            self._process.stdin.flush()
        return self._process.stdout.readline()

    def stats(self) -> dict[str, int]:
        return dict(json.loads(self._ask("stats")))

    def reset(self) -> None:
        self._ask("reset")

    def close(self) -> None:
        assert self._process.stdin
        self._process.stdin.close()
        self._process.wait(timeout=30)


# --- the client side -------------------------------------------------------------------------------------


class PeakRss:
    """Samples this process's resident set size every 10 ms while active (Linux /proc)."""

    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def current() -> int:
        try:
            pages = int(Path("/proc/self/statm").read_text().split()[1])
        except OSError:
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        return pages * os.sysconf("SC_PAGE_SIZE")

    def _run(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, self.current())

    def __enter__(self) -> PeakRss:
        self.peak = self.current()
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


@dataclass
class Phase:
    name: str
    seconds: list[float] = field(default_factory=list)
    bytes: list[int] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    peak_rss: list[int] = field(default_factory=list)
    statuses: dict[str, int] = field(default_factory=dict)
    readers: dict[str, int] = field(default_factory=dict)
    entries: int = 0

    def record(self, seconds: float, stats: dict[str, int], rss: int) -> None:
        self.seconds.append(seconds)
        self.bytes.append(stats["bytes"])
        self.requests.append(stats["requests"])
        self.peak_rss.append(rss)

    def summary(self, feeds: int) -> dict[str, object]:
        seconds = statistics.median(self.seconds)
        return {
            "phase": self.name,
            "feeds": feeds,
            "seconds": round(seconds, 3),
            "feeds_per_s": round(feeds / seconds, 1),
            "requests": int(statistics.median(self.requests)),
            "bytes": int(statistics.median(self.bytes)),
            "peak_rss_mb": round(max(self.peak_rss) / 2**20, 1),
            "statuses": self.statuses,
            "readers": self.readers,
            "entries": self.entries,
        }


def _timed(server: ServerProcess, phase: Phase, work: Callable[[], T]) -> T:
    server.reset()
    with PeakRss() as rss:
        started = time.perf_counter()
        result = work()
        elapsed = time.perf_counter() - started
    phase.record(elapsed, server.stats(), rss.peak)
    return result


def _one_round(client: HttpClient, server: ServerProcess, specs: list[FeedSpec], phases: list[Phase]) -> None:
    """Poll 1, poll 2 with poll 1's state, an unconditional fetch of everything, then parsing alone."""
    fresh: list[tuple[FeedSpec, FeedState | None]] = [(spec, None) for spec in specs]
    first = _timed(server, phases[0], lambda: poll_feeds(client, fresh))
    known: list[tuple[FeedSpec, FeedState | None]] = [(s, r.state) for s, r in zip(specs, first, strict=True)]
    second = _timed(server, phases[1], lambda: poll_feeds(client, known))
    requests = [FetchRequest(spec.url, kind="feed") for spec in specs]
    fetched = _timed(server, phases[2], lambda: client.fetch_many(requests))
    phases[0].statuses, phases[0].entries = _count(first), sum(len(r.entries) for r in first)
    phases[1].statuses, phases[1].entries = _count(second), sum(len(r.entries) for r in second)
    phases[2].statuses = {"ok": sum(o.ok for o in fetched), "error": sum(not o.ok for o in fetched)}
    phases[0].readers = _count_readers(first)
    readers, phases[3].entries = _timed(server, phases[3], lambda: _parse_all(fetched))
    phases[3].statuses, phases[3].readers = {"parsed": sum(readers.values())}, dict(readers)


def _parse_all(fetched: list[FetchOutcome]) -> tuple[Counter[str], int]:
    """Parse every fetched body, keeping only counts (so the results do not inflate later RSS)."""
    readers: Counter[str] = Counter()
    entries = 0
    for outcome in fetched:
        if outcome.response is not None:
            body, content_type = outcome.response.body, outcome.response.content_type
            parsed = parse_feed(body, url=outcome.request.url, content_type=content_type)
            readers[parsed.reader] += 1
            entries += len(parsed.entries)
    return readers, entries


def _count_readers(results: list[PollResult]) -> dict[str, int]:
    return dict(Counter(r.reader for r in results if r.reader))


def _count(results: list[PollResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        key = result.status if not result.reason else f"{result.status}:{result.reason}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def run(args: argparse.Namespace) -> dict[str, Any]:
    server = ServerProcess(args)
    try:
        settings = HttpSettings(
            allowed_origins=tuple(server.origins),
            per_host_concurrency=args.per_host_concurrency,
            per_host_delay=args.per_host_delay,
            max_retries=0,
            respect_robots_txt=True,
        )
        specs = [
            FeedSpec(url=f"{server.origins[i % args.hosts]}/feeds/{i}.xml", outlet=f"Outlet {i}")
            for i in range(args.feeds)
        ]
        phases = [
            Phase("poll 1 (fetch + parse)"),
            Phase("poll 2 (conditional)"),
            Phase("fetch only (no parse)"),
            Phase("parse only (no fetch)"),
        ]
        baseline = PeakRss.current()
        for _ in range(args.repeat):
            with HttpClient(settings, max_workers=args.workers) as client:
                _one_round(client, server, specs, phases)
    finally:
        server.close()
    summaries = [p.summary(args.feeds) for p in phases]
    ratio = statistics.median(phases[1].bytes) / statistics.median(phases[0].bytes)
    rates = [args.feeds / statistics.median(p.seconds) for p in phases]
    return {
        "bench": "polling",
        "feeds": args.feeds,
        "entries_per_feed": args.entries,
        "hosts": args.hosts,
        "workers": args.workers,
        "per_host_concurrency": args.per_host_concurrency,
        "per_host_delay": args.per_host_delay,
        "gzip": args.gzip,
        "repeat": args.repeat,
        "cpus": os.cpu_count(),
        "baseline_rss_mb": round(baseline / 2**20, 1),
        "phases": summaries,
        "poll2_bytes_ratio": round(ratio, 4),
        "targets": {
            "poll2_under_5pct_of_poll1_bytes": ratio < 0.05,
            "fetch_at_least_100_feeds_per_s": rates[2] >= 100,
            "poll2_at_least_100_feeds_per_s": rates[1] >= 100,
            "poll1_10000_feeds_per_15_min": rates[0] >= 10_000 / (15 * 60),
        },
    }


def print_table(report: dict[str, Any]) -> None:
    r = report
    print(
        f"{r['feeds']} feeds x {r['entries_per_feed']} entries on {r['hosts']} loopback hosts; "
        f"{r['workers']} workers, {r['per_host_concurrency']} per host, delay {r['per_host_delay']} s, "
        f"gzip={r['gzip']}; median of {r['repeat']}; {r['cpus']} CPUs; baseline RSS {r['baseline_rss_mb']} MB"
    )
    columns = (("phase", "<24"), ("seconds", ">8"), ("feeds/s", ">8"), ("requests", ">8"), ("bytes", ">12"))
    header = " ".join(f"{name:{spec}}" for name, spec in columns) + f" {'peak RSS MB':>11}  statuses"
    print(header)
    print("-" * len(header))
    for phase in r["phases"]:
        print(
            f"{phase['phase']:<24} {phase['seconds']:>8.2f} {phase['feeds_per_s']:>8.1f} "
            f"{phase['requests']:>8} {phase['bytes']:>12,} {phase['peak_rss_mb']:>11.1f}  {phase['statuses']}"
            + (f" read by {phase['readers']}" if phase["readers"] else "")
        )
    print(f"poll 2 / poll 1 bytes: {r['poll2_bytes_ratio']:.2%}   targets: {r['targets']}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--hosts", type=int, default=8, help="loopback addresses to spread the feeds over")
    parser.add_argument("--workers", type=int, default=16)
    parser.add_argument("--per-host-concurrency", type=int, default=4)
    parser.add_argument("--per-host-delay", type=float, default=0.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-gzip", dest="gzip", action="store_false")
    parser.add_argument("--json", action="store_true", help="print one JSON line at the end")
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.feeds, args.entries, args.hosts, args.gzip)
        return 0
    report = run(args)
    print_table(report)
    if args.json:
        print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
