"""The bodies of `monitor appearances` and `monitor ranks`: data for the views, JSON for scripts."""

from __future__ import annotations

from datetime import date
from typing import Any

from monitor.classify import canonical_name
from monitor.store import Store
from monitor.store import signals as db_signals


def appearance_rows(store: Store, person: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
    """Appearances oldest first per person, each with the days since that person's previous one (None for the
    first); ValueError when `since` is not YYYY-MM-DD."""
    if since is not None:
        date.fromisoformat(since)
    name = canonical_name(person) if person else None
    rows = db_signals.appearances(store, name)
    out: list[dict[str, Any]] = []
    previous: dict[str, str] = {}
    for r in rows:
        before = previous.get(r["person"])
        gap = (date.fromisoformat(r["date"]) - date.fromisoformat(before)).days if before else None
        previous[r["person"]] = r["date"]
        if since is None or r["date"] >= since:
            out.append({"person": r["person"], "date": r["date"], "kind": r["kind"], "item_id": r["item_id"],
                        "title": r["title"], "url": r["url"], "source": r["source"], "days_since_previous": gap})
    return out


def rank_rows(store: Store, person: str | None = None) -> list[dict[str, Any]]:
    """Each position of a person in a stored list of names (kind, position, size of the list, date, item)."""
    name = canonical_name(person) if person else None
    return [{"person": r["person"], "kind": r["kind"], "position": r["position"], "of": r["size"], "date": r["date"],
             "item_id": r["item_id"], "title": r["title"]} for r in db_signals.name_positions(store, name)]
