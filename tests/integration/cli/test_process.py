"""``communique process`` over long ranges: one query finds the hours with landed pages, and only those run."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from communique.models import Interval
from communique.warehouse import database, raw_store
from tests.integration.cli.test_cli import run

#: Three pages in a year: the first minute, the middle and the last second of it.
LANDED = [
    datetime(2001, 1, 1, 0, 0, tzinfo=UTC),
    datetime(2001, 7, 8, 9, 41, tzinfo=UTC),
    datetime(2001, 12, 31, 23, 59, 59, tzinfo=UTC),
]
PAGE = (
    "<html><head><title>Talks {n}</title></head><body><article><p>French President Jacques Chirac met German "
    "Chancellor Gerhard Schroeder in Paris on Tuesday to discuss the European budget.</p><p>Both leaders said the "
    "talks had been constructive and agreed to meet again before the summit.</p></article></body></html>"
)


def _land_three_pages(dsn: str) -> None:
    with database.connect(dsn) as conn:
        for n, landed in enumerate(LANDED):
            url = f"https://news.example/talks-{n}"
            raw_store.land(conn, [raw_store.RawArticle(
                url=url, final_url=url, html=PAGE.format(n=n), source="file", outlet="news.example",
                fetched_at=landed, landed_at=landed,
            )])  # fmt: skip


def _processed(dsn: str) -> dict[Interval, int]:
    """The intervals the CLI ran, with the number of stages each ran; forgets them for the next command."""
    with database.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT interval_start, interval_end, count(*) FROM ops_pipeline_run WHERE dag_id = 'cli' GROUP BY 1, 2"
        ).fetchall()
        conn.execute("DELETE FROM ops_pipeline_run")
    return {Interval(start, end): stages for start, end, stages in rows}


def _hour(moment: datetime) -> Interval:
    start = moment.replace(minute=0, second=0)
    return Interval(start, start + timedelta(hours=1))


def test_a_year_with_three_landed_hours_processes_exactly_those(tmp_path: Path, warehouse_dsn: str) -> None:
    _land_three_pages(warehouse_dsn)
    result = run(["process", "--start", "2001-01-01", "--end", "2002-01-01"], warehouse_dsn, tmp_path,
                 COMMUNIQUE_WORKERS="1")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert _processed(warehouse_dsn) == {_hour(moment): 5 for moment in LANDED}  # five stages each, no other hour
    assert "3 of 8760 hours hold landed articles" in result.stderr
    row = next(line for line in result.stdout.splitlines() if "8760" in line)  # the summary table's row
    assert re.findall(r"[\d.]+", row)[:3] == ["8760", "8760", "3"]  # hours, pieces, processed
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert [line for line, n in Counter(lines).items() if n > 1] == []  # every line once
    assert sum("clean: 1 pages" in line for line in lines) == 3  # one stage line per stage and hour
    assert "\x1b[" not in result.stderr and "processing" not in result.stderr  # no progress bar in a pipe or log
    with database.connect(warehouse_dsn) as conn:
        assert conn.execute("SELECT count(*) FROM article").fetchone() == (3,)


@pytest.mark.parametrize(
    ("step_hours", "expected"),
    [
        ("24", [Interval(datetime(2001, m, d, tzinfo=UTC), datetime(2001, m, d, tzinfo=UTC) + timedelta(days=1))
                for m, d in ((1, 1), (7, 8), (12, 31))]),
        ("0", [Interval(datetime(2001, 1, 1, tzinfo=UTC), datetime(2002, 1, 1, tzinfo=UTC))]),
    ],
)  # fmt: skip
def test_step_hours_keeps_its_meaning(step_hours: str, expected: list[Interval], tmp_path: Path,
                                      warehouse_dsn: str) -> None:  # fmt: skip
    _land_three_pages(warehouse_dsn)
    result = run(["process", "--start", "2001-01-01", "--end", "2002-01-01", "--step-hours", step_hours],
                 warehouse_dsn, tmp_path, COMMUNIQUE_WORKERS="1")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert sorted(_processed(warehouse_dsn), key=lambda i: i.start) == expected


def test_a_range_where_nothing_landed_runs_nothing_and_says_so(tmp_path: Path, warehouse_dsn: str) -> None:
    result = run(["process", "--start", "1999-01-01", "--end", "2000-01-01"], warehouse_dsn, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "0 of 8760 hours hold landed articles" in result.stderr
    assert _processed(warehouse_dsn) == {}


def test_the_landed_pieces_come_from_their_start_not_the_clock_hour(warehouse_dsn: str) -> None:
    from communique import pipeline

    _land_three_pages(warehouse_dsn)
    year = Interval(datetime(2000, 12, 31, 23, 30, tzinfo=UTC), datetime(2002, 1, 1, tzinfo=UTC))
    pieces = pipeline.landed_pieces(warehouse_dsn, year, timedelta(hours=1))
    assert [p.start for p in pieces] == [
        datetime(2000, 12, 31, 23, 30, tzinfo=UTC), datetime(2001, 7, 8, 9, 30, tzinfo=UTC),
        datetime(2001, 12, 31, 23, 30, tzinfo=UTC),
    ]  # fmt: skip
    assert pieces[-1].end == year.end


def test_a_failing_hour_stops_the_range_and_says_where_to_resume(tmp_path: Path, warehouse_dsn: str) -> None:
    _land_three_pages(warehouse_dsn)
    with database.connect(warehouse_dsn) as conn:  # a loader bug that loses facts: the checks catch it
        conn.execute("CREATE FUNCTION lose_fact() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$")
        conn.execute("CREATE TRIGGER lose_facts BEFORE INSERT ON fct_diplomatic_event FOR EACH ROW "
                     "EXECUTE FUNCTION lose_fact()")  # fmt: skip
    result = run(["process", "--start", "2001-01-01", "--end", "2002-01-01"], warehouse_dsn, tmp_path,
                 COMMUNIQUE_WORKERS="1")  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    line = next(line for line in result.stderr.splitlines() if line.startswith("communique process:"))
    assert "[2001-01-01T00:00:00+00:00, 2001-01-01T01:00:00+00:00) failed" in line
    assert "resume with `communique process --start 2001-01-01T00:00:00+00:00 --end 2002-01-01T00:00:00+00:00`" in line
    assert set(_processed(warehouse_dsn)) == {_hour(LANDED[0])}  # the hours after it were not run
    row = next(line for line in result.stdout.splitlines() if "8760" in line)
    assert re.findall(r"[\d.]+", row)[:3] == ["8760", "8760", "0"]


def test_the_progress_bar_shows_on_a_terminal(tmp_path: Path, warehouse_dsn: str) -> None:
    import os
    import pty
    import subprocess

    from tests.integration.cli.test_cli import COMMUNIQUE

    _land_three_pages(warehouse_dsn)
    env = {**os.environ, "COMMUNIQUE_WAREHOUSE_URL": warehouse_dsn, "COMMUNIQUE_HOME": str(tmp_path / "home"),
           "COMMUNIQUE_WORKERS": "1", "TERM": "xterm", "COLUMNS": "120"}  # fmt: skip
    main, terminal = pty.openpty()
    command = [str(COMMUNIQUE), "process", "--start", "2001-01-01", "--end", "2002-01-01"]
    with subprocess.Popen(command, stdout=terminal, stderr=terminal, env=env) as process:
        os.close(terminal)
        shown = bytearray()
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # the terminal closed: the command has exited
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=600) == 0, shown.decode(errors="replace")
    os.close(main)
    text = shown.decode(errors="replace")
    assert "processing" in text and "/3" in text  # the bar, counting the three hours
    assert "3 of 8760 hours hold landed articles" in text and "facts changed" in text
