"""What the parses of each listing page worked out, kept for the next parse of the same page, bounded by what
the page lists now.

A listing is read again at every poll and lists mostly the same items, so its parse reuses the cleaned texts,
resolved links and entries of the last one (`page_memo(doc.url)`). After each parse the memo is weighed
against the entries the page listed (`settles`): a table grown well past that (items that have scrolled off
since) starts over. So memory follows what the pages list now, not everything they ever listed; article
pages, parsed once each, are not remembered at all.

Results never depend on the memo: the values are what the same inputs always give.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from monitor.models import Document, Entry, Listing
    from monitor.sources.common import Resolver

#: Listing pages remembered at most (the least recently parsed is dropped first). A configuration has one
#: listing per source; this bounds processes that parse very many distinct pages.
MAX_PAGES = 1024
#: A table may hold this many values per entry the page listed at its last parse (plus SLACK) before it
#: starts over: room for each entry's title, teaser and link, and for the items of a few polls back.
PER_ENTRY = 4
SLACK = 64


class PageMemo:
    """The remembered results of one listing page, one table per kind of result."""

    __slots__ = ("entries", "links", "resolver", "stripped", "texts", "unwrapped")

    def __init__(self, url: str) -> None:
        from monitor.sources.common import Resolver  # common needs this module first

        self.texts: dict[str, str] = {}  # cleaned text by raw node text
        self.links: dict[str, str | None] = {}  # absolute URL by href
        self.resolver: Resolver = Resolver(url, self.links)
        self.unwrapped: dict[str, str | None] = {}  # article URL by href (Rodong's wrapped links)
        self.stripped: dict[str, str] = {}  # title without its trailing date stamp (KCNA q layout)
        self.entries: dict[tuple[str, str, date | None, str | None, str | None], Entry] = {}

    def size(self) -> int:
        """How many values the tables hold together."""
        return len(self.texts) + len(self.links) + len(self.unwrapped) + len(self.stripped) + len(self.entries)

    def settle(self, listed: int) -> None:
        """After a parse that listed `listed` entries: empty every table grown past what that needs."""
        limit = PER_ENTRY * listed + SLACK
        for table in (self.texts, self.links, self.unwrapped, self.stripped, self.entries):
            if len(table) > limit:
                table.clear()


_PAGES: OrderedDict[str, PageMemo] = OrderedDict()
_PAGES_LOCK = threading.Lock()


def page_memo(url: str) -> PageMemo:
    """The memo of the listing page at `url` (a new one the first time, or after it was dropped)."""
    with _PAGES_LOCK:
        memo = _PAGES.get(url)
        if memo is not None:
            _PAGES.move_to_end(url)
            return memo
    memo = PageMemo(url)
    with _PAGES_LOCK:
        memo = _PAGES.setdefault(url, memo)
        while len(_PAGES) > MAX_PAGES:
            _PAGES.popitem(last=False)
    return memo


_Parse = TypeVar("_Parse", bound=Callable[..., Any])


def settles(parse_listing: _Parse) -> _Parse:
    """Decorate an adapter's `parse_listing(self, doc)`: after a parse that succeeded, the memo of `doc.url` is
    weighed against the entries listed (`PageMemo.settle`)."""

    @wraps(parse_listing)
    def wrapper(self: Any, doc: Document) -> Listing:
        listing: Listing = parse_listing(self, doc)
        page_memo(doc.url).settle(len(listing.entries))
        return listing

    return wrapper  # type: ignore[return-value]


def remembered() -> tuple[int, int]:
    """How many listing pages have a memo, and how many values they hold together."""
    with _PAGES_LOCK:
        memos = list(_PAGES.values())
    return len(memos), sum(m.size() for m in memos)


def forget() -> None:
    """Drop every page's memo."""
    with _PAGES_LOCK:
        _PAGES.clear()
