"""Export: one record per item in JSON lines or CSV, with filters and every URL of the item."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from monitor.archive import export_items
from monitor.archive.export import FIELDS, read_csv_record
from monitor.store import Store
from tests.test_archive_fixtures import add_item, make_store


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """Three items; the meeting is listed under two URLs and has awkward characters for CSV."""
    s = make_store(tmp_path)
    add_item(s, 'Talks Held, "Warm" Atmosphere; Envoy of Ruritania', category="meeting", high_level=True,
             participants=("Kim Yong Chol", "Anton Varga"), countries=("Ruritania",),
             body="Line one, with comma.\nLine two \"quoted\".", teaser="Envoy met.",
             url="http://kcna.example/a/1", also=(("http://watch.example/b/9", "kcnawatch", "KCNA",
                                                   "2024-05-03T09:30:00.000000+00:00"),))
    add_item(s, "Ginseng Growers Report Record Yield", source="rodong", published="2024-05-04",
             first_seen_at="2024-05-04T07:00:00.000000+00:00")
    add_item(s, "Tram Line Opened in Chongjin", published=None, removed_at="2024-05-06T00:00:00+00:00",
             first_seen_at="2024-05-05T07:00:00.000000+00:00")
    return s


def test_jsonl_one_line_per_item_like_items_json(store: Store) -> None:
    """JSON lines give one record per item, in items --json order, with its keys and the extra fields."""
    out = io.StringIO()
    assert export_items(store, "jsonl", out) == 3
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    listed = store.items()
    assert [r["id"] for r in records] == [i["id"] for i in listed]
    for rec, item in zip(records, listed, strict=True):
        assert {k: rec[k] for k in item} == item
        assert list(rec) == list(FIELDS)
    meeting = records[-1]
    assert meeting["urls"] == ["http://kcna.example/a/1", "http://watch.example/b/9"]
    assert meeting["body"] == "Line one, with comma.\nLine two \"quoted\"."
    assert meeting["teaser"] == "Envoy met."
    assert records[0]["removed_at"] == "2024-05-06T00:00:00+00:00"


def test_csv_round_trip(store: Store) -> None:
    """CSV written by export reads back to the same records as JSON lines (lists as JSON in the cell)."""
    as_csv, as_jsonl = io.StringIO(), io.StringIO()
    assert export_items(store, "csv", as_csv) == 3
    export_items(store, "jsonl", as_jsonl)
    rows = list(csv.DictReader(io.StringIO(as_csv.getvalue())))
    assert [read_csv_record(r) for r in rows] == [json.loads(x) for x in as_jsonl.getvalue().splitlines()]


def test_filters(store: Store) -> None:
    """Source (any URL's source), category and dates select items."""
    def ids(**kw: str) -> list[str]:
        out = io.StringIO()
        export_items(store, "jsonl", out, **kw)
        return [json.loads(x)["title"] for x in out.getvalue().splitlines()]
    assert ids(source="kcnawatch") == ['Talks Held, "Warm" Atmosphere; Envoy of Ruritania']
    assert ids(category="meeting") == ids(source="kcnawatch")
    assert ids(since="2024-05-04") == ["Tram Line Opened in Chongjin", "Ginseng Growers Report Record Yield"]
    assert ids(until="2024-05-03") == ids(source="kcnawatch")


def test_many_items_across_batches(tmp_path: Path) -> None:
    """More items than one read batch (several seen at the same instant) are all exported once, newest first."""
    s = make_store(tmp_path)
    for n in range(1203):
        t = n // 3
        add_item(s, f"Item {n}", first_seen_at=f"2024-05-03T08:{t // 60:02d}:{t % 60:02d}.000000+00:00")
    out = io.StringIO()
    assert export_items(s, "jsonl", out) == 1203
    ids = [json.loads(x)["id"] for x in out.getvalue().splitlines()]
    assert ids == [i["id"] for i in s.items()]


def test_unknown_format(store: Store) -> None:
    """An unknown format is a ValueError naming the choices."""
    with pytest.raises(ValueError, match="jsonl or csv"):
        export_items(store, "xml", io.StringIO())  # type: ignore[arg-type]
