"""The optional digest: other diplomatic items of the last N minutes, one alert per channel and window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.store import Store, iso
from monitor.store.archive import digest_rows
from monitor.store.korean import korean_only_between
from monitor.store.outbox import enqueue, last_digest_until
from monitor.store.signals import watch_matches_between

DIGEST_LIMIT = 200


def queue_digest(store: Store, channels: list[str], minutes: int, now: datetime | None = None) -> int:
    """Enqueue a digest of diplomatic items (and meetings below the alert bar) first seen since the last digest.

    Returns how many alerts were queued (0 when nothing new was seen, so quiet days send nothing).
    """
    if minutes <= 0 or not channels:
        return 0
    end = now or datetime.now(UTC)
    start = last_digest_until(store) or iso(end - timedelta(minutes=minutes))
    rows = digest_rows(store, start, iso(end), DIGEST_LIMIT)
    until = rows[-1]["first_seen_at"] if len(rows) == DIGEST_LIMIT else iso(end)
    watched = watch_matches_between(store, start, until)
    korean = korean_only_between(store, start, iso(end), DIGEST_LIMIT)
    if not rows and not watched and not korean:
        return 0
    items: list[dict[str, Any]] = [{"id": r["id"], "title": r["title"], "url": r["url"], "source": r["source"],
                                    "date": r["published"], "category": r["category"]} for r in rows]
    # Korean items marked "Korean only" in the window (no English version 48 hours after they were seen)
    items += [{"id": r["id"], "title": r["title"], "url": r["url"], "source": r["source"], "date": r["published"],
               "category": r["category"], "korean_only": True} for r in korean]
    # the items each watch matched in the window, grouped by watch
    watches = [{"watch": w["watch"], "id": w["id"], "title": w["title"], "url": w["url"], "source": w["source"],
                "date": w["published"]} for w in watched]
    payload = {"since": start, "until": until, "items": items, "watches": watches}
    queued = 0
    with store.transaction() as db:
        for channel in channels:
            queued += enqueue(db, channel=channel, kind="digest", subject=until, payload=payload) is not None
    return queued
