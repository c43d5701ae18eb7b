"""`monitor check`: what an adapter extracts from one page, for a user checking a site after a redesign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources import adapter_kind, get_adapter
from monitor.sources.paging import pager_of


@dataclass
class CheckReport:
    """The outcome of checking one page: a listing (entries), an article, or the reason neither was found."""

    adapter: str
    url: str
    layout: str | None = None
    kind: Literal["listing", "article"] | None = None
    entries: list[Entry] = field(default_factory=list)
    article: Article | None = None
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    older_page: str | None = None  # how the next older page would be asked for (catch-up, backfill), if known

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready data (what `monitor check --json` prints)."""
        article = None
        if self.article is not None:
            a = self.article
            article = {"title": a.title, "published": a.published.isoformat() if a.published else None,
                       "outlet": a.outlet, "body": a.body, "warnings": list(a.warnings)}
        return {
            "adapter": self.adapter, "url": self.url, "layout": self.layout, "kind": self.kind,
            "recognised": self.error is None, "error": self.error, "warnings": list(self.warnings),
            "entries": [{"title": e.title, "url": e.url, "published": e.published.isoformat() if e.published else None,
                         "outlet": e.outlet, "teaser": e.teaser} for e in self.entries],
            "article": article, "older_page": self.older_page,
        }


def check_document(kind: str, doc: Document, options: Mapping[str, Any] | None = None) -> CheckReport:
    """Run the adapter `kind` on `doc`: as a listing first, then as an article page.

    Never raises for a page the adapter does not recognise: the report's `error` says why.
    """
    report = CheckReport(adapter=kind, url=doc.url)
    try:
        adapter = get_adapter(kind, options or {})
    except (KeyError, ValueError) as exc:
        report.error = str(exc.args[0]) if exc.args else str(exc)
        return report
    reasons: list[str] = []
    try:
        listing = adapter.parse_listing(doc)
    except LayoutNotRecognised as exc:
        reasons.append(f"as a listing: {exc}")
    else:
        report.layout, report.kind = listing.layout, "listing"
        report.entries = list(listing.entries)
        report.warnings = list(listing.warnings)
        if not adapter_kind(kind).articles:
            report.warnings.append(f"article fetching is not available for the {kind} adapter: its items have no "
                                   "article URL, so titles (and teasers) are all that is classified")
        if not listing.entries:
            report.warnings.append("the listing parsed to zero entries: the layout has probably changed")
        report.older_page = _older_page(adapter, doc, listing)
        return report
    try:
        article = adapter.parse_article(doc)
    except LayoutNotRecognised as exc:
        reasons.append(f"as an article: {exc}")
    else:
        report.kind, report.article = "article", article
        report.layout = f"{kind}-article"
        report.warnings = list(article.warnings)
        return report
    report.error = "layout not recognised; " + "; ".join(reasons)
    return report


def _older_page(adapter: object, doc: Document, listing: Listing) -> str | None:
    """How the page older than this listing would be asked for ("POST url (page 2)", "GET url"), or None."""
    pager = pager_of(adapter)
    if pager is None:
        return None
    request = pager.older_page(doc, listing, None)
    if request is None:
        return None
    how = "POST" if request.form is not None else "GET"
    label = f" ({request.label})" if request.label and request.label != request.url else ""
    return f"{how} {request.url}{label}"
