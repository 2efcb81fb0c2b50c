"""``communique setup|warehouse|demo|airflow``: the embedded stack and the warehouse."""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path
from typing import Any

from communique.cli import arguments
from communique.errors import UsageError


def cmd_setup(args: argparse.Namespace) -> int:
    """Warehouse, migrations, demo feed list, Airflow home and metadata database."""
    from communique.local.stack import setup

    report = setup(_settings(), with_airflow=not args.no_airflow)
    for step in [*(f"applied migration {m}" for m in report.migrations_applied), *report.steps]:
        print(f"setup: {step}")
    from communique.warehouse.database import redact

    print(f"setup: warehouse ready at {redact(report.warehouse_url)}")
    return 0


def cmd_warehouse(args: argparse.Namespace) -> int:
    """Where the warehouse is, start/stop the embedded one, apply migrations, its status and diagram."""
    from communique.warehouse import database, embedded

    settings = _settings()
    if args.action in {"start", "stop"} and not settings.uses_embedded_warehouse:
        print("COMMUNIQUE_WAREHOUSE_URL is set: the warehouse is not the embedded one", file=sys.stderr)
        return 2
    if args.action == "stop":
        print("stopped" if embedded.stop(settings.pgdata) else "not running")
        return 0
    if args.action == "url" and args.analyst:
        return _analyst_url(settings)
    url = database.resolve_url(settings)
    if args.action == "diagram":
        from communique.warehouse.schema_doc import render_section, update_document

        if args.update:
            changed = update_document(Path(args.update), url)
            print(f"{args.update}: {'updated' if changed else 'up to date'}")
        else:
            print(render_section(url))
        return 0
    if args.action == "migrate":
        applied = database.migrate(url)
        print("\n".join(f"applied {m.path.name}" for m in applied) or "up to date")
    elif args.action == "status":
        _print_status(url)
    else:
        print(url)
    return 0


def _analyst_url(settings: Any) -> int:
    """Print a URL that logs in as the embedded server's analyst login (made now if setup has not)."""
    from communique.warehouse import database, embedded

    if not settings.uses_embedded_warehouse:
        group = embedded.ANALYST_GROUP
        print(f"COMMUNIQUE_WAREHOUSE_URL is set: ask its administrator for a login in {group} "
              f"(CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE {group})", file=sys.stderr)  # fmt: skip
        return 1
    url = database.resolve_url(settings)
    embedded.ensure_login(embedded.server_url(settings.pgdata))
    print(embedded.with_user(url, embedded.ANALYST_LOGIN))
    return 0


def _print_status(url: str) -> None:
    """Where the warehouse is, what it holds, and which facts an older extractor produced."""
    from communique.events.extractor import EXTRACTOR_VERSION
    from communique.warehouse import database

    pending = database.pending_migrations(url)
    print(f"url: {database.redact(url)}\npending migrations: {', '.join(m.path.name for m in pending) or 'none'}")
    if pending:
        print("run `communique warehouse migrate` first")
        return
    with database.connect(url) as conn:
        for table in ("raw_article", "article", "story_cluster", "fct_event_mention", "fct_diplomatic_event"):
            print(f"{table}: {conn.execute(f'SELECT count(*) FROM {table}').fetchone()[0]} rows")  # type: ignore[index]
        rows = conn.execute(
            """SELECT extractor_version, count(*), min(event_date), max(event_date) FROM fct_diplomatic_event
                GROUP BY 1 ORDER BY 1"""
        ).fetchall()
    print(f"current extractor: {EXTRACTOR_VERSION}")
    for version, count, first, last in rows:
        note = "" if version == EXTRACTOR_VERSION else "   <- older: backfill its range to re-extract"
        print(f"  facts by {version}: {count} (events {first} .. {last}){note}")


