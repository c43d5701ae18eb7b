"""Every Rich view of the command line: tables of items, search hits, stories, revisions, evaluation reports and
adapter checks. The library modules return data; only this module draws it, and text from pages goes through
`safe` first (control characters shown, never sent to the terminal)."""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING, Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from monitor.cli.terminal import safe

if TYPE_CHECKING:  # no library module is imported at run time here: a command loads only what it uses
    from monitor.archive.revisions import Revision
    from monitor.archive.search import SearchHit
    from monitor.archive.stories import Story
    from monitor.classify.evaluate import EvalReport
    from monitor.sources.check import CheckReport

HIGHLIGHT = "bold yellow"


def snippet_markup(snippet: str) -> str:
    """Rich markup of a snippet: the matches highlighted, everything else escaped (control characters shown)."""
    from monitor.archive.search import MARK_END, MARK_START

    out: list[str] = []
    for i, chunk in enumerate(snippet.split(MARK_START)):
        if i == 0:
            out.append(escape(safe(chunk)))
            continue
        matched, _, rest = chunk.partition(MARK_END)
        out.append(f"[{HIGHLIGHT}]{escape(safe(matched))}[/{HIGHLIGHT}]{escape(safe(rest))}")
    return "".join(out)


def render_search(hits: list[SearchHit], console: Console) -> None:
    """Print the hits as a table: id, date, source, category, then the title over the highlighted snippet.

    The table has no vertical rules and only the last column wraps, so a title stays readable as one
    phrase even in a narrow or non-terminal console.
    """
    if not hits:
        console.print("No items match.")
        return
    table = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False)
    table.add_column("ID", justify="right", no_wrap=True)
    table.add_column("Date", no_wrap=True)
    table.add_column("Source", no_wrap=True)
    table.add_column("Category", no_wrap=True)
    table.add_column("Title / match", ratio=1)
    for h in hits:
        cell = Text(safe(h.title), style="bold")
        if h.removed_at:
            cell.append(f" (removed {h.removed_at[:10]})", style="red")
        snippet = Text.from_markup(snippet_markup(h.snippet))
        if snippet.plain and snippet.plain != safe(h.title):
            cell.append("\n")
            cell.append_text(snippet)
        category = (h.category or "") + (" ★" if h.high_level else "")
        table.add_row(str(h.id), h.published or h.first_seen_at[:10], h.source, category, cell)
    console.print(table)
    console.print(f"{len(hits)} item(s)", style="dim")


def render_stories(found: list[Story], console: Console) -> None:
    """Print each story with its outlets in order of first sighting and the lag of each behind the first."""
    if not found:
        console.print("No story was carried by more than one outlet.")
        return

    from monitor.archive.stories import format_lag

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("Story", ratio=1)
    table.add_column("Outlet", no_wrap=True)
    table.add_column("First seen (UTC)", no_wrap=True)
    table.add_column("Lag", justify="right", no_wrap=True)
    for n, story in enumerate(found):
        for i, o in enumerate(story.outlets):
            head = Text(f"{story.published or ''} {story.title}".strip(), style="bold") if i == 0 else Text("")
            if i == 0 and story.translation_lag is not None:
                head.append(f"\nEnglish {format_lag(story.translation_lag)} after Korean", style="dim")
            table.add_row(head, o.label, o.first_seen_at[:19].replace("T", " "), format_lag(o.lag),
                          end_section=i == len(story.outlets) - 1 and n < len(found) - 1)
    console.print(table)
    console.print(f"{len(found)} stor{'y' if len(found) == 1 else 'ies'}", style="dim")


def render_revisions(item: dict[str, Any] | None, revs: list[Revision], console: Console) -> int:
    """Print each change of the item as a diff with the times seen; returns the number of changes shown.

    Prints a clear message instead when the item does not exist or was never edited.
    """
    if item is None:
        console.print("No such item.", style="red")
        return 0
    console.print(Text(f"#{item['id']} {safe(item['title'])}", style="bold"), soft_wrap=True)
    console.print(Text(f"{safe(item['url'])}  first seen {item['first_seen_at']}  last seen {item['last_seen_at']}"
                       + (f"  removed {item['removed_at']}" if item.get("removed_at") else ""), style="dim"),
                  soft_wrap=True)
    if len(revs) < 2:
        when = f" (seen {revs[0].seen_at})" if revs else ""
        console.print(f"Only one version of this item is known{when}: it has not been edited.")
        return 0

    changes = 0
    from monitor.archive.revisions import diff

    for n, (old, new) in enumerate(itertools.pairwise(revs), start=2):
        lines = diff(old, new)
        if not lines:
            continue
        changes += 1
        console.print()
        console.print(Text(f"Version {n} of {len(revs)}: seen {new.seen_at} (previous seen {old.seen_at})",
                           style="bold cyan"), soft_wrap=True)
        for line in lines:
            style = ("bold" if line.startswith(("---", "+++")) else "green" if line.startswith("+")
                     else "red" if line.startswith("-") else "cyan" if line.startswith("@@") else "")
            console.print(Text(safe(line), style=style), soft_wrap=True)
    if not changes:
        console.print("The stored versions differ only in whitespace or layout.")
    return changes


