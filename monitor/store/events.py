"""Queries of meeting events: the events near a date, joining a report to one, opening one, reading one."""

from __future__ import annotations

import json
from typing import Any

from monitor.store.database import Tx


def events_between(tx: Tx, first_day: str, last_day: str) -> list[dict[str, Any]]:
    """Events dated from `first_day` to `last_day` (inclusive, YYYY-MM-DD), oldest first."""
    return tx.query("SELECT * FROM events WHERE date BETWEEN ? AND ? ORDER BY created_at", [first_day, last_day])


def events_created_since(tx: Tx, since: str) -> list[dict[str, Any]]:
    """Events created at `since` (an ISO time) or later, oldest first."""
    return tx.query("SELECT * FROM events WHERE created_at >= ? ORDER BY created_at", [since])


def join_event(tx: Tx, event_id: str, item_id: int, participants: list[str], countries: list[str],
               high_level: bool, now: str) -> int:
    """Add a report to an event, with the event's participants and countries widened; the event's report count."""
    tx.execute("UPDATE events SET participants = ?, countries = ?, high_level = MAX(high_level, ?), updated_at = ? "
               "WHERE id = ?", [json.dumps(participants), json.dumps(countries), int(high_level), now, event_id])
    tx.execute("INSERT OR IGNORE INTO event_reports (event_id, item_id, added_at) VALUES (?, ?, ?)",
               [event_id, item_id, now])
    return int(tx.scalar("SELECT COUNT(*) FROM event_reports WHERE event_id = ?", [event_id]))


def open_event(tx: Tx, event_id: str, day: str | None, participants: list[str], countries: list[str], title: str,
               high_level: bool, item_id: int, now: str) -> None:
    """A new event with its first report."""
    tx.execute("INSERT INTO events (id, date, participants, countries, title, high_level, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [event_id, day, json.dumps(participants), json.dumps(countries), title, int(high_level), now, now])
    tx.execute("INSERT INTO event_reports (event_id, item_id, added_at) VALUES (?, ?, ?)", [event_id, item_id, now])


def event_with_reports(tx: Tx, event_id: str) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    """An event's row and its reports (title, url, source, date, first seen, outlet), in the order they came."""
    event = tx.one("SELECT * FROM events WHERE id = ?", [event_id])
    if event is None:
        return None
    reports = tx.query(
        "SELECT i.title, i.url, i.source, i.published AS date, i.first_seen_at, i.outlet FROM event_reports r "
        "JOIN items i ON i.id = r.item_id WHERE r.event_id = ? ORDER BY r.added_at, i.id", [event_id])
    return event, reports
