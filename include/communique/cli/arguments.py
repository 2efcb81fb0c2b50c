"""Argument types shared by the commands: bad input is refused while parsing, as one line with the usage.

Each function is an ``argparse`` ``type=``: it returns the parsed value or raises
``ArgumentTypeError``, which argparse prints under the command's usage line (exit status 2).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from communique.errors import UsageError
from communique.models import Interval


def iso_time(text: str) -> datetime:
    """An ISO 8601 time (``2025-03-01``, ``2025-03-01T10:00``, ``...Z``); UTC when naive."""
    from datetime import UTC

    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an ISO 8601 time (e.g. 2025-03-01T10:00): {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def interval(start: datetime | None, end: datetime | None, *, required: bool = True) -> Interval | None:
    """``[start, end)`` from two parsed options; both or neither (when not ``required``), and in order."""
    if start is None and end is None and not required:
        return None
    if start is None or end is None:
        raise UsageError("give both --start and --end" + ("" if required else ", or neither"))
    if end <= start:
        raise UsageError(f"--end ({end.isoformat()}) must be after --start ({start.isoformat()})")
    return Interval(start, end)


def existing_file(text: str) -> Path:
    """A readable file (``-`` is not one: commands that read stdin accept it themselves)."""
    path = Path(text)
    if not path.exists():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"not a file: {text}")
    return path


def source(kind: str, text: str) -> Path | str:
    """An import source: an existing file for ``warc``, an http(s) URL for ``sitemap``."""
    if kind == "warc":
        try:
            return existing_file(text)
        except argparse.ArgumentTypeError as exc:
            raise UsageError(str(exc)) from None
    from urllib.parse import urlsplit

    parts = urlsplit(text.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or " " in text.strip():
        raise UsageError(f"not an http(s) URL: {text!r}")
    return text.strip()


def file_or_stdin(text: str) -> str:
    """A readable file, or ``-`` for standard input."""
    return text if text == "-" else str(existing_file(text))


def non_negative_int(text: str) -> int:
    """A whole number >= 0."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return value


def positive_int(text: str) -> int:
    """A whole number >= 1."""
    value = non_negative_int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value}")
    return value


def port(text: str) -> int:
    """A TCP port number (1-65535)."""
    value = positive_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value}")
    return value
