"""Queries of item languages: the language column, the Korean full-text index (`items_ko_fts`), the pairs of a
Korean item and its English version, and the "Korean only" mark."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from monitor.language import detect_language, hangul_terms
from monitor.store.database import Store, Tx
from monitor.store.filters import item_filters

#: The Korean full-text index: Hangul as syllable pairs (see `monitor.language.hangul_terms`), its own content
#: (the pairs are not the items' text); `hash` is the items' content_hash the row was built from.
KO_FTS_CREATE = ("CREATE VIRTUAL TABLE items_ko_fts USING fts5(title, teaser, body, participants, hash UNINDEXED, "
                 "tokenize='unicode61 remove_diacritics 0')")
_BATCH = 500


def _index_row(item: dict[str, Any]) -> list[Any]:
    participants = " ".join(json.loads(item.get("participants") or "[]"))
    return [item["id"], hangul_terms(item["title"]), hangul_terms(item.get("teaser")),
            hangul_terms(item.get("body")), participants, item["content_hash"]]


def index_korean(tx: Tx, items: list[dict[str, Any]]) -> int:
    """(Re)write the Korean index rows of these items (id, title, teaser, body, participants, content_hash)."""
    for item in items:
        tx.execute("DELETE FROM items_ko_fts WHERE rowid = ?", [item["id"]])
    tx.executemany("INSERT INTO items_ko_fts (rowid, title, teaser, body, participants, hash) "
                   "VALUES (?, ?, ?, ?, ?, ?)", [_index_row(i) for i in items])
    return len(items)


def set_language(tx: Tx, item_id: int, language: str | None) -> None:
    """Record an item's language; a Korean item is indexed for Hangul search at once."""
    tx.execute("UPDATE items SET language = ? WHERE id = ?", [language, item_id])
    if language == "ko":
        row = tx.one("SELECT id, title, teaser, body, participants, content_hash FROM items WHERE id = ?",
                     [item_id])
        if row is not None:
            index_korean(tx, [row])


def backfill_languages(tx: Tx) -> int:
    """Give every item without a language the one of its text; how many were set (the Korean ones indexed)."""
    done = 0
    while True:
        rows = tx.query("SELECT id, title, teaser, body, participants, content_hash FROM items "
                        "WHERE language IS NULL ORDER BY id LIMIT ?", [_BATCH])
        if not rows:
            return done
        korean = []
        for r in rows:
            lang = detect_language(r["title"], r["body"] or r["teaser"]) or "und"
            tx.execute("UPDATE items SET language = ? WHERE id = ?", [lang, r["id"]])
            if lang == "ko":
                korean.append(r)
        index_korean(tx, korean)
        done += len(rows)


def refresh_korean_index(tx: Tx, seen_since: str) -> int:
    """Index the Korean items first seen at `seen_since` or later that are missing from `items_ko_fts` or whose
    text changed since (articles are fetched again only while they are recent); how many were (re)indexed."""
    rows = tx.query("SELECT i.id, i.title, i.teaser, i.body, i.participants, i.content_hash FROM items i "
                    "LEFT JOIN items_ko_fts k ON k.rowid = i.id WHERE i.language = 'ko' AND i.first_seen_at >= ? "
                    "AND (k.rowid IS NULL OR k.hash IS NOT i.content_hash)", [seen_since])
    return index_korean(tx, rows)


def korean_search_rows(store: Store, match: str, weights: tuple[float, ...], *, source: str | None,
                       category: str | None, since: str | date | None, until: str | date | None,
                       limit: int) -> list[dict[str, Any]]:
    """Korean items matching an FTS5 `match` expression over `items_ko_fts`, best first, with their `score`."""
    where, params = item_filters(source=source, category=category, since=since, until=until)
    w = ", ".join(str(x) for x in weights)
    sql = (f"SELECT i.*, bm25(items_ko_fts, {w}, 0.0) AS score FROM items_ko_fts "
           "JOIN items i ON i.id = items_ko_fts.rowid WHERE items_ko_fts MATCH ?")
    if where:
        sql += " AND " + " AND ".join(where)
    sql += " ORDER BY score, i.first_seen_at DESC LIMIT ?"
    return store.query(sql, (match, *params, max(1, int(limit))))


# ---------------------------------------------------------------- pairing and "Korean only"

#: Columns the pairing reads of an item.
PAIR_COLUMNS = ("i.id, i.title, i.body, i.teaser, i.published, i.first_seen_at, i.category, i.participants, "
                "i.countries, i.event_id, i.language, i.translation_id, i.source")


