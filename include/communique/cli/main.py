"""The ``communique`` command: the same functions the DAGs call, without Airflow.

Each area registers its subcommands (``cli_events``, ``cli_feeds``, ``cli_warehouse``);
heavy modules load only when a command runs, so ``communique --help`` stays fast.

Errors are one line: bad arguments are refused by argparse (or a ``UsageError``) with the
command's usage; any other failure prints its cause without a traceback (``-v`` shows it).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from communique import __version__
from communique.cli import actors, events, feeds, reports, warehouse
from communique.errors import CommuniqueError, UsageError

LOGGER = logging.getLogger("communique")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="communique", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"communique {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in (events, feeds, warehouse, reports, actors):
        area.add_commands(commands)
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)  # for usage errors found after parsing
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from communique.warehouse.database import RedactingFilter

    for handler in logging.getLogger().handlers:
        handler.addFilter(RedactingFilter())  # no connection password reaches the terminal or a log file
    if args.command == "extract" and not (args.paths or args.jsonl):
        args.command_parser.error("give PATHs or --jsonl FILE")
    try:
        return int(args.func(args))
    except UsageError as exc:
        args.command_parser.error(str(exc))
    except CommuniqueError as exc:
        LOGGER.error("%s", exc)
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        LOGGER.error("interrupted")
        return 130
    except OSError as exc:  # a file or a port the user named: their input, not our bug
        LOGGER.error("%s", exc)
    except Exception as exc:
        LOGGER.error("unexpected error: %s: %s (run with -v for the traceback)", type(exc).__name__, exc)
        LOGGER.debug("traceback", exc_info=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
