"""The digest of diplomatic items: one per window, only new items, nothing on quiet days."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from monitor.alerts.digest import queue_digest
from monitor.store import Store, iso


def add_item(store: Store, n: int, category: str, seen: datetime, high: bool = False) -> None:
    """Insert an item row as the pipeline would."""
    with store.transaction() as db:
        db.execute("INSERT INTO items (key, source, url, title, content_hash, story_key, category, high_level, "
                   "first_seen_at, last_seen_at) VALUES (?, 's', ?, ?, 'h', 'k', ?, ?, ?, ?)",
                   [f"k{n}", f"http://x/{n}", f"Item {n}", category, int(high), iso(seen), iso(seen)])


def test_digest_windows(tmp_path: Path) -> None:
    """Each digest holds the diplomatic items since the previous one; domestic and alerted meetings stay out."""
    store = Store(tmp_path / "m.db")
    now = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
    add_item(store, 1, "diplomatic", now - timedelta(minutes=10))
    add_item(store, 2, "domestic", now - timedelta(minutes=9))
    add_item(store, 3, "meeting", now - timedelta(minutes=8), high=True)
    add_item(store, 4, "meeting", now - timedelta(minutes=7), high=False)
    assert queue_digest(store, ["webhook", "email"], 60, now) == 2
    payload = json.loads(store.query("SELECT payload FROM outbox WHERE channel = 'webhook'")[0]["payload"])
    assert [i["title"] for i in payload["items"]] == ["Item 1", "Item 4"]
    assert queue_digest(store, ["webhook"], 60, now + timedelta(minutes=60)) == 0  # nothing new: no digest
    add_item(store, 5, "diplomatic", now + timedelta(minutes=61))
    assert queue_digest(store, ["webhook"], 60, now + timedelta(minutes=120)) == 1
    latest = store.query("SELECT payload FROM outbox WHERE kind = 'digest' ORDER BY created_at DESC")[0]
    assert [i["title"] for i in json.loads(latest["payload"])["items"]] == ["Item 5"]
    store.close()
