"""Signed webhook delivery per the Standard Webhooks spec: one attempt, its outcome, and the backoff schedule.

Headers: `webhook-id` (the alert's idempotency key, the same on every attempt), `webhook-timestamp` (this
attempt, Unix seconds) and `webhook-signature` (`v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`
keyed by the base64-decoded part of a `whsec_` secret). Redirects are never followed: a 3xx is a URL to fix.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import random
import socket
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from urllib.parse import urlsplit

import httpx

from monitor.alerts import MAX_RETRY_AFTER, AlertMessage, DeliveryResult
from monitor.alerts.channels import Probe
from monitor.config import DEFAULT_USER_AGENT, ConfigError, Settings
from monitor.ingest.httppolicy import backoff, parse_retry_after, transient

SECRET_PREFIX = "whsec_"
MAX_EXCERPT_BYTES = 64 * 1024  # read at most this much of an error answer
EXCERPT_CHARS = 200


def _secret_key(secret: str) -> bytes:
    """The HMAC key of a `whsec_<base64>` secret (ValueError when it is not base64)."""
    raw = (secret[len(SECRET_PREFIX):] if secret.startswith(SECRET_PREFIX) else secret).strip().rstrip("=")
    try:
        key = base64.b64decode(raw + "=" * (-len(raw) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the webhook secret is not 'whsec_' followed by base64") from exc
    if not key:
        raise ValueError("the webhook secret is empty after 'whsec_'")
    return key


def sign(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `{id}.{timestamp}.{body}`."""
    signed = msg_id.encode() + b"." + str(timestamp).encode() + b"." + body
    digest = hmac.new(_secret_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def _utc_iso(moment: datetime) -> str:
    """ISO-8601 in UTC with a `Z` suffix; a naive datetime is taken as UTC."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat().replace("+00:00", "Z")


def webhook_body(msg: AlertMessage) -> bytes:
    """The JSON body `{"type", "timestamp", "data"}`: compact, UTF-8, the same bytes on every attempt."""
    doc = {"type": msg.kind, "timestamp": _utc_iso(msg.created_at), "data": msg.payload}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), default=str).encode("utf-8")


def backoff_delay(attempts: int, *, rng: random.Random | None = None) -> float:
    """Seconds before the next attempt after `attempts` failed deliveries: 5 s doubling, at most an hour."""
    return backoff(attempts, base=5.0, cap=MAX_RETRY_AFTER, rng=rng)


def redact_url(url: str) -> str:
    """The scheme, host and port of a URL only: webhook paths and queries often carry tokens."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or "?"
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "<invalid URL>"
    host = f"[{host}]" if ":" in host else host
    return f"{parts.scheme}://{host}{port}/…" if parts.path not in ("", "/") or parts.query else \
        f"{parts.scheme}://{host}{port}/"


def _excerpt(data: bytes) -> str:
    text = " ".join(data.decode("utf-8", errors="replace").split())
    return text if len(text) <= EXCERPT_CHARS else text[: EXCERPT_CHARS - 1] + "…"


def _user_agent(client: httpx.Client) -> str:
    ua = client.headers.get("User-Agent", "")
    return ua if ua and not ua.startswith("python-httpx") else DEFAULT_USER_AGENT


def classify_status(status: int, where: str, body: bytes, retry_after: float | None,
                    location: str | None) -> DeliveryResult:
    """The outcome of an HTTP answer: 2xx sent, 410 disable, 408/425/429/5xx retry, 3xx and other 4xx dead."""
    if 200 <= status < 300:
        return DeliveryResult("sent", f"HTTP {status} from {where}")
    if status == 410:
        return DeliveryResult("disable", f"HTTP 410 Gone from {where}: the receiver asked us to stop sending")
    if transient(status) or 500 <= status < 600:
        excerpt = _excerpt(body)
        detail = f"HTTP {status} from {where}" + (f": {excerpt}" if excerpt else "")
        return DeliveryResult("retry", detail, retry_after)
    if 300 <= status < 400:
        target = f" to {redact_url(location)}" if location else ""
        return DeliveryResult("dead", f"HTTP {status} redirect{target} from {where}: webhooks do not follow "
                                      "redirects; set alerts.webhook.url to the final address")
    excerpt = _excerpt(body)
    return DeliveryResult("dead", f"HTTP {status} from {where}" + (f": {excerpt}" if excerpt else ""))


def send_webhook(client: httpx.Client, url: str, secret: str | None, msg: AlertMessage, *, timeout: float,
                 now: Callable[[], float] = time.time) -> DeliveryResult:
    """POST one signed alert once and classify the answer; never follows redirects, never retries, never raises."""
    where = redact_url(url)
    body = webhook_body(msg)
    stamp = int(now())
    headers = {
        "webhook-id": msg.alert_id,
        "webhook-timestamp": str(stamp),
        "Idempotency-Key": msg.alert_id,
        "Content-Type": "application/json",
        "User-Agent": _user_agent(client),
    }
    if secret:
        try:
            headers["webhook-signature"] = sign(secret, msg.alert_id, stamp, body)
        except ValueError as exc:
            return DeliveryResult("dead", f"{exc} (alerts.webhook.secret)")
    try:
        with client.stream("POST", url, content=body, headers=headers, timeout=timeout,
                           follow_redirects=False) as response:
            received = bytearray()
            if not 200 <= response.status_code < 300:
                deadline = time.monotonic() + timeout  # a trickling error body cannot hold the dispatcher
                for chunk in response.iter_bytes():
                    received += chunk
                    if len(received) >= MAX_EXCERPT_BYTES or time.monotonic() > deadline:
                        break
            retry_after = parse_retry_after(response.headers.get("Retry-After"), now=now(), cap=MAX_RETRY_AFTER)
            return classify_status(response.status_code, where, bytes(received), retry_after,
                                   response.headers.get("Location"))
    except httpx.TimeoutException as exc:
        return DeliveryResult("retry", f"timeout ({type(exc).__name__}, {timeout:g}s) from {where}")
    except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
        return DeliveryResult("dead", f"invalid webhook URL {where}: {exc}")
    except httpx.TransportError as exc:
        return DeliveryResult("retry", f"{type(exc).__name__} to {where}: {exc or 'connection failed'}")
    except Exception as exc:  # a bug or an odd library error must not kill the dispatcher
        return DeliveryResult("retry", f"{type(exc).__name__} sending to {where}: {exc}")


class WebhookChannel:
    """The configured webhook as a channel: one HTTP client, made at the first delivery.

    Its connections go through the fetcher's guarded transport: the receiver's own address only (of whatever
    kind the configured URL names), and a delivery in flight is given up soon after `stop` is set, so that a
    hanging receiver never holds a stopping daemon.
    """

    def __init__(self, settings: Settings, stop: threading.Event | None = None) -> None:
        conf = settings.alerts.webhook
        assert conf is not None
        self.conf = conf
        self.user_agent = settings.fetch.user_agent
        self.stop = stop or threading.Event()
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    def send(self, msg: AlertMessage) -> DeliveryResult:
        """POST the message once (see `send_webhook`); a secret that cannot be read is retried later."""
        from monitor.ingest.fetch import trust_context
        from monitor.ingest.netguard import Call, GuardedTransport, guarded
        from monitor.ingest.netpolicy import OriginPolicy

        try:
            secret = self.conf.resolved_secret()
        except ConfigError as exc:
            return DeliveryResult("retry", f"configuration: {exc}")
        url = str(self.conf.url)
        with self._lock:
            if self._client is None:
                transport = GuardedTransport(verify=trust_context(), limits=httpx.Limits(max_keepalive_connections=0))
                self._client = httpx.Client(transport=transport, follow_redirects=False,
                                            headers={"User-Agent": self.user_agent})
            client = self._client
        call = Call(OriginPolicy.for_url(url), self.stop, time.monotonic() + self.conf.timeout + 1.0)
        with guarded(call):
            result = send_webhook(client, url, secret, msg, timeout=self.conf.timeout)
        if self.stop.is_set() and result.outcome == "retry":
            return DeliveryResult("retry", f"stopped while delivering ({result.detail})")
        return result

    def close(self) -> None:
        """Close the HTTP client, if one was made."""
        if self._client is not None:
            self._client.close()


def _tcp_connect(host: str, port: int, timeout: float) -> None:
    with socket.create_connection((host, port), timeout=timeout):
        pass


def probe(settings: Settings, connect: Callable[[str, int, float], None] = _tcp_connect) -> Probe:
    """The webhook endpoint accepts TCP connections and the secret can be read (nothing is posted)."""
    hook = settings.alerts.webhook
    assert hook is not None
    parts = urlsplit(str(hook.url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        secret = hook.resolved_secret()
        connect(parts.hostname or "", port, 5.0)
    except ConfigError as exc:
        return Probe("fail", str(exc), "set the variable or create the file the config names")
    except OSError as exc:
        return Probe("fail", f"cannot connect to {parts.hostname}:{port}: {exc}",
                     "check the receiver is running and reachable; `monitor alerts test` sends a real test")
    note = "" if secret else " (unsigned: no secret configured)"
    return Probe("ok" if secret else "warn", f"{parts.hostname}:{port} reachable{note}",
                 "" if secret else "set alerts.webhook.secret_env or secret_file to sign deliveries")


__all__ = ["WebhookChannel", "backoff_delay", "classify_status", "probe", "redact_url", "send_webhook", "sign",
           "webhook_body"]
