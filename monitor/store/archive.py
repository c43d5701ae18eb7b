"""Queries of the archive views: full-text search, export, stories, revisions, feeds, the digest and
reclassification."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from monitor.store.database import Store
from monitor.store.filters import ITEM_DAY, day_text, item_filters

#: bm25 weights of the full-text columns (title, teaser, body, participants): a match in the title counts most.
WEIGHTS = (10.0, 3.0, 1.0, 5.0)


def search_rows(store: Store, match: str, mark_start: str, mark_end: str, *, source: str | None,
                category: str | None, since: str | date | None, until: str | date | None,
                limit: int) -> list[dict[str, Any]]:
    """Items matching an FTS5 `match` expression, best first, each with its snippet (`snip`) and `score`.

    Two steps: the ids of the best matches first (bm25 only: a common word matches a large part of a big archive,
    and a snippet or a row for each match would cost ten times more), then rows and snippets of those alone.
    """
    where, params = item_filters(source=source, category=category, since=since, until=until)
    weights = ", ".join(str(w) for w in WEIGHTS)
    sql = f"SELECT items_fts.rowid AS id, bm25(items_fts, {weights}) AS score FROM items_fts"
    if where:
        sql += " JOIN items i ON i.id = items_fts.rowid"
    sql += " WHERE items_fts MATCH ?"
    if where:
        sql += " AND " + " AND ".join(where)
    sql += " ORDER BY score, items_fts.rowid DESC LIMIT ?"
    best = {int(r["id"]): float(r["score"]) for r in store.query(sql, (match, *params, max(1, int(limit))))}
    if not best:
        return []
    # one lookup per hit: FTS5 seeks a rowid in the match's doclist, where `rowid IN (...)` would walk all of it
    # (and no bm25 here: it would count the documents of each term again)
    rows = []
    for item_id, score in best.items():
        row = store.one("SELECT i.*, snippet(items_fts, -1, ?, ?, '…', 16) AS snip FROM items_fts "
                        "JOIN items i ON i.id = items_fts.rowid WHERE items_fts MATCH ? AND items_fts.rowid = ?",
                        (mark_start, mark_end, match, item_id))
        if row is not None:
            rows.append({**row, "score": score})
    return rows


def export_batch(store: Store, after: tuple[str, int] | None, batch: int, *, source: str | None = None,
                 category: str | None = None, since: str | date | None = None,
                 until: str | date | None = None) -> list[dict[str, Any]]:
    """The next `batch` items rows, newest first, after the (first_seen_at, id) of the last row of the batch before."""
    where, params = item_filters(source=source, category=category, since=since, until=until)
    conds, args = list(where), list(params)
    if after is not None:
        conds.append("(i.first_seen_at < ? OR (i.first_seen_at = ? AND i.id < ?))")
        args += [after[0], after[0], after[1]]
    sql = "SELECT * FROM items i"
    if conds:
        sql += " WHERE " + " AND ".join(conds)
    sql += f" ORDER BY i.first_seen_at DESC, i.id DESC LIMIT {int(batch)}"
    return store.query(sql, tuple(args))


def urls_of(store: Store, item_ids: list[int]) -> dict[int, list[str]]:
    """Every URL each item was seen under, in the order they were first seen."""
    urls: dict[int, list[str]] = {i: [] for i in item_ids}
    for i in range(0, len(item_ids), 500):
        chunk = item_ids[i:i + 500]
        for u in store.query(f"SELECT item_id, url FROM item_urls WHERE item_id IN ({','.join('?' * len(chunk))}) "
                             "ORDER BY first_seen_at, url", tuple(chunk)):
            urls[u["item_id"]].append(u["url"])
    return urls


def story_candidates(store: Store, since: str | date | None) -> dict[int, dict[str, Any]]:
    """Items (id, title, published, story key, start of the body, source, url, outlet, first seen) by id, in order
    of first sighting, published (or first seen) on or after `since`."""
    sql = ("SELECT i.id, i.title, i.published, i.story_key, substr(i.body, 1, 600) AS body, i.source, i.url, "
           "i.outlet, i.first_seen_at FROM items i")
    params: tuple[str, ...] = ()
    lo = day_text(since, "since")
    if lo:
        sql += f" WHERE {ITEM_DAY} >= ?"
        params = (lo,)
    return {r["id"]: r for r in store.query(sql + " ORDER BY i.first_seen_at, i.id", params)}


def url_sightings(store: Store, item_ids: set[int]) -> dict[int, list[dict[str, Any]]]:
    """Each URL sighting (url, source, outlet, first seen) of the given items, in order of first sighting."""
    urls: dict[int, list[dict[str, Any]]] = {}
    if not item_ids:
        return urls
    for u in store.query("SELECT item_id, url, source, outlet, first_seen_at FROM item_urls "
                         "ORDER BY first_seen_at, url"):
        if u["item_id"] in item_ids:
            urls.setdefault(u["item_id"], []).append(u)
    return urls


def item_row(store: Store, item_id: int) -> dict[str, Any] | None:
    """The items row with this id, or None."""
    return store.one("SELECT * FROM items WHERE id = ?", (int(item_id),))


def revision_rows(store: Store, item_id: int) -> list[dict[str, Any]]:
    """Every stored version of an item, oldest first."""
    return store.query("SELECT id, item_id, seen_at, title, body, content_hash FROM revisions WHERE item_id = ? "
                       "ORDER BY seen_at, id", (int(item_id),))


def high_level_events(store: Store, limit: int) -> list[tuple[dict[str, Any], list[dict[str, Any]]]]:
    """The newest high-level events, each with its reports (items rows) in the order they came."""
    out = []
    for ev in store.query("SELECT * FROM events WHERE high_level = 1 ORDER BY created_at DESC, id LIMIT ?",
                          (limit,)):
        reports = store.query("SELECT i.* FROM event_reports r JOIN items i ON i.id = r.item_id "
                              "WHERE r.event_id = ? ORDER BY r.added_at, i.first_seen_at, i.id", (ev["id"],))
        out.append((ev, reports))
    return out


def foreign_relations_items(store: Store, limit: int) -> list[dict[str, Any]]:
    """The newest meeting and diplomatic items, each with the time of its last edit (`edited`)."""
    return store.query("SELECT i.*, (SELECT MAX(seen_at) FROM revisions r WHERE r.item_id = i.id) AS edited "
                       "FROM items i WHERE i.category IN ('meeting', 'diplomatic') "
                       "ORDER BY i.first_seen_at DESC, i.id DESC LIMIT ?", (limit,))


def digest_rows(store: Store, start: str, end: str, limit: int) -> list[dict[str, Any]]:
    """Diplomatic items and meetings below the alert bar first seen after `start` up to `end`, oldest first."""
    return store.query(
        "SELECT id, title, url, source, published, category, first_seen_at FROM items WHERE first_seen_at > ? AND "
        "first_seen_at <= ? AND (category = 'diplomatic' OR (category = 'meeting' AND high_level = 0)) "
        "ORDER BY first_seen_at LIMIT ?", (start, end, limit))


def items_to_reclassify(store: Store, version: str | None) -> list[dict[str, Any]]:
    """Items classified by another classifier version than `version` (every item when None)."""
    sql = "SELECT id, title, body, teaser, category, participants, published FROM items"
    if version is None:
        return store.query(sql)
    return store.query(sql + " WHERE classifier_version IS NOT ?", (version,))


def set_classification(store: Store, rows: list[tuple[Any, ...]]) -> None:
    """Store new classifications: (category, high_level, participants, countries, confidence, reasons, version, id)
    rows, in one transaction."""
    with store.transaction() as tx:
        tx.executemany("UPDATE items SET category = ?, high_level = ?, participants = ?, countries = ?, "
                       "confidence = ?, reasons = ?, classifier_version = ? WHERE id = ?", rows)


def as_list(text: str | None) -> list[Any]:
    """A JSON list column read back."""
    return list(json.loads(text or "[]"))
