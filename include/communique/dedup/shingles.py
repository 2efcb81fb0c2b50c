"""Word shingles of a text as 32-bit hashes, computed with numpy over the text's UTF-8 bytes.

Near-duplicate detection hashes every run of ``SHINGLE_WORDS`` consecutive words. Doing that
word by word in Python costs more than the rest of the fingerprint together, so the words are
found and hashed on the byte array at once:

- the text is NFKC-normalised and case-folded, then encoded as UTF-8;
- word bytes are ASCII letters and digits and every non-ASCII byte, except the bytes of
  punctuation and symbols (Latin-1 punctuation, U+2000-U+2BFF, CJK punctuation, Arabic and
  Devanagari punctuation, variation selectors, the byte order mark, emoji); everything else,
  underscore included, separates words;
- each CJK character (kana, CJK ideographs) is a word of its own, since those scripts do not
  put spaces between words.

A word's hash is a polynomial hash of its bytes, mixed with its length; a shingle's hash is a
polynomial hash of its words' hashes, mixed and cut to 32 bits. :func:`tokens` gives the words
themselves, for tests and for reading.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Words per shingle.
SHINGLE_WORDS = 5
_BYTE_PRIME = 0x100000001B3  # FNV-1 64-bit prime: odd, so invertible modulo 2**64
_WORD_PRIME = 0x9E3779B97F4A7C15 | 1


def tokens(text: str) -> list[str]:
    """The words of ``text`` as shingling sees them (normalised, case-folded)."""
    data, _, starts, ends = _word_spans(text)
    raw = data.tobytes()
    return [raw[s:e].decode("utf-8", "replace") for s, e in zip(starts.tolist(), ends.tolist(), strict=True)]


def word_hashes(text: str) -> npt.NDArray[np.uint64]:
    """One 64-bit hash per word of ``text``, in text order."""
    import numpy as np

    data, word, starts, ends = _word_spans(text)
    if not len(starts):
        return np.zeros(0, dtype=np.uint64)
    positions = np.flatnonzero(word)  # every word byte belongs to exactly one word
    weighted = data[positions].astype(np.uint64) * _powers(len(data), _BYTE_PRIME)[positions]
    firsts = np.searchsorted(positions, starts)
    sums = np.add.reduceat(weighted, firsts)  # sum of b_i * P**i over each word, wrapping modulo 2**64
    hashes = sums * _powers(len(data), pow(_BYTE_PRIME, -1, 2**64))[starts]  # shift each word to P**0
    return _fmix64(hashes ^ (ends - starts).astype(np.uint64))


def shingle_hashes(text: str) -> npt.NDArray[np.uint32]:
    """The distinct 32-bit hashes of the ``SHINGLE_WORDS``-word shingles of ``text``, sorted."""
    import numpy as np

    words = word_hashes(text)
    if not len(words):
        return np.zeros(0, dtype=np.uint32)
    width = min(SHINGLE_WORDS, len(words))
    count = len(words) - width + 1
    combined = words[:count].copy()
    for offset in range(1, width):
        combined = combined * np.uint64(_WORD_PRIME) + words[offset : offset + count]
    values = np.sort((_fmix64(combined) >> np.uint64(32)).astype(np.uint32))
    return values[np.concatenate(([True], values[1:] != values[:-1]))]


def _word_spans(
    text: str,
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.bool_], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """The normalised UTF-8 bytes of ``text``, which are word bytes, and the [start, end) offsets of its words."""
    import numpy as np

    ascii_only = text.isascii()
    if not ascii_only and not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    data = np.frombuffer(text.casefold().encode("utf-8"), dtype=np.uint8)
    word = _word_bytes()[data]
    starts_cjk = None
    if not ascii_only and len(data):
        word &= ~_separator_bytes(data)
        starts_cjk = _cjk_starts(data)
    before = np.concatenate(([False], word[:-1]))
    start = word & ~before
    if starts_cjk is not None and starts_cjk.any():
        after = np.zeros(len(data), dtype=bool)
        after[3:] = starts_cjk[:-3]  # the byte after a 3-byte CJK character starts a new word
        start |= (starts_cjk | after) & word
    starts = np.flatnonzero(start)
    # A word ends at the next non-word byte or at the next word's start, whichever comes first.
    stops = np.append(np.flatnonzero(~word), len(data))
    next_start = np.append(starts[1:], len(data))
    return data, word, starts, np.minimum(stops[np.searchsorted(stops, starts)], next_start)


def _separator_bytes(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Bytes of non-ASCII punctuation and symbols (UTF-8 sequences recognised by their lead byte)."""
    import numpy as np

    d0 = data
    d1 = np.append(data[1:], 0)
    d2 = np.append(data[2:], [0, 0])
    two = (
        ((d0 == 0xC2) & (d1 >= 0xA0))  # U+00A0-U+00BF: no-break space, ¡ « » ° · ¿ ...
        | ((d0 == 0xC3) & ((d1 == 0x97) | (d1 == 0xB7)))  # × ÷
        | ((d0 == 0xD8) & ((d1 == 0x8C) | (d1 == 0x9B) | (d1 == 0x9F)))  # Arabic comma, semicolon, question mark
    )
    three = (
        ((d0 == 0xE2) & (d1 <= 0xAF))  # U+2000-U+2BFF: general punctuation, symbols, arrows, dingbats
        | ((d0 == 0xE3) & (d1 == 0x80))  # U+3000-U+303F: CJK punctuation
        | ((d0 == 0xE0) & (d1 == 0xA5) & ((d2 == 0xA4) | (d2 == 0xA5)))  # Devanagari danda
        | ((d0 == 0xEF) & (d1 == 0xB8) & (d2 <= 0x8F))  # variation selectors
        | ((d0 == 0xEF) & (d1 == 0xBB) & (d2 == 0xBF))  # byte order mark
    )
    four = (d0 == 0xF0) & (d1 == 0x9F)  # U+1F000-U+1FFFF: emoji and pictographs
    marked: npt.NDArray[np.bool_] = two | three | four
    marked[1:] |= (two | three | four)[:-1]
    marked[2:] |= (three | four)[:-2]
    marked[3:] |= four[:-3]
    return marked


