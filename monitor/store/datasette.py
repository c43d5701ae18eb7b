"""A Datasette `metadata.json` for the monitor database: table descriptions and canned queries."""

from __future__ import annotations

import copy
from typing import Any

_DAY = "COALESCE(published, substr(first_seen_at, 1, 10))"

TABLES: dict[str, dict[str, Any]] = {
    "items": {
        "description": "Every article once (deduplicated by title and date across URLs and outlets), "
                       "with its latest text and classification.",
        "sort_desc": "first_seen_at",
        "label_column": "title",
        "fts_table": "items_fts",
        "fts_pk": "id",
        "columns": {
            "key": "Identity: hash of the folded title and the date",
            "source": "Configured source that first listed the item",
            "url": "Canonical URL under which the item was first seen",
            "published": "Date the site gives (YYYY-MM-DD)",
            "outlet": "Original outlet (KCNA, Rodong Sinmun, ...) when a mirror names it",
            "content_hash": "Hash of the normalized title and body; changes when the article is edited",
            "story_key": "Date plus folded title: groups the same story across outlets",
            "category": "meeting, diplomatic or domestic",
            "high_level": "1 for a meeting of heads of state, government or party",
            "participants": "JSON array of canonical names",
            "countries": "JSON array of countries involved",
            "event_id": "Meeting event the item reports (events.id)",
            "first_seen_at": "UTC time the monitor first saw the item",
            "last_seen_at": "UTC time the item was last seen on a listing",
            "removed_at": "UTC time the item was found removed from its site (NULL while present)",
        },
    },
    "item_urls": {
        "description": "Every URL an item was listed under, per source and outlet, with first and last sighting.",
        "sort_desc": "first_seen_at",
    },
    "revisions": {
        "description": "Every version of every item, the first one included: a new row each time the text changed.",
        "sort_desc": "seen_at",
    },
    "events": {
        "description": "Meeting events: reports of the same meeting (same principals, within a few days) as one.",
        "sort_desc": "created_at",
        "label_column": "title",
    },
    "event_reports": {"description": "Which items report which meeting event."},
    "outbox": {
        "description": "Alerts to deliver (transactional outbox): pending, sent or dead, per channel.",
        "sort_desc": "created_at",
    },
    "sources": {"description": "Configured sources and their health: last run, last success, failures in a row."},
    "fetch_log": {
        "description": "One row per poll of a source: status, HTTP status, entries and new items, error, warnings.",
        "sort_desc": "started_at",
    },
    "channels": {"description": "Alert channels an operator has disabled."},
    "items_fts": {"description": "Full-text index of items (SQLite FTS5: title, teaser, body, participants), kept "
                                 "in step with the items by triggers.",
                  "hidden": True},
}

QUERIES: dict[str, dict[str, str]] = {
    "latest_meetings": {
        "title": "Latest meetings",
        "description": "The most recent items classified as meetings, newest first.",
        "sql": f"SELECT id, {_DAY} AS day, title, high_level, participants, countries, source, url, event_id "
               "FROM items WHERE category = 'meeting' ORDER BY day DESC, first_seen_at DESC LIMIT 100",
    },
    "high_level_meetings_per_country": {
        "title": "High-level meetings per country",
        "description": "Number of high-level meeting events per country involved, with the latest date.",
        "sql": "SELECT c.value AS country, COUNT(*) AS meetings, MAX(e.date) AS latest "
               "FROM events e, json_each(e.countries) c WHERE e.high_level = 1 "
               "GROUP BY c.value ORDER BY meetings DESC, latest DESC",
    },
    "removed_articles": {
        "title": "Removed articles",
        "description": "Items that vanished from their site, with when they were last seen and found removed.",
        "sql": "SELECT id, published, title, source, url, last_seen_at, removed_at FROM items "
               "WHERE removed_at IS NOT NULL ORDER BY removed_at DESC",
    },
    "source_health": {
        "title": "Per-source health",
        "description": "Each source's last success and error, failures in a row, runs and errors in the last day.",
        "sql": "SELECT s.name, s.adapter, s.url, s.last_ok_at, s.last_status, s.consecutive_failures, "
               "s.last_error, "
               "(SELECT COUNT(*) FROM fetch_log f WHERE f.source = s.name "
               "AND f.started_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day')) AS runs_24h, "
               "(SELECT COUNT(*) FROM fetch_log f WHERE f.source = s.name AND f.status IN ('error', "
               "'layout_changed') AND f.started_at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-1 day')) "
               "AS failures_24h, "
               "(SELECT COUNT(*) FROM item_urls u WHERE u.source = s.name) AS items "
               "FROM sources s ORDER BY s.consecutive_failures DESC, s.name",
    },
    "items_per_day": {
        "title": "Items per day",
        "description": "Items per date with meetings, diplomatic items and removals.",
        "sql": f"SELECT {_DAY} AS day, COUNT(*) AS items, "
               "SUM(category = 'meeting') AS meetings, SUM(category = 'meeting' AND high_level = 1) AS high_level, "
               "SUM(category = 'diplomatic') AS diplomatic, SUM(removed_at IS NOT NULL) AS removed "
               "FROM items GROUP BY day ORDER BY day DESC LIMIT 366",
    },
    "edited_articles": {
        "title": "Edited articles",
        "description": "Items with more than one stored version, most recently edited first.",
        "sql": "SELECT i.id, i.title, i.source, i.url, COUNT(r.id) AS versions, MAX(r.seen_at) AS last_edit "
               "FROM items i JOIN revisions r ON r.item_id = i.id GROUP BY i.id HAVING COUNT(r.id) > 1 "
               "ORDER BY last_edit DESC",
    },
}


def datasette_metadata(database: str = "monitor") -> dict[str, Any]:
    """Datasette metadata for the database file `<database>.db`: title, table descriptions and canned queries."""
    return {
        "title": "DPRK state-media monitor",
        "description": "Items from KCNA, Rodong Sinmun, Naenara and KCNA Watch as the monitor stored them: "
                       "classification, meeting events, every edit and removal, alert delivery and source health.",
        "databases": {
            database: {
                "tables": copy.deepcopy(TABLES),
                "queries": copy.deepcopy(QUERIES),
            }
        },
    }
