"""The bodies of `monitor backfill`, `monitor import` and `monitor gaps` (the Typer wrappers are in commands.py)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from monitor.cli.terminal import real_console, safe
from monitor.config import Settings


def run_backfill(s: Settings, name: str, since: date, out: Console, err: Console) -> int:
    """Backfill one source down to `since` with a progress bar; the exit code (0 done, 1 stopped or failed)."""
    from monitor.ingest.backfill import BackfillError, backfill
    from monitor.ingest.backfill import Progress as Step
    from monitor.ingest.fetch import FetchError
    from monitor.runtime.runner import close_context, open_context

    src = s.source(name)
    stop = threading.Event()
    ctx = open_context(s, stop=stop)
    columns = (TextColumn("[bold]{task.description}"), BarColumn(), TaskProgressColumn(),
               TextColumn("{task.fields[detail]}"), TimeElapsedColumn())
    try:
        with Progress(*columns, console=real_console(err), transient=False) as bar:
            task = bar.add_task(f"backfill {name}", total=None, detail="first page")

            def show(step: Step) -> None:
                reached = step.oldest.isoformat() if step.oldest else "?"
                if step.oldest is not None:
                    newest = date.today()
                    span = max((newest - since).days, 1)
                    bar.update(task, total=span, completed=min(max((newest - step.oldest).days, 0), span))
                bar.update(task, detail=f"{step.pages} pages, {step.items} new items, reached {reached} "
                                        f"({safe(step.label)[:60]})")

            try:
                outcome = backfill(ctx, src, since, show)
            except KeyboardInterrupt:
                stop.set()
                err.print(f"interrupted: what was stored stays; run `monitor backfill {name} --since "
                          f"{since.isoformat()}` again to go on where it stopped", markup=False, highlight=False)
                return 1
    except BackfillError as exc:
        err.print(f"error: backfill {name}: {exc}", markup=False, highlight=False)
        return 1
    except FetchError as exc:
        err.print(f"stopped: {exc}; run the command again to resume", markup=False, highlight=False)
        return 1
    finally:
        close_context(ctx)
    for warning in outcome.warnings[:10]:
        err.print(f"warning: {warning}", markup=False, highlight=False)
    reached = outcome.oldest.isoformat() if outcome.oldest else "no dated item"
    how = "resumed, " if outcome.resumed else ""
    if outcome.complete:
        out.print(f"backfill {name}: {how}{outcome.pages} older pages, {outcome.items} new items, reached {reached} "
                  f"({outcome.ended})", markup=False, highlight=False)
        return 0
    err.print(f"backfill {name}: {how}stopped after {outcome.pages} older pages, {outcome.items} new items, reached "
              f"{reached}: {outcome.ended}; run the same command again to resume", markup=False, highlight=False)
    return 1


def run_import(s: Settings, paths: list[Path], source: str | None, fmt: str, out: Console, err: Console) -> int:
    """Import archive files with a progress line; the exit code (0 imported, 1 some rows skipped, 2 a file is
    unreadable: the files before it stay imported)."""
    from monitor.classify import Classifier
    from monitor.ingest.importer import ImportFileError, Outcome, import_file
    from monitor.store import Store

    gazetteer = s.resolve(s.classify.gazetteer) if s.classify.gazetteer else None
    classifier = Classifier.load(gazetteer)
    store = Store(s.db_path)
    skipped = 0
    try:
        with Progress(TextColumn("[bold]import"), TextColumn("{task.fields[detail]}"), TimeElapsedColumn(),
                      console=real_console(err)) as bar:
            task = bar.add_task("import", total=None, detail="")
            for path in paths:
                def show(o: Outcome, name: str = path.name) -> None:
                    bar.update(task, detail=f"{name}: {o.read:,} rows read, {o.stored:,} stored, "
                                            f"{o.duplicates:,} duplicates")

                outcome = import_file(s, store, classifier, path, source=source, fmt=fmt,  # type: ignore[arg-type]
                                      on_progress=show)
                skipped += outcome.skipped
                for warning in outcome.warnings[:20]:
                    err.print(f"warning: {path}: {warning}", markup=False, highlight=False)
                out.print(f"{path}: {outcome.read:,} rows, {outcome.stored:,} new items ({outcome.meetings} "
                          f"meetings), {outcome.duplicates:,} already stored, {outcome.skipped:,} skipped, "
                          f"{outcome.alerts} alerts queued", markup=False, highlight=False)
    except ImportFileError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        return 2
    finally:
        store.close()
    return 1 if skipped else 0


def gaps_table(rows: list[dict[str, Any]]) -> Table:
    """The gaps, newest first."""
    table = Table(title="Gaps (first pages that shared nothing with earlier polls)")
    for col in ("source", "since", "found", "closed", "pages", "recovered"):
        table.add_column(col, no_wrap=True)
    table.add_column("note", overflow="fold")
    for r in rows:
        table.add_row(r["source"], (r["since"] or "-")[:16], r["detected_at"][:16], (r["closed_at"] or "OPEN")[:16],
                      str(r["pages"]), str(r["recovered"]), safe(r["note"] or ""),
                      style=None if r["closed_at"] else "yellow")
    return table
