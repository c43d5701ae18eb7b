"""The bodies of the commands about Korean items and their English versions (`monitor translations`)."""

from __future__ import annotations

from rich.console import Console

from monitor.cli.views import render_translations
from monitor.store import Store
from monitor.store.filters import day_text
from monitor.store.korean import translation_pairs


def show_translations(store: Store, since: str | None, limit: int, as_json: bool, console: Console) -> None:
    """Print the Korean-English pairs, newest first, as a table or JSON (ValueError for a bad date)."""
    from monitor.cli.commands import fail, print_json

    try:
        day = day_text(since, "since")
    except ValueError as exc:
        fail(str(exc))
    rows = translation_pairs(store, day, limit)
    if as_json:
        print_json(rows)
        return
    render_translations(rows, console)
