"""The Rodong Sinmun adapter on fixture pages of its three layouts (headlines invented)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
BASE = "http://127.0.0.1:43211"


def _doc(name: str, path: str) -> Document:
    return Document(url=BASE + path, content=(FIXTURES / name).read_bytes())


def test_old_listing_unwraps_javascript_links() -> None:
    """Old layout: `javascript:article_open('index.php?...')` becomes an absolute URL; names, entities, dates."""
    doc = _doc("rodong_old_listing.html", "/en/index.php?strPageID=SF01_01_02&iMenuID=7")
    listing = get_adapter("rodong").parse_listing(doc)
    assert listing.layout == "rodong-old"
    article = f"{BASE}/en/index.php?strPageID=SF01_02_01&newsID="
    assert listing.entries == [
        Entry(article + "2022-04-15-0003", "Orchard Workers Pledge to Raise Apple Yields", date(2022, 4, 15)),
        Entry(article + "2022-04-15-0001",
              "Respected Comrade Kim Jong Un Sends Thanks to Builders of Riverside Terraces", date(2022, 4, 15)),
        Entry(article + "2022-04-14-0002", "Chairman Kim Jong Il’s Love for Mountain Villages", date(2022, 4, 14)),
        Entry(article + "2022-04-14-0005", 'Young People\'s Volunteer Teams Head for Tideland "Front"',
              date(2022, 4, 14)),
    ]
    assert listing.warnings == []


def test_old_article() -> None:
    """Old article: centred <font> title, spacer and image paragraphs and the byline dropped, header date."""
    doc = _doc("rodong_old_article.html", "/en/index.php?strPageID=SF01_02_01&newsID=2022-04-15-0001")
    article = get_adapter("rodong").parse_article(doc)
    assert article.title == "Respected Comrade Kim Jong Un Sends Thanks to Builders of Riverside Terraces"
    assert article.body.split("\n") == [
        "The respected Comrade Kim Jong Un's thanks were conveyed to the builders of the riverside terraces in "
        "Ryongchon County.",
        'The builders said they would turn the river banks into "a sea of orchards" within two years.',
    ]
    assert article.published == date(2022, 4, 15)
    assert article.warnings == []


def test_old_article_date_mismatch_with_url_is_warned() -> None:
    """When the header date and the newsID in the URL disagree, the page wins and a warning says so."""
    doc = _doc("rodong_old_article.html", "/en/index.php?strPageID=SF01_02_01&newsID=2022-04-14-0001")
    article = get_adapter("rodong").parse_article(doc)
    assert article.published == date(2022, 4, 15)
    assert any("differs" in w for w in article.warnings)


def test_2022_listing() -> None:
    """2022-24 layout: `.date_news_list .row`, relative base64 links under /en/, dates `2023.3.13.`."""
    listing = get_adapter("rodong").parse_listing(_doc("rodong_2022_listing.html", "/en/index.php?MkBAMkAxQA=="))
    assert listing.layout == "rodong-2022"
    assert listing.entries == [
        Entry(f"{BASE}/en/index.php?MTJAMjAyMy0wMy0xMy0wMDFAMUAxQEAwQDE=",
              "Respected Comrade Kim Jong Un Inspects Greenhouse Farm under Construction", date(2023, 3, 13)),
        Entry(f"{BASE}/en/index.php?MTJAMjAyMy0wMy0xMi1IMDAzQDFAMkBAMEAx",
              "Spring Sowing of Wheat Begins on West Coast Farms", date(2023, 3, 12)),
    ]


def test_2022_article() -> None:
    """2022-24 article: .news_Title, span.NewsDate, p.ArticleContent; navigation links are not body."""
    doc = _doc("rodong_2022_article.html", "/en/index.php?MTJAMjAyMy0wMy0xMi1IMDAzQDFAMkBAMEAx")
    article = get_adapter("rodong").parse_article(doc)
    assert article.title == "Spring Sowing of Wheat Begins on West Coast Farms"
    assert article.published == date(2023, 3, 12)
    assert article.body.split("\n") == [
        "Farms on the west coast began sowing spring wheat, ten days earlier than last year.",
        "Farmers used seed treated with a new growth stimulant developed at an agricultural university.",
    ]
    assert article.warnings == []


def test_2025_listing() -> None:
    """2025 layout listing inside #RevoListDIV; full-width digits in titles are normalised."""
    listing = get_adapter("rodong").parse_listing(_doc("rodong_2025_listing.html", "/en/index.php?MUBAMUAxQA=="))
    assert listing.layout == "rodong-2025"
    assert listing.entries == [
        Entry(f"{BASE}/en/index.php?MTJAMjAyNi0wMi0xOS0wMDJAMUAxQEAwQDE=",
              "Respected Comrade Kim Jong Un Congratulates Winners of 2026 Science Prize", date(2026, 2, 19)),
        Entry(f"{BASE}/en/index.php?MTJAMjAyNi0wMi0xOC0wMDVAMUAyQEAwQDE=", "Skating Rink Opens in Wonsan",
              date(2026, 2, 18)),
    ]


