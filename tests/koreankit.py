"""Test helpers for the Korean editions: invented Korean items in KCNA's markup under `/kp/`, served by the
project's local site, and items stored straight into a database."""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import date

from monitor.store import Store
from tests.sitekit import LocalSite

KO_LATEST = "/kp/article/list/a666dda1282180e0ee1b4427b0574ae7"


@dataclass(frozen=True)
class KoStory:
    """An invented item of KCNA's Korean edition."""

    title: str
    paragraphs: tuple[str, ...]
    day: date

    def hexid(self) -> str:
        """A 32-hex article id."""
        return hashlib.md5(("ko" + self.title).encode()).hexdigest()


def ko_listing(stories: list[KoStory]) -> str:
    """A `/kp/` listing page in KCNA's current ("detail") layout."""
    rows = "\n".join(
        f'<div class="article"><h5 class="block"><a href="/kp/article/detail/{s.hexid()}"> {html.escape(s.title)} '
        f'</a> <span><nobr>[{s.day.year}.{s.day.month}.{s.day.day}.]</nobr></span></h5></div>' for s in stories)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>조선중앙통신</title></head><body><main>{rows}'
            f"</main></body></html>")


def ko_article(s: KoStory) -> str:
    """A `/kp/` article page: the Korean dateline in a paragraph of its own, then the text."""
    body = "".join(f"<p>{html.escape(p)}</p>" for p in s.paragraphs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>조선중앙통신 | {html.escape(s.title)}</title>'
            f'</head><body><main><article><div class="container"><h1 class="text-center text-danger">'
            f'{html.escape(s.title)}</h1><h1 class="text-center text-danger"></h1>'
            f"<p>(평양 {s.day.month}월 {s.day.day}일발 조선중앙통신)</p>{body}</div></article></main></body></html>")


def publish_ko(site: LocalSite, stories: list[KoStory], path: str = KO_LATEST) -> None:
    """Serve a Korean listing at `path` and the article page of each story."""
    site.put(path, ko_listing(stories))
    for s in stories:
        site.put(f"/kp/article/detail/{s.hexid()}", ko_article(s))


def store_item(store: Store, title: str, body: str, *, language: str, first_seen_at: str, published: str,
               source: str = "kcna", category: str = "domestic", participants: tuple[str, ...] = (),
               countries: tuple[str, ...] = ()) -> int:
    """An item stored as a source run stores it, with its language set (and indexed when Korean)."""
    from monitor.normalize import content_hash, item_key, story_key
    from monitor.store import korean

    day = date.fromisoformat(published)
    with store.transaction() as db:
        cur = db.execute(
            "INSERT INTO items (key, source, url, title, published, body, content_hash, story_key, category, "
            "participants, countries, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [item_key(title, day), source, f"http://{source}.example/{abs(hash(title)) % 10**9}", title, published,
             body, content_hash(title, body), story_key(title, day), category, json.dumps(list(participants)),
             json.dumps(list(countries)), first_seen_at, first_seen_at])
        item_id = int(cur.lastrowid or 0)
        db.execute("INSERT INTO item_urls (url, item_id, source, first_seen_at, last_seen_at) "
                   "SELECT url, id, source, first_seen_at, first_seen_at FROM items WHERE id = ?", [item_id])
        korean.set_language(db, item_id, language)
    return item_id
