"""The shared adapter helpers that make listings cheap: shared selector engine, caches, fast Entry, batched picks."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.models import Document
from monitor.sources import get_adapter
from monitor.sources.common import matches, resolver, select, select_first
from monitor.sources.css import _pick, _Picks
from monitor.sources.text import node_text

PAGE = """<!DOCTYPE html><html><head><title>Digest</title></head><body>
<ul class="news">
 <li class="story"><a class="headline" href="/s/1">Potato Harvest Begins</a><span class="when">1 June 2025</span></li>
 <li class="story"><span class="when">2 June 2025</span></li>
 <li class="story outer"><a class="headline" href="/s/3">Ferry Returns</a>
   <ul><li class="story inner"><span class="when">3 June 2025</span></li></ul></li>
 <li class="story"><a class="headline story" href="/s/4">Bridge Opens</a></li>
</ul><p><a class="headline" href="/s/5">Outside Any Story</a></p></body></html>"""


@pytest.mark.parametrize("query", ["li.story", "a.headline", "ul.news a", "li.story, a.headline", "span", "h1"])
def test_select_agrees_with_css(query: str) -> None:
    """select/select_first/matches give what the parser's own css/css_first/css_matches give, scoped or not."""
    parser = LexborHTMLParser(PAGE)
    assert [n.mem_id for n in select(parser, query)] == [n.mem_id for n in parser.css(query)]
    first, own = select_first(parser, query), parser.css_first(query)
    assert (first.mem_id if first is not None else None) == (own.mem_id if own is not None else None)
    for item in parser.css("li"):
        assert [n.mem_id for n in select(item, query)] == [n.mem_id for n in item.css(query)]
        assert matches(item, query) == item.css_matches(query)


def test_select_in_threads() -> None:
    """Each thread gets its own selector engine, so concurrent queries give complete, correct answers."""
    expected = [n.attributes["href"] for n in LexborHTMLParser(PAGE).css("a.headline")]
    errors: list[str] = []

    def work() -> None:
        for _ in range(200):
            found = [n.attributes["href"] for n in select(LexborHTMLParser(PAGE), "a.headline")]
            if found != expected:
                errors.append(repr(found))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


@pytest.mark.parametrize(("href", "url"), [
    ("/en/a", "http://www.kcna.kp/en/a"), ("b/c", "http://www.kcna.kp/en/article/list/b/c"),
    ("?page=2", "http://www.kcna.kp/en/article/list/abc?page=2"), ("#top", None), ("javascript:void(0)", None),
    (" /x ", "http://www.kcna.kp/x"), ("//h.kp/y", "http://h.kp/y"), ("../up", "http://www.kcna.kp/en/article/up"),
    ("HTTPS://Other.kp/z", "HTTPS://Other.kp/z"), ("mailto:a@b", None), ("", None),
    ("/en/./a/../b?q=1#f", "http://www.kcna.kp/en/b?q=1#f"), ("/x?y=/z", "http://www.kcna.kp/x?y=/z")])
def test_resolver_makes_links_absolute(href: str, url: str | None) -> None:
    """Links resolve against the page URL; fragments, javascript and mailto links are not links to follow."""
    assert resolver("http://www.kcna.kp/en/article/list/abc?x=1")(href) == url


def test_node_text_keeps_name_spacing() -> None:
    """A name in its own tag is spaced from the words around it; words that touch in the text itself stay so."""
    parser = LexborHTMLParser("<a>Greetings to General Secretary<nobr>Kim Jong Un</nobr>from Fishermen</a>"
                              "<b>Greetings to General SecretaryKim Jong Unfrom Fishermen</b>")
    a, b = parser.css_first("a"), parser.css_first("b")
    assert node_text(a) == "Greetings to General Secretary Kim Jong Un from Fishermen"
    assert node_text(b) == "Greetings to General SecretaryKim Jong Unfrom Fishermen"


@pytest.mark.parametrize("selector", ["a.headline", ".when", "li.story", "a", "a.headline, .when", "h1"])
def test_picks_agree_with_per_item_pick(selector: str) -> None:
    """The batched first-match-per-item gives what a query per item gives, with nested and self-matching items."""
    parser = LexborHTMLParser(PAGE)
    items = select(parser, "li.story")
    counts: dict[int, int] = {}
    for item in items:
        counts[item.mem_id] = counts.get(item.mem_id, 0) + 1
    picks = _Picks(parser, counts, "li.story", selector)

    def ident(node: Any) -> int | None:
        return node.mem_id if node is not None else None

    assert [ident(picks(item)) for item in items] == [ident(_pick(item, selector)) for item in items]


def test_css_listing_with_nested_and_self_matching_items() -> None:
    """Nested items and an item that is its own title/link still give one entry per linked item."""
    doc = Document("http://digest.kp/news/", PAGE.encode())
    options = {"item": "li.story", "title": "a.headline", "date": ".when", "date_format": "%d %B %Y"}
    listing = get_adapter("css", options).parse_listing(doc)
    assert [(e.url, e.title, e.published) for e in listing.entries] == [
        ("http://digest.kp/s/1", "Potato Harvest Begins", date(2025, 6, 1)),
        ("http://digest.kp/s/3", "Ferry Returns", date(2025, 6, 3)),
        ("http://digest.kp/s/4", "Bridge Opens", None),
    ]
    same = get_adapter("css", {"item": "a.headline", "title": "a.headline"}).parse_listing(doc)
    assert [e.title for e in same.entries] == ["Potato Harvest Begins", "Ferry Returns", "Bridge Opens",
                                               "Outside Any Story"]
