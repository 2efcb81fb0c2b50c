"""A party's title in the analyst views is a person's office or nothing: "sides" and "ministry" are not titles."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import psycopg

from communique.models import Actor, Interval
from tests.support.warehouse_data import event, land_article, load_events, person

SIDES_USA = Actor("the two sides", "United States", "sides", "USA", "GOV", "USAGOV")
SIDES_CHN = Actor("the two sides", "China", "sides", "CHN", "GOV", "CHNGOV")
MINISTRY = Actor("the ministry", "Foreign Ministry", "foreign ministry", "CHN", "GOV", "CHNGOV")
WANG = person("Wang Yi", "Foreign Minister", "CHN")


def test_only_titles_of_a_person_show_in_v_events_and_v_meetings(warehouse_dsn: str) -> None:
    landed = datetime(2025, 3, 3, 9, 5, tzinfo=UTC)
    article = land_article(warehouse_dsn, "talks", "wire.example", landed, "The two sides held talks.")
    day = date(2025, 3, 3)
    hour = Interval(landed.replace(minute=0), landed.replace(minute=0) + timedelta(hours=1))
    load_events(warehouse_dsn, hour, {article: [
        event("040", SIDES_USA, SIDES_CHN, day), event("040", WANG, MINISTRY, day),
    ]})  # fmt: skip
    with psycopg.connect(warehouse_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        meetings = conn.execute(
            "SELECT source_name, source_title, target_name, target_title FROM v_meetings ORDER BY 1"
        ).fetchall()
        events = conn.execute("SELECT source_title, target_title FROM v_events ORDER BY source_name").fetchall()
        conn.execute("RESET ROLE")
        facts = conn.execute("SELECT source_title FROM fct_diplomatic_event ORDER BY source_name").fetchall()
    assert meetings == [
        ("United States", None, "China", None),
        ("Wang Yi", "Foreign Minister", "Foreign Ministry", None),
    ]
    assert events == [(None, None), ("Foreign Minister", None)]
    assert facts == [("sides",), ("Foreign Minister",)]  # the facts keep what the extractor wrote