def render_report(report: EvalReport, console: Console, max_misses: int = 30) -> None:
    """Print the report as Rich tables: scores, confusion matrix, misses."""
    from monitor.classify.evaluate import CLASSES


    scores = Table(title=f"Classifier on {report.items} items")
    for col in ("decision", "precision", "recall", "F1", "gold", "predicted"):
        scores.add_column(col, justify="left" if col == "decision" else "right")
    rows = [*report.per_class.items(), ("meeting or diplomatic", report.foreign),
            ("high-level meeting", report.high_level)]
    for name, s in rows:
        scores.add_row(name, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support), str(s.predicted))
    console.print(scores)
    console.print(f"high-level meetings with every participant found: {report.participants_found:.1%} "
                  f"of {report.high_level_meetings}; {report.items_per_second:,.0f} items/s", highlight=False)
    if report.office_named is not None:
        o = report.office_named
        console.print(f"high-level meetings whose title or lead names an office: recall {o.recall:.3f}, "
                      f"precision {o.precision:.3f} ({o.support} items)", highlight=False)
    console.print(f"participants resolved outside the holder's term: {len(report.out_of_term)}"
                  + (f" ({', '.join(report.out_of_term[:10])})" if report.out_of_term else ""), highlight=False)
    matrix = Table(title="Confusion (rows gold, columns predicted)")
    matrix.add_column("gold")
    for c in CLASSES:
        matrix.add_column(c, justify="right")
    for g in CLASSES:
        matrix.add_row(g, *(str(report.confusion[g][p]) for p in CLASSES))
    console.print(matrix)
    if report.misses and max_misses > 0:
        misses = Table(title=f"Misses ({len(report.misses)}, first {min(max_misses, len(report.misses))})")
        for col in ("id", "title", "gold", "predicted", "why"):
            misses.add_column(col, overflow="fold")
        for m in report.misses[:max_misses]:
            why = "; ".join(m["reasons"])
            if m["missing"]:
                why = f"missing {', '.join(m['missing'])}; " + why
            misses.add_row(str(m["id"]), m["title"][:90], m["gold"], m["predicted"], why)
        console.print(misses)


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
        older = report.older_page or "none known (after a gap, items that scrolled off cannot be caught up)"
        console.print(Text(f"older page: {older}"))
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


def print_items(rows: list[dict[str, Any]], out: Console) -> None:
    """A Rich table of items; high-level meetings stand out."""
    table = Table(title=f"{len(rows)} items")
    for col in ("id", "published", "category", "source", "title", "participants"):
        table.add_column(col, overflow="fold")
    for r in rows:
        cat = r["category"] or "-"
        style = "bold red" if cat == "meeting" and r["high_level"] else ("yellow" if cat != "domestic" else None)
        table.add_row(str(r["id"]), r["published"] or "-", cat + (" (high)" if r["high_level"] else ""),
                      safe(r["source"]), safe(r["title"]), safe(", ".join(r["participants"])), style=style)
    out.print(table)


def render_appearances(rows: list[dict[str, Any]], console: Console) -> None:
    """The appearances table: person, date, days since the previous one, kind, title."""
    table = Table(title=f"Appearances ({len(rows)})", box=box.SIMPLE)
    for col in ("person", "date", "gap (days)", "kind", "item", "title"):
        table.add_column(col, overflow="fold", no_wrap=col != "title")
    for r in rows:
        gap = r["days_since_previous"]
        table.add_row(safe(r["person"]), r["date"], "-" if gap is None else str(gap), r["kind"], str(r["item_id"]),
                      escape(safe(r["title"] or "")), style="yellow" if gap is not None and gap >= 14 else None)
    console.print(table)


def render_ranks(rows: list[dict[str, Any]], console: Console) -> None:
    """Each person's positions over time in the lists of names (accompanying, present, presidium, committee)."""
    table = Table(title=f"Positions in lists of names ({len(rows)})", box=box.SIMPLE)
    for col in ("person", "date", "list", "position", "item", "title"):
        table.add_column(col, overflow="fold", no_wrap=col != "title")
    for r in rows:
        table.add_row(safe(r["person"]), r["date"] or "-", r["kind"], f"{r['position']} of {r['of']}",
                      str(r["item_id"]), escape(safe(r["title"] or "")))
    console.print(table)


def render_translations(rows: list[dict[str, Any]], console: Console) -> None:
    """Print each Korean item with its English version and the translation lag (first sightings)."""
    if not rows:
        console.print("No Korean item has been paired with an English version.")
        return
    from datetime import datetime

    from monitor.archive.stories import format_lag

    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("Korean", "English", "Lag"):
        table.add_column(col, ratio=1 if col != "Lag" else None, no_wrap=col == "Lag")
    for r in rows:
        lag = datetime.fromisoformat(r["en_first_seen_at"]) - datetime.fromisoformat(r["ko_first_seen_at"])
        shown = format_lag(lag) if lag.total_seconds() >= 0 else "-" + format_lag(-lag).lstrip("+") + " (English first)"
        table.add_row(Text(f"#{r['ko_id']} {safe(r['ko_title'])}\n{safe(r['ko_source'])}"),
                      Text(f"#{r['en_id']} {safe(r['en_title'])}\n{safe(r['en_source'])}"), shown)
    console.print(table)
    console.print(f"{len(rows)} pair(s)", style="dim")
