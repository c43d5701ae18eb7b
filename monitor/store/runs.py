"""Queries of a source run: which entries are known, storing new items and edits, URLs, removals, the fetch log
and the source's health."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from monitor.store.database import Store, Tx

_CHUNK = 500


def _known(store: Store, sql: str, values: list[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for i in range(0, len(values), _CHUNK):
        chunk = values[i:i + _CHUNK]
        for row in store.query(sql.format(",".join("?" * len(chunk))), tuple(chunk)):
            found[row["k"]] = row
    return found


def known_by_url(store: Store, urls: list[str]) -> dict[str, dict[str, Any]]:
    """Stored items listed under any of `urls`: url -> id, article_fetched_at, first_seen_at."""
    return _known(store, "SELECT u.url AS k, i.id, i.article_fetched_at, i.first_seen_at FROM item_urls u "
                         "JOIN items i ON i.id = u.item_id WHERE u.url IN ({})", urls)


def known_by_key(store: Store, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Stored items with any of `keys`: key -> id, article_fetched_at, first_seen_at."""
    return _known(store, "SELECT key AS k, id, article_fetched_at, first_seen_at FROM items WHERE key IN ({})", keys)


@dataclass(frozen=True)
class NewItem:
    """The row of a new item, classification included."""

    key: str
    source: str
    url: str
    title: str
    published: str | None
    teaser: str | None
    body: str | None
    outlet: str | None
    content_hash: str
    story_key: str
    category: str
    high_level: bool
    participants: list[str]
    countries: list[str]
    confidence: float
    reasons: list[str]
    classifier_version: str
    article_fetched: bool


def insert_item(tx: Tx, item: NewItem, now: str) -> int | None:
    """Store a new item with its first revision; its id, or None when an item with its key is stored already."""
    cur = tx.execute(
        "INSERT INTO items (key, source, url, title, published, teaser, body, outlet, content_hash, story_key, "
        "category, high_level, participants, countries, confidence, reasons, classifier_version, first_seen_at, "
        "last_seen_at, article_fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT(key) DO NOTHING",
        [item.key, item.source, item.url, item.title, item.published, item.teaser, item.body, item.outlet,
         item.content_hash, item.story_key, item.category, int(item.high_level), json.dumps(item.participants),
         json.dumps(item.countries), item.confidence, json.dumps(item.reasons), item.classifier_version, now, now,
         now if item.article_fetched else None])
    if not cur.rowcount:
        return None
    item_id = int(cur.lastrowid or 0)
    tx.execute("INSERT INTO revisions (item_id, seen_at, title, body, content_hash) VALUES (?, ?, ?, ?, ?)",
               [item_id, now, item.title, item.body, item.content_hash])
    return item_id


def item_id_of_key(tx: Tx, key: str) -> int:
    """The id of the item with `key` (which must be stored)."""
    return int(tx.scalar("SELECT id FROM items WHERE key = ?", [key]))


def touch_item(tx: Tx, item_id: int, now: str) -> None:
    """Mark an item seen again now (and not removed)."""
    tx.execute("UPDATE items SET last_seen_at = ?, removed_at = NULL WHERE id = ?", [now, item_id])


def add_url(tx: Tx, url: str, item_id: int, source: str, outlet: str | None, now: str) -> None:
    """Record that `url` on `source` shows the item (first time, or seen again now)."""
    tx.execute("INSERT INTO item_urls (url, item_id, source, outlet, first_seen_at, last_seen_at) "
               "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET last_seen_at = excluded.last_seen_at",
               [url, item_id, source, outlet, now, now])


def set_event(tx: Tx, item_id: int, event_id: str) -> None:
    """Link an item to its meeting event."""
    tx.execute("UPDATE items SET event_id = ? WHERE id = ?", [event_id, item_id])


