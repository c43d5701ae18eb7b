"""The versions of an item (table `revisions`, the first version included) and their differences."""

from __future__ import annotations

import difflib
import itertools
import re
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.text import Text

from monitor.store import Store
from monitor.store.archive import item_row, revision_rows
from monitor.terminal import safe

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(\[A-Z0-9])")


@dataclass(frozen=True)
class Revision:
    """One version of an item as it was seen at `seen_at`."""

    id: int
    item_id: int
    seen_at: str
    title: str
    body: str | None
    content_hash: str


def get_item(store: Store, item_id: int) -> dict[str, Any] | None:
    """The items row with this id, or None."""
    return item_row(store, item_id)


def revisions(store: Store, item_id: int) -> list[Revision]:
    """Every stored version of an item, oldest first (empty when the item does not exist)."""
    return [Revision(**r) for r in revision_rows(store, item_id)]


def text_lines(title: str, body: str | None) -> list[str]:
    """Title and body as the lines a diff compares: the title, a blank line, then one sentence per line."""
    lines = [title, ""]
    for paragraph in (body or "").splitlines():
        paragraph = paragraph.strip()
        if paragraph:
            lines.extend(_SENTENCE_END.split(paragraph))
    return lines


def diff(old: Revision, new: Revision) -> list[str]:
    """The unified diff (sentence per line) from one version to the next."""
    return list(difflib.unified_diff(text_lines(old.title, old.body), text_lines(new.title, new.body),
                                     fromfile=f"seen {old.seen_at}", tofile=f"seen {new.seen_at}", lineterm="",
                                     n=1))


def render_revisions(item: dict[str, Any] | None, revs: list[Revision], console: Console) -> int:
    """Print each change of the item as a diff with the times seen; returns the number of changes shown.

    Prints a clear message instead when the item does not exist or was never edited.
    """
    if item is None:
        console.print("No such item.", style="red")
        return 0
    console.print(Text(f"#{item['id']} {safe(item['title'])}", style="bold"), soft_wrap=True)
    console.print(Text(f"{safe(item['url'])}  first seen {item['first_seen_at']}  last seen {item['last_seen_at']}"
                       + (f"  removed {item['removed_at']}" if item.get("removed_at") else ""), style="dim"),
                  soft_wrap=True)
    if len(revs) < 2:
        when = f" (seen {revs[0].seen_at})" if revs else ""
        console.print(f"Only one version of this item is known{when}: it has not been edited.")
        return 0
    changes = 0
    for n, (old, new) in enumerate(itertools.pairwise(revs), start=2):
        lines = diff(old, new)
        if not lines:
            continue
        changes += 1
        console.print()
        console.print(Text(f"Version {n} of {len(revs)}: seen {new.seen_at} (previous seen {old.seen_at})",
                           style="bold cyan"), soft_wrap=True)
        for line in lines:
            style = ("bold" if line.startswith(("---", "+++")) else "green" if line.startswith("+")
                     else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else "")
            console.print(Text(safe(line), style=style), soft_wrap=True)
    if not changes:
        console.print("The stored versions differ only in whitespace or layout.")
    return changes
