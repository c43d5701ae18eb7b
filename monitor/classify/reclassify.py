"""Classifying stored items again when the rules or the gazetteer change."""

from __future__ import annotations

import json
from datetime import date

from monitor.classify import Classifier
from monitor.config import Settings
from monitor.store import Store
from monitor.store.archive import items_to_reclassify, set_classification


def reclassify_items(settings: Settings, store: Store, *, everything: bool = False,
                     classifier: Classifier | None = None) -> tuple[int, int]:
    """Redo the classification of items of an older classifier version (or all); return (changed, total).

    Only the stored classification changes: events and alerts already raised stay as they were, so a rules
    change never floods the channels with old meetings.
    """
    if classifier is None:
        gazetteer = settings.resolve(settings.classify.gazetteer) if settings.classify.gazetteer else None
        classifier = Classifier.load(gazetteer)
    rows = items_to_reclassify(store, None if everything else classifier.version)
    changed = 0
    updates = []
    for row in rows:
        published = date.fromisoformat(row["published"]) if row["published"] else None
        cls = classifier.classify(row["title"], row["body"] or row["teaser"] or None, published=published)
        if cls.category != row["category"] or json.dumps(cls.participants) != row["participants"]:
            changed += 1
        updates.append((cls.category, int(cls.high_level), json.dumps(cls.participants), json.dumps(cls.countries),
                        cls.confidence, json.dumps(cls.reasons), classifier.version, row["id"]))
    set_classification(store, updates)
    _reread_signals(store, classifier, rows)
    return changed, len(rows)


def _reread_signals(store: Store, classifier: Classifier, rows: list[dict[str, object]]) -> None:
    """Appearances and lists of names read again for the items reclassified and for any never read (history
    imported or stored before they existed), quietly: history counts, it never alerts."""
    from monitor.alerts.signals import reread_items
    from monitor.store.signals import items_unread

    done = {r["id"] for r in rows}
    todo = [*rows, *(r for r in items_unread(store) if r["id"] not in done)]
    if todo:
        reread_items(store, classifier.gazetteer, todo)
