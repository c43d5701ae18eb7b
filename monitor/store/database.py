"""The database: connection set-up, migrations, the write transaction (`Tx`) and the read helpers."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.store.filters import item_filters

BUSY_TIMEOUT_MS = 10_000
#: How many migrations `schema` holds (a test checks it): a database whose user_version says so is current.
SCHEMA_VERSION = 8
#: The items columns held by the full-text index `items_fts` (schema m002).
FTS_COLUMNS = "title, teaser, body, participants"


def utcnow() -> str:
    """The current time as an ISO-8601 UTC string with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def iso(dt: datetime) -> str:
    """A datetime as the ISO-8601 UTC string the store uses."""
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


def checkpoint(store: Store) -> None:
    """Write the write-ahead log into the database file now (what SQLite does by itself every 1,000 pages)."""
    with store._lock:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def fts_query_error(query: str) -> str | None:
    """Why SQLite's full-text engine refuses `query` (a watch's `words`), or None when it accepts it."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
        conn.execute("SELECT * FROM t WHERE t MATCH ?", (query,)).fetchall()
    except sqlite3.Error as exc:
        return str(exc)
    finally:
        conn.close()
    return None


class StoreError(Exception):
    """The database cannot be opened or is not usable."""


class Tx:
    """The handle of a write transaction: every statement of the store's write functions goes through it."""

    __slots__ = ("conn",)

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> sqlite3.Cursor:
        """Run one statement."""
        return self.conn.execute(sql, params)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> sqlite3.Cursor:
        """Run one statement for each row."""
        return self.conn.executemany(sql, rows)

    def one(self, sql: str, params: Sequence[Any] = ()) -> dict[str, Any] | None:
        """The first row of a query as a dict, or None."""
        row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: Sequence[Any] = ()) -> Any:
        """The first column of the first row of a query."""
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Every row of a query as dicts."""
        return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """A savepoint inside the transaction: what the block wrote is undone when it raises."""
        self.conn.execute("SAVEPOINT part")
        try:
            yield
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK TO SAVEPOINT part")
                self.conn.execute("RELEASE SAVEPOINT part")
            raise
        self.conn.execute("RELEASE SAVEPOINT part")


class Store:
    """One SQLite database; in the daemon the single writer connection, shared by threads under a lock."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        try:
            if str(path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"cannot open database {path}: {exc}") from exc
        conn.row_factory = sqlite3.Row
        self.conn = conn
        self._lock = threading.RLock()
        self.closed = False
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            with self._lock:
                self._migrate()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise StoreError(f"database {path} is not usable: {exc} (run `monitor doctor`)") from exc

    def _migrate(self) -> None:
        """Apply the migrations of `schema` the database lacks (sqlite-utils keeps the record of those applied).

        SQLite's `user_version` counts them too, so that a database already current is opened without loading the
        migration machinery at all (most commands open a current database).
        """
        if self.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        from sqlite_utils import Database

        from monitor.store.schema import migrations

        migrations.apply(Database(self.conn, execute_plugins=False))
        self.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def close(self) -> None:
        """Checkpoint the WAL and close the connection."""
        with self._lock:
            with suppress(sqlite3.Error):
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self.conn.close()
            self.closed = True

    @contextmanager
    def transaction(self) -> Iterator[Tx]:
        """One atomic write transaction; threads take turns; nested, a savepoint.

        The write lock is taken at the start (BEGIN IMMEDIATE): a transaction that read first and wrote later
        would fail at once, without waiting the busy timeout, when another process wrote in between.
        """
        with self._lock:
            tx = Tx(self.conn)
            if self.conn.in_transaction:
                with tx.savepoint():
                    yield tx
                return
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield tx
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.rollback()
                raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows of a read query as dicts."""
        with self._lock:
            return [dict(r) for r in self.conn.execute(sql, params).fetchall()]

    def one(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> dict[str, Any] | None:
        """The first row of a read query, or None."""
        with self._lock:
            row = self.conn.execute(sql, params).fetchone()
        return dict(row) if row is not None else None

    def scalar(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        """The first column of the first row of a query."""
        with self._lock:
            row = self.conn.execute(sql, params).fetchone()
        return row[0] if row is not None else None

    def health(self) -> tuple[str, str, int]:
        """SQLite's integrity check ("ok" or what is wrong), the journal mode, and how many items are stored."""
        result = str(self.scalar("PRAGMA integrity_check"))
        mode = str(self.scalar("PRAGMA journal_mode"))
        return result, mode, int(self.scalar("SELECT COUNT(*) FROM items") or 0)

    # ---------------------------------------------------------------- sources

    def sync_sources(self, sources: list[tuple[str, str, str]]) -> None:
        """Make sure each configured (name, adapter, url) has a health row; a changed URL resets the validators."""
        with self.transaction() as db:
            for name, adapter, url in sources:
                row = db.execute("SELECT url FROM sources WHERE name = ?", [name]).fetchone()
                if row is None:
                    db.execute("INSERT INTO sources (name, adapter, url) VALUES (?, ?, ?)", [name, adapter, url])
                elif row[0] != url:
                    db.execute("UPDATE sources SET adapter = ?, url = ?, etag = NULL, last_modified = NULL, "
                               "layout = NULL WHERE name = ?", [adapter, url, name])
                else:
                    db.execute("UPDATE sources SET adapter = ? WHERE name = ?", [adapter, name])

    def source(self, name: str) -> dict[str, Any] | None:
        """The health row of a source."""
        return self.one("SELECT * FROM sources WHERE name = ?", (name,))

    # ---------------------------------------------------------------- read models for the CLI

    def status(self, names: list[str] | None = None) -> dict[str, Any]:
        """The `status --json` document: sources with health, alert counts, item counts."""
        counts = {r["source"]: r["n"] for r in self.query("SELECT source, COUNT(*) AS n FROM item_urls "
                                                            "GROUP BY source")}
        rows = self.query("SELECT * FROM sources ORDER BY name")
        from monitor.store.coverage import open_gaps  # (coverage builds on this module)

        gaps = open_gaps(self)
        if names is not None:
            order = {n: i for i, n in enumerate(names)}
            rows = sorted((r for r in rows if r["name"] in order), key=lambda r: order[r["name"]])
        sources = [{
            "name": r["name"], "adapter": r["adapter"], "url": r["url"], "last_ok_at": r["last_ok_at"],
            "last_run_at": r["last_run_at"], "last_status": r["last_status"], "last_error": r["last_error"],
            "consecutive_failures": r["consecutive_failures"], "items": counts.get(r["name"], 0),
            "layout": r["layout"], "next_fetch_not_before": r["next_fetch_not_before"],
            "warnings": json.loads(r["last_warnings"] or "[]"),
            "gap": r["name"] in gaps,
            "gap_since": gaps[r["name"]]["since"] if r["name"] in gaps else None,
            "gap_detected_at": gaps[r["name"]]["detected_at"] if r["name"] in gaps else None,
            "gap_note": gaps[r["name"]]["note"] if r["name"] in gaps else None,
        } for r in rows]
        alerts = {"pending": 0, "sent": 0, "dead": 0}
        for r in self.query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status"):
            alerts[r["status"]] = r["n"]
        oldest = self.scalar("SELECT MIN(created_at) FROM outbox WHERE status = 'pending'")
        by_cat = {r["category"] or "unclassified": r["n"]
                  for r in self.query("SELECT category, COUNT(*) AS n FROM items GROUP BY category")}
        total = sum(by_cat.values())
        high = self.scalar("SELECT COUNT(*) FROM items WHERE category = 'meeting' AND high_level = 1") or 0
        return {
            "sources": sources,
            "alerts": {**alerts, "oldest_pending_at": oldest},
            "items": {"total": total, "by_category": by_cat, "high_level_meetings": high,
                      "events": self.scalar("SELECT COUNT(*) FROM events") or 0},
        }

    def items(self, *, source: str | None = None, category: str | None = None, since: str | None = None,
              until: str | None = None, limit: int | None = None, language: str | None = None,
              korean_only: bool = False) -> list[dict[str, Any]]:
        """Items newest first, in the `items --json` shape; `since`/`until` are days of publication (or first
        sight when undated), inclusive; ValueError when a date is not YYYY-MM-DD."""
        where, params = item_filters(source=source, category=category, since=since, until=until,
                                     language=language, korean_only=korean_only)
        sql = "SELECT * FROM items i"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY i.first_seen_at DESC, i.id DESC"
        if limit:
            sql += f" LIMIT {int(limit)}"
        return [item_json(r) for r in self.query(sql, tuple(params))]

    def alerts(self, status: str | None = None) -> list[dict[str, Any]]:
        """Outbox rows in the `alerts --json` shape, newest first."""
        sql = "SELECT * FROM outbox"
        params: tuple[Any, ...] = ()
        if status:
            sql += " WHERE status = ?"
            params = (status,)
        rows = self.query(sql + " ORDER BY created_at DESC", params)
        return [{"id": r["id"], "channel": r["channel"], "kind": r["kind"], "status": r["status"],
                 "attempts": r["attempts"], "last_error": r["last_error"], "event_id": r["event_id"],
                 "created_at": r["created_at"], "sent_at": r["sent_at"], "next_attempt_at": r["next_attempt_at"]}
                for r in rows]


def item_json(row: dict[str, Any]) -> dict[str, Any]:
    """An items row in the contract's JSON shape (plus a few extra keys)."""
    return {
        "id": row["id"], "source": row["source"], "url": row["url"], "title": row["title"],
        "published": row["published"], "category": row["category"], "high_level": bool(row["high_level"]),
        "participants": json.loads(row["participants"] or "[]"), "first_seen_at": row["first_seen_at"],
        "countries": json.loads(row["countries"] or "[]"), "outlet": row["outlet"], "event_id": row["event_id"],
        "removed_at": row["removed_at"], "language": row.get("language"),
        "translation_id": row.get("translation_id"),
        "korean_only": bool(row.get("korean_only_at")) and row.get("translation_id") is None,
    }
