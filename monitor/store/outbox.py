"""The transactional outbox: alert rows written with the items that caused them, claimed by the dispatcher."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.store.database import Store, Tx, iso, utcnow

CLAIM_LEASE_SECONDS = 120
PROCESS_TAG = f"{os.getpid()}@{uuid.uuid4().hex[:8]}"


def alert_key(channel: str, kind: str, subject: str) -> str:
    """The idempotency key of an alert: one per channel, kind and subject (event id or source name + episode)."""
    return hashlib.sha256(f"{channel}|{kind}|{subject}".encode()).hexdigest()


def enqueue(db: Tx, *, channel: str, kind: str, subject: str, payload: dict[str, Any],
            event_id: str | None = None, now: str | None = None) -> str | None:
    """Add an alert row inside the caller's transaction; return its id, or None when that alert already exists."""
    key = alert_key(channel, kind, subject)
    alert_id = "msg_" + key[:24]
    stamp = now or utcnow()
    cur = db.execute(
        "INSERT OR IGNORE INTO outbox (id, key, channel, kind, event_id, payload, status, attempts, next_attempt_at, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
        [alert_id, key, channel, kind, event_id, json.dumps(payload, ensure_ascii=False), stamp, stamp],
    )
    return alert_id if cur.rowcount == 1 else None


def due(store: Store, now: datetime, limit: int = 100) -> list[dict[str, Any]]:
    """Pending alerts whose next attempt time has come, on channels not disabled, oldest first."""
    return store.query(
        "SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND channel NOT IN "
        "(SELECT name FROM channels WHERE disabled_at IS NOT NULL) ORDER BY created_at LIMIT ?",
        (iso(now), limit),
    )


def claim(store: Store, alert_id: str, now: datetime) -> bool:
    """Take an alert for one attempt (compare-and-set with a lease); False when someone else has it."""
    lease = iso(now + timedelta(seconds=CLAIM_LEASE_SECONDS))
    with store.transaction() as db:
        cur = db.execute("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, claimed_by = ? WHERE id = ? "
                         "AND status = 'pending' AND next_attempt_at <= ?", [lease, PROCESS_TAG, alert_id, iso(now)])
        return cur.rowcount == 1


def release_stale_claims(store: Store) -> int:
    """Make alerts claimed by a process that died mid-send due now (the daemon is the only dispatcher of its
    database, so any claim not of this process is stale). Returns how many were released."""
    with store.transaction() as db:
        cur = db.execute("UPDATE outbox SET claimed_by = NULL, next_attempt_at = ? WHERE status = 'pending' AND "
                         "claimed_by IS NOT NULL AND claimed_by != ?", [utcnow(), PROCESS_TAG])
        return int(cur.rowcount)


def mark_sent(store: Store, alert_id: str) -> None:
    """Record a delivery."""
    with store.transaction() as db:
        db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, last_error = NULL, claimed_by = NULL "
                   "WHERE id = ?",
                   [utcnow(), alert_id])


def mark_retry(store: Store, alert_id: str, error: str, delay: float) -> None:
    """Record a failed attempt and when to try again."""
    when = iso(datetime.now(UTC) + timedelta(seconds=delay))
    with store.transaction() as db:
        db.execute("UPDATE outbox SET last_error = ?, next_attempt_at = ?, claimed_by = NULL "
                   "WHERE id = ?", [error, when, alert_id])


def mark_dead(store: Store, alert_id: str, error: str) -> None:
    """Give up on an alert, keeping the error."""
    with store.transaction() as db:
        db.execute("UPDATE outbox SET status = 'dead', last_error = ?, claimed_by = NULL WHERE id = ?",
                   [error, alert_id])


def retry(store: Store, alert_id: str) -> bool:
    """Put a dead (or pending) alert back in line for an immediate attempt; False if there is no such alert."""
    with store.transaction() as db:
        cur = db.execute("UPDATE outbox SET status = 'pending', next_attempt_at = ? WHERE id = ? AND "
                         "status != 'sent'", [utcnow(), alert_id])
        return cur.rowcount == 1


def disable_channel(store: Store, channel: str, reason: str) -> None:
    """Stop sending on a channel (its endpoint answered 410 Gone) until re-enabled."""
    with store.transaction() as db:
        db.execute("INSERT INTO channels (name, disabled_at, reason) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE "
                   "SET disabled_at = excluded.disabled_at, reason = excluded.reason", [channel, utcnow(), reason])


def enable_channel(store: Store, channel: str) -> bool:
    """Re-enable a disabled channel; False when it was not disabled."""
    with store.transaction() as db:
        cur = db.execute("UPDATE channels SET disabled_at = NULL, reason = NULL WHERE name = ? AND "
                         "disabled_at IS NOT NULL", [channel])
        return cur.rowcount == 1


def alert_status(store: Store, alert_id: str) -> dict[str, Any] | None:
    """The status and last error of one alert."""
    return store.one("SELECT status, last_error FROM outbox WHERE id = ?", (alert_id,))


def last_digest_until(store: Store) -> str | None:
    """Where the last digest ended (its payload's `until`), or None before the first."""
    value = store.scalar("SELECT MAX(json_extract(payload, '$.until')) FROM outbox WHERE kind = 'digest'")
    return str(value) if value is not None else None