def cmd_demo(args: argparse.Namespace) -> int:
    """Run the pipeline through Airflow on the offline demo site, or just serve the site."""
    from communique.local.demo import run_demo
    from communique.local.demo_site import DemoServer, load_site

    settings = _settings()
    if args.serve:
        server = DemoServer(load_site(), args.port or settings.demo_port)
        print(f"serving the demo site at {server.origin} (Ctrl-C to stop)", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        return 0
    return run_demo(settings)


def cmd_airflow(args: argparse.Namespace) -> int:
    """Airflow on the embedded stack: standalone (API server, scheduler, dag-processor, triggerer)."""
    from communique.local.stack import run_airflow, setup

    given = getattr(args, "airflow_args", [])
    given = given[1:] if given[:1] == ["--"] else given  # `communique airflow run -- dags list`
    if args.action == "run" and not given:
        raise UsageError("give the airflow command to run, e.g. `communique airflow run dags list`")
    settings = _settings()
    setup(settings)
    if args.action == "standalone":
        return _standalone(settings)
    return run_airflow(settings, *given, check=False).returncode


def _standalone(settings: Any) -> int:
    from communique.local.demo_site import DemoServer, load_site
    from communique.local.stack import run_airflow, ui_url

    server = None
    if settings.uses_demo_feeds:
        try:
            server = DemoServer(load_site(), settings.demo_port).start()
            print(f"demo site serving at {server.origin} for the ingest DAG")
        except OSError:
            print(f"port {settings.demo_port} is busy: assuming the demo site is already served there")
    print(f"Airflow UI: {ui_url(settings)} (user admin; password in {settings.airflow_home}/"
          "simple_auth_manager_passwords.json.generated)")  # fmt: skip
    try:
        return run_airflow(settings, "standalone", check=False).returncode
    except KeyboardInterrupt:
        return 0
    finally:
        if server:
            server.stop()


def _settings() -> Any:
    from communique.settings import load_settings

    return load_settings()


def add_commands(commands: Any) -> None:
    """Register the stack and warehouse commands on the ``communique`` parser."""
    setup = commands.add_parser("setup", help="set up the warehouse and Airflow (make install runs this)")
    setup.add_argument("--no-airflow", action="store_true", help="warehouse only")
    setup.set_defaults(func=cmd_setup)

    wh = commands.add_parser("warehouse", help="the warehouse: url, start, stop, migrate, status, diagram")
    actions = wh.add_subparsers(dest="action", required=True, metavar="ACTION")
    url = actions.add_parser("url", help="print a psql-ready URL (starting the embedded server if needed)")
    url.add_argument("--analyst", action="store_true",
                     help="as the embedded server's read-only login (in communique_analyst)")  # fmt: skip
    actions.add_parser("start", help="start the embedded server")
    actions.add_parser("stop", help="stop the embedded server")
    actions.add_parser("migrate", help="apply the pending migrations")
    actions.add_parser("status", help="pending migrations, row counts, facts by extractor version")
    diagram = actions.add_parser("diagram", help="print the schema as a mermaid diagram")
    diagram.add_argument("--update", metavar="FILE", help="rewrite the generated section of FILE instead")
    wh.set_defaults(func=cmd_warehouse)

    demo = commands.add_parser("demo", help="run the pipeline through Airflow on the offline demo site")
    demo.add_argument("--serve", action="store_true", help="only serve the demo site until interrupted")
    demo.add_argument("--port", type=arguments.port, help="port for --serve (default COMMUNIQUE_DEMO_PORT or 8765)")
    demo.set_defaults(func=cmd_demo)

    airflow = commands.add_parser("airflow", help="Airflow on the embedded stack")
    modes = airflow.add_subparsers(dest="action", required=True, metavar="ACTION")
    modes.add_parser("standalone", help="API server, scheduler, dag-processor and triggerer (what make airflow runs)")
    run = modes.add_parser("run", help="any airflow command on the embedded stack's config, e.g. `run dags list`")
    run.add_argument("airflow_args", nargs=argparse.REMAINDER, metavar="ARGS", help="arguments for `airflow`")
    airflow.set_defaults(func=cmd_airflow)