def test_2025_article() -> None:
    """2025 article: p.TitleP, p.TextP (script ignored), `Feb. 19, 2026 Thursday [Photo]`, full-width digits."""
    doc = _doc("rodong_2025_article.html", "/en/index.php?MTJAMjAyNi0wMi0xOS0wMDJAMUAxQEAwQDE=")
    article = get_adapter("rodong").parse_article(doc)
    assert article.title == "Respected Comrade Kim Jong Un Congratulates Winners of 2026 Science Prize"
    assert article.published == date(2026, 2, 19)
    assert article.body == ("The winners of the 2026 science prize received a message of congratulations.\n"
                            "Some 80 researchers from 26 institutes were among them.")
    assert article.warnings == []


def test_2025_article_sept_and_revo_title() -> None:
    """A leader item (.RevoTitleP) dated `Sept. 3, 2025 Wednesday ` (four-letter month)."""
    article = get_adapter("rodong").parse_article(_doc("rodong_2025_article_sept.html", "/en/index.php?x"))
    assert article.title == "Chestnut Harvest Starts in Mountain Counties"
    assert article.published == date(2025, 9, 3)


def test_date_from_url() -> None:
    """The date carried by old newsIDs and by the base64 article keys (serial may hold a letter)."""
    get_adapter("rodong")  # load the registry before importing an adapter module directly
    from monitor.sources.rodong import date_from_url

    assert date_from_url("http://h/en/index.php?strPageID=SF01_02_01&newsID=2022-02-11-0004") == date(2022, 2, 11)
    assert date_from_url("http://h/en/index.php?MTJAMjAyNC0wOC0wMS1IMDAzQDE1QDFAQDBAMQ==") == date(2024, 8, 1)
    assert date_from_url("http://h/en/index.php?MkBAMkAxQA==") is None
    assert date_from_url("http://h/en/") is None


def test_unknown_address_page() -> None:
    """Rodong's page for an unknown newsID (`알수 없는 주소`) raises with that reason."""
    doc = Document(url=BASE + "/en/index.php?strPageID=SF01_02_01&newsID=2099-01-01-0001",
                   content="<html><body><h1>알수 없는 주소</h1></body></html>".encode())
    with pytest.raises(LayoutNotRecognised, match="unknown address"):
        get_adapter("rodong").parse_article(doc)


def test_unrecognised_pages() -> None:
    """Empty main, garbage and foreign layouts raise LayoutNotRecognised for listings and articles."""
    for content in (b"<html><body><main></main></body></html>", b"\x00\x01\x02garbage", b"<p>hello</p>"):
        doc = Document(url=BASE + "/en/", content=content)
        with pytest.raises(LayoutNotRecognised):
            get_adapter("rodong").parse_listing(doc)
        with pytest.raises(LayoutNotRecognised):
            get_adapter("rodong").parse_article(doc)
