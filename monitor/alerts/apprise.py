"""Apprise channels (`[alerts.apprise]`): one channel per Apprise URL, each message sent once through Apprise.

Each URL is a channel of its own (`apprise` for the first, `apprise[2]`, `apprise[3]`... for the others), with
its own outbox rows, retries and dead state: when one of three services fails, the retry goes to that one only
and the two that took the message never get it twice.

Apprise says only whether a service took the message; the HTTP status, when there was one, is in the warning it
logs (`error=503`). Its log is captured during the send and mapped like the webhook's answers: 410 disables the
channel, 408/425/429/5xx and connection errors are retried, other 4xx are dead; a failure that names no status
is retried (the dispatcher's `max_attempts` bounds it). Apprise URLs carry their tokens anywhere (a Telegram bot
token is the "host"), so nothing of a URL but its scheme is ever shown, logged or stored: every detail taken from
Apprise goes through `Redactor` first, and Apprise's own log never reaches the process's log.

Apprise sends with `requests`, not the fetcher's guarded transport: the URLs are the operator's own, trusted
like the webhook URL. Apprise is imported at the first message or check, never at start.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, unquote

from monitor.alerts import AlertMessage, DeliveryResult
from monitor.alerts.channels import Probe
from monitor.config import ConfigError, Settings
from monitor.ingest.httppolicy import transient

if TYPE_CHECKING:
    from monitor.config import AppriseSettings

KIND = "apprise"
MAX_DETAIL = 300
_STATUS = re.compile(r"\berror=(\d{3})\b|\bHTTP(?: Error)?[ :]+(\d{3})\b", re.I)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_INDEX = re.compile(r"^apprise(?:\[(\d+)\])?$")
_PIECES = re.compile(r"[/?&=:@#,;+\s]+")
#: One Apprise delivery at a time in a process: Apprise's log is captured process-wide during a send.
_send_lock = threading.Lock()


def channel_name(index: int) -> str:
    """The channel of the URL at `index` (from 0): `apprise`, then `apprise[2]`, `apprise[3]`..."""
    return KIND if index == 0 else f"{KIND}[{index + 1}]"


def channel_index(name: str) -> int | None:
    """The URL index (from 0) of a channel name, or None when it is not an Apprise channel name."""
    found = _INDEX.match(name)
    if found is None:
        return None
    number = int(found.group(1) or 1)
    return number - 1 if number >= 1 else None


def channel_names(settings: Settings) -> list[str]:
    """One channel per configured URL; just `apprise` while the URLs cannot be read (its sends then retry with
    the reason, so no alert is lost while a variable or file is missing)."""
    conf = settings.alerts.apprise
    if conf is None:
        return []
    try:
        count = len(conf.resolved_urls())
    except ConfigError:
        count = 1
    return [channel_name(i) for i in range(max(1, count))]


def scheme_of(url: str) -> str:
    """The URL's scheme as shown to people (`tgram://…`): the only part of an Apprise URL that is never secret."""
    found = _SCHEME.match(url.strip())
    return f"{found.group(1).lower()}://…" if found else "<not a URL>"


