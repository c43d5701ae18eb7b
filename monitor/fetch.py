"""HTTP fetching shared by every adapter: per-host politeness, conditional GET, retry, time and size caps.

All cross-cutting HTTP behaviour lives here; nothing else in the project opens a connection to a site.
"""

from __future__ import annotations

import email.utils
import os
import random
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

from monitor.config import FetchSettings
from monitor.models import Document

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
ErrorKind = Literal["network", "timeout", "http", "too_large", "redirects", "retry_after"]


class FetchError(Exception):
    """A fetch that failed after its retries; `kind` says what went wrong, `retry_after` when to come back."""

    def __init__(self, kind: ErrorKind, message: str, *, status: int | None = None,
                 retry_after: float | None = None, attempts: int = 1, unresolved: bool = False) -> None:
        super().__init__(message)
        self.kind = kind
        self.unresolved = unresolved  # the host name did not resolve: nothing reached the host
        self.status = status
        self.retry_after = retry_after
        self.attempts = attempts


@dataclass(frozen=True)
class FetchResult:
    """A successful fetch: a document, or None when the server answered 304 Not Modified."""

    url: str
    status: int
    doc: Document | None
    etag: str | None
    last_modified: str | None
    attempts: int
    elapsed: float

    @property
    def not_modified(self) -> bool:
        """True when the server said the page has not changed since the last fetch."""
        return self.status == 304


