"""The ``communique`` command: the same functions the DAGs call, without Airflow.

Each area registers its subcommands (``cli_events``, ``cli_feeds``, ``cli_warehouse``);
heavy modules load only when a command runs, so ``communique --help`` stays fast.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from communique import __version__
from communique.cli import events, feeds, reports, warehouse
from communique.errors import CommuniqueError

LOGGER = logging.getLogger("communique")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="communique", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"communique {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in (events, feeds, warehouse, reports):
        area.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command == "extract" and not (args.paths or args.jsonl):
        parser.error("extract needs PATHs or --jsonl FILE")
    try:
        return int(args.func(args))
    except CommuniqueError as exc:
        LOGGER.error("%s", exc)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
