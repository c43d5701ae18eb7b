"""Local HTTP servers for the benchmarks: sites with injected latency, and a webhook receiver."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Page = bytes | Callable[[int], bytes]  # a fixed body, or a function of the route's hit count


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients hanging up early are not an error here."""


class Site:
    """A threaded HTTP server on `address` answering GETs from a route table after `latency` seconds.

    With `split_writes` the head and the body go out in two writes, as `http.server` does by default (and
    the acceptance scenario's server): on a kept-alive connection the body then waits for the client's
    delayed ACK (Nagle), about 40 ms on Linux.
    """

    def __init__(self, address: str = "127.0.0.1", latency: float = 0.0, split_writes: bool = False) -> None:
        self.routes: dict[str, Page] = {}
        self.hits: dict[str, int] = {}
        self.latency = latency
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                if site.latency:
                    time.sleep(site.latency)
                with site.lock:
                    n = site.hits.get(self.path, 0)
                    site.hits[self.path] = n + 1
                    route = site.routes.get(self.path)
                body = route(n) if callable(route) else route
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body or b"")))
                # Head and body in one write, as production servers do: two small writes would meet
                # Nagle's algorithm and the client's delayed ACK and cost ~40 ms per request.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    if split_writes:  # http.server's default: the head, then the body
                        self.end_headers()
                        self.wfile.write(body or b"")
                    else:
                        self._headers_buffer.append(b"\r\n")  # type: ignore[attr-defined]
                        self._headers_buffer.append(body or b"")  # type: ignore[attr-defined]
                        self.flush_headers()

        self.server = _Server((address, 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base = f"http://{address}:{self.server.server_address[1]}"

    def put(self, path: str, page: str | Page) -> None:
        """Serve `page` (text, bytes, or a function of the hit count) at `path`."""
        with self.lock:
            self.routes[path] = page.encode("utf-8") if isinstance(page, str) else page

    def count(self, path: str) -> int:
        """How many GETs `path` received."""
        with self.lock:
            return self.hits.get(path, 0)

    def close(self) -> None:
        """Stop serving and free the socket."""
        self.server.shutdown()
        self.server.server_close()


class WebhookReceiver:
    """Records the arrival time (monotonic) and JSON body of every POST."""

    def __init__(self) -> None:
        self.received: list[tuple[float, dict[str, object]]] = []
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                at = time.monotonic()
                self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()
                with receiver.arrived:
                    receiver.received.append((at, json.loads(body or b"{}")))
                    receiver.arrived.notify_all()

        self.server = _Server(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until `count` webhooks have arrived or `timeout` passes."""
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.received) >= count, timeout)

    def close(self) -> None:
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()
