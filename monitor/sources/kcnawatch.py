"""KCNA Watch (kcnawatch.org), the NK News mirror of the DPRK outlets; each item keeps its original outlet.

Listings: the per-source page (`div#latest_article_wrapper`, cards with `h4 > a`, `p.articled-date`
` December 27, 2025` and a teaser paragraph), the "More From <outlet>" block under an article, the AJAX
`.article-desc` blocks and the KCTV archive (`div.archive-list`, link text `Friday September 11, 2026`).
Articles: `h1` title, `div.article-content` body, and the line
`Date: 13/04/2024 | Source: Naenara (En) | Read original version at source` (day first).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import (
    TAG_A,
    TAG_P,
    Resolver,
    blocked_reason,
    new_entry,
    parse_html,
    resolver,
    select,
    select_first,
    short_text,
)
from monitor.sources.dates import parse_date, parse_dmy, parse_named
from monitor.sources.limits import MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.paging import PageRequest
from monitor.sources.text import node_text, tidy_text

# Each pattern below is used through a function that first makes every run of whitespace one space: `.+?`
# followed by `\s*` (the page title's) costs the square of the length of a long run of spaces otherwise.
_META = re.compile(r"Date:\s*([0-9/.\-]+)\s*\|\s*Source:\s*([^|\n]+?)\s*(?:\||$)")
_MORE_FROM = re.compile(r"^\s*More\s+From\s+(.+?)\s*$", re.IGNORECASE)
_LATEST_FROM = re.compile(r"^\s*Latest\s+(?:from|From)\s+(.+?)\s*$")
_PAGE_TITLE = re.compile(r"^\s*(.+?)\s*[|–—-]\s*KCNA\s*Watch\s*$", re.IGNORECASE)
_OUTLETS = ("KCNA", "Rodong Sinmun", "Voice of Korea", "Minju Choson", "Naenara", "Ryugyong", "Uriminzokkiri",
            "Pyongyang Times", "Tongil Sinbo", "Arirang Meari", "KCTV", "DPRK Today")
_CARD_LINKS = "h2 > a[href], h3 > a[href], h4 > a[href], h5 > a[href]"
_HEADINGS = "h1, h2, h3, h4, h5, h6, .section-title, .block-title"
#: Headings (or meta-line candidates) read at most: each read costs the size of what the element holds.
_MAX_HEADINGS = 64
#: An outlet label is shorter than this (anything longer names no outlet; the cache is keyed by labels).
_MAX_LABEL = 200
#: A "More From" heading holds less text than this; its block is at most this many levels above it.
_MAX_HEADING_TEXT = 200
_MAX_LEVELS = 16
_NOT_TEASER = frozenset({"articled-date", "broadcast-head", "article-source", "source"})


def known_outlet(label: str) -> str | None:
    """The label when it names a DPRK outlet KCNA Watch mirrors ("Naenara (En)", "KCNA"), else None."""
    if len(label) > _MAX_LABEL:
        label = label.strip()
    return _known_outlet(label) if len(label) <= _MAX_LABEL else None


@lru_cache(maxsize=1024)
def _known_outlet(label: str) -> str | None:
    label = tidy_text(label)
    for outlet in _OUTLETS:
        if label == outlet or label.startswith(outlet + " ("):
            return label
    return None


def _label(pattern: re.Pattern[str], text: str) -> str | None:
    """Group 1 of `pattern` matched at the start of `text` with its whitespace collapsed, or None."""
    m = pattern.match(" ".join(text.split()))
    return m.group(1) if m else None


def latest_from_label(text: str) -> str | None:
    """The outlet of a "Latest from <outlet>" heading."""
    return _label(_LATEST_FROM, text)


def more_from_label(text: str) -> str | None:
    """The outlet of a "More From <outlet>" heading."""
    return _label(_MORE_FROM, text)


def page_title_label(text: str) -> str | None:
    """What precedes "| KCNA Watch" in a page title."""
    return _label(_PAGE_TITLE, text)


def meta_fields(text: str) -> tuple[str, str] | None:
    """(date text, outlet) of a `Date: 13/04/2024 | Source: Naenara (En) | ...` line."""
    m = _META.search(" ".join(text.split()))
    return (m.group(1), m.group(2)) if m else None


def _page_outlet(parser: LexborHTMLParser) -> str | None:
    for h in select(parser, "h1, h2, h3")[:_MAX_HEADINGS]:
        label = latest_from_label(node_text(h))
        if label and known_outlet(label):
            return known_outlet(label)
    title = select_first(parser, "title")
    if title is not None:
        label = page_title_label(node_text(title))
        if label:
            return known_outlet(label)
    return None


class _Card:
    __slots__ = ("outlet", "published", "teaser", "title", "url")

    def __init__(self, url: str, title: str) -> None:
        self.url = url
        self.title = title
        self.published: date | None = None
        self.teaser: str | None = None
        self.outlet: str | None = None


def _cards(doc: Document, stream: list[Any], outlet: str | None, skip: set[int] | None = None,
           ) -> tuple[list[Entry], list[str]]:
    """Assemble cards from links, dates, source labels and paragraphs given in document order.

    Each link opens a card; the date, source label and first real paragraph after it belong to it.
    """
    resolve = resolver(doc.url)
    cards: dict[str, _Card] = {}
    current: _Card | None = None
    warnings: list[str] = []
    for position, node in enumerate(stream, 1):
        try:
            current = _read_node(node, current, cards, skip, resolve)
        except _Full:
            warnings.append(f"more than {MAX_ENTRIES} cards on the page; the rest were not read")
            break
        except Exception as exc:  # one unreadable card never loses the rest of the listing
            warnings.append(f"node {position} of the listing could not be read ({type(exc).__name__}: "
                            f"{str(exc)[:200]}); skipped")
    entries: list[Entry] = []
    for card in cards.values():
        try:
            published = card.published or parse_named(card.title)
        except Exception as exc:  # a date that cannot be read leaves the card undated
            warnings.append(f"date of {card.title[:200]!r} could not be read ({type(exc).__name__})")
            published = None
        if published is None:
            warnings.append(f"no date for {card.title!r}")
        entries.append(new_entry(card.url, card.title, published, card.teaser, card.outlet or outlet))
    return entries, warnings


class _Full(Exception):
    """The page holds more cards than a listing may have."""


def _read_node(node: Any, current: _Card | None, cards: dict[str, _Card], skip: set[int] | None,
               resolve: Resolver) -> _Card | None:
    """Read one node of the stream into the cards; the card that the nodes after it belong to."""
    if node.tag_id == TAG_A:
        if skip is not None and node.mem_id in skip:
            return current
        url = resolve(node.attributes.get("href"))
        title = node_text(node)
        if url is None or not title:
            return current
        found = cards.get(url)
        if found is None:
            if len(cards) >= MAX_ENTRIES:
                raise _Full
            found = cards[url] = _Card(url, title)
        return found
    if current is None or (current.published is not None and current.outlet is not None
                           and current.teaser is not None):
        return current  # nothing left for this card to take
    cls = node.attributes.get("class")
    classes = cls.split() if cls else _NO_CLASSES
    if "articled-date" in classes or "article-date" in classes:
        if current.published is None:
            current.published = parse_date(node.text())
    elif "article-source" in classes or "source-name" in classes:
        if current.outlet is None:
            current.outlet = known_outlet(node.text())
    elif current.teaser is None and node.tag_id == TAG_P and not _NOT_TEASER.intersection(classes):
        text = node_text(node)
        if text and text != current.title and not (len(text) <= 40 and parse_date(text) is not None):
            current.teaser = text
    return current


_NO_CLASSES: list[str] = []


def _stream(scope: str) -> str:
    parts = ["h2 > a[href]", "h3 > a[href]", "h4 > a[href]", "h5 > a[href]", ".articled-date", ".article-date",
             ".article-source", "p"]
    return ", ".join(f"{scope} {p}".strip() for p in parts)


_CARD_STREAM = _stream("")
_AJAX_STREAM = ", ".join([".article-desc > a[href]", _stream(".article-desc")])


def _more_from_block(parser: LexborHTMLParser) -> tuple[Any, Any, str] | None:
    """The "More From <outlet>" heading, the nearest ancestor holding its cards, and the outlet label."""
    tried = 0
    for h in select(parser, _HEADINGS):
        raw = short_text(h, _MAX_HEADING_TEXT)
        if ("More" not in raw and "MORE" not in raw) or len(raw) >= _MAX_HEADING_TEXT:
            continue
        label = more_from_label(node_text(h))
        if not label:
            continue
        tried += 1
        if tried > _MAX_HEADINGS:
            break
        own = {a.mem_id for a in select(h, "a")}
        block = h.parent
        levels = 0
        while block is not None and block.tag not in ("body", "html") and levels < _MAX_LEVELS:
            levels += 1
            if own:
                holds_cards = any(a.mem_id not in own for a in select(block, _CARD_LINKS))
            else:
                holds_cards = select_first(block, _CARD_LINKS) is not None
            if holds_cards:
                return h, block, label
            block = block.parent
    return None


class KcnaWatchAdapter:
    """Adapter for KCNA Watch pages; the layout is recognised from the page."""

    kind = "kcnawatch"

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """Entries of a per-source listing, a "More From" block, AJAX blocks or the KCTV archive."""
        parser = parse_html(doc, "KCNA Watch listing")
        wrapper = select_first(parser, "#latest_article_wrapper")
        if wrapper is not None:
            entries, warnings = _cards(doc, select(wrapper, _CARD_STREAM), _page_outlet(parser))
            if entries:
                return Listing(entries=entries, layout="kcnawatch-listing", warnings=warnings)
        archive = select_first(parser, "div.archive-list")
        if archive is not None:
            entries, warnings = _cards(doc, select(archive, _CARD_STREAM), "KCTV")
            if entries:
                return Listing(entries=entries, layout="kcnawatch-kctv", warnings=warnings)
        more = _more_from_block(parser)
        if more is not None:
            heading, block, label = more
            skip = {a.mem_id for a in select(heading, "a")}
            entries, warnings = _cards(doc, select(block, _CARD_STREAM), known_outlet(label) or tidy_text(label), skip)
            if entries:
                return Listing(entries=entries, layout="kcnawatch-more-from", warnings=warnings)
        stream = select(parser, _AJAX_STREAM)
        if stream:
            entries, warnings = _cards(doc, stream, _page_outlet(parser))
            if entries:
                return Listing(entries=entries, layout="kcnawatch-ajax", warnings=warnings)
        raise _unrecognised(parser, "listing")

    def older_page(self, doc: Document, listing: Listing, previous: PageRequest | None) -> PageRequest | None:
        """For the AJAX listing (`admin-ajax.php?...&from=0&to=10...`), the next window of the same size; the other
        KCNA Watch pages have no known way back (None)."""
        parts = urlsplit(doc.url)
        query = parse_qsl(parts.query, keep_blank_values=True)
        values = dict(query)
        start, end = values.get("from", ""), values.get("to", "")
        if not start.isdigit() or len(start) > 9:
            return None
        step = int(end) - int(start) if end.isdigit() and len(end) < 10 and int(end) > int(start) else len(
            listing.entries)
        if step <= 0:
            return None
        moved = {"from": str(int(start) + step), "to": str(int(start) + 2 * step)}
        pairs = [(k, moved.get(k, v)) if k in ("from", "to") and (k != "to" or end) else (k, v) for k, v in query]
        url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), ""))
        return PageRequest(url, None, f"offset {moved['from']}")

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Title, body, date and original outlet of a KCNA Watch article page."""
        parser = parse_html(doc, "KCNA Watch article")
        content = select_first(parser, "div.article-content")
        meta = _meta_line(parser)
        if content is None and meta is None:
            raise _unrecognised(parser, "article")
        warnings: list[str] = []
        title = ""
        for h in select(parser, "h1.article-title, h1"):
            title = node_text(h)
            if title:
                break
        paras: list[str] = []
        if content is not None:
            paras = [t for t in (node_text(p) for p in select(content, "p")) if t]
            if not paras:
                text = node_text(content)
                paras = [text] if text else []
        published: date | None = None
        outlet: str | None = None
        if meta is not None:
            published = parse_dmy(meta[0]) or parse_date(meta[0])
            outlet = tidy_text(meta[1]) or None
        else:
            warnings.append("no 'Date: dd/mm/yyyy | Source: ...' line")
        if published is None:
            warnings.append("no date")
        if not title:
            warnings.append("no <h1> title")
        if not paras:
            warnings.append("empty div.article-content")
        return Article(title=title or None, body="\n".join(paras), published=published, outlet=outlet,
                       warnings=warnings)


def _meta_line(parser: LexborHTMLParser) -> tuple[str, str] | None:
    """(date text, outlet) from the `Date: ... | Source: ... |` line."""
    node = select_first(parser, ".article-meta, .article-info, .meta-info")
    candidates = [node] if node is not None else []
    if not candidates:
        candidates = [n for n in select(parser, "p, div, span, li") if "Source:" in (n.text(deep=False) or "")]
    for n in candidates[:_MAX_HEADINGS]:
        fields = meta_fields(short_text(n, 2000))
        if fields:
            return fields
    return None


def _unrecognised(parser: LexborHTMLParser, what: str) -> LayoutNotRecognised:
    reason = blocked_reason(parser)
    if reason:
        return LayoutNotRecognised(f"KCNA Watch {what}: {reason}")
    return LayoutNotRecognised(
        f"KCNA Watch {what}: no known layout markers (#latest_article_wrapper, 'More From' block, "
        ".article-desc, div.archive-list, div.article-content, 'Date: | Source:' line)")


def make(options: Mapping[str, Any]) -> KcnaWatchAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return KcnaWatchAdapter()

