"""Rodong Sinmun (www.rodong.rep.kp) English: the old layout (to ~2022), the 2022-24 layout and the 2025 layout.

Old: listing rows `div.ListNewsLineContainer` whose links are `javascript:article_open('index.php?...')`
popups, dates `2022.02.11`; articles are `p.ArticleContent` (centred `<font>` title, right-aligned byline)
dated by `div.ArticleMenuDate` (`Feb. 11,&nbsp;Juche 111 (2022)&nbsp;&nbsp;Friday`).
2022-24: `.date_news_list .row` with `.media-body a` and `.news_date` (`2023.3.13.`); articles
`.news_Title`, `span.NewsDate`, `p.ArticleContent`. 2025: articles `#articleContent` / `#ContDIV` with
`p.TitleP` (or `.RevoTitleP`) and `p.TextP`, dated by `#article-date` (`Feb. 19, 2026 Thursday [Photo]`);
listings as 2022 but inside `#RevoListDIV`, `#ThemeListDIV` or `#revoList`.
The Korean edition (`/ko/`) shares the markup; its page dates may be written in Korean
(`주체115(2026)년 2월 19일 목요일`), read as well as the English ones.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import (
    TAG_A,
    Resolver,
    blocked_reason,
    new_entry,
    parse_html,
    resolver,
    select,
    select_first,
)
from monitor.sources.dates import parse_dotted, parse_korean, parse_named
from monitor.sources.limits import MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.paging import PageRequest
from monitor.sources.text import node_text

_NEWS_ID = re.compile(r"newsID=(\d{4}-\d{2}-\d{2})-")
_KEY_DATE = re.compile(r"^\d+@(\d{4}-\d{2}-\d{2})-")
_UNKNOWN_ADDRESS = "알수 없는 주소"
_NEW_LIST_ROOTS = "#RevoListDIV, #ThemeListDIV, #revoList"
_OLD_STREAM = "div.ListNewsLineContainer .ListNewsLineTitleW a[href], div.ListNewsLineContainer .ListNewsLineDate"
_NEW_STREAM = ".date_news_list .media-body a[href], .date_news_list .news_date"
_BYLINES = frozenset({"Rodong Sinmun", "Rodong Sinmun.", "로동신문"})


def _link(resolve: Resolver, href: str | None) -> str | None:
    """An absolute article URL; the old layout's `javascript:article_open('...')` is unwrapped first."""
    if href and href.startswith("javascript:"):
        start = href.find("article_open(")
        if start < 0:
            return None
        inner = href[start + 13:].strip().rstrip(";").rstrip(")").strip().strip("'\"")
        return resolve(inner) if inner else None
    return resolve(href)


_CALENDAR_PAGE = "SF01_01_03"
_CALENDAR_DATE = re.compile(r"[?&]strDate=(\d{4}-\d{2}-\d{2})(?:&|$)")


def calendar_day(url: str) -> date | None:
    """The day of a calendar page URL (`...strPageID=SF01_01_03&strDate=2022-02-11`), else None."""
    if _CALENDAR_PAGE not in url:
        return None
    found = _CALENDAR_DATE.search(url)
    return _iso(found[1]) if found else None


