"""Cleaned articles and story clusters in the warehouse."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from communique.models import Article, Interval

if TYPE_CHECKING:
    import psycopg

LOGGER = logging.getLogger(__name__)

_UPSERT = """
INSERT INTO article (article_id, canonical_url, url, outlet, title, body, body_sha256, word_count, published_at,
                     published_source, modified_at, authors, language, site_name, quality, status, skip_reason,
                     landed_at)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (article_id) DO UPDATE SET
    canonical_url = EXCLUDED.canonical_url, url = EXCLUDED.url, outlet = EXCLUDED.outlet,
    title = EXCLUDED.title, body = EXCLUDED.body, body_sha256 = EXCLUDED.body_sha256,
    word_count = EXCLUDED.word_count, published_at = EXCLUDED.published_at,
    published_source = EXCLUDED.published_source, modified_at = EXCLUDED.modified_at,
    authors = EXCLUDED.authors, language = EXCLUDED.language, site_name = EXCLUDED.site_name,
    quality = EXCLUDED.quality, status = EXCLUDED.status, skip_reason = EXCLUDED.skip_reason,
    landed_at = EXCLUDED.landed_at
"""


@dataclass(slots=True)
class CleanedRow:
    """An article as the clean stage stores it."""

    article_id: str
    outlet: str
    landed_at: datetime
    article: Article
    body_sha256: str | None
    skip_reason: str | None = None


def upsert(conn: psycopg.Connection[Any], rows: list[CleanedRow]) -> int:
    """Insert or refresh cleaned articles; their story cluster, once assigned, is kept."""
    with conn.cursor() as cur:
        for row in rows:
            a = row.article
            cur.execute(
                _UPSERT,
                (
                    row.article_id, a.canonical_url, a.url, row.outlet, a.title, a.text, row.body_sha256,
                    len(a.text.split()), a.published_at, a.published_source, a.modified_at, list(a.authors),
                    a.language, a.site_name, a.quality, "skipped" if row.skip_reason else "ok",
                    row.skip_reason, row.landed_at,
                ),
            )  # fmt: skip
    return len(rows)


@dataclass(slots=True)
class DedupCandidate:
    article_id: str
    canonical_url: str
    body_sha256: str | None
    cluster_id: str | None
    landed_at: datetime
    duplicate_kind: str | None = None


def dedup_candidates(conn: psycopg.Connection[Any], interval: Interval) -> list[DedupCandidate]:
    """The interval's usable articles in landing order (earlier copies found clusters first)."""
    rows = conn.execute(
        """SELECT article_id, canonical_url, body_sha256, cluster_id, landed_at, duplicate_kind FROM article
            WHERE landed_at >= %s AND landed_at < %s AND status = 'ok'
            ORDER BY landed_at, article_id""",
        (interval.start, interval.end),
    ).fetchall()
    return [DedupCandidate(*row) for row in rows]


def find_copy_of(conn: psycopg.Connection[Any], candidate: DedupCandidate) -> tuple[str, str] | None:
    """The cluster of an earlier article with the same canonical URL or text: (cluster_id, kind)."""
    row = conn.execute(
        """SELECT cluster_id, CASE WHEN canonical_url = %(url)s THEN 'canonical' ELSE 'exact' END
             FROM article
            WHERE article_id <> %(id)s AND cluster_id IS NOT NULL AND status = 'ok'
              AND (canonical_url = %(url)s OR body_sha256 = %(sha)s)
            ORDER BY landed_at, article_id LIMIT 1""",
        {"id": candidate.article_id, "url": candidate.canonical_url, "sha": candidate.body_sha256},
    ).fetchone()
    return (str(row[0]), str(row[1])) if row else None


def join_cluster(
    conn: psycopg.Connection[Any],
    article_id: str,
    cluster_id: str,
    kind: str | None,
    similarity: float | None,
) -> None:
    conn.execute(
        "UPDATE article SET cluster_id = %s, duplicate_kind = %s, similarity = %s WHERE article_id = %s",
        (cluster_id, kind, similarity, article_id),
    )


def found_cluster(conn: psycopg.Connection[Any], candidate: DedupCandidate) -> None:
    """Make ``candidate`` the representative of a new story cluster named after it."""
    conn.execute(
        """INSERT INTO story_cluster (cluster_id, representative_article_id, first_landed_at)
           VALUES (%s, %s, %s) ON CONFLICT (cluster_id) DO NOTHING""",
        (candidate.article_id, candidate.article_id, candidate.landed_at),
    )
    join_cluster(conn, candidate.article_id, candidate.article_id, None, None)


@dataclass(slots=True)
class Representative:
    article_id: str
    cluster_id: str
    body: str
    published: datetime


def representatives(conn: psycopg.Connection[Any], interval: Interval) -> list[Representative]:
    """Story representatives that landed in ``interval``: the texts to extract events from."""
    rows = conn.execute(
        """SELECT a.article_id, a.cluster_id, a.body, coalesce(a.published_at, a.landed_at)
             FROM article AS a JOIN story_cluster AS c ON c.representative_article_id = a.article_id
            WHERE a.landed_at >= %s AND a.landed_at < %s AND a.status = 'ok'
            ORDER BY a.landed_at, a.article_id""",
        (interval.start, interval.end),
    ).fetchall()
    return [Representative(str(r[0]), str(r[1]), str(r[2]), r[3]) for r in rows]
