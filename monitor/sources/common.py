"""Helpers shared by the adapters: parse a Document once, resolve links, name what is missing."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from monitor.models import Document, LayoutNotRecognised

_CONTROL_BYTES = bytes([*range(0, 9), *range(14, 32)])


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
    """Parse the page once; raise LayoutNotRecognised for an empty or binary answer."""
    if not doc.content.strip():
        raise LayoutNotRecognised(f"{what}: empty response body, not a page")
    if looks_binary(doc.content):
        raise LayoutNotRecognised(f"{what}: binary content, not an HTML page")
    return LexborHTMLParser(doc.text())


class Resolver:
    """Resolves links against one page URL; the common cases avoid the cost of `urljoin`."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.base = base
        self.simple = parts.scheme in ("http", "https") and bool(parts.netloc)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        path = parts.path or "/"
        self.directory = self.origin + path[: path.rfind("/") + 1]
        self.without_query = self.origin + path

    def __call__(self, href: str | None) -> str | None:
        """The absolute URL of `href`; None for empty, fragment-only or javascript/mailto links."""
        if not href:
            return None
        href = href.strip()
        if not href or href[0] == "#" or href[:11].lower().startswith(("javascript:", "mailto:")):
            return None
        if not self.simple or "./" in href or "\\" in href or href.startswith("//"):
            return urljoin(self.base, href)
        head = href.split("/", 1)[0]
        if ":" in head:  # has a scheme of its own
            return href if head in ("http:", "https:") else urljoin(self.base, href)
        if href[0] == "/":
            return self.origin + href
        if href[0] == "?":
            return self.without_query + href
        return self.directory + href


@lru_cache(maxsize=64)
def resolver(base: str) -> Resolver:
    """The (cached) resolver of a page URL."""
    return Resolver(base)


def absolute(doc: Document, href: str | None) -> str | None:
    """Resolve a link against the page URL (any host and port); None for empty or javascript-only links."""
    return resolver(doc.url)(href)


def has_class(node: Any, name: str) -> bool:
    """Whether the element carries the class `name`."""
    cls = node.attributes.get("class") or ""
    return name in cls.split()


def blocked_reason(parser: LexborHTMLParser) -> str | None:
    """A reason when the page is a filter or error interstitial rather than site content."""
    title = parser.css_first("title")
    text = title.text() if title is not None else ""
    if "Web Page Blocked" in text:
        return "a web filter's 'Web Page Blocked' page, not the site"
    return None
