"""The database schema, as sqlite-utils migrations applied in order at start."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("monitor")


@migrations()
def m001_initial(db: Database) -> None:
    """Sources (health), items, their URLs and revisions, fetch log, events, outbox."""
    db.executescript(
        """
        CREATE TABLE sources (
            name TEXT PRIMARY KEY,
            adapter TEXT NOT NULL,
            url TEXT NOT NULL,
            last_run_at TEXT,
            last_ok_at TEXT,
            last_status TEXT,
            last_error TEXT,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            next_fetch_not_before TEXT,
            etag TEXT,
            last_modified TEXT,
            layout TEXT,
            entries_seen INTEGER NOT NULL DEFAULT 0,
            health_alerted TEXT
        );
        CREATE TABLE items (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            published TEXT,
            teaser TEXT,
            body TEXT,
            outlet TEXT,
            content_hash TEXT NOT NULL,
            story_key TEXT NOT NULL,
            category TEXT,
            high_level INTEGER NOT NULL DEFAULT 0,
            participants TEXT NOT NULL DEFAULT '[]',
            countries TEXT NOT NULL DEFAULT '[]',
            confidence REAL,
            reasons TEXT NOT NULL DEFAULT '[]',
            classifier_version TEXT,
            event_id TEXT REFERENCES events(id),
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL,
            article_fetched_at TEXT,
            removed_at TEXT
        );
        CREATE INDEX items_first_seen ON items(first_seen_at);
        CREATE INDEX items_published ON items(published);
        CREATE INDEX items_category ON items(category);
        CREATE INDEX items_story ON items(story_key);
        CREATE TABLE item_urls (
            url TEXT PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            source TEXT NOT NULL,
            outlet TEXT,
            first_seen_at TEXT NOT NULL,
            last_seen_at TEXT NOT NULL
        );
        CREATE INDEX item_urls_item ON item_urls(item_id);
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            item_id INTEGER NOT NULL REFERENCES items(id),
            seen_at TEXT NOT NULL,
            title TEXT NOT NULL,
            body TEXT,
            content_hash TEXT NOT NULL
        );
        CREATE INDEX revisions_item ON revisions(item_id);
        CREATE TABLE fetch_log (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            started_at TEXT NOT NULL,
            duration REAL NOT NULL,
            status TEXT NOT NULL,
            http_status INTEGER,
            entries INTEGER NOT NULL DEFAULT 0,
            new_items INTEGER NOT NULL DEFAULT 0,
            error TEXT
        );
        CREATE INDEX fetch_log_source ON fetch_log(source, started_at);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            date TEXT,
            participants TEXT NOT NULL,
            countries TEXT NOT NULL,
            title TEXT NOT NULL,
            high_level INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_date ON events(date);
        CREATE TABLE event_reports (
            event_id TEXT NOT NULL REFERENCES events(id),
            item_id INTEGER NOT NULL REFERENCES items(id),
            added_at TEXT NOT NULL,
            PRIMARY KEY (event_id, item_id)
        );
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            channel TEXT NOT NULL,
            kind TEXT NOT NULL,
            event_id TEXT REFERENCES events(id),
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            last_error TEXT,
            claimed_by TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
        CREATE TABLE channels (
            name TEXT PRIMARY KEY,
            disabled_at TEXT,
            reason TEXT
        );
        """
    )


_FTS_COLS = "title, teaser, body, participants"
_FTS_NEW = "new.id, new.title, new.teaser, new.body, new.participants"
_FTS_OLD = "'delete', old.id, old.title, old.teaser, old.body, old.participants"
#: The triggers that keep items_fts in step with items on every write (m002 made them, m005 makes them again).
_FTS_TRIGGERS = (
    f"CREATE TRIGGER items_fts_ai AFTER INSERT ON items BEGIN "
    f"INSERT INTO items_fts (rowid, {_FTS_COLS}) VALUES ({_FTS_NEW}); END",
    f"CREATE TRIGGER items_fts_ad AFTER DELETE ON items BEGIN "
    f"INSERT INTO items_fts (items_fts, rowid, {_FTS_COLS}) VALUES ({_FTS_OLD}); END",
    f"CREATE TRIGGER items_fts_au AFTER UPDATE OF {_FTS_COLS} ON items BEGIN "
    f"INSERT INTO items_fts (items_fts, rowid, {_FTS_COLS}) VALUES ({_FTS_OLD}); "
    f"INSERT INTO items_fts (rowid, {_FTS_COLS}) VALUES ({_FTS_NEW}); END",
)


@migrations()
def m002_items_fts(db: Database) -> None:
    """Full-text index of items (title, teaser, body, participants), kept in step by triggers; back-filled."""
    cols = _FTS_COLS
    # One statement at a time (not executescript) so the migration stays inside its transaction.
    for sql in (
        f"CREATE VIRTUAL TABLE items_fts USING fts5({cols}, content='items', content_rowid='id', "
        "tokenize='porter unicode61 remove_diacritics 2')",
        *_FTS_TRIGGERS,
        "INSERT INTO items_fts (items_fts) VALUES ('rebuild')",
    ):
        db.execute(sql)


#: The full-text index's high-water mark: every item with an id up to `indexed_through` is in `items_fts`, none
#: above it is (those wait for `Store.update_search_index`).
_FTS_MARK = "(SELECT indexed_through FROM fts_state WHERE name = 'items_fts')"


@migrations()
def m003_items_fts_in_batches(db: Database) -> None:
    """New items reach the full-text index in batches (a high-water mark in `fts_state`), not one by one.

    Indexing each run's items in its own transaction wrote a new FTS5 segment per run and merged them over and
    over, and an insert trigger of any kind costs several microseconds a row; the store now indexes every item
    above the mark in one statement (at the end of a poll cycle, every minute in the daemon, and before any
    search). Edits and deletions of items already indexed keep the index in step by triggers as before; those
    of items still waiting need nothing (they are indexed as they are when their turn comes). Deleting the
    newest indexed items lowers the mark to the highest id left, so that SQLite reusing their ids for new items
    leaves those above the mark. The index held every item so far, so the mark starts at the highest id.
    """
    cols = _FTS_COLS
    top = "(SELECT COALESCE(MAX(id), 0) FROM items)"
    for sql in (
        "DROP TRIGGER items_fts_ai",
        "DROP TRIGGER items_fts_ad",
        "DROP TRIGGER items_fts_au",
        "CREATE TABLE fts_state (name TEXT PRIMARY KEY, indexed_through INTEGER NOT NULL)",
        f"INSERT INTO fts_state (name, indexed_through) VALUES ('items_fts', {top})",
        f"CREATE TRIGGER items_fts_ad AFTER DELETE ON items WHEN old.id <= {_FTS_MARK} BEGIN "
        f"INSERT INTO items_fts (items_fts, rowid, {cols}) VALUES ({_FTS_OLD}); "
        f"UPDATE fts_state SET indexed_through = {top} WHERE name = 'items_fts' AND indexed_through > {top}; END",
        f"CREATE TRIGGER items_fts_au AFTER UPDATE OF {cols} ON items WHEN old.id <= {_FTS_MARK} BEGIN "
        f"INSERT INTO items_fts (items_fts, rowid, {cols}) VALUES ({_FTS_OLD}); "
        f"INSERT INTO items_fts (rowid, {cols}) VALUES ({_FTS_NEW}); END",
    ):
        db.execute(sql)


@migrations()
def m004_run_warnings(db: Database) -> None:
    """The warnings of each run (entries skipped, links refused, fields cut) in the fetch log, and the last
    run's in the source's health row, so that `status` can show them."""
    db.execute("ALTER TABLE fetch_log ADD COLUMN warnings TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE sources ADD COLUMN last_warnings TEXT NOT NULL DEFAULT '[]'")


@migrations()
def m005_items_fts_triggers(db: Database) -> None:
    """The full-text index kept in step by triggers on every write again (the batch high-water mark of m003 is
    gone): items waiting above the mark are indexed now, and every later insert, edit or deletion of an item
    updates `items_fts` in the same transaction, so a search always sees every stored item."""
    cols = _FTS_COLS
    for sql in (
        "DROP TRIGGER IF EXISTS items_fts_ad",
        "DROP TRIGGER IF EXISTS items_fts_au",
        f"INSERT INTO items_fts (rowid, {cols}) SELECT id, {cols} FROM items WHERE id > {_FTS_MARK} ORDER BY id",
        "DROP TABLE fts_state",
        *_FTS_TRIGGERS,
    ):
        db.execute(sql)


@migrations()
def m006_coverage(db: Database) -> None:
    """Gaps (a first page that shares nothing with what the source showed before) and the position of each
    source's backfill, so that it resumes where it stopped; indexes that keep per-poll queries fast on a large
    archive."""
    for sql in (
        """CREATE TABLE gaps (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            since TEXT,
            detected_at TEXT NOT NULL,
            closed_at TEXT,
            pages INTEGER NOT NULL DEFAULT 0,
            recovered INTEGER NOT NULL DEFAULT 0,
            note TEXT
        )""",
        "CREATE INDEX gaps_open ON gaps(source, closed_at)",
        """CREATE TABLE backfills (
            source TEXT PRIMARY KEY,
            since TEXT NOT NULL,
            next_request TEXT NOT NULL,
            pages INTEGER NOT NULL DEFAULT 0,
            items INTEGER NOT NULL DEFAULT 0,
            oldest TEXT,
            started_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "CREATE INDEX item_urls_source ON item_urls(source, item_id)",
        "CREATE INDEX items_source ON items(source, category)",
        "CREATE INDEX items_category_level ON items(category, high_level)",
        "DROP INDEX items_category",  # the index above serves every query by category
    ):
        db.execute(sql)


