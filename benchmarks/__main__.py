"""`python -m benchmarks [--quick] [NAME ...]`: run the benchmarks; a full run of all writes BENCHMARKS.md."""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import accuracy, alert, appearances, classify, classify_korean, ingest, large, parse, poll, soak
from benchmarks.machine import describe
from benchmarks.report import Section

BENCHMARKS: dict[str, Callable[[bool], Section]] = {
    "parse": parse.run,
    "ingest": ingest.run,
    "classify": classify.run,
    "classify_korean": classify_korean.run,
    "accuracy": accuracy.run,
    "appearances": appearances.run,
    "poll": poll.run,
    "soak": soak.run,
    "alert": alert.run,
    "large": large.run,
}
ROOT = Path(__file__).resolve().parents[1]


def _commit() -> str:
    proc = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(["git", "status", "--porcelain", "monitor"], capture_output=True, text=True, cwd=ROOT)
    return (proc.stdout.strip() or "unknown") + (" (with uncommitted changes in monitor/)" if dirty.stdout else "")


def render(sections: list[Section], command: str, seconds: float, quick: bool) -> str:
    """The whole BENCHMARKS.md document."""
    lines = ["# Benchmarks", "",
             "Measured by `benchmarks/` (one module per benchmark). Figures are medians of several runs; ratios "
             "are medians of per-round ratios between variants measured in the same run, interleaved.", "",
             "Reproduce (from the repository root, with the test extras installed):", "", "```", command, "```", "",
             f"Run of {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on commit {_commit()}, "
             f"{'quick variant, ' if quick else ''}{seconds:.0f} s in all.", "", "## Machine", ""]
    lines += [f"- {line}" for line in describe()]
    lines += ["", "## Summary", "", "| benchmark | target | result |", "|---|---|---|"]
    for section in sections:
        for check in section.checks:
            lines.append(f"| {section.title} | {check.what} | {'met' if check.ok else '**missed**'} |")
    lines.append("")
    lines += [section.markdown() for section in sections]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default) and print or write the report."""
    ap = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    ap.add_argument("names", nargs="*", metavar="NAME",
                    help=f"benchmarks to run: {', '.join(BENCHMARKS)} (default: all)")
    ap.add_argument("--quick", action="store_true", help="short variants (CI smoke), a few seconds each")
    ap.add_argument("--out", type=Path, help="write the report here (default: BENCHMARKS.md for a full run of all)")
    args = ap.parse_args(argv)
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark(s) {', '.join(unknown)}; known: {', '.join(BENCHMARKS)}")
    names = args.names or list(BENCHMARKS)
    out = args.out
    if out is None and not args.names and not args.quick:
        out = ROOT / "BENCHMARKS.md"
    t0 = time.monotonic()
    sections = []
    for name in names:
        started = time.monotonic()
        print(f"== {name}", file=sys.stderr, flush=True)
        section = BENCHMARKS[name](args.quick)
        print(section.markdown(), flush=True)
        print(f"   ({time.monotonic() - started:.0f} s)", file=sys.stderr, flush=True)
        sections.append(section)
    command = "python -m benchmarks" + (" --quick" if args.quick else "") + "".join(f" {n}" for n in args.names)
    document = render(sections, command, time.monotonic() - t0, args.quick)
    if out is not None:
        out.write_text(document, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
