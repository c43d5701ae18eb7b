"""Email alerts: build a text + HTML message for an alert, and send it once over SMTP (plain, STARTTLS or TLS).

`send_email` never raises: SMTP 4xx answers and connection problems are `retry`, 5xx answers are `dead`.
"""

from __future__ import annotations

import re
import smtplib
import socket
import ssl
from datetime import UTC
from email.message import EmailMessage
from email.utils import format_datetime

from monitor.alerts import AlertMessage, DeliveryResult
from monitor.alerts.channels import Probe
from monitor.alerts.render import one_line, render
from monitor.config import ConfigError, EmailSettings, Settings

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def message_id(alert_id: str) -> str:
    """The Message-ID of an alert: `<alert_id@monitor>`, the same on every attempt."""
    return f"<{_ID_UNSAFE.sub('-', alert_id) or 'alert'}@monitor>"


def build_email(msg: AlertMessage, *, sender: str, recipients: list[str]) -> EmailMessage:
    """An email with a subject naming who met whom, a text part and an escaped HTML part, and a stable Message-ID."""
    rendered = render(msg)
    mail = EmailMessage()
    mail["Subject"] = rendered.subject
    mail["From"] = one_line(sender)
    mail["To"] = ", ".join(one_line(r) for r in recipients)
    created = msg.created_at if msg.created_at.tzinfo is not None else msg.created_at.replace(tzinfo=UTC)
    mail["Date"] = format_datetime(created.astimezone(UTC))
    mail["Message-ID"] = message_id(msg.alert_id)
    mail["Auto-Submitted"] = "auto-generated"
    mail["X-Monitor-Kind"] = one_line(msg.kind, 64)
    mail.set_content(rendered.text)
    mail.add_alternative(rendered.html, subtype="html")
    return mail


def _smtp_result(code: int, text: object, what: str) -> DeliveryResult:
    """4xx is a transient refusal (retry); anything else an SMTP server refuses with is permanent (dead)."""
    reply = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    detail = f"SMTP {code} {one_line(reply, 200)} ({what})".replace("  ", " ")
    return DeliveryResult("retry" if 400 <= code < 500 else "dead", detail)


def _connect(settings: EmailSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security == "tls":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=settings.timeout, context=context)
    conn = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
    if settings.security == "starttls":
        try:
            conn.ehlo()
            conn.starttls(context=context)
            conn.ehlo()
        except BaseException:
            conn.close()
            raise
    return conn


def _close(conn: smtplib.SMTP) -> None:
    try:
        conn.quit()
    except (smtplib.SMTPException, OSError):
        conn.close()


def send_email(settings: EmailSettings, password: str | None, message: EmailMessage, *,
               context: ssl.SSLContext | None = None) -> DeliveryResult:
    """Send one message once over SMTP per `settings` (optional login); classify the outcome; never raise."""
    where = f"{settings.host}:{settings.port}"
    if settings.username and password is None:
        return DeliveryResult("dead", "alerts.email.username is set but no password (password_env or password_file)")
    try:
        conn = _connect(settings, context or ssl.create_default_context())
    except smtplib.SMTPNotSupportedError:
        return DeliveryResult("dead", f"{where} does not offer STARTTLS: set alerts.email.security to 'plain' or "
                                      "'tls' as the server requires")
    except smtplib.SMTPResponseException as exc:
        return _smtp_result(exc.smtp_code, exc.smtp_error, f"greeting from {where}")
    except ssl.SSLCertVerificationError as exc:
        return DeliveryResult("dead", f"TLS certificate of {where} not trusted: {exc.verify_message}")
    except (OSError, smtplib.SMTPException) as exc:
        return DeliveryResult("retry", f"cannot connect to {where}: {_describe(exc)}")
    try:
        if settings.username:
            conn.login(settings.username, password or "")
        refused = conn.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        first = next(iter(exc.recipients.values()), (550, b"refused"))
        result = _smtp_result(first[0], first[1], f"every recipient refused by {where}")
        transient = any(400 <= c < 500 for c in codes)
        return DeliveryResult("retry" if transient else "dead", result.detail)
    except smtplib.SMTPResponseException as exc:
        return _smtp_result(exc.smtp_code, exc.smtp_error, f"from {where}")
    except smtplib.SMTPNotSupportedError as exc:
        return DeliveryResult("dead", f"{where}: {exc} (check alerts.email.security and username)")
    except (OSError, smtplib.SMTPException) as exc:
        return DeliveryResult("retry", f"SMTP conversation with {where} failed: {_describe(exc)}")
    except Exception as exc:  # never let a channel bug kill the dispatcher
        return DeliveryResult("retry", f"{type(exc).__name__} sending mail via {where}: {exc}")
    finally:
        _close(conn)
    if refused:
        names = ", ".join(f"{addr} ({code})" for addr, (code, _) in refused.items())
        return DeliveryResult("sent", f"accepted by {where}; refused for {names}")
    return DeliveryResult("sent", f"accepted by {where}")


def _describe(exc: BaseException) -> str:
    if isinstance(exc, socket.timeout | TimeoutError):
        return "timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    text = str(exc) or type(exc).__name__
    return one_line(f"{type(exc).__name__}: {text}", 200)


class EmailChannel:
    """The configured SMTP server as a channel: one connection per message."""

    def __init__(self, settings: Settings) -> None:
        conf = settings.alerts.email
        assert conf is not None
        self.conf = conf

    def send(self, msg: AlertMessage) -> DeliveryResult:
        """Build the message and send it once (see `send_email`); a password that cannot be read is retried."""
        try:
            password = self.conf.resolved_password()
        except ConfigError as exc:
            return DeliveryResult("retry", f"configuration: {exc}")
        return send_email(self.conf, password, build_email(msg, sender=self.conf.sender,
                                                           recipients=list(self.conf.recipients)))

    def close(self) -> None:
        """Nothing is held between messages."""


def probe(settings: Settings) -> Probe:
    """The SMTP server answers EHLO (and STARTTLS/login when configured); no message is sent."""
    conf = settings.alerts.email
    assert conf is not None
    try:
        password = conf.resolved_password()
        client: smtplib.SMTP
        if conf.security == "tls":
            client = smtplib.SMTP_SSL(conf.host, conf.port, timeout=conf.timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(conf.host, conf.port, timeout=conf.timeout)
        with client:
            client.ehlo()
            if conf.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if conf.username and password:
                client.login(conf.username, password)
            client.noop()
    except ConfigError as exc:
        return Probe("fail", str(exc), "set the variable or create the file the config names")
    except (OSError, smtplib.SMTPException) as exc:
        return Probe("fail", f"SMTP {conf.host}:{conf.port}: {exc}",
                     "check host, port and security (plain, starttls, tls); `monitor alerts test` sends a test")
    return Probe("ok", f"SMTP {conf.host}:{conf.port} answers ({conf.security})")


__all__ = ["EmailChannel", "build_email", "message_id", "probe", "send_email"]
