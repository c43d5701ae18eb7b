"""Classification: items per second on one core, on invented titles and leads and on the real corpora if present.

The classifier is measured in fresh processes (one per round), in passes interleaved with a floor (the words of
title and lead read into sets), so that a swing of the machine's speed shows in both.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import pages
from benchmarks.report import Section, fmt
from benchmarks.timing import median

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus" / "kcna-real-labeled.jsonl"
# the older items of issue 16 (2011-12 mostly, a quarter of them meetings): the classifier's slowest real input
CORPUS_OLDER = REPO.parent / "shared" / "corpus" / "kcna-2011-2024-labeled.jsonl"
TARGET = 10_000  # items per second on one core, on every set (issue 16)
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


def corpus_items(path: Path = CORPUS) -> list[tuple[str, str]]:
    """(title, lead) pairs of a real labelled corpus beside the checkout, read at run time; [] when absent."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
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


PASS_ITEMS = 3000  # a pass over fewer items is repeated up to this many: a pass of 30 ms is too short to time


def _input_sets(invented: int) -> list[tuple[str, list[tuple[str, str]]]]:
    sets = [("invented", invented_items(invented))]
    real = corpus_items()
    if real:
        sets.append(("real", real))
    older = corpus_items(CORPUS_OLDER)
    if older:
        sets.append(("older", older))
    return sets


def measure(invented: int, passes: int, pass_items: int) -> dict[str, Any]:
    """In this process: per input set, `passes` classifier passes (each over at least `pass_items` items)
    interleaved with the floor's."""
    from monitor.classify import Classifier

    classifier = Classifier.load()
    out: dict[str, Any] = {"sets": {}}
    for name, items in _input_sets(invented):
        rates: list[float] = []
        floors: list[float] = []
        repeats = max(1, -(-pass_items // len(items)))  # a small set gone through several times a pass
        for r in range(passes):  # interleaved, the order alternating
            for fn, into in ((classifier.classify, rates), (read_words, floors))[::1 if r % 2 else -1]:
                into.append(_pass(fn, items * repeats))
        out["sets"][name] = {"items": len(items), "repeats": repeats, "rates": rates, "floors": floors}
    return out


def worker_main() -> None:
    """Entry of a measuring process: the arguments of `measure` as JSON on stdin, its result as JSON on stdout."""
    args = json.loads(sys.stdin.read())
    print(json.dumps(measure(int(args["invented"]), int(args["passes"]), int(args["pass_items"]))))


def _run_worker(invented: int, passes: int, pass_items: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(REPO), PYTHONDONTWRITEBYTECODE="1")
    proc = subprocess.run([sys.executable, "-c", "from benchmarks.classify import worker_main; worker_main()"],
                          cwd=REPO, env=env, input=json.dumps({"invented": invented, "passes": passes,
                                                               "pass_items": pass_items}),
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"classification worker failed: {proc.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run(quick: bool = False) -> Section:
    """Classifications per second on invented items and, when present, the real corpora."""
    invented, passes, rounds, pass_items = (500, 2, 1, 0) if quick else (5000, 5, 4, PASS_ITEMS)
    section = Section("Classification", ["input", "items", "items/s (median, one core)", "min .. max",
                                         "floor: words read once, items/s", "classifier vs floor"])
    runs = [_run_worker(invented, passes, pass_items) for _ in range(rounds)]
    worst = float("inf")
    for key, label in (("invented", "invented titles + leads"),
                       ("real", "real KCNA titles + leads of 2023-26 (../shared/corpus, read at run time)"),
                       ("older", "real KCNA items of 2011-24 (../shared/corpus, read at run time)")):
        if key not in runs[0]["sets"]:
            continue
        rates = [x for res in runs for x in res["sets"][key]["rates"]]
        floors = [x for res in runs for x in res["sets"][key]["floors"]]
        cost = median([f / c for res in runs for c, f in zip(res["sets"][key]["rates"],
                                                              res["sets"][key]["floors"], strict=True)])
        items = fmt(runs[0]["sets"][key]["items"])
        if runs[0]["sets"][key]["repeats"] > 1:
            items += f" ({runs[0]['sets'][key]['repeats']}x per pass)"
        section.rows.append([label, items, fmt(median(rates)), f"{fmt(min(rates))} .. {fmt(max(rates))}",
                             fmt(median(floors)), f"{cost:.1f}x"])
        section.figures[f"classify_{key}_per_s"] = median(rates)
        section.figures[f"classify_{key}_vs_floor"] = cost
        if key != "older":
            worst = min(worst, median(rates))
    section.check(f">= {TARGET:,} items/s on one core, pure Python, on the invented and 2023-26 sets, the mix of "
                  f"the live stream (worst {fmt(worst)})", worst >= TARGET)
    section.notes.append(
        f"`Classifier.load().classify(title, lead)` in one thread, in {rounds} fresh process(es), {passes} passes "
        f"per set in each. A set of fewer than {PASS_ITEMS:,} items is gone through several times a pass, so that "
        "no pass is too short to time. Figures are medians of all passes.")
    section.notes.append(
        "Floor: the same items with only their title and lead split into word sets "
        "(`frozenset(text.lower().split())`), in passes interleaved with the classifier's; the ratio is the median "
        "of per-pass ratios, and moves less than items/s when the machine's speed swings.")
    section.notes.append(
        "The 2011-24 set is a quarter meetings (the live stream has a few in a hundred) and every meeting goes "
        "through the full rules, the people lookup and the grammar of offices: it is the slowest input, shown for "
        "what it costs, not held to the target.")
    if not corpus_items():
        section.notes.append("The real corpora were not found beside the checkout; invented items only.")
    return section
