"""The daily brief on the demo warehouse: what it shows, that it reads as the analyst, and the daily stage."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from communique.errors import BriefNotReadyError, ReportError
from communique.models import Interval
from communique.reports.access import ANALYST_ROLE, analyst_connection
from communique.reports.brief import brief_path, latest_event_day, loaded_until, write_brief, write_daily_brief
from communique.reports.brief_data import read_brief
from communique.settings import Settings
from tests.support.paths import REPO_ROOT

COMMUNIQUE = Path(sys.executable).parent / "communique"
PERSON_TITLES = {
    line.split("\t")[0]
    for line in (REPO_ROOT / "include/communique/data/gazetteer/titles.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#") and line.split("\t")[2:3] == ["person"]
}


def _scalar(dsn: str, query: str, *params: object) -> object:
    with psycopg.connect(dsn) as conn:
        row = conn.execute(query, params).fetchone()
    assert row is not None
    return row[0]


def test_the_brief_shows_the_days_events_and_their_articles(demo_dsn: str) -> None:
    day = latest_event_day(demo_dsn)
    assert day == _scalar(demo_dsn, "SELECT max(event_date) FROM fct_diplomatic_event")
    with analyst_connection(demo_dsn) as conn:
        data = read_brief(conn, day)

    assert data.totals.events == _scalar(demo_dsn, "SELECT count(*) FROM v_events WHERE event_date = %s", day) > 0
    in_window = _scalar(demo_dsn, "SELECT count(*) FROM v_events WHERE event_date BETWEEN %s AND %s",
                        day - timedelta(days=29), day)  # fmt: skip
    assert data.window_events == in_window and len(data.days) == 30 and data.days[-1] == day
    assert sum(d.events for d in data.dyads) <= sum(c.events for c in data.counts)
    assert [d.events for d in data.dyads] == sorted((d.events for d in data.dyads), reverse=True)

    folded = sum(2 if e.mutual else 1 for e in data.top)
    assert folded == data.totals.events  # every event of the day is in the table (the demo's day has few)
    assert [e.num_articles for e in data.top] == sorted((e.num_articles for e in data.top), reverse=True)
    for event in data.top:
        assert len(event.reports) == event.num_articles  # a link to every article, copies included
        assert sum(r.extracted for r in event.reports) >= 1 and event.evidence
        assert all(p.title is None or p.title.lower() in PERSON_TITLES for p in (event.source, event.target))


def test_rendering_a_day_again_gives_the_same_page(demo_dsn: str, tmp_path: Path) -> None:
    day = latest_event_day(demo_dsn)
    assert day is not None
    first = write_brief(demo_dsn, day, tmp_path / "a", cache_dir=tmp_path / "cache")
    second = write_brief(demo_dsn, day, tmp_path / "b", cache_dir=tmp_path / "cache")
    assert first.path == brief_path(tmp_path / "a", day) and first.path.name == f"brief-{day}.html"
    assert first.path.read_bytes() == second.path.read_bytes()
    page = first.path.read_text(encoding="utf-8")
    assert "window.vegaEmbed" in page and first.bytes > 500_000  # the chart libraries are in the page
    assert list((tmp_path / "cache").glob("vega-embed-vl*.js"))  # the bundle is built once per machine
    assert not list(tmp_path.glob("*/*.part"))


def test_the_daily_stage_waits_until_the_day_is_loaded(demo_dsn: str, tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, briefs_dir=tmp_path / "briefs")
    loaded = loaded_until(demo_dsn)
    assert loaded is not None
    day_after = (loaded + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    with pytest.raises(BriefNotReadyError, match="waits for the day's processing"):
        write_daily_brief(settings, demo_dsn, Interval(day_after - timedelta(days=1), day_after))
    assert not (tmp_path / "briefs").exists()

    day = latest_event_day(demo_dsn)
    assert day is not None
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    report = write_daily_brief(settings, demo_dsn, Interval(midnight, midnight + timedelta(days=1)))
    assert report.stage == "brief" and report.counts["briefs"] == 1 and report.counts["events"] > 0
    assert brief_path(settings.brief_dir, day).stat().st_size == report.counts["bytes"]


def test_reports_read_as_the_analyst_role(demo_dsn: str) -> None:
    with analyst_connection(demo_dsn) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (ANALYST_ROLE,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("SELECT count(*) FROM raw_article")  # raw HTML is not the analyst's


@pytest.fixture
def outsider_dsn(demo_dsn: str) -> Iterator[str]:
    """A login that is not a member of communique_analyst."""
    name, password = f"outsider_{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    with psycopg.connect(demo_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN PASSWORD {}").format(sql.Identifier(name), sql.Literal(password)))
    params = conninfo_to_dict(demo_dsn) | {"user": name, "password": password}
    yield make_conninfo(**params)
    with psycopg.connect(demo_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))


def test_a_login_outside_the_analyst_role_gets_a_clear_error(outsider_dsn: str, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match=f"cannot act as {ANALYST_ROLE}.*GRANT {ANALYST_ROLE} TO outsider_"):
        write_brief(outsider_dsn, date(2019, 11, 20), tmp_path)
    assert not list(tmp_path.iterdir())


def test_a_warehouse_without_the_analyst_role_says_how_to_create_it(
    demo_dsn: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from communique.reports import access

    monkeypatch.setattr(access, "ANALYST_ROLE", "communique_nobody")
    missing = r"does not exist.*communique warehouse migrate"
    with pytest.raises(ReportError, match=missing), analyst_connection(demo_dsn):
        pass


def _run(args: list[str], dsn: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMUNIQUE_WAREHOUSE_URL": dsn, "COMMUNIQUE_HOME": str(home)}
    return subprocess.run([str(COMMUNIQUE), *args], capture_output=True, text=True, env=env, check=False, timeout=300)


def test_the_brief_command_prints_where_the_page_is(demo_dsn: str, tmp_path: Path) -> None:
    day = latest_event_day(demo_dsn)
    done = _run(["brief", "--date", str(day), "--out", str(tmp_path / "out")], demo_dsn, tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == str(tmp_path / "out" / f"brief-{day}.html")
    latest = _run(["brief"], demo_dsn, tmp_path)  # no --date: the latest day, into the default folder
    assert latest.returncode == 0, latest.stderr
    assert latest.stdout.strip() == str(tmp_path / "briefs" / f"brief-{day}.html")
    bad = _run(["brief", "--date", "20-11-2019"], demo_dsn, tmp_path)
    assert bad.returncode == 2 and "not a date" in bad.stderr
