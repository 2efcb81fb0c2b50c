"""Connection passwords never reach a log line or an error message."""

from __future__ import annotations

import logging

import pytest

from communique.errors import WarehouseError
from communique.warehouse import database


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("postgresql://bob:s3cret@db.example:5432/w", "postgresql://bob:***@db.example:5432/w"),
        ("postgres://bob:p%40ss@db/w?sslmode=require", "postgres://bob:***@db/w?sslmode=require"),
        ("host=db user=bob password=s3cret dbname=w", "host=db user=bob password=*** dbname=w"),
        ("host=db password='with space' dbname=w", "host=db password=*** dbname=w"),
        ("postgresql://db/w?user=bob&password=s3cret&sslmode=require",
         "postgresql://db/w?user=bob&password=***&sslmode=require"),
        ("for postgresql://u:pw@h/d, host=h PASSWORD = x", "for postgresql://u:***@h/d, host=h PASSWORD = ***"),
        ("postgresql://postgres@/communique?host=/tmp/x", "postgresql://postgres@/communique?host=/tmp/x"),
    ],
)  # fmt: skip
def test_redact_hides_passwords_and_keeps_the_rest(text: str, shown: str) -> None:
    assert database.redact(text) == shown


def test_an_unusable_dsn_does_not_leak_into_the_error() -> None:
    with pytest.raises(WarehouseError) as refused, database.connect("postgresql//bob:s3cret@db/w"):
        pass
    assert "s3cret" not in str(refused.value) and refused.value.__cause__ is None


def test_the_logging_filter_redacts_messages_arguments_and_tracebacks(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("communique.test_redaction")
    caplog.handler.addFilter(database.RedactingFilter())
    logger.warning("connecting to %s", "postgresql://bob:s3cret@db/w")
    try:
        raise RuntimeError("password=s3cret rejected")
    except RuntimeError:
        logger.exception("failed")
    assert "s3cret" not in caplog.text
    assert "postgresql://bob:***@db/w" in caplog.text and "password=*** rejected" in caplog.text
