"""The generic `css` adapter configured by selectors only."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"
OPTIONS: dict[str, Any] = {
    "item": "li.story", "title": "a.headline", "link": "a.headline", "date": ".when", "teaser": "p.lead",
    "date_format": "%d %B %Y", "article_title": "h2.story-title", "article_body": ".story-body",
    "article_date": "time",
}


def _doc(name: str, path: str = "/en/digest/index.html") -> Document:
    return Document(url=BASE + path, content=(FIXTURES / name).read_bytes())


def test_listing_by_selectors() -> None:
    """Items give title, absolute link (root- and page-relative), date by date_format, teaser; bad items warn."""
    listing = get_adapter("css", OPTIONS).parse_listing(_doc("css_listing.html"))
    assert listing.layout == "css"
    assert listing.entries == [
        Entry(f"{BASE}/stories/2025/06/harvest-of-early-potatoes", "Harvest of Early Potatoes Begins",
              date(2025, 6, 14), "Farms in the south-west began lifting early potatoes this week."),
        Entry(f"{BASE}/en/digest/stories/2025/06/ferry-route-reopens", "Ferry Route to Islands Reopens",
              date(2025, 6, 13), "The ferry to the western islands sails again after repairs."),
    ]
    assert len(listing.warnings) == 1


def test_item_can_be_the_link() -> None:
    """When `item` is the link itself, title and link selectors may match the item."""
    options = {"item": "a.headline", "title": "a.headline", "link": "a.headline"}
    listing = get_adapter("css", options).parse_listing(_doc("css_listing.html"))
    assert [e.title for e in listing.entries] == ["Harvest of Early Potatoes Begins", "Ferry Route to Islands Reopens"]
    assert all(e.published is None for e in listing.entries)


def test_date_without_format_uses_known_formats() -> None:
    """Without date_format the site formats are tried ("14 June 2025" is not one, so a format is needed)."""
    options = {k: v for k, v in OPTIONS.items() if k != "date_format"}
    listing = get_adapter("css", options).parse_listing(_doc("css_listing.html"))
    assert [e.published for e in listing.entries] == [None, None]
    html = b"<ul><li><a href='/a'>One</a> <i>Sept. 3, 2025</i></li></ul>"
    one = get_adapter("css", {"item": "li", "title": "a", "date": "i"}).parse_listing(
        Document(url=BASE + "/", content=html))
    assert one.entries[0].published == date(2025, 9, 3)


def test_article_by_selectors() -> None:
    """article_title, article_body (its <p>, end mark stripped) and article_date."""
    article = get_adapter("css", OPTIONS).parse_article(_doc("css_article.html", "/stories/2025/06/x"))
    assert article.title == "Harvest of Early Potatoes Begins"
    assert article.body == ("Farms in the south-west began lifting early potatoes this week.\n"
                            "Yields are higher than last year.")
    assert article.published == date(2025, 6, 14)


def test_item_matching_nothing_raises() -> None:
    """A redesign that removes the items raises LayoutNotRecognised naming the selector."""
    with pytest.raises(LayoutNotRecognised, match=r"li\.story"):
        get_adapter("css", OPTIONS).parse_listing(_doc("css_article.html"))


def test_options_are_validated() -> None:
    """Missing `item`/`title` or unknown keys are refused when the adapter is built."""
    with pytest.raises(ValueError, match="item"):
        get_adapter("css", {"title": "a"})
    with pytest.raises(ValueError, match="unknown option"):
        get_adapter("css", {"item": "li", "title": "a", "colour": "red"})


def test_none_options_mean_defaults() -> None:
    """Options dumped from the config carry None for unset keys; they fall back to defaults."""
    options = {**OPTIONS, "teaser": None, "date": None, "date_format": None}
    listing = get_adapter("css", options).parse_listing(_doc("css_listing.html"))
    assert [(e.published, e.teaser) for e in listing.entries] == [(None, None), (None, None)]
