"""Queries of the signals beyond meetings: appearances, absence episodes, ordered lists of names, watch matches."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from monitor.store.database import Store, Tx


def add_appearances(tx: Tx, item_id: int, date: str, rows: Sequence[tuple[str, str]], *, quiet: bool) -> int:
    """Record the appearances (person, kind) of an item on `date`; `quiet` ones never raise an alert. How many
    were new."""
    added = 0
    for person, kind in rows:
        cur = tx.execute("INSERT OR IGNORE INTO appearances (item_id, person, date, kind, quiet) "
                         "VALUES (?, ?, ?, ?, ?)", [item_id, person, date, kind, int(quiet)])
        added += cur.rowcount
    return added


def replace_appearances(tx: Tx, item_id: int, date: str | None, rows: Sequence[tuple[str, str]]) -> None:
    """The appearances of an item read again (reclassification): old rows dropped, new ones quiet."""
    tx.execute("DELETE FROM appearances WHERE item_id = ?", [item_id])
    if date:
        add_appearances(tx, item_id, date, rows, quiet=True)


def mark_read(tx: Tx, item_ids: Sequence[int]) -> None:
    """Mark items as read for appearances and lists of names."""
    tx.executemany("UPDATE items SET signals_read = 1 WHERE id = ?", [(i,) for i in item_ids])


def items_unread(store: Store) -> list[dict[str, Any]]:
    """Items never read for appearances and lists of names (stored before m007, or by another path)."""
    return store.query("SELECT id, title, body, teaser, published FROM items WHERE signals_read = 0")


def reread_all(store: Store, rows: Sequence[tuple[int, str, str | None, str | None]], read: Any) -> None:
    """Apply `read(tx, id, title, text, published)` to each (id, title, text, published) row in one
    transaction, and mark them read."""
    with store.transaction() as tx:
        for item_id, title, text, published in rows:
            read(tx, item_id, title, text, published)
        mark_read(tx, [r[0] for r in rows])


def appearances(store: Store, person: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
    """Appearances oldest first, each with its item's title, URL and source."""
    where, params = [], []
    if person:
        where.append("a.person = ?")
        params.append(person)
    if since:
        where.append("a.date >= ?")
        params.append(since)
    sql = ("SELECT a.person, a.date, a.kind, a.item_id, i.title, i.url, i.source FROM appearances a "
           "JOIN items i ON i.id = a.item_id")
    if where:
        sql += " WHERE " + " AND ".join(where)
    return store.query(sql + " ORDER BY a.person, a.date, a.item_id", tuple(params))


def last_appearance(db: Tx | Store, person: str) -> dict[str, Any] | None:
    """The latest appearance of a person (date, item id, kind), or None."""
    return db.one("SELECT date, item_id, kind, quiet FROM appearances WHERE person = ? ORDER BY date DESC, "
                  "item_id DESC LIMIT 1", (person,))


def first_appearance_after(tx: Tx, person: str, after: str) -> dict[str, Any] | None:
    """The first appearance of a person after a date, with its item (id, title, url, source, date, quiet)."""
    return tx.one("SELECT a.date, a.kind, a.quiet, i.id AS item_id, i.title, i.url, i.source FROM appearances a "
                  "JOIN items i ON i.id = a.item_id WHERE a.person = ? AND a.date > ? ORDER BY a.date, a.item_id "
                  "LIMIT 1", [person, after])


def open_absence(tx: Tx, person: str) -> dict[str, Any] | None:
    """The absence episode of a person alerted and not yet ended, or None."""
    return tx.one("SELECT * FROM absences WHERE person = ? AND ended_at IS NULL ORDER BY last_seen DESC LIMIT 1",
                  [person])


def start_absence(tx: Tx, person: str, last_seen: str, days: int, now: str) -> bool:
    """Record an absence episode (a person not seen since `last_seen`); False when it was recorded already."""
    cur = tx.execute("INSERT OR IGNORE INTO absences (person, last_seen, days, alerted_at) VALUES (?, ?, ?, ?)",
                     [person, last_seen, days, now])
    return cur.rowcount == 1


def end_absence(tx: Tx, person: str, last_seen: str, item_id: int, now: str) -> None:
    """Close an absence episode at the appearance that ended it."""
    tx.execute("UPDATE absences SET ended_at = ?, ended_item_id = ? WHERE person = ? AND last_seen = ?",
               [now, item_id, person, last_seen])