def parse_retry_after(value: str | None, *, now: float | None = None, cap: float = 3600.0) -> float | None:
    """Seconds to wait from a Retry-After header (delay-seconds or HTTP-date), capped; None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), cap)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = when.timestamp() - (time.time() if now is None else now)
    return min(max(delta, 0.0), cap)


def host_key(url: str) -> str:
    """The politeness key of a URL: host and port."""
    parts = urlsplit(url)
    return f"{(parts.hostname or '').lower()}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


@dataclass
class _HostSlot:
    semaphore: threading.BoundedSemaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0


class HostGate:
    """Per-host concurrency limit and minimum delay between the starts of two requests to one host."""

    def __init__(self, concurrency: int, min_delay: float, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self._concurrency = concurrency
        self._min_delay = min_delay
        self._slots: dict[str, _HostSlot] = {}
        self._lock = threading.Lock()
        self._clock = clock
        self._sleep = sleep

    def _slot(self, host: str) -> _HostSlot:
        with self._lock:
            slot = self._slots.get(host)
            if slot is None:
                slot = self._slots[host] = _HostSlot(threading.BoundedSemaphore(self._concurrency))
            return slot

    def acquire(self, host: str) -> float:
        """Block until a request to `host` may start; return its start time (for `unused`)."""
        slot = self._slot(host)
        slot.semaphore.acquire()
        with slot.lock:
            now = self._clock()
            start = max(now, slot.next_start)
            slot.next_start = start + self._min_delay
        if start > now:
            self._sleep(start - now)
        return start

    def unused(self, host: str, start: float) -> None:
        """The request that started at `start` never reached the host (its name did not resolve): the next
        one need not wait the delay, unless another request has started since."""
        slot = self._slot(host)
        with slot.lock:
            if slot.next_start == start + self._min_delay:
                slot.next_start = start

    def release(self, host: str) -> None:
        """Mark a request to `host` finished."""
        self._slot(host).semaphore.release()


class DeferredTrustContext(ssl.SSLContext):
    """A verifying client TLS context that reads its CA certificates at its first handshake, not when made.

    The state-media sites are plain HTTP: a run that never speaks TLS does not pay for reading the bundle
    (some 50 ms at every start). Trust is what httpx would use: `SSL_CERT_FILE`, `SSL_CERT_DIR`, else certifi.
    """

    def __new__(cls) -> DeferredTrustContext:
        return super().__new__(cls, ssl.PROTOCOL_TLS_CLIENT)  # verify_mode CERT_REQUIRED, check_hostname on

    def __init__(self) -> None:
        super().__init__()
        self._trust_lock = threading.Lock()
        self._trusted = False

    def load_trust(self) -> None:
        """Read the CA certificates now (once)."""
        with self._trust_lock:
            if self._trusted:
                return
            if os.environ.get("SSL_CERT_FILE"):
                self.load_verify_locations(cafile=os.environ["SSL_CERT_FILE"])
            elif os.environ.get("SSL_CERT_DIR"):
                self.load_verify_locations(capath=os.environ["SSL_CERT_DIR"])
            else:
                import certifi

                self.load_verify_locations(cafile=certifi.where())
            self._trusted = True

    def wrap_socket(self, *args: Any, **kwargs: Any) -> ssl.SSLSocket:
        """Load the trust, then wrap as usual."""
        self.load_trust()
        return super().wrap_socket(*args, **kwargs)

    def wrap_bio(self, *args: Any, **kwargs: Any) -> ssl.SSLObject:
        """Load the trust, then wrap as usual (TLS through an HTTPS proxy)."""
        self.load_trust()
        return super().wrap_bio(*args, **kwargs)


class Fetcher:
    """Polite HTTP GETs with conditional requests, bounded retries, a total deadline and a size cap."""

    def __init__(self, settings: FetchSettings, *, transport: httpx.BaseTransport | None = None,
                 gate: HostGate | None = None, sleep: Callable[[float], None] = time.sleep,
                 rng: random.Random | None = None) -> None:
        self.settings = settings
        self.gate = gate or HostGate(settings.per_host_concurrency, settings.min_delay)
        self._sleep = sleep
        self._rng = rng or random.Random()
        timeout = httpx.Timeout(settings.timeout, connect=min(settings.connect_timeout, settings.timeout))
        self.client = httpx.Client(
            transport=transport,
            verify=DeferredTrustContext(),
            timeout=timeout,
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8"},
            # No connection reuse: with seconds between two requests to a host, a kept-alive connection saves
            # little, and on a reused one a server that writes head and body apart waits out the client's
            # delayed ACK (~40 ms a request).
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=0),
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based): exponential with jitter in [50 %, 100 %]."""
        return float(self.settings.backoff * 2.0 ** (attempt - 1) * (0.5 + self._rng.random() / 2))

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch `url` politely; raise FetchError when it cannot be had after the allowed retries."""
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = host_key(url)
        attempts = 0
        started = time.monotonic()
        while True:
            attempts += 1
            start = self.gate.acquire(host)
            try:
                return self._once(url, headers, attempts, started)
            except FetchError as exc:
                exc.attempts = attempts
                unresolved = exc.unresolved
                if unresolved:  # nothing was sent to the host: no politeness delay is owed
                    self.gate.unused(host, start)
                retryable = (exc.kind == "network" and not unresolved) or (
                    exc.kind == "http" and exc.status in RETRY_STATUSES)
                if exc.retry_after is not None:
                    exc.kind = "retry_after"
                    raise
                if not retryable or attempts > self.settings.retries:
                    raise
            finally:
                self.gate.release(host)
            self._sleep(self.backoff(attempts))

    def _once(self, url: str, headers: dict[str, str], attempts: int, started: float) -> FetchResult:
        deadline = time.monotonic() + self.settings.timeout
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return FetchResult(url, 304, None, response.headers.get("ETag") or headers.get("If-None-Match"),
                                       response.headers.get("Last-Modified"), attempts, time.monotonic() - started)
                if response.status_code >= 400:
                    retry_after = None
                    if response.status_code in (429, 503):
                        retry_after = parse_retry_after(response.headers.get("Retry-After"),
                                                        cap=self.settings.max_retry_after)
                    raise FetchError("http", f"HTTP {response.status_code} {response.reason_phrase} from {url}",
                                     status=response.status_code, retry_after=retry_after)
                declared = response.headers.get("Content-Length")
                if declared and declared.isdigit() and int(declared) > self.settings.max_bytes:
                    raise FetchError("too_large", f"response of {int(declared):,} bytes from {url} is over the "
                                     f"{self.settings.max_bytes:,}-byte cap (fetch.max_bytes)")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > self.settings.max_bytes:
                        raise FetchError("too_large", f"response from {url} exceeded the "
                                         f"{self.settings.max_bytes:,}-byte cap (fetch.max_bytes)")
                    if time.monotonic() > deadline:
                        raise FetchError("timeout", f"{url} took longer than {self.settings.timeout:g} s "
                                         "in all (fetch.timeout)")
                    chunks.append(chunk)
                content = b"".join(chunks)
                doc = Document(url=str(response.url), content=content, charset=response.charset_encoding,
                               fetched_at=datetime.now(UTC))
                return FetchResult(url, response.status_code, doc, response.headers.get("ETag"),
                                   response.headers.get("Last-Modified"), attempts, time.monotonic() - started)
        except httpx.TooManyRedirects:
            raise FetchError("redirects", f"{url} redirected more than {self.settings.max_redirects} times "
                             "(a redirect loop?)") from None
        except httpx.TimeoutException as exc:
            phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "reading from"
            raise FetchError("timeout", f"timed out {phase} {url}") from None
        except httpx.TransportError as exc:
            reason = _reason(exc)
            raise FetchError("network", f"cannot reach {url}: {reason}", unresolved=reason == _UNRESOLVED) from None


_UNRESOLVED = "host name not found (DNS)"


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    for known, plain in (("Name or service not known", _UNRESOLVED),
                         ("Temporary failure in name resolution", _UNRESOLVED),
                         ("No address associated with hostname", _UNRESOLVED),
                         ("Connection refused", "connection refused"),
                         ("Connection reset", "connection reset by peer"),
                         ("Network is unreachable", "network unreachable")):
        if known in text:
            return plain
    return text
