"""docs/warehouse.md stays true: its schema section is current and its ten questions answer right.

Each question is checked twice: exactly, on a small hand-checked sample (March 2025); and on the
demo warehouse (``make demo``'s pages, news of 2010 to 2019), where it must return rows that
answer it (the extractor's output can change, so those checks are about what the rows mean).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from communique.warehouse import database, schema_doc
from tests.support.paths import DOCS, REPO_ROOT
from tests.support.warehouse_data import build_sample

DOC = DOCS / "warehouse.md"
QUESTIONS = dict(re.findall(r"```sql\n-- (Q\d+): .*?\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S))
D = date.fromisoformat

EXPECTED = {
    "Q1": [
        (D("2025-03-03"), "meeting", "Joe Biden", "President", "United States", "Xi Jinping", "Beijing"),
        (D("2025-03-10"), "phone_call", "Antony Blinken", "Secretary of State", "United States", "Wang Yi", None),
    ],
    "Q2": [
        (D("2025-03-03"), 1, 1, 0, Decimal("1.90")),
        (D("2025-03-10"), 1, 1, 0, Decimal("1.00")),
        (D("2025-03-13"), 1, 0, 1, Decimal("-2.00")),
        (D("2025-03-20"), 1, 1, 0, Decimal("8.00")),
    ],
    "Q3": [("USA", "CHN", 4, Decimal("2.23")), ("CHN", "USA", 3, Decimal("3.93")), ("KEN", "ETH", 2, Decimal("3.10"))],
    "Q4": [
        (D("2025-03-06"), "sanction", "United Kingdom", "GBR", "Russia", -8.0),
        (D("2025-03-06"), "sanction", "United States", "USA", "Russia", -8.0),
        (D("2025-03-07"), "sanction", "European Union", "IGOEEU", "Russia", -8.0),
        (D("2025-03-12"), "criticism", "France", "FRA", "United States", -2.0),
        (D("2025-03-12"), "criticism", "Germany", "DEU", "United States", -2.0),
    ],
    "Q5": [
        (D("2025-03-03"), "meeting", "Joe Biden", "Xi Jinping", 2, 2),
        (D("2025-03-03"), "meeting", "Xi Jinping", "Joe Biden", 2, 2),
    ],
    "Q6": [
        ("wire.example", "https://wire.example/beijing-summit", datetime(2025, 3, 3, 9, 14, tzinfo=UTC), True),
        ("daily.example", "https://daily.example/beijing-summit-copy", datetime(2025, 3, 3, 9, 19, tzinfo=UTC), False),
    ],
    "Q7": [("Europe", 2, "France, Germany"), ("South America", 1, "Brazil")],
    "Q8": [
        (D("2025-03-03"), 2, 1, 2, 1, 2),
        (D("2025-03-10"), 2, 4, 2, 4, 4),
        (D("2025-03-17"), 1, 1, 2, 0, 1),
    ],
    "Q9": [
        ("Antony Blinken", "Secretary of State", "USA", 2),
        ("Joe Biden", "President", "USA", 2),
        ("Wang Yi", "Foreign Minister", "CHN", 2),
    ],
    "Q10": [("trade", 4)],  # the Beijing talks (both directions) and the trade deal (mutual)
}


def test_the_document_has_ten_questions() -> None:
    assert sorted(QUESTIONS, key=lambda q: int(q[1:])) == [f"Q{n}" for n in range(1, 11)]


def test_the_schema_section_is_current(template_dsn: str) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index(schema_doc.BEGIN) : text.index(schema_doc.END) + len(schema_doc.END)]
    assert section == schema_doc.render_section(template_dsn), (
        "docs/warehouse.md is stale: run `communique warehouse diagram --update docs/warehouse.md`"
    )


@pytest.fixture(scope="module")
def sample_dsn(pg_admin_dsn: str, template_dsn: str):
    from tests.conftest import _fresh_database

    databases = _fresh_database(pg_admin_dsn, "communique_test_template")
    dsn = next(databases)
    build_sample(dsn)
    yield dsn
    next(databases, None)


@pytest.mark.parametrize("question", sorted(EXPECTED, key=lambda q: int(q[1:])))
def test_each_question_answers_right_as_the_analyst(sample_dsn: str, question: str) -> None:
    with database.connect(sample_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        rows = conn.execute(QUESTIONS[question].encode()).fetchall()
    assert rows == EXPECTED[question]


PERSON_TITLES = {
    line.split("\t")[0]
    for line in (REPO_ROOT / "include/communique/data/gazetteer/titles.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#") and line.split("\t")[2:3] == ["person"]
}


def _latest_day(dsn: str) -> date:
    with database.connect(dsn) as conn:
        row = conn.execute("SELECT max(event_date) FROM v_dyad_daily").fetchone()
    assert row is not None and row[0] is not None
    return row[0]  # type: ignore[no-any-return]


def _check_demo_answer(question: str, rows: list[tuple[Any, ...]], latest: date) -> None:
    """What the rows of each question must say, whatever events the extractor found in the demo pages."""
    after = {"Q1": latest - timedelta(days=60), "Q2": latest - timedelta(days=90), "Q4": latest - timedelta(days=30)}
    if question in after:
        assert all(after[question] < row[0] <= latest for row in rows)
    if question == "Q1":
        assert all(r[1] in {"meeting", "phone_call", "negotiation"} for r in rows)
        assert all(r[3] is None or r[3].lower() in PERSON_TITLES for r in rows)  # no "sides"
    elif question == "Q2":
        assert all(events == coop + conflict and -10 <= mean <= 10 for _, events, coop, conflict, mean in rows)
    elif question == "Q3":
        assert [r[2] for r in rows] == sorted((r[2] for r in rows), reverse=True) and len(rows) <= 3
    elif question == "Q4":
        assert [r[5] for r in rows] == sorted(r[5] for r in rows) and all(r[5] < 0 for r in rows)
    elif question == "Q5":
        assert len(rows) == 2 and rows[0][5] >= rows[1][5] >= 1
    elif question == "Q6":
        assert any(extracted for *_, extracted in rows) and len({url for _, url, _, _ in rows}) == len(rows)
    elif question == "Q7":
        assert all(count == len(critics.split(", ")) for _, count, critics in rows)
    elif question == "Q8":
        assert all(week.weekday() == 0 and source + target == coop + conflict for week, source, target, coop,
                   conflict, _ in rows)  # fmt: skip
    elif question == "Q9":
        assert all(title.lower() in PERSON_TITLES for _, title, _, _ in rows)


@pytest.mark.parametrize("question", sorted(QUESTIONS, key=lambda q: int(q[1:])))
def test_each_question_answers_on_the_demo_warehouse(demo_dsn: str, question: str) -> None:
    with database.connect(demo_dsn) as conn:
        conn.execute("SET ROLE communique_analyst")
        rows = conn.execute(QUESTIONS[question].encode()).fetchall()
    assert rows, f"{question} returns nothing on the demo warehouse"
    _check_demo_answer(question, rows, _latest_day(demo_dsn))
