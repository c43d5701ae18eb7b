"""The generic `css` adapter: a site described by CSS selectors in the TOML config, no code needed.

Options (the `[sources.css]` table): `item` (one element per entry), `title`, `link` (default `a`),
`date`, `teaser`, `date_format` (strptime; without it the known site formats are tried), and for
article pages `article_title` (default `h1`), `article_body`, `article_date`. Selectors inside an item
are relative to it; a selector that matches the item itself is allowed (e.g. item `a.headline`). `next` selects
the link to the next older page, for catch-up after an outage and for backfill.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import matches, new_entry, parse_html, resolver, select, select_first
from monitor.sources.dates import parse_date, parse_with_format
from monitor.sources.limits import MAX_BODY, MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.paging import PageRequest
from monitor.sources.text import node_text, strip_end_mark


@dataclass(frozen=True)
class CssOptions:
    """Selectors of one site."""

    item: str
    title: str
    link: str = "a"
    date: str | None = None
    teaser: str | None = None
    date_format: str | None = None
    article_title: str | None = None
    article_body: str | None = None
    article_date: str | None = None
    next: str | None = None  # the link to the next older page (for catch-up and backfill)

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> CssOptions:
        """Build from the config mapping; `item` and `title` are required, unknown keys are refused."""
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(options) - known)
        if unknown:
            raise ValueError(f"css adapter: unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        values = {k: v for k, v in options.items() if v is not None}
        for key in ("item", "title"):
            if not values.get(key):
                raise ValueError(f"css adapter: option {key!r} (a CSS selector) is required")
        return cls(**values)


def _pick(scope: Any, selector: str) -> Any:
    found = select_first(scope, selector)
    if found is None and matches(scope, selector):
        return scope
    return found


class _Picks:
    """`_pick(item, selector)` for every item of a page at once: one query instead of one or two per item.

    The first match inside an item (the item itself included) is the first node of the page that matches
    `selector`, comes at or after the item in document order and lies within it. The query `item, selector`
    gives items and matches merged in document order, a node once per selector of the list it matches
    (one after the other): a node is a match when it comes more often than the item query alone gives it.
    """

    def __init__(self, parser: Any, item_counts: dict[int, int], item_selector: str, selector: str) -> None:
        self.selector = selector
        self.first: dict[int, Any] = {}
        open_items: list[int] = []  # items not yet given a match, all still open in document order
        merged = select(parser, f"{item_selector}, {selector}")
        count = len(merged)
        i = 0
        while i < count:
            node = merged[i]
            mid = node.mem_id
            j = i + 1
            while j < count and merged[j].mem_id == mid:
                j += 1
            times, i = j - i, j
            as_item = item_counts.get(mid, 0)
            if as_item and mid not in self.first:
                open_items.append(mid)
            if times > as_item and open_items:
                self._settle(node, mid, open_items)
                open_items = []

    def _settle(self, node: Any, mid: int, open_items: list[int]) -> None:
        """Give `node` to the open items holding it; the others end before it, so they have no match."""
        first = self.first
        if len(open_items) == 1:
            target = open_items[0]
            ancestor = node
            while ancestor is not None:
                if ancestor.mem_id == target:
                    first[target] = node
                    return
                ancestor = ancestor.parent
            first[target] = None
            return
        wanted = set(open_items)
        ancestor = node
        while wanted and ancestor is not None:
            aid = ancestor.mem_id
            if aid in wanted:
                first[aid] = node
                wanted.discard(aid)
            ancestor = ancestor.parent
        for other in wanted:
            first[other] = None

    def __call__(self, item: Any) -> Any:
        """The node `_pick(item, selector)` gives."""
        found = self.first.get(item.mem_id)
        if found is None and matches(item, self.selector):
            return item
        return found


class CssAdapter:
    """Adapter driven entirely by the selectors of its options."""

    kind = "css"

    def __init__(self, options: CssOptions) -> None:
        self.options = options
        self.pages_back = bool(options.next)  # older pages can be read only through the `next` link

    def _date(self, text: str, warnings: list[str]) -> date | None:
        fmt = self.options.date_format
        if fmt:
            found = parse_with_format(text, fmt)
            if found is not None:
                return found
            warnings.append(f"date {text.strip()[:100]!r} does not match date_format {fmt!r}")
        return parse_date(text)

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """One entry per `item` element: title, absolute link, date and teaser by the configured selectors."""
        o = self.options
        parser = parse_html(doc, "css listing")
        items = select(parser, o.item)
        if not items:
            raise LayoutNotRecognised(f"css listing: selector item={o.item!r} matched nothing")
        entries: list[Entry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        item_counts: dict[int, int] = {}
        for item in items:
            mid = item.mem_id
            item_counts[mid] = item_counts.get(mid, 0) + 1
        picks: dict[str, _Picks] = {}
        for selector in (o.title, o.link, o.date, o.teaser):
            if selector and selector not in picks:
                picks[selector] = _Picks(parser, item_counts, o.item, selector)
        pick_title, pick_link = picks[o.title], picks[o.link]
        resolve = resolver(doc.url)
        for position, item in enumerate(items, 1):
            if len(entries) >= MAX_ENTRIES:
                warnings.append(f"more than {MAX_ENTRIES} items on the page; the rest were not read")
                break
            try:
                title_node = pick_title(item)
                link_node = pick_link(item)
                title = node_text(title_node) if title_node is not None else ""
                url = resolve(link_node.attributes.get("href")) if link_node is not None else None
                if not title or url is None:
                    warnings.append(
                        f"item without {'title' if not title else 'link'} ({title or 'no title'!r}); skipped")
                    continue
                if url in seen:
                    continue
                seen.add(url)
                published = None
                if o.date:
                    date_node = picks[o.date](item)
                    published = self._date(date_node.text(), warnings) if date_node is not None else None
                    if published is None:
                        warnings.append(f"no date for {title!r}")
                teaser = None
                if o.teaser:
                    teaser_node = picks[o.teaser](item)
                    teaser = (node_text(teaser_node) or None) if teaser_node is not None else None
            except Exception as exc:  # one unreadable item never loses the rest of the listing
                warnings.append(f"item {position} could not be read ({type(exc).__name__}: {str(exc)[:200]}); "
                                "skipped")
                continue
            entries.append(new_entry(url, title, published, teaser))
        if not entries:
            raise LayoutNotRecognised(
                f"css listing: {len(items)} element(s) matched item={o.item!r} but none had a title "
                f"({o.title!r}) and a link ({o.link!r})")
        return Listing(entries=entries, layout="css", warnings=warnings)

    def older_page(self, doc: Document, listing: Listing, previous: PageRequest | None) -> PageRequest | None:
        """The page the `next` selector's link points to (None without the option, the link, or when the link
        leads back to this very page)."""
        if not self.options.next:
            return None
        link = select_first(parse_html(doc, "css listing"), self.options.next)
        url = resolver(doc.url)(link.attributes.get("href") if link is not None else None)
        if url is None or not url.startswith(("http://", "https://")) or url.split("#")[0] == doc.url.split("#")[0]:
            return None
        return PageRequest(url, None, url)

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Title, body and date of an article page by `article_title`, `article_body`, `article_date`."""
        o = self.options
        parser = parse_html(doc, "css article")
        warnings: list[str] = []
        body_sel = o.article_body
        if not body_sel:
            body_sel = "article p"
            warnings.append("article_body is not configured; using 'article p'")
        paras: list[str] = []
        size = 0
        seen: set[int] = set()  # paragraphs read already (body elements can nest)
        for node in select(parser, body_sel):
            inner = select(node, "p")
            if inner:
                fresh = [p for p in inner if p.mem_id not in seen]
                seen.update(p.mem_id for p in fresh)
                texts = [node_text(p) for p in fresh]
            else:
                texts = [node_text(node)]
            for text in texts:
                if text:
                    paras.append(text)
                    size += len(text)
            if size > MAX_BODY:  # the rest would be cut anyway
                break
        head = select_first(parser, o.article_title or "h1")
        title = node_text(head) if head is not None else ""
        if not paras and not title:
            raise LayoutNotRecognised(f"css article: neither article_body={body_sel!r} nor the title selector matched")
        if paras:
            paras[-1] = strip_end_mark(paras[-1])
        published = None
        if o.article_date:
            date_node = select_first(parser, o.article_date)
            published = self._date(date_node.text(), warnings) if date_node is not None else None
            if published is None:
                warnings.append(f"article_date={o.article_date!r} gave no date")
        return Article(title=title or None, body="\n".join(p for p in paras if p), published=published,
                       warnings=warnings)


def make(options: Mapping[str, Any]) -> CssAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return CssAdapter(CssOptions.from_mapping(options))

