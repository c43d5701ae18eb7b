"""The Naenara adapter: the one known selector, and a clear failure otherwise."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"


def test_first_page_links() -> None:
    """`.content .title a` links become entries with absolute URLs and their block's date."""
    doc = Document(url=BASE + "/main/index/en/first", content=(FIXTURES / "naenara_first.html").read_bytes())
    listing = get_adapter("naenara").parse_listing(doc)
    assert listing.layout == "naenara-first"
    assert listing.entries == [
        Entry(f"{BASE}/main/detail/21347?lang=en", "Mineral Water from Mt Myohyang Wins Praise", date(2025, 12, 20),
              outlet="Naenara"),
        Entry(f"{BASE}/main/detail/21346?lang=en", "Tourists Enjoy Winter on Mt Paektu", date(2025, 12, 19),
              outlet="Naenara"),
    ]


def test_article_under_content() -> None:
    """An article page with `.content` gives its title and paragraphs."""
    html = ("<html><body><div class='content'><div class='title'>Mineral Water from Mt Myohyang Wins Praise</div>"
            "<div class='date'>2025.12.20</div><p>The water is bottled at the foot of the mountain.</p>"
            "</div></body></html>")
    article = get_adapter("naenara").parse_article(Document(url=BASE + "/main/detail/21347", content=html.encode()))
    assert (article.title, article.body, article.published) == (
        "Mineral Water from Mt Myohyang Wins Praise", "The water is bottled at the foot of the mountain.",
        date(2025, 12, 20))


def test_unknown_markup_raises() -> None:
    """Without the known markers the adapter says the layout is not recognised."""
    doc = Document(url=BASE + "/", content=b"<html><body><div class='news'><a href='/a'>x</a></div></body></html>")
    with pytest.raises(LayoutNotRecognised, match="Naenara listing"):
        get_adapter("naenara").parse_listing(doc)
    with pytest.raises(LayoutNotRecognised, match="Naenara article"):
        get_adapter("naenara").parse_article(doc)
