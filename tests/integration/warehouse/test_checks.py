"""Data-quality checks after loading: a clean load passes, each broken promise fails loudly."""

from __future__ import annotations

from datetime import timedelta

import pytest

from communique import pipeline
from communique.errors import DataQualityError
from communique.models import Interval
from communique.settings import Settings
from communique.warehouse import database
from tests.support.warehouse_data import T0, build_sample

FIRST_HOUR = Interval(T0, T0 + timedelta(hours=1))


def test_a_clean_load_passes(warehouse_dsn: str) -> None:
    build_sample(warehouse_dsn)
    result = pipeline.check_quality(Settings(), warehouse_dsn, FIRST_HOUR)
    assert result.counts["failed"] == 0 and result.counts["checks"] >= 6


@pytest.mark.parametrize(
    ("breakage", "check"),
    [
        ("UPDATE fct_event_mention SET event_date = event_date - 400", "event_dates_out_of_bounds"),
        ("UPDATE fct_diplomatic_event SET article_id = 'missing'", "facts_without_article"),
        ("UPDATE fct_event_mention SET fact_id = NULL", "unassigned_mentions"),
        ("UPDATE fct_diplomatic_event SET num_sources = num_articles + 1", "inconsistent_counts"),
    ],
)
def test_each_broken_promise_fails_the_run(warehouse_dsn: str, breakage: str, check: str) -> None:
    build_sample(warehouse_dsn)
    with database.connect(warehouse_dsn) as conn:
        conn.execute("ALTER TABLE fct_diplomatic_event DROP CONSTRAINT IF EXISTS fct_diplomatic_event_check")
        conn.execute(breakage.encode())
    with pytest.raises(DataQualityError) as failure:
        pipeline.check_quality(Settings(), warehouse_dsn, FIRST_HOUR)
    assert check in {c.name for c in failure.value.failed}
    assert check in str(failure.value)
