"""Alert latency: a meeting appears on a listing -> the signed webhook arrives, daemon polling every second."""

from __future__ import annotations

import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from benchmarks import pages
from benchmarks.configs import write_config
from benchmarks.daemon import DaemonProcess
from benchmarks.report import Section
from benchmarks.sites import Site, WebhookReceiver
from benchmarks.timing import median

LISTING = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
# Visitors the packaged gazetteer knows, so that each change makes a distinct meeting event.
VISITORS = (("Prime Minister", "Laos"), ("Foreign Minister", "Vietnam"), ("Foreign Minister", "Mongolia"),
            ("Prime Minister", "Belarus"), ("Foreign Minister", "Iran"), ("Defence Minister", "Russia"),
            ("Foreign Minister", "China"), ("Prime Minister", "Cambodia"), ("Prime Minister", "Vietnam"))


def meeting(i: int) -> pages.Story:
    """The i-th invented high-level meeting report."""
    office, country = VISITORS[i % len(VISITORS)]
    day = date(2026, 10, 1) + timedelta(days=10 * i)
    lead = (f"Pyongyang, {pages.MONTHS[day.month - 1]} {day.day} (KCNA) -- Kim Jong Un, general secretary of the "
            f"Workers' Party of Korea and president of the State Affairs of the DPRK, received the visiting "
            f"{office.lower()} of {country} on {day.strftime('%A')}. They had a friendly talk.")
    return pages.Story(f"Kim Jong Un Receives Visiting {office} of {country}", day, lead)


def measure(changes: int, interval: float, directory: Path, seed: int = 5) -> list[float]:
    """Seconds from each listing change to its webhook; the changes come at evenly spread phases of the poll."""
    if changes > len(VISITORS):
        raise ValueError(f"at most {len(VISITORS)} changes: a visitor met twice would be the same event")
    rng = random.Random(seed)
    site = Site("127.0.0.1")
    hook = WebhookReceiver()
    filler = pages.invented_stories(10, seed=77, start=date(2026, 9, 20))
    shown = list(filler)
    site.put(LISTING, pages.kcna_detail(shown))
    for s in filler:
        site.put(f"/en/article/detail/{s.hexid}", pages.kcna_article(s))
    config = write_config(directory / "alerts.toml", [{
        "name": "kcna-latest", "adapter": "kcna", "url": site.base + LISTING, "interval": interval, "jitter": 0.0,
        "fetch_articles": True}], webhook=hook.url)
    latencies: list[float] = []
    with DaemonProcess(config) as daemon:
        deadline = time.monotonic() + 60
        while site.count(LISTING) < 2:  # started, first cycle stored
            if not daemon.alive() or time.monotonic() > deadline:
                raise RuntimeError(f"daemon did not poll: {daemon.tail()}")
            time.sleep(0.05)
        # Phases spread evenly over the poll interval (in random order), so median and worst are representative.
        phases = [(i + 0.5) / changes for i in range(changes)]
        rng.shuffle(phases)
        for i in range(changes):
            time.sleep(interval + phases[i] * interval)
            story = meeting(i)
            site.put(f"/en/article/detail/{story.hexid}", pages.kcna_article(story))
            shown.insert(0, story)
            changed = time.monotonic()
            site.put(LISTING, pages.kcna_detail(shown))
            if not hook.wait_for(i + 1, timeout=30):
                raise RuntimeError(f"no webhook for change {i + 1} within 30 s: {daemon.tail()}")
            latencies.append(hook.received[i][0] - changed)
    site.close()
    hook.close()
    return latencies


def run(quick: bool = False) -> Section:
    """Median and worst latency from listing change to webhook received."""
    changes, interval = (2, 1.0) if quick else (8, 1.0)
    with tempfile.TemporaryDirectory(prefix="bench-alert-") as tmp:
        lat = measure(changes, interval, Path(tmp))
    section = Section("Alert latency", ["changes", "median", "worst", "each"])
    section.rows = [[str(len(lat)), f"{median(lat):.2f} s", f"{max(lat):.2f} s", ", ".join(f"{x:.2f}" for x in lat)]]
    section.figures.update(alert_median_s=median(lat), alert_worst_s=max(lat))
    section.notes += [
        f"Daemon subprocess polling one KCNA listing every {interval:g} s (jitter 0, article pages fetched); each "
        "change adds an invented high-level meeting (a distinct visitor), the changes at evenly spread phases of the "
        "poll interval; the latency "
        "runs from the moment the new listing is served to the moment a local receiver gets the webhook.",
        f"Expected: up to one poll interval of waiting ({interval:g} s) plus fetch, parse, store and send.",
    ]
    return section
