"""``communique process`` and ``communique import warc|sitemap``: backfills and history without Airflow.

``process`` runs only the pieces of a range in which pages landed (one query finds them), with a
progress bar on the terminal and a summary table at the end; ``import`` lands history and exits
non-zero, with the fix in one line, when it could not import what it was asked to.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any, TextIO

from communique.cli import arguments


def cmd_process(args: argparse.Namespace) -> int:
    """Process the hours of a range in which articles landed (clean, deduplicate, extract, load, check).

    Each piece is one run: it holds its interval until its last stage, so a second
    ``communique process`` (or an Airflow run) of the same hours waits for it.
    """
    import uuid

    from communique import metrics, pipeline
    from communique.settings import load_settings
    from communique.warehouse import database, ops

    settings = load_settings()
    interval = arguments.interval(args.start, args.end)
    assert interval is not None  # required
    step = timedelta(hours=args.step_hours) if args.step_hours else None
    dsn = database.resolve_url(settings)
    database.migrate(dsn)
    pieces = pipeline.landed_pieces(dsn, interval, step)
    total = interval.piece_count(step)
    unit = "hours" if args.step_hours == 1 else f"pieces of {args.step_hours} h" if step else "piece (the whole range)"
    print(f"{interval}: {len(pieces)} of {total} {unit} hold landed articles", file=sys.stderr)
    run_id = f"cli__{uuid.uuid4().hex[:12]}"

    def record(piece: Any, report: Any, elapsed: float) -> None:
        ops.record_stage(dsn, "cli", pipeline.piece_run(run_id, piece), report, piece, elapsed)
        metrics.emit_stage(settings, report, elapsed)
        print(f"{piece} {report.summary()}", flush=True)

    with progress_bar(len(pieces), "processing") as advance:
        result = pipeline.process_range(
            settings, dsn, interval, step, run=run_id, pieces=pieces, on_stage=record, on_piece=advance
        )
    print_range_summary(result, sys.stdout)
    if result.failed:
        step_option = "" if args.step_hours == 1 else f" --step-hours {args.step_hours}"
        resume = f"communique process --start {result.failed.start.isoformat()} --end {interval.end.isoformat()}"
        print(f"communique process: {result.failed} failed, the pieces after it were not run (once fixed, resume "
              f"with `{resume}{step_option}`): {result.error}", file=sys.stderr)  # fmt: skip
        return 1
    return 0


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[Callable[[Any], None]]:
    """A progress bar on the terminal (stderr), or nothing when stderr is not one: logs never hold it.

    While it shows, lines printed to stdout (when that is the terminal too) and log lines go
    above it; it disappears when done. Yields the function that advances it by one piece.
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(stderr=True)
    if not console.is_terminal or total == 0:
        yield lambda _piece: None
        return
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, redirect_stdout=sys.stdout.isatty()) as progress:
        task = progress.add_task(what, total=total)

        def advance(piece: Any) -> None:
            progress.update(task, advance=1, description=f"{what} (done {piece.start:%Y-%m-%d %H:%M})")

        yield advance


