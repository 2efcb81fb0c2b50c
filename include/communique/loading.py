"""Load extracted events: COPY into staging, then merge into mentions and facts.

An interval owns the mentions of the articles that landed in it. Loading an interval
replaces those mentions in one transaction and rebuilds every fact they touch (before or
after), so a re-run yields exactly the same rows, an event that disappeared after
re-extraction leaves nothing behind, and events reported from several intervals keep
every report.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from communique.models import Actor, Event, Interval

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
    "source_actor_id", "target_actor_id",
)  # fmt: skip
_FACT_ONLY = ("num_mentions", "num_articles", "num_sources", "first_published_at")


def actor_id(actor: Actor) -> str:
    """Deterministic id of an actor: its CAMEO code and case-folded name."""
    key = f"{actor.cameo}|{' '.join(actor.name.casefold().split())}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


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
        event.confidence, event.extractor_version, actor_id(event.source), actor_id(event.target),
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
    conn.execute("ANALYZE stg_event")  # the merge plans its joins on these statistics
    return count


#: A fact group: same event type, same coded parties, same day.
_GROUP = "event_type, source_cameo, target_cameo, event_date"


def load_interval(conn: psycopg.Connection[Any], interval: Interval) -> dict[str, int]:
    """Merge the interval's staged events into mentions and facts (call inside one transaction)."""
    from communique.warehouse import ensure_partitions

    bounds = {"start": interval.start, "end": interval.end}
    _touch(conn, bounds)
    removed = conn.execute(
        "DELETE FROM fct_event_mention WHERE article_id IN (SELECT article_id FROM _interval_article)"
    ).rowcount
    ensure_partitions(conn, [row[0] for row in conn.execute("SELECT DISTINCT event_date FROM _touched")])
    inserted = _insert_mentions(conn, bounds)
    deleted = _delete_orphan_facts(conn)
    upserted = _rebuild_facts(conn)
    conn.execute(f"INSERT INTO _touched_dyad {_TOUCHED_DYADS}")
    _upsert_dimensions(conn, bounds)
    _rebuild_dyads(conn)
    conn.execute("DELETE FROM stg_event WHERE batch_start = %(start)s AND batch_end = %(end)s", bounds)
    return {
        "mentions_removed": max(removed, 0),
        "mentions_loaded": max(inserted, 0),
        "facts_upserted": upserted,
        "facts_deleted": deleted,
    }


