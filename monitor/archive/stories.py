"""Stories: the same text published by several outlets, with the first outlet and each one's lag.

A Korean item and its English version (paired by `monitor.archive.pairing`) are one story too: the English
outlet's lag behind the Korean one is the translation lag (`Story.translation_lag`).
"""

from __future__ import annotations

import hashlib
import itertools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from monitor.normalize import key_fold
from monitor.store import Store
from monitor.store.archive import story_candidates, url_sightings
from monitor.store.korean import item_languages, translation_links

#: Normalized characters of the body compared to find the same text under different titles.
FINGERPRINT_CHARS = 200
#: A body shorter than this (normalized) is too short to say two items are the same text.
MIN_BODY_CHARS = 80
#: Items with the same body fingerprint are one story only when first seen within this time of each other.
BODY_WINDOW = timedelta(days=3)

_DATELINE = re.compile(r"^[^()\n]{0,80}\([A-Za-z .]{2,30}\)\s*[-\u2013\u2014]+\s*")


@dataclass(frozen=True)
class StoryOutlet:
    """One outlet (source, and the original outlet a mirror names) that carried the story."""

    source: str
    outlet: str | None
    item_id: int
    url: str
    first_seen_at: str
    lag: timedelta
    language: str | None = None

    @property
    def label(self) -> str:
        """The source, with the outlet a mirror names (and the language of a Korean item)."""
        base = f"{self.source} ({self.outlet})" if self.outlet else self.source
        return f"{base} [{self.language}]" if self.language == "ko" else base


@dataclass(frozen=True)
class Story:
    """Items that are the same text on several outlets; `outlets` are in order of first sighting."""

    title: str
    published: str | None
    item_ids: list[int]
    outlets: list[StoryOutlet]

    @property
    def first(self) -> StoryOutlet:
        """The outlet that carried the story first."""
        return self.outlets[0]

    @property
    def first_seen_at(self) -> str:
        """When the story was first seen anywhere."""
        return self.outlets[0].first_seen_at

    @property
    def translation_lag(self) -> timedelta | None:
        """How long after its first Korean outlet the story was first seen in English (None unless both)."""
        korean = [o for o in self.outlets if o.language == "ko"]
        english = [o for o in self.outlets if o.language == "en"]
        if not korean or not english:
            return None
        return _parse(english[0].first_seen_at) - _parse(korean[0].first_seen_at)


def body_fingerprint(body: str | None) -> str | None:
    """Hash of the first 200 normalized characters of a body (dateline dropped), or None for a short body."""
    if not body:
        return None
    text = _DATELINE.sub("", unicodedata.normalize("NFKC", body).strip(), count=1)
    folded = key_fold(text)
    if len(folded) < MIN_BODY_CHARS:
        return None
    return hashlib.sha256(folded[:FINGERPRINT_CHARS].encode("utf-8")).hexdigest()


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


class _Groups:
    """Union-find over item ids."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def stories(store: Store, *, since: str | date | None = None, limit: int = 50) -> list[Story]:
    """Stories carried by at least two outlets, newest first: items grouped by story key or same body start."""
    items = story_candidates(store, since)
    groups = _Groups()
    by_key: dict[str, int] = {}
    by_body: dict[str, list[int]] = {}
    for item_id, r in items.items():
        groups.find(item_id)
        first = by_key.setdefault(r["story_key"], item_id)
        groups.union(first, item_id)
        fp = body_fingerprint(r["body"])
        if fp:
            by_body.setdefault(fp, []).append(item_id)
    for item_id, other in translation_links(store, set(items)):
        groups.union(item_id, other)
    for ids in by_body.values():
        # Items come in order of first sighting: link each to the previous one when close enough in time.
        for a, b in itertools.pairwise(ids):
            if _parse(items[b]["first_seen_at"]) - _parse(items[a]["first_seen_at"]) <= BODY_WINDOW:
                groups.union(a, b)
    members: dict[int, list[int]] = {}
    for item_id in items:
        members.setdefault(groups.find(item_id), []).append(item_id)
    urls = url_sightings(store, set(items))
    languages = item_languages(store, {i for ids in members.values() if len(ids) > 1 for i in ids})
    result: list[Story] = []
    for ids in members.values():
        story = _story(ids, items, urls, languages)
        if story is not None:
            result.append(story)
    result.sort(key=lambda s: s.first_seen_at, reverse=True)
    return result[: max(0, int(limit))]


def _story(ids: list[int], items: dict[int, dict[str, str]], urls: dict[int, list[dict[str, str]]],
           languages: dict[int, str | None] | None = None) -> Story | None:
    """The story of a group of items, or None when only one outlet carried it."""
    seen: dict[tuple[str, str], tuple[str, int, str]] = {}  # (source, outlet) -> (first_seen_at, item, url)
    for item_id in ids:
        item = items[item_id]
        sightings = urls.get(item_id) or [{"source": item["source"], "outlet": item["outlet"], "url": item["url"],
                                            "first_seen_at": item["first_seen_at"]}]
        for u in sightings:
            key = (u["source"], u["outlet"] or item["outlet"] or "")
            if key not in seen or u["first_seen_at"] < seen[key][0]:
                seen[key] = (u["first_seen_at"], item_id, u["url"])
    if len(seen) < 2:
        return None
    ordered = sorted(seen.items(), key=lambda kv: (kv[1][0], kv[0]))
    start = _parse(ordered[0][1][0])
    langs = languages or {}
    outlets = [StoryOutlet(source=src, outlet=outlet or None, item_id=item_id, url=url, first_seen_at=ts,
                           lag=_parse(ts) - start, language=langs.get(item_id))
               for (src, outlet), (ts, item_id, url) in ordered]
    first_item = items[outlets[0].item_id]
    published = sorted(items[i]["published"] for i in ids if items[i]["published"])
    return Story(title=first_item["title"], published=published[0] if published else None,
                 item_ids=sorted(ids), outlets=outlets)


def format_lag(lag: timedelta) -> str:
    """A lag as `+1d 2h 05m` (or `first` for none)."""
    seconds = int(lag.total_seconds())
    if seconds <= 0:
        return "first"
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if not days and not hours and not minutes:
        return f"+{secs}s"
    return "+" + (f"{days}d " if days else "") + (f"{hours}h " if days or hours else "") + f"{minutes:02d}m"


