"""Signals beyond meetings: appearances and absences of followed people, changes in the order of names, and
watchlists. Everything is written and queued inside the caller's transaction, like meeting alerts.

A source outage never fakes an absence: absences are counted only while at least one source is healthy (its last
run succeeded within `HEALTHY_RUN_HOURS` and it stored a new item within `HEALTHY_NEW_DAYS`: a site that still
answers but has stopped publishing is not healthy), and every alert names the healthy sources.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from monitor.alerts.rules import old_news
from monitor.classify import Classification, Gazetteer, canonical_name
from monitor.classify.appearances import find_appearances
from monitor.classify.classifier import lead_of
from monitor.classify.extract import find_people
from monitor.classify.namelists import name_lists
from monitor.config import Settings, WatchSettings
from monitor.logging import get_logger
from monitor.store import Store, Tx, iso
from monitor.store import signals as db_signals
from monitor.store.outbox import enqueue

log = get_logger("signals")

#: a source is healthy when its last successful run is this recent ...
HEALTHY_RUN_HOURS = 24
#: ... and it stored a new item within this many days (its site still publishes)
HEALTHY_NEW_DAYS = 3
#: only the first names of a list are compared (the protocol order of the top)
RANK_TOP = 20
#: a move of this many places or more is a change
RANK_MOVE = 5
#: the person `status` counts the days since
LEADER = db_signals.LEADER


@dataclass(frozen=True)
class NewItem:
    """What the signals read of a new item."""

    item_id: int
    title: str
    text: str | None
    published: date | None
    url: str
    source: str
    category: str


def record_item(db: Tx, settings: Settings, channels: list[str], gaz: Gazetteer, item: NewItem,
                cls: Classification, now: str, *, live: bool = True) -> int:
    """Store the appearances and lists of names of a new item, and queue the rank and watch alerts it raises;
    how many alerts were queued. An item that is old news (found off a live page, long after its date) is
    stored quietly: it never alerts, then or later.

    A fault here (a bug, a hostile text) is logged and undone, never the item's loss: the item, its meeting
    alerts and the rest of the run are kept. A fault of the database itself is raised as usual.
    """
    try:
        with db.savepoint():
            return _record_item(db, settings, channels, gaz, item, cls, now, live=live)
    except (sqlite3.OperationalError, MemoryError):
        raise
    except Exception:
        log.exception("signals of an item not recorded", item_id=item.item_id)
        return 0


def _record_item(db: Tx, settings: Settings, channels: list[str], gaz: Gazetteer, item: NewItem,
                 cls: Classification, now: str, *, live: bool) -> int:
    quiet = old_news(settings.alerts.rules, item.published, now, live) is not None
    db_signals.mark_read(db, [item.item_id])
    day = item.published.isoformat() if item.published else None
    lead = lead_of(item.text)
    if day is not None:
        found = find_appearances(item.title, lead, gaz, item.published)
        db_signals.add_appearances(db, item.item_id, day, [(a.person, a.kind) for a in found], quiet=quiet)
    queued = 0
    for kind, names in name_lists(item.text, gaz):
        db_signals.add_name_list(db, item.item_id, kind, names, day)
        if settings.alerts.rules.rank_changes and not quiet:
            queued += _queue_rank_change(db, channels, item, kind, names, day, now)
    if settings.watches and not quiet:
        queued += _queue_watches(db, settings.watches, channels, gaz, item, cls, lead, now)
    return queued


def reread_item(db: Tx, gaz: Gazetteer, item_id: int, title: str, text: str | None, published: date | None) -> None:
    """Read the appearances and lists of names of a stored item again (reclassification, imported history):
    quietly, so that history counts for absences and ranks without alerting."""
    day = published.isoformat() if published else None
    found = find_appearances(title, lead_of(text), gaz, published) if day else []
    db_signals.replace_appearances(db, item_id, day, [(a.person, a.kind) for a in found])
    db_signals.replace_name_lists(db, item_id, name_lists(text, gaz), day)


def reread_items(store: Store, gaz: Gazetteer, rows: list[dict[str, Any]]) -> None:
    """Read stored items (id, title, body or teaser, published) for appearances and lists of names, quietly."""
    def read(tx: Tx, item_id: int, title: str, text: str | None, published: str | None) -> None:
        reread_item(tx, gaz, item_id, title, text, date.fromisoformat(published) if published else None)

    db_signals.reread_all(store, [(r["id"], r["title"], r["body"] or r["teaser"], r["published"]) for r in rows],
                          read)


# ---- the order of names -------------------------------------------------------------------------------------

def rank_changes(before: list[str], after: list[str], top: int = RANK_TOP,
                 move: int = RANK_MOVE) -> list[dict[str, Any]]:
    """What changed between two lists of the same kind among their first `top` names: moves of `move` places
    or more, names that appear, names that disappear. Nothing when there is no list before."""
    if not before:
        return []
    was = {name: i for i, name in enumerate(before, 1)}
    now = {name: i for i, name in enumerate(after, 1)}
    changes: list[dict[str, Any]] = []
    for name in dict.fromkeys([*before[:top], *after[:top]]):
        old, new = was.get(name), now.get(name)
        if old is not None and new is not None:
            if abs(new - old) >= move:
                changes.append({"person": name, "change": "moved", "from": old, "to": new})
        elif new is not None and new <= top:
            changes.append({"person": name, "change": "appeared", "from": None, "to": new})
        elif old is not None and old <= top:
            changes.append({"person": name, "change": "disappeared", "from": old, "to": None})
    return changes


def _queue_rank_change(db: Tx, channels: list[str], item: NewItem, kind: str, names: list[str], day: str | None,
                       now: str) -> int:
    changes = rank_changes(db_signals.previous_name_list(db, item.item_id, kind, day), names)
    if not changes:
        return 0
    payload = {"kind": kind, "changes": changes, "names": names[:RANK_TOP], **_item_fields(item)}
    return sum(enqueue(db, channel=channel, kind="ranks.changed", subject=f"{item.item_id}|{kind}",
                       payload=payload, now=now) is not None for channel in channels)


# ---- watchlists ---------------------------------------------------------------------------------------------

def _item_fields(item: NewItem) -> dict[str, Any]:
    return {"item_id": item.item_id, "title": item.title, "url": item.url, "source": item.source,
            "date": item.published.isoformat() if item.published else None, "category": item.category}


def watch_hits(db: Tx, watch: WatchSettings, item_id: int, people: set[str], countries: set[str]) -> list[str]:
    """Why an item matches a watch ("person: X", "country: Y", "words: Q"); [] when it does not."""
    hits = [f"person: {p}" for p in watch.people if canonical_name(p) in people]
    hits += [f"country: {c}" for c in watch.countries if c.casefold() in countries]
    if watch.words and db_signals.item_matches_words(db, item_id, watch.words):
        hits.append(f"words: {watch.words}")
    return hits


def _queue_watches(db: Tx, watches: list[WatchSettings], channels: list[str], gaz: Gazetteer, item: NewItem,
                   cls: Classification, lead: str, now: str) -> int:
    found = find_people(f"{item.title}. {lead}", gaz, item.published, unknown=False)
    people = {p.name for p in found.people} | set(cls.participants)
    countries = {c.casefold() for c in [*cls.countries, *found.country_names(gaz)]}
    queued = 0
    for watch in watches:
        if watch.korean_only:
            continue  # matched when the item is marked "Korean only" (queue_korean_only), not when it is stored
        hits = watch_hits(db, watch, item.item_id, people, countries)
        if not hits:
            continue
        queued += _queue_watch(db, watch, channels, item.item_id, {"matched": hits, **_item_fields(item)}, now)
    return queued


def watches_channel(watch: WatchSettings, channel: str) -> bool:
    """Whether a watch sends to `channel` (a channel kind named in `channels` covers all its channels:
    "apprise" covers "apprise[2]")."""
    if watch.channels is None:
        return True
    return any(channel == name or channel.startswith(f"{name}[") for name in watch.channels)


def _queue_watch(db: Tx, watch: WatchSettings, channels: list[str], item_id: int, fields: dict[str, Any],
                 now: str) -> int:
    """Record a match and queue its `watch.matched` alert once per channel of the watch; how many were queued."""
    db_signals.add_watch_match(db, watch.name, item_id, now)
    payload = {"watch": watch.name, **fields}
    return sum(enqueue(db, channel=channel, kind="watch.matched", subject=f"{watch.name}|{item_id}", payload=payload,
                       now=now) is not None for channel in channels if watches_channel(watch, channel))


def queue_korean_only(store: Store, settings: Settings, channels: list[str], marked: list[dict[str, Any]]) -> int:
    """Alert the `korean_only` watches of the Korean items just marked "Korean only" (each once per channel); a
    watch that also names people, countries or words takes only the marked items that match them too."""
    watches = [w for w in settings.watches if w.korean_only]
    if not watches or not marked:
        return 0
    queued = 0
    with store.transaction() as db:
        now = iso(datetime.now(UTC))
        for row in marked:
            item_id = int(row["id"])
            people, countries = db_signals.item_people_and_countries(db, item_id)
            for watch in watches:
                hits = ["korean only"]
                if watch.people or watch.countries or watch.words:
                    extra = watch_hits(db, watch, item_id, people, countries)
                    if not extra:
                        continue
                    hits += extra
                fields = {"matched": hits, "item_id": item_id, "title": row["title"], "url": row["url"],
                          "source": row["source"], "date": row["published"], "category": row["category"],
                          "korean_only": True}
                queued += _queue_watch(db, watch, channels, item_id, fields, now)
    return queued


# ---- absences -----------------------------------------------------------------------------------------------

def healthy(db: Tx | Store, now: datetime) -> list[str]:
    """The sources whose reports count towards absences now (see the module's docstring)."""
    rows = db_signals.healthy_sources(db, iso(now - timedelta(hours=HEALTHY_RUN_HOURS)),
                                      iso(now - timedelta(days=HEALTHY_NEW_DAYS)))
    return [str(r["name"]) for r in rows]


def check_absences(store: Store, settings: Settings, channels: list[str], now: datetime | None = None) -> int:
    """Queue one `person.absent` per absence episode of each followed person, and one `person.reappeared` at
    the appearance that ends it; how many alerts were queued. Run after each pass over the sources."""
    followed = settings.alerts.watch_people
    if not followed:
        return 0
    when = now or datetime.now(UTC)
    stamp = iso(when)
    queued = 0
    with store.transaction() as db:
        sources = healthy(db, when)
        for person in followed:
            name = canonical_name(person.name)
            limit = person.absence_days or settings.alerts.rules.absence_days
            queued += _reappearance(db, channels, name, sources, stamp)
            if sources:
                queued += _absence(db, channels, name, limit, when.date(), sources, stamp)
    return queued


def _reappearance(db: Tx, channels: list[str], name: str, sources: list[str], now: str) -> int:
    episode = db_signals.open_absence(db, name)
    if episode is None:
        return 0
    back = db_signals.first_appearance_after(db, name, episode["last_seen"])
    if back is None:
        return 0
    db_signals.end_absence(db, name, episode["last_seen"], back["item_id"], now)
    if back["quiet"]:
        return 0  # history found later (import, backfill): the episode ends without an alert
    days = (date.fromisoformat(back["date"]) - date.fromisoformat(episode["last_seen"])).days
    payload = {"person": name, "last_seen": episode["last_seen"], "days": days, "date": back["date"],
               "kind": back["kind"], "sources": sources,
               "item": {"id": back["item_id"], "title": back["title"], "url": back["url"], "source": back["source"],
                        "date": back["date"]}}
    return sum(enqueue(db, channel=channel, kind="person.reappeared", subject=f"{name}|{episode['last_seen']}",
                       payload=payload, now=now) is not None for channel in channels)


def _absence(db: Tx, channels: list[str], name: str, limit: int, today: date, sources: list[str], now: str) -> int:
    last = db_signals.last_appearance(db, name)
    if last is None:
        return 0  # never seen: nothing to count from
    days = (today - date.fromisoformat(last["date"])).days
    if days < limit or not db_signals.start_absence(db, name, last["date"], days, now):
        return 0
    payload = {"person": name, "last_seen": last["date"], "days": days, "absence_days": limit, "sources": sources,
               "last_item_id": last["item_id"]}
    return sum(enqueue(db, channel=channel, kind="person.absent", subject=f"{name}|{last['date']}",
                       payload=payload, now=now) is not None for channel in channels)
