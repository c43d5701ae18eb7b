"""The interface every site adapter implements: pure functions from a Document to entries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

from monitor.models import Article, Document, Listing


class Adapter(Protocol):
    """A site adapter. Parsing is pure: no I/O, no clock other than `doc.fetched_at`."""

    kind: str

    def parse_listing(self, doc: Document) -> Listing:
        """Extract the entries of a listing page; raise LayoutNotRecognised when the page has no known markers."""
        ...

    def parse_article(self, doc: Document) -> Article:
        """Extract title, body and date of an article page; raise LayoutNotRecognised when unknown."""
        ...


class AdapterFactory(Protocol):
    """Builds an adapter from the source's adapter options (only the `css` adapter has any)."""

    def __call__(self, options: Mapping[str, Any]) -> Adapter: ...
