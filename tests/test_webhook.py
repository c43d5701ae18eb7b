"""Webhook channel against a real local HTTP receiver, signatures checked with the `standardwebhooks` package."""

from __future__ import annotations

import base64
import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from monitor.alerts import AlertMessage
from monitor.alerts.webhook import backoff_delay, redact_url, send_webhook, sign, webhook_body
from monitor.ingest.httppolicy import parse_retry_after

SECRET = "whsec_" + base64.b64encode(b"a test secret of 32 bytes length").decode()


@dataclass
class Answer:
    """What the receiver answers to one request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    delay: float = 0.0


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A real HTTP server on 127.0.0.1 that records requests and answers with `answer(request)`."""

    def __init__(self) -> None:
        self.requests: list[Received] = []
        self.answer: Callable[[Received], Answer] = lambda _r: Answer()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                got = Received(self.path, {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                outer.requests.append(got)
                ans = outer.answer(got)
                if ans.delay:
                    time.sleep(ans.delay)
                try:
                    self.send_response(ans.status)
                    for k, v in ans.headers.items():
                        self.send_header(k, v)
                    self.send_header("Content-Length", str(len(ans.body)))
                    self.end_headers()
                    self.wfile.write(ans.body)
                except OSError:
                    pass

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        """The hook URL, with a token-like path."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/token-abc123"

    def close(self) -> None:
        """Stop the server."""
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A local webhook receiver."""
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    """An httpx client like the dispatcher's."""
    with httpx.Client(follow_redirects=False, headers={"User-Agent": "monitor-test/1"}) as c:
        yield c


def meeting(title: str = "Kim Jong Un meets Maxim Ryzhenkov", alert_id: str = "msg_0123456789abcdef") -> AlertMessage:
    """A meeting.detected alert with an invented headline."""
    return AlertMessage(
        alert_id=alert_id, kind="meeting.detected", created_at=datetime(2026, 10, 14, 8, 30, tzinfo=UTC),
        payload={"event_id": "evt_1", "title": title, "url": "http://kcna.example/a/1", "source": "kcna-latest",
                 "date": "2026-10-14", "participants": ["Kim Jong Un", "Maxim Ryzhenkov"], "countries": ["RU"],
                 "high_level": True, "reports": [{"title": title, "url": "http://kcna.example/a/1",
                                                  "source": "kcna-latest", "date": "2026-10-14",
                                                  "first_seen_at": "2026-10-14T08:29:00Z"}]})


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_200_is_sent_and_signature_verifies(receiver: Receiver, client: httpx.Client) -> None:
    """A 2xx answer is `sent`, and the receiver can verify the signature and parse the contract body."""
    msg = meeting()
    result = send_webhook(client, receiver.url, SECRET, msg, timeout=5)
    assert result.outcome == "sent"
    (req,) = receiver.requests
    Webhook(SECRET).verify(req.body, req.headers)
    assert req.headers["webhook-id"] == msg.alert_id == req.headers["idempotency-key"]
    assert req.headers["content-type"] == "application/json"
    assert req.headers["user-agent"] == "monitor-test/1"
    doc = json.loads(req.body)
    assert doc["type"] == "meeting.detected"
    assert doc["timestamp"] == "2026-10-14T08:30:00Z"
    assert doc["data"]["participants"] == ["Kim Jong Un", "Maxim Ryzhenkov"]
    assert set(doc["data"]) >= {"event_id", "title", "url", "source", "date", "participants", "countries",
                                "high_level", "reports"}


def test_signature_with_a_wrong_secret_is_rejected(receiver: Receiver, client: httpx.Client) -> None:
    """A receiver holding another secret rejects the delivery, so the signature really depends on the key."""
    send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    (req,) = receiver.requests
    other = "whsec_" + base64.b64encode(b"another secret entirely").decode()
    with pytest.raises(WebhookVerificationError):
        Webhook(other).verify(req.body, req.headers)


def test_sign_matches_the_reference_implementation() -> None:
    """`sign` gives the same value as the standardwebhooks package for the same id, time and body."""
    body = b'{"x":1}'
    ours = sign(SECRET, "msg_1", 1_700_000_000, body)
    theirs = Webhook(SECRET).sign("msg_1", datetime.fromtimestamp(1_700_000_000, tz=UTC), body.decode())
    assert ours == theirs and ours.startswith("v1,")


def test_without_secret_no_signature_header(receiver: Receiver, client: httpx.Client) -> None:
    """With no secret configured the delivery goes out unsigned (and still carries webhook-id)."""
    assert send_webhook(client, receiver.url, None, meeting(), timeout=5).outcome == "sent"
    (req,) = receiver.requests
    assert "webhook-signature" not in req.headers and req.headers["webhook-id"] == "msg_0123456789abcdef"


def test_invalid_secret_is_dead_without_sending(receiver: Receiver, client: httpx.Client) -> None:
    """A secret that is not base64 is a configuration error: dead, and nothing is sent unsigned."""
    result = send_webhook(client, receiver.url, "whsec_not base64!!", meeting(), timeout=5)
    assert result.outcome == "dead" and "base64" in result.detail
    assert receiver.requests == []


def test_same_webhook_id_and_body_across_attempts(receiver: Receiver, client: httpx.Client) -> None:
    """Two sends of one alert carry the same webhook-id and body; each timestamp is the attempt's own."""
    msg = meeting()
    clock = iter([1_800_000_000.0, 1_800_000_000.0, 1_800_000_060.0, 1_800_000_060.0])
    send_webhook(client, receiver.url, SECRET, msg, timeout=5, now=lambda: next(clock))
    send_webhook(client, receiver.url, SECRET, msg, timeout=5, now=lambda: next(clock))
    a, b = receiver.requests
    assert a.headers["webhook-id"] == b.headers["webhook-id"] == msg.alert_id
    assert a.body == b.body
    assert (a.headers["webhook-timestamp"], b.headers["webhook-timestamp"]) == ("1800000000", "1800000060")
    assert a.headers["webhook-signature"] != b.headers["webhook-signature"]


def test_500_is_retry_with_excerpt(receiver: Receiver, client: httpx.Client) -> None:
    """A 500 is a transient failure: retry, with the status and a short excerpt of the answer."""
    receiver.answer = lambda _r: Answer(500, body=b"database   is\nlocked" + b"x" * 5000)
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "retry" and result.retry_after is None
    assert "HTTP 500" in result.detail and "database is locked" in result.detail
    assert len(result.detail) < 400


def test_429_with_retry_after_seconds(receiver: Receiver, client: httpx.Client) -> None:
    """A 429 with `Retry-After: 120` is a retry after 120 seconds."""
    receiver.answer = lambda _r: Answer(429, {"Retry-After": "120"})
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "retry" and result.retry_after == 120.0


def test_429_with_retry_after_http_date(receiver: Receiver, client: httpx.Client) -> None:
    """A 429 with an HTTP-date Retry-After waits until that date, measured from the injected clock."""
    t0 = 1_800_000_000.0
    when = format_datetime(datetime.fromtimestamp(t0 + 300, tz=UTC), usegmt=True)
    receiver.answer = lambda _r: Answer(429, {"Retry-After": when})
    result = send_webhook(client, receiver.url, None, meeting(), timeout=5, now=lambda: t0)
    assert result.outcome == "retry" and result.retry_after == pytest.approx(300.0)


def test_retry_after_is_capped_at_one_hour(receiver: Receiver, client: httpx.Client) -> None:
    """A receiver asking for a day's pause gets at most an hour."""
    receiver.answer = lambda _r: Answer(503, {"Retry-After": "86400"})
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "retry" and result.retry_after == 3600.0


def test_410_disables(receiver: Receiver, client: httpx.Client) -> None:
    """A 410 Gone asks us to stop: `disable`."""
    receiver.answer = lambda _r: Answer(410, body=b"gone")
    assert send_webhook(client, receiver.url, SECRET, meeting(), timeout=5).outcome == "disable"


def test_400_is_dead_with_status_and_body(receiver: Receiver, client: httpx.Client) -> None:
    """A 400 is permanent: dead, keeping the status and the receiver's reason."""
    receiver.answer = lambda _r: Answer(400, body=b'{"error":"unknown event type"}')
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "dead"
    assert "HTTP 400" in result.detail and "unknown event type" in result.detail


@pytest.mark.parametrize("status", [408, 425, 502, 504])
def test_other_transient_statuses_retry(receiver: Receiver, client: httpx.Client, status: int) -> None:
    """408, 425 and 5xx answers are retried."""
    receiver.answer = lambda _r: Answer(status)
    assert send_webhook(client, receiver.url, SECRET, meeting(), timeout=5).outcome == "retry"


def test_redirect_is_dead_and_not_followed(receiver: Receiver, client: httpx.Client) -> None:
    """A 3xx is a URL to fix: dead with a clear detail, and the redirect target is never requested."""
    receiver.answer = lambda r: Answer(301, {"Location": "/elsewhere"}) if r.path != "/elsewhere" else Answer(200)
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "dead" and "301" in result.detail and "redirect" in result.detail
    assert [r.path for r in receiver.requests] == ["/hooks/token-abc123"]


def test_timeout_is_retry(receiver: Receiver, client: httpx.Client) -> None:
    """A receiver slower than the timeout gives a retry that names the timeout, within about the timeout."""
    receiver.answer = lambda _r: Answer(200, delay=2.0)
    started = time.monotonic()
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=0.3)
    assert result.outcome == "retry" and "timeout" in result.detail
    assert time.monotonic() - started < 1.5


def test_connection_refused_is_retry(client: httpx.Client) -> None:
    """Nothing listening: a retry naming the connection failure, not an exception."""
    result = send_webhook(client, f"http://127.0.0.1:{free_port()}/hook", SECRET, meeting(), timeout=2)
    assert result.outcome == "retry" and "ConnectError" in result.detail


def test_detail_does_not_leak_the_url_path(receiver: Receiver, client: httpx.Client) -> None:
    """Details name the receiver's host but not its path, which often carries a token."""
    receiver.answer = lambda _r: Answer(500)
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert "127.0.0.1" in result.detail and "token-abc123" not in result.detail
    assert redact_url("https://hooks.example.org/") == "https://hooks.example.org/"


def test_body_keeps_html_intact_and_utf8() -> None:
    """The JSON body keeps a title with markup and non-ASCII text exactly as reported (escaping is email's job)."""
    title = 'Talks <script>alert("x")</script> in Pyongyang — 평양'
    body = webhook_body(meeting(title))
    assert json.loads(body.decode("utf-8"))["data"]["title"] == title
    assert "평양".encode() in body and b": " not in body


def test_parse_retry_after_edge_cases() -> None:
    """Retry-After: absent or garbage gives None, a past date gives 0."""
    assert parse_retry_after(None, now=0.0) is None
    assert parse_retry_after("soon", now=0.0) is None
    assert parse_retry_after("Thu, 01 Jan 2015 00:00:00 GMT", now=1_800_000_000.0) == 0.0
    assert parse_retry_after(" 7 ", now=0.0) == 7.0


def test_backoff_grows_exponentially_with_jitter() -> None:
    """Backoff stays within [half, all] of base * 2^(n-1), is capped, and actually varies (jitter)."""
    rng = random.Random(1)
    for n in range(1, 8):
        samples = [backoff_delay(n, rng=rng) for _ in range(200)]
        assert all(0.5 * 5.0 * 2 ** (n - 1) <= s <= 5.0 * 2 ** (n - 1) for s in samples)
        assert max(samples) > 0.7 * 5.0 * 2 ** (n - 1)
        assert len(set(samples)) > 150
    assert all(backoff_delay(1000, rng=rng) <= 3600.0 for _ in range(100))
    assert max(backoff_delay(30, rng=rng) for _ in range(200)) > 3000.0


def test_huge_error_body_is_not_read_whole(receiver: Receiver, client: httpx.Client) -> None:
    """A 5 MB error page is cut after a small excerpt: quick, bounded detail, still a retry."""
    receiver.answer = lambda _r: Answer(503, body=b"<html>" + b"overloaded " * 500_000)
    started = time.monotonic()
    result = send_webhook(client, receiver.url, SECRET, meeting(), timeout=5)
    assert result.outcome == "retry" and "overloaded" in result.detail and len(result.detail) < 400
    assert time.monotonic() - started < 3
