"""A description of the machine the benchmarks ran on."""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from pathlib import Path


def cpu_model() -> str:
    """The CPU model name from /proc/cpuinfo (or the platform's processor string)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def describe() -> list[str]:
    """Lines naming CPU, cores, OS, Python, SQLite and the key libraries."""
    from importlib.metadata import version

    libs = ", ".join(f"{name} {version(name)}" for name in ("selectolax", "beautifulsoup4", "httpx", "sqlite-utils",
                                                             "apscheduler"))
    return [
        f"CPU: {cpu_model()}, {os.cpu_count()} cores visible",
        f"OS: {platform.system()} {platform.release()} ({platform.machine()})",
        f"Python: {sys.version.split()[0]} ({platform.python_implementation()})",
        f"SQLite: {sqlite3.sqlite_version}",
        f"Libraries: {libs}",
    ]
