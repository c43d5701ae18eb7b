"""Builders of archive test databases (used by the other test_archive_* modules) and the FTS migration tests."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from monitor.archive import search
from monitor.normalize import content_hash, item_key, story_key
from monitor.store import Store
from monitor.store.schema import migrations


def make_store(tmp_path: Path) -> Store:
    """A fresh database built by the schema migrations."""
    return Store(tmp_path / "monitor.db")


def add_item(store: Store, title: str, *, source: str = "kcna", url: str | None = None,
             published: str | None = "2024-05-03", teaser: str | None = None, body: str | None = None,
             category: str | None = "domestic", high_level: bool = False, participants: tuple[str, ...] = (),
             countries: tuple[str, ...] = (), first_seen_at: str = "2024-05-03T08:00:00.000000+00:00",
             outlet: str | None = None, event_id: str | None = None, removed_at: str | None = None,
             also: tuple[tuple[str, str, str | None, str], ...] = ()) -> int:
    """Insert an item with its first revision and URL the way the pipeline does; `also` = more (url, source,
    outlet, first_seen_at) sightings. Returns the item id."""
    day = date.fromisoformat(published) if published else None
    url = url or f"http://{source}.example/article/{abs(hash((title, published))) % 10**8}"
    chash = content_hash(title, body)
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO items (key, source, url, title, published, teaser, body, outlet, content_hash, story_key, "
            "category, high_level, participants, countries, event_id, first_seen_at, last_seen_at, removed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item_key(title, day) + source, source, url, title, published, teaser, body, outlet, chash,
             story_key(title, day), category, int(high_level), json.dumps(list(participants)),
             json.dumps(list(countries)), event_id, first_seen_at, first_seen_at, removed_at])
        item_id = int(cur.lastrowid or 0)
        db.execute("INSERT INTO revisions (item_id, seen_at, title, body, content_hash) VALUES (?, ?, ?, ?, ?)",
                   [item_id, first_seen_at, title, body, chash])
        for u, src, out, seen in ((url, source, outlet, first_seen_at), *also):
            db.execute("INSERT INTO item_urls (url, item_id, source, outlet, first_seen_at, last_seen_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)", [u, item_id, src, out, seen, seen])
    return item_id


def edit_item(store: Store, item_id: int, body: str, seen_at: str) -> None:
    """Record a new version of an item's body as the pipeline does (items row updated, revision added)."""
    with store.transaction() as db:
        title = db.execute("SELECT title FROM items WHERE id = ?", [item_id]).fetchone()[0]
        chash = content_hash(title, body)
        db.execute("UPDATE items SET body = ?, content_hash = ?, last_seen_at = ? WHERE id = ?",
                   [body, chash, seen_at, item_id])
        db.execute("INSERT INTO revisions (item_id, seen_at, title, body, content_hash) VALUES (?, ?, ?, ?, ?)",
                   [item_id, seen_at, title, body, chash])


def add_event(store: Store, event_id: str, title: str, item_ids: list[int], *, high_level: bool = True,
              participants: tuple[str, ...] = (), countries: tuple[str, ...] = (), day: str = "2024-05-03",
              created_at: str = "2024-05-03T09:00:00.000000+00:00") -> None:
    """Insert a meeting event with its reports (in the order given) and link the items to it."""
    with store.transaction() as db:
        db.execute("INSERT INTO events (id, date, participants, countries, title, high_level, created_at, "
                   "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   [event_id, day, json.dumps(list(participants)), json.dumps(list(countries)), title,
                    int(high_level), created_at, created_at])
        for n, item_id in enumerate(item_ids):
            db.execute("INSERT INTO event_reports (event_id, item_id, added_at) VALUES (?, ?, ?)",
                       [event_id, item_id, f"{created_at[:-16]}{n:02d}.000000+00:00"])
            db.execute("UPDATE items SET event_id = ? WHERE id = ?", [event_id, item_id])


def test_migration_backfills_existing_items(tmp_path: Path) -> None:
    """Items stored before the FTS migration are searchable once it has run."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.apply(db, stop_before="m002_items_fts")
    db.execute("INSERT INTO items (key, source, url, title, body, content_hash, story_key, first_seen_at, "
               "last_seen_at) VALUES ('k', 'kcna', 'http://x/1', 'Orchard Workers Praise Apple Harvest', "
               "'Pickers in Kwail County gathered quinces.', 'h', 's', '2024-01-01T00:00:00+00:00', "
               "'2024-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()
    store = Store(path)
    assert [h.title for h in search(store, "quinces")] == ["Orchard Workers Praise Apple Harvest"]


def test_fts_ignores_updates_of_other_columns(tmp_path: Path) -> None:
    """Touching last_seen_at (every run does) keeps the index consistent and the item findable."""
    store = make_store(tmp_path)
    item = add_item(store, "Seaweed Farm Expands Along East Coast", body="Kelp output rose at Sinpo.")
    with store.transaction() as db:
        db.execute("UPDATE items SET last_seen_at = '2024-06-01T00:00:00+00:00' WHERE id = ?", [item])
    assert [h.id for h in search(store, "kelp")] == [item]
    with store.transaction() as db:
        db.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")  # raises when out of step