def unpaired(tx: Tx, language: str, seen_since: str, published: tuple[str, str] | None = None,
             ) -> list[dict[str, Any]]:
    """Items in `language` with no version in the other language, first seen at `seen_since` or later (and
    published within the `published` days, inclusive, when given: an archive imported yesterday is not read)."""
    if published is None:
        return tx.query(f"SELECT {PAIR_COLUMNS} FROM items i WHERE i.language = ? AND i.translation_id IS NULL "
                        "AND i.first_seen_at >= ? ORDER BY i.first_seen_at, i.id", [language, seen_since])
    return tx.query(f"SELECT {PAIR_COLUMNS} FROM items i INDEXED BY items_published WHERE i.published BETWEEN ? AND ? "
                    "AND i.language = ? AND i.translation_id IS NULL AND i.first_seen_at >= ? "
                    "ORDER BY i.first_seen_at, i.id", [published[0], published[1], language, seen_since])


def pair(tx: Tx, korean_id: int, english_id: int, score: float) -> None:
    """Record that `english_id` is the English version of `korean_id` (both ways); a "Korean only" mark stays
    as the record of when it was made, but the item is no longer Korean only."""
    tx.execute("UPDATE items SET translation_id = ?, translation_score = ? WHERE id = ?",
               [english_id, score, korean_id])
    tx.execute("UPDATE items SET translation_id = ?, translation_score = ? WHERE id = ?",
               [korean_id, score, english_id])


def mark_korean_only(tx: Tx, seen_from: str, seen_before: str, now: str) -> list[dict[str, Any]]:
    """Mark "Korean only" the Korean items first seen from `seen_from` to before `seen_before` that have no
    English version (nor an English report in their meeting event) and no mark yet; the items marked now (id,
    title, url, source, published, first_seen_at, category)."""
    rows = tx.query("SELECT id, title, url, source, published, first_seen_at, category FROM items k "
                    "WHERE language = 'ko' AND first_seen_at >= ? AND first_seen_at < ? AND translation_id IS NULL "
                    "AND korean_only_at IS NULL AND NOT EXISTS (SELECT 1 FROM event_reports r JOIN items e "
                    "ON e.id = r.item_id WHERE r.event_id = k.event_id AND e.language = 'en') "
                    "ORDER BY first_seen_at, id", [seen_from, seen_before])
    tx.executemany("UPDATE items SET korean_only_at = ? WHERE id = ?", [[now, r["id"]] for r in rows])
    return rows


def fill_missing_languages(tx: Tx) -> int:
    """Give a language to items stored without one (by another path than a source run); how many."""
    if tx.scalar("SELECT 1 FROM items WHERE language IS NULL LIMIT 1") is None:
        return 0
    return backfill_languages(tx)


def translation_pairs(store: Store, since: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Korean items and their English versions (ko_* and en_* columns), newest first."""
    sql = ("SELECT k.id AS ko_id, k.title AS ko_title, k.source AS ko_source, k.published AS ko_published, "
           "k.first_seen_at AS ko_first_seen_at, e.id AS en_id, e.title AS en_title, e.source AS en_source, "
           "e.published AS en_published, e.first_seen_at AS en_first_seen_at, k.translation_score AS score "
           "FROM items k JOIN items e ON e.id = k.translation_id WHERE k.language = 'ko'")
    params: tuple[Any, ...] = ()
    if since:
        sql += " AND k.first_seen_at >= ?"
        params = (since,)
    return store.query(sql + " ORDER BY k.first_seen_at DESC, k.id DESC LIMIT ?", (*params, int(limit)))


def translation_links(store: Store, item_ids: set[int]) -> list[tuple[int, int]]:
    """(Korean item, its English version) for the paired Korean items among `item_ids` whose version is too."""
    if not item_ids:
        return []
    rows = store.query("SELECT id, translation_id FROM items WHERE language = 'ko' AND translation_id IS NOT NULL")
    return [(r["id"], r["translation_id"]) for r in rows if r["id"] in item_ids and r["translation_id"] in item_ids]


def item_languages(store: Store, item_ids: set[int]) -> dict[int, str | None]:
    """The language of each of these items."""
    out: dict[int, str | None] = {}
    ids = sorted(item_ids)
    for i in range(0, len(ids), _BATCH):
        chunk = ids[i:i + _BATCH]
        for r in store.query(f"SELECT id, language FROM items WHERE id IN ({','.join('?' * len(chunk))})",
                             tuple(chunk)):
            out[r["id"]] = r["language"]
    return out


def korean_only_between(store: Store, start: str, end: str, limit: int) -> list[dict[str, Any]]:
    """Korean items marked "Korean only" after `start` up to `end` and still without an English version, in the
    order they were marked (for the digest)."""
    return store.query("SELECT id, title, url, source, published, category, korean_only_at FROM items "
                       "WHERE korean_only_at > ? AND korean_only_at <= ? AND translation_id IS NULL "
                       "ORDER BY korean_only_at, id LIMIT ?", (start, end, limit))
