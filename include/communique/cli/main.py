"""The ``communique`` command: the same functions the DAGs call, without Airflow.

Each area is a module of ``communique.cli`` with an ``add_commands(commands)`` function that
registers its subcommands; :data:`AREAS` lists them (a new command group is one more module
there). Heavy modules load only when a command runs, so ``communique --help`` stays fast.

Errors are one line: bad arguments are refused by argparse (or a ``UsageError``) with the
command's usage; any other failure prints its cause without a traceback (``-v`` shows it).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from typing import Any

from communique import __version__
from communique.cli import actors, events, feeds, processing, reports, warehouse
from communique.errors import CommuniqueError, UsageError

LOGGER = logging.getLogger("communique")

#: The command groups, in the order ``communique --help`` lists them: each registers its commands.
AREAS: tuple[Any, ...] = (events, feeds, processing, warehouse, reports, actors)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="communique", description=__doc__.split("\n")[0])
    parser.add_argument("--version", action="version", version=f"communique {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at debug level")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for area in AREAS:
        area.add_commands(commands)
    _name_parsers(commands)
    return parser


def _name_parsers(commands: Any) -> None:
    """Let every (sub)command know its own parser, for usage errors found after parsing."""
    for command in commands.choices.values():
        command.set_defaults(command_parser=command)
        for action in command._actions:  # argparse keeps subparsers there, with no public accessor
            if isinstance(action, argparse._SubParsersAction):
                _name_parsers(action)


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """A handler that writes to ``sys.stderr`` as it is now (a progress bar may redirect it for a while)."""

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _configure_logging(args.verbose)
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


def _configure_logging(verbose: bool) -> None:
    """Our one handler on the root logger, to stderr, that never shows a connection password.

    A handler of an earlier call in the same process (tests, an embedding program) is
    replaced, not added to, so that no line is ever printed twice.
    """
    from communique.warehouse.database import RedactingFilter

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(old)
    handler = _Stderr()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactingFilter())  # no connection password reaches the terminal or a log file
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if verbose else logging.INFO)


if __name__ == "__main__":
    sys.exit(main())
