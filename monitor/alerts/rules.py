"""What a new meeting report raises: its event joined or opened, and the alerts the rules ask for, queued in the
outbox inside the caller's transaction."""

from __future__ import annotations

from datetime import date

from monitor.alerts.events import MeetingReport, attach_report, event_payload
from monitor.classify import Classification, canonical_name
from monitor.config import RuleSettings
from monitor.logging import get_logger
from monitor.store import Tx, runs
from monitor.store.outbox import enqueue

log = get_logger("alerts")


def wanted(rules: RuleSettings, cls: Classification) -> bool:
    """Whether the rules (`[alerts.rules]`) want an alert for a meeting classified as `cls`."""
    if rules.high_level_only and not cls.high_level:
        return False
    if rules.countries:
        countries = {c.casefold() for c in rules.countries}
        if not any(c.casefold() in countries for c in cls.countries):
            return False
    if rules.people:
        people = {canonical_name(p) for p in rules.people}
        if not people & set(cls.participants):
            return False
    return True


def old_news(rules: RuleSettings, published: date | None, seen_at: str, live: bool) -> float | None:
    """How many days before it was first seen an item was published, when that makes it old news, else None.

    Only items found off a live first page (catch-up pages, backfill, import) can be old news: a first page is
    the news of the day whatever dates it prints. An item with no date is never old news.
    """
    if live or published is None:
        return None
    days = (date.fromisoformat(seen_at[:10]) - published).days
    return float(days) if days > rules.max_age_days else None


def queue_meeting(db: Tx, rules: RuleSettings, channels: list[str], item_id: int, title: str,
                  published: date | None, cls: Classification, now: str, *, live: bool = True) -> int:
    """Attach a meeting item to its event and queue the alerts a new (or updated) event deserves; how many.

    An item that is old news (`old_news`: found off a live first page, long after it was published) joins its
    event but queues nothing; the log says why.
    """
    report = MeetingReport(item_id, title, published, list(cls.participants), dict(cls.participant_countries),
                           list(cls.countries), cls.high_level, printed_spelling=not any(cls.participants_hangul))
    change = attach_report(db, report, now)
    runs.set_event(db, item_id, change.event_id)
    payload = event_payload(db, change.event_id)
    if not (payload["high_level"] or cls.high_level) or not wanted(rules, cls):
        return 0
    age = old_news(rules, published, now, live)
    if age is not None:
        log.info("meeting not alerted: old news", item_id=item_id, event_id=change.event_id, title=title[:200],
                 published=published.isoformat() if published else None, days_before_seen=age,
                 max_age_days=rules.max_age_days)
        return 0
    queued = 0
    for channel in channels:
        # The key makes this a no-op when the event was already announced on this channel.
        detected = enqueue(db, channel=channel, kind="meeting.detected", subject=change.event_id,
                           payload=payload, event_id=change.event_id, now=now)
        queued += detected is not None
        if detected is None and not change.created and rules.update_on_new_report:
            # one update per new report of an event already announced (its key names the report)
            queued += enqueue(db, channel=channel, kind="meeting.updated", subject=f"{change.event_id}|{item_id}",
                              payload=payload, event_id=change.event_id, now=now) is not None
    return queued
