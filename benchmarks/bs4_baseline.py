"""The same listing extraction as the adapters, written with BeautifulSoup (html.parser): the baseline.

Text cleaning, date parsing and link resolution use the project's own helpers so that only the HTML
engine and the tree walking differ from the adapters.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from bs4 import BeautifulSoup, Tag

from monitor.sources.common import resolver
from monitor.sources.dates import parse_dotted, parse_named
from monitor.sources.text import clean_text

Row = tuple[str, str, date | None]


def _soup(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "html.parser")


def _href(tag: Tag) -> str | None:
    value = tag.get("href")
    return value if isinstance(value, str) else None


def kcna_detail(text: str, base: str) -> list[Row]:
    """KCNA detail layout: `main h5 > a` and the date `<nobr>` beside it."""
    resolve = resolver(base)
    rows: list[Row] = []
    for a in _soup(text).select('main a[href*="/article/detail/"]'):
        url = resolve(_href(a))
        stamp = a.parent.select_one("span nobr") if a.parent is not None else None
        if url:
            rows.append((url, clean_text(a.get_text()), parse_dotted(stamp.get_text()) if stamp else None))
    return rows


def kcna_q(text: str, base: str) -> list[Row]:
    """KCNA q layout: `ul.article-link a` whose `span.publish-time` is inside the link."""
    resolve = resolver(base)
    rows: list[Row] = []
    for a in _soup(text).select("ul.article-link a[href]"):
        stamp = a.select_one("span.publish-time")
        published = None
        if stamp is not None:
            published = parse_dotted(stamp.get_text())
            stamp.extract()
        url = resolve(_href(a))
        if url:
            rows.append((url, clean_text(a.get_text()), published))
    return rows


def rodong_old(text: str, base: str) -> list[Row]:
    """Rodong old layout: rows of `div.ListNewsLineContainer`, links wrapped in `javascript:article_open('...')`."""
    resolve = resolver(base)
    rows: list[Row] = []
    for row in _soup(text).select("div.ListNewsLineContainer"):
        a = row.select_one(".ListNewsLineTitleW a[href]")
        stamp = row.select_one(".ListNewsLineDate")
        if a is None:
            continue
        href = _href(a) or ""
        if href.startswith("javascript:"):
            href = href[href.find("(") + 1:].rstrip(";").rstrip(")").strip("'\"")
        url = resolve(href)
        if url:
            rows.append((url, clean_text(a.get_text()), parse_dotted(stamp.get_text()) if stamp else None))
    return rows


def kcnawatch(text: str, base: str) -> list[Row]:
    """KCNA Watch per-source listing: cards in `#latest_article_wrapper` with `h4 > a` and `p.articled-date`."""
    resolve = resolver(base)
    rows: list[Row] = []
    for card in _soup(text).select("#latest_article_wrapper article"):
        a = card.select_one("h4 > a[href]")
        stamp = card.select_one("p.articled-date")
        url = resolve(_href(a)) if a is not None else None
        if a is not None and url:
            rows.append((url, clean_text(a.get_text()), parse_named(stamp.get_text()) if stamp else None))
    return rows


def css_generic(options: Mapping[str, Any]) -> Callable[[str, str], list[Row]]:
    """The generic css adapter's extraction for `options` (item, title, link, date, date_format)."""

    def extract(text: str, base: str) -> list[Row]:
        resolve = resolver(base)
        rows: list[Row] = []
        for item in _soup(text).select(options["item"]):
            t = item.select_one(options["title"])
            a = item.select_one(options.get("link", "a"))
            d = item.select_one(options["date"]) if options.get("date") else None
            url = resolve(_href(a)) if a is not None else None
            if t is None or not url:
                continue
            published = None
            if d is not None:
                published = datetime.strptime(" ".join(d.get_text().split()), options["date_format"]).date()
            rows.append((url, clean_text(t.get_text()), published))
        return rows

    return extract
