"""Stories: the same text on several outlets grouped, with the first outlet and each one's lag."""

from __future__ import annotations

import io
from datetime import timedelta
from pathlib import Path

from rich.console import Console

from monitor.archive import stories
from monitor.archive.stories import body_fingerprint, format_lag
from monitor.cli.views import render_stories
from tests.test_archive_fixtures import add_item, make_store

TEXT = ("Premier of the Cabinet inspected the new fertilizer plant in Hungnam and praised the workers who "
        "finished the construction ahead of schedule, stressing the importance of the chemical industry "
        "for the national economy and for the farms of the whole country.")


def test_one_item_on_two_sites_is_a_story(tmp_path: Path) -> None:
    """An item listed by KCNA and by a KCNA Watch mirror is one story with the mirror's lag."""
    store = make_store(tmp_path)
    add_item(store, "Premier Inspects Fertilizer Plant", body=TEXT, url="http://kcna.example/1",
             first_seen_at="2024-05-03T08:00:00+00:00",
             also=(("http://watch.example/9", "kcnawatch", "KCNA", "2024-05-03T10:30:00+00:00"),))
    add_item(store, "Lone Domestic Item", body="Only one outlet had it.", url="http://kcna.example/2")
    [story] = stories(store)
    assert story.title == "Premier Inspects Fertilizer Plant"
    assert [(o.source, o.outlet) for o in story.outlets] == [("kcna", None), ("kcnawatch", "KCNA")]
    assert story.first.lag == timedelta(0)
    assert story.outlets[1].lag == timedelta(hours=2, minutes=30)
    assert story.first_seen_at == "2024-05-03T08:00:00+00:00"


def test_items_with_same_story_key_are_grouped(tmp_path: Path) -> None:
    """Two items (different ids) with the same date and folded title are one story, earliest outlet first."""
    store = make_store(tmp_path)
    late = add_item(store, "Premier Inspects Fertilizer Plant", source="rodong", url="http://rodong.example/1",
                    first_seen_at="2024-05-03T12:00:00+00:00")
    early = add_item(store, "Premier inspects fertilizer plant!", source="naenara", url="http://naenara.example/1",
                     first_seen_at="2024-05-03T07:00:00+00:00")
    [story] = stories(store)
    assert story.item_ids == sorted([late, early])
    assert [o.source for o in story.outlets] == ["naenara", "rodong"]
    assert story.outlets[1].lag == timedelta(hours=5)


def test_same_body_under_other_titles_is_grouped(tmp_path: Path) -> None:
    """Items whose bodies start alike (datelines aside) are one story even with different titles."""
    store = make_store(tmp_path)
    add_item(store, "Premier Inspects Fertilizer Plant", body="Pyongyang, May 3 (KCNA) -- " + TEXT,
             url="http://kcna.example/1", first_seen_at="2024-05-03T08:00:00+00:00")
    add_item(store, "Cabinet Premier Visits Hungnam", source="rodong", body=TEXT + " More text.",
             published="2024-05-04", url="http://rodong.example/7", first_seen_at="2024-05-04T01:00:00+00:00")
    [story] = stories(store)
    assert [o.source for o in story.outlets] == ["kcna", "rodong"]
    assert story.published == "2024-05-03"


def test_same_body_far_apart_or_short_is_not_grouped(tmp_path: Path) -> None:
    """A repeated text seen weeks apart, or a short body, does not make a story."""
    store = make_store(tmp_path)
    add_item(store, "Weather Report", body=TEXT, url="http://kcna.example/1", first_seen_at="2024-05-03T08:00:00+00:00")
    add_item(store, "Weather Bulletin", source="rodong", body=TEXT, published="2024-05-20",
             url="http://rodong.example/1", first_seen_at="2024-05-20T08:00:00+00:00")
    add_item(store, "Short A", body="Rain expected.", url="http://kcna.example/2")
    add_item(store, "Short B", body="Rain expected.", source="rodong", url="http://rodong.example/2")
    assert stories(store) == []
    assert body_fingerprint("Rain expected.") is None
    assert body_fingerprint("Pyongyang, May 3 (KCNA) -- " + TEXT) == body_fingerprint(TEXT)


def test_since_and_limit(tmp_path: Path) -> None:
    """`since` drops older stories and `limit` keeps the newest ones."""
    store = make_store(tmp_path)
    for n, day in enumerate(("2024-05-01", "2024-05-02", "2024-05-03")):
        add_item(store, f"Story {n}", published=day, url=f"http://kcna.example/{n}",
                 first_seen_at=f"{day}T08:00:00+00:00",
                 also=((f"http://watch.example/{n}", "kcnawatch", None, f"{day}T09:00:00+00:00"),))
    assert [s.title for s in stories(store)] == ["Story 2", "Story 1", "Story 0"]
    assert [s.title for s in stories(store, since="2024-05-02")] == ["Story 2", "Story 1"]
    assert [s.title for s in stories(store, limit=1)] == ["Story 2"]


def test_render_and_lag_format(tmp_path: Path) -> None:
    """The rendered table names each outlet with its lag; lags read as days, hours and minutes."""
    store = make_store(tmp_path)
    add_item(store, "Premier Inspects Fertilizer Plant", url="http://kcna.example/1",
             first_seen_at="2024-05-03T08:00:00+00:00",
             also=(("http://watch.example/9", "kcnawatch", "KCNA", "2024-05-04T10:05:00+00:00"),))
    buf = io.StringIO()
    render_stories(stories(store), Console(file=buf, width=100, color_system=None))
    out = buf.getvalue()
    assert "kcnawatch (KCNA)" in out and "+1d 2h 05m" in out and "first" in out
    assert format_lag(timedelta(seconds=42)) == "+42s"
    assert format_lag(timedelta(minutes=7)) == "+07m"
    buf = io.StringIO()
    render_stories([], Console(file=buf))
    assert "No story" in buf.getvalue()