class Redactor:
    """Removes every piece of one URL (the whole, what follows the scheme, each part of four characters or more,
    raw and %-encoded) from text before it is shown, logged or stored."""

    def __init__(self, url: str) -> None:
        rest = url.split("://", 1)[1] if "://" in url else url
        pieces = {url, rest, unquote(rest)}
        for part in _PIECES.split(rest) + _PIECES.split(unquote(rest)):
            if len(part) >= 4:
                pieces |= {part, unquote(part), quote(part, safe=""), quote(unquote(part), safe="")}
        self.pieces = sorted((p for p in pieces if len(p) >= 4), key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """`text` with every piece of the URL replaced by `***`."""
        for piece in self.pieces:
            text = text.replace(piece, "***")
        return text


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_DETAIL else text[: MAX_DETAIL - 1] + "…"


def classify(accepted: bool, messages: list[str], where: str) -> DeliveryResult:
    """What Apprise's answer means for the outbox: `messages` are its warnings and errors, already redacted."""
    said = _clip("; ".join(dict.fromkeys(m.strip() for m in messages if m.strip())))
    if accepted:
        return DeliveryResult("sent", f"accepted by {where}")
    detail = f"{where}: {said or 'the service did not take the message'}"
    for found in _STATUS.finditer(said):
        status = int(found.group(1) or found.group(2))
        if status == 410:
            return DeliveryResult("disable", f"HTTP 410 Gone from {where}: the service asked us to stop sending")
        if transient(status) or 500 <= status < 600:
            return DeliveryResult("retry", detail)
        if 300 <= status < 500:
            return DeliveryResult("dead", detail)
    if "disabled on this system" in said or "unparseable" in said.lower() or "unsupported url" in said.lower():
        return DeliveryResult("dead", detail)
    return DeliveryResult("retry", detail)  # connection errors, timeouts, anything unknown: try again later


class _Capture(logging.Handler):
    """Collects the warnings and errors Apprise logs during one send."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # a record that cannot be formatted says nothing useful
            self.messages.append(record.levelname)


def _silence_apprise() -> None:
    """Apprise's log (which may quote a URL) goes to the capture only, never to the process's log; urllib3 (used
    by Apprise through requests) says only errors, as its warnings may quote a request path."""
    logger = logging.getLogger("apprise")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    if not logger.handlers:
        logger.addHandler(logging.NullHandler())
    logging.getLogger("urllib3").setLevel(logging.ERROR)


def _apprise() -> Any:
    """The Apprise module, imported (and its log silenced) on first use."""
    import apprise

    _silence_apprise()
    return apprise


def _instantiate(url: str) -> tuple[Any | None, list[str]]:
    """Apprise's service object for `url` (None when it does not parse) and what Apprise logged meanwhile."""
    apprise = _apprise()
    capture = _Capture()
    logger = logging.getLogger("apprise")
    with _send_lock:
        logger.addHandler(capture)
        try:
            service = apprise.Apprise.instantiate(url, asset=apprise.AppriseAsset(async_mode=False),
                                                  suppress_exceptions=True)
        except Exception as exc:  # a plugin's own bug
            service, capture.messages = None, [*capture.messages, type(exc).__name__]
        finally:
            logger.removeHandler(capture)
    return service, capture.messages


def _service_name(service: Any) -> str:
    name = getattr(service, "service_name", None)
    return str(name) if name else "Apprise"


def _url_of(conf: AppriseSettings, name: str) -> str:
    """The URL of channel `name` (ConfigError when it cannot be read or there is no such URL any more)."""
    urls = conf.resolved_urls()
    index = channel_index(name)
    if index is None or index >= len(urls):
        raise ConfigError(f"alerts.apprise: channel {name} has no URL (the config names {len(urls)})")
    return urls[index]


class AppriseChannel:
    """One Apprise URL as a channel: its service object made at the first message (and again if the URL
    changes), one message per send, never retried inside Apprise (the outbox retries).

    A stop does not cut a send short: Apprise's requests have their own timeouts (a few seconds), within the
    daemon's stop grace.
    """

    def __init__(self, settings: Settings, name: str) -> None:
        conf = settings.alerts.apprise
        assert conf is not None
        self.conf = conf
        self.name = name
        self._url: str | None = None
        self._service: Any | None = None

    def _body(self, msg: AlertMessage) -> tuple[str, str, Any]:
        from monitor.alerts.render import render

        rendered = render(msg)
        formats = _apprise().NotifyFormat
        if self.conf.format == "html":
            return rendered.subject, rendered.html, formats.HTML
        return rendered.subject, rendered.text, formats.MARKDOWN if self.conf.format == "markdown" else formats.TEXT

    def send(self, msg: AlertMessage) -> DeliveryResult:
        """Hand the message to Apprise once and classify what it said (see `classify`); never raises."""
        try:
            url = _url_of(self.conf, self.name)
        except ConfigError as exc:
            return DeliveryResult("retry", f"configuration: {exc}")
        redact = Redactor(url)
        where = f"{self.name} ({scheme_of(url)})"
        try:
            if self._service is None or url != self._url:
                self._service, said = _instantiate(url)
                self._url = url
                if self._service is None:
                    why = _clip("; ".join(redact(m) for m in said)) or "no Apprise service for it"
                    return DeliveryResult("dead", f"{where}: the URL does not parse as an Apprise URL ({why}); "
                                                  "check it with `monitor doctor`")
            where = f"{self.name} ({_service_name(self._service)}, {scheme_of(url)})"
            return self._notify(msg, where, redact)
        except Exception as exc:  # an odd plugin error must not kill the dispatcher
            return DeliveryResult("retry", f"{where}: {type(exc).__name__}: {_clip(redact(str(exc)))}")

    def _notify(self, msg: AlertMessage, where: str, redact: Redactor) -> DeliveryResult:
        apprise = _apprise()
        title, body, body_format = self._body(msg)
        capture = _Capture()
        logger = logging.getLogger("apprise")
        with _send_lock:
            logger.addHandler(capture)
            try:
                sender = apprise.Apprise(asset=apprise.AppriseAsset(async_mode=False))
                sender.add(self._service)
                accepted = bool(sender.notify(body=body, title=title, body_format=body_format))
            finally:
                logger.removeHandler(capture)
        return classify(accepted, [redact(m) for m in capture.messages], where)

    def close(self) -> None:
        """Drop the service object."""
        self._service = None


def probe(settings: Settings, name: str) -> Probe:
    """The channel's URL can be read and parses as an Apprise URL (nothing is sent; no part of the URL but its
    scheme is shown)."""
    conf = settings.alerts.apprise
    assert conf is not None
    try:
        url = _url_of(conf, name)
    except ConfigError as exc:
        return Probe("fail", str(exc), "set the variable or create the file the config names")
    service, said = _instantiate(url)
    if service is None:
        redact = Redactor(url)
        why = _clip("; ".join(redact(m) for m in said)) or "no Apprise service for it"
        return Probe("fail", f"{scheme_of(url)} does not parse as an Apprise URL: {why}",
                     "see the Apprise wiki for the URL of this service; `monitor alerts test` sends a real test")
    return Probe("ok", f"{_service_name(service)} URL parses ({scheme_of(url)})")


__all__ = ["AppriseChannel", "Redactor", "channel_index", "channel_name", "channel_names", "classify", "probe",
           "scheme_of"]
