"""Data-quality checks run after every load: the warehouse's promises, verified on each interval.

Each check counts the rows that break one promise among the facts and mentions the
interval wrote; a non-zero count fails the run loudly (``DataQualityError``) with samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from communique.models import Interval

if TYPE_CHECKING:
    import psycopg

#: How far an event date may lie from its article's publication date (the extractor drops
#: background events over 45 days old and dates plans to their announcement).
DAYS_BEFORE, DAYS_AFTER = 60, 14

_SCOPE = """
    CREATE TEMP TABLE _dq_mention ON COMMIT DROP AS
    SELECT m.*, coalesce(a.published_at, a.landed_at)::date AS published
      FROM fct_event_mention AS m LEFT JOIN article AS a USING (article_id)
     WHERE m.article_id IN (SELECT article_id FROM article WHERE landed_at >= %(start)s AND landed_at < %(end)s);
    CREATE TEMP TABLE _dq_fact ON COMMIT DROP AS
    SELECT f.* FROM fct_diplomatic_event AS f WHERE f.event_id IN (SELECT fact_id FROM _dq_mention);
"""

#: (name, what it promises, SQL returning the offending keys).
CHECKS = (
    ("null_keys", "facts have an id, a date, an article, coded parties and an extractor version",
     """SELECT event_id FROM _dq_fact WHERE event_id IS NULL OR event_date IS NULL OR article_id IS NULL
            OR source_cameo IS NULL OR target_cameo IS NULL OR extractor_version IS NULL"""),
    ("duplicate_event_ids", "one fact row per event id",
     """SELECT event_id FROM fct_diplomatic_event WHERE event_id IN (SELECT event_id FROM _dq_fact)
         GROUP BY event_id HAVING count(*) > 1"""),
    ("unassigned_mentions", "every mention points at a fact",
     """SELECT event_id FROM _dq_mention AS m
         WHERE m.fact_id IS NULL OR NOT EXISTS (SELECT 1 FROM _dq_fact AS f WHERE f.event_id = m.fact_id)"""),
    ("event_dates_out_of_bounds",
     f"event dates lie within {DAYS_BEFORE} days before and {DAYS_AFTER} days after their article's publication",
     f"""SELECT event_id FROM _dq_mention WHERE published IS NULL
            OR event_date < published - {DAYS_BEFORE} OR event_date > published + {DAYS_AFTER}"""),
    ("facts_without_article", "every fact and mention is linked to an existing article",
     """SELECT event_id FROM _dq_fact AS f
         WHERE NOT EXISTS (SELECT 1 FROM article AS a WHERE a.article_id = f.article_id)
        UNION ALL
        SELECT event_id FROM _dq_mention WHERE published IS NULL"""),
    ("inconsistent_counts", "1 <= num_mentions <= num_articles and 1 <= num_sources <= num_articles",
     """SELECT event_id FROM _dq_fact WHERE num_mentions < 1 OR num_articles < num_mentions
            OR num_sources < 1 OR num_sources > num_articles"""),
    ("staging_left_over", "the load deleted the staged rows of the batches it consumed",
     """SELECT event_id FROM stg_event WHERE batch_id IN (
            SELECT batch_id FROM stg_batch
             WHERE batch_start = %(start)s AND batch_end = %(end)s AND loaded_at IS NOT NULL)"""),
    ("events_lost", "an interval whose stories produced events (its last loaded batch) ends with facts",
     """SELECT 'batch ' || batch_id FROM stg_batch
         WHERE batch_id = (SELECT max(batch_id) FROM stg_batch
                            WHERE batch_start = %(start)s AND batch_end = %(end)s AND outcome = 'loaded')
           AND events > 0 AND NOT EXISTS (SELECT 1 FROM _dq_mention)"""),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    promise: str
    failures: int
    samples: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.failures == 0


def run_checks(conn: psycopg.Connection[Any], interval: Interval) -> list[CheckResult]:
    """Every check over what ``interval`` loaded (call inside one transaction)."""
    bounds = {"start": interval.start, "end": interval.end}
    for statement in _SCOPE.split(";"):
        if statement.strip():
            conn.execute(statement, bounds)
    results = []
    for name, promise, query in CHECKS:
        rows = conn.execute(query, bounds if "%(start)s" in query else None).fetchall()
        results.append(CheckResult(name, promise, len(rows), tuple(str(r[0]) for r in rows[:5])))
    return results
