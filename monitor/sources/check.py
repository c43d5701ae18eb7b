"""`monitor check`: what an adapter extracts from one page, for a user checking a site after a redesign."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rich.console import Console
from rich.table import Table
from rich.text import Text

from monitor.models import Article, Document, Entry, LayoutNotRecognised
from monitor.sources import get_adapter


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
        if not listing.entries:
            report.warnings.append("the listing parsed to zero entries: the layout has probably changed")
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


def render_check(report: CheckReport, console: Console) -> None:
    """Print the report: a table of entries (title, date, URL, outlet) or the article, then warnings."""
    if report.error is not None:
        console.print(Text(f"{report.adapter}: {report.url}", style="bold"))
        console.print(Text(report.error, style="bold red"))
        return
    console.print(Text(f"{report.adapter}: {report.url}  layout {report.layout} ({report.kind})", style="bold"))
    if report.kind == "listing":
        table = Table(title=f"{len(report.entries)} entries")
        table.add_column("#", justify="right")
        table.add_column("title", overflow="fold")
        table.add_column("date", no_wrap=True)
        table.add_column("URL", overflow="fold")
        table.add_column("outlet")
        for i, e in enumerate(report.entries, 1):
            table.add_row(str(i), e.title, e.published.isoformat() if e.published else "-", e.url, e.outlet or "")
        console.print(table)
    elif report.article is not None:
        a = report.article
        table = Table(show_header=False)
        table.add_column("field", style="bold")
        table.add_column("value", overflow="fold")
        table.add_row("title", a.title or "-")
        table.add_row("date", a.published.isoformat() if a.published else "-")
        table.add_row("outlet", a.outlet or "")
        paras = a.body.split("\n") if a.body else []
        table.add_row("body", f"{len(paras)} paragraphs, {len(a.body)} characters")
        if paras:
            table.add_row("lead", paras[0][:300])
        console.print(table)
    for w in report.warnings:
        console.print(Text(f"warning: {w}", style="yellow"))
