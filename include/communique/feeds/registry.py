"""The feed registry: a TOML list of ``[[feed]]`` tables, validated into :class:`FeedSpec`.

::

    [[feed]]
    url = "https://feeds.bbci.co.uk/news/world/rss.xml"
    outlet = "BBC News"
    name = "World"
    language = "en"              # ISO 639 code, optionally with a region: "pt-BR"
    country = "GBR"              # ISO 3166-1 alpha-3 of the outlet; optional
    poll_interval_minutes = 30   # 5 .. 10080
    enabled = true
    format = "rss"               # rss (RSS, Atom, RDF; the default) or jsonfeed

Every problem names its entry (file, position, URL, field), and a file is checked whole,
so ``communique feeds check`` can list all problems at once.
"""

from __future__ import annotations

import ipaddress
import logging
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pycountry

from communique.errors import ConfigError
from communique.feeds.parsing import DEFAULT_FORMAT, FORMATS
from communique.models import FeedSpec
from communique.settings import DATA_DIR, HttpSettings

LOGGER = logging.getLogger(__name__)

DEFAULT_FEEDS_FILE = DATA_DIR / "feeds.toml"
MIN_POLL_MINUTES = 5
MAX_POLL_MINUTES = 7 * 24 * 60
_FIELDS = ("url", "outlet", "name", "language", "country", "poll_interval_minutes", "enabled", "format")
_REQUIRED = ("url", "outlet")
_MAX_TEXT = 200
#: Longer feed URLs are refused when listed (real ones stay well under 300 characters).
MAX_URL_CHARS = 2_048
_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")


def normalise_url(url: str) -> str:
    """The form URLs are compared and stored in: scheme and host lower-cased, no fragment."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def validate_feed(raw: Mapping[str, object], *, where: str) -> tuple[FeedSpec | None, list[str]]:
    """One ``[[feed]]`` table as a spec, or ``None`` with the problems, each prefixed by ``where``."""
    label = f"{where} ({raw.get('url')})" if isinstance(raw.get("url"), str) else where
    problems = [f"{label}: unknown field {key!r}" for key in raw if key not in _FIELDS]
    problems += [f"{label}: {key}: missing" for key in _REQUIRED if key not in raw]
    values: dict[str, object] = {}
    for key, check in _CHECKS.items():
        if key not in raw:
            continue
        value, problem = check(raw[key])
        if problem:
            problems.append(f"{label}: {key}: {problem}")
        else:
            values[key] = value
    if problems:
        return None, problems
    return FeedSpec(**values), []  # type: ignore[arg-type]  # keys and types checked above


def check_feeds(path: Path) -> tuple[list[FeedSpec], list[str]]:
    """Every valid spec in ``path`` and every problem found (bad entries, duplicates, bad TOML)."""
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [], [f"{path}: no such file"]
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        return [], [f"{path}: not valid TOML: {exc}"]
    problems = [
        f"{path}: unknown top-level key {key!r} (feeds are [[feed]] tables)" for key in document if key != "feed"
    ]
    tables = document.get("feed", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        return [], [*problems, f"{path}: 'feed' must be an array of tables ([[feed]])"]
    specs: list[FeedSpec] = []
    first_seen: dict[str, int] = {}
    for index, table in enumerate(tables, 1):
        where = f"{path}: feed #{index}"
        spec, found = validate_feed(table, where=where)
        problems += found
        if spec is None:
            continue
        if spec.url in first_seen:
            problems.append(f"{where} ({spec.url}): url: duplicate of feed #{first_seen[spec.url]}")
            continue
        first_seen[spec.url] = index
        specs.append(spec)
    return specs, problems


def load_feeds(path: Path = DEFAULT_FEEDS_FILE, *, strict: bool = True) -> list[FeedSpec]:
    """The feeds of ``path``.

    :param strict: raise on any problem (``communique feeds check``, CI); otherwise log each
        bad entry and keep the good ones, so one typo does not stop the whole poll.
    :raises ConfigError: listing every problem, when ``strict`` (or when nothing is usable).
    """
    specs, problems = check_feeds(path)
    if problems and (strict or not specs):
        raise ConfigError("bad feed list:\n  " + "\n  ".join(problems))
    for problem in problems:
        LOGGER.warning("skipping feed entry: %s", problem)
    return specs


def dump_feeds(specs: Sequence[FeedSpec], *, header: str = "") -> str:
    """The TOML text of ``specs`` (the format :func:`load_feeds` reads), with an optional comment header."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    for spec in specs:
        lines += ["", *_feed_table(spec)]
    return "\n".join(lines).lstrip("\n") + "\n"


def save_feeds(path: Path, specs: Sequence[FeedSpec], *, header: str = "") -> None:
    """Write ``specs`` to ``path`` atomically (a crash leaves the old file, never half a new one)."""
    _write_atomically(path, dump_feeds(specs, header=header))


