"""Text fingerprints: the exact hash of normalised text and the MinHash signature of near copies.

Similar text is measured on word shingles (5 consecutive words) with MinHash (datasketch, 128
permutations); signatures are stored with their LSH band keys (20 bands of 2 values) so that
candidates are found with an index lookup, then verified on the full signature: estimated Jaccard
similarity, or estimated containment when one text is a shortened copy of the other. The
thresholds and their reasons are in ``docs/deduplication.md``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

from communique.dedup.shingles import shingle_hashes

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from datasketch import MinHash

T = TypeVar("T")
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Text reduced to lower-case words, for exact-duplicate hashing."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def text_fingerprint(text: str) -> str | None:
    """sha256 of the normalised text; ``None`` for text with no words."""
    normal = normalise_text(text)
    return hashlib.sha256(normal.encode("utf-8")).hexdigest() if normal else None


#: Version of the signature recipe (tokens, shingles, hashes, permutations). Stored with each
#: signature; a signature of another scheme is recomputed, never compared.
SIGNATURE_SCHEME = 1
#: MinHash permutations (values per signature).
NUM_PERM = 128
#: LSH banding: BANDS bands of ROWS values each; two texts become candidates when one band is equal.
#: With 20 x 2, a pair with Jaccard 0.4 becomes a candidate with probability 0.97, at 0.5 with 0.997.
LSH_BANDS = 20
LSH_ROWS = 2
_MINHASH_SEED = 7_2025
#: Texts with fewer shingles get no signature: too short to tell a copy from a template.
MIN_SHINGLES = 25
#: Copies by Jaccard similarity: at least this share of the two texts' shingles is common.
NEAR_JACCARD = 0.5
#: Copies by containment: this share of the shorter text is in the longer one (truncated or padded
#: copies), when the shorter text has at least CONTAINMENT_MIN_SHINGLES shingles and the longer one
#: at most CONTAINMENT_MAX_RATIO times as many (a roundup that quotes a whole story is not its copy).
NEAR_CONTAINMENT = 0.8
CONTAINMENT_MIN_SHINGLES = 50
CONTAINMENT_MAX_RATIO = 3.0

_AGENCIES = (
    r"Reuters|AP|AFP|Bloomberg|dpa|DPA|ANI|IANS|PTI|UNI|Xinhua|UPI|TASS|Kyodo|Yonhap|ANSA|EFE|CNN|BBC|"
    r"Thomson Reuters|Associated Press|Agence France-Presse"
)
_DATELINE = re.compile(
    rf"^\s*(?:[A-Z][\w.'’\- ]{{0,40}}?(?:,\s*[\w.'’\- ]{{1,30}}?)?\s*)?\((?:{_AGENCIES})\)\s*[-—–:]*\s*"
    r"|^\s*[A-Z][A-Z.'’\- ]{2,40}(?:,\s*[A-Z][\w.'’\- ]{1,30})?\s*(?:[—–]|--)\s+"
)
_CREDIT_PARAGRAPHS = 3  # credit and copyright lines are looked for among the last paragraphs
_CREDIT_ROLE = r"(?:additional )?(?:reporting|writing|editing|compiled|produced|graphics) by"
_CREDIT = re.compile(
    rf"^(?:\(\s*{_CREDIT_ROLE}\b[^()]{{0,300}}\)"  # (Reporting by A in Kabul; Editing by B)
    rf"|{_CREDIT_ROLE} [^.;]{{1,80}}(?:;\s*{_CREDIT_ROLE} [^.;]{{1,80}})+\.?"  # Reporting by A; Editing by B
    r"|©.{0,200}|copyright \d{4}.{0,200}|(?:all rights reserved|this material may not be published).{0,200})$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Signature:
    """MinHash signature of a text: ``NUM_PERM`` little-endian uint32 values and the shingle count."""

    minhash: bytes
    shingles: int
    scheme: int = SIGNATURE_SCHEME

    def values(self) -> npt.NDArray[np.uint32]:
        import numpy as np

        return np.frombuffer(self.minhash, dtype="<u4")

    def band_keys(self) -> list[int]:
        """The LSH keys of the signature: one signed 64-bit hash per band, the band's number included."""
        keys = []
        for band in range(LSH_BANDS):
            chunk = self.minhash[band * LSH_ROWS * 4 : (band + 1) * LSH_ROWS * 4]
            digest = hashlib.blake2b(bytes((self.scheme, band)) + chunk, digest_size=8).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys


@dataclass(frozen=True, slots=True)
class Similarity:
    """Estimated overlap of two texts' shingle sets (sizes are shingle counts)."""

    jaccard: float
    containment: float
    smaller: int
    larger: int

    @property
    def containment_applies(self) -> bool:
        """Containment is evidence for a long enough shorter text inside a text not many times longer."""
        return self.smaller >= CONTAINMENT_MIN_SHINGLES and self.larger <= CONTAINMENT_MAX_RATIO * self.smaller

    @property
    def score(self) -> float:
        """The similarity recorded for a copy: Jaccard when that alone makes it one, else the containment."""
        if self.jaccard >= NEAR_JACCARD or not self.containment_applies:
            return self.jaccard
        return self.containment

    def is_copy(self) -> bool:
        """Near duplicates: most shingles shared, or (nearly) all of the shorter text inside the longer one."""
        return self.jaccard >= NEAR_JACCARD or (self.containment_applies and self.containment >= NEAR_CONTAINMENT)


def shingle_text(text: str) -> str:
    """The part of ``text`` that is shingled: body paragraphs without agency datelines and credit lines.

    ``WASHINGTON (Reuters) -`` and ``(Reporting by ...; Editing by ...)`` differ between copies
    of one wire story and are common to unrelated ones, so they are not evidence either way.
    """
    paragraphs = [p for p in text.split("\n") if p.strip()]
    if not paragraphs:
        return ""
    paragraphs[0] = _DATELINE.sub("", paragraphs[0], count=1)
    tail = [p for p in paragraphs[-_CREDIT_PARAGRAPHS:] if not _CREDIT.match(p.strip())]
    return "\n".join(paragraphs[:-_CREDIT_PARAGRAPHS] + tail)


def text_signature(text: str) -> Signature | None:
    """The near-duplicate signature of a cleaned article text; ``None`` when it is too short to judge."""
    hashes = shingle_hashes(shingle_text(text))
    if len(hashes) < MIN_SHINGLES:
        return None
    return Signature(minhash_values(hashes).astype("<u4").tobytes(), len(hashes))


def minhash_values(hashes: npt.NDArray[np.uint32]) -> npt.NDArray[np.uint32]:
    """MinHash of 32-bit element hashes: datasketch's ``MinHash(scheme="affine32")``, our seed.

    The permutations are drawn once per process (:func:`_empty_minhash`); each text updates a
    copy of that empty MinHash, as ``MinHash.generator`` does.
    """
    minhash = _empty_minhash().copy()
    minhash.update_batch(hashes.tolist())
    values: npt.NDArray[np.uint32] = minhash.hashvalues
    return values


@lru_cache(maxsize=1)
def _empty_minhash() -> MinHash:
    """An empty MinHash of our scheme: drawing its permutations costs more than hashing a text."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=_MINHASH_SEED, scheme="affine32", hashfunc=int)


def similarity(a: Signature, b: Signature) -> Similarity:
    """Estimated Jaccard similarity and containment (of the smaller set in the larger) of two texts."""
    if a.scheme != b.scheme:
        raise ValueError(f"signatures of different schemes cannot be compared: {a.scheme} and {b.scheme}")
    jaccard = float((a.values() == b.values()).mean())
    smaller, larger = sorted((a.shingles, b.shingles))
    common = jaccard * (a.shingles + b.shingles) / (1.0 + jaccard)
    return Similarity(jaccard, min(1.0, common / smaller), smaller, larger)


def best_copy(signature: Signature, candidates: Iterable[tuple[T, Signature]]) -> tuple[T, Similarity] | None:
    """The candidate that ``signature`` is most clearly a copy of, if any.

    Among the candidates it is a copy of, the one with the highest Jaccard similarity (the
    closest text), the first in ``candidates`` on ties (callers pass them in landing order).
    """
    best: tuple[T, Similarity] | None = None
    for key, other in candidates:
        if other.scheme != signature.scheme:
            continue
        found = similarity(signature, other)
        if found.is_copy() and (best is None or found.jaccard > best[1].jaccard):
            best = (key, found)
    return best
