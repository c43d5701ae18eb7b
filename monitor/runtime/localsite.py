"""A local HTTP site on a loopback address: pages from a route table, and POSTs recorded (a webhook receiver).

One server for the demo, the tests and the benchmarks. Routes answer with a `Reply` (status, headers, body, and
faults: a delay, a connection reset, a trickled body) or with a function of the `Request`. It never listens
beyond the address it is given, and it stops at once when closed.
"""

from __future__ import annotations

import contextlib
import json
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    """What the site received; `n` counts the earlier requests for the same path."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float
    n: int = 0

    def json(self) -> object:
        """The body as JSON (an empty body is an empty object)."""
        return json.loads(self.body or b"{}")


@dataclass
class Reply:
    """What a route answers."""

    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=lambda: {"Content-Type": "text/html; charset=utf-8"})
    delay: float = 0.0
    etag: str | None = None
    reset: bool = False  # close the connection with a TCP reset instead of answering
    chunk_delay: float = 0.0  # send the body in 1 KiB pieces, this many seconds apart


Route = Reply | Callable[[Request], Reply]
NOT_FOUND = Reply(b"<html><body>Not Found</body></html>", 404)
#: A POST to a path with no route is taken as a webhook delivery: recorded, answered 204.
ACCEPTED = Reply(b"", 204, {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (size caps, timeouts) are expected here."""


class LocalSite:
    """A threaded HTTP server on `address` (127.0.0.1 by default, or another loopback address).

    `latency` delays every answer; `split_writes` sends head and body in two writes, as `http.server` does by
    default (a kept-alive client then waits for its delayed ACK, ~40 ms); `tls` serves HTTPS.
    """

    def __init__(self, address: str = "127.0.0.1", *, latency: float = 0.0, split_writes: bool = False,
                 tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._counts: dict[str, int] = {}
        self.latency = latency
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                with site.arrived:
                    n = site._counts.get(self.path, 0)
                    site._counts[self.path] = n + 1
                    req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                                  time.monotonic(), n)
                    site.requests.append(req)
                    site.arrived.notify_all()
                    route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                if route is None:
                    reply = ACCEPTED if self.command == "POST" else NOT_FOUND
                else:
                    reply = route(req) if callable(route) else route
                if site.latency or reply.delay:
                    time.sleep(site.latency + reply.delay)
                if reply.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                self._answer(req, reply)

            def _answer(self, req: Request, reply: Reply) -> None:
                status, body, headers = reply.status, reply.body, dict(reply.headers)
                if reply.etag:
                    headers["ETag"] = reply.etag
                    if req.headers.get("if-none-match") == reply.etag:
                        status, body = 304, b""
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    if reply.chunk_delay:
                        self.end_headers()
                        for i in range(0, len(body), 1024):
                            self.wfile.write(body[i:i + 1024])
                            self.wfile.flush()
                            time.sleep(reply.chunk_delay)
                    elif split_writes:
                        self.end_headers()
                        self.wfile.write(body)
                    else:  # head and body in one write, as production servers do
                        self._headers_buffer.append(b"\r\n" + body)  # type: ignore[attr-defined]
                        self.flush_headers()

            do_GET = _handle
            do_POST = _handle

        self.server = _Server((address, 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()
        self.base = f"{'https' if tls else 'http'}://{address}:{self.server.server_address[1]}"

    def put(self, path: str, page: str | bytes, **kw: object) -> None:
        """Serve `page` at `path` (keyword arguments as for `Reply`)."""
        body = page.encode("utf-8") if isinstance(page, str) else page
        with self.lock:
            self.routes[path] = Reply(body, **kw)  # type: ignore[arg-type]

    def hits(self, path: str) -> list[Request]:
        """Requests received for `path`."""
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        """How many requests `path` received."""
        with self.lock:
            return self._counts.get(path, 0)

    def posts(self) -> list[Request]:
        """The POSTs received (webhook deliveries), oldest first."""
        with self.lock:
            return [r for r in self.requests if r.method == "POST"]

    def wait_for_posts(self, count: int, timeout: float) -> bool:
        """Block until `count` POSTs have arrived or `timeout` passes; whether they did."""
        with self.arrived:
            return self.arrived.wait_for(lambda: sum(r.method == "POST" for r in self.requests) >= count, timeout)

    def close(self) -> None:
        """Stop serving and free the socket."""
        self.server.shutdown()
        self.server.server_close()
