"""Email channel against a real aiosmtpd server on 127.0.0.1: plain, STARTTLS, TLS, login, refusals, dead server."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from monitor.alerts import AlertMessage
from monitor.alerts.email import build_email, send_email
from monitor.config import EmailSettings

TITLE = 'Kim Jong Un receives <script>alert("x")</script> delegation & guests'


@dataclass
class Inbox:
    """An aiosmtpd handler that keeps what it accepts, or answers DATA with a scripted reply."""

    messages: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    data_reply: str = "250 OK"
    rcpt_reply: str | None = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        """Accept the recipient unless a refusal is scripted."""
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """Store the message when the scripted reply accepts it."""
        if self.data_reply.startswith("250"):
            self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return self.data_reply


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(inbox: Inbox, **kwargs: Any) -> Controller:
    """Start an aiosmtpd server on 127.0.0.1 with `kwargs` passed to the SMTP class."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


@pytest.fixture
def inbox() -> Inbox:
    """A fresh handler."""
    return Inbox()


@pytest.fixture
def smtp(inbox: Inbox) -> Iterator[Controller]:
    """A plain SMTP server."""
    controller = start(inbox)
    yield controller
    controller.stop()


def settings(port: int, **over: Any) -> EmailSettings:
    """Email settings for a local server."""
    base: dict[str, Any] = {"host": "127.0.0.1", "port": port, "sender": "monitor@example.org",
                            "recipients": ["desk@example.org"], "timeout": 5}
    return EmailSettings.model_validate(base | over)


def meeting(title: str = TITLE) -> AlertMessage:
    """A meeting.detected alert with an invented headline."""
    return AlertMessage(
        alert_id="msg_5f3a9c0d1e2b", kind="meeting.detected", created_at=datetime(2026, 10, 14, 8, 30, tzinfo=UTC),
        payload={"event_id": "evt_1", "title": title, "url": "http://kcna.example/a/1", "source": "kcna-latest",
                 "date": "2026-10-14", "participants": ["Kim Jong Un", "Maxim Ryzhenkov"], "countries": ["RU"],
                 "high_level": True, "reports": [{"title": title, "url": "http://kcna.example/a/1",
                                                  "source": "kcna-latest", "date": "2026-10-14",
                                                  "first_seen_at": "2026-10-14T08:29:00Z"}]})


def mail() -> EmailMessage:
    """The email of the test meeting."""
    return build_email(meeting(), sender="monitor@example.org", recipients=["desk@example.org"])


def parts(raw: bytes) -> tuple[EmailMessage, str, str]:
    """The parsed message, its text part and its HTML part."""
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    text = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert text is not None and html is not None
    return parsed, str(text.get_content()), str(html.get_content())


def test_plain_delivery_with_subject_message_id_and_escaping(smtp: Controller, inbox: Inbox) -> None:
    """Plain SMTP delivers a who-met-whom subject, stable Message-ID, script escaped in HTML and intact in text."""
    result = send_email(settings(smtp.port), None, mail())
    assert result.outcome == "sent", result.detail
    ((sender, rcpts, raw),) = inbox.messages
    assert sender == "monitor@example.org" and rcpts == ["desk@example.org"]
    parsed, text, html = parts(raw)
    assert parsed["Subject"] == "Meeting: Kim Jong Un and Maxim Ryzhenkov (2026-10-14)"
    assert parsed["Message-ID"] == "<msg_5f3a9c0d1e2b@monitor>"
    assert parsed["Date"] is not None
    assert TITLE in text
    assert "<script>" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&amp; guests" in html
    assert 'href="http://kcna.example/a/1"' in html


def test_message_id_is_the_same_for_two_builds() -> None:
    """Building the email twice (a retry) gives the same Message-ID and Date."""
    a, b = mail(), mail()
    assert a["Message-ID"] == b["Message-ID"] and a["Date"] == b["Date"]


def test_newlines_in_title_cannot_inject_headers() -> None:
    """A title with CR/LF and a fake header stays one Subject line; no Bcc header appears."""
    msg = AlertMessage(alert_id="msg_x", kind="meeting.detected", created_at=datetime(2026, 1, 1, tzinfo=UTC),
                       payload={"title": "Talks\r\nBcc: victim@example.org", "participants": [], "date": None})
    built = build_email(msg, sender="m@example.org", recipients=["d@example.org"])
    raw = built.as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Meeting: Talks Bcc: victim@example.org"


