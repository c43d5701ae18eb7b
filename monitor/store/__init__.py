"""The SQLite store: the only package that writes SQL.

`database` opens the file, applies the migrations of `schema` and hands out write transactions (`Tx`); the other
modules are the queries of one concern each: `runs` (what a source run reads and writes), `events` (meeting
events), `outbox` (alerts to deliver), `archive` (search, export, stories, revisions, feeds, digest,
reclassification) and `filters` (the item filters they share).
"""

from monitor.store.database import BUSY_TIMEOUT_MS, FTS_COLUMNS, Store, StoreError, Tx, iso, item_json, utcnow

__all__ = ["BUSY_TIMEOUT_MS", "FTS_COLUMNS", "Store", "StoreError", "Tx", "iso", "item_json", "utcnow"]
