"""Publication dates: parse what pages and URLs declare, then pick the best one with provenance.

A page states its dates in many places and formats (JSON-LD, ``<meta>``, ``<time>``, the URL). Each
statement becomes a :class:`DateCandidate` that keeps where it came from and how precise it is:

- ``instant``: a date and a time with a UTC offset (the only kind that names one moment);
- ``naive``: a date and a time without an offset (the zone is unknown, often the outlet's local time);
- ``date``: a day only (``2019-11-18``, ``/2019/11/18/`` in a URL).

:func:`choose_published` ranks them (precision first, then source: JSON-LD, meta, ``<time>``, URL,
then htmldate's reading of the visible text; the feed entry's time stands in whenever the page offers no
instant) after sanity checks:
nothing after the fetch time, nothing before 1995 (``0001-01-01`` placeholders), nothing more than
:data:`MAX_LAG_BEFORE_FEED` before the feed entry's own date.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lxml.html import HtmlElement

LOGGER = logging.getLogger(__name__)

#: Sources in the order we trust them (after precision): structured data first.
SOURCE_ORDER = ("json-ld", "meta", "time", "url", "text")
#: A page date this much earlier than the feed entry's date is taken to be some other date.
MAX_LAG_BEFORE_FEED = timedelta(days=7)
#: Clock skew tolerated between a publisher's clock and ours; later values are rejected.
FUTURE_TOLERANCE = timedelta(minutes=5)
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_MAX_TEXT = 80

_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
# Unambiguous zone abbreviations only (IST, AMT, GST... name several zones and are left out).
_ZONES = {
    "utc": 0.0, "gmt": 0.0, "ut": 0.0, "z": 0.0, "wet": 0.0, "west": 1.0, "bst": 1.0, "cet": 1.0,
    "cest": 2.0, "eet": 2.0, "eest": 3.0, "msk": 3.0, "pkt": 5.0, "ict": 7.0, "wib": 7.0, "hkt": 8.0,
    "sgt": 8.0, "awst": 8.0, "jst": 9.0, "kst": 9.0, "acst": 9.5, "aest": 10.0, "aedt": 11.0,
    "nzst": 12.0, "nzdt": 13.0, "est": -5.0, "edt": -4.0, "cst": -6.0, "cdt": -5.0, "mst": -7.0,
    "mdt": -6.0, "pst": -8.0, "pdt": -7.0, "akst": -9.0, "akdt": -8.0, "hst": -10.0,
}  # fmt: skip
_ISO_LIKE = re.compile(r"^\d{4}-?\d{2}-?\d{2}")
_SLASHED_DATE = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})")
_BASIC_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_LOOSE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(.*)$")
_FRACTION = re.compile(r"(\.\d{6})\d+")
_SPACED_OFFSET = re.compile(r"\s+(?=[+-]\d{2}:?\d{2}$)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_MONTH_WORD = re.compile(r"(?<![a-z])(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?(?![a-z])")
_DAY = re.compile(r"(?<![\d:])(\d{1,2})(?:st|nd|rd|th)?(?![\d:])")
_CLOCK = re.compile(r"(?<!\d)(\d{1,2})[:.h](\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([ap])?\.?m?\.?(?![a-z])")
_OFFSET = re.compile(r"(?:gmt|utc)?\s*([+-])(\d{1,2}):?(\d{2})?(?!\d)")
_ZONE_WORD = re.compile(r"(?<![a-z])(" + "|".join(sorted(_ZONES, key=len, reverse=True)) + r")(?![a-z])")
_URL_DATES = (
    # /2019/11/18/, /2019-11-18/, /2019/nov/18/, /201911/18/ and a leading /20191118 segment.
    re.compile(r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?=[/_.-]|$)"),
    re.compile(r"/((?:19|20)\d\d)/([a-z]{3,9})/(0?[1-9]|[12]\d|3[01])(?=/|$)", re.IGNORECASE),
    # /2010/POLITICS/08/13/ (a section between the year and the month)
    re.compile(r"/((?:19|20)\d\d)/[a-z_-]{2,20}/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?=/|$)", re.IGNORECASE),
    re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])/(0[1-9]|[12]\d|3[01])(?=/|$)"),
    re.compile(r"/((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/_-])"),
)


@dataclass(frozen=True, slots=True)
class DateCandidate:
    """One date a page states, with where it was found and how precise it is."""

    source: str
    key: str
    #: Aware for ``instant``; naive wall-clock time for ``naive``; naive midnight for ``date``.
    value: datetime
    precision: str

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: more precise first, then the more trusted source."""
        return (("instant", "naive", "date").index(self.precision), SOURCE_ORDER.index(self.source))


