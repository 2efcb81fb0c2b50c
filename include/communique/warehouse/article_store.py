"""Cleaned articles and story clusters in the warehouse: reads and writes only.

Which article is a copy of which is decided by :mod:`communique.dedup.matching`; this module
answers its questions (:class:`StoredCopies`) and records its decisions.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from communique.dedup.fingerprints import SIGNATURE_SCHEME, Signature, text_signature
from communique.dedup.matching import CopyMatch, DedupCandidate, NearIndex
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
        cur.executemany(
            _UPSERT,
            [
                (
                    row.article_id, row.article.canonical_url, row.article.url, row.outlet, row.article.title,
                    row.article.text, row.body_sha256, len(row.article.text.split()), row.article.published_at,
                    row.article.published_source, row.article.modified_at, list(row.article.authors),
                    row.article.language, row.article.site_name, row.article.quality,
                    "skipped" if row.skip_reason else "ok", row.skip_reason, row.landed_at,
                )
                for row in rows
            ],
        )  # fmt: skip
    return len(rows)


_CLUSTER_LOCK = 0x64656475  # "dedu": advisory lock key of the deduplication stage


def lock_clusters(conn: psycopg.Connection[Any]) -> None:
    """Serialise deduplication runs until the transaction ends: two workers never cluster at once.

    Two runs clustering concurrently would not see each other's new stories, and a copy and its
    original could found two stories; with the lock the second run sees the first one's clusters.
    """
    conn.execute("SELECT pg_advisory_xact_lock(%s)", (_CLUSTER_LOCK,))


def dedup_candidates(conn: psycopg.Connection[Any], interval: Interval) -> list[DedupCandidate]:
    """The interval's usable articles in landing order (earlier copies found clusters first)."""
    rows = conn.execute(
        """SELECT article_id, canonical_url, body_sha256, cluster_id, landed_at, duplicate_kind FROM article
            WHERE landed_at >= %s AND landed_at < %s AND status = 'ok'
            ORDER BY landed_at, article_id""",
        (interval.start, interval.end),
    ).fetchall()
    return [DedupCandidate(*row) for row in rows]