@migrations()
def m007_signals(db: Database) -> None:
    """Appearances of officials (person, date, kind, item), the absence episodes alerted, the ordered lists of
    names of each item (kind, position, person), and the items each watch matched. `items.signals_read` marks the
    items read for these (those stored before are read by `monitor reclassify`)."""
    for sql in (
        "CREATE TABLE appearances (item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, "
        "person TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, quiet INTEGER NOT NULL DEFAULT 0, "
        "PRIMARY KEY (item_id, person))",
        "CREATE INDEX appearances_person ON appearances(person, date)",
        "CREATE TABLE absences (person TEXT NOT NULL, last_seen TEXT NOT NULL, days INTEGER NOT NULL, "
        "alerted_at TEXT NOT NULL, ended_at TEXT, ended_item_id INTEGER, PRIMARY KEY (person, last_seen))",
        "CREATE TABLE name_lists (item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE, "
        "kind TEXT NOT NULL, position INTEGER NOT NULL, person TEXT NOT NULL, date TEXT, "
        "PRIMARY KEY (item_id, kind, position))",
        "CREATE INDEX name_lists_person ON name_lists(person)",
        "CREATE INDEX name_lists_kind ON name_lists(kind, date)",
        "ALTER TABLE items ADD COLUMN signals_read INTEGER NOT NULL DEFAULT 0",
        "CREATE TABLE watch_matches (watch TEXT NOT NULL, item_id INTEGER NOT NULL REFERENCES items(id) "
        "ON DELETE CASCADE, matched_at TEXT NOT NULL, PRIMARY KEY (watch, item_id))",
    ):
        db.execute(sql)


