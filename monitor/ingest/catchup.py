"""Walking a listing back, page by page: catch-up after a gap, and backfill.

The adapter says which request reads the next older page (`monitor/sources/paging.py`); this module fetches it
through the same fetcher as every other request (the source's fetch policy, the per-host gate and `min_delay`,
retries, the stop event), parses it, and hands each page to the caller, who decides when to stop. A page that
cannot be fetched or read ends the walk with a reason; it never fails the run that asked for the walk.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from monitor.config import SourceSettings
from monitor.ingest.fetch import Fetcher, FetchError
from monitor.ingest.netpolicy import OriginPolicy
from monitor.models import Document, LayoutNotRecognised, Listing
from monitor.sources.base import Adapter
from monitor.sources.paging import PageRequest, pager_of

#: What the caller does with each page (the request that read it, what it held, the request of the page after it,
#: None when there is none): True to stop after it.
OnPage = Callable[[PageRequest, Listing, PageRequest | None], bool]


@dataclass
class Walk:
    """How a walk went: pages read, whether the caller stopped it, and why it ended."""

    pages: int = 0
    stopped: bool = False  # the caller had what it wanted (known items reached, the date reached)
    ended: str = ""  # why the walk ended
    next_request: PageRequest | None = None  # the page after the last one read (None: there is none)


def walk_back(fetcher: Fetcher, src: SourceSettings, adapter: Adapter, first: Document, listing: Listing, *,
              max_pages: int, on_page: OnPage, start: PageRequest | None = None) -> Walk:
    """Read up to `max_pages` pages older than the first page `first` (parsed as `listing`), or from `start`.

    Raises FetchError "stopped" when the fetcher is stopped (the caller's transaction is then not written).
    """
    walk = Walk()
    pager = pager_of(adapter)
    if pager is None:
        walk.ended = f"the {src.adapter} adapter cannot page back"
        return walk
    request = start if start is not None else pager.older_page(first, listing, None)
    policy = OriginPolicy.for_source(src)
    seen: set[tuple[str, tuple[tuple[str, str], ...] | None]] = set()
    while request is not None:
        if walk.pages >= max_pages:
            walk.ended = f"stopped after {max_pages} older pages (the limit)"
            walk.next_request = request
            return walk
        marker = (request.url, request.form)
        if marker in seen:
            walk.ended = f"{request.label or request.url} was already read (the site's paging goes round in a circle)"
            return walk
        seen.add(marker)
        try:
            result = fetcher.get(request.url, policy=policy, form=request.form)
        except FetchError as exc:
            if exc.kind == "stopped":
                raise
            walk.ended = f"{request.label or 'an older page'} could not be fetched: {exc}"
            walk.next_request = request
            return walk
        if result.doc is None:
            walk.ended = f"{request.label or 'an older page'} answered HTTP {result.status} with no page"
            return walk
        try:
            page = adapter.parse_listing(result.doc)
            if not page.entries:
                raise LayoutNotRecognised("no entries")
        except LayoutNotRecognised as exc:
            walk.ended = f"{request.label or 'an older page'} could not be read: {exc}"
            return walk
        walk.pages += 1
        following = pager.older_page(result.doc, page, request)
        walk.next_request = following
        if on_page(request, page, following):
            walk.stopped, walk.ended = True, "reached what was wanted"
            return walk
        request = following
    walk.ended = walk.ended or "no older page"
    return walk
