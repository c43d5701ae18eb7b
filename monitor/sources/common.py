"""Helpers shared by the adapters: parse a Document once, resolve links, name what is missing."""

from __future__ import annotations

import threading
from datetime import date
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborCSSSelector, LexborHTMLParser

from monitor.models import Document, Entry, LayoutNotRecognised
from monitor.sources.depth import MAX_DEPTH, flatten
from monitor.sources.limits import note

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


_THREAD = threading.local()


def _tag_ids() -> tuple[int, int]:
    a, p = LexborHTMLParser("<a></a><p></p>").css("a, p")
    return int(a.tag_id), int(p.tag_id)


# lexbor's numeric ids of <a> and <p>: comparing `node.tag_id` costs less than building `node.tag`.
TAG_A, TAG_P = _tag_ids()


def _engine() -> Any:
    """This thread's CSS selector engine (an engine is not thread-safe; each thread gets its own)."""
    try:
        return _THREAD.engine
    except AttributeError:
        engine = _THREAD.engine = LexborCSSSelector()  # type: ignore[no-untyped-call]
        return engine


def select(scope: Any, query: str) -> list[Any]:
    """The nodes matching `query` under `scope` (a parser or a node), in document order: `scope.css(query)`.

    selectolax builds a fresh selector engine for every parsed page on its first `css()` call; one engine per
    thread, shared by all pages, saves that set-up, a large part of the cost of reading a small page.
    """
    node = scope.root if isinstance(scope, LexborHTMLParser) else scope
    if node is None:
        return []
    found: list[Any] = _engine().find(query, node)
    return found


def select_first(scope: Any, query: str) -> Any:
    """The first node matching `query` under `scope`, or None: `scope.css_first(query)`."""
    node = scope.root if isinstance(scope, LexborHTMLParser) else scope
    if node is None:
        return None
    found = _engine().find_first(query, node)
    return found[0] if found else None


def matches(node: Any, query: str) -> bool:
    """Whether `query` matches `node` itself or a node under it: `node.css_matches(query)`."""
    return bool(_engine().any_matches(query, node))


def looks_binary(content: bytes) -> bool:
    """True when the bytes are plainly not a text page (NUL bytes or mostly control characters)."""
    head = content[:2048]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls * 20 > len(head)


def parse_html(doc: Document, what: str) -> LexborHTMLParser:
    """Parse the page once; raise LayoutNotRecognised for an empty or binary answer.

    Tags nested deeper than `depth.MAX_DEPTH` levels are dropped first (their text kept), with a note: the
    parser's time grows with the square of the depth.
    """
    content = doc.content
    if not content or content.isspace():  # same as `not content.strip()`, without copying the page
        raise LayoutNotRecognised(f"{what}: empty response body, not a page")
    if looks_binary(content):
        raise LayoutNotRecognised(f"{what}: binary content, not an HTML page")
    text, depth = flatten(doc.text())
    if depth > MAX_DEPTH:
        note(f"{what}: elements nested about {depth} levels deep; the tags below level {MAX_DEPTH} were dropped "
             "(their text kept)")
    return LexborHTMLParser(text)


class Resolver:
    """Resolves the links of one page against its URL."""

    def __init__(self, base: str) -> None:
        self.base = base
        parts = urlsplit(base)
        # a path from the root ("/en/article/...", most links of these sites) needs only the page's origin
        self.origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") else ""

    def __call__(self, href: str | None) -> str | None:
        """The absolute URL of `href`; None for empty, fragment-only or javascript/mailto links."""
        href = (href or "").strip()
        if not href or href[0] == "#" or href[:11].lower().startswith(("javascript:", "mailto:")):
            return None
        if self.origin and href[0] == "/" and href[1:2] not in ("/", "\\") and "/." not in href:
            return self.origin + href
        return urljoin(self.base, href)


def resolver(base: str) -> Resolver:
    """The resolver of links found on the page at `base`."""
    return Resolver(base)


def new_entry(url: str, title: str, published: date | None = None, teaser: str | None = None,
              outlet: str | None = None) -> Entry:
    """An Entry (kept as a function: the adapters' one way of making one)."""
    return Entry(url=url, title=title, published=published, teaser=teaser, outlet=outlet)


def has_class(node: Any, name: str) -> bool:
    """Whether the element carries the class `name`."""
    cls = node.attributes.get("class") or ""
    return name in cls.split()


def short_text(node: Any, limit: int) -> str:
    """The text under `node`, read only until it holds `limit` characters (the rest of a large subtree is
    never visited; `node.text()` costs the size of all of it)."""
    pieces: list[str] = []
    size = 0
    for child in node.traverse(include_text=True):
        if child.tag == "-text":
            text = child.text_content or ""
            pieces.append(text)
            size += len(text)
            if size >= limit:
                break
    return "".join(pieces)[:limit]


def blocked_reason(parser: LexborHTMLParser) -> str | None:
    """A reason when the page is a filter or error interstitial rather than site content."""
    title = select_first(parser, "title")
    text = title.text() if title is not None else ""
    if "Web Page Blocked" in text:
        return "a web filter's 'Web Page Blocked' page, not the site"
    return None
