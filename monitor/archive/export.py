"""Export of items as JSON lines or CSV, one record per item, with every URL the item was seen under."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal, TextIO

from monitor.store import Store, item_json
from monitor.store.archive import export_batch, urls_of

#: Columns of an exported record, in order (the `items --json` keys first).
FIELDS = ("id", "source", "url", "title", "published", "category", "high_level", "participants", "first_seen_at",
          "countries", "outlet", "event_id", "removed_at", "last_seen_at", "teaser", "body", "urls", "language",
          "translation_id", "korean_only")
#: Fields holding lists: JSON arrays in both formats (in CSV as JSON text in the cell).
LIST_FIELDS = ("participants", "countries", "urls")
BATCH = 500


def export_records(store: Store, *, source: str | None = None, category: str | None = None,
                   since: str | date | None = None, until: str | date | None = None) -> Iterator[dict[str, Any]]:
    """Exported records, newest first like `items --json`, read in batches."""
    after: tuple[str, int] | None = None
    while True:
        rows = export_batch(store, after, BATCH, source=source, category=category, since=since, until=until)
        if not rows:
            return
        urls = urls_of(store, [r["id"] for r in rows])
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
        elif k == "id" or (k == "translation_id" and v):
            rec[k] = int(v)
        elif k in ("high_level", "korean_only"):
            rec[k] = v == "true"
        else:
            rec[k] = v if v != "" else None
    return rec


class ExportTargetError(Exception):
    """The output path of an export is not one it may write."""


def check_target(output: Path, db_path: Path, *, force: bool) -> None:
    """Refuse an output that is the database (or its WAL, shared-memory or lock file), a directory, or an
    existing file without `force`."""
    target = output.expanduser().resolve()
    db = db_path.expanduser().resolve()
    protected = {db, *(db.with_name(db.name + suffix) for suffix in ("-wal", "-shm", "-journal", ".lock"))}
    if target in protected or (target.exists() and db.exists() and any(
            p.exists() and os.path.samefile(target, p) for p in protected)):
        raise ExportTargetError(f"{output} is the database or one of its files: export writes elsewhere")
    if target.is_dir():
        raise ExportTargetError(f"{output} is a directory: name a file, e.g. {output / 'items.jsonl'}")
    if target.exists() and not target.is_file():
        raise ExportTargetError(f"{output} is not a regular file (a device or a pipe): name a file, or leave out -o "
                                "to write to standard output")
    if not target.parent.is_dir():
        raise ExportTargetError(f"{output}: the directory {target.parent} does not exist")
    if target.exists() and not force:
        raise ExportTargetError(f"{output} exists: pass --force to replace it")


def write_atomically(output: Path, write: Callable[[TextIO], int]) -> int:
    """Write through `write` into a temporary file beside `output`, then move it into place; on any failure
    (a full disk) the temporary file is removed and `output` is left as it was."""
    fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", suffix=".part", dir=output.expanduser().resolve().parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            count = write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, output)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return count
