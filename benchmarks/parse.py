"""Parsing: listing pages per second of each adapter, against BeautifulSoup and a bare selectolax parse."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from benchmarks import bs4_baseline, pages
from benchmarks.report import Section, fmt
from benchmarks.timing import median, paired, ratios
from monitor.models import Document
from monitor.sources import get_adapter

BASE = "http://www.example.kp/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
ENTRIES = 40


@dataclass(frozen=True)
class Case:
    """One adapter layout: its page generator, adapter kind and options, and the BeautifulSoup baseline."""

    name: str
    kind: str
    options: Mapping[str, Any]
    page: Callable[[list[pages.Story]], str]
    baseline: Callable[[str, str], list[bs4_baseline.Row]]
    nodes: str  # the elements whose href and text any extraction of the page reads, as one selector


CASES = [
    Case("kcna (detail layout)", "kcna", {}, pages.kcna_detail, bs4_baseline.kcna_detail,
         'a[href*="/detail/"], h5 nobr'),
    Case("kcna (q layout)", "kcna", {}, pages.kcna_q, bs4_baseline.kcna_q,
         "ul.article-link a[href], ul.article-link span.publish-time"),
    Case("rodong (old layout)", "rodong", {}, pages.rodong_old, bs4_baseline.rodong_old, "a"),
    Case("kcnawatch (listing)", "kcnawatch", {}, pages.kcnawatch, bs4_baseline.kcnawatch, "a"),
    Case("css (generic)", "css", pages.CSS_OPTIONS, pages.css_site, bs4_baseline.css_generic(pages.CSS_OPTIONS),
         ", ".join(pages.CSS_OPTIONS[k] for k in ("title", "date", "teaser"))),
]


def read_nodes(text: str, selector: str) -> int:
    """The least an extraction does beyond parsing: one query, then each node's href and text read."""
    nodes = LexborHTMLParser(text).css(selector)
    for node in nodes:
        node.attributes.get("href")
        node.text()
    return len(nodes)


def check_equivalent(case: Case, text: str) -> int:
    """Assert the adapter and the baseline extract the same (url, title, date) rows; return how many."""
    doc = Document(BASE, text.encode("utf-8"), "utf-8")
    listing = get_adapter(case.kind, case.options).parse_listing(doc)
    ours = [(e.url, e.title, e.published) for e in listing.entries]
    theirs = case.baseline(text, BASE)
    if ours != theirs:
        diff = next(((a, b) for a, b in zip(ours, theirs, strict=False) if a != b), (len(ours), len(theirs)))
        raise AssertionError(f"{case.name}: adapter and BeautifulSoup disagree, first difference {diff}")
    if len(ours) != ENTRIES:
        raise AssertionError(f"{case.name}: {len(ours)} entries extracted, {ENTRIES} on the page")
    return len(ours)


def run(quick: bool = False) -> Section:
    """Pages per second per adapter, BeautifulSoup and bare-parse speeds in the same interleaved rounds."""
    rounds, budget = (3, 0.02) if quick else (7, 0.25)
    section = Section(
        "Parsing listing pages",
        ["adapter", "page", "adapter pages/s", "BeautifulSoup pages/s", "speed-up vs bs4", "bare lexbor pages/s",
         "adapter / bare parse", "query + href + text / bare parse"])
    stories = pages.invented_stories(ENTRIES)
    worst_speedup, worst_overhead = float("inf"), 0.0
    for case in CASES:
        text = case.page(stories)
        raw = text.encode("utf-8")
        check_equivalent(case, text)
        adapter = get_adapter(case.kind, case.options)
        doc = Document(BASE, raw, "utf-8")
        times = paired({"adapter": partial(adapter.parse_listing, doc), "bs4": partial(case.baseline, text, BASE),
                        "bare": partial(LexborHTMLParser, text), "nodes": partial(read_nodes, text, case.nodes)},
                       rounds, budget)
        speedup = median(ratios(times["bs4"], times["adapter"]))
        overhead = median(ratios(times["adapter"], times["bare"]))
        least = median(ratios(times["nodes"], times["bare"]))
        worst_speedup, worst_overhead = min(worst_speedup, speedup), max(worst_overhead, overhead)
        section.rows.append([case.name, f"{ENTRIES} entries, {len(raw) // 1024} KiB",
                             fmt(1 / median(times["adapter"])), fmt(1 / median(times["bs4"])), f"{speedup:.1f}x",
                             fmt(1 / median(times["bare"])), f"{overhead:.2f}x", f"{least:.2f}x"])
        key = case.kind + ("_q" if "q layout" in case.name else "")
        section.figures[f"{key}_pages_per_s"] = 1 / median(times["adapter"])
        section.figures[f"{key}_speedup"] = speedup
        section.figures[f"{key}_overhead"] = overhead
        section.figures[f"{key}_query_floor"] = least
    section.figures["min_speedup"] = worst_speedup
    section.figures["max_overhead"] = worst_overhead
    section.check(f"every adapter >= 10x faster than BeautifulSoup (worst {worst_speedup:.1f}x)", worst_speedup >= 10)
    section.notes += [
        f"Pages of {ENTRIES} entries in each site's markup with invented headlines (benchmarks/pages.py); before "
        "timing, the adapter and the BeautifulSoup extraction (benchmarks/bs4_baseline.py) are checked to give the "
        "same URLs, titles and dates.",
        "The adapter parses a Document (bytes: decoding included); BeautifulSoup and the bare parse "
        "(`LexborHTMLParser(text)`) get the decoded text. Ratios are medians of per-round ratios of "
        f"{rounds} interleaved rounds.",
        "The last column is the least any extraction adds to the bare parse: one query for the elements that hold "
        "the links, titles and dates (`nodes` in benchmarks/parse.py), and each one's href and text read, "
        "nothing done with them.",
    ]
    return section
