"""Cleaned articles and story clusters in the warehouse."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from communique.deduplication import (
    CANONICAL_MIN_SIMILARITY,
    MAX_CANDIDATES,
    SIGNATURE_SCHEME,
    Signature,
    best_copy,
    similarity,
    text_signature,
)
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


@dataclass(slots=True)
class DedupCandidate:
    article_id: str
    canonical_url: str
    body_sha256: str | None
    cluster_id: str | None
    landed_at: datetime
    duplicate_kind: str | None = None


class CopyMatch(NamedTuple):
    """The story an article joins as a copy, how it matched and the article it matched."""

    cluster_id: str
    kind: str
    article_id: str
    similarity: float = 1.0


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


def find_copy_of(conn: psycopg.Connection[Any], candidate: DedupCandidate) -> CopyMatch | None:
    """The cluster of an earlier article with the same canonical URL or text: (cluster_id, kind, article_id)."""
    row = conn.execute(
        """SELECT cluster_id, CASE WHEN canonical_url = %(url)s THEN 'canonical' ELSE 'exact' END, article_id
             FROM article
            WHERE article_id <> %(id)s AND cluster_id IS NOT NULL AND status = 'ok'
              AND (canonical_url = %(url)s OR body_sha256 = %(sha)s)
            ORDER BY landed_at, article_id LIMIT 1""",
        {"id": candidate.article_id, "url": candidate.canonical_url, "sha": candidate.body_sha256},
    ).fetchone()
    return CopyMatch(str(row[0]), str(row[1]), str(row[2])) if row else None


def _find_exact_copy_of(conn: psycopg.Connection[Any], candidate: DedupCandidate) -> CopyMatch | None:
    row = conn.execute(
        """SELECT cluster_id, article_id FROM article
            WHERE article_id <> %(id)s AND cluster_id IS NOT NULL AND status = 'ok' AND body_sha256 = %(sha)s
            ORDER BY landed_at, article_id LIMIT 1""",
        {"id": candidate.article_id, "sha": candidate.body_sha256},
    ).fetchone()
    return CopyMatch(str(row[0]), "exact", str(row[1])) if row else None


def match_copy(
    conn: psycopg.Connection[Any], candidate: DedupCandidate, signature: Signature | None, near: NearIndex | None = None
) -> CopyMatch | None:
    """The story ``candidate`` is a copy of: same canonical URL (when the text agrees), same text, or similar text.

    ``near`` holds the LSH candidates fetched for a whole batch (:meth:`NearIndex.fetch`); without
    it they are fetched for this article alone.
    """
    match = find_copy_of(conn, candidate)
    if match and match.kind == "canonical" and not _canonical_claim_holds(conn, candidate, match, signature):
        LOGGER.info("rel=canonical of %s not supported by its text; not merged with %s", candidate.article_id,
                    match.article_id)  # fmt: skip
        match = _find_exact_copy_of(conn, candidate)
    if match or signature is None:
        return match
    return (near or NearIndex.fetch(conn, [signature])).copy_of(candidate.article_id, signature)


def _canonical_claim_holds(
    conn: psycopg.Connection[Any], candidate: DedupCandidate, match: CopyMatch, signature: Signature | None
) -> bool:
    """Two articles that share a canonical URL are one story unless their texts clearly differ."""
    other = signature_of(conn, match.article_id)
    if signature is None or other is None or other.scheme != signature.scheme:
        return True  # too short to tell: believe the URL
    row = conn.execute("SELECT body_sha256 FROM article WHERE article_id = %s", (match.article_id,)).fetchone()
    if row and row[0] == candidate.body_sha256:
        return True
    return similarity(signature, other).score >= CANONICAL_MIN_SIMILARITY


@dataclass(frozen=True, slots=True)
class _Signed:
    signature: Signature
    landed_at: datetime


class NearIndex:
    """The LSH candidates of a batch of signatures, fetched with one query, for :meth:`copy_of` lookups.

    It holds every stored article that shares a band key with a signature of the batch (at most
    ``_PER_KEY`` per key, the most recent: a key shared by more is boilerplate, not a story) and
    their story clusters, which :meth:`assign` keeps current while a run clusters the batch.
    """

    _PER_KEY = 100
    _KEYS_PER_QUERY = 20_000

    def __init__(self) -> None:
        self._articles: dict[str, _Signed] = {}
        self._by_key: dict[int, list[str]] = {}
        self._clusters: dict[str, str] = {}

    @classmethod
    def fetch(cls, conn: psycopg.Connection[Any], signatures: Iterable[Signature]) -> NearIndex:
        """Fetch the stored articles that share a band key with any of ``signatures``."""
        index = cls()
        keys = sorted({key for signature in signatures for key in signature.band_keys()})
        for start in range(0, len(keys), cls._KEYS_PER_QUERY):
            index._add(conn, keys[start : start + cls._KEYS_PER_QUERY])
        return index

    def _add(self, conn: psycopg.Connection[Any], keys: list[int]) -> None:
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
            {"keys": keys, "per_key": self._PER_KEY},
        ).fetchall()
        for article_id, minhash, shingles, scheme, landed_at, cluster_id, hit_keys in rows:
            self._articles[article_id] = _Signed(Signature(bytes(minhash), shingles, scheme), landed_at)
            if cluster_id:
                self._clusters[article_id] = cluster_id
            for key in hit_keys:
                self._by_key.setdefault(key, []).append(article_id)

    def assign(self, article_id: str, cluster_id: str) -> None:
        """Record that ``article_id`` now belongs to ``cluster_id`` (it can be matched from now on)."""
        self._clusters[article_id] = cluster_id

    def copy_of(self, article_id: str, signature: Signature) -> CopyMatch | None:
        """The clustered article most similar to ``signature`` among its LSH candidates, if it is a copy.

        The ``MAX_CANDIDATES`` candidates sharing the most band keys are verified on their full
        signatures (ties by landing order), which bounds the work when many articles share boilerplate.
        """
        shared = Counter(other for key in signature.band_keys() for other in self._by_key.get(key, ()))
        shared.pop(article_id, None)
        ranked = sorted(
            (other for other in shared if other in self._clusters),
            key=lambda other: (-shared[other], self._articles[other].landed_at, other),
        )[:MAX_CANDIDATES]
        ranked.sort(key=lambda other: (self._articles[other].landed_at, other))
        best = best_copy(signature, ((other, self._articles[other].signature) for other in ranked))
        if best is None:
            return None
        other, found = best
        return CopyMatch(self._clusters[other], "near", other, round(found.score, 4))


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
