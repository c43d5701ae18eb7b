"""The fetcher against a real local HTTP server: conditional GET, retries, Retry-After, caps, politeness."""

from __future__ import annotations

import itertools
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from monitor.config import FetchSettings
from monitor.ingest.fetch import Fetcher, FetchError, HostGate
from monitor.ingest.httppolicy import parse_retry_after
from tests.sitekit import LocalSite, Reply, Request


def fetcher(**kw: object) -> tuple[Fetcher, list[float]]:
    """A fast fetcher whose backoff sleeps are recorded instead of slept."""
    slept: list[float] = []
    settings = FetchSettings(**{"timeout": 5, "connect_timeout": 2, "min_delay": 0, "backoff": 0.5, **kw})
    return Fetcher(settings, sleep=slept.append), slept


def test_conditional_get_gives_304(site: LocalSite) -> None:
    """A second GET with the ETag of the first is answered 304 and carries no document."""
    site.put("/list", "<html>x</html>", etag='"v1"')
    f, _ = fetcher()
    first = f.get(site.base + "/list")
    assert first.status == 200 and first.etag == '"v1"' and first.doc is not None
    second = f.get(site.base + "/list", etag=first.etag)
    assert second.not_modified and second.doc is None
    assert site.hits("/list")[1].headers["if-none-match"] == '"v1"'


def test_if_modified_since_is_sent(site: LocalSite) -> None:
    """A saved Last-Modified goes back as If-Modified-Since."""
    site.put("/list", "<html>x</html>")
    f, _ = fetcher()
    f.get(site.base + "/list", last_modified="Sat, 21 Nov 2026 10:00:00 GMT")
    assert site.hits("/list")[0].headers["if-modified-since"] == "Sat, 21 Nov 2026 10:00:00 GMT"


def test_5xx_is_retried_with_growing_backoff(site: LocalSite) -> None:
    """Two 503s then a 200: three requests, and the two waits grow exponentially (with jitter)."""
    answers = iter([Reply(b"busy", 503), Reply(b"busy", 502), Reply(b"<html>ok</html>")])
    site.routes["/list"] = lambda req: next(answers)
    f, slept = fetcher(retries=2)
    result = f.get(site.base + "/list")
    assert result.status == 200 and result.attempts == 3
    assert len(slept) == 2
    assert 0.25 <= slept[0] <= 0.5 and 0.5 <= slept[1] <= 1.0


def test_retries_run_out(site: LocalSite) -> None:
    """A server that keeps answering 500 gives a FetchError after retries + 1 attempts."""
    site.put("/list", b"err", status=500)
    f, _slept = fetcher(retries=2)
    with pytest.raises(FetchError) as exc:
        f.get(site.base + "/list")
    assert exc.value.status == 500 and exc.value.attempts == 3 and len(site.hits("/list")) == 3


def test_404_is_not_retried(site: LocalSite) -> None:
    """A 404 fails at once: retrying cannot help."""
    f, slept = fetcher(retries=2)
    with pytest.raises(FetchError, match="404"):
        f.get(site.base + "/missing")
    assert len(site.hits("/missing")) == 1 and slept == []


def test_retry_after_is_returned_not_slept(site: LocalSite) -> None:
    """A 429 with Retry-After fails at once with the delay for the scheduler, without sleeping in the job."""
    site.put("/list", b"slow down", status=429, headers={"Retry-After": "120"})
    f, slept = fetcher(retries=2)
    with pytest.raises(FetchError) as exc:
        f.get(site.base + "/list")
    assert exc.value.kind == "retry_after" and exc.value.retry_after == 120.0
    assert slept == [] and len(site.hits("/list")) == 1


def test_retry_after_http_date_and_cap() -> None:
    """Retry-After as an HTTP date is turned into seconds; huge values are capped; junk is ignored."""
    now = 1_700_000_000.0
    date = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(now + 90))
    assert parse_retry_after(date, now=now) == pytest.approx(90, abs=1)
    assert parse_retry_after("999999", cap=3600) == 3600
    assert parse_retry_after("soon") is None


def test_connection_refused_is_a_network_error() -> None:
    """An unreachable port gives a network FetchError saying the connection was refused."""
    f, slept = fetcher(retries=1)
    with pytest.raises(FetchError) as exc:
        f.get("http://127.0.0.1:9/list")
    assert exc.value.kind == "network" and "connection refused" in str(exc.value) and len(slept) == 1


def test_size_cap(site: LocalSite) -> None:
    """A body larger than max_bytes is refused, with the cap named in the message."""
    site.put("/big", b"x" * 300_000)
    f, _ = fetcher(max_bytes=100_000)
    with pytest.raises(FetchError, match="max_bytes") as exc:
        f.get(site.base + "/big")
    assert exc.value.kind == "too_large"


def test_read_timeout(site: LocalSite) -> None:
    """A server slower than the timeout gives a timeout FetchError, not a hang."""
    site.put("/slow", b"<html></html>", delay=2.0)
    f, _ = fetcher(timeout=0.5, retries=0)
    t0 = time.monotonic()
    with pytest.raises(FetchError) as exc:
        f.get(site.base + "/slow")
    assert exc.value.kind == "timeout" and time.monotonic() - t0 < 1.9


