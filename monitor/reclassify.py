"""Classifying stored items again when the rules or the gazetteer change."""

from __future__ import annotations

import json
from datetime import date

from monitor.classify import Classifier
from monitor.config import Settings
from monitor.store import Store


def reclassify_items(settings: Settings, store: Store, *, everything: bool = False,
                     classifier: Classifier | None = None) -> tuple[int, int]:
    """Redo the classification of items of an older classifier version (or all); return (changed, total).

    Only the stored classification changes: events and alerts already raised stay as they were, so a rules
    change never floods the channels with old meetings.
    """
    if classifier is None:
        gazetteer = settings.resolve(settings.classify.gazetteer) if settings.classify.gazetteer else None
        classifier = Classifier.load(gazetteer)
    sql = "SELECT id, title, body, teaser, category, participants, published FROM items"
    params: tuple[str, ...] = ()
    if not everything:
        sql += " WHERE classifier_version IS NOT ? "
        params = (classifier.version,)
    rows = store.query(sql, params)
    changed = 0
    with store.transaction() as db:
        for row in rows:
            published = date.fromisoformat(row["published"]) if row["published"] else None
            cls = classifier.classify(row["title"], row["body"] or row["teaser"] or None, published=published)
            if cls.category != row["category"] or json.dumps(cls.participants) != row["participants"]:
                changed += 1
            db.execute("UPDATE items SET category = ?, high_level = ?, participants = ?, countries = ?, "
                       "confidence = ?, reasons = ?, classifier_version = ? WHERE id = ?",
                       [cls.category, int(cls.high_level), json.dumps(cls.participants), json.dumps(cls.countries),
                        cls.confidence, json.dumps(cls.reasons), classifier.version, row["id"]])
    return changed, len(rows)
