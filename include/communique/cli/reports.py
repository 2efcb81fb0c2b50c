"""``communique brief|export``: the daily brief as a page, and a view's rows as a file to take away."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def cmd_brief(args: argparse.Namespace) -> int:
    """Render the brief of a day (or of the latest day with events) and print where it is."""
    from communique.reports.brief import latest_event_day, write_brief
    from communique.settings import load_settings
    from communique.warehouse import database

    settings = load_settings()
    dsn = database.resolve_url(settings)
    day = args.date or latest_event_day(dsn)
    if day is None:
        print("the warehouse holds no events yet: nothing to brief", file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else settings.brief_dir
    result = write_brief(dsn, day, out, cache_dir=settings.home / "cache")
    print(f"brief of {day}: {result.events} events that day, {result.window_events} in the 30 days", file=sys.stderr)
    print(result.path.resolve())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """Stream a view's rows for a range of days to a file (or stdout) as CSV, Parquet or JSON Lines."""
    from communique.reports.export import export_view
    from communique.settings import load_settings
    from communique.warehouse import database

    dsn = database.resolve_url(load_settings())
    fmt = args.format or _format_of(args.out)
    out: Path | Any = Path(args.out) if args.out and args.out != "-" else sys.stdout.buffer
    result = export_view(dsn, args.view, args.start, args.end, fmt, out)
    where = result.path or "stdout"
    print(f"{result.rows} rows of {result.view} ({result.start} .. {result.end}) -> {where} ({fmt})", file=sys.stderr)
    return 0


def _format_of(out: str | None) -> str:
    """The format a file name implies (``.parquet``, ``.csv``, ``.jsonl``); CSV otherwise."""
    suffix = Path(out).suffix.lower().lstrip(".") if out else ""
    return {"parquet": "parquet", "pq": "parquet", "jsonl": "jsonl", "ndjson": "jsonl"}.get(suffix, "csv")


def add_commands(commands: Any) -> None:
    """Register the report commands on the ``communique`` parser."""
    from communique.reports.export import EXPORTABLE, FORMATS

    brief = commands.add_parser("brief", help="render the daily brief (a self-contained HTML page) of a day")
    brief.add_argument("--date", type=_day, help="the day (YYYY-MM-DD); default: the latest day with events")
    brief.add_argument("--out", metavar="DIR", help="folder for brief-DATE.html (default COMMUNIQUE_BRIEFS_DIR "
                       "or briefs/ under COMMUNIQUE_HOME)")  # fmt: skip
    brief.set_defaults(func=cmd_brief)

    export = commands.add_parser("export", help="stream a view's rows for a range of days as CSV, Parquet or JSONL")
    export.add_argument("--start", type=_day, required=True, help="first day (YYYY-MM-DD, included)")
    export.add_argument("--end", type=_day, required=True, help="last day (YYYY-MM-DD, included)")
    export.add_argument("--view", default="v_events", choices=list(EXPORTABLE), help="what to export (v_events)")
    export.add_argument("--format", choices=FORMATS,
                        help="csv, parquet or jsonl (default: from the --out suffix, else csv)")  # fmt: skip
    export.add_argument("--out", metavar="FILE", help="output file (default: stdout; Parquet needs a file)")
    export.set_defaults(func=cmd_export)
