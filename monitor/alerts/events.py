"""Meeting events: reports of the same meeting (same principals, within a few days) are one event."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from monitor.classify.names import known_spelling, match_key
from monitor.store import Tx
from monitor.store.events import event_with_reports, events_between, events_created_since, join_event, open_event

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
    # names as an edition in Latin letters prints them (an English report), not read back from Hangul
    printed_spelling: bool = True


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
    A shared Kim Jong Un alone is never enough: he meets many delegations in a week. A foreign participant is
    shared also when spelt another way but heard the same (`match_key`): the Korean edition's name read back
    from Hangul ("Robertu Kolin") and the English edition's ("Roberto Colin").
    """
    shared = set(a_parts) & set(b_parts)
    foreign = _foreign(a_parts, a_countries)
    if shared & foreign:
        return True
    heard = {match_key(p) for p in b_parts if p not in shared}
    if any(match_key(p) in heard for p in foreign - shared):
        return True
    return len(shared) >= 2


def event_id_for(report: MeetingReport) -> str:
    """A stable id for a new event, derived from its first report."""
    seed = json.dumps([sorted(report.participants), report.published.isoformat() if report.published else "",
                       report.item_id])
    return "evt_" + hashlib.sha256(seed.encode()).hexdigest()[:20]


def attach_report(db: Tx, report: MeetingReport, now: str) -> EventChange:
    """Join the report to a matching event within +-3 days, or open a new event; inside the caller's transaction."""
    day = report.published
    candidates: list[dict[str, Any]] = []
    if report.participants:
        if day is not None:
            lo, hi = (day - timedelta(days=WINDOW_DAYS)).isoformat(), (day + timedelta(days=WINDOW_DAYS)).isoformat()
            candidates = events_between(db, lo, hi)
        else:
            since = (datetime.fromisoformat(now) - timedelta(days=WINDOW_DAYS)).isoformat(timespec="microseconds")
            candidates = events_created_since(db, since)
    for ev in candidates:
        parts = json.loads(ev["participants"])
        if same_meeting(report.participants, report.participant_countries, parts):
            # the event's spelling of each person stays (unless it was read back from Hangul and the report prints
            # the name); a name heard the same (another edition's spelling) is not added again
            if report.printed_spelling:  # the English edition's spelling replaces a reading of the Korean one
                printed = {match_key(p): p for p in report.participants}
                parts = [p if known_spelling(p) else printed.get(match_key(p), p) for p in parts]
            known = {match_key(p) for p in parts}
            merged = parts + [p for p in dict.fromkeys(report.participants)
                              if p not in parts and match_key(p) not in known]
            countries = sorted(set(json.loads(ev["countries"])) | set(report.countries))
            count = join_event(db, ev["id"], report.item_id, merged, countries, report.high_level, now)
            return EventChange(ev["id"], False, count)
    event_id = event_id_for(report)
    open_event(db, event_id, day.isoformat() if day else None, report.participants, report.countries, report.title,
               report.high_level, report.item_id, now)
    return EventChange(event_id, True, 1)


def event_payload(db: Tx, event_id: str) -> dict[str, Any]:
    """The webhook `data` of an event: its first report's title and URL plus every report so far."""
    found = event_with_reports(db, event_id)
    if found is None:
        raise KeyError(event_id)
    event, reports = found
    first = reports[0] if reports else {"title": event["title"], "url": None, "source": None}
    return {
        "event_id": event_id, "title": first["title"], "url": first["url"], "source": first["source"],
        "date": event["date"], "participants": json.loads(event["participants"]),
        "countries": json.loads(event["countries"]), "high_level": bool(event["high_level"]), "reports": reports,
    }
