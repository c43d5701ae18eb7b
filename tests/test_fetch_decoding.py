"""Content-Encoding against a real local server: every layer decoded, bombs stopped at max_bytes in bounded memory."""

from __future__ import annotations

import gzip
import time
import tracemalloc
import zlib
from collections.abc import Iterator

import pytest

from monitor.config import FetchSettings
from monitor.ingest.contentcoding import DecodingError, codings, decoded
from monitor.ingest.decoding import decode_html, sniff_charset
from monitor.ingest.fetch import Fetcher, FetchError
from tests.sitekit import LocalSite

PAGE = ("<html><body><main><article><h1>Orchard News</h1>"
        + "<p>Apples and pears were picked in the county orchards this week.</p>" * 2000
        + "</article></main></body></html>").encode()


def fetcher(**kw: object) -> Fetcher:
    """A fast fetcher with no retries."""
    return Fetcher(FetchSettings(**{"timeout": 20, "connect_timeout": 2, "min_delay": 0, "retries": 0, **kw}))


def serve(site: LocalSite, body: bytes, encoding: str) -> str:
    """Serve `body` at /p with `encoding` as its Content-Encoding; the URL."""
    site.put("/p", body, headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": encoding})
    return site.base + "/p"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """1 GiB of zeros gzipped twice (a couple of KB on the wire)."""
    inner = zlib.compressobj(9, zlib.DEFLATED, 31)
    once = b"".join(inner.compress(bytes(1 << 20)) for _ in range(1024)) + inner.flush()
    return gzip.compress(once, 9)


@pytest.mark.parametrize(("encoding", "encode"), [
    ("gzip", gzip.compress),
    ("x-gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as some servers send it
    ("gzip, gzip", lambda b: gzip.compress(gzip.compress(b))),
    ("deflate, gzip", lambda b: gzip.compress(zlib.compress(b))),
    ("gzip", lambda b: gzip.compress(b[:5000]) + gzip.compress(b[5000:])),  # two gzip members
    ("identity", lambda b: b),
    ("utf-8", lambda b: b),  # a charset where an encoding belongs: taken as identity, as httpx does
])
def test_each_encoding_is_decoded(site: LocalSite, encoding: str, encode: object) -> None:
    """A page served under each Content-Encoding (and stack of them) comes back byte for byte."""
    url = serve(site, encode(PAGE), encoding)  # type: ignore[operator]
    with fetcher() as f:
        doc = f.get(url).doc
    assert doc is not None and doc.content == PAGE


def test_accept_encoding_names_only_what_is_decoded(site: LocalSite) -> None:
    """The request offers gzip and deflate only (no br or zstd, which would arrive undecodable)."""
    site.put("/p", PAGE)
    with fetcher() as f:
        f.get(site.base + "/p")
    assert site.hits("/p")[0].headers["accept-encoding"] == "gzip, deflate"


def test_unsupported_compression_is_an_error(site: LocalSite) -> None:
    """A body in br (never asked for) fails with a clear error instead of reaching the parser as noise."""
    url = serve(site, b"\x8b\x02\x80hello\x03", "br")
    with fetcher() as f, pytest.raises(FetchError, match="unsupported Content-Encoding 'br'"):
        f.get(url)


def test_corrupt_gzip_is_an_error(site: LocalSite) -> None:
    """A body that is not gzip though it says so fails with a decoding error, not a traceback."""
    url = serve(site, b"this is not gzip at all", "gzip")
    with fetcher() as f, pytest.raises(FetchError, match="cannot decode"):
        f.get(url)


def test_decoded_size_is_capped(site: LocalSite) -> None:
    """A small gzip body that inflates past max_bytes fails too_large, the cap named."""
    url = serve(site, gzip.compress(bytes(3_000_000)), "gzip")
    with fetcher(max_bytes=1_000_000) as f, pytest.raises(FetchError, match="max_bytes") as exc:
        f.get(url)
    assert exc.value.kind == "too_large"


def test_nested_gzip_bomb_stays_bounded(site: LocalSite, bomb: bytes) -> None:
    """1 GiB of zeros gzipped twice stops at max_bytes (10 MiB) as too_large, with under 100 MB at peak."""
    url = serve(site, bomb, "gzip, gzip")
    with fetcher(max_bytes=10 * 1024 * 1024) as f:
        tracemalloc.start()
        try:
            with pytest.raises(FetchError) as exc:
                f.get(url)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert exc.value.kind == "too_large"
    assert peak < 100 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"


def test_each_piece_is_bounded(bomb: bytes) -> None:
    """The decoder never hands on more than one piece at a time, even from one 13 KB chunk of a nested bomb."""
    chunks: Iterator[bytes] = iter([bomb[i:i + 13_000] for i in range(0, len(bomb), 13_000)])
    total = 0
    for piece in decoded(chunks, codings("gzip, gzip"), piece=4096):
        assert len(piece) <= 4096
        total += len(piece)
        if total > 50_000_000:
            break
    assert total > 50_000_000


def test_codings_reads_the_header() -> None:
    """Layers come in the order applied, identity and unknown names dropped; br is refused."""
    assert codings("gzip, deflate") == ["gzip", "deflate"]
    assert codings(" X-GZIP ,identity") == ["gzip"]
    assert codings(None) == []
    with pytest.raises(DecodingError):
        codings("gzip, br")


@pytest.mark.parametrize("page", [
    b"<meta" * 20_000, b"<meta charset=" + b" " * 100_000, b'<meta charset="' + b" " * 100_000,
    b"<meta " + b"charset " * 20_000, b"<meta" + b" charset= " * 10_000, b"<meta " + b"c" * 100_000,
])
def test_meta_charset_sniffing_is_fast_on_hostile_pages(page: bytes) -> None:
    """The <meta charset> search takes milliseconds on 100 KB built to make a regular expression backtrack."""
    t0 = time.perf_counter()
    sniff_charset(page)
    decode_html(page)
    assert time.perf_counter() - t0 < 0.1


def test_meta_charset_is_found() -> None:
    """The charset of a <meta> tag is found in its usual spellings."""
    assert sniff_charset(b'<meta charset="windows-1252">') == "cp1252"
    assert sniff_charset(b"<META http-equiv='Content-Type' content='text/html; charset=EUC-KR'>") == "euc_kr"
    assert sniff_charset(b'<meta charset = " utf-8">') == "utf-8"
    assert sniff_charset(b"<meta name=x><meta charset=koi8-r>") == "koi8-r"
    assert sniff_charset(b"<p>charset=latin-1</p>") is None