def _cjk_starts(data: npt.NDArray[np.uint8]) -> npt.NDArray[np.bool_]:
    """Lead bytes of kana and CJK ideographs (U+3040-U+9FFF, U+F900-U+FAFF)."""
    d0 = data
    d1 = data.copy()
    d1[:-1] = data[1:]
    starts: npt.NDArray[np.bool_] = (
        ((d0 == 0xE3) & (d1 >= 0x81) & (d1 <= 0xBF))
        | ((d0 >= 0xE4) & (d0 <= 0xE9))
        | ((d0 == 0xEF) & (d1 >= 0xA4) & (d1 <= 0xAB))
    )
    return starts


@lru_cache(maxsize=1)
def _word_bytes() -> npt.NDArray[np.bool_]:
    import numpy as np

    table = np.zeros(256, dtype=bool)
    table[ord("0") : ord("9") + 1] = True
    table[ord("a") : ord("z") + 1] = True
    table[0x80:] = True
    return table


_POWERS: dict[int, npt.NDArray[np.uint64]] = {}


def _powers(length: int, base: int) -> npt.NDArray[np.uint64]:
    """``base**i`` modulo 2**64 for i < length (cached, grown by doubling)."""
    import numpy as np

    table = _POWERS.get(base)
    if table is None or len(table) < length:
        size = max(1 << 14, 1 << max(length - 1, 1).bit_length())
        table = np.cumprod(np.full(size, base, dtype=np.uint64), dtype=np.uint64)
        table = np.concatenate((np.ones(1, dtype=np.uint64), table[:-1]))
        _POWERS[base] = table
    return table


def _fmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """MurmurHash3's 64-bit finaliser: spreads a polynomial hash over all bits."""
    import numpy as np

    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xFF51AFD7ED558CCD)
    values = values ^ (values >> np.uint64(33))
    values = values * np.uint64(0xC4CEB9FE1A85EC53)
    return values ^ (values >> np.uint64(33))
