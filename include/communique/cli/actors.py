"""``communique actors refresh``: office holders from Wikidata as a dated snapshot (the logic is in events.refresh)."""

from __future__ import annotations

import argparse
from typing import Any


def cmd_actors_refresh(args: argparse.Namespace) -> int:
    """Fetch the office holders, write the snapshot the extractor reads, print what changed."""
    from datetime import UTC, datetime

    from communique.events.refresh import format_changes, refresh_actors
    from communique.settings import load_settings

    report = refresh_actors(load_settings(), datetime.now(UTC))
    print("\n".join(format_changes(report, None if args.all else args.limit)))
    return 0


def add_commands(commands: Any) -> None:
    """Register ``actors refresh`` on the ``communique`` parser."""
    actors = commands.add_parser("actors", help="the people tables the extractor resolves names with")
    sub = actors.add_subparsers(dest="actors_command", required=True, metavar="COMMAND")
    refresh = sub.add_parser("refresh", help="fetch office holders from Wikidata (needs internet; optional)")
    refresh.add_argument("--limit", type=int, default=200, help="changes printed per kind (default 200)")
    refresh.add_argument("--all", action="store_true", help="print every change")
    refresh.set_defaults(func=cmd_actors_refresh, command_parser=refresh)
