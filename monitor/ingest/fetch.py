"""HTTP fetching shared by every adapter: per-host politeness, conditional GET, retry, time and size caps,
the fetch policy on every hop (monitor/netpolicy.py), bounded decoding and a prompt stop.

All cross-cutting HTTP behaviour lives here; nothing else in the project opens a connection to a site.
"""

from __future__ import annotations

import errno
import os
import random
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlencode, urlsplit

import httpx

from monitor.config import FetchSettings
from monitor.ingest.contentcoding import ACCEPT_ENCODING, DecodingError, codings, decoded
from monitor.ingest.httppolicy import backoff, parse_retry_after, transient
from monitor.ingest.netguard import (
    UNRESOLVED_CODES,
    Call,
    GuardedTransport,
    HostNotFound,
    OverDeadline,
    Stopped,
    guarded,
)
from monitor.ingest.netpolicy import OriginPolicy, Refused
from monitor.models import Document

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ErrorKind = Literal["network", "timeout", "http", "too_large", "redirects", "retry_after", "refused", "stopped"]


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
        """Block until a request to `host` may start; return its start time (for `unused`).

        When the wait is cut short (the sleep raises, as the Fetcher's does on stop), the slot is given back.
        """
        slot = self._slot(host)
        slot.semaphore.acquire()
        with slot.lock:
            now = self._clock()
            start = max(now, slot.next_start)
            slot.next_start = start + self._min_delay
        if start > now:
            try:
                self._sleep(start - now)
            except BaseException:
                self.unused(host, start)
                slot.semaphore.release()
                raise
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


def trust_context() -> ssl.SSLContext:
    """A verifying client TLS context with the trust httpx would use: `SSL_CERT_FILE`, `SSL_CERT_DIR`, else
    certifi's bundle."""
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


class Fetcher:
    """Polite HTTP GETs with conditional requests, bounded retries, a total deadline and a size cap.

    Every request, redirect hop included, is held to an OriginPolicy (`get(url, policy=...)`; by default the
    URL's own origin): a refused one raises FetchError kind "refused" and is not sent. Setting `stop` (the
    constructor's event, or `fetcher.stop.set()`) ends waits and requests in flight within about a second
    with FetchError kind "stopped".
    """

    def __init__(self, settings: FetchSettings, *, transport: httpx.BaseTransport | None = None,
                 gate: HostGate | None = None, sleep: Callable[[float], None] | None = None,
                 rng: random.Random | None = None, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.stop = stop if stop is not None else threading.Event()
        self.gate = gate or HostGate(settings.per_host_concurrency, settings.min_delay, sleep=self._wait)
        self._sleep = sleep
        self._rng = rng or random.Random()
        timeout = httpx.Timeout(settings.timeout, connect=min(settings.connect_timeout, settings.timeout))
        # No connection reuse: with seconds between two requests to a host, a kept-alive connection saves
        # little, and on a reused one a server that writes head and body apart waits out the client's
        # delayed ACK (~40 ms a request).
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=0)
        self.client = httpx.Client(
            transport=transport or GuardedTransport(verify=trust_context(), limits=limits),
            timeout=timeout,
            follow_redirects=False,  # followed by _once, each hop checked against the policy
            headers={"User-Agent": settings.user_agent, "Accept": "text/html,application/xhtml+xml,*/*;q=0.8",
                     "Accept-Encoding": ACCEPT_ENCODING},
        )

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait(self, seconds: float) -> None:
        """Sleep `seconds`, or raise FetchError "stopped" as soon as the fetcher is stopped."""
        if self.stop.wait(max(seconds, 0.0)):
            raise FetchError("stopped", "stopped while waiting (politeness delay or retry backoff)")

    def backoff(self, attempt: int) -> float:
        """Delay before retry number `attempt` (1-based): exponential with jitter in [50 %, 100 %]."""
        return backoff(attempt, base=self.settings.backoff, cap=self.settings.max_retry_after, rng=self._rng)

    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None,
            policy: OriginPolicy | None = None, form: Sequence[tuple[str, str]] | None = None) -> FetchResult:
        """Fetch `url` politely under `policy` (default: its own origin only); raise FetchError when it is
        refused or cannot be had after the allowed retries.

        With `form`, the request is a POST of those fields (a listing's paging form; reading, so retried like a
        GET); a redirect after it is followed with a GET. Cookies a site sets go back to it (a KCNA page >= 2 needs
        the session of the first page's GET).
        """
        try:
            policy = policy or OriginPolicy.for_url(url)
            policy.check(url)
        except (Refused, ValueError) as exc:
            raise FetchError("refused", str(exc) if isinstance(exc, Refused) else f"refused {url}: {exc}") from None
        if self.stop.is_set():
            raise FetchError("stopped", f"stopped before fetching {url}")
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
                return self._once(url, headers, attempts, started, policy, form)
            except FetchError as exc:
                exc.attempts = attempts
                unresolved = exc.unresolved
                if unresolved:  # nothing was sent to the host: no politeness delay is owed
                    self.gate.unused(host, start)
                retryable = (exc.kind == "network" and not unresolved) or (
                    exc.kind == "http" and exc.status is not None and transient(exc.status))
                if exc.retry_after is not None:
                    exc.kind = "retry_after"
                    raise
                if not retryable or attempts > self.settings.retries:
                    raise
            finally:
                self.gate.release(host)
            delay = self.backoff(attempts)
            if self._sleep is not None:
                self._sleep(delay)
            self._wait(0 if self._sleep is not None else delay)

    def _once(self, url: str, headers: dict[str, str], attempts: int, started: float,
              policy: OriginPolicy, form: Sequence[tuple[str, str]] | None = None) -> FetchResult:
        """One attempt: the request and its redirects, each hop checked, all within one overall deadline."""
        call = Call(policy, self.stop, time.monotonic() + self.settings.timeout)
        current = url
        with guarded(call):
            for hop in range(self.settings.max_redirects + 1):
                try:
                    posting = form is not None and hop == 0
                    content = urlencode(list(form or ())).encode("ascii") if posting else None
                    sent = {**headers, "Content-Type": "application/x-www-form-urlencoded"} if posting else headers
                    with self.client.stream("POST" if posting else "GET", current, headers=sent,
                                            content=content) as response:
                        target = _redirect_target(response)
                        if target is None:
                            return self._result(url, current, response, headers, attempts, started, call)
                    try:
                        policy.check(target)
                    except Refused as exc:
                        raise FetchError("refused", f"{current} redirected: {exc}") from None
                    current = target
                except FetchError:
                    raise
                except Exception as exc:
                    raise _failure(exc, current, self.settings) from None
        raise FetchError("redirects", f"{url} redirected more than {self.settings.max_redirects} times "
                         "(a redirect loop?)")

    def _result(self, url: str, current: str, response: httpx.Response, headers: dict[str, str], attempts: int,
                started: float, call: Call) -> FetchResult:
        """The answer to the last hop: 304, an HTTP error, or the body read within the caps."""
        if response.status_code == 304:
            return FetchResult(url, 304, None, response.headers.get("ETag") or headers.get("If-None-Match"),
                               response.headers.get("Last-Modified"), attempts, time.monotonic() - started)
        if response.status_code >= 400:
            retry_after = None
            if response.status_code in (429, 503):
                retry_after = parse_retry_after(response.headers.get("Retry-After"),
                                                cap=self.settings.max_retry_after)
            raise FetchError("http", f"HTTP {response.status_code} {response.reason_phrase} from {current}",
                             status=response.status_code, retry_after=retry_after)
        cap = self.settings.max_bytes
        declared = response.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise FetchError("too_large", f"response of {int(declared):,} bytes from {current} is over the "
                             f"{cap:,}-byte cap (fetch.max_bytes)")
        too_large = FetchError("too_large", f"response from {current} exceeded the {cap:,}-byte cap "
                               "(fetch.max_bytes) once decoded")

        def raw() -> Iterator[bytes]:
            size = 0
            for chunk in response.iter_raw():
                size += len(chunk)
                if size > cap:
                    raise too_large
                yield chunk

        chunks: list[bytes] = []
        size = 0
        for piece in decoded(raw(), codings(response.headers.get("Content-Encoding"))):
            size += len(piece)
            if size > cap:
                raise too_large
            call.remaining(None)  # stop and overall deadline
            chunks.append(piece)
        doc = Document(url=current, content=b"".join(chunks), charset=response.charset_encoding,
                       fetched_at=datetime.now(UTC))
        return FetchResult(url, response.status_code, doc, response.headers.get("ETag"),
                           response.headers.get("Last-Modified"), attempts, time.monotonic() - started)


