"""The read queries behind the Prometheus metrics that come from the database (so that they are right from the
first scrape after a restart): source health, items by source and category, alerts by channel and status."""

from __future__ import annotations

from typing import Any

from monitor.store.database import Store


def source_health(store: Store) -> list[dict[str, Any]]:
    """Each source's name, last success (ISO time or None) and consecutive failures."""
    return store.query("SELECT name, last_ok_at, consecutive_failures FROM sources ORDER BY name")


def item_counts(store: Store) -> list[dict[str, Any]]:
    """How many items each source stored first, by category (`unclassified` when none)."""
    return store.query("SELECT source, COALESCE(category, 'unclassified') AS category, COUNT(*) AS n FROM items "
                       "GROUP BY source, COALESCE(category, 'unclassified') ORDER BY source, category")


def alert_counts(store: Store) -> list[dict[str, Any]]:
    """How many outbox rows each channel has in each status (pending, sent, dead)."""
    return store.query("SELECT channel, status, COUNT(*) AS n FROM outbox GROUP BY channel, status "
                       "ORDER BY channel, status")
