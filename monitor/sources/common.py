"""Helpers shared by the adapters: parse a Document once, resolve links, name what is missing."""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser

from monitor.models import Document, LayoutNotRecognised


def looks_binary(content: bytes) -> bool:
    """True when the bytes are plainly not a text page (NUL bytes or mostly control characters)."""
    head = content[:2048]
    if b"\x00" in head:
        return True
    if not head:
        return False
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls * 20 > len(head)


def parse_html(doc: Document, what: str) -> LexborHTMLParser:
    """Parse the page once; raise LayoutNotRecognised for an empty or binary answer."""
    if not doc.content.strip():
        raise LayoutNotRecognised(f"{what}: empty response body, not a page")
    if looks_binary(doc.content):
        raise LayoutNotRecognised(f"{what}: binary content, not an HTML page")
    return LexborHTMLParser(doc.text())


def absolute(doc: Document, href: str | None) -> str | None:
    """Resolve a link against the page URL (any host and port); None for empty or javascript-only links."""
    if not href:
        return None
    href = href.strip()
    if not href or href.startswith("#") or href.lower().startswith(("javascript:", "mailto:")):
        return None
    return urljoin(doc.url, href)


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
