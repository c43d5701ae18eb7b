"""The registry of alert channels: each kind is declared once here, and configuration checks, `alerts test`,
`doctor` and the dispatcher all work from this list.

A channel sends one message once and says what came of it (`DeliveryResult`); retrying, backing off and
bookkeeping are the dispatcher's and the outbox's. To add a kind: a module with its send and probe functions,
a settings table in `monitor/config.py` (`[alerts.NAME]`), and one `ChannelKind` below.

A kind whose table names several endpoints (Apprise: a list of URLs) makes one channel per endpoint, named
`NAME` for the first and `NAME[2]`, `NAME[3]`... for the others: each has its own outbox rows, retries and dead
state, so a failure of one endpoint never resends to the others.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from monitor.alerts import AlertMessage, DeliveryResult
from monitor.config import AlertSettings, Settings

ProbeLevel = Literal["ok", "warn", "fail"]


@dataclass(frozen=True)
class Probe:
    """What a channel's self-check found, without sending anything: a level, what was seen, what to do."""

    level: ProbeLevel
    detail: str
    advice: str = ""


class Channel(Protocol):
    """An open channel: sends messages one at a time, then is closed. A channel opened with a stop event gives up
    a delivery in flight soon after it is set (the webhook within about a second)."""

    def send(self, msg: AlertMessage) -> DeliveryResult:
        """Deliver one message once; never raises."""

    def close(self) -> None:
        """Release what the channel holds (connections)."""


@dataclass(frozen=True)
class ChannelKind:
    """One kind of channel: its name, where its settings are, how to open it and how to check it."""

    name: str
    section: Callable[[AlertSettings], object | None]
    open: Callable[[Settings, str, threading.Event], Channel]  # (settings, channel name, stop)
    probe: Callable[[Settings, str], Probe]  # (settings, channel name)
    instances: Callable[[Settings], list[str]] | None = None  # channel names when the table makes several

    def configured(self, settings: Settings) -> bool:
        """Whether the config has this channel's table."""
        return self.section(settings.alerts) is not None

    def enabled(self, settings: Settings) -> bool:
        """Whether the channel is configured and not switched off (`enabled = false`)."""
        section = self.section(settings.alerts)
        return section is not None and bool(getattr(section, "enabled", True))

    def names(self, settings: Settings) -> list[str]:
        """The channels of this kind the config makes (none when its table is absent)."""
        if not self.configured(settings):
            return []
        return self.instances(settings) if self.instances is not None else [self.name]


def _open_webhook(settings: Settings, name: str, stop: threading.Event) -> Channel:
    from monitor.alerts.webhook import WebhookChannel

    return WebhookChannel(settings, stop)


def _probe_webhook(settings: Settings, name: str) -> Probe:
    from monitor.alerts.webhook import probe

    return probe(settings)


def _open_email(settings: Settings, name: str, stop: threading.Event) -> Channel:
    from monitor.alerts.email import EmailChannel

    return EmailChannel(settings)


def _probe_email(settings: Settings, name: str) -> Probe:
    from monitor.alerts.email import probe

    return probe(settings)


def _open_apprise(settings: Settings, name: str, stop: threading.Event) -> Channel:
    from monitor.alerts.apprise import AppriseChannel  # imports nothing of Apprise until the first message

    return AppriseChannel(settings, name)


def _probe_apprise(settings: Settings, name: str) -> Probe:
    from monitor.alerts.apprise import probe

    return probe(settings, name)


def _apprise_names(settings: Settings) -> list[str]:
    from monitor.alerts.apprise import channel_names

    return channel_names(settings)


#: Every kind of channel, in the order alerts are queued and checked.
KINDS: tuple[ChannelKind, ...] = (
    ChannelKind("webhook", lambda a: a.webhook, _open_webhook, _probe_webhook),
    ChannelKind("email", lambda a: a.email, _open_email, _probe_email),
    ChannelKind("apprise", lambda a: a.apprise, _open_apprise, _probe_apprise, _apprise_names),
)
NAMES = tuple(k.name for k in KINDS)


def kind(name: str) -> ChannelKind | None:
    """The kind of the channel named `name` (`apprise[2]` is of kind `apprise`), or None."""
    base = name.split("[", 1)[0]
    return next((k for k in KINDS if k.name == base), None)


def enabled_channels(settings: Settings) -> list[str]:
    """The names of the channels configured and enabled: where new alerts are queued."""
    return [n for k in KINDS if k.enabled(settings) for n in k.names(settings)]


def configured_channels(settings: Settings) -> list[str]:
    """The names of the channels configured, enabled or not (what `alerts test` and `doctor` look at)."""
    return [n for k in KINDS for n in k.names(settings)]
