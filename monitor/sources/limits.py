"""Bounds on what one page may hand the rest of the pipeline, applied to every adapter's results.

A hostile or broken page can list a million entries, a title of megabytes or a date in the year 9999. Each
adapter's `parse_listing` and `parse_article` is decorated here (`bounded_listing`, `bounded_article`): entries
past MAX_ENTRIES are dropped, titles, teasers and bodies are cut (titles at a word boundary), an entry whose URL
is longer than MAX_URL is skipped, and a date before MIN_YEAR, after MAX_YEAR or more than FUTURE_DAYS after the
capture is treated as missing. Every cut is named in the result's warnings, which the pipeline logs and keeps.

Notes raised while the page is read (a page nested too deeply, see monitor.sources.depth) are collected with
`note` and added to the same warnings.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from functools import wraps
from typing import Any, TypeVar

from monitor.models import Article, Document, Entry, Listing
from monitor.sources.dates import capture_day

MAX_ENTRIES = 1000
MAX_TITLE = 1000
MAX_TEASER = 4000
MAX_BODY = 200_000
MAX_URL = 2048
MAX_WARNING = 300
MAX_WARNINGS = 100
MIN_YEAR = 1900
MAX_YEAR = 2100
FUTURE_DAYS = 2
ELLIPSIS = "…"

_STATE = threading.local()


def note(message: str) -> None:
    """Record a warning about the page being parsed; it joins the warnings of the listing or article."""
    notes: list[str] | None = getattr(_STATE, "notes", None)
    if notes is not None:
        notes.append(message)


@contextmanager
def collecting() -> Iterator[list[str]]:
    """Collect the `note`s of the parse running inside the block (parses may nest: each keeps its own)."""
    outer: list[str] | None = getattr(_STATE, "notes", None)
    notes: list[str] = []
    _STATE.notes = notes
    try:
        yield notes
    finally:
        _STATE.notes = outer


def cut_text(text: str, limit: int) -> str:
    """`text` if it fits in `limit` characters, else cut at the last space of the first `limit` (or hard when a
    word runs over half the limit), ending in an ellipsis; never longer than `limit`."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    space = head.rfind(" ")
    if space > limit // 2:
        head = head[:space]
    return head.rstrip() + ELLIPSIS


def latest_date(captured: datetime) -> date:
    """The latest plausible publication date of a page captured at `captured`."""
    return capture_day(captured) + timedelta(days=FUTURE_DAYS)


def sane_date(published: date | None, captured: datetime, latest: date | None = None) -> date | None:
    """`published` when it is plausible: within MIN_YEAR..MAX_YEAR and at most FUTURE_DAYS after the capture
    (`latest`: that last day, when already known)."""
    if published is None:
        return None
    if not MIN_YEAR <= published.year <= MAX_YEAR:
        return None
    if published > (latest or latest_date(captured)):
        return None
    return published


def _label(title: str) -> str:
    return repr(cut_text(title, 80))


def bound_warnings(warnings: list[str]) -> list[str]:
    """At most MAX_WARNINGS warnings of at most MAX_WARNING characters each (a title quoted in full can be
    megabytes long); the ones left out are counted in the last."""
    kept = [cut_text(w, MAX_WARNING) for w in warnings[:MAX_WARNINGS]]
    if len(warnings) > MAX_WARNINGS:
        kept.append(f"... and {len(warnings) - MAX_WARNINGS} more warnings")
    return kept


def _tidy(warnings: list[str]) -> bool:
    return len(warnings) <= MAX_WARNINGS and all(len(w) <= MAX_WARNING for w in warnings)


