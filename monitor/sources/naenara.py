"""Naenara (naenara.com.kp): what is known of it, failing with a clear reason otherwise.

Only one selector was ever seen working (`.content .title a` on `/main/index/en/first`); no captured
article page exists. Anything else raises LayoutNotRecognised instead of reporting "no news".
KCNA Watch mirrors Naenara (En) in its own markup: the `kcnawatch` adapter is the practical route.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import Resolver, blocked_reason, new_entry, parse_html, resolver, select, select_first
from monitor.sources.dates import parse_date
from monitor.sources.limits import MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.text import node_text, strip_end_mark


class NaenaraAdapter:
    """Adapter for the Naenara portal (GUESS-level markup)."""

    kind = "naenara"

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """Entries from `.content .title a`, dated when their block carries a date."""
        parser = parse_html(doc, "Naenara listing")
        entries: list[Entry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        resolve = resolver(doc.url)
        for position, a in enumerate(select(parser, ".content .title a[href]"), 1):
            if len(entries) >= MAX_ENTRIES:
                warnings.append(f"more than {MAX_ENTRIES} links on the page; the rest were not read")
                break
            try:
                entry = _entry(a, resolve, seen, warnings)
            except Exception as exc:  # one unreadable link never loses the rest of the listing
                warnings.append(f"link {position} of the listing could not be read ({type(exc).__name__}: "
                                f"{str(exc)[:200]}); skipped")
                continue
            if entry is not None:
                entries.append(entry)
        if not entries:
            reason = blocked_reason(parser) or "no '.content .title a' links (the only known Naenara markup)"
            raise LayoutNotRecognised(f"Naenara listing: {reason}")
        return Listing(entries=entries, layout="naenara-first", warnings=warnings)

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Title and paragraphs under `.content`; unknown markup raises LayoutNotRecognised."""
        parser = parse_html(doc, "Naenara article")
        content = select_first(parser, ".content")
        if content is None:
            reason = blocked_reason(parser) or "no '.content' element (no Naenara article markup is known)"
            raise LayoutNotRecognised(f"Naenara article: {reason}")
        head = select_first(content, ".title, h1, h2, h3")
        title = node_text(head) if head is not None else ""
        paras = [t for t in (node_text(p) for p in select(content, "p")) if t]
        if paras:
            paras[-1] = strip_end_mark(paras[-1])
        if not title and not paras:
            raise LayoutNotRecognised("Naenara article: '.content' holds neither a title nor paragraphs")
        date_node = select_first(content, ".date, .time, time, .article-date")
        published = parse_date(date_node.text()) if date_node is not None else None
        warnings = [] if published is not None else ["no date found (Naenara markup is a guess)"]
        return Article(title=title or None, body="\n".join(p for p in paras if p), published=published,
                       outlet="Naenara", warnings=warnings)


def _entry(a: Any, resolve: Resolver, seen: set[str], warnings: list[str]) -> Entry | None:
    """The entry of one `.title a` link, dated when its block carries a date; None for a repeat or no link."""
    url = resolve(a.attributes.get("href"))
    title = node_text(a)
    if url is None or not title or url in seen:
        return None
    seen.add(url)
    block = a.parent
    levels = 0
    while block is not None and "title" not in (block.attributes.get("class") or "").split() and levels < 32:
        block = block.parent
        levels += 1
    if block is not None and "title" not in (block.attributes.get("class") or "").split():
        block = None
    holder = block.parent if block is not None and block.parent is not None else a.parent
    published = None
    if holder is not None:
        date_node = select_first(holder, ".date, .time, time, .article-date")
        published = parse_date(date_node.text()) if date_node is not None else None
    if published is None:
        warnings.append(f"no date for {title!r}")
    return new_entry(url, title, published, None, "Naenara")


def make(options: Mapping[str, Any]) -> NaenaraAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return NaenaraAdapter()

