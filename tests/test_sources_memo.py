"""The listing page memo: reused results, bounded by what each page lists now, never changing a result."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from monitor.models import Document, LayoutNotRecognised
from monitor.runtime.demo import SampleStory, kcna_article, kcna_listing
from monitor.sources import get_adapter, memo

PAGE_URL = "http://www.kcna.kp/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
STORIES = [SampleStory(f"Seed Sowing Done Early on Farm Number {n}", ("Farmers worked hard.",),
                       date(2026, 3, 1) + timedelta(days=n // 4)) for n in range(240)]


@pytest.fixture(autouse=True)
def fresh_memos() -> Iterator[None]:
    """Each test starts and ends with no page remembered."""
    memo.forget()
    yield
    memo.forget()


def _page(start: int, count: int = 15) -> Document:
    return Document(PAGE_URL, kcna_listing(STORIES[start:start + count]).encode("utf-8"))


def _rows(doc: Document) -> list[tuple[str, str, date | None]]:
    return [(e.url, e.title, e.published) for e in get_adapter("kcna", {}).parse_listing(doc).entries]


def test_memo_stays_bounded_as_items_scroll_off() -> None:
    """A page re-read 200 times while one new item a poll pushes the oldest off keeps, in each table, at most
    its bound of remembered values, though 214 distinct items went through it."""
    bound = memo.PER_ENTRY * 15 + memo.SLACK
    largest = 0
    for poll in range(200):
        assert len(_rows(_page(poll))) == 15
        assert memo.remembered()[0] == 1
        page = memo.page_memo(PAGE_URL)
        tables = (page.texts, page.links, page.entries)
        assert all(len(table) <= bound for table in tables)
        largest = max(largest, *(len(table) for table in tables))
    assert largest > 15 * 2  # items of earlier polls are kept for a while, then dropped


def test_results_with_and_without_memo_are_the_same() -> None:
    """The second parse of a page (served from the memo) and a parse after forgetting give the same entries."""
    doc = _page(0)
    first = _rows(doc)
    again = _rows(doc)
    memo.forget()
    assert first == again == _rows(doc)
    assert first[0] == (f"http://www.kcna.kp/en/article/detail/{STORIES[0].hexid()}", STORIES[0].title,
                        STORIES[0].day)


def test_entries_are_reused_from_the_last_parse() -> None:
    """An item still listed at the next poll is handed out as the very same Entry object."""
    adapter = get_adapter("kcna", {})
    before = adapter.parse_listing(_page(0)).entries
    after = adapter.parse_listing(_page(1)).entries
    assert after[0] is before[1]


def test_a_failed_parse_keeps_nothing_of_its_own() -> None:
    """A page that is not a listing raises and leaves the memo of that URL as the last good parse left it."""
    _rows(_page(0))
    _, values = memo.remembered()
    with pytest.raises(LayoutNotRecognised):
        get_adapter("kcna", {}).parse_listing(Document(PAGE_URL, b"<html><body><p>Maintenance</p></body></html>"))
    assert memo.remembered() == (1, values)


def test_article_pages_are_not_remembered() -> None:
    """Parsing article pages (each parsed once) adds no page memo."""
    adapter = get_adapter("kcna", {})
    for story in STORIES[:20]:
        url = f"http://www.kcna.kp/en/article/detail/{story.hexid()}"
        assert adapter.parse_article(Document(url, kcna_article(story).encode("utf-8"))).body
    assert memo.remembered() == (0, 0)


def test_pages_beyond_the_limit_are_dropped_oldest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """With more distinct listing URLs than MAX_PAGES, the least recently parsed ones are forgotten."""
    monkeypatch.setattr(memo, "MAX_PAGES", 3)
    html = kcna_listing(STORIES[:5]).encode("utf-8")
    adapter = get_adapter("kcna", {})
    for n in range(5):
        adapter.parse_listing(Document(f"{PAGE_URL}?page={n}", html))
    assert memo.remembered()[0] == 3
    adapter.parse_listing(Document(f"{PAGE_URL}?page=2", html))  # the oldest kept one, now the newest
    adapter.parse_listing(Document(f"{PAGE_URL}?page=9", html))
    assert memo.remembered()[0] == 3
    assert memo.page_memo(f"{PAGE_URL}?page=2").entries  # kept: parsed recently
