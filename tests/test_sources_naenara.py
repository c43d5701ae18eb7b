"""The Naenara adapter, on the markup of the real Korean first page: items by `fname`, dated by `artdate`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.models import Document, LayoutNotRecognised
from monitor.runtime.runner import close_context, open_context
from monitor.sources import adapter_kind, get_adapter
from monitor.sources.check import check_document
from tests.conftest import write_config
from tests.sitekit import LocalSite

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
PAGE = "http://127.0.0.1:43211/main/index/ko/first"


def listing() -> list[tuple[str, str, date | None]]:
    doc = Document(url=PAGE, content=(FIXTURES / "naenara_first_ko.html").read_bytes())
    parsed = get_adapter("naenara").parse_listing(doc)
    assert parsed.layout == "naenara-first"
    return [(e.url, e.title, e.published) for e in parsed.entries]


def test_items_are_identified_by_fname_on_the_listing_url() -> None:
    """Each p.newsArticle / li.viewArticle / a.vid_play with an fname is one entry whose URL is `PAGE#fname`."""
    urls = [url for url, _, _ in listing()]
    assert urls == [f"{PAGE}#kkk26021601", f"{PAGE}#aaa26021602", f"{PAGE}#k26021503", f"{PAGE}#aaa26021404",
                    f"{PAGE}#v26021301"]


def test_title_is_the_element_text_without_the_date_and_never_the_value_attribute() -> None:
    """The title is the element's own text (leader names in <nobr> kept), the `[date]` span and `value` left out."""
    titles = {url.rsplit("#", 1)[1]: title for url, title, _ in listing()}
    assert titles["kkk26021601"] == "김정은동지께서 새로 건설된 온실농장을 현지지도하시였다"
    assert titles["aaa26021602"] == "평양의 새 거리에 봄빛이 비낀다"
    assert all("[" not in t and "datec" not in t for t in titles.values())


def test_dates_from_artdate_else_the_trailing_label() -> None:
    """`artdate` gives the date; an item without it is dated by its `[YYYY-MM-DD]` label."""
    days = {url.rsplit("#", 1)[1]: day for url, _, day in listing()}
    assert days["kkk26021601"] == date(2026, 2, 16)
    assert days["k26021503"] == date(2026, 2, 15)
    assert days["aaa26021404"] == date(2026, 2, 14)


def test_an_item_without_fname_is_skipped_with_a_warning() -> None:
    """An item element with an empty fname is not an entry, and the listing says so."""
    doc = Document(url=PAGE, content=(FIXTURES / "naenara_first_ko.html").read_bytes())
    parsed = get_adapter("naenara").parse_listing(doc)
    assert not any("이름표" in e.title for e in parsed.entries)
    assert any("no usable fname" in w for w in parsed.warnings)


def test_the_old_guess_markup_is_not_recognised() -> None:
    """A page without item elements (the old `.content .title a` guess included) is a layout not recognised."""
    html = b"<html><body><div class='content'><div class='title'><a href='/main/detail/1'>x</a></div></div></body>"
    with pytest.raises(LayoutNotRecognised, match="fname"):
        get_adapter("naenara").parse_listing(Document(url=PAGE, content=html))


def test_articles_are_not_available_and_check_says_so() -> None:
    """The registry marks Naenara as having no article pages, and `check` says article fetching is unavailable."""
    assert adapter_kind("naenara").articles is False
    with pytest.raises(LayoutNotRecognised, match="not available"):
        get_adapter("naenara").parse_article(Document(url=PAGE, content=b"<html><body><p>x</p></body></html>"))
    report = check_document("naenara", Document(url=PAGE, content=(FIXTURES / "naenara_first_ko.html").read_bytes()))
    assert report.kind == "listing" and len(report.entries) == 5
    assert any("article fetching is not available" in w for w in report.warnings)


def test_a_naenara_source_stores_each_item_once_and_fetches_no_article(tmp_path: Path, site: LocalSite) -> None:
    """Items sharing the listing URL stay apart by their `#fname`; a second run adds nothing; no article is asked."""
    site.put("/main/index/ko/first", (FIXTURES / "naenara_first_ko.html").read_bytes())
    cfg = write_config(tmp_path / "m.toml", [{"name": "naenara-ko", "adapter": "naenara",
                                              "url": site.base + "/main/index/ko/first", "fetch_articles": True}])
    ctx = open_context(load_settings(cfg))
    try:
        first = run_source(ctx, ctx.settings.sources[0])
        again = run_source(ctx, ctx.settings.sources[0])
        urls = [r["url"] for r in ctx.store.query("SELECT url FROM items ORDER BY id")]
    finally:
        close_context(ctx)
    assert (first.status, first.new_items, again.new_items) == ("ok", 5, 0)
    assert urls[0] == site.base + "/main/index/ko/first#kkk26021601" and len(set(urls)) == 5
    assert [r.path for r in site.requests] == ["/main/index/ko/first"] * 2