def bound_entry(entry: Entry, position: int, latest: date, warnings: list[str]) -> Entry | None:
    """The entry within the bounds (cut or undated as needed, with a warning), or None to skip it; `latest` is
    the latest plausible date (`latest_date`)."""
    if len(entry.url) > MAX_URL:
        warnings.append(f"entry {position} {_label(entry.title)}: URL of {len(entry.url)} characters "
                        f"(limit {MAX_URL}); skipped")
        return None
    changes: dict[str, Any] = {}
    if len(entry.title) > MAX_TITLE:
        changes["title"] = cut_text(entry.title, MAX_TITLE)
        warnings.append(f"entry {position} {_label(entry.title)}: title of {len(entry.title)} characters cut "
                        f"to {MAX_TITLE}")
    if entry.teaser is not None and len(entry.teaser) > MAX_TEASER:
        changes["teaser"] = cut_text(entry.teaser, MAX_TEASER)
        warnings.append(f"entry {position} {_label(entry.title)}: teaser of {len(entry.teaser)} characters cut "
                        f"to {MAX_TEASER}")
    if entry.outlet is not None and len(entry.outlet) > MAX_TITLE:
        changes["outlet"] = cut_text(entry.outlet, MAX_TITLE)
    published = entry.published
    if published is not None and not (MIN_YEAR <= published.year <= MAX_YEAR and published <= latest):
        changes["published"] = None
        warnings.append(f"entry {position} {_label(entry.title)}: implausible date {entry.published} "
                        f"treated as missing")
    return dataclasses.replace(entry, **changes) if changes else entry


def bound_listing(listing: Listing, doc: Document, notes: list[str]) -> Listing:
    """The listing within the bounds; the same object when nothing was cut and nothing noted."""
    warnings: list[str] = list(notes)
    entries: list[Entry] = []
    changed = bool(notes)
    latest = latest_date(doc.fetched_at)
    for position, entry in enumerate(listing.entries[:MAX_ENTRIES], 1):
        bounded = bound_entry(entry, position, latest, warnings)
        changed = changed or bounded is not entry
        if bounded is not None:
            entries.append(bounded)
    if len(listing.entries) > MAX_ENTRIES:
        changed = True
        warnings.append(f"the page lists {len(listing.entries)} entries; only the first {MAX_ENTRIES} are kept")
    if not changed and _tidy(listing.warnings):
        return listing
    return Listing(entries=entries, layout=listing.layout, warnings=bound_warnings([*listing.warnings, *warnings]))


def bound_article(article: Article, doc: Document, notes: list[str]) -> Article:
    """The article within the bounds; the same object when nothing was cut and nothing noted."""
    warnings: list[str] = list(notes)
    changes: dict[str, Any] = {}
    if article.title is not None and len(article.title) > MAX_TITLE:
        changes["title"] = cut_text(article.title, MAX_TITLE)
        warnings.append(f"title of {len(article.title)} characters cut to {MAX_TITLE}")
    if len(article.body) > MAX_BODY:
        changes["body"] = cut_text(article.body, MAX_BODY)
        warnings.append(f"body of {len(article.body)} characters cut to {MAX_BODY}")
    if article.outlet is not None and len(article.outlet) > MAX_TITLE:
        changes["outlet"] = cut_text(article.outlet, MAX_TITLE)
    if article.published is not None and sane_date(article.published, doc.fetched_at) is None:
        changes["published"] = None
        warnings.append(f"implausible date {article.published} treated as missing")
    if not changes and not warnings and _tidy(article.warnings):
        return article
    return dataclasses.replace(article, **changes, warnings=bound_warnings([*article.warnings, *warnings]))


_Method = TypeVar("_Method", bound=Callable[..., Any])


def bounded_listing(parse_listing: _Method) -> _Method:
    """Decorate an adapter's `parse_listing(self, doc)` so that its result stays within the bounds."""

    @wraps(parse_listing)
    def wrapper(self: Any, doc: Document) -> Listing:
        with collecting() as notes:
            listing: Listing = parse_listing(self, doc)
        return bound_listing(listing, doc, notes)

    return wrapper  # type: ignore[return-value]


def bounded_article(parse_article: _Method) -> _Method:
    """Decorate an adapter's `parse_article(self, doc)` so that its result stays within the bounds."""

    @wraps(parse_article)
    def wrapper(self: Any, doc: Document) -> Article:
        with collecting() as notes:
            article: Article = parse_article(self, doc)
        return bound_article(article, doc, notes)

    return wrapper  # type: ignore[return-value]
