"""Datasette metadata: tables described exist, and every canned query runs on a real database."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from monitor.archive import datasette_metadata
from monitor.store import utcnow
from tests.test_archive_fixtures import add_event, add_item, make_store


def _database(tmp_path: Path) -> Path:
    store = make_store(tmp_path)
    store.sync_sources([("kcna", "kcna", "http://kcna.example/"), ("rodong", "rodong", "http://rodong.example/")])
    meeting = add_item(store, "Envoy of Ruritania Received", category="meeting", high_level=True,
                       countries=("Ruritania",))
    add_event(store, "evt_1", "Envoy of Ruritania Received", [meeting], countries=("Ruritania", "DPRK"))
    add_item(store, "Tram Line Opened", removed_at="2024-05-06T00:00:00+00:00")
    with store.transaction() as db:
        db.execute("INSERT INTO fetch_log (source, started_at, duration, status, entries) VALUES (?, ?, 1.0, "
                   "'error', 0)", ["rodong", utcnow()])
    store.close()
    return tmp_path / "monitor.db"


def test_metadata_is_json_with_described_tables(tmp_path: Path) -> None:
    """The metadata serialises to JSON and describes exactly real tables and columns."""
    meta = json.loads(json.dumps(datasette_metadata()))
    assert meta["title"] and meta["description"]
    db = meta["databases"]["monitor"]
    conn = sqlite3.connect(_database(tmp_path))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for required in ("items", "item_urls", "revisions", "events", "outbox", "sources", "fetch_log"):
        assert db["tables"][required]["description"]
    for name, table in db["tables"].items():
        assert name in tables
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
        assert set(table.get("columns", {})) <= columns
        assert {table.get("sort_desc"), table.get("label_column")} - {None} <= columns


def test_every_canned_query_runs(tmp_path: Path) -> None:
    """Each canned query executes on a database built by the migrations and returns the rows expected."""
    conn = sqlite3.connect(_database(tmp_path))
    conn.row_factory = sqlite3.Row
    queries = datasette_metadata()["databases"]["monitor"]["queries"]
    assert {"latest_meetings", "high_level_meetings_per_country", "removed_articles", "source_health",
            "items_per_day"} <= set(queries)
    results = {}
    for name, q in queries.items():
        assert q["title"] and q["description"]
        results[name] = [dict(r) for r in conn.execute(q["sql"])]
    assert [r["title"] for r in results["latest_meetings"]] == ["Envoy of Ruritania Received"]
    assert {r["country"]: r["meetings"] for r in results["high_level_meetings_per_country"]} == {
        "Ruritania": 1, "DPRK": 1}
    assert [r["title"] for r in results["removed_articles"]] == ["Tram Line Opened"]
    health = {r["name"]: r for r in results["source_health"]}
    assert health["rodong"]["failures_24h"] == 1 and health["kcna"]["runs_24h"] == 0
    assert results["items_per_day"][0]["items"] == 2


def test_database_name_is_configurable() -> None:
    """The database key follows the file name Datasette will show."""
    assert list(datasette_metadata("archive")["databases"]) == ["archive"]
