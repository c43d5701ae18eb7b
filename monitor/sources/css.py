"""The generic `css` adapter: a site described by CSS selectors in the TOML config, no code needed.

Options (the `[sources.css]` table): `item` (one element per entry), `title`, `link` (default `a`),
`date`, `teaser`, `date_format` (strptime; without it the known site formats are tried), and for
article pages `article_title` (default `h1`), `article_body`, `article_date`. Selectors inside an item
are relative to it; a selector that matches the item itself is allowed (e.g. item `a.headline`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources import register
from monitor.sources.common import absolute, parse_html
from monitor.sources.dates import parse_date, parse_with_format
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
    found = scope.css_first(selector)
    if found is None and scope.css_matches(selector):
        return scope
    return found


class CssAdapter:
    """Adapter driven entirely by the selectors of its options."""

    kind = "css"

    def __init__(self, options: CssOptions) -> None:
        self.options = options

    def _date(self, text: str, warnings: list[str]) -> date | None:
        fmt = self.options.date_format
        if fmt:
            found = parse_with_format(text, fmt)
            if found is not None:
                return found
            warnings.append(f"date {text.strip()!r} does not match date_format {fmt!r}")
        return parse_date(text)

    def parse_listing(self, doc: Document) -> Listing:
        """One entry per `item` element: title, absolute link, date and teaser by the configured selectors."""
        o = self.options
        parser = parse_html(doc, "css listing")
        items = parser.css(o.item)
        if not items:
            raise LayoutNotRecognised(f"css listing: selector item={o.item!r} matched nothing")
        entries: list[Entry] = []
        warnings: list[str] = []
        seen: set[str] = set()
        for item in items:
            title_node = _pick(item, o.title)
            link_node = _pick(item, o.link)
            title = node_text(title_node) if title_node is not None else ""
            url = absolute(doc, link_node.attributes.get("href")) if link_node is not None else None
            if not title or url is None:
                warnings.append(f"item without {'title' if not title else 'link'} ({title or 'no title'!r}); skipped")
                continue
            if url in seen:
                continue
            seen.add(url)
            published = None
            if o.date:
                date_node = _pick(item, o.date)
                published = self._date(date_node.text(), warnings) if date_node is not None else None
                if published is None:
                    warnings.append(f"no date for {title!r}")
            teaser = None
            if o.teaser:
                teaser_node = _pick(item, o.teaser)
                teaser = (node_text(teaser_node) or None) if teaser_node is not None else None
            entries.append(Entry(url=url, title=title, published=published, teaser=teaser))
        if not entries:
            raise LayoutNotRecognised(
                f"css listing: {len(items)} element(s) matched item={o.item!r} but none had a title "
                f"({o.title!r}) and a link ({o.link!r})")
        return Listing(entries=entries, layout="css", warnings=warnings)

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
        for node in parser.css(body_sel):
            inner = node.css("p")
            texts = [node_text(p) for p in inner] if inner else [node_text(node)]
            paras += [t for t in texts if t]
        head = parser.css_first(o.article_title or "h1")
        title = node_text(head) if head is not None else ""
        if not paras and not title:
            raise LayoutNotRecognised(f"css article: neither article_body={body_sel!r} nor the title selector matched")
        if paras:
            paras[-1] = strip_end_mark(paras[-1])
        published = None
        if o.article_date:
            date_node = parser.css_first(o.article_date)
            published = self._date(date_node.text(), warnings) if date_node is not None else None
            if published is None:
                warnings.append(f"article_date={o.article_date!r} gave no date")
        return Article(title=title or None, body="\n".join(p for p in paras if p), published=published,
                       warnings=warnings)


def _factory(options: Mapping[str, Any]) -> CssAdapter:
    return CssAdapter(CssOptions.from_mapping(options))


register("css", _factory)