@migrations()
def m008_item_language(db: Database) -> None:
    """Each item's language (`items.language`: 'ko', 'en', ...), its version in the other language
    (`translation_id`, both ways, with the pairing's `translation_score`), when a Korean item with no English version
    was marked "Korean only" (`korean_only_at`), and `items_ko_fts`: the full-text index of Korean items whose
    Hangul is stored as syllable pairs, so that a stem finds its inflected forms. Existing items get their
    language from their text, and the Korean ones are indexed."""
    from monitor.store.database import Tx
    from monitor.store.korean import KO_FTS_CREATE, backfill_languages

    for sql in (
        "ALTER TABLE items ADD COLUMN language TEXT",
        "ALTER TABLE items ADD COLUMN translation_id INTEGER",
        "ALTER TABLE items ADD COLUMN translation_score REAL",
        "ALTER TABLE items ADD COLUMN korean_only_at TEXT",
        "CREATE INDEX items_language ON items(language, first_seen_at)",
        "CREATE INDEX items_translation ON items(translation_id)",
        KO_FTS_CREATE,
        "CREATE TRIGGER items_ko_fts_ad AFTER DELETE ON items BEGIN "
        "DELETE FROM items_ko_fts WHERE rowid = old.id; "
        "UPDATE items SET translation_id = NULL, translation_score = NULL WHERE translation_id = old.id; END",
    ):
        db.execute(sql)
    backfill_languages(Tx(db.conn))
