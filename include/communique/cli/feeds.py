"""``communique poll`` and ``communique feeds list|add|check|health``: the feed registry and polling."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from communique.cli import arguments


def _settings(args: argparse.Namespace) -> Any:
    from communique.settings import load_settings

    settings = load_settings()
    feeds = getattr(args, "feeds", None)
    return settings.with_overrides(feeds_file=Path(feeds)) if feeds else settings


def cmd_poll(args: argparse.Namespace) -> int:
    """Poll every enabled feed once, land what it lists, and print one status line per feed."""
    from communique import pipeline
    from communique.warehouse import database

    settings = _settings(args)
    dsn = database.resolve_url(settings)
    database.migrate(dsn)
    summary, results = pipeline.poll_once(settings, dsn, force=not args.due_only)
    fetched = pipeline.fetch_articles(settings, dsn) if not args.no_fetch else None
    _print_poll_table(results, sys.stdout)
    counts = summary.counts
    feeds, entries, new = counts.get("feeds", 0), counts.get("entries", 0), counts.get("new_entries", 0)
    print(f"\n{feeds} feeds polled, {entries} entries ({new} new)")
    if fetched:
        landed, failed = fetched.counts.get("landed", 0), sum(fetched.skipped.values())
        print(f"{landed} articles landed, {failed} failed" + (f" ({fetched.skipped})" if failed else ""))
    return 1 if results and all(r.failed for _, r in results) else 0


def _print_poll_table(results: list[Any], out: TextIO) -> None:
    print(f"{'status':<13} {'http':>4} {'entries':>7} {'bytes':>9} {'secs':>5}  feed / reason", file=out)
    for spec, result in results:
        why = f"  {result.reason}" + (f": {result.detail}" if result.detail else "") if result.reason else ""
        moved = f"  moved to {result.permanent_url}" if result.permanent_url else ""
        print(
            f"{result.status:<13} {result.http_status or '-':>4} {len(result.entries):>7} {result.bytes_received:>9}"
            f" {result.elapsed:>5.1f}  {spec.url}{why}{moved}",
            file=out,
        )


def cmd_feeds(args: argparse.Namespace) -> int:
    """The registry file (list, add, check) and the feeds' health in the warehouse."""
    settings = _settings(args)
    return int({"list": _list, "add": _add, "check": _check, "health": _health}[args.action](settings, args))


def _list(settings: Any, args: argparse.Namespace) -> int:
    from communique.feeds.registry import load_feeds

    specs = load_feeds(settings.feed_list)
    print(f"{'on':<3} {'lang':<5} {'ctry':<4} {'every':>5}  {'outlet':<24} url")
    for spec in specs:
        print(
            f"{'yes' if spec.enabled else 'no':<3} {spec.language:<5} {spec.country or '-':<4} "
            f"{spec.poll_interval_minutes:>4}m  {spec.outlet:<24} {spec.url}"
        )
    print(f"\n{len(specs)} feeds in {settings.feed_list}, {sum(s.enabled for s in specs)} enabled")
    return 0


def _add(settings: Any, args: argparse.Namespace) -> int:
    from communique.feeds.registry import add_feed
    from communique.models import FeedSpec

    if not args.url or not args.outlet:
        print("feeds add needs a URL and --outlet", file=sys.stderr)
        return 2
    spec = FeedSpec(
        url=args.url, outlet=args.outlet, name=args.name or "", language=args.language, country=args.country,
        poll_interval_minutes=args.interval, enabled=not args.disabled,
    )  # fmt: skip
    added = add_feed(settings.feed_list, spec, settings.http)
    print(f"added {added.url} to {settings.feed_list}")
    return 0


def _check(settings: Any, args: argparse.Namespace) -> int:
    from communique.feeds.registry import check_feeds

    specs, problems = check_feeds(settings.feed_list)
    for problem in problems:
        print(problem)
    print(f"{settings.feed_list}: {len(specs)} valid feeds, {len(problems)} problems")
    if problems or not args.live:
        return 1 if problems else 0
    from communique.feeds.polling import poll_feeds
    from communique.fetch.downloads import HttpClient

    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        results = poll_feeds(client, [(spec, None) for spec in specs if spec.enabled])
    _print_poll_table(list(zip([s for s in specs if s.enabled], results, strict=True)), sys.stdout)
    return 1 if any(r.failed for r in results) else 0


def _health(settings: Any, args: argparse.Namespace) -> int:
    from communique.warehouse import database

    dsn = database.resolve_url(settings)
    where = "" if args.all else "WHERE h.consecutive_failures > 0 OR h.last_status IN ('gone', 'error')"
    with database.connect(dsn) as conn:
        rows = conn.execute(
            f"""SELECT h.last_status, h.last_http_status, h.consecutive_failures,
                       to_char(h.last_success_at, 'YYYY-MM-DD HH24:MI'), to_char(h.next_poll_at, 'YYYY-MM-DD HH24:MI'),
                       f.enabled, f.feed_url, coalesce(h.last_error, ''), h.moved_to
                  FROM feed_health h JOIN feed f USING (feed_url) {where}
                 ORDER BY h.consecutive_failures DESC, f.feed_url"""
        ).fetchall()
    print(f"{'status':<13} {'http':>4} {'fails':>5} {'last success':<16} {'next poll':<16}  feed / last error")
    for status, http, fails, success, next_poll, enabled, url, error, moved in rows:
        note = (
            ("" if enabled else " (disabled)")
            + (f"  {error}" if error else "")
            + (f"  moved to {moved}" if moved else "")
        )
        when = f"{success or '-':<16} {next_poll or '-':<16}"
        print(f"{status or 'never':<13} {http or '-':>4} {fails:>5} {when}  {url}{note}")
    print(f"\n{len(rows)} {'feeds' if args.all else 'unhealthy feeds'}")
    return 0


def add_commands(commands: Any) -> None:
    """Register ``poll`` and ``feeds`` on the ``communique`` parser."""
    poll = commands.add_parser("poll", help="poll the feeds once without Airflow, land what they list")
    poll.add_argument("--feeds", metavar="FILE", type=arguments.existing_file, help="feed registry (default: settings)")
    poll.add_argument("--due-only", action="store_true", help="only feeds whose poll interval has passed")
    poll.add_argument("--no-fetch", action="store_true", help="store the entries, do not fetch the articles")
    poll.set_defaults(func=cmd_poll)

    feeds = commands.add_parser("feeds", help="the feed registry: list, add, check; health from the warehouse")
    feeds.add_argument("action", choices=("list", "add", "check", "health"))
    feeds.add_argument("url", nargs="?", help="with add: the feed URL")
    feeds.add_argument("--feeds", metavar="FILE", help="feed registry (default: settings; add creates it)")
    feeds.add_argument("--outlet", help="with add: the outlet (e.g. bbc.co.uk)")
    feeds.add_argument("--name", help="with add: a human-readable name")
    feeds.add_argument("--language", default="en", help="with add: language (default en)")
    feeds.add_argument("--country", help="with add: ISO alpha-3 country of the outlet")
    feeds.add_argument("--interval", type=arguments.positive_int, default=60, help="with add: poll interval in minutes")
    feeds.add_argument("--disabled", action="store_true", help="with add: list it disabled")
    feeds.add_argument("--live", action="store_true", help="with check: also fetch every enabled feed once")
    feeds.add_argument("--all", action="store_true", help="with health: every feed, not only unhealthy ones")
    feeds.set_defaults(func=cmd_feeds)