def parse_date(text: str | None) -> tuple[datetime, str] | None:
    """Parse a date as pages write it; returns the value and its precision, or ``None``."""
    if not text:
        return None
    text = text.strip()
    if not text or len(text) > _MAX_TEXT:
        return None
    parsed = _parse_numeric(text) or _parse_iso(text) or _parse_rfc2822(text) or _parse_words(text)
    if parsed is None:
        return None
    value, precision = parsed
    if not _EARLIEST.year <= value.year <= 2100:
        return None
    return value, precision


def _parse_numeric(text: str) -> tuple[datetime, str] | None:
    if not text.isdigit():
        return None
    if len(text) in (10, 13):  # epoch seconds or milliseconds
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC), "instant"
    match = _BASIC_DATE.match(text)
    if match:
        return _day(*map(int, match.groups()))
    return None


def _day(year: int, month: int, day: int) -> tuple[datetime, str] | None:
    try:
        return datetime(year, month, day), "date"  # noqa: DTZ001 (a calendar day, no zone on purpose)
    except ValueError:
        return None


def _parse_iso(text: str) -> tuple[datetime, str] | None:
    if not _ISO_LIKE.match(text) and not _SLASHED_DATE.match(text):
        return None
    slashed = _SLASHED_DATE.match(text)
    if slashed:
        text = f"{int(slashed[1]):04d}-{int(slashed[2]):02d}-{int(slashed[3]):02d}" + text[slashed.end() :]
    cleaned = _FRACTION.sub(r"\1", text.replace(" UTC", "Z").replace(" GMT", "Z"))
    cleaned = _SPACED_OFFSET.sub("", cleaned)
    try:
        value = datetime.fromisoformat(cleaned)
    except ValueError:
        return _parse_loose_iso(cleaned)
    if len(cleaned) <= 10:
        return value, "date"
    return value, "instant" if value.tzinfo else "naive"


def _parse_loose_iso(text: str) -> tuple[datetime, str] | None:
    """``2019-11-20 3:15:00 -0800``, ``2010-08-14 00:00:00 EDT``: ISO-ish with a looser clock or zone."""
    match = _LOOSE_ISO.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g or 0) for g in match.groups()[:6])
    try:
        value = datetime(year, month, day, hour, minute, second)  # noqa: DTZ001 (zone applied below)
    except ValueError:
        return None
    zone = _zone_after(match[7].lower())
    return (value.replace(tzinfo=zone), "instant") if zone else (value, "naive")


def _parse_rfc2822(text: str) -> tuple[datetime, str] | None:
    if not re.match(r"^[A-Za-z]{3},?\s+\d", text):
        return None
    try:
        value = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return value, "instant" if value.tzinfo else "naive"


def _parse_words(text: str) -> tuple[datetime, str] | None:
    """Dates written with an English month name, with an optional clock time and zone."""
    lower = text.lower()
    month_match, year_match = _MONTH_WORD.search(lower), _YEAR.search(lower)
    if not month_match or not year_match:
        return None
    clock = _CLOCK.search(lower)
    rest = lower.replace(year_match[0], " ", 1)
    if clock:
        rest = rest.replace(clock[0], " ", 1)
    day_match = _DAY.search(rest)
    if not day_match:
        return None
    parsed = _day(int(year_match[1]), _MONTHS[month_match[1]], int(day_match[1]))
    if parsed is None or clock is None:
        return parsed
    hour, minute, second = int(clock[1]), int(clock[2]), int(clock[3] or 0)
    if clock[4] == "p" and hour < 12:
        hour += 12
    elif clock[4] == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return parsed
    value = parsed[0].replace(hour=hour, minute=minute, second=second)
    zone = _zone_after(lower[clock.end() :])
    return (value.replace(tzinfo=zone), "instant") if zone else (value, "naive")


