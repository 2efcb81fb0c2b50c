"""Incremental, bounded decoding of HTTP content codings (gzip, deflate, br, zstd).

Every decoder is a generator from compressed chunks to decoded chunks of about
:data:`CHUNK` bytes at most (brotli may overshoot by half), whatever the input: a
300-byte brotli bomb that expands to gigabytes comes out 64 KiB at a time, so the caller,
which counts decoded bytes against its cap and stops pulling, never holds more than the
cap plus one chunk.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence

import brotli
import zstandard

from communique.errors import DecompressionError

CHUNK = 64 * 1024
#: RFC 9659: a zstd content coding must not need a window above 8 MiB.
ZSTD_MAX_WINDOW = 8 * 1024 * 1024
ACCEPT_ENCODING = "gzip, deflate, br, zstd"


def parse_content_encoding(header: str | None) -> list[str]:
    """The codings of a ``Content-Encoding`` header in the order they were applied."""
    codings = [c.strip().lower() for c in (header or "").split(",") if c.strip()]
    codings = [c for c in codings if c != "identity"]
    for coding in codings:
        if coding not in _DECODERS:
            raise DecompressionError(f"unsupported content-encoding {coding!r}")
    return codings


def decode_stream(raw: Iterable[bytes], codings: Sequence[str]) -> Iterator[bytes]:
    """Undo ``codings`` (as from :func:`parse_content_encoding`) on a stream of chunks, lazily."""
    stream: Iterator[bytes] = iter(raw)
    for coding in reversed(codings):
        stream = _DECODERS[coding](stream)
    return stream


def _zlib_decoder(source: Iterator[bytes], wbits: int) -> Iterator[bytes]:
    """Decode zlib/gzip/raw deflate data, including concatenated gzip members."""
    decoder = zlib.decompressobj(wbits)
    try:
        for chunk in source:
            data = chunk
            while True:
                out = decoder.decompress(data, CHUNK)
                if out:
                    yield out
                if decoder.eof:
                    data = decoder.unused_data
                    if not data.startswith(b"\x1f\x8b"):
                        break  # trailing padding after the last member: ignore it
                    decoder = zlib.decompressobj(wbits)
                    continue
                data = decoder.unconsumed_tail
                if not data and len(out) < CHUNK:
                    break
        tail = decoder.flush()
    except zlib.error as exc:
        raise DecompressionError(f"corrupt deflate data: {exc}") from exc
    if tail:
        yield tail[:CHUNK]


def _gzip(source: Iterator[bytes]) -> Iterator[bytes]:
    # 32 + 15: accept gzip or zlib headers; some servers mislabel one as the other.
    return _zlib_decoder(source, 32 + zlib.MAX_WBITS)


def _deflate(source: Iterator[bytes]) -> Iterator[bytes]:
    """``deflate`` should be zlib-wrapped (RFC 9110) but is sometimes raw deflate."""
    first = b""
    for chunk in source:
        first += chunk
        if len(first) >= 2:
            break
    zlib_wrapped = len(first) >= 2 and first[0] & 0x0F == 8 and (first[0] << 8 | first[1]) % 31 == 0

    def chained() -> Iterator[bytes]:
        yield first
        yield from source

    return _zlib_decoder(chained(), zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)


def _brotli(source: Iterator[bytes]) -> Iterator[bytes]:
    decoder = brotli.Decompressor()
    try:
        for data in source:
            yield decoder.process(data, output_buffer_limit=CHUNK)
            while not decoder.can_accept_more_data():
                yield decoder.process(b"", output_buffer_limit=CHUNK)
        while not decoder.is_finished():
            out = decoder.process(b"", output_buffer_limit=CHUNK)
            if not out:
                break
            yield out
        if not decoder.is_finished():
            raise DecompressionError("truncated brotli stream")
    except brotli.error as exc:
        raise DecompressionError(f"corrupt brotli data: {exc}") from exc


class _ChunkReader:
    """A ``read(size)`` view of a chunk iterator, for zstandard's pull-based reader."""

    def __init__(self, source: Iterator[bytes]) -> None:
        self._source = source
        self._buffer = b""

    def read(self, size: int = -1) -> bytes:
        while not self._buffer:
            chunk = next(self._source, None)
            if chunk is None:
                return b""
            self._buffer = chunk
        size = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _zstd(source: Iterator[bytes]) -> Iterator[bytes]:
    decompressor = zstandard.ZstdDecompressor(max_window_size=ZSTD_MAX_WINDOW)
    source_file = _ChunkReader(source)
    reader = decompressor.stream_reader(source_file, read_size=16 * 1024, read_across_frames=True)  # type: ignore[arg-type]  # any object with read() will do
    try:
        while chunk := reader.read(CHUNK):
            yield chunk
    except zstandard.ZstdError as exc:
        raise DecompressionError(f"corrupt zstd data: {exc}") from exc


_DECODERS: dict[str, Callable[[Iterator[bytes]], Iterator[bytes]]] = {
    "gzip": _gzip,
    "x-gzip": _gzip,
    "deflate": _deflate,
    "br": _brotli,
    "zstd": _zstd,
}
