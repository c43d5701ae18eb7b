"""The KCNA adapter on fixture pages in both layouts (headlines invented, markup as on the site)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"
CAPTURED = datetime(2026, 10, 2, 1, 0, tzinfo=UTC)


def _doc(name: str, path: str = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7",
         fetched_at: datetime = CAPTURED) -> Document:
    return Document(url=BASE + path, content=(FIXTURES / name).read_bytes(), fetched_at=fetched_at)


def test_detail_listing_entries() -> None:
    """Detail-layout listing: exact titles, absolute URLs on the page's host and port, and dates."""
    listing = get_adapter("kcna").parse_listing(_doc("kcna_detail_listing.html"))
    assert listing.layout == "kcna-detail"
    assert listing.warnings == []
    assert listing.entries == [
        Entry(f"{BASE}/en/article/detail/0a1b2c3d4e5f60718293a4b5c6d7e8f9",
              "Respected General Secretary Kim Jong Un Visits Newly Built Seed Potato Institute", date(2026, 9, 8)),
        Entry(f"{BASE}/en/article/detail/1b2c3d4e5f60718293a4b5c6d7e8f90a",
              "Kim Jong Un's Letter Read Out at Meeting of Orchard Workers", date(2026, 9, 7)),
        Entry(f"{BASE}/en/article/detail/2c3d4e5f60718293a4b5c6d7e8f90a1b",
              "Premier Inspects Tideland Reclamation Sites in South Phyongan", date(2026, 9, 7)),
        Entry(f"{BASE}/en/article/detail/3d4e5f60718293a4b5c6d7e8f90a1b2c",
              '"Lighthouse of Friendship" Exhibition Opens in Vientiane', date(2026, 9, 6)),
        Entry(f"{BASE}/en/article/detail/4e5f60718293a4b5c6d7e8f90a1b2c3d",
              "Greetings to General Secretary Kim Jong Un from Coastal Fishermen", date(2026, 10, 1)),
        Entry(f"{BASE}/en/gallery/detail/5f60718293a4b5c6d7e8f90a1b2c3d4e", "Autumn Colours on Mt Kuwol",
              date(2026, 9, 5)),
    ]


def test_detail_listing_ignores_menu_links() -> None:
    """The category menu (/en/article/list/...) never yields entries, so no "Kim Jong Un 's" menu item."""
    listing = get_adapter("kcna").parse_listing(_doc("kcna_detail_listing.html"))
    assert all("/article/list/" not in e.url for e in listing.entries)


def test_detail_article() -> None:
    """Detail article: first non-empty h1, direct paragraphs only, end mark gone, date from the dateline."""
    article = get_adapter("kcna").parse_article(_doc("kcna_detail_article.html", "/en/article/detail/0a1b"))
    assert article.title == "Respected General Secretary Kim Jong Un Visits Newly Built Seed Potato Institute"
    assert article.body.split("\n") == [
        "Pyongyang, September 8 (KCNA) -- The respected General Secretary Kim Jong Un to whom the farmers owe "
        "their new seed stock visited the institute on Sunday.",
        "He looked round the tissue-culture rooms with Kim Jong Un's guidance noted on every wall & praised the "
        "researchers.",
        "The institute will supply seed potatoes to farms across the northern provinces.",
    ]
    assert "Caption" not in article.body
    assert article.published == date(2026, 9, 8)
    assert article.warnings == []


def test_detail_article_dateline_year_steps_back() -> None:
    """The same article captured in January is dated September of the previous year."""
    doc = _doc("kcna_detail_article.html", "/en/article/detail/0a1b", datetime(2027, 1, 5, tzinfo=UTC))
    assert get_adapter("kcna").parse_article(doc).published == date(2026, 9, 8)


def test_q_listing_entries() -> None:
    """q-layout listing: the publish-time span inside the link is not part of the title; Juche dates."""
    listing = get_adapter("kcna").parse_listing(_doc("kcna_q_listing.html", "/en/category/articles/q/1ee9.kcmsf"))
    assert listing.layout == "kcna-q"
    q = f"{BASE}/en/article/q/"
    assert listing.entries == [
        Entry(q + "64e900f5bd0353837ca02d7babcce3ad0f1e2d3c4b5a69788796a5b4c3d2e1f0.kcmsf",
              "Respected Comrade Kim Jong Un Watches Test-fire of New Irrigation Pumps", date(2024, 3, 9)),
        Entry(q + "134a0eb1839cb01381c703e9914418211f2e3d4c5b6a79887a6b5c4d3e2f1a0b.kcmsf",
              "Tideland Farm Harvests Early Barley", date(2024, 8, 4)),
        Entry(q + "7f7ecaf7174ecaf1e8c145bcb264ac042a3b4c5d6e7f8091a2b3c4d5e6f70819.kcmsf",
              'FM Spokesman Slams "Joint Drills" off Peninsula', date(2024, 11, 10)),
        Entry(q + "59b4eb9b3cc6925359ade3537d043ec83b4c5d6e7f8091a2b3c4d5e6f708192a.kcmsf",
              "Ice Sculpture Festival Opens in Samjiyon", date(2025, 1, 5)),
        Entry(f"{BASE}/en/media/photo/q/4c5d6e7f8091a2b3c4d5e6f708192a3b.kcmsf", "Snowfall in Kaesong",
              date(2025, 1, 6)),
    ]


