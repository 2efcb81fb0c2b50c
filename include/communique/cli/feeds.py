"""``communique poll`` and ``communique feeds list|add|check|health``: the feed registry and polling.

A command that could not do all it was asked (a feed failed, a page could not be fetched, the
registry has problems) exits 1 and says why in one line on stderr.
"""

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
    """Poll every enabled feed once, land what it lists, and print one status line per feed.

    Exits 1 when a feed failed or a page could not be fetched, saying so in one line.
    """
    from communique import pipeline
    from communique.warehouse import database

    settings = _settings(args)
    dsn = database.resolve_url(settings)
    database.migrate(dsn)
    summary, results = pipeline.poll_once(settings, dsn, force=not args.due_only, log_each=False)
    fetched = pipeline.fetch_articles(settings, dsn) if not args.no_fetch else None
    _print_poll_table(results, sys.stdout)
    counts = summary.counts
    feeds, entries, new = counts.get("feeds", 0), counts.get("entries", 0), counts.get("new_entries", 0)
    print(f"\n{feeds} feeds polled, {entries} entries ({new} new)")
    problems = [_failed_feeds([r for _, r in results])]
    if fetched:
        landed, failed = fetched.counts.get("landed", 0), sum(fetched.skipped.values())
        print(f"{landed} articles landed, {failed} failed" + (f" ({_reasons(fetched.skipped)})" if failed else ""))
        if failed:
            problems.append(f"{failed} articles could not be fetched (see the warnings above; the next poll "
                            "tries them again)")  # fmt: skip
    return _report_problems("poll", problems)


def _failed_feeds(results: list[Any]) -> str:
    """One line naming how many feeds failed and why, or ``""``."""
    failed = [r for r in results if r.failed]
    if not failed:
        return ""
    reasons: dict[str, int] = {}
    for result in failed:
        reasons[result.reason or result.status] = reasons.get(result.reason or result.status, 0) + 1
    return (f"{len(failed)} of {len(results)} feeds failed ({_reasons(reasons)}): see the table; "
            "`communique feeds health` keeps their history")  # fmt: skip


def _reasons(counts: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _report_problems(command: str, problems: list[str]) -> int:
    """Print each problem as one line on stderr; 1 when there was any (the command did not do all it was asked)."""
    problems = [p for p in problems if p]
    for problem in problems:
        print(f"communique {command}: {problem}", file=sys.stderr)
    return 1 if problems else 0


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


def cmd_feeds_list(args: argparse.Namespace) -> int:
    """Print the feeds of the registry in use."""
    from communique.feeds.registry import load_feeds

    settings = _settings(args)
    specs = load_feeds(settings.feed_list)
    print(f"{'on':<3} {'lang':<5} {'ctry':<4} {'every':>5}  {'outlet':<24} url")
    for spec in specs:
        print(
            f"{'yes' if spec.enabled else 'no':<3} {spec.language:<5} {spec.country or '-':<4} "
            f"{spec.poll_interval_minutes:>4}m  {spec.outlet:<24} {spec.url}"
        )
    print(f"\n{len(specs)} feeds in {settings.feed_list}, {sum(s.enabled for s in specs)} enabled")
    return 0


def cmd_feeds_add(args: argparse.Namespace) -> int:
    """Add a feed to the registry file (created if missing), after checking the URL and the SSRF guard."""
    from communique.feeds.registry import add_feed
    from communique.models import FeedSpec

    settings = _settings(args)
    spec = FeedSpec(
        url=args.url, outlet=args.outlet or _outlet_of(args.url), name=args.name or "", language=args.language,
        country=args.country, poll_interval_minutes=args.interval, enabled=not args.disabled,
    )  # fmt: skip
    added = add_feed(settings.feed_list, spec, settings.http)
    print(f"added {added.url} ({added.outlet}) to {settings.feed_list}")
    return 0


def _outlet_of(url: str) -> str:
    """The outlet a feed URL implies: its host without ``www.``."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def cmd_feeds_check(args: argparse.Namespace) -> int:
    """Validate the registry file; with ``--live`` also fetch every enabled feed once (no warehouse)."""
    from communique.feeds.registry import check_feeds

    settings = _settings(args)
    specs, problems = check_feeds(settings.feed_list)
    for problem in problems:
        print(problem)
    print(f"{settings.feed_list}: {len(specs)} valid feeds, {len(problems)} problems")
    if problems:
        return _report_problems("feeds check", [f"{len(problems)} problems in {settings.feed_list}: see above"])
    if not args.live:
        return 0
    from communique.feeds.polling import poll_feeds
    from communique.fetch.downloads import HttpClient

    with HttpClient(settings.http, max_workers=settings.fetch_concurrency) as client:
        results = poll_feeds(client, [(spec, None) for spec in specs if spec.enabled])
    _print_poll_table(list(zip([s for s in specs if s.enabled], results, strict=True)), sys.stdout)
    return _report_problems("feeds check", [_failed_feeds(results)])


def cmd_feeds_health(args: argparse.Namespace) -> int:
    """The feeds that are failing (every feed with ``--all``), from the warehouse."""
    from communique.warehouse import database

    settings = _settings(args)
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
    actions = feeds.add_subparsers(dest="action", required=True, metavar="ACTION")

    listing = actions.add_parser("list", help="the feeds of the registry in use")
    listing.set_defaults(func=cmd_feeds_list)

    add = actions.add_parser("add", help="add a feed to the registry (checked, and refused if the SSRF guard would)")
    add.add_argument("url", metavar="URL", help="the feed URL")
    add.add_argument("--outlet", help="the outlet (default: the URL's host without www., e.g. bbc.co.uk)")
    add.add_argument("--name", help="a human-readable name")
    add.add_argument("--language", default="en", metavar="LANG", help="language of its articles (default en)")
    add.add_argument("--country", metavar="ISO3", help="ISO alpha-3 country of the outlet")
    add.add_argument("--interval", type=arguments.positive_int, default=60, metavar="MINUTES",
                     help="poll interval in minutes (default 60)")  # fmt: skip
    add.add_argument("--disabled", action="store_true", help="list it disabled")
    add.set_defaults(func=cmd_feeds_add)

    check = actions.add_parser("check", help="validate the registry file (and fetch every enabled feed with --live)")
    check.add_argument("--live", action="store_true", help="also fetch every enabled feed once (no warehouse)")
    check.set_defaults(func=cmd_feeds_check)

    health = actions.add_parser("health", help="failing feeds, from the warehouse")
    health.add_argument("--all", action="store_true", help="every feed, not only unhealthy ones")
    health.set_defaults(func=cmd_feeds_health)

    for action, help_text in (
        (listing, "feed registry (default: settings)"),
        (add, "feed registry to add to (default: settings; created if missing)"),
        (check, "feed registry to check (default: settings)"),
        (health, "feed registry (default: settings)"),
    ):
        action.add_argument("--feeds", metavar="FILE", help=help_text,
                            type=None if action is add else arguments.existing_file)  # fmt: skip
