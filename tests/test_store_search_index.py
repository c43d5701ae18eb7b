"""The full-text index brought up to date in batches: the high-water mark, catch-up, edits, deletions, migration."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
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


def test_new_items_wait_for_the_next_batch(tmp_path: Path) -> None:
    """Stored items are outside the index until a batch adds them all at once; a second batch adds nothing."""
    store = make_store(tmp_path)
    first = add_item(store, "Orchard Workers Praise Apple Harvest", body="Pickers gathered quinces.")
    second = add_item(store, "Quince Jam Factory Opens", published="2024-05-04")
    assert store.search_index_lag() == 2
    assert _matches(store, "quince*") == []
    assert store.update_search_index() == 2
    assert store.search_index_lag() == 0
    assert _matches(store, "quince*") == [first, second]
    assert store.update_search_index() == 0
    _in_step_with_items(store)


def test_search_sees_items_stored_since_the_last_batch(tmp_path: Path) -> None:
    """`search` brings the index up to date first, so an item stored a moment ago is found."""
    store = make_store(tmp_path)
    add_item(store, "Seaweed Farm Expands", body="Kelp output rose at Sinpo.")
    store.update_search_index()
    newest = add_item(store, "Kelp Processing Plant Built", published="2024-05-04")
    assert [h.id for h in search(store, "kelp")] == [newest, newest - 1]
    assert store.search_index_lag() == 0


def test_an_interrupted_batch_is_done_again(tmp_path: Path) -> None:
    """A batch rolled back with the transaction it ran in leaves the mark where it was; the next one indexes."""
    store = make_store(tmp_path)
    item = add_item(store, "Tram Line Opened in Chongjin", teaser="Citizens rode the new tram.")
    with pytest.raises(RuntimeError), store.transaction():
        assert store.update_search_index() == 1
        raise RuntimeError("simulated crash before commit")
    assert store.search_index_lag() == 1
    assert _matches(store, "tram") == []
    assert store.update_search_index() == 1
    assert _matches(store, "tram") == [item]
    _in_step_with_items(store)


def test_an_item_edited_before_its_batch_is_indexed_as_it_is_then(tmp_path: Path) -> None:
    """An edit of an item still waiting touches nothing in the index; the batch indexes the edited text."""
    store = make_store(tmp_path)
    item = add_item(store, "Ginseng Growers Report Record Yield", body="Growers in Kaesong praised new methods.")
    edit_item(store, item, "Growers in Hamhung praised new methods.", "2024-05-04T08:00:00.000000+00:00")
    store.update_search_index()
    assert _matches(store, "hamhung") == [item]
    assert _matches(store, "kaesong") == []
    _in_step_with_items(store)


def test_edits_and_deletions_of_indexed_items_follow_at_once(tmp_path: Path) -> None:
    """Once indexed, an item's edit replaces its words in the index and its deletion removes them, no batch needed."""
    store = make_store(tmp_path)
    item = add_item(store, "Ginseng Growers Report Record Yield", body="Growers in Kaesong praised new methods.")
    other = add_item(store, "Footbridge Opens", body="Kaesong citizens crossed it.", published="2024-05-04")
    store.update_search_index()
    edit_item(store, item, "Growers in Hamhung praised new methods.", "2024-05-04T08:00:00.000000+00:00")
    assert _matches(store, "kaesong") == [other]
    assert _matches(store, "hamhung") == [item]
    _delete_item(store, other)
    assert _matches(store, "kaesong") == []
    assert store.search_index_lag() == 0
    _in_step_with_items(store)


def test_ids_reused_after_deleting_the_newest_items_are_indexed(tmp_path: Path) -> None:
    """Deleting the newest indexed item lowers the mark, so a new item given the same id is indexed too."""
    store = make_store(tmp_path)
    add_item(store, "Pear Harvest Brisk", body="Farmers gather pears.")
    newest = add_item(store, "Cement Output Up", body="Kilns ran day and night.", published="2024-05-04")
    store.update_search_index()
    _delete_item(store, newest)
    again = add_item(store, "Silk Mill Modernised", body="Looms were renewed.", published="2024-05-05")
    assert again == newest  # SQLite gave the freed id out again
    assert store.search_index_lag() == 1
    assert [h.id for h in search(store, "looms")] == [again]
    assert search(store, "kilns") == []
    _in_step_with_items(store)


def test_search_fails_clearly_when_the_index_cannot_be_updated(tmp_path: Path) -> None:
    """On a database this process cannot write, a search with items waiting says so instead of missing them."""
    store = make_store(tmp_path)
    add_item(store, "Tram Line Opened in Chongjin", teaser="Citizens rode the new tram.")
    store.conn.execute("PRAGMA query_only = ON")
    with pytest.raises(ValueError, match="1 newest item"):
        search(store, "tram")
    store.conn.execute("PRAGMA query_only = OFF")
    assert len(search(store, "tram")) == 1


def test_migration_keeps_an_indexed_database_in_step(tmp_path: Path) -> None:
    """A database indexed by the old per-row triggers starts with the mark at its newest item and stays searchable."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    db = Database(conn)
    migrations.apply(db, stop_before="m003_items_fts_in_batches")
    for n, word in enumerate(("quinces", "apricots")):
        db.execute("INSERT INTO items (key, source, url, title, body, content_hash, story_key, first_seen_at, "
                   "last_seen_at) VALUES (?, 'kcna', ?, 'Orchard Report', ?, 'h', 's', '2024-01-01T00:00:00+00:00', "
                   "'2024-01-01T00:00:00+00:00')", [f"k{n}", f"http://x/{n}", f"Pickers gathered {word}."])
    conn.commit()
    conn.close()
    store = Store(path)
    assert store.scalar("SELECT indexed_through FROM fts_state WHERE name = 'items_fts'") == 2
    assert store.search_index_lag() == 0
    assert len(_matches(store, "apricots")) == 1
    newest = add_item(store, "Plum Harvest", body="Pickers gathered plums.")
    assert store.search_index_lag() == 1
    assert sorted(h.id for h in search(store, "pickers")) == [1, 2, newest]
    _in_step_with_items(store)


def test_items_waiting_for_the_index_are_not_corruption(tmp_path: Path) -> None:
    """PRAGMA integrity_check (which checks FTS5 tables too since SQLite 3.44) is ok while items wait."""
    store = make_store(tmp_path)
    add_item(store, "Tram Line Opened in Chongjin", teaser="Citizens rode the new tram.")
    store.update_search_index()
    add_item(store, "Ginseng Growers Report Record Yield", published="2024-05-04")
    assert store.search_index_lag() == 1
    assert store.scalar("PRAGMA integrity_check") == "ok"
    with store.transaction() as db:
        db.execute("INSERT INTO items_fts (items_fts) VALUES ('integrity-check')")


def test_a_locked_database_leaves_the_batch_for_later(tmp_path: Path) -> None:
    """While another process holds the write lock, `index_new_items` logs and returns 0; the next call indexes."""
    from monitor.runtime.runner import index_new_items

    store = make_store(tmp_path)
    item = add_item(store, "Silkworm Breeding Station Expands", teaser="Cocoons of a new strain.")
    store.conn.execute("PRAGMA busy_timeout=50")
    other = sqlite3.connect(str(tmp_path / "monitor.db"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        assert index_new_items(store) == 0
        assert store.search_index_lag() == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert index_new_items(store) == 1
    assert _matches(store, "cocoons") == [item]
