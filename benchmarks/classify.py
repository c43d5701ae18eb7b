"""Classification: items per second on one core, on invented titles and leads and on the real corpus if present.

Two builds of the same source are measured, each in fresh processes that take turns: the classifier compiled with
mypyc by `setup.py` (what `pip install .` installs where a C compiler is at hand) and pure Python (an editable
install, or no compiler). Before their figures count, both must give the same classification of every item.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
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
TARGET = 20_000
PURE_TARGET = 10_000  # pure Python, on every set (issue 16)
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
    interleaved with the floor's, and a digest of every classification (to check that two builds agree)."""
    from monitor.classify import Classifier, compiled

    classifier = Classifier.load()
    sets = _input_sets(invented)
    digest = hashlib.sha256()
    for _, items in sets:
        for title, lead in items:
            c = classifier.classify(title, lead)
            digest.update(json.dumps([c.as_dict(), c.participant_countries], sort_keys=True).encode())
    out: dict[str, Any] = {"compiled": compiled(), "digest": digest.hexdigest(), "sets": {}}
    for name, items in sets:
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


def _copy_tree(into: Path) -> None:
    shutil.copytree(REPO / "monitor", into / "monitor",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "*.c"))


def build_compiled(directory: Path) -> tuple[Path | None, str]:
    """A copy of the checkout with the classifier compiled as `setup.py` compiles it (build_ext in place);
    (None, why) when that build falls back to pure Python."""
    native = directory / "native"
    _copy_tree(native)
    for name in ("setup.py", "pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, native / name)
    env = {k: v for k, v in os.environ.items() if k != "MONITOR_PURE_PYTHON"}
    proc = subprocess.run([sys.executable, "setup.py", "-q", "build_ext", "--inplace"], cwd=native, env=env,
                          capture_output=True, text=True, timeout=1800)
    built = list((native / "monitor" / "classify").glob("*.so"))
    if proc.returncode != 0 or not built:
        said = [line for line in proc.stderr.splitlines() if "monitor build:" in line] or proc.stderr.splitlines()
        return None, (said[-1] if said else f"exit {proc.returncode}")[:300]
    return native, f"{len(built)} modules"


def _round_rate(result: dict[str, Any], key: str) -> float:
    """The median rate of one process's passes over one input set."""
    return median(result["sets"][key]["rates"])


def _run_worker(path: Path, invented: int, passes: int, pass_items: int) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(path), str(REPO)]), PYTHONDONTWRITEBYTECODE="1")
    env.pop("MONITOR_PURE_PYTHON", None)
    proc = subprocess.run([sys.executable, "-c", "from benchmarks.classify import worker_main; worker_main()"],
                          cwd=path.parent, env=env, input=json.dumps({"invented": invented, "passes": passes,
                                                                     "pass_items": pass_items}),
                          capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"classification worker for {path.name} failed: {proc.stderr.strip()[-500:]}")
    result: dict[str, Any] = json.loads(proc.stdout)
    return result


