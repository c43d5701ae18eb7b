"""Poll cycle: many sources on several local hosts with injected latency, against the politeness bound.

The bound: the hosts are polled in parallel and each host sees one request at a time, so a cycle cannot
be shorter than (listings per host) x (latency + min_delay).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import pages
from benchmarks.configs import write_config
from benchmarks.report import Section
from benchmarks.sites import Site
from benchmarks.timing import median
from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.logging import configure_logging
from monitor.runtime.runner import close_context, enabled_sources, open_context, run_all

ENTRIES = 15


def serve(hosts: int, per_host: int, latency: float, one_address: bool = False, split_writes: bool = False,
          ) -> tuple[list[Site], list[dict[str, Any]]]:
    """Start `hosts` sites with `per_host` KCNA listings each; return them and the sources.

    Site h listens on 127.0.0.(h+1), or with `one_address` on 127.0.0.1 (a port each: still one politeness
    host each, since politeness keys on host and port).
    """
    sites = [Site("127.0.0.1" if one_address else f"127.0.0.{h + 1}", latency, split_writes) for h in range(hosts)]
    sources: list[dict[str, Any]] = []
    for h, site in enumerate(sites):
        for k in range(per_host):
            stories = pages.invented_stories(ENTRIES, seed=1000 * h + k)
            stories = [pages.Story(f"Unit {h}-{k}: {s.title}", s.day, s.lead) for s in stories]
            path = f"/en/article/list/{h:02d}{k:030d}"
            site.put(path, pages.kcna_detail(stories))
            sources.append({"name": f"s{h}-{k}", "adapter": "kcna", "url": site.base + path, "interval": 600,
                            "fetch_articles": False})
    return sites, sources


def interleaved(sources: list[dict[str, Any]], hosts: int) -> list[dict[str, Any]]:
    """The same sources ordered round-robin across hosts."""
    per_host = len(sources) // hosts
    by_host = [sources[h * per_host:(h + 1) * per_host] for h in range(hosts)]
    return [group[i] for i in range(per_host) for group in by_host]


def _in_process(config: Path, sequential: bool) -> float:
    settings = load_settings(config)
    ctx = open_context(settings)
    sources = enabled_sources(settings)
    try:
        t0 = time.monotonic()
        summaries = [run_source(ctx, s) for s in sources] if sequential else run_all(ctx, sources)
        elapsed = time.monotonic() - t0
    finally:
        close_context(ctx)
    bad = [s for s in summaries if s.status != "ok" or s.new_items != ENTRIES]
    if bad:
        raise AssertionError(f"{len(bad)} source runs not ok, e.g. {bad[0]}")
    return elapsed


def _subprocess(config: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "monitor", "--config", str(config), "run", "--once"],
                          capture_output=True, text=True, timeout=600, env=env)
    elapsed = time.monotonic() - t0
    if proc.returncode != 0:
        raise AssertionError(f"run --once exit {proc.returncode}: {proc.stderr[-300:]}")
    return elapsed


def _startup() -> float:
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-m", "monitor", "--help"], capture_output=True, check=True, timeout=60)
    return time.monotonic() - t0


def acceptance_shape(rounds: int = 3) -> list[float]:
    """Cycle times of 30 sources on 3 hosts at 200 ms via `monitor run --once`, minus the `--help` start-up."""
    sites, sources = serve(3, 10, 0.2, split_writes=True)
    out = []
    with tempfile.TemporaryDirectory(prefix="bench-acc-") as tmp:
        for r in range(rounds):
            start = _startup()
            out.append(_subprocess(write_config(Path(tmp) / f"acc-{r}.toml", sources)) - start)
    for site in sites:
        site.close()
    return out


def run(quick: bool = False) -> Section:
    """One full cycle in-process (config order and interleaved), as `run --once`, and sequentially."""
    configure_logging("warning", "json")
    hosts, per_host, latency, rounds = (3, 4, 0.05, 1) if quick else (10, 10, 0.2, 3)
    min_delay = 0.0
    bound = per_host * (latency + min_delay)
    sites, sources = serve(hosts, per_host, latency, one_address=quick)
    variants: dict[str, Callable[[Path], float]] = {
        "run_all, sources in config order (grouped by host)": lambda c: _in_process(c, False),
        "run_all, sources interleaved across hosts": lambda c: _in_process(c, False),
        "`monitor run --once` subprocess, config order (minus `--help` start-up)": _subprocess,
        "sequential baseline (one source after another)": lambda c: _in_process(c, True),
    }
    if quick:
        del variants["`monitor run --once` subprocess, config order (minus `--help` start-up)"]
    times: dict[str, list[float]] = {name: [] for name in variants}
    starts: list[float] = []
    with tempfile.TemporaryDirectory(prefix="bench-poll-") as tmp:
        for r in range(rounds):
            for i, (name, fn) in enumerate(variants.items()):
                order = interleaved(sources, hosts) if "interleaved" in name else sources
                config = write_config(Path(tmp) / f"poll-{r}-{i}.toml", order, min_delay=min_delay)
                elapsed = fn(config)
                if "subprocess" in name:
                    starts.append(_startup())
                    elapsed -= starts[-1]
                times[name].append(elapsed)
    for site in sites:
        site.close()
    section = Section("Poll cycle", ["how", "cycle (median)", "runs", "vs politeness bound"])
    for name, values in times.items():
        section.rows.append([name, f"{median(values):.2f} s", ", ".join(f"{v:.2f}" for v in values),
                             f"{median(values) / bound:.2f}x"])
    grouped = median(times["run_all, sources in config order (grouped by host)"]) / bound
    best = min(median(v) for k, v in times.items() if "sequential" not in k) / bound
    seq = median(times["sequential baseline (one source after another)"])
    section.figures.update(poll_bound=bound, poll_ratio_config_order=grouped, poll_ratio_best=best,
                           poll_sequential=seq)
    section.figures["poll_ratio_interleaved"] = median(times["run_all, sources interleaved across hosts"]) / bound
    section.check(f"one cycle <= 1.2x the politeness bound in config order ({grouped:.2f}x)", grouped <= 1.2)
    if not quick:
        acc = acceptance_shape()
        section.rows.append(["acceptance shape: 30 sources / 3 hosts, `run --once` (minus start-up), server writing "
                             "head and body apart", f"{median(acc):.2f} s", ", ".join(f"{v:.2f}" for v in acc),
                             f"{median(acc) / 2.0:.2f}x"])
        section.figures["poll_ratio_acceptance_shape"] = median(acc) / 2.0
        section.notes.append(
            "Acceptance shape: as ../shared/acceptance/benchmarks (30 sources, 3 hosts, 200 ms, bound 2.0 s, "
            "target <= 1.3x) with servers that write the response head and body in two writes, as Python's "
            "`http.server` does: on a kept-alive connection each body then waits ~40 ms for the client's delayed "
            "ACK (Nagle's algorithm on the server).")
    section.notes += [
        f"{hosts * per_host} KCNA listings ({ENTRIES} entries each, detail layout) on {hosts} local hosts "
        f"({'ports of 127.0.0.1' if quick else f'127.0.0.1 .. 127.0.0.{hosts}'}, one threaded HTTP server each) "
        f"answering after {latency * 1000:.0f} ms; "
        f"`min_delay = {min_delay}`, `per_host_concurrency = 1`, `fetch_articles = false`, a fresh database per run.",
        f"Politeness bound = {per_host} listings per host x ({latency * 1000:.0f} ms latency + {min_delay} s delay) = "
        f"{bound:.2f} s; the sequential baseline's floor is {hosts * per_host * latency:.1f} s.",
        f"{rounds} round(s), the variants in turn inside each round; `--help` start-up median "
        f"{statistics.median(starts):.2f} s." if starts else f"{rounds} round(s), the variants in turn.",
    ]
    return section
