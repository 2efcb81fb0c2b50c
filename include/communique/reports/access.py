"""Read the warehouse as an analyst: every report sees exactly what ``communique_analyst`` may read.

The pipeline's own login can write everything; a brief or an export must not depend on
that. Each report connection switches to the analyst role (``SET ROLE``) before its first
query, so a report that reaches for an object outside the grants fails the way it would
for an analyst, and what it shows is what an analyst's own query returns.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from communique.errors import ReportError
from communique.warehouse import database

if TYPE_CHECKING:
    import psycopg

#: The read-only role created by migration 0005 and granted the views by ``sql/views/900_grants.sql``.
ANALYST_ROLE = "communique_analyst"


@contextmanager
def analyst_connection(dsn: str) -> Iterator[psycopg.Connection[Any]]:
    """A warehouse connection acting as ``communique_analyst`` (read-only, in one transaction)."""
    import psycopg
    from psycopg import sql

    with database.connect(dsn) as conn:
        # One read-only snapshot for all of a report's queries: its charts and tables agree.
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        try:
            conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(ANALYST_ROLE)))
        except psycopg.Error as exc:
            raise ReportError(
                f"cannot act as {ANALYST_ROLE} ({exc.diag.message_primary or exc}); {_remedy(exc, conn)}"
            ) from exc
        yield conn


def _remedy(error: Exception, conn: psycopg.Connection[Any]) -> str:
    """What an administrator does about it: create the role (migration 0005 does) or grant it to this login."""
    import psycopg

    if isinstance(error, psycopg.errors.InvalidParameterValue):  # the role does not exist
        return "run `communique warehouse migrate` as a user allowed to create roles"
    return f"an administrator can run: GRANT {ANALYST_ROLE} TO {conn.info.user}"