def run(quick: bool = False) -> Section:
    """Classifications per second of both builds, on invented items and, when present, the real corpus."""
    invented, passes, rounds, pass_items = (500, 2, 1, 0) if quick else (5000, 5, 4, PASS_ITEMS)
    section = Section("Classification", ["build", "input", "items", "items/s (median, one core)", "min .. max",
                                         "floor: words read once, items/s", "classifier vs floor",
                                         "compiled vs pure Python"])
    with tempfile.TemporaryDirectory(prefix="bench-classify-") as tmp:
        pure = Path(tmp) / "pure"
        _copy_tree(pure)
        builds: dict[str, Path] = {"pure Python": pure}
        if quick:
            why = "not built in the quick run"
        else:
            native, why = build_compiled(Path(tmp))
            if native is not None:
                builds = {"compiled (mypyc)": native, **builds}
        results: dict[str, list[dict[str, Any]]] = {name: [] for name in builds}
        for r in range(rounds):  # fresh processes taking turns, the order alternating
            for name in list(builds)[::1 if r % 2 == 0 else -1]:
                results[name].append(_run_worker(builds[name], invented, passes, pass_items))
    expected = {"compiled (mypyc)": True, "pure Python": False}
    digests = set()
    for name, runs in results.items():
        for res in runs:
            if res["compiled"] != expected[name]:
                raise AssertionError(f"the {name} worker ran a {'compiled' if res['compiled'] else 'pure'} classifier")
            digests.add(res["digest"])
    if len(digests) != 1:
        raise AssertionError("the compiled and pure-Python classifiers disagree on some item")
    installed = next(iter(builds))  # what `pip install .` gives here: compiled where it could be built
    worst = float("inf")
    worst_floor = 0.0
    worst_pure = float("inf")
    for name, runs in results.items():
        for key, label in (("invented", "invented titles + leads"),
                           ("real", "real KCNA titles + leads (../shared/corpus, read at run time)"),
                           ("older", "real KCNA items of 2011-24 (../shared/corpus, read at run time)")):
            if key not in runs[0]["sets"]:
                continue
            rates = [x for res in runs for x in res["sets"][key]["rates"]]
            floors = [x for res in runs for x in res["sets"][key]["floors"]]
            cost = median([f / c for res in runs for c, f in zip(res["sets"][key]["rates"],
                                                                  res["sets"][key]["floors"], strict=True)])
            speedup = ""
            if name != "pure Python":
                paired = zip(runs, results["pure Python"], strict=True)
                speedup = f"{median([_round_rate(a, key) / _round_rate(b, key) for a, b in paired]):.2f}x"
            items = fmt(runs[0]["sets"][key]["items"])
            if runs[0]["sets"][key]["repeats"] > 1:
                items += f" ({runs[0]['sets'][key]['repeats']}x per pass)"
            section.rows.append([name, label, items, fmt(median(rates)),
                                 f"{fmt(min(rates))} .. {fmt(max(rates))}", fmt(median(floors)), f"{cost:.1f}x",
                                 speedup])
            tag = "" if name == installed else "_pure"
            section.figures[f"classify_{key}{tag}_per_s"] = median(rates)
            section.figures[f"classify_{key}{tag}_vs_floor"] = cost
            if name == installed and key != "older" and median(rates) < worst:
                worst, worst_floor = median(rates), median(floors)
            if name == "pure Python":
                worst_pure = min(worst_pure, median(rates))
    section.check(f">= 20,000 items/s on one core, {installed} as `pip install .` builds it here "
                  f"(worst of the invented and 2023-26 sets {fmt(worst)})", worst >= TARGET)
    section.check(f">= {PURE_TARGET:,} items/s on one core in pure Python, on every set (worst {fmt(worst_pure)})",
                  worst_pure >= PURE_TARGET)
    section.notes.append(
        f"`Classifier.load().classify(title, lead)` in one thread, in {rounds} fresh process(es) per build taking "
        f"turns, {passes} passes per set in each. A set of fewer than {PASS_ITEMS:,} items is gone through several "
        "times a pass, so that no pass is too short to time. Figures are medians of all passes, the speed-up the "
        "median of per-round ratios.")
    section.notes.append(
        "Both builds are made from this checkout in a temporary directory: the compiled one by "
        "`python setup.py build_ext --inplace` (the modules of `[tool.monitor] native` in pyproject.toml), the pure "
        "one a plain copy. Every item's classification is checked to be the same in both before any figure counts.")
    if len(builds) == 1:
        section.notes.append(f"The compiled build was not measured: {why}.")
    section.notes.append(
        "Floor: the same items with only their title and lead split into word sets "
        "(`frozenset(text.lower().split())`), in passes interleaved with the classifier's; the ratio is the median "
        "of per-pass ratios, and moves less than items/s when the machine's speed swings. "
        f"On this run's worst set, 20,000 items/s means at most {worst_floor / TARGET:.1f}x the floor.")
    if not corpus_items():
        section.notes.append("The real corpus was not found beside the checkout; invented items only.")
    return section
