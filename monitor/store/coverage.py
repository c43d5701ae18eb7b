"""What the store knows of its own coverage: gaps in what a source was seen to publish, and backfills under way."""

from __future__ import annotations

from typing import Any

from monitor.store.database import Store, Tx


def has_history(store: Store, source: str) -> bool:
    """Whether any item was ever stored from `source` (a first run has nothing to be out of step with)."""
    return store.one("SELECT 1 AS x FROM item_urls WHERE source = ? LIMIT 1", (source,)) is not None


def open_gap(tx: Tx, source: str, since: str | None, now: str, pages: int, recovered: int, note: str) -> None:
    """Record a gap that catch-up could not close (or update the one already open for the source)."""
    current = tx.one("SELECT id FROM gaps WHERE source = ? AND closed_at IS NULL ORDER BY id LIMIT 1", [source])
    if current is None:
        tx.execute("INSERT INTO gaps (source, since, detected_at, pages, recovered, note) VALUES (?, ?, ?, ?, ?, ?)",
                   [source, since, now, pages, recovered, note])
    else:
        tx.execute("UPDATE gaps SET pages = pages + ?, recovered = recovered + ?, note = ? WHERE id = ?",
                   [pages, recovered, note, current["id"]])


def closed_gap(tx: Tx, source: str, since: str | None, now: str, pages: int, recovered: int, note: str) -> None:
    """Record a gap that catch-up closed in the same run (kept for the record: when, how many pages and items)."""
    tx.execute("INSERT INTO gaps (source, since, detected_at, closed_at, pages, recovered, note) "
               "VALUES (?, ?, ?, ?, ?, ?, ?)", [source, since, now, now, pages, recovered, note])


def close_gaps(tx: Tx, source: str, now: str, note: str, *, since_on_or_after: str | None = None) -> int:
    """Close the open gaps of `source` (only those that began on or after a day, when given); how many."""
    sql = "UPDATE gaps SET closed_at = ?, note = ? WHERE source = ? AND closed_at IS NULL"
    params: list[Any] = [now, note, source]
    if since_on_or_after is not None:
        sql += " AND (since IS NULL OR substr(since, 1, 10) >= ?)"
        params.append(since_on_or_after)
    return int(tx.execute(sql, params).rowcount)


def open_gaps(store: Store) -> dict[str, dict[str, Any]]:
    """The open gap of each source that has one: since (the last good poll before it) and when it was found."""
    rows = store.query("SELECT source, MIN(since) AS since, MIN(detected_at) AS detected_at, SUM(pages) AS pages, "
                       "SUM(recovered) AS recovered, MAX(note) AS note FROM gaps WHERE closed_at IS NULL "
                       "GROUP BY source")
    return {r["source"]: r for r in rows}


def gap_history(store: Store, source: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Gaps newest first, open and closed."""
    where, params = ("WHERE source = ?", (source,)) if source else ("", ())
    return store.query(f"SELECT * FROM gaps {where} ORDER BY id DESC LIMIT {int(limit)}", params)


def backfill_position(store: Store, source: str) -> dict[str, Any] | None:
    """Where the backfill of `source` stopped (its next page request, pages and items so far), or None."""
    return store.one("SELECT * FROM backfills WHERE source = ?", (source,))


def save_backfill(tx: Tx, source: str, since: str, next_request: str, pages: int, items: int, oldest: str | None,
                  now: str) -> None:
    """Remember the next page of a backfill (written with the page's items, in the same transaction)."""
    tx.execute("INSERT INTO backfills (source, since, next_request, pages, items, oldest, started_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(source) DO UPDATE SET since = excluded.since, "
               "next_request = excluded.next_request, pages = excluded.pages, items = excluded.items, "
               "oldest = excluded.oldest, updated_at = excluded.updated_at",
               [source, since, next_request, pages, items, oldest, now, now])


def end_backfill(tx: Tx, source: str) -> None:
    """Forget a finished backfill."""
    tx.execute("DELETE FROM backfills WHERE source = ?", [source])
