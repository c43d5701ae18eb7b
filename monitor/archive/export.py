"""Export of items as JSON lines or CSV, one record per item, with every URL the item was seen under."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from typing import Any, Literal, TextIO

from monitor.filters import item_filters
from monitor.store import Store, item_json

#: Columns of an exported record, in order (the `items --json` keys first).
FIELDS = ("id", "source", "url", "title", "published", "category", "high_level", "participants", "first_seen_at",
          "countries", "outlet", "event_id", "removed_at", "last_seen_at", "teaser", "body", "urls")
#: Fields holding lists: JSON arrays in both formats (in CSV as JSON text in the cell).
LIST_FIELDS = ("participants", "countries", "urls")
BATCH = 500


def export_records(store: Store, *, source: str | None = None, category: str | None = None,
                   since: str | date | None = None, until: str | date | None = None) -> Iterator[dict[str, Any]]:
    """Exported records, newest first like `items --json`, read in batches."""
    where, params = item_filters(source=source, category=category, since=since, until=until)
    after: tuple[str, int] | None = None
    while True:
        conds = list(where)
        args = list(params)
        if after is not None:
            conds.append("(i.first_seen_at < ? OR (i.first_seen_at = ? AND i.id < ?))")
            args += [after[0], after[0], after[1]]
        sql = "SELECT * FROM items i"
        if conds:
            sql += " WHERE " + " AND ".join(conds)
        sql += f" ORDER BY i.first_seen_at DESC, i.id DESC LIMIT {BATCH}"
        rows = store.query(sql, tuple(args))
        if not rows:
            return
        ids = [r["id"] for r in rows]
        urls: dict[int, list[str]] = {i: [] for i in ids}
        marks = ",".join("?" * len(ids))
        for u in store.query(f"SELECT item_id, url FROM item_urls WHERE item_id IN ({marks}) "
                             "ORDER BY first_seen_at, url", tuple(ids)):
            urls[u["item_id"]].append(u["url"])
        for r in rows:
            rec = item_json(r)
            seen = urls[r["id"]]
            rec.update(last_seen_at=r["last_seen_at"], teaser=r["teaser"], body=r["body"],
                       urls=seen if r["url"] in seen else [r["url"], *seen])
            yield {k: rec[k] for k in FIELDS}
        after = (rows[-1]["first_seen_at"], rows[-1]["id"])


def _csv_value(key: str, value: Any) -> str:
    if value is None:
        return ""
    if key in LIST_FIELDS:
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_items(store: Store, fmt: Literal["jsonl", "csv"], out: TextIO, *, source: str | None = None,
                 category: str | None = None, since: str | date | None = None,
                 until: str | date | None = None) -> int:
    """Write one record per item to `out` as JSON lines or CSV (with a header); returns the number of items."""
    if fmt not in ("jsonl", "csv"):
        raise ValueError(f"unknown export format {fmt!r}: use jsonl or csv")
    records = export_records(store, source=source, category=category, since=since, until=until)
    count = 0
    if fmt == "jsonl":
        for rec in records:
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            count += 1
        return count
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FIELDS)
    for rec in records:
        writer.writerow([_csv_value(k, rec[k]) for k in FIELDS])
        count += 1
    return count


def read_csv_record(row: dict[str, str]) -> dict[str, Any]:
    """An exported CSV row (from csv.DictReader) back as the record export wrote, types restored."""
    rec: dict[str, Any] = {}
    for k in FIELDS:
        v = row.get(k, "")
        if k in LIST_FIELDS:
            rec[k] = json.loads(v) if v else []
        elif k == "id":
            rec[k] = int(v)
        elif k == "high_level":
            rec[k] = v == "true"
        else:
            rec[k] = v if v != "" else None
    return rec
