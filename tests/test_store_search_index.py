"""The full-text index kept in step by triggers: new items, edits, deletions, and the migration from batches."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlite_utils import Database

from monitor.archive import search
from monitor.store import Store
from monitor.store.schema import migrations
from tests.test_archive_fixtures import add_item, edit_item, make_store


def _matches(store: Store, word: str) -> list[int]:
    """Item ids the index itself holds for a word (no catch-up first, unlike `search`)."""
    return [r["rowid"] for r in store.query("SELECT rowid FROM items_fts WHERE items_fts MATCH ? ORDER BY rowid",
                                            (word,))]


def _in_step_with_items(store: Store) -> None:
    """Raise unless the index holds exactly what the items table holds (FTS5 compares it with the content)."""
    with store.transaction() as db:
        db.execute("INSERT INTO items_fts (items_fts, rank) VALUES ('integrity-check', 1)")


def _delete_item(store: Store, item_id: int) -> None:
    with store.transaction() as db:
        db.execute("DELETE FROM revisions WHERE item_id = ?", [item_id])
        db.execute("DELETE FROM item_urls WHERE item_id = ?", [item_id])
        db.execute("DELETE FROM items WHERE id = ?", [item_id])


def test_new_items_are_searchable_at_once(tmp_path: Path) -> None:
    """An item is in the index as soon as it is stored: no batch, no catch-up."""
    store = make_store(tmp_path)
    first = add_item(store, "Orchard Workers Praise Apple Harvest", body="Pickers gathered quinces.")
    second = add_item(store, "Quince Jam Factory Opens", published="2024-05-04")
    assert _matches(store, "quince*") == [first, second]
    assert [h.id for h in search(store, "quince*")] in ([first, second], [second, first])
    _in_step_with_items(store)


def test_edits_and_deletions_keep_the_index_in_step(tmp_path: Path) -> None:
    """An edited body replaces the old words in the index; a deleted item leaves it."""
    store = make_store(tmp_path)
    item = add_item(store, "Seaweed Farm Expands", body="Kelp output rose at Sinpo.")
    edit_item(store, item, "Kelp and laver output rose at Sinpo.", "2024-06-01T00:00:00+00:00")
    assert _matches(store, "laver") == [item]
    other = add_item(store, "Laver Drying Shed Built", published="2024-05-04")
    _delete_item(store, other)
    assert _matches(store, "laver") == [item]
    _in_step_with_items(store)


def test_migration_indexes_the_items_a_batch_had_not_reached(tmp_path: Path) -> None:
    """A database of the batch era, with items stored above its high-water mark, has every item indexed after
    the migration, and later inserts are indexed by the triggers."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.apply(db, stop_before="m004_run_warnings")
    for n, word in enumerate(("quinces", "apricots")):
        db.execute("INSERT INTO items (key, source, url, title, body, content_hash, story_key, first_seen_at, "
                   "last_seen_at) VALUES (?, 'kcna', ?, 'Orchard Report', ?, 'h', 's', '2024-01-01T00:00:00+00:00', "
                   "'2024-01-01T00:00:00+00:00')", [f"k{n}", f"http://x/{n}", f"Pickers gathered {word}."])
    conn.commit()
    assert conn.execute("SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH 'pickers'").fetchone()[0] == 0
    conn.close()
    store = Store(path)
    assert len(_matches(store, "apricots")) == 1 and len(_matches(store, "quinces")) == 1
    newest = add_item(store, "Plum Harvest", body="Pickers gathered plums.")
    assert sorted(h.id for h in search(store, "pickers")) == [1, 2, newest]
    _in_step_with_items(store)
    assert store.scalar("PRAGMA integrity_check") == "ok"


def test_schema_version_counts_the_migrations(tmp_path: Path) -> None:
    """SCHEMA_VERSION is the number of migrations, and a new database records it as its user_version."""
    from monitor.store.database import SCHEMA_VERSION

    assert len(migrations._migrations) == SCHEMA_VERSION
    store = make_store(tmp_path)
    assert store.scalar("PRAGMA user_version") == SCHEMA_VERSION
    assert {r["name"] for r in store.query("SELECT name FROM _sqlite_migrations")} == {
        m.name for m in migrations._migrations}
