"""Atom feeds of alerts and diplomatic items, checked with the real feedparser."""

from __future__ import annotations

import os
from pathlib import Path

import feedparser  # type: ignore[import-untyped]
import pytest

from monitor.archive import atom_feed, write_feeds
from monitor.store import Store
from tests.test_archive_fixtures import add_event, add_item, make_store

BASE = "https://feeds.example.org/monitor"
TRICKY = 'Talks <b>Held</b> & "Warm" \x0b Welcome for Ruritanian Envoy'


@pytest.fixture
def store(tmp_path: Path) -> Store:
    """A high-level event with two reports, a low-level event, diplomatic and domestic items."""
    s = make_store(tmp_path)
    first = add_item(s, TRICKY, category="meeting", high_level=True, url="http://kcna.example/a?x=1&y=2",
                     participants=("Kim Jong Un", "Anton Varga"), countries=("Ruritania",),
                     teaser="The envoy <arrived> & was greeted.")
    second = add_item(s, "Envoy of Ruritania Received", category="meeting", high_level=True, source="rodong",
                      url="http://rodong.example/b/2", first_seen_at="2024-05-03T09:00:00.000000+00:00")
    add_event(s, "evt_high", TRICKY, [first, second], participants=("Kim Jong Un", "Anton Varga"),
              countries=("Ruritania",))
    low = add_item(s, "Vice-Minister Meets Trade Delegation", category="meeting", url="http://kcna.example/c",
                   first_seen_at="2024-05-04T08:00:00.000000+00:00")
    add_event(s, "evt_low", "Vice-Minister Meets Trade Delegation", [low], high_level=False,
              created_at="2024-05-04T09:00:00.000000+00:00")
    add_item(s, "Greetings Sent to Ruritanian President", category="diplomatic", url="http://kcna.example/d",
             body="A message was sent.", countries=("Ruritania",), first_seen_at="2024-05-05T08:00:00.000000+00:00")
    add_item(s, "Ginseng Growers Report Record Yield", url="http://kcna.example/e")
    return s


def test_alerts_feed_is_valid_atom(store: Store) -> None:
    """The alerts feed parses without error and has one entry per high-level event with its fields."""
    d = feedparser.parse(atom_feed(store, "alerts", base_url=BASE))
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    assert d.feed.id.startswith("tag:feeds.example.org,")
    assert d.feed.title
    assert [link.href for link in d.feed.links if link.rel == "self"] == [f"{BASE}/alerts.xml"]
    assert len(d.entries) == 1
    e = d.entries[0]
    assert e.id.endswith(":event:evt_high")
    assert e.title == TRICKY.replace("\x0b", "")
    assert e.link == "http://kcna.example/a?x=1&y=2"
    assert "http://rodong.example/b/2" in [link.href for link in e.links if link.rel == "related"]
    assert e.updated == "2024-05-03T09:00:00Z"
    assert {t.term for t in e.tags} >= {"meeting", "high-level", "Ruritania"}
    assert "Anton Varga" in e.summary and "<arrived>" in e.summary


def test_diplomatic_feed_lists_meetings_and_diplomatic_items(store: Store) -> None:
    """The diplomatic feed has every meeting and diplomatic item, newest first, and no domestic item."""
    d = feedparser.parse(atom_feed(store, "diplomatic", base_url=BASE + "/"))
    assert not d.bozo, d.get("bozo_exception")
    titles = [e.title for e in d.entries]
    assert titles[0] == "Greetings Sent to Ruritanian President"
    assert len(titles) == 4
    assert "Ginseng Growers Report Record Yield" not in titles
    assert len({e.id for e in d.entries}) == 4
    assert all(e.id.startswith("tag:feeds.example.org,2024:item:") for e in d.entries)
    assert d.feed.updated == "2024-05-05T08:00:00Z"
    assert [t.term for t in d.entries[0].tags] == ["diplomatic", "Ruritania"]
    assert d.entries[0].link == "http://kcna.example/d"


def test_empty_feed_is_valid(tmp_path: Path) -> None:
    """A database without events still gives a valid feed with no entries."""
    d = feedparser.parse(atom_feed(make_store(tmp_path), "alerts", base_url=BASE))
    assert not d.bozo and d.entries == [] and d.feed.updated


def test_write_feeds_atomically(store: Store, tmp_path: Path) -> None:
    """Both files are written, unchanged content is not rewritten, new items replace the file whole."""
    out = tmp_path / "feeds"
    paths = write_feeds(store, out, BASE)
    assert [p.name for p in paths] == ["alerts.xml", "diplomatic.xml"]
    assert all(not feedparser.parse(p.read_bytes()).bozo for p in paths)
    os.utime(paths[1], (1, 1))
    write_feeds(store, out, BASE)
    assert paths[1].stat().st_mtime == 1
    add_item(store, "New Envoy Presents Credentials", category="diplomatic", url="http://kcna.example/f",
             first_seen_at="2024-05-06T08:00:00.000000+00:00")
    write_feeds(store, out, BASE)
    assert feedparser.parse(paths[1].read_bytes()).entries[0].title == "New Envoy Presents Credentials"
    assert sorted(p.name for p in out.iterdir()) == ["alerts.xml", "diplomatic.xml"]


def test_unknown_kind(store: Store) -> None:
    """An unknown feed kind is a ValueError."""
    with pytest.raises(ValueError, match="alerts or diplomatic"):
        atom_feed(store, "everything", base_url=BASE)  # type: ignore[arg-type]