def healthy_sources(db: Tx | Store, ok_since: str, new_since: str) -> list[dict[str, Any]]:
    """Sources whose last successful run is at or after `ok_since` and that stored a new item at or after
    `new_since` (a site still publishing): name, last_ok_at and the first sight of their newest item."""
    return db.query("SELECT s.name, s.last_ok_at, MAX(u.first_seen_at) AS newest FROM sources s "
                    "JOIN item_urls u ON u.source = s.name WHERE s.last_ok_at >= ? GROUP BY s.name "
                    "HAVING MAX(u.first_seen_at) >= ? ORDER BY s.name", (ok_since, new_since))


def add_name_list(tx: Tx, item_id: int, kind: str, names: Sequence[str], date: str | None) -> None:
    """Store an ordered list of names of an item (positions from 1)."""
    tx.executemany("INSERT OR IGNORE INTO name_lists (item_id, kind, position, person, date) VALUES (?, ?, ?, ?, ?)",
                   [(item_id, kind, i, name, date) for i, name in enumerate(names, 1)])


def replace_name_lists(tx: Tx, item_id: int, lists: Sequence[tuple[str, Sequence[str]]], date: str | None) -> None:
    """The lists of names of an item read again (reclassification)."""
    tx.execute("DELETE FROM name_lists WHERE item_id = ?", [item_id])
    for kind, names in lists:
        add_name_list(tx, item_id, kind, names, date)


def previous_name_list(tx: Tx, item_id: int, kind: str, date: str | None) -> list[str]:
    """The list of the same kind stored just before this item's (by date, then id), in order; [] when none."""
    row = tx.one("SELECT item_id FROM name_lists WHERE kind = ? AND item_id != ? AND position = 1 AND "
                 "(COALESCE(date, '') < COALESCE(?, '') OR (COALESCE(date, '') = COALESCE(?, '') AND item_id < ?)) "
                 "ORDER BY COALESCE(date, '') DESC, item_id DESC LIMIT 1", [kind, item_id, date, date, item_id])
    if row is None:
        return []
    return [r["person"] for r in tx.query("SELECT person FROM name_lists WHERE item_id = ? AND kind = ? "
                                          "ORDER BY position", [row["item_id"], kind])]


def name_positions(store: Store, person: str | None = None) -> list[dict[str, Any]]:
    """Each stored position of a person in a list of names: person, kind, position, list length, date, item."""
    sql = ("SELECT n.person, n.kind, n.position, n.date, n.item_id, i.title, (SELECT COUNT(*) FROM name_lists m "
           "WHERE m.item_id = n.item_id AND m.kind = n.kind) AS size FROM name_lists n "
           "JOIN items i ON i.id = n.item_id")
    params: tuple[Any, ...] = ()
    if person:
        sql += " WHERE n.person = ?"
        params = (person,)
    return store.query(sql + " ORDER BY n.person, COALESCE(n.date, ''), n.item_id, n.kind", params)


def item_matches_words(tx: Tx, item_id: int, query: str) -> bool:
    """Whether the full-text index holds the item under a query (FTS5 syntax)."""
    return bool(tx.scalar("SELECT 1 FROM items_fts WHERE rowid = ? AND items_fts MATCH ?", [item_id, query]))


def add_watch_match(tx: Tx, watch: str, item_id: int, now: str) -> bool:
    """Record that a watch matched an item; False when it was recorded already."""
    cur = tx.execute("INSERT OR IGNORE INTO watch_matches (watch, item_id, matched_at) VALUES (?, ?, ?)",
                     [watch, item_id, now])
    return cur.rowcount == 1


def watch_matches_between(store: Store, start: str, end: str) -> list[dict[str, Any]]:
    """Watch matches recorded in [start, end), with their items, for the digest."""
    return store.query("SELECT w.watch, i.id, i.title, i.url, i.source, i.published FROM watch_matches w "
                       "JOIN items i ON i.id = w.item_id WHERE w.matched_at >= ? AND w.matched_at < ? "
                       "ORDER BY w.watch, w.matched_at", (start, end))


def item_people_and_countries(tx: Tx, item_id: int) -> tuple[set[str], set[str]]:
    """The participants and the (case-folded) countries stored with an item."""
    row = tx.one("SELECT participants, countries FROM items WHERE id = ?", [item_id])
    if row is None:
        return set(), set()
    return set(json.loads(row["participants"] or "[]")), {c.casefold() for c in json.loads(row["countries"] or "[]")}


#: The person whose days since the last appearance `status` shows.
LEADER = "Kim Jong Un"


def days_since(store: Store, person: str = LEADER, today: date | None = None) -> dict[str, Any] | None:
    """The last appearance of a person and the days since (for `status`), or None when never seen."""
    last = last_appearance(store, person)
    if last is None:
        return None
    days = ((today or datetime.now(UTC).date()) - date.fromisoformat(last["date"])).days
    return {"person": person, "last_seen": last["date"], "days": days, "kind": last["kind"],
            "item_id": last["item_id"]}