def _touch(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> None:
    """Working sets: the interval's articles, its new mentions, and the fact groups it touches."""
    conn.execute(
        """CREATE TEMP TABLE _interval_article ON COMMIT DROP AS
           SELECT article_id, cluster_id FROM article WHERE landed_at >= %(start)s AND landed_at < %(end)s""",
        bounds,
    )
    conn.execute("ANALYZE _interval_article")  # temp tables have no statistics until analysed
    conn.execute(
        f"""CREATE TEMP TABLE _new ON COMMIT DROP AS
            SELECT DISTINCT ON (event_id, article_id) event_id, article_id, location_country, {_GROUP}
              FROM stg_event
             WHERE batch_start = %(start)s AND batch_end = %(end)s
               AND article_id IN (SELECT article_id FROM _interval_article)
             ORDER BY event_id, article_id, confidence DESC, evidence_start""",
        bounds,
    )
    # Fact groups (same type, parties and day) touched through the interval's old mentions, the
    # stories its copies joined, and what it extracted now.
    conn.execute(
        f"""CREATE TEMP TABLE _touched ON COMMIT DROP AS
            SELECT DISTINCT {_GROUP} FROM fct_event_mention
             WHERE article_id IN (SELECT article_id FROM _interval_article)
                OR article_id IN (SELECT cluster_id FROM _interval_article WHERE cluster_id IS NOT NULL)
            UNION
            SELECT DISTINCT {_GROUP} FROM _new"""
    )
    conn.execute("ANALYZE _touched")
    conn.execute(f"CREATE TEMP TABLE _touched_dyad ON COMMIT DROP AS {_TOUCHED_DYADS}")


def _insert_mentions(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> int:
    """Insert the interval's mentions pointing at their facts; re-point other mentions whose fact moved.

    This is the event-level merge. Mentions of one group (same event type, source and
    target actor codes, and day) are one event when their places are compatible: the same
    country, or no place stated. A group whose mentions name several countries splits into
    one fact per country; a mention without a place joins the country most reported in its
    group (ties: the smallest code). The rule looks at the whole group only, so the result
    does not depend on the order in which reports arrived.
    """
    conn.execute(
        f"""CREATE TEMP TABLE _others ON COMMIT DROP AS
            SELECT m.event_id, m.article_id, m.fact_id, m.location_country, {_GROUP}
              FROM fct_event_mention AS m JOIN _touched USING ({_GROUP})"""
    )
    conn.execute(
        f"""CREATE TEMP TABLE _home ON COMMIT DROP AS
            SELECT DISTINCT ON ({_GROUP}) {_GROUP}, location_country
              FROM (SELECT {_GROUP}, location_country, count(*) AS n
                      FROM (SELECT {_GROUP}, location_country FROM _new
                            UNION ALL SELECT {_GROUP}, location_country FROM _others) AS every
                     WHERE location_country IS NOT NULL GROUP BY {_GROUP}, location_country) AS c
             ORDER BY {_GROUP}, n DESC, location_country"""
    )
    columns = ", ".join(MENTION_COLUMNS)
    inserted = conn.execute(
        f"""INSERT INTO fct_event_mention ({columns}, fact_id)
            SELECT DISTINCT ON (m.event_id, m.article_id) {", ".join(f"m.{c}" for c in MENTION_COLUMNS)}, {_FACT_ID}
              FROM stg_event AS m LEFT JOIN _home AS home USING ({_GROUP})
             WHERE m.batch_start = %(start)s AND m.batch_end = %(end)s
               AND m.article_id IN (SELECT article_id FROM _interval_article)
             ORDER BY m.event_id, m.article_id, m.confidence DESC, m.evidence_start""",
        bounds,
    ).rowcount
    conn.execute(
        f"""UPDATE fct_event_mention AS f SET fact_id = w.fact_id
              FROM (SELECT m.event_id, m.article_id, m.fact_id AS old_fact_id, {_FACT_ID} AS fact_id
                      FROM _others AS m LEFT JOIN _home AS home USING ({_GROUP})) AS w
             WHERE f.event_id = w.event_id AND f.article_id = w.article_id
               AND w.old_fact_id IS DISTINCT FROM w.fact_id"""
    )
    return int(inserted)


_TOUCHED_DYADS = f"""
    SELECT DISTINCT f.event_date, coalesce(f.source_country::text, f.source_cameo) AS source_key,
                    coalesce(f.target_country::text, f.target_cameo) AS target_key
      FROM fct_diplomatic_event AS f JOIN _touched USING ({_GROUP})"""
_FACT_ID = """communique_fact_id(m.event_type, m.source_cameo, m.target_cameo, m.event_date,
                                 coalesce(m.location_country, home.location_country))"""
_REPORTS = """
    SELECT m.fact_id, count(DISTINCT m.article_id) AS num_mentions, count(DISTINCT a.article_id) AS num_articles,
           count(DISTINCT a.outlet) AS num_sources, min(a.published_at) AS first_published_at,
           max(m.confidence) AS confidence
      FROM _mention AS m JOIN article AS a ON a.cluster_id = m.cluster_id
     GROUP BY m.fact_id"""


def _upsert_dimensions(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> None:
    """Actors of the interval's events and outlets of its articles (first values seen are kept)."""
    for side in ("source", "target"):
        conn.execute(
            f"""INSERT INTO dim_actor (actor_id, name, title, country, role, cameo)
                SELECT DISTINCT ON ({side}_actor_id) {side}_actor_id, {side}_name, {side}_title, {side}_country,
                       {side}_role, {side}_cameo
                  FROM stg_event WHERE batch_start = %(start)s AND batch_end = %(end)s
                 ORDER BY {side}_actor_id, {side}_title NULLS LAST
                ON CONFLICT (actor_id) DO UPDATE SET title = coalesce(dim_actor.title, EXCLUDED.title)""",
            bounds,
        )
    conn.execute(
        """INSERT INTO dim_outlet (outlet, name, country, language)
           SELECT DISTINCT ON (a.outlet) a.outlet, coalesce(f.name, a.site_name), f.country, f.language
             FROM _interval_article AS i JOIN article AS a USING (article_id)
             JOIN raw_article AS r USING (article_id) LEFT JOIN feed AS f ON f.feed_url = r.feed_url
            ORDER BY a.outlet, f.feed_url NULLS LAST
           ON CONFLICT (outlet) DO UPDATE SET name = coalesce(dim_outlet.name, EXCLUDED.name),
               country = coalesce(dim_outlet.country, EXCLUDED.country),
               language = coalesce(dim_outlet.language, EXCLUDED.language)"""
    )


def _rebuild_dyads(conn: psycopg.Connection[Any]) -> None:
    """Recompute the daily dyad rows of every (day, pair) the interval touched, before or after."""
    conn.execute(
        """DELETE FROM agg_dyad_daily AS d USING _touched_dyad AS t
            WHERE d.event_date = t.event_date AND d.source_key = t.source_key AND d.target_key = t.target_key"""
    )
    conn.execute(
        """CREATE TEMP TABLE _dyad_fact ON COMMIT DROP AS
           SELECT f.event_id, f.event_date, f.quad_class, f.goldstein, t.source_key, t.target_key
             FROM _touched_dyad AS t
             JOIN fct_diplomatic_event AS f
               ON f.source_country = t.source_key::bpchar AND f.target_country = t.target_key::bpchar
              AND f.event_date = t.event_date
           UNION
           SELECT f.event_id, f.event_date, f.quad_class, f.goldstein, t.source_key, t.target_key
             FROM _touched_dyad AS t
             JOIN fct_diplomatic_event AS f
               ON (f.source_country IS NULL OR f.target_country IS NULL)
              AND coalesce(f.source_country::text, f.source_cameo) = t.source_key
              AND coalesce(f.target_country::text, f.target_cameo) = t.target_key
              AND f.event_date = t.event_date"""
    )
    conn.execute(
        """WITH reports AS (
               SELECT f.event_date, f.source_key, f.target_key,
                      count(DISTINCT a.article_id) AS articles, count(DISTINCT a.outlet) AS outlets
                 FROM _dyad_fact AS f
                 JOIN fct_event_mention AS m ON m.fact_id = f.event_id
                 JOIN article AS a ON a.cluster_id = m.cluster_id
                GROUP BY 1, 2, 3
           )
           INSERT INTO agg_dyad_daily
           SELECT f.event_date, f.source_key, f.target_key, count(*),
                  count(*) FILTER (WHERE quad_class = 1), count(*) FILTER (WHERE quad_class = 2),
                  count(*) FILTER (WHERE quad_class = 3), count(*) FILTER (WHERE quad_class = 4),
                  sum(goldstein::numeric(4, 1)), r.articles, r.outlets
             FROM _dyad_fact AS f JOIN reports AS r USING (event_date, source_key, target_key)
            GROUP BY f.event_date, f.source_key, f.target_key, r.articles, r.outlets"""
    )


def _delete_orphan_facts(conn: psycopg.Connection[Any]) -> int:
    """Facts of touched groups that no mention points at any more."""
    return max(
        conn.execute(
            """DELETE FROM fct_diplomatic_event AS f USING _touched AS t
                WHERE (f.event_type, f.source_cameo, f.target_cameo, f.event_date)
                    = (t.event_type, t.source_cameo, t.target_cameo, t.event_date)
                  AND NOT EXISTS (SELECT 1 FROM fct_event_mention AS m WHERE m.fact_id = f.event_id)"""
        ).rowcount,
        0,
    )


_PLACE = ("location_text", "location_name", "location_country", "location_lat", "location_lon")


def _rebuild_facts(conn: psycopg.Connection[Any]) -> int:
    """Recompute every fact of the touched groups from all of its mentions (insert or update in place).

    The earliest report gives the code, the actors and the evidence; the earliest report
    that names a place gives the location; every report of every copy counts.
    """
    first_columns = [c for c in MENTION_COLUMNS if c not in {"event_id", "confidence", *_PLACE}]
    fact_columns = ("event_id", *first_columns, *_PLACE, "confidence", *_FACT_ONLY)
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in fact_columns)
    changed = ", ".join(f"f.{c}" for c in fact_columns)
    excluded = ", ".join(f"EXCLUDED.{c}" for c in fact_columns)
    order = "article_published_at NULLS LAST, article_landed_at, article_id, event_id"
    conn.execute(
        f"""CREATE TEMP TABLE _mention ON COMMIT DROP AS
            SELECT m.*, a.published_at AS article_published_at, a.landed_at AS article_landed_at
              FROM fct_event_mention AS m JOIN article AS a USING (article_id) JOIN _touched USING ({_GROUP})"""
    )
    conn.execute(f"CREATE TEMP TABLE _report ON COMMIT DROP AS {_REPORTS}")
    sql = f"""
        WITH first AS (
            SELECT DISTINCT ON (fact_id) * FROM _mention ORDER BY fact_id, {order}
        ), placed AS (
            SELECT DISTINCT ON (fact_id) fact_id, {", ".join(_PLACE)}
              FROM _mention ORDER BY fact_id, location_country IS NULL, {order}
        )
        INSERT INTO fct_diplomatic_event AS f ({", ".join(fact_columns)})
        SELECT first.fact_id, {", ".join(f"first.{c}" for c in first_columns)},
               {", ".join(f"placed.{c}" for c in _PLACE)}, r.confidence, r.num_mentions,
               r.num_articles, r.num_sources, r.first_published_at
          FROM first JOIN placed USING (fact_id) JOIN _report AS r USING (fact_id)
        ON CONFLICT (event_id, event_date) DO UPDATE SET {updates}
        WHERE ({changed}) IS DISTINCT FROM ({excluded})
    """
    return max(conn.execute(sql.encode()).rowcount, 0)