def date_from_url(url: str) -> date | None:
    """The publication date carried by a Rodong article URL (`newsID=2022-02-11-0004` or the base64 key)."""
    m = _NEWS_ID.search(url)
    if m:
        return _iso(m.group(1))
    query = urlsplit(url).query
    if not query or "=" in query.rstrip("="):
        return None
    try:
        key = base64.b64decode(query + "=" * (-len(query) % 4), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    m = _KEY_DATE.match(key)
    return _iso(m.group(1)) if m else None


def _iso(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def _unrecognised(parser: LexborHTMLParser, what: str) -> LayoutNotRecognised:
    reason = blocked_reason(parser)
    if reason:
        return LayoutNotRecognised(f"Rodong Sinmun {what}: {reason}")
    h1 = select_first(parser, "h1")
    if h1 is not None and _UNKNOWN_ADDRESS in h1.text():
        return LayoutNotRecognised(f"Rodong Sinmun {what}: the site answered '{_UNKNOWN_ADDRESS}' (unknown address)")
    return LayoutNotRecognised(
        f"Rodong Sinmun {what}: no known layout markers (ListNewsLineContainer, .date_news_list, "
        "p.ArticleContent, #articleContent)")


def _article_url(resolve: Resolver, href: str | None) -> str | None:
    """The article URL of a listing link (unwrapped and resolved)."""
    return None if href is None else _link(resolve, href)


def _row_date(stamp: str | None, url: str) -> date | None:
    """The date of a listing row: its date cell, else the date in its URL."""
    published = parse_dotted(stamp) if stamp else None
    return published if published is not None else date_from_url(url)


def _entries(doc: Document, stream: list[Any]) -> tuple[list[Entry], list[str]]:
    """Entries from links and date cells in document order: a date cell dates the link before it."""
    resolve = resolver(doc.url)
    rows: list[list[Any]] = []  # [url, title, date text]
    warnings: list[str] = []
    row: list[Any] | None = None
    for position, node in enumerate(stream, 1):
        try:
            if node.tag_id == TAG_A:
                if len(rows) >= MAX_ENTRIES:
                    warnings.append(f"more than {MAX_ENTRIES} rows on the page; the rest were not read")
                    break
                href = node.attributes.get("href")
                url = _article_url(resolve, href)
                title = node_text(node)
                if url is None or not title:
                    warnings.append(f"row without a usable link or title: {(title or href or '')[:200]!r}")
                    continue
                row = [url, title, None]
                rows.append(row)
            elif row is not None and row[2] is None:
                row[2] = node.text()[:200]
        except Exception as exc:  # one unreadable row never loses the rest of the listing
            warnings.append(f"node {position} of the listing could not be read ({type(exc).__name__}: "
                            f"{str(exc)[:200]}); skipped")
    entries: list[Entry] = []
    seen: set[str] = set()
    for url, title, stamp in rows:
        if url in seen:
            continue
        seen.add(url)
        try:
            published = _row_date(stamp, url)
        except Exception as exc:  # a date that cannot be read leaves the entry undated
            warnings.append(f"date of {title[:200]!r} could not be read ({type(exc).__name__})")
            published = None
        if published is None:
            warnings.append(f"no date for {title[:200]!r}")
        entries.append(new_entry(url, title, published))
    return entries, warnings


class RodongAdapter:
    """Adapter for the three Rodong Sinmun layouts, recognised from the page."""

    kind = "rodong"

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """Entries of a Rodong listing page of any known layout."""
        parser = parse_html(doc, "Rodong Sinmun listing")
        # A first row is found early on an old page; without one the full query would be wasted.
        has_rows = select_first(parser, "div.ListNewsLineContainer") is not None
        stream = select(parser, _OLD_STREAM) if has_rows else []
        if stream:
            entries, warnings = _entries(doc, stream)
            if entries:
                return Listing(entries=entries, layout="rodong-old", warnings=warnings)
        stream = select(parser, _NEW_STREAM)
        if stream:
            entries, warnings = _entries(doc, stream)
            if entries:
                layout = "rodong-2025" if select_first(parser, _NEW_LIST_ROOTS) is not None else "rodong-2022"
                return Listing(entries=entries, layout=layout, warnings=warnings)
        raise _unrecognised(parser, "listing")

    def older_page(self, doc: Document, listing: Listing, previous: PageRequest | None) -> PageRequest | None:
        """The calendar page (`index.php?strPageID=SF01_01_03&strDate=...`) of the oldest day on a listing, then of
        each day before; None when the page has no dated entry to start from."""
        day = calendar_day(doc.url)
        if day is not None:
            target = day - timedelta(days=1)
        else:
            dates = [e.published for e in listing.entries if e.published is not None]
            if not dates:
                return None
            target = min(dates)
        url = urljoin(doc.url, f"index.php?strPageID={_CALENDAR_PAGE}&strDate={target.isoformat()}")
        return PageRequest(url, None, target.isoformat())

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Title, body and date of a Rodong article page of any known layout."""
        parser = parse_html(doc, "Rodong Sinmun article")
        content = select_first(parser, "#articleContent, #ContDIV")
        if content is not None:
            return _article_2025(doc, parser, content)
        if select_first(parser, ".news_Title") is not None:
            return _article_2022(doc, parser)
        if select_first(parser, "p.ArticleContent") is not None:
            return _article_old(doc, parser)
        raise _unrecognised(parser, "article")


def _finish(doc: Document, title: str, paras: list[str], published: date | None, layout: str) -> Article:
    warnings: list[str] = []
    from_url = date_from_url(doc.url)
    if published is None:
        published = from_url
        if published is None:
            warnings.append(f"{layout}: no date on the page or in the URL")
    elif from_url is not None and from_url != published:
        warnings.append(f"{layout}: page date {published} differs from the URL's {from_url}")
    if not title:
        warnings.append(f"{layout}: no title found")
    if not paras:
        warnings.append(f"{layout}: no body paragraphs")
    return Article(title=title or None, body="\n".join(paras), published=published, warnings=warnings)


def _article_old(doc: Document, parser: LexborHTMLParser) -> Article:
    title = ""
    paras: list[str] = []
    for p in select(parser, "p.ArticleContent"):
        align = (p.attributes.get("align") or "").lower()
        if not title and align == "center" and select_first(p, "font") is not None:
            title = node_text(p)
            continue
        text = node_text(p)
        if not text or (align == "right" and text in _BYLINES):
            continue
        paras.append(text)
    stamp = select_first(parser, "div.ArticleMenuDate")
    published = _page_date(stamp.text()) if stamp is not None else None
    return _finish(doc, title, paras, published, "rodong-old")


def _article_2022(doc: Document, parser: LexborHTMLParser) -> Article:
    head = select_first(parser, ".news_Title")
    title = node_text(head) if head is not None else ""
    paras = [t for t in (node_text(p) for p in select(parser, "p.ArticleContent")) if t]
    stamp = select_first(parser, ".NewsDate")
    published = _page_date(stamp.text()) if stamp is not None else None
    return _finish(doc, title, paras, published, "rodong-2022")


def _article_2025(doc: Document, parser: LexborHTMLParser, content: Any) -> Article:
    head = select_first(content, "p.TitleP, .RevoTitleP, p.TitlePKor")
    title = node_text(head) if head is not None else ""
    paras = [t for t in (node_text(p) for p in select(content, "p.TextP")) if t]
    stamp = select_first(parser, "#article-date")
    published = _page_date(stamp.text()) if stamp is not None else None
    return _finish(doc, title, paras, published, "rodong-2025")


def _page_date(text: str) -> date | None:
    """An article's date in English (`Feb. 19, 2026 Thursday`) or as the Korean edition writes it
    (`주체115(2026)년 2월 19일 목요일`, `2026.2.19.`)."""
    return parse_named(text) or parse_korean(text) or parse_dotted(text)


def make(options: Mapping[str, Any]) -> RodongAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return RodongAdapter()

