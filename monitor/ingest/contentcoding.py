"""Undoing Content-Encoding (gzip, deflate, any number of layers) in bounded pieces.

httpx inflates a whole network chunk at once: one 13 KB chunk of gzip inside gzip can become gigabytes before
anyone counts it. Here each layer hands on at most `PIECE` bytes at a time and keeps the input it has not yet
inflated, so the caller counts the decoded bytes as they are produced and stops at its cap with only a few
pieces in memory.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Iterable, Iterator

PIECE = 64 * 1024  # most bytes one layer produces before handing them on
ACCEPT_ENCODING = "gzip, deflate"
_IDENTITY = frozenset({"", "identity"})
_UNSUPPORTED = frozenset({"br", "zstd", "compress", "x-compress"})


class DecodingError(Exception):
    """The body is not valid for its Content-Encoding, or uses one this fetcher does not speak."""


def codings(header: str | None) -> list[str]:
    """The Content-Encoding layers in the order they were applied (lower-cased, identity dropped).

    An encoding this module does not know at all is taken as identity, as httpx does (some servers name
    a charset there); a known compression it cannot undo (br, zstd, compress) is a DecodingError.
    """
    layers = []
    for token in (header or "").split(","):
        name = token.strip().lower()
        if name in _UNSUPPORTED:
            raise DecodingError(f"unsupported Content-Encoding {name!r} (accepted: {ACCEPT_ENCODING})")
        if name in ("gzip", "x-gzip", "deflate"):
            layers.append("gzip" if name == "x-gzip" else name)
        elif name not in _IDENTITY:
            continue
    return layers


def decoded(raw: Iterable[bytes], layers: list[str], piece: int = PIECE) -> Iterator[bytes]:
    """The body under `layers` (as from `codings`), decoded lazily, no piece longer than `piece` bytes."""
    stream: Iterator[bytes] = iter(raw)
    for layer in reversed(layers):  # the last applied is undone first
        stream = _inflate(stream, layer, piece)
    return stream


def _inflate(source: Iterator[bytes], layer: str, piece: int) -> Iterator[bytes]:
    """One layer undone: bounded output per call, unconsumed input carried over."""
    if layer == "deflate":
        source, wbits = _deflate_flavour(source)
    else:
        wbits = zlib.MAX_WBITS | 16
    inflater = zlib.decompressobj(wbits)
    for data in source:
        while data:
            if inflater.eof:
                if layer != "gzip" or data[:1] != b"\x1f":
                    break  # bytes after the end of the stream are ignored, as browsers do
                inflater = zlib.decompressobj(wbits)  # another gzip member follows
            try:
                out = inflater.decompress(data, piece)
            except zlib.error as exc:
                raise DecodingError(f"bad {layer} data: {exc}") from None
            data = inflater.unused_data if inflater.eof else inflater.unconsumed_tail
            if out:
                yield out
            while len(out) == piece and not data and not inflater.eof:
                out = inflater.decompress(b"", piece)  # output still held inside the inflater
                if out:
                    yield out
    if not inflater.eof:
        try:
            tail = inflater.flush()  # no input is left, so this is at most a window's worth
        except zlib.error as exc:
            raise DecodingError(f"bad {layer} data: {exc}") from None
        if tail:
            yield tail


def _deflate_flavour(source: Iterator[bytes]) -> tuple[Iterator[bytes], int]:
    """Whether a "deflate" body has its zlib header (as the standard says) or is raw deflate (as some servers
    send it), judged on its first two bytes; the stream is handed back whole."""
    head = b""
    for data in source:
        head += data
        if len(head) >= 2:
            break
    zlib_header = len(head) >= 2 and head[0] & 0x0F == 8 and (head[0] << 8 | head[1]) % 31 == 0
    return itertools.chain((head,), source), zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS
