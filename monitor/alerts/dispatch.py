"""The dispatcher: claims due outbox rows, hands them to their channel, and records what happened."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from monitor.alerts import AlertMessage, DeliveryResult
from monitor.alerts.channels import Channel, kind
from monitor.alerts.webhook import backoff_delay
from monitor.config import Settings
from monitor.logging import get_logger
from monitor.runtime.metrics import observe_delivery
from monitor.store import Store
from monitor.store.outbox import claim, disable_channel, due, mark_dead, mark_retry, mark_sent

log = get_logger("dispatch")


@dataclass
class DispatchSummary:
    """Counts of one dispatch pass."""

    sent: int = 0
    retried: int = 0
    dead: int = 0
    errors: list[str] = field(default_factory=list)


def message_of(row: dict[str, object]) -> AlertMessage:
    """The AlertMessage of an outbox row."""
    return AlertMessage(alert_id=str(row["id"]), kind=str(row["kind"]), payload=json.loads(str(row["payload"])),
                        created_at=datetime.fromisoformat(str(row["created_at"])))


class Dispatcher:
    """Sends due alerts on the configured channels; one pass at a time per process."""

    def __init__(self, settings: Settings, store: Store, *, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.store = store
        self.stop = stop or threading.Event()  # set: no new delivery is started
        self._channels: dict[str, Channel] = {}
        self._channels_lock = threading.Lock()
        self._lock = threading.Lock()

    def _channel(self, name: str) -> Channel | None:
        """The open channel `name`, opened at its first message; None when it is not configured (any more)."""
        with self._channels_lock:
            channel = self._channels.get(name)
            if channel is None:
                found = kind(name)
                # a kind with several endpoints (apprise[2]) says itself, at the send, when one is gone: a URL
                # file that cannot be read for a moment must not make its pending alerts dead
                if found is None or not found.configured(self.settings):
                    return None
                channel = self._channels[name] = found.open(self.settings, name, self.stop)
            return channel

    def close(self) -> None:
        """Close every channel opened."""
        with self._channels_lock:
            for channel in self._channels.values():
                channel.close()
            self._channels.clear()

    def deliver(self, channel: str, msg: AlertMessage) -> DeliveryResult:
        """Send one message on one channel."""
        opened = self._channel(channel)
        if opened is None:
            return DeliveryResult("dead", f"channel {channel!r} is not configured any more")
        return opened.send(msg)

    def run_once(self, now: datetime | None = None) -> DispatchSummary:
        """Deliver every alert that is due now."""
        summary = DispatchSummary()
        if not self._lock.acquire(blocking=False):
            return summary
        try:
            for row in due(self.store, now or datetime.now(UTC)):
                if self.stop.is_set():
                    break
                self._attempt(row, summary)
        finally:
            self._lock.release()
        return summary

    def _attempt(self, row: dict[str, object], summary: DispatchSummary) -> None:
        alert_id, channel = str(row["id"]), str(row["channel"])
        if not claim(self.store, alert_id, datetime.now(UTC)):
            return
        attempts = int(str(row["attempts"])) + 1
        started = time.monotonic()
        result = self.deliver(channel, message_of(row))
        observe_delivery(channel, result.outcome, time.monotonic() - started)
        fields = {"alert": alert_id, "channel": channel, "kind": row["kind"], "attempt": attempts}
        if result.outcome == "sent":
            mark_sent(self.store, alert_id)
            summary.sent += 1
            log.info("alert sent", **fields)
        elif result.outcome == "disable":
            disable_channel(self.store, channel, result.detail)
            mark_dead(self.store, alert_id, f"{result.detail}; channel disabled until `monitor alerts enable "
                      f"{channel}`")
            summary.dead += 1
            log.error("alert channel disabled", detail=result.detail, **fields)
        elif result.outcome == "dead" or attempts >= self.settings.alerts.max_attempts:
            detail = result.detail if result.outcome == "dead" else f"gave up after {attempts} attempts: " \
                                                                      f"{result.detail}"
            mark_dead(self.store, alert_id, detail)
            summary.dead += 1
            summary.errors.append(f"{alert_id} ({channel}): {detail}")
            log.error("alert dead", detail=detail, **fields)
        else:
            delay = result.retry_after if result.retry_after is not None else backoff_delay(attempts)
            mark_retry(self.store, alert_id, result.detail, delay)
            summary.retried += 1
            summary.errors.append(f"{alert_id} ({channel}): {result.detail}")
            log.warning("alert retry", detail=result.detail, retry_in=round(delay, 1), **fields)