def _redirect_target(response: httpx.Response) -> str | None:
    """The absolute URL a redirect points to, or None when the response is not a redirect."""
    location = response.headers.get("Location")
    if response.status_code not in REDIRECT_STATUSES or not location:
        return None
    try:
        return str(response.url.join(location))
    except httpx.InvalidURL:
        raise FetchError("http", f"{response.url} redirected to an invalid URL {location[:200]!r}") from None


def _failure(exc: Exception, url: str, settings: FetchSettings) -> FetchError:
    """The FetchError for an exception of one hop of a request."""
    if isinstance(exc, Refused):
        return FetchError("refused", f"{exc} (while fetching {url})")
    if isinstance(exc, Stopped):
        return FetchError("stopped", f"stopped while fetching {url}")
    if isinstance(exc, OverDeadline):
        return FetchError("timeout", f"{url} took longer than {settings.timeout:g} s in all (fetch.timeout)")
    if isinstance(exc, DecodingError):
        return FetchError("http", f"cannot decode the body of {url}: {exc}")
    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "reading from"
        return FetchError("timeout", f"timed out {phase} {url}")
    if isinstance(exc, HostNotFound | httpx.TransportError):
        reason = _reason(exc)
        return FetchError("network", f"cannot reach {url}: {reason}", unresolved=reason == _UNRESOLVED)
    if isinstance(exc, httpx.HTTPError | httpx.InvalidURL):
        return FetchError("network", f"cannot fetch {url}: {exc}")
    raise exc


_UNRESOLVED = "host name not found (DNS)"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc` and the exceptions it was raised from, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _reason(exc: Exception) -> str:
    """Why a connection failed, in plain words, judged by the type and errno of the exceptions in the chain."""
    for cause in _causes(exc):
        if isinstance(cause, HostNotFound):
            return _UNRESOLVED
        if isinstance(cause, socket.gaierror):
            return _UNRESOLVED if cause.errno in UNRESOLVED_CODES else f"name lookup failed: {cause}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset by peer"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return "network unreachable"
    return str(exc) or type(exc).__name__