def store_article(tx: Tx, item_id: int, body: str, content_hash: str, now: str) -> bool:
    """The article text of a known item fetched now: stored, and a revision added when it differs from an
    earlier text (the first text of an item stored from its listing entry only fills that first revision).
    Whether a new revision was added."""
    row = tx.one("SELECT title, body, content_hash FROM items WHERE id = ?", [item_id])
    assert row is not None
    tx.execute("UPDATE items SET article_fetched_at = ? WHERE id = ?", [now, item_id])
    if content_hash == row["content_hash"]:
        return False
    tx.execute("UPDATE items SET body = ?, content_hash = ? WHERE id = ?", [body, content_hash, item_id])
    if row["body"] is None:
        tx.execute("UPDATE revisions SET body = ?, content_hash = ? WHERE item_id = ? AND body IS NULL",
                   [body, content_hash, item_id])
        return False
    tx.execute("INSERT INTO revisions (item_id, seen_at, title, body, content_hash) VALUES (?, ?, ?, ?, ?)",
               [item_id, now, row["title"], body, content_hash])
    return True


def item_title(tx: Tx, item_id: int) -> str:
    """The stored title of an item."""
    return str(tx.scalar("SELECT title FROM items WHERE id = ?", [item_id]))


def listed_on_days(tx: Tx, source: str, days: list[str]) -> list[tuple[str, int]]:
    """(url, item id) of the items of `source` published on `days` and not marked removed."""
    if not days:
        return []
    marks = ",".join("?" * len(days))
    return [(r["url"], r["item_id"]) for r in tx.query(
        f"SELECT u.url, u.item_id FROM item_urls u JOIN items i ON i.id = u.item_id WHERE u.source = ? AND "
        f"i.removed_at IS NULL AND i.published IN ({marks})", [source, *days])]


def mark_removed(tx: Tx, item_id: int, now: str) -> dict[str, Any] | None:
    """Mark an item removed now; the item (title, url, source, published, last_seen_at) when it was not already."""
    cur = tx.execute("UPDATE items SET removed_at = ? WHERE id = ? AND removed_at IS NULL", [now, item_id])
    if not cur.rowcount:
        return None
    return tx.one("SELECT title, url, source, published, last_seen_at FROM items WHERE id = ?", [item_id])


@dataclass(frozen=True)
class RunRecord:
    """What the fetch log and the source's health keep of one run."""

    source: str
    started_at: str
    duration: float
    status: str
    failed: bool
    http_status: int | None
    entries: int
    new_items: int
    error: str | None
    warnings: list[str]


def record_run(tx: Tx, run: RunRecord, now: str, *, validators: tuple[str | None, str | None] | None = None,
               retry_at: str | None = None, layout: str | None = None) -> tuple[int, str | None]:
    """Write the fetch log line and update the source's health; (consecutive failures, failing episode) after."""
    warnings = json.dumps(run.warnings, ensure_ascii=False)
    tx.execute("INSERT INTO fetch_log (source, started_at, duration, status, http_status, entries, new_items, error, "
               "warnings) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               [run.source, run.started_at, run.duration, run.status, run.http_status, run.entries, run.new_items,
                run.error, warnings])
    sets = ["last_run_at = ?", "last_status = ?", "last_warnings = ?"]
    params: list[Any] = [now, run.status, warnings]
    if run.failed:
        sets += ["last_error = ?", "consecutive_failures = consecutive_failures + 1"]
        params.append(run.error)
    else:
        sets += ["last_error = NULL", "consecutive_failures = 0", "last_ok_at = ?", "next_fetch_not_before = NULL"]
        params.append(now)
    if retry_at:
        sets.append("next_fetch_not_before = ?")
        params.append(retry_at)
    if validators is not None:
        sets += ["etag = ?", "last_modified = ?"]
        params += list(validators)
    if layout:
        sets.append("layout = ?")
        params.append(layout)
    if run.entries:
        sets.append("entries_seen = ?")
        params.append(run.entries)
    tx.execute(f"UPDATE sources SET {', '.join(sets)} WHERE name = ?", [*params, run.source])
    row = tx.one("SELECT consecutive_failures, health_alerted FROM sources WHERE name = ?", [run.source])
    assert row is not None
    return int(row["consecutive_failures"]), row["health_alerted"]


def set_failing_episode(tx: Tx, source: str, since: str | None) -> None:
    """Remember when the failing episode that was alerted began (None: the source recovered)."""
    tx.execute("UPDATE sources SET health_alerted = ? WHERE name = ?", [since, source])
