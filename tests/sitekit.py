"""Test helpers: a real local HTTP server with a mutable route table, and pages in KCNA's current markup."""

from __future__ import annotations

import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from monitor.demo import SampleStory, kcna_article, kcna_listing

Responder = Callable[["Request"], "Reply"]


@dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float


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


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (size caps, timeouts) are expected here."""


class LocalSite:
    """A threaded HTTP server on 127.0.0.1; routes map a path to a Reply or to a function of the Request."""

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        self.routes: dict[str, Reply | Responder] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                req = Request(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                              self.rfile.read(length) if length else b"", time.monotonic())
                with site.lock:
                    site.requests.append(req)
                route = site.routes.get(self.path) or site.routes.get(self.path.split("?")[0])
                reply = Reply(b"<html><body>Not Found</body></html>", 404) if route is None else (
                    route(req) if callable(route) else route)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.reset:
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                    self.connection.close()
                    self.close_connection = True
                    return
                status, body, headers = reply.status, reply.body, dict(reply.headers)
                if reply.etag:
                    headers["ETag"] = reply.etag
                    if req.headers.get("if-none-match") == reply.etag:
                        status, body = 304, b""
                try:
                    self.send_response(status)
                    for k, v in headers.items():
                        self.send_header(k, v)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if reply.chunk_delay:
                        for i in range(0, len(body), 1024):
                            self.wfile.write(body[i:i + 1024])
                            self.wfile.flush()
                            time.sleep(reply.chunk_delay)
                    else:
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _handle
            do_POST = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.server.server_address[1]}"

    def put(self, path: str, page: str | bytes, **kw: object) -> None:
        """Serve `page` at `path`."""
        body = page.encode("utf-8") if isinstance(page, str) else page
        self.routes[path] = Reply(body, **kw)  # type: ignore[arg-type]

    def hits(self, path: str) -> list[Request]:
        """Requests received for `path`."""
        with self.lock:
            return [r for r in self.requests if r.path == path]

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()


Story = SampleStory
LATEST = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
EXTERNAL = "/en/article/list/e2f336db98b5e69c75e0da264e037e8d"


def publish(site: LocalSite, path: str, stories: list[SampleStory], salt: str = "", etag: str | None = None) -> None:
    """Serve a listing at `path` and the article page of each story."""
    site.put(path, kcna_listing(stories, salt), etag=etag)
    for s in stories:
        site.put(f"/en/article/detail/{s.hexid(salt)}", kcna_article(s))
