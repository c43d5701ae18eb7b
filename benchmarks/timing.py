"""Timing helpers: calibrated loops, paired interleaved rounds, medians."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


def per_call(fn: Callable[[], object], calls: int) -> float:
    """Seconds per call of `fn`, over `calls` calls."""
    t0 = time.perf_counter()
    for _ in range(calls):
        fn()
    return (time.perf_counter() - t0) / calls


def calibrate(fn: Callable[[], object], budget: float) -> int:
    """How many calls of `fn` fill about `budget` seconds (at least 3)."""
    one = per_call(fn, 1)
    return max(3, int(budget / max(one, 1e-7)))


def paired(variants: dict[str, Callable[[], object]], rounds: int, budget: float) -> dict[str, list[float]]:
    """Seconds per call of each variant, measured in interleaved rounds (the order rotates every round)."""
    calls = {name: calibrate(fn, budget) for name, fn in variants.items()}
    names = list(variants)
    out: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            out[name].append(per_call(variants[name], calls[name]))
    return out


def median(values: Sequence[float]) -> float:
    """The median of a non-empty sequence."""
    return float(statistics.median(values))


def ratios(a: Sequence[float], b: Sequence[float]) -> list[float]:
    """Round-by-round a/b of two paired series."""
    return [x / y for x, y in zip(a, b, strict=True)]