def test_q_article() -> None:
    """q article: title from div.article-main-title, direct <p> of the wrapper, "-0- stripped, publish-time date."""
    article = get_adapter("kcna").parse_article(_doc("kcna_q_article.html", "/en/article/q/64e9.kcmsf"))
    assert article.title == "Respected Comrade Kim Jong Un Watches Test-fire of New Irrigation Pumps"
    assert article.body.split("\n") == [
        "Pyongyang, March 9 (KCNA) -- Respected Comrade Kim Jong Un watched a test-fire of newly built "
        "irrigation pumps on Saturday.",
        "Engineers of the ministry reported on the pumps' capacity of 500 cubic metres per hour.",
        'He expressed satisfaction over the result."',
    ]
    assert article.published == date(2024, 3, 9)


def test_empty_main_is_not_an_empty_list() -> None:
    """KCNA's answer to a POST without a session (`<main></main>`) raises with a reason naming it."""
    doc = Document(url=BASE + "/en/article/list/x", content=b"<html><body><main></main></body></html>")
    with pytest.raises(LayoutNotRecognised, match="empty <main>"):
        get_adapter("kcna").parse_listing(doc)
    with pytest.raises(LayoutNotRecognised, match="empty <main>"):
        get_adapter("kcna").parse_article(doc)


@pytest.mark.parametrize("content", [
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01",
    bytes(range(256)) * 8,
    b"",
    b"   \n ",
])
def test_garbage_raises(content: bytes) -> None:
    """Binary or empty answers are reported as not recognised, never as a page with no news."""
    doc = Document(url=BASE + "/en/article/list/x", content=content)
    with pytest.raises(LayoutNotRecognised):
        get_adapter("kcna").parse_listing(doc)


def test_unknown_layout_and_filter_page() -> None:
    """A page of another layout, or a web filter's block page, raises with a reason."""
    other = Document(url=BASE + "/",
                     content=b"<html><body><div class='news'><a href='/x'>Hello</a></div></body></html>")
    with pytest.raises(LayoutNotRecognised, match="no KCNA layout markers"):
        get_adapter("kcna").parse_listing(other)
    blocked = Document(url=BASE + "/",
                       content=b"<html><head><title>Web Page Blocked</title></head><body></body></html>")
    with pytest.raises(LayoutNotRecognised, match="Web Page Blocked"):
        get_adapter("kcna").parse_listing(blocked)


def test_listing_page_is_not_an_article() -> None:
    """A listing page given to parse_article raises instead of inventing an article."""
    with pytest.raises(LayoutNotRecognised):
        get_adapter("kcna").parse_article(_doc("kcna_detail_listing.html"))


def test_links_resolve_against_any_host() -> None:
    """The same page fetched from another host gives URLs on that host."""
    doc = Document(url="http://www.kcna.kp/en/article/list/a666",
                   content=(FIXTURES / "kcna_detail_listing.html").read_bytes())
    first = get_adapter("kcna").parse_listing(doc).entries[0]
    assert first.url == "http://www.kcna.kp/en/article/detail/0a1b2c3d4e5f60718293a4b5c6d7e8f9"


def test_gallery_detail_title_from_page_title() -> None:
    """A gallery page (no text, no date) takes its title from <title>, as the alt text is truncated at a quote."""
    html = ('<html><head><title>KCNA | "Flowers of Spring" Photo Album Published</title></head><body><main>'
            '<div class="gallery"><div class="slider"><div class="item"><div class="thumbnail-img">'
            '<img class="img-responsive" src="/photo/ab" alt="" Flowers of Spring" Photo Album Published">'
            "</div></div></div></div></main></body></html>")
    article = get_adapter("kcna").parse_article(Document(url=BASE + "/en/gallery/detail/ab", content=html.encode()))
    assert article.title == '"Flowers of Spring" Photo Album Published'
    assert article.body == ""
    assert article.published is None
    assert article.warnings


def test_a_headline_linking_elsewhere_is_still_an_entry() -> None:
    """A headline whose link leaves the site is an entry like the others (the fetch policy, not the parser,
    decides whether it is followed); menu links outside headlines stay out."""
    page = (b'<html><body><main><h5><a href="/en/article/detail/abc">Orchard Grows</a> <span><nobr>[2026.11.20.]'
            b'</nobr></span></h5><h5><a href="http://169.254.169.254/latest">Museum Opens</a> <span><nobr>'
            b'[2026.11.19.]</nobr></span></h5><nav><a href="http://elsewhere.example/">Menu</a></nav></main>'
            b'</body></html>')
    doc = Document("http://127.0.0.1:9/en/article/list/x", page, fetched_at=datetime(2026, 11, 20, tzinfo=UTC))
    listing = get_adapter("kcna").parse_listing(doc)
    assert [(e.title, e.url, e.published) for e in listing.entries] == [
        ("Orchard Grows", "http://127.0.0.1:9/en/article/detail/abc", date(2026, 11, 20)),
        ("Museum Opens", "http://169.254.169.254/latest", date(2026, 11, 19))]