def test_dead_server_is_retry() -> None:
    """Nothing listening on the port: retry with 'connection refused', no exception."""
    result = send_email(settings(free_port()), None, mail())
    assert result.outcome == "retry" and "connection refused" in result.detail


def test_550_rejection_is_dead(inbox: Inbox, smtp: Controller) -> None:
    """A 550 answer to DATA is permanent: dead, keeping the SMTP code and text."""
    inbox.data_reply = "550 5.7.1 Message rejected as spam"
    result = send_email(settings(smtp.port), None, mail())
    assert result.outcome == "dead" and "SMTP 550" in result.detail and "rejected as spam" in result.detail
    assert inbox.messages == []


def test_recipient_refused_550_is_dead(inbox: Inbox, smtp: Controller) -> None:
    """Every recipient refused with 550: dead."""
    inbox.rcpt_reply = "550 5.1.1 No such user"
    result = send_email(settings(smtp.port), None, mail())
    assert result.outcome == "dead" and "550" in result.detail


def test_451_is_retry(inbox: Inbox, smtp: Controller) -> None:
    """A 4xx answer (greylisting, a full queue) is transient: retry."""
    inbox.data_reply = "451 4.7.1 Greylisted, try again later"
    result = send_email(settings(smtp.port), None, mail())
    assert result.outcome == "retry" and "SMTP 451" in result.detail


def test_starttls_requested_but_not_offered_is_dead(smtp: Controller) -> None:
    """security = starttls against a server without STARTTLS: dead with advice, never sent in clear."""
    result = send_email(settings(smtp.port, security="starttls"), None, mail())
    assert result.outcome == "dead" and "STARTTLS" in result.detail


def test_username_without_password_is_dead(smtp: Controller) -> None:
    """A username without any password is a configuration error reported as such."""
    result = send_email(settings(smtp.port, username="monitor"), None, mail())
    assert result.outcome == "dead" and "password" in result.detail


# ---- TLS: a self-signed certificate for 127.0.0.1 made with the openssl command ------------------------------

@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate and key valid for IP 127.0.0.1 (skips when openssl is missing)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl command not available")
    d = tmp_path_factory.mktemp("tls")
    crt, key = d / "cert.pem", d / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    return crt, key


def server_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    """The server side TLS context."""
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(*cert)
    return ctx


def client_context(cert: tuple[Path, Path]) -> ssl.SSLContext:
    """A verifying client context that trusts the test certificate."""
    return ssl.create_default_context(cafile=str(cert[0]))


class Accounts:
    """An aiosmtpd authenticator accepting one user."""

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        """Accept monitor / s3cret only."""
        ok = isinstance(data, LoginPassword) and data.login == b"monitor" and data.password == b"s3cret"
        return AuthResult(success=ok, handled=False)


def test_starttls_with_login(cert: tuple[Path, Path], inbox: Inbox) -> None:
    """STARTTLS upgrade with certificate verification, then login, then delivery."""
    controller = start(inbox, tls_context=server_context(cert), require_starttls=True,
                       authenticator=Accounts(), auth_required=True)
    try:
        conf = settings(controller.port, security="starttls", username="monitor")
        result = send_email(conf, "s3cret", mail(), context=client_context(cert))
        assert result.outcome == "sent", result.detail
        assert len(inbox.messages) == 1
        bad = send_email(conf, "wrong", mail(), context=client_context(cert))
        assert bad.outcome == "dead" and "535" in bad.detail
        assert len(inbox.messages) == 1
    finally:
        controller.stop()


def test_starttls_untrusted_certificate_is_dead(cert: tuple[Path, Path], inbox: Inbox) -> None:
    """A certificate the system does not trust stops the send before any mail goes out."""
    controller = start(inbox, tls_context=server_context(cert), require_starttls=True)
    try:
        result = send_email(settings(controller.port, security="starttls"), None, mail(),
                            context=ssl.create_default_context())
        assert result.outcome == "dead" and "certificate" in result.detail
        assert inbox.messages == []
    finally:
        controller.stop()


def test_implicit_tls(cert: tuple[Path, Path], inbox: Inbox) -> None:
    """security = tls speaks TLS from the first byte (SMTP_SSL)."""
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(), ssl_context=server_context(cert))
    controller.start()
    try:
        result = send_email(settings(controller.port, security="tls"), None, mail(), context=client_context(cert))
        assert result.outcome == "sent", result.detail
        assert len(inbox.messages) == 1
    finally:
        controller.stop()
