"""Shared fixtures: a local HTTP site and config files written for it."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.config import Settings
from monitor.ingest.pipeline import Context
from monitor.runtime.runner import close_context, open_context
from tests.sitekit import LocalSite

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    """A real HTTP server on 127.0.0.1 for the test's pages."""
    s = LocalSite()
    yield s
    s.close()


def toml_value(v: Any) -> str:
    """A Python value as TOML (enough for configs in tests)."""
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return json.dumps(v)


def write_config(path: Path, sources: list[dict[str, Any]], extra: str = "", *, min_delay: float = 0.0,
                 concurrency: int = 4) -> Path:
    """Write a config with `sources` and fast fetch settings; `extra` is appended TOML."""
    lines = ["[storage]", 'path = "monitor.db"', "", "[fetch]", "timeout = 10", "connect_timeout = 2",
             f"min_delay = {min_delay}", f"per_host_concurrency = {concurrency}", "backoff = 0.05", ""]
    for src in sources:
        lines.append("[[sources]]")
        lines += [f"{k} = {toml_value(v)}" for k, v in src.items()]
        lines.append("")
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


@pytest.fixture
def ctx_for() -> Iterator[Callable[[Settings], Context]]:
    """Opens a runtime Context for settings (as `run --once` does) and closes it after the test."""
    opened: list[Context] = []

    def factory(settings: Settings) -> Context:
        ctx = open_context(settings)
        opened.append(ctx)
        return ctx

    yield factory
    for ctx in opened:
        close_context(ctx)