def test_redirect_loop(site: LocalSite) -> None:
    """A redirect loop ends with a clear error."""
    site.put("/a", b"", status=302, headers={"Location": "/b"})
    site.put("/b", b"", status=302, headers={"Location": "/a"})
    f, _ = fetcher()
    with pytest.raises(FetchError, match="redirect"):
        f.get(site.base + "/a")


def test_wrong_charset_declaration_survives(site: LocalSite) -> None:
    """UTF-8 text served as 'ascii' with a stray byte still decodes, the good text intact."""
    site.put("/p", "<html><p>Ch\u00f6ngjin \u2014 ok</p></html>".encode() + b"\xff",
             headers={"Content-Type": "text/html; charset=ascii"})
    f, _ = fetcher()
    doc = f.get(site.base + "/p").doc
    assert doc is not None and "Ch\u00f6ngjin \u2014 ok" in doc.text()


def test_user_agent_is_configurable(site: LocalSite) -> None:
    """The configured User-Agent is sent."""
    site.put("/p", "<html></html>")
    f, _ = fetcher(user_agent="analyst-desk/1.0")
    f.get(site.base + "/p")
    assert site.hits("/p")[0].headers["user-agent"] == "analyst-desk/1.0"


def test_host_gate_spaces_request_starts() -> None:
    """Three requests to one host start at least min_delay apart; another host is not held back."""
    gate = HostGate(concurrency=1, min_delay=0.2)
    starts: list[float] = []
    for _ in range(3):
        gate.acquire("a:80")
        starts.append(time.monotonic())
        gate.release("a:80")
    t0 = time.monotonic()
    gate.acquire("b:80")
    gate.release("b:80")
    assert min(b - a for a, b in itertools.pairwise(starts)) >= 0.19
    assert time.monotonic() - t0 < 0.15  # well under min_delay: b is not held back by a (slack for a loaded CI)


class _UnresolvedNames(httpx.BaseTransport):
    """A transport whose every host name fails to resolve, raised as httpx raises it: a ConnectError from the
    resolver's socket.gaierror (nothing is sent)."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        cause = socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        raise httpx.ConnectError("lookup failed", request=request) from cause


def test_unresolved_host_owes_no_politeness_delay() -> None:
    """A request whose host name does not resolve fails at once, unretried, and the next one to that host
    does not wait min_delay; a request that did reach the host still holds the next one back."""
    waits: list[float] = []
    gate = HostGate(concurrency=1, min_delay=5.0, sleep=waits.append)
    settings = FetchSettings(timeout=5, connect_timeout=2, min_delay=5.0, retries=2)
    f = Fetcher(settings, transport=_UnresolvedNames(), gate=gate, sleep=waits.append)
    for path in ("a", "b", "c"):
        with pytest.raises(FetchError) as exc:
            f.get(f"http://www.example.invalid/{path}")
        assert exc.value.unresolved and exc.value.attempts == 1
        assert "host name not found (DNS)" in str(exc.value)
    assert waits == []
    gate.acquire("www.example.invalid:80")  # a request that went out
    gate.release("www.example.invalid:80")
    gate.acquire("www.example.invalid:80")
    assert len(waits) == 1 and waits[0] > 4.9
    f.close()


def _slow_then_ok(req: Request) -> Reply:
    return Reply(b"<html>ok</html>", delay=0.2)


def test_per_host_concurrency_one(site: LocalSite) -> None:
    """With per_host_concurrency = 1, parallel callers never overlap on one host."""
    from concurrent.futures import ThreadPoolExecutor

    active = {"now": 0, "max": 0}

    def counting(req: Request) -> Reply:
        active["now"] += 1
        active["max"] = max(active["max"], active["now"])
        time.sleep(0.1)
        active["now"] -= 1
        return Reply(b"<html>ok</html>")

    site.routes["/c"] = counting
    f, _ = fetcher(per_host_concurrency=1)
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda _: f.get(site.base + "/c"), range(4)))
    assert active["max"] == 1


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[LocalSite, Path]]:
    """A local HTTPS site with a self-signed certificate for 127.0.0.1, and that certificate's file."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    server_side = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_side.load_cert_chain(cert, key)
    s = LocalSite(tls=server_side)
    yield s, cert
    s.close()


def test_an_untrusted_certificate_is_refused(tls_site: tuple[LocalSite, Path]) -> None:
    """An HTTPS site whose certificate no trusted authority signed is a network error naming the verification
    failure; no request reaches it."""
    site, _cert = tls_site
    site.put("/list", "<html>x</html>")
    f, _ = fetcher(retries=0)
    with pytest.raises(FetchError) as exc:
        f.get(site.base + "/list")
    assert exc.value.kind == "network" and "CERTIFICATE_VERIFY_FAILED" in str(exc.value)
    assert site.hits("/list") == []


def test_tls_trusts_ssl_cert_file(tls_site: tuple[LocalSite, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """With SSL_CERT_FILE naming the site's certificate, as httpx honours it, the HTTPS fetch succeeds."""
    site, cert = tls_site
    site.put("/list", "<html>ok</html>")
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    f, _ = fetcher(retries=0)
    result = f.get(site.base + "/list")
    assert result.status == 200 and result.doc is not None and b"ok" in result.doc.content
