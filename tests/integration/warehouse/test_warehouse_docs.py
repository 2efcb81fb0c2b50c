"""docs/warehouse.md stays true: its schema section is current and its ten questions answer right."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from communique.warehouse import database, schema_doc
from tests.support.paths import DOCS
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
        (D("2025-03-06"), "United Kingdom", "GBR"),
        (D("2025-03-06"), "United States", "USA"),
        (D("2025-03-07"), "European Union", "IGOEEU"),
    ],
    "Q5": [
        (D("2025-03-03"), "meeting", "Joe Biden", "Xi Jinping", 2, 2),
        (D("2025-03-03"), "meeting", "Xi Jinping", "Joe Biden", 2, 2),
    ],
    "Q6": [
        ("wire.example", "https://wire.example/beijing-summit", True),
        ("daily.example", "https://daily.example/beijing-summit-copy", False),
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
    "Q10": [("trade",)],
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
