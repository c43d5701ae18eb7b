"""Reproducible performance measurements of the monitor; `python -m benchmarks` writes BENCHMARKS.md."""
