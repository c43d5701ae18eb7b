"""Meeting events: reports of the same meeting (same principals, within a few days) are one event."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlite_utils import Database

WINDOW_DAYS = 3
DPRK = "DPRK"


@dataclass(frozen=True)
class MeetingReport:
    """What the event logic needs to know of one meeting item."""

    item_id: int
    title: str
    published: date | None
    participants: list[str]
    participant_countries: dict[str, str]
    countries: list[str]
    high_level: bool


@dataclass(frozen=True)
class EventChange:
    """The event an item was attached to, and whether the item created it."""

    event_id: str
    created: bool
    report_count: int


def _foreign(participants: list[str], countries: dict[str, str]) -> set[str]:
    return {p for p in participants if countries.get(p, "") != DPRK}


def same_meeting(a_parts: list[str], a_countries: dict[str, str], b_parts: list[str]) -> bool:
    """Whether a new report with participants `a_parts` describes the event whose principals are `b_parts`.

    They match when they share a foreign participant, or, when no foreign name is known, at least two names.
    A shared Kim Jong Un alone is never enough: he meets many delegations in a week.
    """
    shared = set(a_parts) & set(b_parts)
    if not shared:
        return False
    if shared & _foreign(a_parts, a_countries):
        return True
    return len(shared) >= 2


def event_id_for(report: MeetingReport) -> str:
    """A stable id for a new event, derived from its first report."""
    seed = json.dumps([sorted(report.participants), report.published.isoformat() if report.published else "",
                       report.item_id])
    return "evt_" + hashlib.sha256(seed.encode()).hexdigest()[:20]


def attach_report(db: Database, report: MeetingReport, now: str) -> EventChange:
    """Join the report to a matching event within +-3 days, or open a new event; inside the caller's transaction."""
    day = report.published
    candidates: list[dict[str, Any]] = []
    if report.participants:
        if day is not None:
            lo, hi = (day - timedelta(days=WINDOW_DAYS)).isoformat(), (day + timedelta(days=WINDOW_DAYS)).isoformat()
            cur = db.execute("SELECT * FROM events WHERE date BETWEEN ? AND ? ORDER BY created_at", [lo, hi])
        else:
            # created_at is ISO text with a "T": compared with a cut-off in the same form (SQLite's datetime()
            # writes a space, which sorts before "T" and widened the window by up to a day)
            since = (datetime.fromisoformat(now) - timedelta(days=WINDOW_DAYS)).isoformat(timespec="microseconds")
            cur = db.execute("SELECT * FROM events WHERE created_at >= ? ORDER BY created_at", [since])
        cols = [c[0] for c in cur.description]
        candidates = [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
    for ev in candidates:
        parts = json.loads(ev["participants"])
        if same_meeting(report.participants, report.participant_countries, parts):
            merged = sorted(set(parts) | set(report.participants), key=lambda p: (p not in parts, parts.index(p)
                                                                                  if p in parts else 0))
            countries = sorted(set(json.loads(ev["countries"])) | set(report.countries))
            db.execute("UPDATE events SET participants = ?, countries = ?, high_level = MAX(high_level, ?), "
                       "updated_at = ? WHERE id = ?",
                       [json.dumps(merged), json.dumps(countries), int(report.high_level), now, ev["id"]])
            db.execute("INSERT OR IGNORE INTO event_reports (event_id, item_id, added_at) VALUES (?, ?, ?)",
                       [ev["id"], report.item_id, now])
            count = db.execute("SELECT COUNT(*) FROM event_reports WHERE event_id = ?", [ev["id"]]).fetchone()[0]
            return EventChange(ev["id"], False, int(count))
    event_id = event_id_for(report)
    db.execute("INSERT INTO events (id, date, participants, countries, title, high_level, created_at, updated_at) "
               "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
               [event_id, day.isoformat() if day else None, json.dumps(report.participants),
                json.dumps(report.countries), report.title, int(report.high_level), now, now])
    db.execute("INSERT INTO event_reports (event_id, item_id, added_at) VALUES (?, ?, ?)",
               [event_id, report.item_id, now])
    return EventChange(event_id, True, 1)


def event_payload(db: Database, event_id: str) -> dict[str, Any]:
    """The webhook `data` of an event: its first report's title and URL plus every report so far."""
    ev = db.execute("SELECT * FROM events WHERE id = ?", [event_id]).fetchone()
    if ev is None:
        raise KeyError(event_id)
    cols = [c[0] for c in db.execute("SELECT * FROM events LIMIT 0").description]
    event = dict(zip(cols, ev, strict=True))
    reports = []
    for row in db.execute(
        "SELECT i.title, i.url, i.source, i.published, i.first_seen_at, i.outlet FROM event_reports r "
        "JOIN items i ON i.id = r.item_id WHERE r.event_id = ? ORDER BY r.added_at, i.id", [event_id]
    ).fetchall():
        reports.append({"title": row[0], "url": row[1], "source": row[2], "date": row[3], "first_seen_at": row[4],
                        "outlet": row[5]})
    first = reports[0] if reports else {"title": event["title"], "url": None, "source": None}
    return {
        "event_id": event_id, "title": first["title"], "url": first["url"], "source": first["source"],
        "date": event["date"], "participants": json.loads(event["participants"]),
        "countries": json.loads(event["countries"]), "high_level": bool(event["high_level"]), "reports": reports,
    }