def add_feed(path: Path, spec: FeedSpec, http: HttpSettings | None = None) -> FeedSpec:
    """Validate ``spec`` and append it to ``path`` (comments and layout of the file are kept).

    With ``http`` (the fetcher's settings), a URL the SSRF guard would refuse at poll time
    (a private, loopback or metadata address) is refused now, unless those settings allow it.

    :raises ConfigError: the spec is invalid, already listed, refused by the guard, or the file has problems.
    """
    checked, problems = validate_feed(_as_table(spec), where=f"{path}: new feed")
    if checked is None:
        raise ConfigError("; ".join(problems))
    if http is not None:
        import httpx

        from communique.fetch.downloads import guard_refusal, origin_of

        refusal = guard_refusal(checked.url, http)
        if refusal:
            origin = origin_of(httpx.URL(checked.url))
            raise ConfigError(
                f"origin {origin} refused by the SSRF guard ({refusal}): allow it with "
                f"COMMUNIQUE_ALLOWED_ORIGINS={origin} (comma-separated, with any others you allow) to poll it"
            )
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    current, file_problems = check_feeds(path) if existing else ([], [])
    if file_problems:
        raise ConfigError("fix the feed list first:\n  " + "\n  ".join(file_problems))
    if any(s.url == checked.url for s in current):
        raise ConfigError(f"{path}: {checked.url} is already listed")
    separator = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    _write_atomically(path, existing + separator + "\n".join(_feed_table(checked)) + "\n")
    return checked


# --- field checks ------------------------------------------------------------------------------


def _check_url(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be a non-empty string"
    problem = _url_problem(value.strip())
    return (None, problem) if problem else (normalise_url(value), None)


def _url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a feed URL (http(s), a valid host, bounded, printable), or ``None``."""
    shown = repr(url[:80])
    if len(url) > MAX_URL_CHARS:
        return f"longer than {MAX_URL_CHARS} characters ({len(url)})"
    if any(c.isspace() or not c.isprintable() for c in url):
        return f"{shown} contains white space or control characters (percent-encode them)"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"{shown} is not a valid URL ({exc})"
    problems = (
        (parts.scheme.lower() not in ("http", "https"), f"{shown} is not an http(s) URL"),
        (not parts.hostname, f"{shown} has no host"),
        (bool(parts.username or parts.password), "credentials do not belong in a feed URL"),
        (port == 0, "port 0 is not a port"),
        (
            bool(parts.hostname) and not _valid_host(parts.hostname or ""),
            f"{parts.hostname!r} is not a valid host name",
        ),
    )
    return next((problem for failed, problem in problems if failed), None)


def _valid_host(host: str) -> bool:
    """An IP literal, or a DNS name (after IDNA) of at most 253 characters in labels of 1 to 63."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return True
    try:
        ascii_host = host.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError:
        return False
    labels = ascii_host.split(".")
    return len(ascii_host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def _check_text(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str):
        return None, "must be a string"
    text = " ".join(value.split())
    if len(text) > _MAX_TEXT:
        return None, f"longer than {_MAX_TEXT} characters"
    return text, None


def _check_outlet(value: object) -> tuple[object, str | None]:
    text, problem = _check_text(value)
    return (None, "must not be empty") if problem is None and not text else (text, problem)


def _check_language(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str) or not value.strip():
        return None, "must be an ISO 639 code such as 'en'"
    primary, _, region = value.strip().replace("_", "-").partition("-")
    primary = primary.lower()
    found = pycountry.languages.get(alpha_2=primary) if len(primary) == 2 else None
    found = found or (pycountry.languages.get(alpha_3=primary) if len(primary) == 3 else None)
    if found is None:
        return None, f"{value!r} is not an ISO 639 language code"
    if region and not (region.isalpha() and len(region) == 2) and not (region.isdigit() and len(region) == 3):
        return None, f"{value!r}: the region must be two letters or three digits"
    return primary + (f"-{region.upper()}" if region else ""), None


def _check_country(value: object) -> tuple[object, str | None]:
    if not isinstance(value, str) or len(value.strip()) != 3 or not value.strip().isalpha():
        return None, f"{value!r} is not an ISO 3166-1 alpha-3 code (e.g. 'GBR')"
    code = value.strip().upper()
    if pycountry.countries.get(alpha_3=code) is None:
        return None, f"{value!r} is not an ISO 3166-1 alpha-3 country code"
    return code, None


def _check_interval(value: object) -> tuple[object, str | None]:
    if isinstance(value, bool) or not isinstance(value, int):
        return None, "must be a whole number of minutes"
    if not MIN_POLL_MINUTES <= value <= MAX_POLL_MINUTES:
        return None, f"{value} is outside {MIN_POLL_MINUTES}..{MAX_POLL_MINUTES} minutes"
    return value, None


def _check_enabled(value: object) -> tuple[object, str | None]:
    return (value, None) if isinstance(value, bool) else (None, "must be true or false")


def _check_format(value: object) -> tuple[object, str | None]:
    if isinstance(value, str) and value.strip().lower() in FORMATS:
        return value.strip().lower(), None
    return None, f"{value!r} is not a feed format ({', '.join(sorted(FORMATS))})"


_CHECKS = {
    "url": _check_url,
    "outlet": _check_outlet,
    "name": _check_text,
    "language": _check_language,
    "country": _check_country,
    "poll_interval_minutes": _check_interval,
    "enabled": _check_enabled,
    "format": _check_format,
}


# --- writing -----------------------------------------------------------------------------------


def _as_table(spec: FeedSpec) -> dict[str, object]:
    table = {key: getattr(spec, key) for key in _FIELDS}
    return {k: v for k, v in table.items() if v is not None}


def _feed_table(spec: FeedSpec) -> list[str]:
    lines = ["[[feed]]"]
    for key, value in _as_table(spec).items():
        if (key == "name" and not value) or (key == "format" and value == DEFAULT_FORMAT):
            continue
        lines.append(f"{key} = {_toml_value(value)}")
    return lines


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    escaped = "".join(_TOML_ESCAPES.get(c) or (f"\\u{ord(c):04x}" if ord(c) < 0x20 or c == "\x7f" else c) for c in text)
    return f'"{escaped}"'


_TOML_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(path)
