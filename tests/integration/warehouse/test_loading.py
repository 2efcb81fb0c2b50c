"""Loading facts against a real PostgreSQL: idempotent re-runs, no leftovers, merged reports."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from communique.models import Actor, Event, Evidence, Interval, Location
from communique.warehouse import database, loading
from tests.support.warehouse_data import land_article, load_events

HOUR = timedelta(hours=1)
T0 = datetime(2025, 3, 6, 10, 0, tzinfo=UTC)
FIRST = Interval(T0, T0 + HOUR)
SECOND = Interval(T0 + HOUR, T0 + 2 * HOUR)


def _event(
    kind: str = "meeting", code: str = "043", source: str = "KEN", target: str = "ETH", place: str | None = None
) -> Event:
    return Event(
        doc_id="",
        event_type=kind,
        cameo_code=code,
        cameo_root=code[:2],
        quad_class=1,
        plover_type="CONSULT",
        plover_mode="visit",
        goldstein=2.8,
        source=Actor("Kenyan President William Ruto", "William Ruto", "President", source, "GOV", f"{source}GOV"),
        target=Actor("Abiy Ahmed", "Abiy Ahmed", "Prime Minister", target, "GOV", f"{target}GOV"),
        event_date=date(2025, 3, 5),
        date_precision="day",
        evidence=Evidence("Ruto hosted Abiy in Nairobi on Wednesday.", 0, 42),
        confidence=0.9,
        extractor_version="test",
        location=Location(f"in {place}", place, place) if place else None,
    )


_land = land_article
_load = load_events


def _facts(dsn: str) -> list[tuple[object, ...]]:
    with database.connect(dsn) as conn:
        return conn.execute("SELECT * FROM fct_diplomatic_event ORDER BY event_id").fetchall()


def test_rerunning_an_interval_changes_nothing(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "ruto-abiy", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy.")
    _load(warehouse_dsn, FIRST, {a: [_event(), _event("praise", "051")]})
    before = _facts(warehouse_dsn)
    assert len(before) == 2
    counts = _load(warehouse_dsn, FIRST, {a: [_event(), _event("praise", "051")]})
    assert _facts(warehouse_dsn) == before
    assert counts["facts_upserted"] == 0  # nothing changed, nothing rewritten


def test_event_gone_after_reextraction_leaves_no_fact(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "ruto-abiy", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy.")
    _load(warehouse_dsn, FIRST, {a: [_event(), _event("praise", "051")]})
    counts = _load(warehouse_dsn, FIRST, {a: [_event()]})
    facts = _facts(warehouse_dsn)
    assert len(facts) == 1 and counts["facts_deleted"] == 1
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM fct_event_mention").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM stg_event").fetchone() == (0,)


def test_later_copy_raises_counts_without_reextraction(warehouse_dsn: str) -> None:
    text = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi."
    a = _land(warehouse_dsn, "ruto-abiy", "nation.example", T0 + timedelta(minutes=5), text)
    _load(warehouse_dsn, FIRST, {a: [_event()]})
    b = _land(warehouse_dsn, "kenya-ethiopia", "wire.example", T0 + HOUR + timedelta(minutes=1), text)
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT cluster_id FROM article WHERE article_id = %s", (b,)).fetchone() == (a,)
    _load(warehouse_dsn, SECOND, {})  # the copy is not extracted: its story was, in FIRST
    with database.connect(warehouse_dsn) as conn:
        row = conn.execute("SELECT num_mentions, num_articles, num_sources, article_id FROM fct_diplomatic_event")
        assert row.fetchall() == [(1, 2, 2, a)]
        urls = conn.execute("SELECT article_urls FROM v_events").fetchone()
    assert urls == (["https://nation.example/ruto-abiy", "https://wire.example/kenya-ethiopia"],)
    # Re-running the first interval keeps the copy's contribution.
    _load(warehouse_dsn, FIRST, {a: [_event()]})
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT num_articles, num_sources FROM fct_diplomatic_event").fetchall() == [(2, 2)]


def test_same_event_from_two_stories_is_one_fact(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "one", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy in Nairobi.")
    b = _land(warehouse_dsn, "two", "standard.example", T0 + HOUR + timedelta(minutes=5), "Abiy visited Kenya.")
    _load(warehouse_dsn, FIRST, {a: [_event()]})
    _load(warehouse_dsn, SECOND, {b: [_event()]})
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT num_mentions, num_articles, num_sources, article_id FROM fct_diplomatic_event"
                            ).fetchall() == [(2, 2, 2, a)]  # fmt: skip
    # Interval one re-extracted without the event: the fact stays, reported by the second story only.
    _load(warehouse_dsn, FIRST, {a: []})
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT num_mentions, article_id FROM fct_diplomatic_event").fetchall() == [(1, b)]


def test_fact_lands_in_its_month_partition(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "ruto-abiy", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy.")
    _load(warehouse_dsn, FIRST, {a: [_event()]})
    with database.connect(warehouse_dsn) as conn:
        part = conn.execute("SELECT tableoid::regclass::text FROM fct_diplomatic_event").fetchone()
    assert part == ("fct_diplomatic_event_2025_03",)


def test_staged_rows_outside_the_interval_are_ignored(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "late", "nation.example", T0 + HOUR + timedelta(minutes=5), "Ruto hosted Abiy.")
    _load(warehouse_dsn, FIRST, {a: [_event()]})  # a landed in SECOND: FIRST may not load its events
    assert _facts(warehouse_dsn) == []


@pytest.mark.parametrize("bad", ["quad_class", "goldstein"])
def test_constraints_reject_impossible_codes(warehouse_dsn: str, bad: str) -> None:
    import psycopg

    a = _land(warehouse_dsn, "x", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy.")
    event = _event()
    setattr(event, bad, 99)
    with pytest.raises(psycopg.errors.CheckViolation), database.connect(warehouse_dsn) as conn:
        loading.stage_events(conn, FIRST, [loading.mention_row(event, a, a)])


def _fact_rows(dsn: str) -> list[tuple[object, ...]]:
    with database.connect(dsn) as conn:
        return conn.execute(
            """SELECT cameo_code, location_country, num_mentions, num_articles FROM fct_diplomatic_event
                ORDER BY location_country NULLS FIRST, cameo_code"""
        ).fetchall()


def test_reports_of_one_event_merge_when_places_are_compatible(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "hosted", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy in Nairobi.")
    b = _land(warehouse_dsn, "met", "standard.example", T0 + timedelta(minutes=9), "Ruto and Abiy met on Wednesday.")
    _load(warehouse_dsn, FIRST, {a: [_event(code="043", place="KEN")], b: [_event(code="040")]})
    # One meeting: the earliest report's code, the stated place, both reports.
    assert _fact_rows(warehouse_dsn) == [("043", "KEN", 2, 2)]


def test_reports_naming_different_countries_stay_apart(warehouse_dsn: str) -> None:
    a = _land(warehouse_dsn, "a", "one.example", T0 + timedelta(minutes=1), "Ruto met Abiy in Nairobi.")
    b = _land(warehouse_dsn, "b", "two.example", T0 + timedelta(minutes=2), "Ruto met Abiy in New York.")
    c = _land(warehouse_dsn, "c", "three.example", T0 + timedelta(minutes=3), "Ruto met Abiy.")
    d = _land(warehouse_dsn, "d", "four.example", T0 + timedelta(minutes=4), "Ruto praised Abiy.")
    _load(
        warehouse_dsn,
        FIRST,
        {
            a: [_event(code="040", place="KEN")],
            b: [_event(code="040", place="USA")],
            c: [_event(code="040")],  # no place: joins the most reported country, ties to the smallest code
            d: [_event(kind="praise", code="051")],  # another type: another event
        },
    )
    assert _fact_rows(warehouse_dsn) == [("051", None, 1, 1), ("040", "KEN", 2, 2), ("040", "USA", 1, 1)]


def test_merge_does_not_depend_on_arrival_order(warehouse_dsn: str, pg_admin_dsn: str) -> None:
    late = _land(warehouse_dsn, "late", "one.example", T0 + HOUR + timedelta(minutes=1), "Ruto met Abiy in Nairobi.")
    early = _land(warehouse_dsn, "early", "two.example", T0 + timedelta(minutes=1), "Ruto met Abiy.")
    _load(warehouse_dsn, SECOND, {late: [_event(code="040", place="KEN")]})
    _load(warehouse_dsn, FIRST, {early: [_event(code="040")]})
    in_reverse = _facts(warehouse_dsn)
    _load(warehouse_dsn, FIRST, {early: [_event(code="040")]})
    _load(warehouse_dsn, SECOND, {late: [_event(code="040", place="KEN")]})
    assert _facts(warehouse_dsn) == in_reverse
    assert _fact_rows(warehouse_dsn) == [("040", "KEN", 2, 2)]


def test_dimensions_and_daily_dyads_follow_the_facts(warehouse_dsn: str) -> None:
    text = "Kenyan President William Ruto hosted Ethiopian Prime Minister Abiy Ahmed in Nairobi."
    a = _land(warehouse_dsn, "ruto-abiy", "nation.example", T0 + timedelta(minutes=5), text)
    b = _land(warehouse_dsn, "copy", "wire.example", T0 + timedelta(minutes=6), text)  # exact copy of a
    _load(warehouse_dsn, FIRST, {a: [_event(), _event("praise", "051")]})
    with database.connect(warehouse_dsn) as conn:
        dyads = conn.execute(
            """SELECT event_date, source_country, target_country, events, quad1_events, goldstein_sum,
                      goldstein_mean, articles, outlets FROM v_dyad_daily"""
        ).fetchall()
        actors = conn.execute("SELECT name, title, country, cameo FROM dim_actor ORDER BY name").fetchall()
        outlets = conn.execute("SELECT outlet FROM dim_outlet ORDER BY outlet").fetchall()
    assert dyads == [(date(2025, 3, 5), "KEN", "ETH", 2, 2, Decimal("5.6"), Decimal("2.80"), 2, 2)]
    assert actors == [("Abiy Ahmed", "Prime Minister", "ETH", "ETHGOV"), ("William Ruto", "President", "KEN", "KENGOV")]
    assert outlets == [("nation.example",), ("wire.example",)]
    assert b
    _load(warehouse_dsn, FIRST, {a: []})  # re-extracted: nothing left
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM agg_dyad_daily").fetchone() == (0,)


@pytest.mark.parametrize(
    ("source", "target", "place"),
    [("KEN", "ETH", "KEN"), ("KEN", "ETH", None), ("KEN", "IGOUNO", "USA")],
)
def test_fact_ids_are_the_same_in_python_and_sql(
    warehouse_dsn: str, source: str, target: str, place: str | None
) -> None:
    event = _event(source=source, target=target, place=place)
    with database.connect(warehouse_dsn) as conn:
        in_sql = conn.execute(
            "SELECT communique_fact_id(%s, %s, %s, %s, %s), communique_group_key(%s, %s, %s, %s)",
            (event.event_type, event.source.cameo, event.target.cameo, event.event_date, place,
             event.event_type, event.source.cameo, event.target.cameo, event.event_date),
        ).fetchone()  # fmt: skip
    group = loading.group_key(event)
    assert in_sql == (loading.fact_id(group, place), group)
    assert loading.mention_row(event, "a", "a")[-1] == in_sql[0]
    if place is None:
        assert loading.fact_id(group, None).endswith(loading.NO_PLACE)


def test_an_event_stated_twice_in_one_article_is_one_mention(warehouse_dsn: str) -> None:
    text = "Ruto hosted Abiy. Ruto hosted Abiy."
    a = _land(warehouse_dsn, "twice", "nation.example", T0 + timedelta(minutes=5), text)
    later, unsure, best = _event(), _event(), _event()
    later.evidence = Evidence("Ruto hosted Abiy.", 18, 35)
    unsure.confidence = 0.5
    best.evidence = Evidence("Ruto hosted Abiy.", 0, 17)
    counts = _load(warehouse_dsn, FIRST, {a: [later, unsure, best]})
    assert counts["mentions_loaded"] == 1
    with database.connect(warehouse_dsn) as conn:
        row = conn.execute("SELECT confidence, evidence_start, num_mentions FROM fct_diplomatic_event").fetchall()
    assert row == [(pytest.approx(0.9), 0, 1)]


def test_staging_round_trips_every_type(warehouse_dsn: str) -> None:
    """Binary COPY: JSON with non-ASCII text, char(3) codes, arrays, and NULLs arrive as given."""
    a = _land(warehouse_dsn, "types", "nation.example", T0 + timedelta(minutes=5), "Ruto hosted Abiy.")
    event = _event(target="IGOUNO", place=None)
    event.target = Actor("l'ONU", "Nações Unidas", None, None, "IGO", "IGOUNO")
    event.participants = [Actor("le Président", "Emmanuel Macron", "Président", "FRA", "GOV", "FRAGOV")]
    event.topics = ["trade", "security"]
    event.plover_mode = None
    row = loading.mention_row(event, a, a)
    with database.connect(warehouse_dsn) as conn:
        assert loading.stage_events(conn, FIRST, [row]) == 1
        staged = conn.execute(
            f"SELECT {', '.join(loading.MENTION_COLUMNS)} FROM stg_event WHERE batch_start = %s", (FIRST.start,)
        ).fetchone()
    expected = list(row)
    expected[loading.MENTION_COLUMNS.index("participants")] = [event.participants[0].to_json()]
    assert staged is not None
    got = list(staged)
    got[loading.MENTION_COLUMNS.index("goldstein")] = pytest.approx(row[loading.MENTION_COLUMNS.index("goldstein")])
    got[loading.MENTION_COLUMNS.index("confidence")] = pytest.approx(row[loading.MENTION_COLUMNS.index("confidence")])
    assert got == expected
