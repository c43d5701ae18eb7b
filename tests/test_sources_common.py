"""The shared adapter helpers that make listings cheap: shared selector engine, caches, fast Entry, batched picks."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.models import Document, Entry
from monitor.sources import get_adapter
from monitor.sources.common import Resolver, matches, new_entry, resolver, select, select_first
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


def test_new_entry_equals_entry() -> None:
    """new_entry builds an Entry equal (and hashing equal) to the dataclass constructor's, with every field."""
    made = new_entry("http://x.kp/a", "Title", date(2026, 1, 2), "teaser", "KCNA")
    plain = Entry(url="http://x.kp/a", title="Title", published=date(2026, 1, 2), teaser="teaser", outlet="KCNA")
    assert made == plain and hash(made) == hash(plain) and repr(made) == repr(plain)
    assert new_entry("http://x.kp/b", "T") == Entry(url="http://x.kp/b", title="T")
    with pytest.raises(AttributeError):
        made.title = "changed"  # type: ignore[misc]


@pytest.mark.parametrize("href", ["/en/a", "b/c", "?page=2", "#top", "javascript:void(0)", " /x ", "//h.kp/y",
                                  "../up", "HTTPS://Other.kp/z", "mailto:a@b", "ftp://f.kp/q", ""])
def test_resolver_cache_is_transparent(href: str) -> None:
    """A resolved link is the same the first time (computed) and the next time (remembered)."""
    resolve = Resolver("http://www.kcna.kp/en/article/list/abc?x=1", {})
    first = resolve(href)
    assert resolve(href) == first
    assert Resolver("http://www.kcna.kp/en/article/list/abc?x=1", {})(href) == first
    assert resolver("http://www.kcna.kp/en/article/list/abc?x=1")(href) == first


def test_node_text_cache_keeps_name_spacing() -> None:
    """Texts whose words touch across a name tag are rebuilt every time, never served from the text cache."""
    parser = LexborHTMLParser("<a>Greetings to General Secretary<nobr>Kim Jong Un</nobr>from Fishermen</a>"
                              "<b>Greetings to General SecretaryKim Jong Unfrom Fishermen</b>")
    a, b = parser.css_first("a"), parser.css_first("b")
    memo: dict[str, str] = {}
    for _ in range(2):
        assert node_text(a, memo=memo) == "Greetings to General Secretary Kim Jong Un from Fishermen"
        assert node_text(b, memo=memo) == "Greetings to General SecretaryKim Jong Unfrom Fishermen"
    assert list(memo.values()) == ["Greetings to General SecretaryKim Jong Unfrom Fishermen"]


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
