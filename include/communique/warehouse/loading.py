"""Load extracted events: COPY into staging, then merge into mentions and facts.

An interval owns the mentions of the articles that landed in it. Loading an interval
replaces those mentions in one transaction and rebuilds every fact they touch (before or
after), so a re-run yields exactly the same rows, an event that disappeared after
re-extraction leaves nothing behind, and events reported from several intervals keep
every report.

The merge works on keys (article, event, fact, group) in small working tables; wide rows
are only written by the COPY, the mention insert and the fact upsert. A fact id starts
with the key of its group, so the facts of a group are one range of the primary key, and
each fact lists its stories, so its mentions are found through the mentions' primary key.

Staging is kept per batch (``stg_batch``): each extraction stages its events as a new batch
of its run, and a load consumes only the unloaded batch of its own run. A load that finds none
(a retry after the commit, a second run whose staging another took) changes nothing; a batch
older than one already loaded for its interval is dropped, never merged over newer facts.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from communique.errors import WarehouseError
from communique.models import Actor, Event, Interval

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

#: Columns of a staged event, in table order; stg_event adds batch_id/batch_start/batch_end in front,
#: and the mention rows share them (their fact_id may be re-pointed by the load).
MENTION_COLUMNS = (
    "event_id", "article_id", "cluster_id", "event_date", "date_precision", "event_type",
    "cameo_code", "cameo_root", "quad_class", "plover_type", "plover_mode", "goldstein",
    "source_text", "source_name", "source_title", "source_country", "source_role", "source_cameo",
    "target_text", "target_name", "target_title", "target_country", "target_role", "target_cameo",
    "participants", "location_text", "location_name", "location_country", "location_lat", "location_lon",
    "topics", "evidence_sentence", "evidence_start", "evidence_end", "confidence", "extractor_version",
    "source_actor_id", "target_actor_id", "fact_id",
)  # fmt: skip
#: PostgreSQL types of the columns that are not text, for binary COPY (char(3) travels as
#: text: the same wire format).
_NON_TEXT = {
    "event_date": "date", "quad_class": "smallint", "goldstein": "real", "participants": "jsonb",
    "location_lat": "float8", "location_lon": "float8", "topics": "text[]", "evidence_start": "int4",
    "evidence_end": "int4", "confidence": "real",
}  # fmt: skip
_COPY_TYPES = ("timestamptz", "timestamptz", *(_NON_TEXT.get(c, "text") for c in MENTION_COLUMNS))
_PLACE = ("location_text", "location_name", "location_country", "location_lat", "location_lon")
#: Fact columns taken from its earliest report (the place from the earliest report that names one).
_FIRST = tuple(c for c in MENTION_COLUMNS if c not in {"event_id", "confidence", "fact_id", *_PLACE})
#: Fact columns computed from all of its reports.
REPORT_COLUMNS = (
    "confidence", "num_mentions", "num_articles", "num_sources", "first_published_at", "story_ids", "article_ids",
    "outlets",
)  # fmt: skip
#: Columns of a fact row, in the order the loader writes them.
FACT_COLUMNS = ("event_id", *_FIRST, *_PLACE, *REPORT_COLUMNS)
_EVENT_ID, _ARTICLE_ID = MENTION_COLUMNS.index("event_id"), MENTION_COLUMNS.index("article_id")
_CONFIDENCE, _EVIDENCE_START = MENTION_COLUMNS.index("confidence"), MENTION_COLUMNS.index("evidence_start")

#: The ordered pair of parties of a fact, as daily dyads key it (an organisation has no country).
_PARTIES = (
    "coalesce(f.source_country::text, f.source_cameo) AS source_key, "
    "coalesce(f.target_country::text, f.target_cameo) AS target_key"
)
_LOAD_LOCK = 0x6C6F6164  # "load": advisory lock key of the load stage
#: The staging key of a run that does not name itself: every such run of an interval shares it.
DEFAULT_RUN = "interval"
_COUNTS = ("mentions_removed", "mentions_loaded", "facts_upserted", "facts_deleted")

#: Place hash of a fact whose reports name no place (communique_fact_id(group, NULL) in SQL).
NO_PLACE = hashlib.sha256(b"").hexdigest()[:8]


def actor_id(actor: Actor) -> str:
    """Deterministic id of an actor: its CAMEO code and case-folded name."""
    key = f"{actor.cameo}|{' '.join(actor.name.casefold().split())}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def group_key(event: Event) -> str:
    """Key of the event's group (type, coded parties, day): the first 24 hex digits of its fact ids."""
    key = "|".join((event.event_type, event.source.cameo, event.target.cameo, event.event_date.isoformat()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def fact_id(group: str, country: str | None) -> str:
    """Id of the fact of ``group`` placed in ``country`` (SQL: communique_fact_id(group, country))."""
    return group + hashlib.sha256((country or "").encode("utf-8")).hexdigest()[:8]


def mention_row(event: Event, article_id: str, cluster_id: str) -> tuple[Any, ...]:
    """One staged row (MENTION_COLUMNS) for ``event`` as extracted from ``article_id``."""
    loc = event.location
    country = loc.country if loc else None
    return (
        event.event_id, article_id, cluster_id, event.event_date, event.date_precision, event.event_type,
        event.cameo_code, event.cameo_root, event.quad_class, event.plover_type, event.plover_mode,
        event.goldstein,
        event.source.text, event.source.name, event.source.title, event.source.country, event.source.role,
        event.source.cameo,
        event.target.text, event.target.name, event.target.title, event.target.country, event.target.role,
        event.target.cameo,
        json.dumps([p.to_json() for p in event.participants], ensure_ascii=False),
        loc.text if loc else None, loc.name if loc else None, country,
        loc.lat if loc else None, loc.lon if loc else None,
        list(event.topics), event.evidence.sentence, event.evidence.start, event.evidence.end,
        event.confidence, event.extractor_version, actor_id(event.source), actor_id(event.target),
        fact_id(group_key(event), country),
    )  # fmt: skip


def best_rows(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """One row per (article, event): the most confident, then the earliest in the text, then the first given."""
    best: dict[tuple[str, str], tuple[Any, ...]] = {}
    for row in rows:
        key = (row[_ARTICLE_ID], row[_EVENT_ID])
        kept = best.get(key)
        if kept is None or (-row[_CONFIDENCE], row[_EVIDENCE_START]) < (-kept[_CONFIDENCE], kept[_EVIDENCE_START]):
            best[key] = row
    return list(best.values())


def stage_events(
    conn: psycopg.Connection[Any], interval: Interval, rows: Iterable[tuple[Any, ...]], *, run: str = DEFAULT_RUN
) -> int:
    """Stage ``rows`` (one per article and event) as a new batch of ``run``, by binary COPY.

    The run's earlier batch of the interval that no load consumed yet (a retried extraction)
    is replaced.
    """
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class JsonbText(Dumper):
        """Already serialised JSON as binary jsonb (a version byte, then the text)."""

        format = Format.BINARY

        def dump(self, obj: Any) -> bytes:
            text: str = obj
            return b"\x01" + text.encode("utf-8")

    key = {"run": run, "start": interval.start, "end": interval.end}
    _drop_batches(conn, "run_key = %(run)s AND batch_start = %(start)s AND batch_end = %(end)s AND loaded_at IS NULL",
                  key, outcome=None)  # fmt: skip
    staged = best_rows(rows)
    batch = conn.execute(
        """INSERT INTO stg_batch (run_key, batch_start, batch_end, events)
           VALUES (%(run)s, %(start)s, %(end)s, %(events)s) RETURNING batch_id""",
        {**key, "events": len(staged)},
    ).fetchone()
    assert batch is not None
    columns = ", ".join(("batch_id", "batch_start", "batch_end", *MENTION_COLUMNS))
    with conn.cursor() as cur:
        JsonbText.oid = cur.adapters.types["jsonb"].oid
        cur.adapters.register_dumper(None, JsonbText)
        with cur.copy(f"COPY stg_event ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
            copy.set_types(["int8", *_COPY_TYPES])
            for row in staged:
                copy.write_row((batch[0], interval.start, interval.end, *row))
    conn.execute("ANALYZE stg_event (batch_id, article_id)")  # the load plans its joins on these
    LOGGER.debug("staged %d events of %s as batch %s of run %s", len(staged), interval, batch[0], run)
    return len(staged)


def _drop_batches(conn: psycopg.Connection[Any], where: str, params: dict[str, Any], *, outcome: str | None) -> int:
    """Delete the staged rows of the unloaded batches ``where`` selects; record ``outcome`` (None: forget them)."""
    ids = [row[0] for row in conn.execute(f"SELECT batch_id FROM stg_batch WHERE {where} FOR UPDATE", params)]
    if not ids:
        return 0
    conn.execute("DELETE FROM stg_event WHERE batch_id = ANY(%s)", (ids,))
    if outcome is None:
        conn.execute("DELETE FROM stg_batch WHERE batch_id = ANY(%s)", (ids,))
    else:
        conn.execute(
            "UPDATE stg_batch SET loaded_at = clock_timestamp(), outcome = %s WHERE batch_id = ANY(%s)", (outcome, ids)
        )
    return len(ids)


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What a load did: its counts, and why it changed nothing when it skipped (``nothing_staged``, ``superseded``)."""

    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_COUNTS, 0))
    skipped: str | None = None
    batch_id: int | None = None


def load_interval(conn: psycopg.Connection[Any], interval: Interval, *, run: str = DEFAULT_RUN) -> LoadResult:
    """Merge the batch ``run`` staged for the interval into mentions and facts (call inside one transaction).

    Without such a batch nothing changes. A batch staged before another that is already
    loaded for the interval (another run extracted later and loaded first) is dropped.
    """
    from communique.warehouse.database import ensure_partitions

    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOAD_LOCK,))  # one load at a time: merges read each other
    found = conn.execute(
        """SELECT batch_id, events, outcome FROM stg_batch WHERE run_key = %s AND batch_start = %s AND batch_end = %s
            ORDER BY batch_id DESC LIMIT 1""",
        (run, interval.start, interval.end),
    ).fetchone()
    if found is None or found[2] is not None:
        skipped = "superseded" if found and found[2] == "superseded" else "nothing_staged"
        LOGGER.warning("%s: nothing staged for run %s (%s): nothing changed", interval, run,
                       f"batch {found[0]} {found[2]} already" if found else "never extracted")  # fmt: skip
        return LoadResult(skipped=skipped, batch_id=int(found[0]) if found else None)
    batch, events = int(found[0]), int(found[1])
    bounds = {"start": interval.start, "end": interval.end, "batch": batch}
    if _superseded(conn, bounds):
        return LoadResult(skipped="superseded", batch_id=batch)
    _check_staged(conn, batch, events)
    removed = _working_sets(conn, bounds)
    ensure_partitions(conn, [row[0] for row in conn.execute("SELECT DISTINCT event_date FROM _group")])
    _place_mentions(conn)
    inserted = _insert_mentions(conn, bounds)
    upserted, deleted = _rebuild_facts(conn)
    _rebuild_dyads(conn)
    _upsert_dimensions(conn, bounds)
    conn.execute("DELETE FROM stg_event WHERE batch_id = %(batch)s", bounds)
    conn.execute("UPDATE stg_batch SET loaded_at = clock_timestamp(), outcome = 'loaded' WHERE batch_id = %(batch)s",
                 bounds)  # fmt: skip
    # Older batches of this interval (or inside it) can no longer be loaded: free their rows.
    _drop_batches(conn, "batch_id < %(batch)s AND batch_start >= %(start)s AND batch_end <= %(end)s "
                  "AND loaded_at IS NULL", bounds, outcome="superseded")  # fmt: skip
    counts = (removed, inserted, upserted, deleted)
    return LoadResult(dict(zip(_COUNTS, counts, strict=True)), batch_id=batch)


def _superseded(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> bool:
    """Drop the batch when a later extraction of an interval that covers it is loaded already."""
    newer = conn.execute(
        """SELECT batch_id, run_key FROM stg_batch
            WHERE outcome = 'loaded' AND batch_id > %(batch)s AND batch_start <= %(start)s AND batch_end >= %(end)s
            ORDER BY batch_id DESC LIMIT 1""",
        bounds,
    ).fetchone()
    if newer is None:
        return False
    LOGGER.warning("%s: batch %s is older than batch %s (run %s), loaded already: dropped, nothing changed",
                   f"{bounds['start']}..{bounds['end']}", bounds["batch"], newer[0], newer[1])  # fmt: skip
    _drop_batches(conn, "batch_id = %(batch)s", bounds, outcome="superseded")
    return True


def _check_staged(conn: psycopg.Connection[Any], batch: int, events: int) -> None:
    """Refuse a batch whose rows are gone: staging is UNLOGGED, and a server crash empties it."""
    row = conn.execute("SELECT count(*) FROM stg_event WHERE batch_id = %s", (batch,)).fetchone()
    found = int(row[0]) if row else 0
    if found != events:
        raise WarehouseError(
            f"staged batch {batch} holds {found} of its {events} events (a server crash empties the staging "
            "table): nothing was loaded; run the extract stage of this interval again"
        )


def _working_sets(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> int:
    """The interval's articles; its old mentions (removed); its new ones; the groups and facts they touch.

    Groups are touched by the interval's old mentions, its new ones, and the stories that
    its copies joined (their counts change). Returns the number of mentions removed.
    """
    conn.execute(
        """CREATE TEMP TABLE _art ON COMMIT DROP AS
           SELECT article_id, cluster_id FROM article WHERE landed_at >= %(start)s AND landed_at < %(end)s""",
        bounds,
    )
    conn.execute("ANALYZE _art")  # temp tables have no statistics until analysed
    conn.execute("CREATE TEMP TABLE _gone (fact_id text, event_date date) ON COMMIT DROP")
    # The old mentions are found article by article on the primary key (a plain IN lets the
    # planner scan the whole table), then deleted by row address.
    removed = conn.execute(
        """WITH gone AS (
               DELETE FROM fct_event_mention
                WHERE ctid = ANY (ARRAY(
                          SELECT m.ctid FROM _art AS a
                           CROSS JOIN LATERAL (SELECT ctid FROM fct_event_mention WHERE article_id = a.article_id
                                               OFFSET 0) AS m))
               RETURNING fact_id, event_date)
           INSERT INTO _gone SELECT fact_id, event_date FROM gone"""
    ).rowcount
    conn.execute(
        """CREATE TEMP TABLE _new ON COMMIT DROP AS
           SELECT s.article_id, s.event_id, s.fact_id, s.event_date, s.location_country, s.confidence
             FROM stg_event AS s
            WHERE s.batch_id = %(batch)s AND s.article_id IN (SELECT article_id FROM _art)""",
        bounds,
    )
    conn.execute(
        """CREATE TEMP TABLE _group ON COMMIT DROP AS
           SELECT DISTINCT left(fact_id, 24) AS group_key, event_date
             FROM (SELECT fact_id, event_date FROM _gone
                   UNION ALL SELECT fact_id, event_date FROM _new
                   UNION ALL SELECT m.fact_id, m.event_date FROM fct_event_mention AS m
                              WHERE m.article_id IN (SELECT cluster_id FROM _art WHERE cluster_id <> article_id)
                  ) AS touched"""
    )
    conn.execute("ANALYZE _group")
    # The facts of the touched groups as they are now: one primary-key range per group (OFFSET 0
    # keeps the planner from turning the probes into a join on the day alone).
    conn.execute(
        f"""CREATE TEMP TABLE _old ON COMMIT DROP AS
           SELECT f.*
             FROM _group AS g
             CROSS JOIN LATERAL (
                 SELECT f.event_id, f.event_date, f.story_ids, {_PARTIES}
                   FROM fct_diplomatic_event AS f
                  WHERE f.event_id >= g.group_key AND f.event_id < g.group_key || 'g'
                    AND f.event_date = g.event_date
                 OFFSET 0) AS f"""
    )
    conn.execute("ANALYZE _old")
    return max(removed, 0)


def _place_mentions(conn: psycopg.Connection[Any]) -> None:
    """Point every mention of the touched groups at its fact; re-point older mentions whose fact moved.

    This is the event-level merge. Mentions of one group (same event type, source and
    target actor codes, and day) are one event when their places are compatible: the same
    country, or no place stated. A group whose mentions name several countries splits into
    one fact per country; a mention without a place joins the country most reported in its
    group (ties: the smallest code). The rule looks at the whole group only, so the result
    does not depend on the order in which reports arrived.
    """
    # Older mentions of the touched groups, through the stories their facts list.
    conn.execute(
        """CREATE TEMP TABLE _others ON COMMIT DROP AS
           SELECT m.*
             FROM _old AS o
             CROSS JOIN LATERAL unnest(o.story_ids) AS s (story_id)
             CROSS JOIN LATERAL (
                 SELECT m.article_id, m.event_id, m.fact_id, m.location_country, m.confidence
                   FROM fct_event_mention AS m WHERE m.article_id = s.story_id AND m.fact_id = o.event_id
                 OFFSET 0) AS m"""
    )
    conn.execute(
        """CREATE TEMP TABLE _home ON COMMIT DROP AS
           SELECT DISTINCT ON (group_key) group_key, communique_fact_id(group_key, location_country) AS fact_id
             FROM (SELECT left(fact_id, 24) AS group_key, location_country, count(*) AS n
                     FROM (SELECT fact_id, location_country FROM _new
                           UNION ALL SELECT fact_id, location_country FROM _others) AS every
                    WHERE location_country IS NOT NULL
                    GROUP BY 1, 2) AS c
            ORDER BY group_key, n DESC, location_country"""
    )
    conn.execute(
        """CREATE TEMP TABLE _mention ON COMMIT DROP AS
           SELECT x.article_id, x.event_id, x.is_new, x.fact_id AS stated_fact_id, x.location_country,
                  x.confidence,
                  CASE WHEN x.location_country IS NOT NULL THEN x.fact_id
                       ELSE coalesce(h.fact_id, left(x.fact_id, 24) || %s) END AS fact_id
             FROM (SELECT article_id, event_id, fact_id, location_country, confidence, true AS is_new FROM _new
                   UNION ALL
                   SELECT article_id, event_id, fact_id, location_country, confidence, false FROM _others) AS x
             LEFT JOIN _home AS h ON h.group_key = left(x.fact_id, 24)""",
        (NO_PLACE,),
    )
    conn.execute(
        """UPDATE fct_event_mention AS m SET fact_id = x.fact_id
             FROM (SELECT article_id, event_id, fact_id FROM _mention
                    WHERE NOT is_new AND fact_id <> stated_fact_id) AS x
            WHERE m.article_id = x.article_id AND m.event_id = x.event_id"""
    )


def _insert_mentions(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> int:
    """The interval's staged events become its mentions, each pointing at its fact."""
    columns = [c for c in MENTION_COLUMNS if c != "fact_id"]
    return max(
        conn.execute(
            f"""INSERT INTO fct_event_mention ({", ".join(columns)}, fact_id)
                SELECT {", ".join(f"s.{c}" for c in columns)}, x.fact_id
                  FROM stg_event AS s
                  JOIN _mention AS x ON x.article_id = s.article_id AND x.event_id = s.event_id AND x.is_new
                 WHERE s.batch_id = %(batch)s
                 ORDER BY s.article_id COLLATE "C", s.event_id COLLATE "C"
            """,
            bounds,
        ).rowcount,
        0,
    )


#: Order of reports within a fact: the earliest published (then landed) article first. Ids are
#: hex digits: byte order (COLLATE "C") is their order in any locale, and the fastest to sort.
_EARLIEST = 'published_at NULLS LAST, landed_at, article_id COLLATE "C", event_id COLLATE "C"'
_BY_FACT = 'fact_id COLLATE "C"'


def _story_articles(conn: psycopg.Connection[Any], table: str, stories: str) -> None:
    """``table`` (story_id, article_id, outlet, published_at, landed_at): every article of each story in ``stories``."""
    conn.execute(
        f"""CREATE TEMP TABLE {table} ON COMMIT DROP AS
            SELECT s.story_id, a.*
              FROM ({stories}) AS s (story_id)
              CROSS JOIN LATERAL (
                  SELECT a.article_id, a.outlet, a.published_at, a.landed_at
                    FROM article AS a WHERE a.cluster_id = s.story_id
                  OFFSET 0) AS a"""
    )


def _rebuild_facts(conn: psycopg.Connection[Any]) -> tuple[int, int]:
    """Recompute every fact of the touched groups from all of its mentions; delete facts left without one.

    The earliest report gives the code, the actors and the evidence; the earliest report
    that names a place gives the location; every report of every copy counts. Only rows
    that change are written. Returns (facts inserted or updated, facts deleted).
    """
    _story_articles(conn, "_story", "SELECT DISTINCT article_id FROM _mention")
    conn.execute(
        f"""CREATE TEMP TABLE _fact ON COMMIT DROP AS
            WITH m AS (
                SELECT m.fact_id, m.article_id, m.event_id, m.location_country, m.confidence,
                       s.published_at, s.landed_at
                  FROM _mention AS m JOIN _story AS s ON s.story_id = m.article_id AND s.article_id = m.article_id
            ), first AS (
                SELECT DISTINCT ON ({_BY_FACT}) fact_id, article_id, event_id FROM m ORDER BY {_BY_FACT}, {_EARLIEST}
            ), placed AS (
                SELECT DISTINCT ON ({_BY_FACT}) fact_id, article_id, event_id
                  FROM m ORDER BY {_BY_FACT}, location_country IS NULL, {_EARLIEST}
            ), stories AS (
                SELECT fact_id, count(DISTINCT article_id) AS num_mentions, max(confidence) AS confidence,
                       array_agg(DISTINCT article_id COLLATE "C" ORDER BY article_id COLLATE "C") AS story_ids
                  FROM m GROUP BY fact_id
            ), reports AS (
                SELECT f.fact_id, count(DISTINCT s.article_id) AS num_articles,
                       count(DISTINCT s.outlet) AS num_sources, min(s.published_at) AS first_published_at,
                       array_agg(DISTINCT s.article_id COLLATE "C" ORDER BY s.article_id COLLATE "C") AS article_ids,
                       coalesce(array_agg(DISTINCT s.outlet COLLATE "C" ORDER BY s.outlet COLLATE "C")
                                FILTER (WHERE s.outlet IS NOT NULL),
                                '{{}}') AS outlets
                  FROM (SELECT DISTINCT fact_id, article_id FROM m) AS f JOIN _story AS s ON s.story_id = f.article_id
                 GROUP BY f.fact_id
            )
            SELECT s.fact_id, o.event_id IS NOT NULL AS is_old,
                   f.article_id AS first_article_id, f.event_id AS first_event_id,
                   p.article_id AS placed_article_id, p.event_id AS placed_event_id,
                   s.confidence, s.num_mentions, r.num_articles, r.num_sources, r.first_published_at,
                   s.story_ids, r.article_ids, r.outlets
              FROM stories AS s JOIN first AS f USING (fact_id) JOIN placed AS p USING (fact_id)
              JOIN reports AS r USING (fact_id) LEFT JOIN _old AS o ON o.event_id = s.fact_id"""
    )
    # Daily dyads to rebuild: those of every fact deleted or written, before and after.
    conn.execute("CREATE TEMP TABLE _dyad (event_date date, source_key text, target_key text) ON COMMIT DROP")
    deleted = conn.execute(
        """WITH gone AS (
               DELETE FROM fct_diplomatic_event AS f USING _old AS o
                WHERE f.event_id = o.event_id AND f.event_date = o.event_date
                  AND NOT EXISTS (SELECT 1 FROM _fact AS n WHERE n.fact_id = o.event_id)
               RETURNING o.event_date, o.source_key, o.target_key)
           INSERT INTO _dyad SELECT * FROM gone"""
    ).rowcount
    columns = ", ".join(FACT_COLUMNS)
    old, new = ", ".join(f"f.{c}" for c in FACT_COLUMNS), ", ".join(f"n.{c}" for c in FACT_COLUMNS)
    inserted = conn.execute(
        f"""WITH written AS (
                INSERT INTO fct_diplomatic_event AS f ({columns})
                SELECT {columns} FROM ({_FACT_ROWS} WHERE NOT n.is_old) AS n ORDER BY event_id COLLATE "C"
                RETURNING f.event_date, {_PARTIES})
            INSERT INTO _dyad SELECT * FROM written"""
    ).rowcount
    # Facts that existed: rewrite the ones whose row changes (each compared with its row by key).
    conn.execute(
        f"""CREATE TEMP TABLE _changed ON COMMIT DROP AS
            SELECT n.* FROM ({_FACT_ROWS} WHERE n.is_old) AS n
             CROSS JOIN LATERAL (
                 SELECT {columns} FROM fct_diplomatic_event AS f
                  WHERE f.event_id = n.event_id AND f.event_date = n.event_date
                 OFFSET 0) AS f
             WHERE ({old}) IS DISTINCT FROM ({new})"""
    )
    conn.execute("ANALYZE _changed")
    conn.execute(
        f"""WITH written AS (
                UPDATE fct_diplomatic_event AS f SET ({columns}) = ({new}) FROM _changed AS n
                 WHERE f.event_id = n.event_id AND f.event_date = n.event_date
                RETURNING f.event_id, f.event_date, {_PARTIES})
            INSERT INTO _dyad
            SELECT event_date, source_key, target_key FROM written
            UNION ALL
            SELECT o.event_date, o.source_key, o.target_key FROM _old AS o JOIN written AS w USING (event_id)"""
    )
    changed = conn.execute("SELECT count(*) FROM _changed").fetchone()
    updated = int(changed[0]) if changed else 0
    return max(inserted, 0) + max(updated, 0), max(deleted, 0)


def _fact_rows_sql() -> str:
    """The new rows of the facts in ``_fact``: the payload of the first report, the place of the placed one.

    The placed report is fetched only when it is another report than the first.
    """
    same = "(n.placed_article_id, n.placed_event_id) = (n.first_article_id, n.first_event_id)"
    place = ", ".join(f"CASE WHEN {same} THEN fm.{c} ELSE pm.{c} END AS {c}" for c in _PLACE)
    return f"""
        SELECT n.fact_id AS event_id, {", ".join(f"fm.{c}" for c in _FIRST)}, {place},
               {", ".join(f"n.{c}" for c in REPORT_COLUMNS)}
          FROM _fact AS n
          CROSS JOIN LATERAL (
              SELECT {", ".join(_FIRST + _PLACE)} FROM fct_event_mention AS m
               WHERE m.article_id = n.first_article_id AND m.event_id = n.first_event_id
              OFFSET 0) AS fm
          LEFT JOIN LATERAL (
              SELECT {", ".join(_PLACE)} FROM fct_event_mention AS m
               WHERE NOT {same} AND m.article_id = n.placed_article_id AND m.event_id = n.placed_event_id
              OFFSET 0) AS pm ON true"""


_FACT_ROWS = _fact_rows_sql()


def _rebuild_dyads(conn: psycopg.Connection[Any]) -> None:
    """Recompute the daily dyad rows of every (day, pair) in ``_dyad`` from their facts; write only changes."""
    conn.execute(
        """CREATE TEMP TABLE _touched_dyad ON COMMIT DROP AS
           SELECT DISTINCT event_date, source_key, target_key FROM _dyad"""
    )
    conn.execute("ANALYZE _touched_dyad")
    # One probe of the party index per (day, pair); a fact counts once, each article and outlet once.
    conn.execute(
        """CREATE TEMP TABLE _dyad_row ON COMMIT DROP AS
           SELECT t.event_date, t.source_key, t.target_key, d.*
             FROM _touched_dyad AS t
             CROSS JOIN LATERAL (
                 SELECT count(*) FILTER (WHERE r.n = 1) AS events,
                        count(*) FILTER (WHERE r.n = 1 AND f.quad_class = 1) AS quad1_events,
                        count(*) FILTER (WHERE r.n = 1 AND f.quad_class = 2) AS quad2_events,
                        count(*) FILTER (WHERE r.n = 1 AND f.quad_class = 3) AS quad3_events,
                        count(*) FILTER (WHERE r.n = 1 AND f.quad_class = 4) AS quad4_events,
                        sum(f.goldstein::numeric(4, 1)) FILTER (WHERE r.n = 1) AS goldstein_sum,
                        count(DISTINCT r.article_id) AS articles, count(DISTINCT r.outlet) AS outlets
                   FROM fct_diplomatic_event AS f
                  CROSS JOIN LATERAL unnest(f.article_ids, f.outlets) WITH ORDINALITY AS r (article_id, outlet, n)
                  WHERE coalesce(f.source_country::text, f.source_cameo) = t.source_key
                    AND coalesce(f.target_country::text, f.target_cameo) = t.target_key
                    AND f.event_date = t.event_date) AS d
            WHERE d.events > 0"""
    )
    columns = ("events", "quad1_events", "quad2_events", "quad3_events", "quad4_events", "goldstein_sum", "articles",
               "outlets")  # fmt: skip
    old, new = ", ".join(f"d.{c}" for c in columns), ", ".join(f"EXCLUDED.{c}" for c in columns)
    conn.execute(
        f"""INSERT INTO agg_dyad_daily AS d (event_date, source_key, target_key, {", ".join(columns)})
            SELECT event_date, source_key, target_key, {", ".join(columns)} FROM _dyad_row
            ON CONFLICT (source_key, target_key, event_date) DO UPDATE
               SET {", ".join(f"{c} = EXCLUDED.{c}" for c in columns)} WHERE ({old}) IS DISTINCT FROM ({new})"""
    )
    conn.execute(
        """DELETE FROM agg_dyad_daily AS d
             USING (SELECT t.* FROM _touched_dyad AS t
                     WHERE NOT EXISTS (SELECT 1 FROM _dyad_row AS r
                                        WHERE (r.event_date, r.source_key, r.target_key)
                                            = (t.event_date, t.source_key, t.target_key))) AS gone
            WHERE (d.event_date, d.source_key, d.target_key) = (gone.event_date, gone.source_key, gone.target_key)"""
    )


def _upsert_dimensions(conn: psycopg.Connection[Any], bounds: dict[str, Any]) -> None:
    """Actors of the interval's events and outlets of its articles (first values seen are kept)."""
    for side in ("source", "target"):
        conn.execute(
            f"""INSERT INTO dim_actor AS d (actor_id, name, title, country, role, cameo)
                SELECT DISTINCT ON ({side}_actor_id) {side}_actor_id, {side}_name, {side}_title, {side}_country,
                       {side}_role, {side}_cameo
                  FROM stg_event WHERE batch_id = %(batch)s
                 ORDER BY {side}_actor_id, {side}_title NULLS LAST
                ON CONFLICT (actor_id) DO UPDATE SET title = EXCLUDED.title
                WHERE d.title IS NULL AND EXCLUDED.title IS NOT NULL""",
            bounds,
        )
    conn.execute(
        """INSERT INTO dim_outlet AS d (outlet, name, country, language)
           SELECT DISTINCT ON (a.outlet) a.outlet, coalesce(f.name, a.site_name), f.country, f.language
             FROM _art AS i JOIN article AS a USING (article_id)
             JOIN raw_article AS r USING (article_id) LEFT JOIN feed AS f ON f.feed_url = r.feed_url
            ORDER BY a.outlet, f.feed_url NULLS LAST
           ON CONFLICT (outlet) DO UPDATE SET name = coalesce(d.name, EXCLUDED.name),
               country = coalesce(d.country, EXCLUDED.country), language = coalesce(d.language, EXCLUDED.language)
           WHERE (d.name IS NULL AND EXCLUDED.name IS NOT NULL) OR (d.country IS NULL AND EXCLUDED.country IS NOT NULL)
              OR (d.language IS NULL AND EXCLUDED.language IS NOT NULL)"""
    )
