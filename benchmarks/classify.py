"""Classification: items per second on one core, on invented titles and leads and on the real corpus if present."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks import pages
from benchmarks.report import Section, fmt
from benchmarks.timing import median
from monitor.classify import Classifier

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "kcna-real-labeled.jsonl"
_FOREIGN = (("Prime Minister of Laos", "Laos"), ("Foreign Minister of Vietnam", "Vietnam"),
            ("Ambassador of Cuba", "Cuba"), ("Delegation of Mongolian Youth", "Mongolia"))


def invented_items(n: int, seed: int = 3) -> list[tuple[str, str]]:
    """`n` invented (title, lead) pairs: mostly domestic filler, some diplomatic and meeting items."""
    rng = random.Random(seed)
    items = [(s.title, s.lead) for s in pages.invented_stories(n, seed=seed)]
    for i in range(0, n, 10):
        who, country = rng.choice(_FOREIGN)
        if i % 20 == 0:
            items[i] = (f"Kim Jong Un Receives {who}",
                        f"Pyongyang, October 2 (KCNA) -- Kim Jong Un, general secretary of the Workers' Party of Korea "
                        f"and president of the State Affairs of the DPRK, received the visiting {who.lower()} of "
                        f"{country} on Tuesday. They had a friendly talk.")
        else:
            items[i] = (f"{who} Visits Grand People's Study House",
                        f"Pyongyang, October 2 (KCNA) -- The {who.lower()} of {country} visited the Grand People's "
                        "Study House on Wednesday.")
    return items


def corpus_items() -> list[tuple[str, str]]:
    """(title, lead) pairs of the real labelled corpus beside the checkout, read at run time; [] when absent."""
    if not CORPUS.exists():
        return []
    out = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            out.append((str(row.get("title") or ""), str(row.get("lead") or "")))
    return out


def read_words(title: str, lead: str) -> object:
    """The floor: what any word-based classifier must do at least, the words of title and lead read into sets."""
    return frozenset(title.lower().split()), frozenset(lead.lower().split())


def _pass(fn: Callable[[str, str], object], items: list[tuple[str, str]]) -> float:
    # the strings are copied first, so that neither variant finds their hashes already computed by the other
    fresh = [("".join(t), "".join(lead)) for t, lead in items]
    t0 = time.perf_counter()
    for title, lead in fresh:
        fn(title, lead)
    return len(items) / (time.perf_counter() - t0)


def run(quick: bool = False) -> Section:
    """Classifications per second of invented items and, when present, of the real corpus, with the floor."""
    rounds = 3 if quick else 7
    classifier = Classifier.load()
    section = Section("Classification", ["input", "items", "items/s (median, one core)", "min .. max",
                                         "floor: words read once, items/s", "classifier vs floor"])
    sets = [("invented titles + leads", invented_items(500 if quick else 5000))]
    real = corpus_items()
    if real:
        sets.append(("real KCNA titles + leads (../shared/corpus, read at run time)", real))
    classifier.classify(*sets[0][1][0])  # warm caches
    worst = float("inf")
    worst_floor = 0.0
    for name, items in sets:
        rates: list[float] = []
        floors: list[float] = []
        for r in range(rounds):  # interleaved, the order alternating
            for fn, out in ((classifier.classify, rates), (read_words, floors))[::1 if r % 2 else -1]:
                out.append(_pass(fn, items))
        cost = median([f / c for c, f in zip(rates, floors, strict=True)])
        if median(rates) < worst:
            worst, worst_floor = median(rates), median(floors)
        section.rows.append([name, fmt(len(items)), fmt(median(rates)), f"{fmt(min(rates))} .. {fmt(max(rates))}",
                             fmt(median(floors)), f"{cost:.1f}x"])
        key = "real" if "real" in name else "invented"
        section.figures[f"classify_{key}_per_s"] = median(rates)
        section.figures[f"classify_{key}_vs_floor"] = cost
    section.check(f">= 20,000 items/s on one core (worst set {fmt(worst)})", worst >= 20_000)
    section.notes.append(f"`Classifier.load().classify(title, lead)` in one thread; median of {rounds} passes.")
    section.notes.append(
        "Floor: the same items with only their title and lead split into word sets "
        "(`frozenset(text.lower().split())`), in passes interleaved with the classifier's; the ratio is the median "
        "of per-pass ratios, and moves less than items/s when the machine's speed swings. "
        f"On this run's worst set, 20,000 items/s means at most {worst_floor / 20_000:.1f}x the floor.")
    if not real:
        section.notes.append("The real corpus was not found beside the checkout; invented items only.")
    return section
