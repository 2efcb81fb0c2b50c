"""``communique demo``: the whole pipeline, through Airflow, on the bundled offline site.

Starts the embedded stack, serves the demo site on loopback, runs the ingest DAG and then
the processing DAG for every hour in which demo pages landed, and prints what was loaded.
Running it again re-processes the same hours and leaves the facts exactly as they were.

The runs are ``airflow dags test --use-executor``: real Airflow runs recorded in the metadata
database whose tasks run under the LocalExecutor, as under the scheduler, so each keeps its
task log and `make airflow`'s UI shows the demo's runs with their logs. The executor's tasks
talk to Airflow's execution API: the demo starts an API server on loopback for the while
(or uses the one `make airflow` serves).
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, TextIO

from communique.errors import CommuniqueError, ConfigError
from communique.local import stack
from communique.local.demo_site import DemoServer, load_site
from communique.reports.brief import latest_event_day
from communique.settings import Settings
from communique.warehouse import database
from communique.warehouse.ops import stage_totals

LOGGER = logging.getLogger(__name__)
INGEST_DAG = "communique_ingest"
PROCESS_DAG = "communique_process"
BRIEF_DAG = "communique_brief"
PROCESS_STAGES = ("clean", "deduplicate", "extract", "load", "check")


def _database_clock(dsn: str) -> datetime:
    with database.connect(dsn) as conn:
        row = conn.execute("SELECT clock_timestamp()").fetchone()
    assert row is not None
    return row[0]  # type: ignore[no-any-return]


def _landed_hours(dsn: str, feed_urls: list[str]) -> list[datetime]:
    """The hours in which pages of the given feeds landed (each is one processing interval)."""
    with database.connect(dsn) as conn:
        rows = conn.execute(
            """SELECT DISTINCT date_trunc('hour', landed_at) FROM raw_article
                WHERE feed_url = ANY(%s) ORDER BY 1""",
            (feed_urls,),
        ).fetchall()
    return [row[0] for row in rows]


def _demo_feed_urls(settings: Settings) -> list[str]:
    site = load_site()
    return [settings.demo_origin + feed.path for feed in site.feeds.values()]


def run_demo(settings: Settings, out: TextIO = sys.stdout) -> int:
    """Run the demo end to end; return the process exit status."""
    if not settings.uses_demo_feeds:
        raise ConfigError("the demo polls the bundled demo feeds: unset COMMUNIQUE_FEEDS_FILE")
    report = stack.setup(settings)
    dsn = report.warehouse_url
    since = _database_clock(dsn)
    try:
        server = DemoServer(load_site(), settings.demo_port)
    except OSError as exc:
        raise ConfigError(
            f"cannot serve the demo site on {settings.demo_origin} ({exc}); "
            "stop what uses the port or set COMMUNIQUE_DEMO_PORT"
        ) from exc
    log = settings.home / "logs" / "demo-airflow.log"
    log.unlink(missing_ok=True)
    with server, _execution_api(settings, log, out):
        feeds = _demo_feed_urls(settings)
        print(f"Demo site: {len(feeds)} feeds at {server.origin} (pages from include/demo/pages)", file=out)
        print(f"Running the pipeline through Airflow (output in {log}):", file=out)
        _run_dag(settings, INGEST_DAG, None, log, out)
        hours = _landed_hours(dsn, feeds)
        for hour in hours:
            _run_dag(settings, PROCESS_DAG, (hour + timedelta(hours=1)).isoformat(), log, out)
        day = latest_event_day(dsn)  # the demo's day: its pages are old news, so not today
        if day is not None:  # inside the block: the brief's task, too, needs the execution API
            _run_dag(settings, BRIEF_DAG, f"{day + timedelta(days=1)}T00:00:00+00:00", log, out)
    totals = stage_totals(dsn, since)
    missing = [s for s in ("poll", "fetch", *(PROCESS_STAGES if hours else ())) if s not in totals]
    if missing:
        raise CommuniqueError(f"the demo runs did not record stages {missing}: see the Airflow output in the log")
    print_report(dsn, totals, hours, out)
    if day is not None:
        print(f"\nDaily brief of {day}, the latest day with events (open it in a browser):", file=out)
        print(f"  {settings.brief_dir / f'brief-{day}.html'}", file=out)
    return 0


#: How long the API server may take to answer (about 15 s on an idle 2-core machine).
API_START_TIMEOUT = 240.0


def _api_answers(settings: Settings) -> bool:
    import httpx

    try:
        return httpx.get(f"{stack.ui_url(settings)}/api/v2/monitor/health", timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def _execution_api(settings: Settings, log: Path, out: TextIO) -> Iterator[None]:
    """An Airflow API server for the executor's tasks: `make airflow`'s if it runs, else one of our own."""
    if _api_answers(settings):
        print(f"Using the Airflow API server at {stack.ui_url(settings)}", file=out)
        yield
        return
    print(f"  starting an Airflow API server on {stack.ui_url(settings)} ...", end="", file=out, flush=True)
    began = time.monotonic()
    log = log.with_name("demo-api-server.log")
    with log.open("w", encoding="utf-8") as output:
        process = stack.start_airflow(settings, "api-server", output=output)
    try:
        while not _api_answers(settings):
            if process.poll() is not None or time.monotonic() - began > API_START_TIMEOUT:
                print(" FAILED", file=out)
                raise CommuniqueError(
                    f"the Airflow API server did not start on {stack.ui_url(settings)} (see {log}); "
                    "is the port busy? set COMMUNIQUE_AIRFLOW_PORT"
                )
            time.sleep(1)
        print(f" ready ({time.monotonic() - began:.0f} s)", file=out, flush=True)
        yield
    finally:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


#: How long one `airflow dags test` of the demo may take (a process run takes about a minute here): past
#: it, a run that waits forever ("Callback sink is not ready" after a task process died) is stopped.
DAG_TEST_TIMEOUT = 900.0


def _run_dag(settings: Settings, dag_id: str, logical_date: str | None, log: Path, out: TextIO) -> None:
    args = ["dags", "test", dag_id] + ([logical_date] if logical_date else []) + ["--use-executor"]
    if dag_id == INGEST_DAG:
        args += ["--conf", json.dumps({"force_poll": True})]  # a demo polls every time it runs
    print(f"  airflow {' '.join(args)} ...", end="", file=out, flush=True)
    began = time.monotonic()
    try:
        returncode = stack.run_airflow(settings, *args, check=False, log=log, timeout=DAG_TEST_TIMEOUT).returncode
    except CommuniqueError:
        print(" TIMED OUT", file=out, flush=True)
        raise
    failed = returncode != 0 or _last_run_failed(log)
    print(f" {'FAILED' if failed else 'success'} ({time.monotonic() - began:.0f} s)", file=out, flush=True)
    if failed:
        tail = "".join(log.read_text(encoding="utf-8", errors="replace").splitlines(keepends=True)[-40:])
        raise CommuniqueError(
            f"`airflow {' '.join(args)}` failed; the task logs are under {settings.airflow_home / 'logs'}; "
            f"the end of {log}:\n{tail}"
        )


def _last_run_failed(log: Path) -> bool:
    """Whether the last DagRun reported in the log did not succeed (``dags test`` exits 0 either way)."""
    finished = [
        line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if "DagRun Finished" in line
    ]
    return not finished or "state=success" not in finished[-1]


def print_report(dsn: str, totals: dict[str, dict[str, int]], hours: list[datetime], out: TextIO) -> None:
    """The short report: what the runs did, and the top events in the warehouse."""
    poll, fetch, dedup = totals.get("poll", {}), totals.get("fetch", {}), totals.get("deduplicate", {})
    statuses = _breakdown(poll, "status_")
    skipped = _breakdown(totals.get("clean", {}), "skipped_")
    repeated = fetch.get("duplicate_urls", 0)
    copies = ", ".join(
        filter(None, [f"URL in two feeds {repeated}" if repeated else "", _breakdown(dedup, "duplicates_")])
    )
    lines = [
        ("feeds polled", poll.get("feeds", 0), statuses),
        ("entries seen", poll.get("entries", 0), f"{poll.get('new_entries', 0)} new"),
        ("articles fetched", fetch.get("landed", 0), _fetch_note(fetch)),
        ("duplicates dropped", repeated + dedup.get("duplicates", 0), copies),
        ("articles skipped", sum(v for k, v in totals.get("clean", {}).items() if k.startswith("skipped_")), skipped),
        ("stories extracted", totals.get("extract", {}).get("stories", 0), "copies of a story are not re-extracted"),
        ("events loaded", totals.get("load", {}).get("mentions_loaded", 0),
         f"{totals.get('load', {}).get('facts_upserted', 0)} facts new or changed"),
    ]  # fmt: skip
    print("\nCommuniqué demo: what the Airflow runs did", file=out)
    print(f"  intervals processed: {', '.join(h.strftime('%Y-%m-%d %H:00') for h in hours) or 'none'}", file=out)
    for label, value, note in lines:
        print(f"  {label:<20}{value:>6}" + (f"   ({note})" if note else ""), file=out)
    with database.connect(dsn) as conn:
        total = conn.execute("SELECT count(*) FROM fct_diplomatic_event").fetchone()
        top = conn.execute(
            """SELECT event_date, event_type, cameo_code, source_name, source_country, target_name, target_country,
                      num_articles, num_sources, evidence_sentence
                 FROM v_events ORDER BY num_articles DESC, num_sources DESC, event_date DESC, event_id LIMIT 10"""
        ).fetchall()
    print(f"\nTop events ({total[0] if total else 0} facts in fct_diplomatic_event):", file=out)
    _print_events(top, out)
    print('\nQuery them: psql "$(.venv/bin/communique warehouse url)" -c "SELECT * FROM v_events LIMIT 5"', file=out)


def _fetch_note(fetch: dict[str, int]) -> str:
    if not fetch.get("candidates"):
        return "every listed page was in the raw store already"
    failed = sum(v for k, v in fetch.items() if k.startswith("skipped_"))
    return f"{fetch['candidates']} to fetch, {failed} failed" + (f": {_breakdown(fetch, 'skipped_')}" if failed else "")


def _breakdown(counts: dict[str, int], prefix: str) -> str:
    """'a 1, b 2' from the counts whose names start with ``prefix``."""
    parts = {k[len(prefix) :].replace("_", " "): v for k, v in counts.items() if k.startswith(prefix) and v}
    return ", ".join(f"{k} {v}" for k, v in sorted(parts.items()))


def _print_events(rows: list[tuple[Any, ...]], out: TextIO) -> None:
    header = f"  {'date':<10} {'type':<12} {'code':<4} {'source':<26} {'target':<26} {'arts':>4} {'outl':>4}  evidence"
    print(header, file=out)
    print("  " + "-" * (len(header) - 2), file=out)
    for date, kind, code, sname, scountry, tname, tcountry, arts, outlets, sentence in rows:
        source = f"{sname} ({scountry or 'IGO'})"[:26]
        target = f"{tname} ({tcountry or 'IGO'})"[:26]
        evidence = " ".join(str(sentence).split())[:70]
        print(
            f"  {date!s:<10} {kind:<12} {code:<4} {source:<26} {target:<26} {arts:>4} {outlets:>4}  {evidence}",
            file=out,
        )
