"""Naenara (naenara.com.kp) first pages, in the markup seen on the real Korean edition (2026).

Items are `p.newsArticle` (the featured block), `li.viewArticle` (the lists) and `a.vid_play` (videos), each with
an `artdate` attribute (YYYY-MM-DD) and an `fname` attribute, the item's stable id (`kkk26021601`). The title is
the element's own text, followed by `<span class="datec">[2026-02-16]</span>`; leader names sit in `<nobr>`.
There is no link: a script shows the article in a modal, from an endpoint the page does not reveal. So an item
is identified by `fname` and given the listing's URL with `#fname` as its URL, and articles cannot be fetched
(the registry says so: `AdapterKind.articles` is False). The `value` attribute repeats the title with markup
whose quotes are not escaped; it is never read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import blocked_reason, has_class, new_entry, parse_html, select, select_first
from monitor.sources.dates import parse_dotted
from monitor.sources.limits import MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.text import node_text

#: The elements that are items on a Naenara first page.
ITEMS = "p.newsArticle[fname], li.viewArticle[fname], a.vid_play[fname]"
_FNAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
MAX_TITLE_TEXT = 2000  # characters of an item's text read for its title (titles are cut at 1,000 later)
_ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class NaenaraAdapter:
    """Adapter for Naenara first pages (`/main/index/<lang>/first`)."""

    kind = "naenara"

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """One entry per item element with an `fname`, dated by `artdate` (else the trailing `[YYYY-MM-DD]`)."""
        parser = parse_html(doc, "Naenara listing")
        page = _without_fragment(doc.url)
        entries: list[Entry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for position, node in enumerate(select(parser, ITEMS), 1):
            if len(entries) >= MAX_ENTRIES:
                warnings.append(f"more than {MAX_ENTRIES} items on the page; the rest were not read")
                break
            try:
                entry = _entry(node, page, warnings)
            except Exception as exc:  # one unreadable item never loses the rest of the listing
                warnings.append(f"item {position} of the listing could not be read ({type(exc).__name__}: "
                                f"{str(exc)[:200]}); skipped")
                continue
            if entry is not None and entry.url not in seen:
                seen.add(entry.url)
                entries.append(entry)
        if not entries:
            reason = blocked_reason(parser) or ("no item elements with an `fname` (p.newsArticle, li.viewArticle, "
                                                "a.vid_play): not the Naenara first-page markup")
            raise LayoutNotRecognised(f"Naenara listing: {reason}")
        return Listing(entries=entries, layout="naenara-first", warnings=warnings)

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Naenara shows articles in a modal filled by script from an endpoint nobody has seen: never readable."""
        raise LayoutNotRecognised("Naenara article: articles are shown by script from an endpoint the first page "
                                  "does not reveal; article fetching is not available for this adapter")


def _without_fragment(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, parts.query, ""))


def _is_date_span(node: Any) -> bool:
    return node.tag == "span" and has_class(node, "datec")


def _entry(node: Any, page: str, warnings: list[str]) -> Entry | None:
    """The entry of one item element; None (with a warning) when its id or title is missing."""
    fname = (node.attributes.get("fname") or "").strip()
    title = node_text(node, skip=_is_date_span, limit=MAX_TITLE_TEXT)
    if not _FNAME.fullmatch(fname):
        warnings.append(f"item {title[:80]!r} has no usable fname ({fname[:40]!r}); skipped")
        return None
    if not title:
        warnings.append(f"item {fname} has no title; skipped")
        return None
    published = _day(node.attributes.get("artdate") or "")
    if published is None:
        found = select_first(node, "span.datec")
        label = node_text(found, limit=64) if found is not None else ""
        published = _day(label) or parse_dotted(label)
    if published is None:
        warnings.append(f"no date for {title[:80]!r}")
    return new_entry(f"{page}#{fname}", title, published, None, "Naenara")


def _day(text: str) -> date | None:
    found = _ISO_DAY.search(text[:64])
    if found is None:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def make(options: Mapping[str, Any]) -> NaenaraAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return NaenaraAdapter()
