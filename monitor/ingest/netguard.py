"""The connection layer under httpx: resolve, check the address against the fetch policy, connect to that address.

Every socket operation runs in slices of at most `SLICE` seconds, so a stop request or the overall deadline of
a fetch is noticed within about a second, whatever the server does (a stalled connect, handshake or body).
The policy, stop event and deadline of the request in progress travel in a context variable set by the Fetcher
(`guarded(call)`); a connection opened outside one is refused.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import selectors
import socket
import ssl
import threading
import time
import typing
from collections.abc import Iterator
from dataclasses import dataclass

import httpcore
import httpx

from monitor.ingest.netpolicy import AddressKind, IPAddress, OriginPolicy, Refused, address_kind, parse_ip

SLICE = 1.0  # longest a socket operation blocks before the stop event and deadline are looked at again
UNRESOLVED_CODES = frozenset(c for c in (getattr(socket, n, None) for n in (
    "EAI_NONAME", "EAI_NODATA", "EAI_AGAIN", "EAI_FAIL", "EAI_ADDRFAMILY")) if c is not None)
_IN_PROGRESS = (errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN)


class Stopped(Exception):
    """The fetcher was asked to stop while this request was under way."""


class OverDeadline(Exception):
    """The request ran past its overall deadline."""


class HostNotFound(Exception):
    """The host name did not resolve: nothing was sent anywhere."""


@dataclass(frozen=True)
class Call:
    """What the connection layer needs to know about the request in progress."""

    policy: OriginPolicy
    stop: threading.Event
    deadline: float

    def remaining(self, timeout: float | None) -> float:
        """Seconds this operation may still block: its own timeout within the overall deadline; raises when
        the fetcher is stopping or the deadline has passed."""
        if self.stop.is_set():
            raise Stopped("stopped")
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise OverDeadline("over the deadline")
        return left if timeout is None else min(timeout, left)


_CALL: contextvars.ContextVar[Call | None] = contextvars.ContextVar("monitor_fetch_call", default=None)


@contextlib.contextmanager
def guarded(call: Call) -> Iterator[None]:
    """Run the block with `call` as the request whose connections the layer opens."""
    token = _CALL.set(call)
    try:
        yield
    finally:
        _CALL.reset(token)


def _wait_sliced(call: Call, timeout: float | None, what: type[Exception],
                 step: typing.Callable[[float], bool]) -> None:
    """Call `step(slice)` until it reports done; between slices look at stop and deadline; `what` on timeout."""
    end = None if timeout is None else time.monotonic() + timeout
    while True:
        left = call.remaining(None if end is None else end - time.monotonic())
        if left <= 0:
            raise what("timed out")
        if step(min(SLICE, left)):
            return


class GuardedStream(httpcore.NetworkStream):
    """A socket whose every blocking operation is cut into slices that watch the stop event and deadline."""

    def __init__(self, sock: socket.socket, call: Call) -> None:
        self._sock = sock
        self._call = call

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Up to `max_bytes` bytes; ReadTimeout after `timeout` s of silence."""
        got: list[bytes] = []

        def step(piece: float) -> bool:
            self._sock.settimeout(piece)
            try:
                got.append(self._sock.recv(max_bytes))
            except (TimeoutError, ssl.SSLWantReadError):
                return False
            except OSError as exc:
                raise httpcore.ReadError(str(exc)) from exc
            return True

        _wait_sliced(self._call, timeout, httpcore.ReadTimeout, step)
        return got[0]

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Send all of `buffer`; WriteTimeout when the peer takes none of it for `timeout` s."""
        view = memoryview(buffer)
        while view:
            view = view[self._send_some(view, timeout):]

    def _send_some(self, view: memoryview, timeout: float | None) -> int:
        sent: list[int] = []

        def step(piece: float) -> bool:
            self._sock.settimeout(piece)
            try:
                sent.append(self._sock.send(view))
            except (TimeoutError, ssl.SSLWantWriteError):
                return False
            except OSError as exc:
                raise httpcore.WriteError(str(exc)) from exc
            return True

        _wait_sliced(self._call, timeout, httpcore.WriteTimeout, step)
        return sent[0]

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        """Wrap the socket in TLS, verifying `server_hostname`, with the handshake in slices too."""
        try:
            tls = ssl_context.wrap_socket(self._sock, server_hostname=server_hostname, do_handshake_on_connect=False)
        except OSError as exc:
            self._sock.close()
            raise httpcore.ConnectError(str(exc)) from exc

        def step(piece: float) -> bool:
            tls.settimeout(piece)
            try:
                tls.do_handshake()
            except (TimeoutError, ssl.SSLWantReadError, ssl.SSLWantWriteError):
                return False
            except OSError as exc:
                raise httpcore.ConnectError(str(exc)) from exc
            return True

        try:
            _wait_sliced(self._call, timeout, httpcore.ConnectTimeout, step)
        except BaseException:
            tls.close()
            raise
        return GuardedStream(tls, self._call)

    def get_extra_info(self, info: str) -> typing.Any:
        """What httpcore asks of a stream: the TLS object, the addresses, the socket, readability."""
        if info == "ssl_object" and isinstance(self._sock, ssl.SSLSocket):
            return self._sock._sslobj  # type: ignore[attr-defined]
        if info == "client_addr":
            return self._sock.getsockname()
        if info == "server_addr":
            return self._sock.getpeername()
        if info == "socket":
            return self._sock
        if info == "is_readable":
            with selectors.DefaultSelector() as sel:
                sel.register(self._sock, selectors.EVENT_READ)
                return bool(sel.select(0))
        return None


AddrInfo = tuple[socket.AddressFamily, socket.SocketKind, int, str, tuple[typing.Any, ...]]


def resolve(host: str, port: int, call: Call, timeout: float | None) -> list[AddrInfo]:
    """The addresses of `host` (an IP literal as itself); the lookup runs aside so a stop is not held up."""
    literal = parse_ip(host)
    if literal is not None:
        family = socket.AF_INET6 if literal.version == 6 else socket.AF_INET
        sockaddr: tuple[typing.Any, ...] = (str(literal), port, 0, 0) if literal.version == 6 else (str(literal), port)
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", sockaddr)]
    box: list[list[AddrInfo] | BaseException] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
            box.append([(f, k, p, c, tuple(a)) for f, k, p, c, a in found])
        except BaseException as exc:  # handed over to the waiting thread
            box.append(exc)
        done.set()

    threading.Thread(target=lookup, name=f"resolve-{host}", daemon=True).start()
    _wait_sliced(call, timeout, httpcore.ConnectTimeout, lambda piece: done.wait(piece))
    found = box[0]
    if isinstance(found, socket.gaierror):
        if found.errno in UNRESOLVED_CODES:
            raise HostNotFound(f"host name {host!r} not found (DNS)") from found
        raise httpcore.ConnectError(str(found)) from found
    if isinstance(found, BaseException):
        raise found
    return found


def _address(info: AddrInfo) -> IPAddress:
    addr = parse_ip(str(info[4][0]))
    if addr is None:  # getaddrinfo always answers with numeric addresses
        raise httpcore.ConnectError(f"unexpected address {info[4][0]!r}")
    return addr


class GuardedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to addresses the current request's policy allows, to the address it checked."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        """Resolve `host`, keep the addresses the policy allows, connect to the first that answers."""
        call = _CALL.get()
        if call is None:
            raise Refused(f"refused {host}:{port}: a connection outside a policed fetch")
        infos = resolve(host, port, call, timeout)
        allowed, refusals = [], []
        listing_kinds: set[AddressKind] | None = None
        for info in infos:
            addr = _address(info)
            kind = address_kind(addr)
            if kind != "public" and listing_kinds is None:
                listing_kinds = self._listing_kinds(call, host, port, infos, timeout)
            reason = call.policy.address_refusal(host, addr, kind, listing_kinds or ())
            if reason is None:
                allowed.append(info)
            else:
                refusals.append(reason)
        if not allowed:
            raise Refused(f"refused {host}:{port}: {refusals[0]}")
        last: BaseException | None = None
        for info in allowed:
            try:
                sock = _connect(info, call, timeout)
            except httpcore.ConnectError as exc:
                last = exc
                continue
            for option in socket_options or ():
                sock.setsockopt(*option)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return GuardedStream(sock, call)
        assert last is not None
        raise last

    @staticmethod
    def _listing_kinds(call: Call, host: str, port: int, infos: list[AddrInfo],
                       timeout: float | None) -> set[AddressKind]:
        """The kinds of address the listing's host is on (the lookup just made when it is the same host)."""
        listing = call.policy.listing_host
        if listing != host.lower().rstrip("."):
            try:
                infos = resolve(listing, call.policy.origin[2], call, timeout)
            except HostNotFound:
                return set()
        return {address_kind(_address(i)) for i in infos}

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: typing.Iterable[typing.Any] | None = None) -> httpcore.NetworkStream:
        """Never: the fetcher speaks TCP only."""
        raise Refused(f"refused unix socket {path}")


