"""`monitor backfill SOURCE --since DAY`: walk a listing's older pages down to a day, storing what they hold.

Each page is stored in one transaction together with the request of the page after it, so a backfill stopped
by Ctrl-C, a crash or a failed page starts again where it stopped (on a fresh first page: a KCNA form needs the
new session's token). Requests go through the same fetcher as the daemon's (fetch policy, `min_delay` per host,
retries). Items of older pages are old news when published long before they are found: stored and classified,
never alerted. A backfill that reaches its day closes the source's open gaps that began after it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from monitor.config import SourceSettings
from monitor.ingest.catchup import walk_back
from monitor.ingest.fetch import FetchError
from monitor.ingest.netpolicy import OriginPolicy
from monitor.ingest.pipeline import Context, RunSummary, ingest_page
from monitor.logging import get_logger
from monitor.models import LayoutNotRecognised, Listing
from monitor.sources import get_adapter
from monitor.sources.paging import PageRequest, pager_of, resume_request
from monitor.store import Tx, coverage, utcnow

log = get_logger("backfill")

#: A backfill reads at most this many pages in one go (a site whose paging never ends cannot hold it forever).
MAX_PAGES = 100_000


class BackfillError(Exception):
    """The backfill cannot start: the adapter cannot page back, or the first page cannot be had."""


@dataclass
class Progress:
    """Where a backfill is: pages and new items so far, the oldest day reached, the page just read."""

    pages: int
    items: int
    oldest: date | None
    label: str


@dataclass
class Outcome:
    """How a backfill ended."""

    pages: int
    items: int
    oldest: date | None
    complete: bool  # reached the day, or the listing's end
    resumed: bool  # started where an earlier backfill stopped
    ended: str
    warnings: list[str]


def _oldest(listing: Listing) -> date | None:
    days = [e.published for e in listing.entries if e.published is not None]
    return min(days) if days else None


def backfill(ctx: Context, src: SourceSettings, since: date,
             on_progress: Callable[[Progress], None] | None = None) -> Outcome:
    """Store the pages of `src` from its first page (or where the last backfill stopped) down to `since`.

    Raises BackfillError when it cannot start, FetchError "stopped" when the fetcher is stopped (what was stored
    stays, and the next backfill resumes after it).
    """
    adapter = get_adapter(src.adapter, src.adapter_options)
    if pager_of(adapter) is None:
        why = " without a `next` selector in [sources.css]" if src.adapter == "css" else ""
        raise BackfillError(f"the {src.adapter} adapter{why} cannot page back through a listing")
    try:
        first = ctx.fetcher.get(src.url_str, policy=OriginPolicy.for_source(src))
        if first.doc is None:
            raise BackfillError(f"{src.shown_url} answered HTTP {first.status} with no page")
        listing = adapter.parse_listing(first.doc)
    except FetchError as exc:
        if exc.kind == "stopped":
            raise
        raise BackfillError(f"the first page of {src.name} cannot be had: {exc}") from None
    except LayoutNotRecognised as exc:
        raise BackfillError(f"the first page of {src.name} is not recognised: {exc} "
                            f"(run `monitor check {src.name}`)") from None
    summary = RunSummary(src.name, "backfill")
    saved = coverage.backfill_position(ctx.store, src.name)
    pages = int(saved["pages"]) if saved else 0
    items = int(saved["items"]) if saved else 0
    oldest = date.fromisoformat(saved["oldest"]) if saved and saved["oldest"] else None
    start: PageRequest | None = None
    if saved is not None:
        start = resume_request(adapter, first.doc, PageRequest.from_json(saved["next_request"]))
        log.info("backfill resumed", source=src.name, at=start.label or start.url, pages=pages)
    else:
        items += ingest_page(ctx, src, listing, summary, live=True)
        oldest = _oldest(listing)
    state = Progress(pages, items, oldest, "first page" if start is None else f"resuming at {start.label}")
    if on_progress is not None:
        on_progress(state)
    if start is None and oldest is not None and oldest < since:
        return _finish(ctx, src, since, state, True, False, "the first page already reaches the day", summary)

    def on_page(request: PageRequest, page: Listing, following: PageRequest | None) -> bool:
        page_oldest = _oldest(page)
        state.pages += 1
        state.label = request.label or request.url
        if page_oldest is not None:
            state.oldest = min(page_oldest, state.oldest) if state.oldest else page_oldest

        def remember(db: Tx, added: int) -> None:
            if following is not None:
                coverage.save_backfill(db, src.name, since.isoformat(), following.to_json(), state.pages,
                                       state.items + added, state.oldest.isoformat() if state.oldest else None,
                                       utcnow())

        state.items += ingest_page(ctx, src, page, summary, live=False, then=remember)
        if on_progress is not None:
            on_progress(state)
        return state.oldest is not None and state.oldest < since

    walk = walk_back(ctx.fetcher, src, adapter, first.doc, listing, max_pages=MAX_PAGES, on_page=on_page,
                     start=start)
    complete = walk.stopped or walk.next_request is None
    ended = "reached the day" if walk.stopped else walk.ended
    return _finish(ctx, src, since, state, complete, saved is not None, ended, summary)


def _finish(ctx: Context, src: SourceSettings, since: date, state: Progress, complete: bool, resumed: bool,
            ended: str, summary: RunSummary) -> Outcome:
    """Forget a finished backfill (closing the gaps it covered); keep an unfinished one's position."""
    if complete:
        with ctx.store.transaction() as db:
            coverage.end_backfill(db, src.name)
            closed = coverage.close_gaps(db, src.name, utcnow(), f"closed by a backfill down to {since.isoformat()}",
                                         since_on_or_after=since.isoformat())
        if closed:
            log.info("gaps closed by backfill", source=src.name, gaps=closed)
    log.info("backfill", source=src.name, pages=state.pages, items=state.items, complete=complete, ended=ended)
    return Outcome(state.pages, state.items, state.oldest, complete, resumed, ended, summary.warnings)
