"""The versions of an item (table `revisions`, the first version included) and their differences."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from monitor.store import Store
from monitor.store.archive import item_row, revision_rows

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


