"""What every HTTP exchange of the project agrees on, listing fetches and webhook deliveries alike: which answers
are worth another try, how long a server may ask us to wait, and how retries back off."""

from __future__ import annotations

import email.utils
import random
import time
from datetime import UTC

#: Answers that say "try again later": timeouts, too early, too many requests, and the server errors a proxy
#: or an overloaded server gives (Cloudflare's 52x included).
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
#: The longest a server's Retry-After is honoured by default.
MAX_RETRY_AFTER = 3600.0


def transient(status: int) -> bool:
    """Whether an HTTP status is worth another attempt later."""
    return status in RETRY_STATUSES


def parse_retry_after(value: str | None, *, now: float | None = None, cap: float = MAX_RETRY_AFTER) -> float | None:
    """Seconds to wait from a Retry-After value (delay-seconds or HTTP-date), clamped to [0, cap]; None when
    absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return min(float(text), cap)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, min(when.timestamp() - (time.time() if now is None else now), cap))


def backoff(attempt: int, *, base: float, cap: float = MAX_RETRY_AFTER, rng: random.Random | None = None) -> float:
    """Seconds before retry number `attempt` (from 1): base x 2^(attempt-1), capped, with jitter over its upper
    half, so that retries of many clients spread out but never come back sooner than half the delay."""
    n = max(1, attempt)
    ceiling = cap if n > 40 else min(cap, base * 2.0 ** (n - 1))
    return ceiling * (0.5 + (rng or random).random() / 2)
