"""Plain data: intervals, events and their JSON shape."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from communique.models import Actor, Event, Evidence, Interval, Location, RangeReport, StageReport


def test_interval_is_half_open_and_utc() -> None:
    tz = timezone(timedelta(hours=2))
    interval = Interval(datetime(2025, 1, 1, 12, tzinfo=tz), datetime(2025, 1, 1, 13, tzinfo=tz))
    assert interval.start == datetime(2025, 1, 1, 10, tzinfo=UTC)
    assert interval.contains(interval.start)
    assert not interval.contains(interval.end)


def test_interval_parse_takes_naive_as_utc() -> None:
    interval = Interval.parse("2025-01-01T00:00", "2025-01-01T01:00Z")
    assert interval.key == "2025-01-01T00:00:00+00:00/2025-01-01T01:00:00+00:00"


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(2025, 1, 1), datetime(2025, 1, 2, tzinfo=UTC)),  # naive
        (datetime(2025, 1, 2, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC)),  # backwards
    ],
)
def test_bad_intervals_are_refused(start: datetime, end: datetime) -> None:
    with pytest.raises(ValueError):
        Interval(start, end)


@pytest.mark.parametrize(
    ("start", "end", "step_hours", "count", "last"),
    [
        ("2001-01-01", "2002-01-01", 1, 8760, ("2001-12-31T23:00", "2002-01-01T00:00")),
        ("2025-01-01T10:30", "2025-01-02", 6, 3, ("2025-01-01T22:30", "2025-01-02T00:00")),  # cut at the end
        ("2025-01-01", "2025-01-04", None, 1, ("2025-01-01T00:00", "2025-01-04T00:00")),  # no step: one piece
    ],
)
def test_an_interval_is_cut_into_pieces_from_its_start(
    start: str, end: str, step_hours: int | None, count: int, last: tuple[str, str]
) -> None:
    interval = Interval.parse(start, end)
    step = timedelta(hours=step_hours) if step_hours else None
    assert interval.piece_count(step) == count
    assert interval.piece(step, count - 1) == Interval.parse(*last)
    assert interval.piece(step, 0).start == interval.start


def test_a_range_report_adds_up_its_pieces() -> None:
    year = Interval.parse("2001-01-01", "2002-01-01")
    report = RangeReport(year, timedelta(hours=1), pieces=8760)
    for start, end in (("2001-02-03T04:00", "2001-02-03T05:00"), ("2001-07-08T09:00", "2001-07-08T10:00")):
        reports = [StageReport("clean", {"pages": 2}), StageReport("extract", {"stories": 2, "events": 3}),
                   StageReport("load", {"facts_upserted": 3, "facts_deleted": 1})]  # fmt: skip
        report.add(Interval.parse(start, end), reports, 1.5)
    assert report.figures() == {"articles": 4, "stories": 4, "events": 6, "facts changed": 8}
    assert (len(report.processed), report.seconds, report.hours) == (2, 3.0, 8760)


def _event(**changes: object) -> Event:
    base = {
        "doc_id": "doc-1", "event_type": "meeting", "cameo_code": "043", "cameo_root": "04", "quad_class": 1,
        "plover_type": "CONSULT", "plover_mode": "visit", "goldstein": 2.8,
        "source": Actor("Kenyan President William Ruto", "William Ruto", "President", "KEN", "GOV", "KENGOV"),
        "target": Actor("Abiy Ahmed", "Abiy Ahmed", "Prime Minister", "ETH", "GOV", "ETHGOV"),
        "event_date": date(2025, 3, 5), "date_precision": "day",
        "evidence": Evidence("Ruto hosted Abiy.", 0, 17), "confidence": 0.9, "extractor_version": "t",
        "location": Location("in Nairobi", "Nairobi", "KEN", -1.28, 36.82),
    }  # fmt: skip
    base.update(changes)
    return Event(**base)  # type: ignore[arg-type]


def test_event_id_identifies_the_event_not_the_report() -> None:
    assert _event().event_id == _event(doc_id="another", confidence=0.2).event_id
    assert _event().event_id != _event(event_date=date(2025, 3, 6)).event_id
    assert _event().event_id != _event(cameo_code="042").event_id


def test_event_json_has_the_documented_keys_in_order() -> None:
    keys = list(_event().to_json())
    assert keys == [
        "event_id", "doc_id", "event_date", "date_precision", "event_type", "cameo_code", "cameo_root",
        "quad_class", "plover_type", "plover_mode", "goldstein", "source", "target", "participants", "location",
        "topics", "evidence", "confidence", "extractor_version",
    ]  # fmt: skip
    assert list(_event().to_json()["source"]) == ["text", "name", "title", "country", "role", "cameo"]
    assert _event().to_json()["location"] == {
        "text": "in Nairobi", "name": "Nairobi", "country": "KEN", "lat": -1.28, "lon": 36.82,
    }  # fmt: skip


def test_stage_summary_is_one_human_line_with_labelled_counts() -> None:
    clean = StageReport("clean", {"pages": 240, "usable": 231}, {"teaser": 3, "non_english": 6})
    assert clean.summary() == "clean: 240 pages, 231 cleaned, 6 not English, 3 teasers"
    poll = StageReport("poll", {"feeds": 3, "entries": 15, "new_entries": 2, "status_ok": 3, "bytes": 6592})
    assert poll.summary() == "poll: 3 feeds polled, 15 entries, 2 new, 3 ok, 6.6 kB received"
    fetch = StageReport("fetch#2", {"candidates": 5, "landed": 3}, {"not_found": 2})
    assert fetch.summary() == "fetch#2: 5 to fetch, 3 landed, 2 not found"
    assert StageReport("load", {"facts_upserted": 1200}).summary() == "load: 1,200 facts new or changed"
    assert StageReport("clean").summary() == "clean: nothing"


def test_stage_report_json_is_unchanged_by_the_wording() -> None:
    report = StageReport("clean", {"pages": 2, "usable": 1}, {"non_english": 1})
    assert report.to_json() == {"stage": "clean", "counts": {"pages": 2, "usable": 1}, "skipped": {"non_english": 1}}
