"""Config files for the benchmarks' daemon and `run --once` subprocesses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any


def write_config(path: Path, sources: list[dict[str, Any]], *, min_delay: float = 0.0, per_host: int = 1,
                 webhook: str | None = None, extra: str = "") -> Path:
    """Write a monitor TOML config (database beside it, warnings-only JSON logs) and return its path."""
    lines = ["[storage]", f'path = "{path.stem}.db"', "", "[fetch]", "timeout = 30", f"min_delay = {min_delay}",
             f"per_host_concurrency = {per_host}", "", "[log]", 'level = "warning"', 'format = "json"', ""]
    for src in sources:
        lines.append("[[sources]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in src.items()]
        lines.append("")
    if webhook:
        lines += ["[alerts.webhook]", f'url = "{webhook}"', f'secret = "{WEBHOOK_SECRET}"', ""]
    path.write_text("\n".join(lines) + extra, encoding="utf-8")
    return path


WEBHOOK_SECRET = "whsec_" + "YmVuY2htYXJrLXNlY3JldC1vbmx5LWxvY2Fs"