def _zone_after(text: str) -> timezone | None:
    text = text.strip()
    offset = _OFFSET.match(text)
    if offset:
        sign = -1 if offset[1] == "-" else 1
        return timezone(sign * timedelta(hours=int(offset[2]), minutes=int(offset[3] or 0)))
    word = _ZONE_WORD.match(text)
    if word:
        return timezone(timedelta(hours=_ZONES[word[1]]))
    return None


def url_date(url: str) -> date | None:
    """The day a URL path states (``/2019/11/18/``, ``/2019/nov/18/``, ``/201911/18/``), if any."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if not match:
            continue
        year, month_text, day = match.groups()
        month = int(month_text) if month_text.isdigit() else _MONTHS.get(month_text.lower())
        if month is None:
            continue
        parsed = _day(int(year), month, int(day))
        if parsed and parsed[0].year >= _EARLIEST.year:
            return parsed[0].date()
    return None


def candidate(source: str, key: str, text: str | None) -> DateCandidate | None:
    """A candidate from one declared value, or ``None`` when it does not parse."""
    parsed = parse_date(text)
    if parsed is None:
        return None
    value, precision = parsed
    return DateCandidate(source, key, value, precision)


def text_date(tree: HtmlElement, fetched_at: datetime | None = None) -> DateCandidate | None:
    """A day found by htmldate's quick heuristics (date lines, ``<abbr>``, link paths): the last resort."""
    from htmldate import find_date  # heavy, imported on first use

    latest = _as_utc(fetched_at).date().isoformat() if fetched_at else None
    try:
        found = find_date(tree, extensive_search=False, original_date=True, max_date=latest)
    except (ValueError, TypeError) as exc:  # htmldate is defensive, but the page is untrusted
        LOGGER.debug("htmldate failed: %s", exc)
        return None
    return candidate("text", "htmldate", found) if found else None


def _as_utc(value: datetime) -> datetime:
    return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)


def _is_sane(cand: DateCandidate, feed: datetime | None, fetched_at: datetime | None) -> bool:
    moment = _as_utc(cand.value)
    # A naive or date-only value may be up to 14 hours "ahead" of UTC and still be in the past.
    slack = FUTURE_TOLERANCE + (timedelta(hours=14) if cand.precision != "instant" else timedelta(0))
    slack += timedelta(days=1) if cand.precision == "date" else timedelta(0)
    if moment < _EARLIEST:
        return False
    if fetched_at is not None and moment > fetched_at + slack:
        return False
    return not (feed is not None and moment < feed - MAX_LAG_BEFORE_FEED - timedelta(days=1))


def choose_published(
    candidates: list[DateCandidate],
    *,
    feed_published: datetime | None = None,
    fetched_at: datetime | None = None,
) -> tuple[datetime | None, str | None]:
    """The best publication time (aware, UTC) and the name of the source that gave it.

    :param candidates: what the page states, in document order within each source.
    :param feed_published: the feed entry's date; a fallback and a check on page dates.
    :param fetched_at: when the page was fetched; nothing published later is believed.
    """
    feed = _as_utc(feed_published) if feed_published else None
    fetched = _as_utc(fetched_at) if fetched_at else None
    if feed is not None and fetched is not None and feed > fetched + FUTURE_TOLERANCE:
        feed = None
    sane = sorted((c for c in candidates if _is_sane(c, feed, fetched)), key=lambda c: c.rank)
    best = sane[0] if sane else None
    if best is not None and best.precision == "instant":
        return _clamp(_as_utc(best.value), fetched), best.source
    if feed is not None:
        # Without a zoned instant on the page, the feed's own time is the more precise statement.
        return feed, "feed"
    if best is not None:
        # A naive time is read as UTC: wrong by the outlet's offset at most, the day mostly right.
        return _clamp(_as_utc(best.value), fetched), best.source
    if fetched is not None:
        return fetched, "fetch"
    return None, None


def choose_modified(
    candidates: list[DateCandidate], published: datetime | None, fetched_at: datetime | None
) -> datetime | None:
    """The last-modified time, if the page states one that is not before publication nor after the fetch."""
    fetched = _as_utc(fetched_at) if fetched_at else None
    for cand in sorted(candidates, key=lambda c: c.rank):
        if not _is_sane(cand, None, fetched):
            continue
        moment = _clamp(_as_utc(cand.value), fetched)
        if published is None or moment >= published:
            return moment
    return None


def _clamp(moment: datetime, fetched: datetime | None) -> datetime:
    return min(moment, fetched) if fetched is not None else moment
