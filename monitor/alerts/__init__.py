"""Alert channels: the message the dispatcher hands to a channel and the result a channel gives back.

Each channel module (webhook, email) sends one message once and reports what happened; retries, backoff
scheduling and bookkeeping belong to the dispatcher and the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

Outcome = Literal["sent", "retry", "dead", "disable"]

MAX_RETRY_AFTER = 3600.0  # seconds: a receiver cannot park an alert for longer than this


@dataclass(frozen=True)
class DeliveryResult:
    """What one delivery attempt came to.

    `sent`: delivered; `retry`: a transient failure, try again later (after `retry_after` seconds when the
    receiver said so); `dead`: a permanent failure that needs a person; `disable`: the endpoint answered
    410 Gone, so stop sending to it until it is re-enabled.
    """

    outcome: Outcome
    detail: str
    retry_after: float | None = None


@dataclass(frozen=True)
class AlertMessage:
    """One alert as the dispatcher hands it to a channel; `alert_id` is its stable idempotency key."""

    alert_id: str
    kind: str
    payload: dict[str, object] = field(hash=False)
    created_at: datetime


__all__ = ["MAX_RETRY_AFTER", "AlertMessage", "DeliveryResult", "Outcome"]
