"""Memory / soak: resident memory and open files of the daemon over many poll cycles against a local site.

The listings change as they are polled (a new entry every second poll), so items keep arriving and the
database keeps growing, as in real use.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks import pages
from benchmarks.configs import write_config
from benchmarks.daemon import DaemonProcess
from benchmarks.report import Section, fmt
from benchmarks.sites import Site

SOURCES = 5
WINDOW = 15


@dataclass
class SoakResult:
    """Samples of (cycles done, RSS KiB, open fds) and the summary figures."""

    samples: list[tuple[int, int, int]] = field(default_factory=list)
    cycles: int = 0
    seconds: float = 0.0
    items_served: int = 0

    @property
    def rss_start(self) -> int:
        """RSS (KiB) at the first sample, after the first full cycle."""
        return self.samples[0][1]

    @property
    def rss_warm(self) -> int:
        """RSS (KiB) at the sample taken after about a tenth of the cycles."""
        return self.samples[min(1, len(self.samples) - 1)][1]

    @property
    def rss_end(self) -> int:
        """RSS (KiB) at the last sample."""
        return self.samples[-1][1]

    @property
    def rss_peak(self) -> int:
        """Highest RSS (KiB) seen."""
        return max(s[1] for s in self.samples)

    def growth(self, since: int) -> float:
        """Relative RSS growth from `since` (KiB) to the end."""
        return (self.rss_end - since) / since

    @property
    def fd_growth(self) -> int:
        """Open file descriptors at the end minus after the first cycle."""
        return self.samples[-1][2] - self.samples[0][2]


def _listing(source: int, stories: list[pages.Story]) -> Any:
    def page(hit: int) -> bytes:
        start = max(0, len(stories) - WINDOW - hit // 2)
        return pages.kcna_detail(stories[start:start + WINDOW]).encode("utf-8")
    return page


def steady_fds(daemon: DaemonProcess, readings: int = 5, gap: float = 0.02) -> int:
    """The daemon's open files without the socket of a request in flight: the least of a few readings.

    A leaked descriptor stays open through every reading; one of a poll in progress does not.
    """
    counts = []
    for i in range(readings):
        if i:
            time.sleep(gap)
        counts.append(daemon.open_fds())
    return min(counts)


def soak(cycles: int, interval: float, directory: Path, samples: int = 10) -> SoakResult:
    """Run the daemon on SOURCES changing listings until each was polled `cycles` times; sample RSS and fds."""
    site = Site("127.0.0.1")
    sources = []
    total_stories = WINDOW + cycles // 2 + 2
    for k in range(SOURCES):
        stories = [pages.Story(f"Soak {k}: {s.title}", s.day, s.lead)
                   for s in pages.invented_stories(total_stories, seed=500 + k)]
        path = f"/en/article/list/{k:032d}"
        site.put(path, _listing(k, stories))
        sources.append({"name": f"soak-{k}", "adapter": "kcna", "url": site.base + path, "interval": interval,
                        "jitter": 0.0, "fetch_articles": False})
    config = write_config(directory / "soak.toml", sources)
    paths = [f"/en/article/list/{k:032d}" for k in range(SOURCES)]
    result = SoakResult()
    marks = sorted({1, *(max(1, cycles * i // samples) for i in range(1, samples + 1))})
    t0 = time.monotonic()
    with DaemonProcess(config) as daemon:
        deadline = t0 + cycles * interval * 4 + 60
        for mark in marks:
            while min(site.count(p) for p in paths) < mark:
                if not daemon.alive() or time.monotonic() > deadline:
                    raise RuntimeError(f"daemon stopped or too slow at cycle {mark}: {daemon.tail()}")
                time.sleep(min(interval / 4, 0.05))
            result.samples.append((mark, daemon.rss_kib(), steady_fds(daemon)))
        result.cycles = min(site.count(p) for p in paths)
        result.seconds = time.monotonic() - t0
    site.close()
    result.items_served = SOURCES * (WINDOW + cycles // 2)
    return result


def run(quick: bool = False) -> Section:
    """The soak of issue 6 (full: 1,000 cycles) and the memory figures of issue 7."""
    cycles, interval = (100, 0.1) if quick else (1000, 0.2)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        res = soak(cycles, interval, Path(tmp))
    warm_growth = res.growth(res.rss_warm)
    half = min(res.samples[1:] or res.samples, key=lambda sample: abs(sample[0] - res.cycles // 2))
    section = Section("Memory and soak (daemon subprocess)",
                      ["cycles done", "RSS (MiB)", "open fds"])
    section.rows = [[fmt(c), f"{rss / 1024:.1f}", str(fds)] for c, rss, fds in res.samples]
    section.figures.update(soak_cycles=res.cycles, rss_start_mib=res.rss_start / 1024, rss_end_mib=res.rss_end / 1024,
                           rss_peak_mib=res.rss_peak / 1024, rss_growth_from_warm=warm_growth,
                           rss_growth_from_start=res.growth(res.rss_start), fd_growth=res.fd_growth)
    section.check(f"RSS < 100 MB (peak {res.rss_peak / 1024:.1f} MiB)", res.rss_peak < 100 * 1024)
    section.check(f"RSS flat within 10% from cycle {res.samples[1][0] if len(res.samples) > 1 else 1} to the end "
                  f"({warm_growth:+.1%})", abs(warm_growth) <= 0.10)
    section.check(f"no growth of open files ({res.samples[0][2]} -> {res.samples[-1][2]})", res.fd_growth <= 0)
    section.notes += [
        f"`python -m monitor --config soak.toml run` polling {SOURCES} KCNA listings on a local server every "
        f"{interval} s (jitter 0) until each was polled {cycles:,} times ({res.seconds:.0f} s); each listing gains "
        f"a new entry every second poll, so {fmt(res.items_served)} items were stored.",
        f"RSS from /proc/PID/status (VmRSS), open files from /proc/PID/fd (the least of 5 readings 20 ms apart, "
        f"so that the socket of a poll in flight does not count); from the first cycle to the end RSS "
        f"changed {res.growth(res.rss_start):+.1%}, from cycle {half[0]:,} to the end {res.growth(half[1]):+.1%}.",
        "The adapters remember nothing between parses (each parse is a pure function of the page); what the "
        "process keeps is bounded: SQLite's page cache (2 MB by default) and a few small caches of pure functions "
        "(dates of stamps, outlet labels) with fixed sizes.",
    ]
    return section
