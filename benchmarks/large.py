"""A large archive: a store of a million items, built by `monitor import`, and what users feel on it.

- import rate: the archive is imported through `monitor.ingest.importer` (what `monitor import` runs): rows per
  second over the whole file, classification, deduplication and full-text indexing included;
- a poll cycle (10 KCNA listings on a local site, one new entry each) on the large store against the same cycle
  on an empty store, as CPU seconds of the process, interleaved rounds;
- `monitor search` (the query, in-process, median over a mix of rare and common words) and `monitor status`
  (the command as a subprocess, start-up included);
- the daemon's resident memory while it polls on the large store.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from benchmarks import pages
from benchmarks.configs import write_config
from benchmarks.daemon import DaemonProcess
from benchmarks.report import Section, fmt
from benchmarks.sites import Site
from benchmarks.timing import median
from monitor.archive.search import search
from monitor.classify import Classifier
from monitor.config import load_settings
from monitor.ingest.importer import import_file
from monitor.logging import configure_logging
from monitor.runtime.runner import close_context, enabled_sources, open_context, run_all
from monitor.store import Store
from monitor.store.database import checkpoint

SOURCES = 10
WINDOW = 15
CYCLES = 8  # steady cycles measured per round
NOUNS = ("Orchard", "Foundry", "Library", "Stadium", "Canal", "Textile Mill", "Ferry", "Observatory", "Dam",
         "Greenhouse Farm", "Power Station", "Hospital", "School", "Fishery", "Coal Mine", "Railway Bridge",
         "Theatre", "Museum", "Housing Estate", "Tractor Plant", "Fertilizer Complex", "Ski Resort", "Orphanage")
VERBS = ("Opens in", "Built in", "Renovated in", "Inspected in", "Praised in", "Expanded in", "Visited in")
PLACES = ("Jagang Province", "Kangwon Province", "South Hwanghae", "North Phyongan", "Ryanggang", "Rason",
          "Pyongyang", "Hamhung", "Chongjin", "Wonsan", "Sinuiju", "Kaesong", "Nampho", "Kanggye", "Hyesan")
TOPICS = ("Paduk Widely Encouraged", "Spring Sowing Under Way", "Sports Games Held", "Art Performance Given",
          "Exhibition of Photos Opens", "Seminar on Juche Idea Held", "Book Published", "Scientific Symposium Held")
VISITORS = ("Lao Foreign Minister", "Vietnamese Party Delegation", "Russian Minister of Natural Resources",
            "Chinese Premier", "Mongolian Foreign Minister", "Belarusian Foreign Minister", "Cuban Ambassador")
QUERIES = ("Lavrov", "Ryzhenkov", "Observatory", "Rason", "\"Power Station\"", "Kim Jong Un", "Paduk", "Delegation")


def archive_lines(count: int, seed: int = 11) -> list[dict[str, Any]]:
    """`count` invented archive rows over 2011-2026, about 2 % meetings, a tenth with a short text."""
    rng = random.Random(seed)
    start = date(2011, 1, 1)
    rows = []
    for n in range(count):
        day = start + timedelta(days=n * 5800 // count)
        roll = rng.random()
        if roll < 0.02:
            title = f"Kim Jong Un Receives {rng.choice(VISITORS)} ({n})"
        elif roll < 0.35:
            title = f"{rng.choice(TOPICS)} in {rng.choice(PLACES)} ({n})"
        else:
            title = f"{rng.choice(NOUNS)} No. {n} {rng.choice(VERBS)} {rng.choice(PLACES)}"
        row: dict[str, Any] = {"title": title, "url": f"http://archive.example/{n}", "date": day.isoformat(),
                               "source": "archive"}
        if n % 10 == 0:
            row["text"] = f"{title}. Working people of {rng.choice(PLACES)} turned out in large numbers."
        rows.append(row)
    return rows


def build(directory: Path, count: int) -> tuple[Path, float, int]:  # (every row has a title of its own)
    """A config whose store holds `count` imported items; (config, import seconds, items stored)."""
    archive = directory / "archive.jsonl"
    with archive.open("w", encoding="utf-8") as f:
        for row in archive_lines(count):
            f.write(json.dumps(row) + "\n")
    config = write_config(directory / "large.toml", [])
    settings = load_settings(config)
    store = Store(settings.db_path)
    classifier = Classifier.load()
    t0 = time.monotonic()
    outcome = import_file(settings, store, classifier, archive)
    seconds = time.monotonic() - t0
    store.close()
    archive.unlink()
    return config, seconds, outcome.stored


def _sources(site: Site, round_no: int) -> list[dict[str, Any]]:
    """SOURCES listings of WINDOW entries, each gaining a new entry at every poll after the first."""
    out = []
    for k in range(SOURCES):
        stories = pages.invented_stories(WINDOW + CYCLES + 200, seed=9000 + k)
        stories = [pages.Story(f"Large {k}: {s.title}", s.day, s.lead) for s in stories]
        path = f"/en/article/list/{k:032d}"

        def listing(hit: int, stories: list[pages.Story] = stories) -> bytes:
            start = max(0, CYCLES + 200 - hit)
            return pages.kcna_detail(stories[start:start + WINDOW]).encode("utf-8")

        site.put(path, listing)
        out.append({"name": f"large-{k}", "adapter": "kcna", "url": site.base + path, "interval": 600,
                    "fetch_articles": False})
    return out


def poll_cpu(db_dir: Path, template: Path | None, round_no: int) -> float:
    """CPU seconds of a steady poll cycle (one new entry per listing), the mean of CYCLES cycles after the first,
    on a copy of `template` (None: an empty store). The first cycle stores every listing's window at once; its
    pages are written to the database file before the cycles measured (a steady daemon never meets such a burst);
    those of the cycles measured are written within the time measured (a checkpoint at the end)."""
    work = db_dir / f"poll-{round_no}-{'large' if template else 'empty'}"
    work.mkdir()
    site = Site("127.0.0.1")
    config = write_config(work / "large.toml", _sources(site, round_no))
    if template is not None:
        shutil.copy(template, work / "large.db")
    settings = load_settings(config)
    ctx = open_context(settings)
    try:
        run_all(ctx, enabled_sources(settings))  # the first cycle: every listing seen once
        checkpoint(ctx.store)
        t0 = time.process_time()
        for _ in range(CYCLES):
            summaries = run_all(ctx, enabled_sources(settings))
            if any(s.status != "ok" or s.new_items != 1 for s in summaries):
                raise AssertionError(f"unexpected cycle: {summaries[0]}")
        checkpoint(ctx.store)  # the cycles' pages written to the database file: their share of checkpoints
        cpu = (time.process_time() - t0) / CYCLES
    finally:
        close_context(ctx)
        site.close()
    shutil.rmtree(work)
    return cpu


def search_times(config: Path, rounds: int) -> list[float]:
    """Wall seconds of each search of QUERIES, `rounds` times over."""
    store = Store(load_settings(config).db_path)
    times = []
    try:
        for _ in range(rounds):
            for query in QUERIES:
                t0 = time.monotonic()
                search(store, query, limit=50)
                times.append(time.monotonic() - t0)
    finally:
        store.close()
    return times


def status_times(config: Path, rounds: int) -> list[float]:
    """Wall seconds of `monitor status` as a subprocess (start-up included)."""
    out = []
    for _ in range(rounds):
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "status"], check=True,
                       capture_output=True, timeout=120)
        out.append(time.monotonic() - t0)
    return out


def daemon_rss(directory: Path, template: Path, cycles: int) -> float:
    """Peak RSS (MiB) of the daemon polling 10 listings every 0.2 s on a copy of the large store."""
    work = directory / "daemon"
    work.mkdir()
    site = Site("127.0.0.1")
    sources = [dict(s, interval=0.2, jitter=0.0) for s in _sources(site, 0)]
    config = write_config(work / "large.toml", sources)
    shutil.copy(template, work / "large.db")
    peak = 0
    with DaemonProcess(config) as daemon:
        deadline = time.monotonic() + 120 + cycles
        paths = [f"/en/article/list/{k:032d}" for k in range(SOURCES)]
        while min(site.count(p) for p in paths) < cycles and time.monotonic() < deadline:
            peak = max(peak, daemon.rss_kib())
            time.sleep(0.1)
        peak = max(peak, daemon.rss_kib())
    site.close()
    return peak / 1024


def run(quick: bool = False) -> Section:
    """The million-item store of issue 18 (quick: 20,000 items)."""
    configure_logging("warning", "json")
    count, rounds = (20_000, 2) if quick else (1_000_000, 5)
    with tempfile.TemporaryDirectory(prefix="bench-large-") as tmp:
        directory = Path(tmp)
        config, import_seconds, stored = build(directory, count)
        template = directory / "large.db"
        size_mib = template.stat().st_size / 2**20
        empty_cpu, large_cpu = [], []
        for r in range(rounds):
            empty_cpu.append(poll_cpu(directory, None, r))
            large_cpu.append(poll_cpu(directory, template, r))
        searches = search_times(config, rounds)
        statuses = status_times(config, rounds)
        rss = daemon_rss(directory, template, 20 if quick else 100)
    rate = stored / import_seconds
    ratio = median([b / a for a, b in zip(empty_cpu, large_cpu, strict=True)])
    section = Section(f"Large archive ({fmt(stored)} items)", ["measure", "value", "runs"])
    section.rows = [
        ["import (rows stored per second)", f"{fmt(rate)} /s", f"{fmt(stored)} rows in {import_seconds:.0f} s"],
        ["poll cycle CPU, empty store", f"{median(empty_cpu) * 1000:.0f} ms", ", ".join(f"{v * 1000:.0f}"
                                                                                      for v in empty_cpu)],
        ["poll cycle CPU, large store", f"{median(large_cpu) * 1000:.0f} ms", ", ".join(f"{v * 1000:.0f}"
                                                                                      for v in large_cpu)],
        ["large / empty (median of per-round ratios)", f"{ratio:.2f}x", ""],
        ["search, one query (median)", f"{median(searches) * 1000:.1f} ms",
         f"max {max(searches) * 1000:.0f} ms over {len(searches)}"],
        ["`monitor status` (subprocess, start-up included)", f"{median(statuses):.2f} s",
         ", ".join(f"{v:.2f}" for v in statuses)],
        ["daemon peak RSS on the large store", f"{rss:.1f} MiB", ""],
        ["database file", f"{size_mib:.0f} MiB", ""],
    ]
    section.figures.update(large_items=stored, import_rate=rate, poll_cpu_ratio=ratio,
                           search_median_ms=median(searches) * 1000, status_median_s=median(statuses),
                           daemon_rss_mib=rss)
    if not quick:
        section.check(f"import >= 5,000 items/s ({fmt(rate)}/s)", rate >= 5000)
        section.check(f"poll cycle CPU within 1.2x of an empty store ({ratio:.2f}x)", ratio <= 1.2)
        section.check(f"search median < 50 ms ({median(searches) * 1000:.1f} ms)", median(searches) < 0.05)
        section.check(f"`monitor status` < 0.5 s ({median(statuses):.2f} s)", median(statuses) < 0.5)
        section.check(f"daemon memory < 150 MB ({rss:.1f} MiB)", rss < 150)
    section.notes += [
        f"The store is built by importing {fmt(count)} invented rows (titles over 2011-2026, 2 % meetings, a tenth "
        "with a short text) with the importer `monitor import` runs; the rate covers reading, classification, "
        "deduplication, events and the full-text index.",
        f"Poll cycle: {SOURCES} KCNA listings on a local server, each gaining one entry a cycle; CPU time of the "
        f"process (system time included: SQLite's fsyncs) per cycle, the mean of {CYCLES} steady cycles after the "
        f"first and the checkpoint that writes their pages to the database file, on an empty store and on a copy of "
        f"the large one, {rounds} interleaved rounds.",
        f"Search: the query `monitor search` runs (bm25 order, snippets, 50 hits), in-process, for {len(QUERIES)} "
        "queries from rare names to words in a third of the items; the command adds its start-up (see status).",
    ]
    return section
