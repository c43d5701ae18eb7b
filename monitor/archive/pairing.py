"""A Korean item and its English version are one story: pairing them, and marking "Korean only" the Korean items
that find no English version within 48 hours.

The Korean editions publish first; the English ones hours later, and not everything. Two items are versions of one
story when they are dated within a day of each other and agree on what can be compared across the languages: the
same meeting event, the same participants and countries (the classifier gives them romanized for both), the same
numbers in the text, the same category. Each Korean item is paired with at most one English item and the other way
round, best pairs first. The check runs after each pass over the sources (`after_pass`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from monitor.classify.names import match_key
from monitor.store import Store, Tx, iso
from monitor.store import korean as ko_store

#: A Korean item with no English version this long after it was first seen is marked "Korean only".
KOREAN_ONLY_AFTER = timedelta(hours=48)
#: How long after its first sighting a Korean item is still paired (a late English version still joins it).
PAIR_WINDOW = timedelta(days=7)
#: Korean items first seen this long ago or less are checked after each pass (their index rows kept in step
#: with edits of their text, the "Korean only" mark given): older ones were settled, or came before the check.
RECENT = timedelta(days=30)
#: Publication days of the two versions differ by at most this many days.
MAX_DAYS_APART = 1
#: Below this score two items are not taken for versions of one story.
MIN_SCORE = 0.45

_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class Side:
    """What the pairing compares of one item."""

    id: int
    day: date | None
    category: str | None
    participants: frozenset[str]
    countries: frozenset[str]
    numbers: frozenset[str]
    event_id: str | None


@dataclass
class PassCheck:
    """What one check after a pass did: pairs made (Korean id, English id, score), items marked Korean only."""

    pairs: list[tuple[int, int, float]] = field(default_factory=list)
    korean_only: list[dict[str, Any]] = field(default_factory=list)
    languages_set: int = 0
    indexed: int = 0


def numbers_in(text: str) -> frozenset[str]:
    """The numbers written with digits in a text, thousands separators dropped (`3,000` and `3000` agree)."""
    out = set()
    for m in _NUMBER.finditer(text):
        value = m.group(0).replace(",", "").rstrip(".")
        if value:
            out.add(value.lstrip("0") or "0")
    return frozenset(out)


def _significant(number: str) -> bool:
    """A number that says something of a story: not a day, month or the current years (1..31, 1900..2100)."""
    try:
        n = float(number)
    except ValueError:
        return False
    return not (n <= 31 or (1900 <= n <= 2100 and n.is_integer()))


def side(row: dict[str, Any]) -> Side:
    """The comparable parts of an items row (see `korean.PAIR_COLUMNS`)."""
    day_text = row.get("published") or (row.get("first_seen_at") or "")[:10]
    try:
        day = date.fromisoformat(day_text) if day_text else None
    except ValueError:
        day = None
    text = f"{row.get('title') or ''}\n{row.get('body') or row.get('teaser') or ''}"
    return Side(id=int(row["id"]), day=day, category=row.get("category"),
                participants=frozenset(match_key(p) for p in json.loads(row.get("participants") or "[]")),
                countries=frozenset(json.loads(row.get("countries") or "[]")), numbers=numbers_in(text),
                event_id=row.get("event_id"))


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def pair_score(k: Side, e: Side) -> float | None:
    """How surely `e` is the English version of the Korean item `k` (None: not dated within a day of it)."""
    if k.day is None or e.day is None or abs((k.day - e.day).days) > MAX_DAYS_APART:
        return None
    if k.event_id is not None and k.event_id == e.event_id:
        return 1.0  # two reports of one meeting event
    score = 0.1 if k.day == e.day else 0.0
    if k.participants and e.participants:
        score += 0.25 + 0.35 * _overlap(k.participants, e.participants) if k.participants & e.participants else -0.6
    if k.countries and e.countries:
        score += 0.1 + 0.2 * _overlap(k.countries, e.countries) if k.countries & e.countries else -0.4
    elif k.countries or e.countries:
        score -= 0.1
    strong_k = {n for n in k.numbers if _significant(n)}
    strong_e = {n for n in e.numbers if _significant(n)}
    shared = strong_k & strong_e
    score += min(0.5, 0.25 * len(shared)) - min(0.3, 0.1 * len((strong_k | strong_e) - shared))
    score += min(0.1, 0.03 * len((k.numbers & e.numbers) - shared))
    if k.category and e.category:
        score += 0.1 if k.category == e.category else -0.15
    return round(score, 3)


def best_pairs(korean: list[Side], english: list[Side]) -> list[tuple[int, int, float]]:
    """One English item for each Korean item at most, and the other way round: the best scores first."""
    by_day: dict[date, list[Side]] = {}
    for e in english:
        if e.day is not None:
            by_day.setdefault(e.day, []).append(e)
    scored: list[tuple[float, int, int]] = []
    for k in korean:
        if k.day is None:
            continue
        for offset in range(-MAX_DAYS_APART, MAX_DAYS_APART + 1):
            for e in by_day.get(k.day + timedelta(days=offset), []):
                s = pair_score(k, e)
                if s is not None and s >= MIN_SCORE:
                    scored.append((s, k.id, e.id))
    scored.sort(key=lambda t: (-t[0], t[1], t[2]))
    taken_k: set[int] = set()
    taken_e: set[int] = set()
    out = []
    for s, kid, eid in scored:
        if kid in taken_k or eid in taken_e:
            continue
        taken_k.add(kid)
        taken_e.add(eid)
        out.append((kid, eid, s))
    return out


def pair_new(tx: Tx, now: datetime) -> list[tuple[int, int, float]]:
    """Pair the Korean items of the last PAIR_WINDOW with English items not yet paired; the pairs made."""
    since = iso(now - PAIR_WINDOW)
    korean = [side(r) for r in ko_store.unpaired(tx, "ko", since)]
    if not korean:
        return []
    days = [k.day for k in korean if k.day is not None]
    if not days:
        return []
    span = ((min(days) - timedelta(days=1)).isoformat(), (max(days) + timedelta(days=1)).isoformat())
    english = [side(r) for r in ko_store.unpaired(tx, "en", iso(now - PAIR_WINDOW - timedelta(days=2)), span)]
    pairs = best_pairs(korean, english)
    for kid, eid, score in pairs:
        ko_store.pair(tx, kid, eid, score)
    return pairs


def check(store: Store, now: datetime | None = None) -> PassCheck:
    """The check after a pass over the sources, in one transaction: languages of items stored without one, the
    Korean search index brought up to date for RECENT items, new Korean-English pairs, and the Korean items left
    without an English version KOREAN_ONLY_AFTER after their first sighting marked "Korean only" (those first
    seen up to RECENT before that: an archive's old items are never marked all at once).

    `PassCheck.korean_only` lists the items marked by this call, once each: the hook for watches and digests
    (issue 19's `[[watches]]` can alert on them).
    """
    when = now or datetime.now(UTC)
    result = PassCheck()
    with store.transaction() as tx:
        result.languages_set = ko_store.fill_missing_languages(tx)
        result.indexed = ko_store.refresh_korean_index(tx, iso(when - RECENT))
        result.pairs = pair_new(tx, when)
        marked_before = when - KOREAN_ONLY_AFTER
        result.korean_only = ko_store.mark_korean_only(tx, iso(marked_before - RECENT), iso(marked_before),
                                                       iso(when))
    return result
