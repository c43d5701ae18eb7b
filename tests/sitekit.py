"""Test helpers: a real local HTTP server with a mutable route table, and pages in KCNA's current markup."""

from __future__ import annotations

import hashlib
import html
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

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


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        """Clients that hang up early (size caps, timeouts) are expected here."""


class LocalSite:
    """A threaded HTTP server on 127.0.0.1; routes map a path to a Reply or to a function of the Request."""

    def __init__(self) -> None:
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
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            do_GET = _handle
            do_POST = _handle

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

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


@dataclass
class Story:
    """An invented news item for test pages."""

    title: str
    paragraphs: list[str]
    day: date

    def hexid(self, salt: str = "") -> str:
        """A 32-hex article id, different per listing salt (KCNA lists one article under several ids)."""
        return hashlib.md5((salt + self.title).encode()).hexdigest()


LATEST = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
EXTERNAL = "/en/article/list/e2f336db98b5e69c75e0da264e037e8d"
MONTHS = ("January February March April May June July August September October November December").split()


def _names(text: str) -> str:
    return text.replace("Kim Jong Un", "<nobr><span class='fSpecCs'>Kim Jong Un</span></nobr>")


def kcna_listing(stories: list[Story], salt: str = "") -> str:
    """A listing page of KCNA's current ("detail") layout."""
    rows = "\n".join(
        f'<div class="article"><h5 class="block"><a href="/en/article/detail/{s.hexid(salt)}"> '
        f'{_names(html.escape(s.title))} </a> <span><nobr>[{s.day.year}.{s.day.month}.{s.day.day}.]</nobr></span>'
        f"</h5></div>" for s in stories)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA</title></head><body><main>{rows}'
            f"<script> var total = {len(stories)}; var cur_page = 1; </script></main></body></html>")


def kcna_article(s: Story) -> str:
    """An article page of KCNA's current layout, with dateline and end mark."""
    paras = [html.escape(p) for p in s.paragraphs]
    paras[0] = f"Pyongyang, {MONTHS[s.day.month - 1]} {s.day.day} (KCNA) -- {paras[0]}"
    paras[-1] += " -0-"
    body = "".join(f"<p>{_names(p)}</p>" for p in paras)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA | {html.escape(s.title)}</title></head>'
            f'<body><main><article><div class="container"><h1 class="text-center text-danger">'
            f'{_names(html.escape(s.title))}</h1><h1 class="text-center text-danger"></h1>{body}</div></article>'
            f"</main></body></html>")


def publish(site: LocalSite, path: str, stories: list[Story], salt: str = "", etag: str | None = None) -> None:
    """Serve a listing at `path` and the article page of each story."""
    site.put(path, kcna_listing(stories, salt), etag=etag)
    for s in stories:
        site.put(f"/en/article/detail/{s.hexid(salt)}", kcna_article(s))
