"""The KCNA Watch adapter: per-source listings, "More From" blocks, AJAX blocks, KCTV archive, articles."""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"


def _doc(name: str, path: str = "/article/156/") -> Document:
    return Document(url=BASE + path, content=(FIXTURES / name).read_bytes())


def test_per_source_listing() -> None:
    """`div#latest_article_wrapper` cards: title, absolute URL, ` January 1, 2026` date, teaser, outlet."""
    listing = get_adapter("kcnawatch").parse_listing(_doc("kcnawatch_listing.html"))
    assert listing.layout == "kcnawatch-listing"
    assert listing.entries == [
        Entry(f"{BASE}/newstream/1735279201-40021/kim-jong-un-s-new-year-address-broadcast/",
              "Kim Jong Un’s New Year Address Broadcast", date(2026, 1, 1),
              "The New Year address of the respected Comrade Kim Jong Un was broadcast on radio and television "
              "across the", "KCNA"),
        Entry(f"{BASE}/newstream/1735192801-40017/delegation-of-vietnamese-youth-arrives/",
              "Delegation of Vietnamese Youth Arrives", date(2025, 12, 27),
              "A delegation of the Ho Chi Minh Communist Youth Union arrived in Pyongyang on Saturday & was greeted "
              "at the airport.", "KCNA"),
        Entry("https://kcnawatch.org/newstream/1735106401-40013/%eb%a1%9c%eb%8f%99%ec%8b%a0%eb%ac%b8-%ec%82%ac%eb%a1%a0/",
              "Winter Fishing Season Opens", date(2025, 12, 26),
              "Fishermen on the east coast put to sea for the winter season.", "KCNA"),
    ]


def test_more_from_block_yields_all_19_entries() -> None:
    """The "More From Naenara (En)" block under an article gives its 19 items with their dates and outlet."""
    listing = get_adapter("kcnawatch").parse_listing(_doc("kcnawatch_article_more_from.html", "/newstream/1/x/"))
    assert listing.layout == "kcnawatch-more-from"
    assert len(listing.entries) == 19
    assert listing.warnings == []
    assert Counter(e.published for e in listing.entries) == {
        date(2025, 12, 27): 4, date(2025, 12, 26): 6, date(2025, 12, 25): 6, date(2025, 12, 24): 3}
    assert {e.outlet for e in listing.entries} == {"Naenara (En)"}
    assert len({e.url for e in listing.entries}) == 19
    first, fifth, last = listing.entries[0], listing.entries[4], listing.entries[-1]
    assert first == Entry(
        "https://kcnawatch.org/newstream/1766700000-800000/county-libraries-extend-evening-hours/",
        "County Libraries Extend Evening Hours", date(2025, 12, 27),
        "Libraries in every county now stay open until late evening so that shift workers can study after",
        "Naenara (En)")
    assert fifth.title == "Respected Comrade Kim Jong Un Sends Greetings to Veteran Miners"
    assert last.title == "A Quieter Electric Tram Developed"
    assert last.published == date(2025, 12, 24)


def test_article_with_meta_line() -> None:
    """Article: h1 title, div.article-content body, `Date: 14/04/2024 | Source: Naenara (En)` day-first date."""
    article = get_adapter("kcnawatch").parse_article(_doc("kcnawatch_article_more_from.html", "/newstream/1/x/"))
    assert article.title == "Vice-Premier Receives Visiting Delegation of Lao Farmers"
    assert article.published == date(2024, 4, 14)
    assert article.outlet == "Naenara (En)"
    assert article.body.split("\n") == [
        "A vice-premier of the Cabinet received a visiting delegation of farmers of the Lao People’s Democratic "
        "Republic on April 12.",
        "They had a friendly talk on exchanging experience in growing rice on sloping land.",
        "KCNA",
    ]
    assert "County Libraries" not in article.body
    assert article.warnings == []


def test_meta_line_without_class() -> None:
    """The Date/Source line is found as text even when it has no known class."""
    html = ("<html><body><h1>Rodong Editorial on Sowing</h1><p>Date: 02/05/2025 | Source: Rodong Sinmun | "
            "<a href='http://rodong.rep.kp/'>Read original version at source</a></p>"
            "<div class='article-content'><p>Text of the editorial.</p></div></body></html>")
    article = get_adapter("kcnawatch").parse_article(Document(url=BASE + "/newstream/2/y/", content=html.encode()))
    assert (article.title, article.published, article.outlet) == (
        "Rodong Editorial on Sowing", date(2025, 5, 2), "Rodong Sinmun")


def test_ajax_blocks() -> None:
    """AJAX `get_cat_by_source` blocks: first link, `.articled-date > span` date, teaser."""
    listing = get_adapter("kcnawatch").parse_listing(
        _doc("kcnawatch_ajax.html", "/wp-admin/admin-ajax.php?action=get_cat_by_source&from=0&to=10&id=189661"))
    assert listing.layout == "kcnawatch-ajax"
    assert [(e.title, e.published, e.url) for e in listing.entries] == [
        ("Editorial on Winter Sowing", date(2025, 12, 18),
         "https://kcnawatch.org/newstream/1766012345-90011/editorial-on-winter-sowing/"),
        ("Letters from Front-line Villages", date(2025, 12, 17),
         "https://kcnawatch.org/newstream/1766012399-90012/letters-from-front-line-villages/"),
    ]


def test_kctv_archive() -> None:
    """KCTV archive: the link text `Friday September 11, 2026` is both title and date."""
    listing = get_adapter("kcnawatch").parse_listing(_doc("kcnawatch_kctv.html", "/kctv-archive/"))
    assert listing.layout == "kcnawatch-kctv"
    assert [(e.url, e.published, e.outlet) for e in listing.entries] == [
        (f"{BASE}/kctv-archive/6aa409684b9ac", date(2026, 9, 11), "KCTV"),
        (f"{BASE}/kctv-archive/6aa3fc2e51d07", date(2026, 9, 10), "KCTV"),
    ]


def test_known_outlet() -> None:
    """Outlet labels are kept when they name a DPRK outlet, with their edition suffix."""
    get_adapter("kcnawatch")
    from monitor.sources.kcnawatch import known_outlet

    assert known_outlet("Naenara (En)") == "Naenara (En)"
    assert known_outlet(" Voice of Korea ") == "Voice of Korea"
    assert known_outlet("Sports") is None


def test_unrecognised() -> None:
    """Pages without KCNA Watch markers raise for listings and articles alike."""
    doc = Document(url=BASE + "/", content=b"<html><body><main></main></body></html>")
    with pytest.raises(LayoutNotRecognised, match="KCNA Watch"):
        get_adapter("kcnawatch").parse_listing(doc)
    with pytest.raises(LayoutNotRecognised, match="KCNA Watch"):
        get_adapter("kcnawatch").parse_article(doc)
