"""`monitor backfill` and `monitor import` through the real command line: a backfill killed half-way resumes
where it stopped; an import of 10,000 lines twice stores 10,000 items; an old imported meeting sends nothing."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from monitor.config import load_settings
from monitor.ingest.backfill import backfill
from monitor.runtime.runner import close_context, open_context
from tests.conftest import write_config
from tests.sitekit import LocalSite, Reply, Request
from tests.test_catchup import KcnaSite, day_of, title

FEED = "/en/article/list/feed"
HOOK = '[alerts.webhook]\nurl = "{url}"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'


def monitor(cfg: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), *args], capture_output=True,
                          text=True, timeout=timeout)


def count_items(cfg: Path) -> int:
    return len(json.loads(monitor(cfg, "items", "--json").stdout))


def test_backfill_walks_down_to_the_day_and_says_so(tmp_path: Path, site: LocalSite) -> None:
    """A backfill stores every page down to --since and stops there: pages older than the day are not asked for."""
    kcna = KcnaSite(site)
    kcna.publish(100)  # 10 pages of 10, five items a day from 2026-11-01
    cfg = write_config(tmp_path / "m.toml", [{"name": "kcna", "adapter": "kcna", "url": site.base + FEED}])
    done = monitor(cfg, "backfill", "kcna", "--since", day_of(61).isoformat())
    assert done.returncode == 0, done.stderr
    assert "reached the day" in done.stdout
    pages = [parse_qs(r.body.decode())["page_num"][0] for r in site.requests if r.method == "POST"]
    assert pages == ["2", "3", "4", "5"]  # page 5 holds items 60..51: the first older than day_of(61)
    assert count_items(cfg) == 50


def test_a_backfill_killed_half_way_resumes_where_it_stopped(tmp_path: Path, site: LocalSite) -> None:
    """Killed (SIGKILL) while page 5 is on its way, the next backfill starts at page 5 with a fresh session and
    reads no stored page again."""
    kcna = KcnaSite(site)
    kcna.publish(100)
    real = kcna.answer
    arrived: list[int] = []
    hung, release = threading.Event(), threading.Event()

    def slow_page_5(req: Request) -> Reply:
        page = parse_qs(req.body.decode()).get("page_num", ["1"])[0] if req.method == "POST" else "1"
        arrived.append(int(page))
        if page == "5" and not hung.is_set():
            hung.set()
            release.wait(30)  # the first ask for page 5 hangs: the process is killed meanwhile
        return real(req)

    site.routes[FEED] = slow_page_5
    cfg = write_config(tmp_path / "m.toml", [{"name": "kcna", "adapter": "kcna", "url": site.base + FEED}])
    proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(cfg), "backfill", "kcna", "--since",
                             "2026-11-01"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert hung.wait(60)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        release.set()
    assert count_items(cfg) == 40  # pages 1-4 were stored, each with the position after it
    arrived.clear()
    done = monitor(cfg, "backfill", "kcna", "--since", "2026-11-01")
    assert done.returncode == 0, done.stderr
    assert "resumed" in done.stdout
    assert arrived == [1, 5, 6, 7, 8, 9, 10]  # a fresh first page for the session, then on from page 5
    assert count_items(cfg) == 100


def test_a_failed_page_keeps_the_position_and_a_source_without_paging_is_refused(tmp_path: Path,
                                                                                 site: LocalSite) -> None:
    """A page that fails ends the backfill with its position kept; an adapter that cannot page back is refused."""
    kcna = KcnaSite(site)
    kcna.publish(60)
    real = kcna.answer
    broken = {"on": True}

    def fail_page_3(req: Request) -> Reply:
        if req.method == "POST" and parse_qs(req.body.decode())["page_num"] == ["3"] and broken["on"]:
            return Reply(b"down", 404)
        return real(req)

    site.routes[FEED] = fail_page_3
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "kcna", "adapter": "kcna", "url": site.base + FEED},
        {"name": "plain", "adapter": "css", "url": site.base + "/news"}], '[sources.css]\nitem = "li"\ntitle = "a"\n')
    ctx = open_context(load_settings(cfg))
    try:
        first = backfill(ctx, ctx.settings.source("kcna"), date(2026, 11, 1))
        assert not first.complete and "page 3" in first.ended and first.items == 20
        broken["on"] = False
        second = backfill(ctx, ctx.settings.source("kcna"), date(2026, 11, 1))
        assert second.complete and second.resumed and second.items == 60
    finally:
        close_context(ctx)
    refused = monitor(cfg, "backfill", "plain", "--since", "2026-11-01")
    assert refused.returncode == 1 and "cannot page back" in refused.stderr


def test_import_of_10000_lines_twice_stores_10000_items_and_an_old_meeting_sends_nothing(
        tmp_path: Path, site: LocalSite) -> None:
    """10,000 JSON lines imported twice are 10,000 items; the old high-level meeting among them queues no alert."""
    lines = [{"title": f"{title(n)} Again", "url": f"http://archive.example/{n}", "date": f"2012-05-0{1 + n % 9}",
              "source": "archive"} for n in range(9999)]
    lines.append({"title": "Kim Jong Il Receives Chinese Premier", "url": "http://archive.example/meeting",
                  "date": "2010-05-05", "text": "Kim Jong Il met Wen Jiabao, premier of the State Council of China."})
    archive = tmp_path / "archive.jsonl"
    archive.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    cfg = write_config(tmp_path / "m.toml", [{"name": "x", "adapter": "css", "url": site.base + "/news"}],
                       '[sources.css]\nitem = "li"\ntitle = "a"\n\n' + HOOK.format(url=site.base + "/hook"))
    for _ in range(2):
        done = monitor(cfg, "import", str(archive), timeout=300)
        assert done.returncode == 0, done.stderr
    assert "10,000 already stored" in done.stdout
    items = json.loads(monitor(cfg, "items", "--json").stdout)
    assert len(items) == 10000
    meeting = next(i for i in items if i["title"].startswith("Kim Jong Il Receives"))
    assert meeting["category"] == "meeting" and meeting["high_level"] and meeting["source"] == "import"
    monitor(cfg, "run", "--once")  # its source has no page (404): the pass only delivers what is due
    assert json.loads(monitor(cfg, "alerts", "--json").stdout) == [] and site.posts() == []


def test_import_reads_csv_with_ids_labels_the_source_and_skips_bad_rows(tmp_path: Path) -> None:
    """A CSV with ids instead of URLs imports under --source; a row without a date is skipped with its line named;
    a recent imported meeting does alert (only old news is silenced)."""
    path = tmp_path / "headlines.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "title", "date"])
        writer.writerow(["a1", "Pear Harvest Brisk in South Hwanghae", "2024-09-01"])
        writer.writerow(["a2", "New Footbridge Opens over Pothong River", ""])
        writer.writerow(["a3", "Kim Jong Un Receives Foreign Minister of Laos", date.today().isoformat()])
    cfg = write_config(tmp_path / "m.toml", [], HOOK.format(url="http://127.0.0.1:9/hook"))
    done = monitor(cfg, "import", str(path), "--source", "kcna-archive")
    assert done.returncode == 1 and "line 3: no readable date" in done.stderr
    items = json.loads(monitor(cfg, "items", "--json").stdout)
    assert sorted(i["url"] for i in items) == ["urn:monitor:kcna-archive:a1", "urn:monitor:kcna-archive:a3"]
    assert {i["source"] for i in items} == {"kcna-archive"}
    assert [a["kind"] for a in json.loads(monitor(cfg, "alerts", "--json").stdout)] == ["meeting.detected"]


def test_import_refuses_a_csv_without_the_needed_columns(tmp_path: Path) -> None:
    """A CSV whose header lacks title, url/id or date is refused with the columns it has, and nothing is stored."""
    path = tmp_path / "bad.csv"
    path.write_text("headline,when\nx,2024-01-01\n", encoding="utf-8")
    cfg = write_config(tmp_path / "m.toml", [])
    done = monitor(cfg, "import", str(path))
    assert done.returncode == 2 and "needs title, url or id, and date" in done.stderr and "headline" in done.stderr


def test_import_reads_a_json_array_in_a_public_archives_shape(tmp_path: Path) -> None:
    """A JSON array with `headline`, `link`, `story_text` and millisecond dates (the shape of a public KCNA
    headline archive) imports, each item dated by its Unix time in UTC."""
    rows = [{"topic": "Home News", "headline": "Paduk Contest Held in Kaesong",
             "link": "http://www.kcna.kp/en/article/q/aaa.kcmsf", "date": 1731196800000,
             "story_text": "Pyongyang, November 10 (KCNA) -- A paduk contest was held."},
            {"topic": "Home News", "headline": "Kim Jong Un Receives Lao Foreign Minister",
             "link": "http://www.kcna.kp/en/article/q/bbb.kcmsf", "date": 1731283200000,
             "story_text": "Kim Jong Un received Thongsavanh Phomvihane, foreign minister of Laos."}]
    path = tmp_path / "headlines_2024-11-11.json"
    path.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    cfg = write_config(tmp_path / "m.toml", [])
    done = monitor(cfg, "import", str(path), "--source", "kcna")
    assert done.returncode == 0, done.stderr
    items = {i["title"]: i for i in json.loads(monitor(cfg, "items", "--json").stdout)}
    assert items["Paduk Contest Held in Kaesong"]["published"] == "2024-11-10"
    assert items["Kim Jong Un Receives Lao Foreign Minister"]["category"] == "meeting"
    assert {i["source"] for i in items.values()} == {"kcna"}


def test_repeats_within_a_file_are_stored_once_across_batches(tmp_path: Path, monkeypatch: Any) -> None:
    """A row repeated later in the file (same URL, or same title and date under another URL) is a duplicate, also
    when the repeat falls in a later batch; the other URL is kept as one more URL of the item."""
    from monitor.classify import Classifier
    from monitor.ingest import importer
    from monitor.store import Store

    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [{"title": "Pear Harvest Brisk", "url": "http://a.example/1", "date": "2024-09-01"},
            {"title": "Footbridge Opens", "url": "http://a.example/2", "date": "2024-09-02"},
            {"title": "Pear Harvest Brisk", "url": "http://a.example/1", "date": "2024-09-01"},
            {"title": "Pear Harvest Brisk", "url": "http://mirror.example/9", "date": "2024-09-01"},
            {"title": "Pear Harvest Brisk", "url": "http://a.example/1", "date": "2024-09-01"}]
    path = tmp_path / "a.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    settings = load_settings(write_config(tmp_path / "m.toml", []))
    store = Store(settings.db_path)
    outcome = importer.import_file(settings, store, Classifier.load(), path)
    assert (outcome.read, outcome.stored, outcome.duplicates) == (5, 2, 3)
    assert store.scalar("SELECT COUNT(*) FROM items") == 2
    assert store.scalar("SELECT COUNT(*) FROM item_urls") == 3
    store.close()


def test_hostile_import_files_are_refused_or_skipped_with_a_reason(tmp_path: Path) -> None:
    """A JSON line nested 100,000 deep is a skipped line, a JSON array so nested is refused, a 5 MB title and a
    50 MB text are cut, and the readable rows beside them are imported."""
    deep_line = tmp_path / "deep.jsonl"
    deep_line.write_text(json.dumps(
        {"title": "T" * 5_000_000, "url": "http://x.example/1", "date": "2024-01-01", "text": "w " * 25_000_000})
                         + "\n" + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    deep_array = tmp_path / "deep.json"
    deep_array.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    cfg = write_config(tmp_path / "m.toml", [])
    done = monitor(cfg, "import", str(deep_line))
    assert done.returncode == 1 and "line 2: JSON nested too deep" in done.stderr
    [item] = json.loads(monitor(cfg, "items", "--json").stdout)
    assert len(item["title"]) <= 1000
    refused = monitor(cfg, "import", str(deep_array))
    assert refused.returncode == 2 and "nested too deep" in refused.stderr