def print_range_summary(result: Any, out: TextIO) -> None:
    """One table: the range's hours, the pieces processed, and what they added up to."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"communique process {result.interval}", title_justify="left")
    figures = result.figures()
    headers = ["hours", "pieces", "processed", *figures, "time"]
    for header in headers:
        table.add_column(header, justify="right")
    hours = f"{result.hours:g}"
    table.add_row(hours, str(result.pieces), str(len(result.processed)), *map(str, figures.values()),
                  f"{result.seconds:.1f} s")  # fmt: skip
    Console(file=out, width=max(100, Console(file=out).width)).print(table)


def cmd_import(args: argparse.Namespace) -> int:
    """Land history from WARC files or news sitemaps, for a backfill of that range.

    Every source is imported on its own (a bad one does not stop the others); the summary
    adds them up, and the exit status is 1 when anything failed (an unreadable file or
    record, a sitemap or page that could not be fetched, an origin the SSRF guard refuses).
    """
    from communique.history import sitemaps, warc
    from communique.models import StageReport
    from communique.settings import load_settings
    from communique.warehouse import database

    settings = load_settings()
    span = arguments.interval(args.start, args.end, required=False)
    sources = [arguments.source(args.kind, text) for text in args.sources]
    if args.kind == "sitemap" and (refusal := guard_refusal(settings, [str(s) for s in sources])):
        print(refusal, file=sys.stderr)
        return 1
    dsn = database.resolve_url(settings)
    database.migrate(dsn)
    if args.kind == "warc":
        report = warc.import_warc(settings, dsn, [Path(p) for p in sources], span)
    else:
        report = StageReport("import_sitemap", span=span)
        for url in sources:
            report.merge(sitemaps.import_sitemap(settings, dsn, str(url), span))
    print(report.summary())
    if span and report.counts.get("landed"):
        print(
            "process them with:\n"
            f"  communique process --start {span.start.isoformat()} --end {span.end.isoformat()}\n"
            "or through Airflow:\n"
            f"  airflow backfill create --dag-id communique_process --from-date {span.start.isoformat()} "
            f"--to-date {span.end.isoformat()} --reprocess-behavior completed --max-active-runs 1"
        )
    if report.counts.get("failed"):
        blocked = sum(n for reason, n in report.skipped.items() if reason.endswith("blocked"))
        hint = (
            f"; {blocked} refused by the SSRF guard: allow their origins with COMMUNIQUE_ALLOWED_ORIGINS"
            if blocked
            else ""
        )
        print(f"{report.counts['failed']} failed (see the warnings above){hint}; running the import again "
              "retries them", file=sys.stderr)  # fmt: skip
        return 1
    return 0


def guard_refusal(settings: Any, urls: list[str]) -> str | None:
    """One line naming the first sitemap whose origin the SSRF guard refuses, and how to allow it."""
    from communique.fetch import downloads

    for url in urls:
        reason = downloads.guard_refusal(url, settings.http)
        if reason is not None:
            import httpx

            origin = downloads.origin_of(httpx.URL(url))
            return (
                f"origin {origin} refused by the SSRF guard ({reason}): allow it with "
                f"COMMUNIQUE_ALLOWED_ORIGINS={origin} (comma-separated, with any others you allow)"
            )
    return None


def add_commands(commands: Any) -> None:
    """Register ``process`` and ``import`` on the ``communique`` parser."""
    what = "process the hours of a range in which articles landed (one query finds them; the others are skipped)"
    process = commands.add_parser("process", help="process the hours of a range in which articles landed",
                                  description=what)  # fmt: skip
    process.add_argument("--start", required=True, type=arguments.iso_time, metavar="ISO",
                         help="ISO 8601 start (inclusive; UTC if naive)")  # fmt: skip
    process.add_argument(
        "--end", required=True, type=arguments.iso_time, metavar="ISO", help="ISO 8601 end (exclusive)"
    )
    process.add_argument("--step-hours", type=arguments.non_negative_int, default=1, metavar="N",
                         help="pieces of this many hours from --start, like the hourly DAG (0: the range as one "
                         "piece); pieces in which nothing landed are skipped")  # fmt: skip
    process.set_defaults(func=cmd_process)

    imports = commands.add_parser("import", help="land history from WARC files or news sitemaps")
    kinds = imports.add_subparsers(dest="kind", required=True, metavar="KIND")
    for kind, what, meta in (("warc", "CC-NEWS WARC files", "FILE"), ("sitemap", "news sitemaps", "URL")):
        source = kinds.add_parser(kind, help=f"land the articles of {what}")
        source.add_argument("sources", nargs="+", metavar=meta, help=f"{what}")
        source.add_argument("--start", type=arguments.iso_time, metavar="ISO",
                            help="only articles published from this ISO time (inclusive)")  # fmt: skip
        source.add_argument("--end", type=arguments.iso_time, metavar="ISO", help="... up to this ISO time (exclusive)")
        source.set_defaults(func=cmd_import)
