"""Load extracted events: COPY into staging, then merge into mentions and facts.

An interval owns the mentions of the articles that landed in it. Loading an interval
replaces those mentions in one transaction and rebuilds every fact they touch (before or
after), so a re-run yields exactly the same rows, an event that disappeared after
re-extraction leaves nothing behind, and events reported from several intervals keep
every report.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from communique.models import Event, Interval

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

#: Columns of fct_event_mention, in table order; stg_event adds batch_start/batch_end in front.
MENTION_COLUMNS = (
    "event_id", "article_id", "cluster_id", "event_date", "date_precision", "event_type",
    "cameo_code", "cameo_root", "quad_class", "plover_type", "plover_mode", "goldstein",
    "source_text", "source_name", "source_title", "source_country", "source_role", "source_cameo",
    "target_text", "target_name", "target_title", "target_country", "target_role", "target_cameo",
    "participants", "location_text", "location_name", "location_country", "location_lat", "location_lon",
    "topics", "evidence_sentence", "evidence_start", "evidence_end", "confidence", "extractor_version",
)  # fmt: skip
_FACT_ONLY = ("num_mentions", "num_articles", "num_sources", "first_published_at")


def mention_row(event: Event, article_id: str, cluster_id: str) -> tuple[Any, ...]:
    """One fct_event_mention row for ``event`` as extracted from ``article_id``."""
    loc = event.location
    return (
        event.event_id, article_id, cluster_id, event.event_date, event.date_precision, event.event_type,
        event.cameo_code, event.cameo_root, event.quad_class, event.plover_type, event.plover_mode,
        event.goldstein,
        event.source.text, event.source.name, event.source.title, event.source.country, event.source.role,
        event.source.cameo,
        event.target.text, event.target.name, event.target.title, event.target.country, event.target.role,
        event.target.cameo,
        json.dumps([p.to_json() for p in event.participants], ensure_ascii=False),
        loc.text if loc else None, loc.name if loc else None, loc.country if loc else None,
        loc.lat if loc else None, loc.lon if loc else None,
        list(event.topics), event.evidence.sentence, event.evidence.start, event.evidence.end,
        event.confidence, event.extractor_version,
    )  # fmt: skip


def stage_events(conn: psycopg.Connection[Any], interval: Interval, rows: Iterable[tuple[Any, ...]]) -> int:
    """Replace the interval's staged events with ``rows`` (mention rows) using COPY."""
    conn.execute("DELETE FROM stg_event WHERE batch_start = %s AND batch_end = %s", (interval.start, interval.end))
    columns = ", ".join(("batch_start", "batch_end", *MENTION_COLUMNS))
    count = 0
    with conn.cursor().copy(f"COPY stg_event ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((interval.start, interval.end, *row))
            count += 1
    return count


def load_interval(conn: psycopg.Connection[Any], interval: Interval) -> dict[str, int]:
    """Merge the interval's staged events into mentions and facts (call inside one transaction)."""
    from communique.warehouse import ensure_partitions

    bounds = {"start": interval.start, "end": interval.end}
    conn.execute(
        """CREATE TEMP TABLE _interval_article ON COMMIT DROP AS
           SELECT article_id, cluster_id FROM article WHERE landed_at >= %(start)s AND landed_at < %(end)s""",
        bounds,
    )
    conn.execute(
        """CREATE TEMP TABLE _touched ON COMMIT DROP AS
           SELECT DISTINCT event_id, event_date FROM fct_event_mention
            WHERE article_id IN (SELECT article_id FROM _interval_article)
               OR cluster_id IN (SELECT cluster_id FROM _interval_article WHERE cluster_id IS NOT NULL)"""
    )
    removed = conn.execute(
        "DELETE FROM fct_event_mention WHERE article_id IN (SELECT article_id FROM _interval_article)"
    ).rowcount
    columns = ", ".join(MENTION_COLUMNS)
    inserted = conn.execute(
        f"""INSERT INTO fct_event_mention ({columns})
            SELECT DISTINCT ON (event_id, article_id) {columns} FROM stg_event
             WHERE batch_start = %(start)s AND batch_end = %(end)s
               AND article_id IN (SELECT article_id FROM _interval_article)
             ORDER BY event_id, article_id, confidence DESC, evidence_start""",
        bounds,
    ).rowcount
    conn.execute(
        """INSERT INTO _touched SELECT DISTINCT event_id, event_date FROM stg_event
            WHERE batch_start = %(start)s AND batch_end = %(end)s""",
        bounds,
    )
    days = [row[0] for row in conn.execute("SELECT DISTINCT event_date FROM _touched").fetchall()]
    ensure_partitions(conn, days)
    deleted = _delete_orphan_facts(conn)
    upserted = _rebuild_facts(conn)
    conn.execute("DELETE FROM stg_event WHERE batch_start = %(start)s AND batch_end = %(end)s", bounds)
    return {
        "mentions_removed": max(removed, 0),
        "mentions_loaded": max(inserted, 0),
        "facts_upserted": upserted,
        "facts_deleted": deleted,
    }


def _delete_orphan_facts(conn: psycopg.Connection[Any]) -> int:
    return max(
        conn.execute(
            """DELETE FROM fct_diplomatic_event AS f USING _touched AS t
                WHERE f.event_id = t.event_id AND f.event_date = t.event_date
                  AND NOT EXISTS (SELECT 1 FROM fct_event_mention AS m WHERE m.event_id = f.event_id)"""
        ).rowcount,
        0,
    )


def _rebuild_facts(conn: psycopg.Connection[Any]) -> int:
    """Recompute every touched fact from all of its mentions (insert or update in place)."""
    event_columns = [c for c in MENTION_COLUMNS if c != "confidence"]
    first_cols = ", ".join(f"first.{c}" for c in event_columns)
    all_columns = ", ".join((*event_columns, "confidence", *_FACT_ONLY))
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in (*event_columns, "confidence", *_FACT_ONLY))
    changed = ", ".join(f"f.{c}" for c in (*event_columns, "confidence", *_FACT_ONLY))
    excluded = ", ".join(f"EXCLUDED.{c}" for c in (*event_columns, "confidence", *_FACT_ONLY))
    sql = f"""
        WITH mention AS (
            SELECT m.*, a.published_at AS article_published_at, a.landed_at AS article_landed_at
              FROM fct_event_mention AS m JOIN article AS a USING (article_id)
             WHERE m.event_id IN (SELECT event_id FROM _touched)
        ), first AS (
            SELECT DISTINCT ON (event_id) *
              FROM mention
             ORDER BY event_id, article_published_at NULLS LAST, article_landed_at, article_id
        ), reports AS (
            SELECT m.event_id,
                   count(DISTINCT m.article_id) AS num_mentions,
                   count(DISTINCT a.article_id) AS num_articles,
                   count(DISTINCT a.outlet) AS num_sources,
                   min(a.published_at) AS first_published_at,
                   max(m.confidence) AS confidence
              FROM mention AS m JOIN article AS a ON a.cluster_id = m.cluster_id
             GROUP BY m.event_id
        )
        INSERT INTO fct_diplomatic_event AS f ({all_columns})
        SELECT {first_cols}, reports.confidence, reports.num_mentions, reports.num_articles,
               reports.num_sources, reports.first_published_at
          FROM first JOIN reports USING (event_id)
        ON CONFLICT (event_id, event_date) DO UPDATE SET {updates}
        WHERE ({changed}) IS DISTINCT FROM ({excluded})
    """
    return max(conn.execute(sql.encode()).rowcount, 0)