def _connect(info: AddrInfo, call: Call, timeout: float | None) -> socket.socket:
    """A socket connected to exactly the address in `info`, the wait cut into slices."""
    family, kind, proto, _, sockaddr = info
    sock = socket.socket(family, kind, proto)
    try:
        sock.setblocking(False)
        err = sock.connect_ex(sockaddr)
        if err not in (0, *_IN_PROGRESS):
            raise OSError(err, os.strerror(err))
        if err:
            with selectors.DefaultSelector() as sel:
                sel.register(sock, selectors.EVENT_WRITE)
                _wait_sliced(call, timeout, httpcore.ConnectTimeout, lambda piece: bool(sel.select(piece)))
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err:
                raise OSError(err, os.strerror(err))
        sock.setblocking(True)
        return sock
    except OSError as exc:
        sock.close()
        raise httpcore.ConnectError(f"{exc.strerror or exc} ({sockaddr[0]})") from exc
    except BaseException:
        sock.close()
        raise


class GuardedTransport(httpx.HTTPTransport):
    """httpx's own transport, its connection pool opening connections through GuardedBackend."""

    def __init__(self, *, verify: ssl.SSLContext, limits: httpx.Limits) -> None:
        super().__init__(verify=verify, limits=limits)
        self._pool = httpcore.ConnectionPool(
            ssl_context=verify,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=GuardedBackend(),
        )