class StoredCopies:
    """The article store's answers to :class:`communique.dedup.matching.CopyLookup`."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def same_url_or_text(self, candidate: DedupCandidate) -> CopyMatch | None:
        row = self._conn.execute(
            """SELECT cluster_id, CASE WHEN canonical_url = %(url)s THEN 'canonical' ELSE 'exact' END, article_id
                 FROM article
                WHERE article_id <> %(id)s AND cluster_id IS NOT NULL AND status = 'ok'
                  AND (canonical_url = %(url)s OR body_sha256 = %(sha)s)
                ORDER BY landed_at, article_id LIMIT 1""",
            {"id": candidate.article_id, "url": candidate.canonical_url, "sha": candidate.body_sha256},
        ).fetchone()
        return CopyMatch(str(row[0]), str(row[1]), str(row[2])) if row else None

    def same_text(self, candidate: DedupCandidate) -> CopyMatch | None:
        row = self._conn.execute(
            """SELECT cluster_id, article_id FROM article
                WHERE article_id <> %(id)s AND cluster_id IS NOT NULL AND status = 'ok' AND body_sha256 = %(sha)s
                ORDER BY landed_at, article_id LIMIT 1""",
            {"id": candidate.article_id, "sha": candidate.body_sha256},
        ).fetchone()
        return CopyMatch(str(row[0]), "exact", str(row[1])) if row else None

    def signature_of(self, article_id: str) -> Signature | None:
        return signature_of(self._conn, article_id)

    def text_hash_of(self, article_id: str) -> str | None:
        row = self._conn.execute("SELECT body_sha256 FROM article WHERE article_id = %s", (article_id,)).fetchone()
        return str(row[0]) if row and row[0] else None


#: A band key shared by more stored articles than this is boilerplate, not a story: only the most recent count.
_PER_KEY = 100
_KEYS_PER_QUERY = 20_000


def near_index(conn: psycopg.Connection[Any], signatures: Iterable[Signature]) -> NearIndex:
    """The stored articles that share a band key with any of ``signatures`` (one query per 20,000 keys)."""
    index = NearIndex()
    keys = sorted({key for signature in signatures for key in signature.band_keys()})
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        rows = conn.execute(
            """WITH hit AS (
                   SELECT b.signature_id, array_agg(k.key) AS keys
                     FROM unnest(%(keys)s::bigint[]) AS k(key)
                    CROSS JOIN LATERAL (SELECT signature_id FROM article_band WHERE band_key = k.key
                                         ORDER BY signature_id DESC LIMIT %(per_key)s) AS b
                    GROUP BY b.signature_id)
               SELECT s.article_id, s.minhash, s.shingles, s.scheme, a.landed_at, a.cluster_id, hit.keys
                 FROM hit JOIN article_signature AS s USING (signature_id) JOIN article AS a USING (article_id)
                WHERE a.status = 'ok'""",
            {"keys": keys[start : start + _KEYS_PER_QUERY], "per_key": _PER_KEY},
        ).fetchall()
        for article_id, minhash, shingles, scheme, landed_at, cluster_id, hit_keys in rows:
            index.add(article_id, Signature(bytes(minhash), shingles, scheme), landed_at, cluster_id, hit_keys)
    return index


def join_cluster(
    conn: psycopg.Connection[Any],
    article_id: str,
    cluster_id: str,
    kind: str | None,
    similarity: float | None,
    duplicate_of: str | None = None,
) -> None:
    conn.execute(
        """UPDATE article SET cluster_id = %s, duplicate_kind = %s, similarity = %s, duplicate_of = %s
            WHERE article_id = %s""",
        (cluster_id, kind, similarity, duplicate_of, article_id),
    )


def found_cluster(conn: psycopg.Connection[Any], candidate: DedupCandidate) -> None:
    """Make ``candidate`` the representative of a new story cluster named after it."""
    conn.execute(
        """INSERT INTO story_cluster (cluster_id, representative_article_id, first_landed_at)
           VALUES (%s, %s, %s) ON CONFLICT (cluster_id) DO NOTHING""",
        (candidate.article_id, candidate.article_id, candidate.landed_at),
    )
    join_cluster(conn, candidate.article_id, candidate.article_id, None, None)


def refresh_signatures(conn: psycopg.Connection[Any], interval: Interval) -> int:
    """Compute the near-duplicate signature of every usable article of the interval whose text changed.

    Articles whose signature is missing, stale (another text or scheme) get a new one; texts too
    short to sign and articles no longer usable lose theirs. Returns how many were (re)computed.
    """
    bounds = {"start": interval.start, "end": interval.end, "scheme": SIGNATURE_SCHEME}
    conn.execute(
        """DELETE FROM article_signature AS s USING article AS a
            WHERE a.article_id = s.article_id AND a.landed_at >= %(start)s AND a.landed_at < %(end)s
              AND (a.status <> 'ok' OR a.body_sha256 IS DISTINCT FROM s.body_sha256 OR s.scheme <> %(scheme)s)""",
        bounds,
    )
    rows = conn.execute(
        """SELECT a.article_id, a.body_sha256, a.body FROM article AS a
            WHERE a.landed_at >= %(start)s AND a.landed_at < %(end)s AND a.status = 'ok'
              AND a.body_sha256 IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM article_signature AS s WHERE s.article_id = a.article_id)
            ORDER BY a.landed_at, a.article_id""",
        bounds,
    ).fetchall()
    signed = [(str(aid), str(sha), sig) for aid, sha, body in rows if (sig := text_signature(str(body)))]
    store_signatures(conn, signed)
    return len(signed)


def store_signatures(conn: psycopg.Connection[Any], rows: list[tuple[str, str, Signature]]) -> None:
    """Insert or replace signatures: (article_id, body_sha256 of the signed text, signature)."""
    with conn.cursor() as cur:
        cur.executemany(
            """INSERT INTO article_signature (article_id, scheme, body_sha256, shingles, minhash, band_keys)
               VALUES (%s, %s, %s, %s, %s, %s)
               ON CONFLICT (article_id) DO UPDATE SET scheme = EXCLUDED.scheme, body_sha256 = EXCLUDED.body_sha256,
                   shingles = EXCLUDED.shingles, minhash = EXCLUDED.minhash, band_keys = EXCLUDED.band_keys""",
            [(aid, sig.scheme, sha, sig.shingles, sig.minhash, sig.band_keys()) for aid, sha, sig in rows],
        )


def signature_of(conn: psycopg.Connection[Any], article_id: str) -> Signature | None:
    """The stored signature of one article (``None`` when its text is too short or not usable)."""
    row = conn.execute(
        "SELECT minhash, shingles, scheme FROM article_signature WHERE article_id = %s", (article_id,)
    ).fetchone()
    return Signature(bytes(row[0]), int(row[1]), int(row[2])) if row else None


def signatures_in(conn: psycopg.Connection[Any], interval: Interval) -> dict[str, Signature]:
    """Stored signatures of the interval's articles, by article id."""
    rows = conn.execute(
        """SELECT s.article_id, s.minhash, s.shingles, s.scheme
             FROM article_signature AS s JOIN article AS a USING (article_id)
            WHERE a.landed_at >= %s AND a.landed_at < %s""",
        (interval.start, interval.end),
    ).fetchall()
    return {str(r[0]): Signature(bytes(r[1]), int(r[2]), int(r[3])) for r in rows}


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
