"""The glue between a task context and the pipeline: intervals, the asset event, failures not retried."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from communique.errors import ConfigError
from communique.models import Interval, StageReport


def _fetched(landed: int, at: datetime | None = None) -> dict:
    report = StageReport("fetch", {"candidates": landed, "landed": landed})
    if at:
        report.landed(at)
    return report.to_json()


def test_an_ingest_run_that_landed_nothing_emits_no_asset_event() -> None:
    from airflow.sdk.exceptions import AirflowSkipException

    from communique_airflow import RAW_ARTICLES, announce_landed

    events = {RAW_ARTICLES: SimpleNamespace(extra=None)}
    with pytest.raises(AirflowSkipException, match="no page landed"):
        announce_landed([_fetched(0), _fetched(0)], {"outlet_events": events})
    assert events[RAW_ARTICLES].extra is None


def test_an_ingest_run_that_landed_pages_announces_their_range() -> None:
    from communique_airflow import RAW_ARTICLES, announce_landed

    first, last = datetime(2026, 3, 5, 10, 5, tzinfo=UTC), datetime(2026, 3, 5, 11, 20, tzinfo=UTC)
    events = {RAW_ARTICLES: SimpleNamespace(extra=None)}
    extra = announce_landed([_fetched(2, first), _fetched(0), _fetched(1, last)], {"outlet_events": events})
    assert extra == {"landed": 3, "landed_from": first.isoformat(), "landed_to": last.isoformat()}
    assert events[RAW_ARTICLES].extra == extra


def test_a_manual_run_without_logical_date_processes_the_hour_it_was_triggered_in() -> None:
    from communique_airflow import data_interval

    run = SimpleNamespace(run_type="manual", run_after=datetime(2026, 3, 5, 10, 42, 7, tzinfo=UTC))
    context = {"data_interval_start": None, "data_interval_end": None, "dag_run": run}
    hour = datetime(2026, 3, 5, 10, tzinfo=UTC)
    assert data_interval(context) == Interval(hour, hour.replace(hour=11))
    scheduled = {"data_interval_start": datetime(2026, 3, 5, 9, tzinfo=UTC),
                 "data_interval_end": datetime(2026, 3, 5, 10, tzinfo=UTC), "dag_run": run}  # fmt: skip
    assert data_interval(scheduled).start == datetime(2026, 3, 5, 9, tzinfo=UTC)


def test_a_configuration_error_fails_the_task_without_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    from communique_airflow import context as glue

    def broken(settings: object, dsn: str) -> StageReport:
        raise ConfigError("bad feed list: feeds.toml")

    monkeypatch.setattr(glue, "warehouse_dsn", lambda settings: "postgresql:///unused")
    with pytest.raises(AirflowFailException, match="not retried: ConfigError: bad feed list") as failure:
        glue.run_stage(broken, {"dag": SimpleNamespace(dag_id="d"), "run_id": "r"}, interval=False)
    assert isinstance(failure.value.__cause__, ConfigError)
