"""Event dates resolved against the publication date, with precision; background dates never used."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from communique.events.dates import UNKNOWN_DATE, EventDate, as_date, interpret, resolve
from communique.events.extractor import EventExtractor
from tests.support.extraction import PUBLISHED


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("on Wednesday", EventDate(date(2025, 3, 5), "day")),
        ("Thursday", EventDate(date(2025, 3, 6), "day")),  # the publication weekday is the publication day
        ("on Friday", EventDate(date(2025, 2, 28), "day")),
        ("next Monday", EventDate(date(2025, 3, 10), "day")),
        ("yesterday", EventDate(date(2025, 3, 5), "day")),
        ("today", EventDate(date(2025, 3, 6), "day")),
        ("last night", EventDate(date(2025, 3, 5), "day")),
        ("March 4", EventDate(date(2025, 3, 4), "day")),
        ("4 March 2025", EventDate(date(2025, 3, 4), "day")),
        ("Feb. 28", EventDate(date(2025, 2, 28), "day")),
        ("2025-03-01", EventDate(date(2025, 3, 1), "day")),
        ("December 30", False),  # last year's December 30: more than 45 days back, background
        ("earlier this week", EventDate(date(2025, 3, 6), "week")),
        ("last week", EventDate(date(2025, 2, 27), "week")),
        ("this month", EventDate(date(2025, 3, 6), "month")),
        ("last month", False),
        ("last year", False),
        ("since 2016", False),
        ("in 2016", False),
        ("two years ago", False),
        ("January 5, 2020", False),
        ("the weekend", None),
    ],
)
def test_interpret(text: str, expected: EventDate | bool | None) -> None:
    assert interpret(text, PUBLISHED) == expected


def test_interpret_without_publication_date() -> None:
    assert interpret("March 4, 2025", None) == EventDate(date(2025, 3, 4), "day")
    assert interpret("on Wednesday", None) is None
    assert interpret("since 2016", None) is False


def test_future_dates_are_plans_dated_when_reported() -> None:
    assert interpret("March 20", PUBLISHED) == EventDate(PUBLISHED, "day")


def test_as_date_keeps_the_local_calendar_day() -> None:
    late = datetime(2025, 3, 6, 23, 30, tzinfo=UTC)
    assert as_date(late) == date(2025, 3, 6)
    assert as_date(date(2025, 3, 6)) == date(2025, 3, 6)
    assert as_date(None) is None


def _first(extractor: EventExtractor, text: str, published: date | None = PUBLISHED) -> tuple[date, str] | None:
    events = extractor.extract("dates", text, published)
    return (events[0].event_date, events[0].date_precision) if events else None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Chile and Peru held talks on Wednesday.", (date(2025, 3, 5), "day")),
        ("Chile and Peru held talks yesterday in Lima.", (date(2025, 3, 5), "day")),
        ("Chile and Peru held talks on March 2.", (date(2025, 3, 2), "day")),
        ("Chile and Peru held talks earlier this week.", (date(2025, 3, 6), "week")),
        ("Chile and Peru held talks.", (date(2025, 3, 6), "week")),  # nothing in the text: publication week
        (
            "Chile and Peru will hold talks on Monday.",
            (date(2025, 3, 6), "week"),
        ),  # intent: Monday is the plan
        (
            "Chile and Peru signed a deal to raise trade in 2030.",
            (date(2025, 3, 6), "week"),
        ),  # 2030 dates the trade
    ],
)
def test_event_dates_in_sentences(extractor: EventExtractor, text: str, expected: tuple[date, str]) -> None:
    assert _first(extractor, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Chile and Peru held talks last year.",
        "Chile and Peru have cooperated on fisheries since 2016.",
        "Chile and Peru signed a border treaty in 1999.",
    ],
)
def test_background_events_are_dropped(extractor: EventExtractor, text: str) -> None:
    assert _first(extractor, text) is None


def test_resolve_without_any_date_and_without_publication(extractor: EventExtractor) -> None:
    doc = extractor.nlp("Chile and Peru held talks.")
    assert resolve(doc[:], {doc[3].i}, None) == EventDate(UNKNOWN_DATE, "unknown")
