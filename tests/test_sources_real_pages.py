"""Adapters on real captured pages (tests/fixtures/real, copied from ../shared/reference/real-pages)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from monitor.models import Document
from monitor.sources import get_adapter
from monitor.sources.dates import parse_dateline
from monitor.sources.text import strip_end_mark

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
RODONG = "http://www.rodong.rep.kp/en/index.php"


def _read(name: str) -> bytes:
    return (REAL / name).read_bytes()


def test_rodong_old_listing_1() -> None:
    """The Feb 2022 home listing: 40 rows, javascript links unwrapped, names in <nobr> spaced, &#039; decoded."""
    listing = get_adapter("rodong").parse_listing(
        Document(url=RODONG + "?strPageID=SF01_01_02&iMenuID=1", content=_read("rodong-old-listing-1.html")))
    assert listing.layout == "rodong-old"
    assert listing.warnings == []
    assert len(listing.entries) == 40
    first = listing.entries[0]
    assert first.url == RODONG + "?strPageID=SF01_02_01&newsID=2022-02-11-0008"
    assert first.title == "2nd Grand Workshop for Officials in Construction Sector Continues"
    assert first.published == date(2022, 2, 11)
    titles = [e.title for e in listing.entries]
    assert "National Symposium on Exploits of Chairman Kim Jong Il Held in DPRK" in titles
    assert "National Art Exhibition Commemorates Birthday of Chairman Kim Jong Il" in titles
    assert "National Youth and Children's Festival of Loyalty Opens" in titles
    assert "Chairman Kim Jong Il’s Care for Pyongyang Cold Noodle" in titles
    assert "Respected Comrade Kim Jong Un Receives Congratulations from Military Attaches Corps" in titles
    last = listing.entries[-1]
    assert (last.title, last.published) == ("Paektusan Prize Sports Games Opens in DPRK", date(2022, 2, 5))
    assert {e.published for e in listing.entries} == {date(2022, 2, d) for d in range(5, 12)}


def test_rodong_old_listing_2() -> None:
    """The Mar 2022 In-DPRK listing: 40 rows dated 2022-03-03 .. 2022-03-11, each URL carrying its date."""
    listing = get_adapter("rodong").parse_listing(
        Document(url=RODONG + "?strPageID=SF01_01_02&iMenuID=2", content=_read("rodong-old-listing-2.html")))
    assert len(listing.entries) == 40
    assert listing.entries[0].title == "Design He Instructed in Person Nine Times"
    assert listing.entries[0].published == date(2022, 3, 11)
    for e in listing.entries:
        assert e.published is not None and f"newsID={e.published.isoformat()}-" in e.url


def test_rodong_old_article_1() -> None:
    """Article of 2022-02-11: title, 20 text paragraphs, no byline, names with their possessives."""
    article = get_adapter("rodong").parse_article(
        Document(url=RODONG + "?strPageID=SF01_02_01&newsID=2022-02-11-0008",
                 content=_read("rodong-old-article-1.html")))
    assert article.title == "2nd Grand Workshop for Officials in Construction Sector Continues"
    assert article.published == date(2022, 2, 11)
    paras = article.body.split("\n")
    assert len(paras) == 20
    assert paras[0] == "The 2nd grand workshop for officials in the construction sector continues."
    assert paras[-1] == "The participants in the 2nd grand workshop entered into technical course."
    assert "the respected Comrade Kim Jong Un's letter \"Let Us Lead" in paras[2]
    assert "Rodong Sinmun" not in paras
    assert article.warnings == []


def test_rodong_old_article_2() -> None:
    """Article of 2022-03-10 (header `Mar. 10, Juche 111 (2022) Thursday`): 11 paragraphs."""
    article = get_adapter("rodong").parse_article(
        Document(url=RODONG + "?strPageID=SF01_02_01&newsID=2022-03-10-0002",
                 content=_read("rodong-old-article-2.html")))
    assert article.title == "March 8 International Women's Day Marked in DPRK"
    assert article.published == date(2022, 3, 10)
    paras = article.body.split("\n")
    assert len(paras) == 11
    assert "President Kim Il Sung and Chairman Kim Jong Il lie in state" in paras[1]
    assert paras[-1] == "Women were greatly pleased to receive gifts and flowers from their husbands and children."


def test_kcna_headline_sample_datelines_and_end_marks() -> None:
    """On real KCNA story texts: the dateline's inferred date is the listing date or a few days before it
    (the year comes from the capture date); the -0- end mark (also after a no-break space) strips."""
    # this sample shares headlines with the labelled corpus, so it is read from ../shared, not copied here
    shared = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "real-pages"
    path = shared / "kcna-q-headlines-sample-2024.json"
    if not path.is_file():
        pytest.skip(f"{path} is absent")
    records = json.loads(path.read_bytes())
    checked = 0
    for rec in records:
        text = rec.get("story_text") or ""
        if not text:
            continue
        captured = datetime.combine(date.fromisoformat(rec["date_str"]), time(12), tzinfo=UTC)
        found = parse_dateline(text.split("\n", 1)[0], captured)
        if found is not None:
            listed = date.fromisoformat(rec["date_str"])
            assert 0 <= (listed - found).days <= 7, rec["headline"]
            checked += found == listed
        assert not strip_end_mark(text).endswith("-0-"), rec["headline"]
    assert checked >= 15
