"""The policy that decides when an article is a copy of a story already known, and of which.

Three tests, strongest first: the same canonical URL (believed unless the texts clearly
differ), the same normalised text, and similar text (near duplicates, verified on MinHash
signatures among LSH candidates). What the tests need to know of earlier articles comes
through :class:`CopyLookup`, which the warehouse's article store implements: the store reads
and writes, this module decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, Protocol

from communique.dedup.fingerprints import Signature, best_copy, similarity

#: At most this many candidates (those sharing the most bands first) are verified per lookup.
MAX_CANDIDATES = 50
#: A shared rel=canonical URL is believed when the texts are at least this similar (Jaccard or containment).
CANONICAL_MIN_SIMILARITY = 0.3


@dataclass(slots=True)
class DedupCandidate:
    """An article waiting for its story: what the tests compare."""

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


class CopyLookup(Protocol):
    """What the policy reads about earlier, clustered articles (the article store answers)."""

    def same_url_or_text(self, candidate: DedupCandidate) -> CopyMatch | None:
        """The earliest clustered article with the same canonical URL (``canonical``) or text (``exact``)."""

    def same_text(self, candidate: DedupCandidate) -> CopyMatch | None:
        """The earliest clustered article with the candidate's exact text (kind ``exact``)."""

    def signature_of(self, article_id: str) -> Signature | None:
        """The stored near-duplicate signature of an article."""

    def text_hash_of(self, article_id: str) -> str | None:
        """The sha256 of an article's normalised text."""


def match_copy(
    lookup: CopyLookup, candidate: DedupCandidate, signature: Signature | None, near: NearIndex
) -> CopyMatch | None:
    """The story ``candidate`` is a copy of: same canonical URL (when the text agrees), same text, or similar text.

    ``near`` holds the LSH candidates of the batch the candidate belongs to.
    """
    match = lookup.same_url_or_text(candidate)
    if match and match.kind == "canonical" and not canonical_claim_holds(lookup, candidate, match, signature):
        match = lookup.same_text(candidate)
    if match or signature is None:
        return match
    return near.copy_of(candidate.article_id, signature)


def canonical_claim_holds(
    lookup: CopyLookup, candidate: DedupCandidate, match: CopyMatch, signature: Signature | None
) -> bool:
    """Two articles that share a canonical URL are one story unless their texts clearly differ."""
    other = lookup.signature_of(match.article_id)
    if signature is None or other is None or other.scheme != signature.scheme:
        return True  # too short to tell: believe the URL
    if lookup.text_hash_of(match.article_id) == candidate.body_sha256:
        return True
    return similarity(signature, other).score >= CANONICAL_MIN_SIMILARITY


@dataclass(frozen=True, slots=True)
class _Signed:
    signature: Signature
    landed_at: datetime


class NearIndex:
    """The LSH candidates of a batch of signatures, for :meth:`copy_of` lookups while a run clusters the batch.

    The article store fills it (:func:`communique.warehouse.article_store.near_index`) with every
    stored article that shares a band key with a signature of the batch; :meth:`assign` keeps the
    clusters current as the run assigns them.
    """

    def __init__(self) -> None:
        self._articles: dict[str, _Signed] = {}
        self._by_key: dict[int, list[str]] = {}
        self._clusters: dict[str, str] = {}

    def add(
        self, article_id: str, signature: Signature, landed_at: datetime, cluster_id: str | None, keys: Iterable[int]
    ) -> None:
        """Record a stored article found under the band ``keys``."""
        self._articles[article_id] = _Signed(signature, landed_at)
        if cluster_id:
            self._clusters[article_id] = cluster_id
        for key in keys:
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
