"""The `monitor` command line: a thin Typer layer over the library."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, cast

import typer

if TYPE_CHECKING:
    from rich.console import Console
from monitor.cli.terminal import LazyConsole, safe
from monitor.config import ConfigError, Settings, find_config, load_settings
from monitor.logging import configure_logging
from monitor.store import Store, StoreError

app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, pretty_exceptions_enable=False,
                  help="Watch DPRK state-media sites, classify every item, alert on new high-level meetings.")
alerts_app = typer.Typer(add_completion=False, help="Alert deliveries: list, retry, test, re-enable channels.")
app.add_typer(alerts_app, name="alerts")
# Piped output (logs, mail, CI) gets room for a readable table instead of the 80-column default.
out = cast("Console", LazyConsole(soft_wrap=True, width=None if sys.stdout.isatty() else 140))
err = cast("Console", LazyConsole(stderr=True, soft_wrap=True))


class State:
    config: Path | None = None


def fail(message: str, code: int = 2) -> NoReturn:
    """Print an error to stderr and exit with `code`."""
    err.print(f"error: {message}", markup=False, highlight=False)
    raise typer.Exit(code)


def settings() -> Settings:
    """Load the config named by --config / MONITOR_CONFIG / the default locations, or exit 2."""
    try:
        loaded = load_settings(find_config(State.config))
    except ConfigError as exc:
        fail(str(exc))
    configure_logging(loaded.log.level, loaded.log.format)
    from monitor.config import exposed_secrets

    if warning := exposed_secrets(loaded):
        err.print(f"warning: {warning}", markup=False, highlight=False)
    return loaded


def open_store(s: Settings) -> Store:
    """Open the configured database, or exit 2 with what is wrong."""
    try:
        return Store(s.db_path)
    except StoreError as exc:
        fail(str(exc))


CATEGORIES = ("meeting", "diplomatic", "domestic")
ALERT_STATUSES = ("pending", "sent", "dead")


def _check_choice(option: str, value: str | None, choices: tuple[str, ...]) -> None:
    """Exit 2 when an option's value is not one of `choices`."""
    if value is not None and value not in choices:
        fail(f"{option} must be {', '.join(choices[:-1])} or {choices[-1]}, not {value!r}")


def print_json(data: Any) -> None:
    """Write JSON to stdout (plain, so that pipes get exactly JSON)."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.callback()
def main_options(
    config: Annotated[Path | None, typer.Option("--config", "-c", envvar="MONITOR_CONFIG",
                                                help="Config file (TOML). Default: config/monitor.toml.")] = None,
) -> None:
    """Global options."""
    State.config = config


@app.command()
def run(
    once: Annotated[bool, typer.Option("--once", help="One pass over every source, deliver due alerts, exit.")] = False,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Only this source (repeatable).")] = None,
) -> None:
    """Run the daemon (or one pass with --once: exit 0 all fine, 1 some source failed, 2 bad usage/config)."""
    from monitor.classify.gazetteer import GazetteerError
    from monitor.runtime.instance import AlreadyRunning

    s = settings()
    configure_logging(s.log.level, s.log.format, now=True)  # threads log from the start
    if once:
        from monitor.runtime.app import Poller

        try:
            poller = Poller(s, holder="monitor run --once")
        except (ConfigError, StoreError, GazetteerError, AlreadyRunning) as exc:
            fail(str(exc))
        with poller:
            try:
                summaries = poller.poll(source)
            except ConfigError as exc:
                fail(str(exc))
            delivered = poller.deliver()
        failed = [x for x in summaries if x.failed]
        for x in failed:
            err.print(f"{x.source}: {x.status}: {x.error}", markup=False, highlight=False)
        for problem in delivered.errors:
            err.print(f"alert {problem}", markup=False, highlight=False)
        new = sum(x.new_items for x in summaries)
        err.print(f"{len(summaries)} sources, {len(failed)} failed, {new} new items, {delivered.sent} alerts sent",
                  markup=False, highlight=False)
        raise typer.Exit(1 if failed else 0)
    from monitor.runtime.daemon import Daemon

    if source:
        fail("--source works with --once only")
    try:
        daemon = Daemon(s)
    except (StoreError, GazetteerError, AlreadyRunning) as exc:
        fail(str(exc))
    daemon.run()


@app.command()
def status(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Health of every source, alert counts and item counts."""
    s = settings()
    store = open_store(s)
    data = store.status([x.name for x in s.sources])
    from monitor.store.signals import days_since

    data["leader"] = days_since(store)
    if as_json:
        print_json(data)
        return
    from rich.table import Table

    table = Table(title=f"Sources ({s.db_path})")
    for col in ("source", "adapter", "status", "last ok", "failures", "items"):
        table.add_column(col, no_wrap=True)
    table.add_column("last error or warnings", overflow="fold")
    for src in data["sources"]:
        failing = src["consecutive_failures"]
        style = "red" if failing else ("green" if src["last_ok_at"] else "yellow")
        error = (src["last_error"] or "").replace(src["url"], "the source URL")
        if not error and src["warnings"]:
            more = len(src["warnings"]) - 1
            error = f"{len(src['warnings'])} warning(s): {src['warnings'][0]}" + (f" (+{more} more)" if more else "")
        state = src["last_status"] or "never run"
        if src["gap"]:
            state, style = f"{state}, gap", "yellow" if not failing else style
            error = (f"gap since {(src['gap_since'] or 'the first poll')[:16]}: items may be missing "
                     f"(`monitor backfill {src['name']} --since DAY` pages back; `monitor gaps` lists them)"
                     + (f"; {error}" if error else ""))
        table.add_row(src["name"], src["adapter"], state, (src["last_ok_at"] or "-")[:16],
                      str(failing), str(src["items"]), safe(error), style=style)
    out.print(table)
    a, i = data["alerts"], data["items"]
    out.print(f"alerts: {a['pending']} pending, {a['sent']} sent, {a['dead']} dead; items: {i['total']} "
              f"({i['high_level_meetings']} high-level meetings, {i['events']} events)", highlight=False)
    if leader := data["leader"]:
        out.print(f"{leader['person']}: last appearance {leader['last_seen']} ({leader['days']} days ago)",
                  highlight=False)


@app.command()
def items(
    source: Annotated[str | None, typer.Option(help="Only items seen on this source.")] = None,
    category: Annotated[str | None, typer.Option(help="meeting | diplomatic | domestic")] = None,
    since: Annotated[str | None, typer.Option(help="Published (or first seen) on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published (or first seen) on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many (0 = all).")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    language: Annotated[str | None, typer.Option(help="Only items in this language (ko, en, ...).")] = None,
    korean_only: Annotated[bool, typer.Option(
        "--korean-only", help="Only Korean items with no English version 48 hours after they were seen.")] = False,
) -> None:
    """Stored items, newest first."""
    from monitor.cli.views import print_items
    _check_choice("--category", category, CATEGORIES)
    s = settings()
    try:
        rows = open_store(s).items(source=source, category=category, since=since, until=until, limit=limit or None,
                                   language=language, korean_only=korean_only)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json(rows)
        return
    print_items(rows, out)



@app.command()
def demo(
    directory: Annotated[Path | None, typer.Option("--dir", help="Where to put the demo config and database.")] = None,
) -> None:
    """Watch the whole pipeline work on a local stand-in for KCNA (no real site is contacted)."""
    import tempfile
    from datetime import date

    from monitor.cli.views import print_items
    from monitor.runtime.app import Poller
    from monitor.runtime.demo import demo_config, demo_site, sample_stories

    work = directory or Path(tempfile.mkdtemp(prefix="monitor-demo-"))
    work.mkdir(parents=True, exist_ok=True)
    site = demo_site(sample_stories(date.today()))
    try:
        path = work / "monitor.toml"
        path.write_text(demo_config(site.base), encoding="utf-8")
        s = load_settings(path)
        configure_logging("warning", "console")
        with Poller(s, holder="monitor demo") as poller:
            summaries = poller.poll()
            poller.deliver()
            print_items(poller.ctx.store.items(), out)
        for x in summaries:
            out.print(f"source {x.source}: {x.status}, {x.entries} entries, {x.new_items} new items", highlight=False)
        for hook in site.posts():
            body: Any = hook.json()
            data = body.get("data", {})
            out.print(f"webhook received: {body.get('type')}: {data.get('title')} "
                      f"({', '.join(data.get('participants', []))})", highlight=False)
    finally:
        site.close()
    out.print(f"\nDemo config and database are in {work}. Explore them with:\n"
              f"  monitor --config {path} status\n  monitor --config {path} items --category meeting\n"
              f"  monitor --config {path} alerts", highlight=False)


@app.command()
def sources() -> None:
    """The configured sources."""
    from rich.table import Table
    s = settings()
    table = Table(title=f"{len(s.sources)} sources ({s.config_path})")
    for col in ("name", "adapter", "url", "interval", "articles", "enabled"):
        table.add_column(col, overflow="fold")
    for src in s.sources:
        table.add_row(src.name, src.adapter, src.shown_url, f"{src.interval:g} s",
                      "yes" if src.reads_articles else ("n/a" if src.fetch_articles else "no"),
                      "yes" if src.enabled else "no")
    out.print(table)


@alerts_app.callback(invoke_without_command=True)
def alerts_list(
    ctx: typer.Context,
    status_filter: Annotated[str | None, typer.Option("--status", help="pending | sent | dead")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Alert deliveries: status, attempts, last error."""
    from rich.table import Table
    if ctx.invoked_subcommand is not None:
        return
    _check_choice("--status", status_filter, ALERT_STATUSES)
    s = settings()
    rows = open_store(s).alerts(status_filter)
    if as_json:
        print_json([{k: r[k] for k in ("id", "channel", "status", "attempts", "last_error", "event_id", "kind",
                                       "created_at", "sent_at")} for r in rows])
        return
    table = Table(title=f"{len(rows)} alerts")
    for col in ("id", "channel", "kind", "status", "attempts", "created", "last error"):
        table.add_column(col, overflow="fold")
    for r in rows:
        style = {"dead": "red", "pending": "yellow"}.get(r["status"])
        table.add_row(r["id"], r["channel"], r["kind"], r["status"], str(r["attempts"]), r["created_at"][:19],
                      safe(r["last_error"]), style=style)
    out.print(table)


@alerts_app.command("retry")
def alerts_retry(alert_id: Annotated[str, typer.Argument(help="The alert id (see `monitor alerts`).")]) -> None:
    """Put a dead alert back in line and try to deliver it now."""
    from monitor.alerts.dispatch import Dispatcher
    from monitor.store.outbox import retry

    s = settings()
    store = open_store(s)
    if not retry(store, alert_id):
        fail(f"no pending or dead alert {alert_id!r} (see `monitor alerts`)", 1)
    dispatcher = Dispatcher(s, store)
    try:
        result = dispatcher.run_once()
    finally:
        dispatcher.close()
    from monitor.store.outbox import alert_status

    row = alert_status(store, alert_id) or {}
    out.print(f"{alert_id}: {row.get('status')} {row.get('last_error') or ''}".strip(), markup=False)
    raise typer.Exit(0 if row.get("status") == "sent" else 1 if result.errors else 0)


@alerts_app.command("enable")
def alerts_enable(channel: Annotated[str, typer.Argument(help="webhook | email")]) -> None:
    """Re-enable a channel that was disabled (its endpoint answered 410 Gone)."""
    from monitor.store.outbox import enable_channel

    s = settings()
    done = enable_channel(open_store(s), channel)
    out.print(f"{channel}: {'enabled again' if done else 'was not disabled'}", markup=False)


@alerts_app.command("test")
def alerts_test() -> None:
    """Send a test message to every configured channel and show each result."""
    from datetime import UTC, datetime

    from rich.markup import escape

    from monitor.alerts import AlertMessage
    from monitor.alerts.dispatch import Dispatcher

    s = settings()
    dispatcher = Dispatcher(s, open_store(s))
    from monitor.alerts.channels import NAMES, configured_channels

    channels = configured_channels(s)
    if not channels:
        fail(f"no alert channel configured ({' or '.join(f'[alerts.{n}]' for n in NAMES)})")
    now = datetime.now(UTC)
    msg = AlertMessage(alert_id=f"msg_test_{int(now.timestamp())}", kind="test", created_at=now,
                       payload={"message": "Test message from monitor: this channel works.",
                                "sent_at": now.isoformat()})
    ok = True
    try:
        for channel in channels:
            result = dispatcher.deliver(channel, msg)
            ok = ok and result.outcome == "sent"
            verdict = {"sent": "ok", "retry": "failed (temporary)", "dead": "failed (permanent)",
                       "disable": "endpoint gone (410)"}[result.outcome]
            style = "green" if result.outcome == "sent" else "red"
            out.print(f"[{style}]{channel}: {verdict}[/{style}] {escape(result.detail)}", highlight=False)
    finally:
        dispatcher.close()
    raise typer.Exit(0 if ok else 1)


@app.command()
def classify(
    file: Annotated[Path | None, typer.Argument(help="JSON lines with `title` (and `text`); default stdin.")] = None,
) -> None:
    """Classify JSON lines: adds category, high_level, participants, countries, confidence, reasons."""
    from monitor.classify import Classifier
    from monitor.classify.evaluate import classify_lines

    classifier = Classifier.load(_gazetteer_if_configured())
    try:
        stream = file.open("rb") if file else sys.stdin.buffer
    except OSError as exc:
        fail(f"{file}: {exc.strerror}")
    with stream:
        # bytes that are not UTF-8 become U+FFFD: such a line is reported as not JSON, the others go on
        lines = (raw.decode("utf-8", "replace") for raw in stream)
        for line in classify_lines(classifier, lines):
            sys.stdout.write(line + "\n")


@app.command("eval")
def evaluate_cmd(
    file: Annotated[Path, typer.Argument(help="Labeled JSON lines: title, lead or text, label, high_level, ...")],
    misses: Annotated[int, typer.Option(help="How many misses to list.")] = 30,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    no_gazetteer: Annotated[bool, typer.Option(
        "--no-gazetteer", help="Drop the named officials (countries and the grammar of titles kept).")] = False,
) -> None:
    """Precision, recall, F1, confusion matrix and misses of the classifier on a labeled file."""
    from monitor.classify import Classifier
    from monitor.classify.evaluate import evaluate, load_labeled
    from monitor.cli.views import render_report

    try:
        rows = load_labeled(file)
    except (OSError, ValueError) as exc:
        fail(f"{file}: {exc}")
    report = evaluate(Classifier.load(_gazetteer_if_configured(), officials=not no_gazetteer), rows)
    if as_json:
        print_json(report.as_dict() if hasattr(report, "as_dict") else report.__dict__)
        return
    render_report(report, out, max_misses=misses)


def _gazetteer_if_configured() -> Path | None:
    """The gazetteer of the config when a config is found and names one (classify works without a config)."""
    try:
        path = find_config(State.config)
    except ConfigError:
        return None
    if not path.exists():
        return None
    try:
        s = load_settings(path)
    except ConfigError as exc:
        fail(str(exc))
    return s.resolve(s.classify.gazetteer) if s.classify.gazetteer else None


@app.command()
def reclassify(
    all_items: Annotated[bool, typer.Option("--all", help="Redo every item, not only older versions.")] = False,
) -> None:
    """Classify stored items again after the rules or the gazetteer changed."""
    from monitor.classify.reclassify import reclassify_items

    s = settings()
    changed, total = reclassify_items(s, open_store(s), everything=all_items)
    out.print(f"{total} items classified again, {changed} changed category or participants", highlight=False)


@app.command()
def check(
    source: Annotated[str | None, typer.Argument(help="A configured source name.")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="A saved page instead of a live fetch.")] = None,
    adapter: Annotated[str | None, typer.Option(help="Adapter to use (default: the source's).")] = None,
    url: Annotated[str | None, typer.Option(help="URL the page came from (resolves its links).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON (for scripts).")] = False,
) -> None:
    """Show what an adapter extracts from a saved page or one live fetch: entries, dates, warnings.

    Exit 0 when the page was recognised, 1 when not (or the fetch failed), 2 on bad usage.
    """
    from monitor.cli.views import render_check
    from monitor.models import Document
    from monitor.sources.check import check_document

    options: dict[str, Any] = {}
    if source is not None:
        s = settings()
        try:
            src = s.source(source)
        except ConfigError as exc:
            fail(str(exc))
        adapter = adapter or src.adapter
        url = url or src.url_str
        options = src.adapter_options
    if adapter is None:
        fail("name a SOURCE from the config, or pass --adapter with --file")
    if file is not None:
        try:
            doc = Document(url=url or file.resolve().as_uri(), content=file.read_bytes())
        except OSError as exc:
            fail(f"{file}: {exc.strerror}")
    else:
        if source is None or url is None:
            fail("a live fetch needs a SOURCE from the config; use --file for a saved page")
        from monitor.ingest.fetch import Fetcher, FetchError

        with Fetcher(s.fetch) as fetcher:
            try:
                result = fetcher.get(url)
            except FetchError as exc:
                fail(str(exc), 1)
        if result.doc is None:
            fail(f"{url} answered {result.status} with no page", 1)
        doc = result.doc
    report = check_document(adapter, doc, options)
    if as_json:
        print_json(report.as_json())
    else:
        render_check(report, out)
    raise typer.Exit(0 if report.error is None else 1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "a phrase", prefix*, or title:word.')],
    source: Annotated[str | None, typer.Option(help="Only items of this source.")] = None,
    category: Annotated[str | None, typer.Option(help="meeting | diplomatic | domestic")] = None,
    since: Annotated[str | None, typer.Option(help="Published (or first seen) on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published (or first seen) on or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many hits.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search of the archive, best matches first, with highlighted snippets."""
    from monitor.archive import search as run_search
    from monitor.cli.views import render_search

    _check_choice("--category", category, CATEGORIES)
    s = settings()
    try:
        hits = run_search(open_store(s), query, source=source, category=category, since=since, until=until,
                          limit=limit)
    except ValueError as exc:
        fail(str(exc))
    if as_json:
        print_json([h.as_json() for h in hits])
        return
    render_search(hits, out)


@app.command()
def revisions(item_id: Annotated[int, typer.Argument(help="Item id (see `monitor items`).")]) -> None:
    """Every change of an article, as a diff with the times seen."""
    from monitor.archive import get_item
    from monitor.archive import revisions as item_revisions
    from monitor.cli.views import render_revisions

    if not 0 < item_id < 2**63:
        fail(f"no item {item_id} (item ids are positive numbers: see `monitor items`)", 1)
    s = settings()
    store = open_store(s)
    item = get_item(store, item_id)
    render_revisions(item, item_revisions(store, item_id), out)
    if item is None:
        raise typer.Exit(1)


@app.command()
def export(
    fmt: Annotated[str, typer.Option("--format", help="jsonl | csv")] = "jsonl",
    source: Annotated[str | None, typer.Option(help="Only items of this source.")] = None,
    category: Annotated[str | None, typer.Option(help="meeting | diplomatic | domestic")] = None,
    since: Annotated[str | None, typer.Option(help="Published (or first seen) on or after YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option(help="Published (or first seen) on or before YYYY-MM-DD.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing output file.")] = False,
) -> None:
    """Export items as JSON lines or CSV, with filters."""
    from monitor.archive import export_items
    from monitor.archive.export import ExportTargetError, check_target, write_atomically

    if fmt not in ("jsonl", "csv"):
        fail(f"--format must be jsonl or csv, not {fmt!r}")
    _check_choice("--category", category, CATEGORIES)
    s = settings()
    if output is not None:
        try:
            check_target(output, s.db_path, force=force)
        except ExportTargetError as exc:
            fail(str(exc))
    store = open_store(s)
    try:
        if output is None:
            n = export_items(store, fmt, sys.stdout, source=source, category=category, since=since, until=until)  # type: ignore[arg-type]
        else:
            n = write_atomically(output, lambda fh: export_items(store, fmt, fh, source=source,  # type: ignore[arg-type]
                                                                 category=category, since=since, until=until))
    except ValueError as exc:
        fail(str(exc))
    except OSError as exc:
        fail(f"cannot write {output}: {exc.strerror or exc} (nothing was written)", 1)
    err.print(f"{n} items exported", highlight=False)


@app.command()
def stories(
    since: Annotated[str | None, typer.Option(help="Only stories since YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many stories.")] = 50,
) -> None:
    """The same story on several outlets: first outlet and each outlet's lag."""
    from monitor.archive import stories as find_stories
    from monitor.cli.views import render_stories

    s = settings()
    render_stories(find_stories(open_store(s), since=since, limit=limit), out)


@app.command()
def feeds(
    directory: Annotated[Path | None, typer.Argument(help="Where to write alerts.xml and diplomatic.xml.")] = None,
    base_url: Annotated[str | None, typer.Option(help="Public URL the feeds are served from.")] = None,
) -> None:
    """Write the Atom feeds of alerts and of diplomatic items (the daemon keeps them current if configured)."""
    from monitor.archive import write_feeds

    s = settings()
    target = directory or (s.resolve(s.archive.feeds_dir) if s.archive.feeds_dir else None)
    if target is None:
        fail("name a DIRECTORY or set [archive] feeds_dir")
    paths = write_feeds(open_store(s), target, base_url or s.archive.feeds_base_url)
    for path in paths:
        out.print(str(path), highlight=False)


@app.command("datasette-metadata")
def datasette_metadata_cmd() -> None:
    """Print a Datasette metadata.json describing the tables, with canned queries."""
    from monitor.archive import datasette_metadata

    s = settings()
    print_json(datasette_metadata(s.db_path.stem))


@app.command()
def backfill(
    source: Annotated[str, typer.Argument(help="The source to page back through.")],
    since: Annotated[str, typer.Option(help="Walk older pages until this day, YYYY-MM-DD.")],
) -> None:
    """Store a source's older pages down to a day, politely; resumes where it stopped after Ctrl-C or a crash."""
    from datetime import date

    from monitor.cli.coverage import run_backfill

    try:
        day = date.fromisoformat(since)
    except ValueError:
        fail(f"--since must be a day as YYYY-MM-DD, not {since!r}")
    s = settings()
    try:
        s.source(source)
    except ConfigError as exc:
        fail(str(exc))
    raise typer.Exit(run_backfill(s, source, day, out, err))


@app.command("import")
def import_cmd(
    files: Annotated[list[Path], typer.Argument(help="JSON lines, a JSON array or CSV: title, url or id, date; "
                                                     "optional text, source.")],
    source: Annotated[str | None, typer.Option(help="Label the items with this source (outlet) name.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="auto (by extension), jsonl or csv.")] = "auto",
) -> None:
    """Import archive files: deduplicated against the store, classified, indexed; old meetings never alert."""
    from monitor.cli.coverage import run_import

    _check_choice("--format", fmt, ("auto", "jsonl", "csv"))
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        fail(f"no such file: {', '.join(missing)}")
    raise typer.Exit(run_import(settings(), files, source, fmt, out, err))


@app.command()
def gaps(
    source: Annotated[str | None, typer.Option(help="Only this source.")] = None,
    close: Annotated[bool, typer.Option("--close", help="Mark the open gaps (of --source) as dealt with.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Gaps: first pages that shared nothing with earlier polls (items may be missing), open and closed."""
    from monitor.cli.coverage import gaps_table
    from monitor.store import coverage, utcnow

    s = settings()
    store = open_store(s)
    if close:
        names = [source] if source else [x.name for x in s.sources]
        with store.transaction() as db:
            closed = sum(coverage.close_gaps(db, n, utcnow(), "closed by hand (monitor gaps --close)") for n in names)
        out.print(f"{closed} gap(s) closed", markup=False, highlight=False)
        return
    rows = coverage.gap_history(store, source)
    if as_json:
        print_json(rows)
        return
    out.print(gaps_table(rows))


@app.command()
def appearances(
    person: Annotated[str | None, typer.Option(help="Only this person (any spelling the gazetteer knows).")] = None,
    since: Annotated[str | None, typer.Option(help="Only appearances on or after YYYY-MM-DD.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Public appearances of officials (inspects, visits, meets...), with the days since the previous one."""
    from monitor.cli.signals import appearance_rows
    from monitor.cli.views import render_appearances

    s = settings()
    try:
        rows = appearance_rows(open_store(s), person, since)
    except ValueError as exc:
        fail(f"--since: {exc}")
    if as_json:
        print_json(rows)
        return
    render_appearances(rows, out)


@app.command()
def ranks(
    person: Annotated[str | None, typer.Option(help="Only this person.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Each person's positions over time in the ordered lists of names (accompanying, present, presidium...)."""
    from monitor.cli.signals import rank_rows
    from monitor.cli.views import render_ranks

    s = settings()
    rows = rank_rows(open_store(s), person)
    if as_json:
        print_json(rows)
        return
    render_ranks(rows, out)


@app.command()
def translations(
    since: Annotated[str | None, typer.Option(help="Only Korean items first seen since YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many pairs.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Korean items paired with their English versions, and the translation lag."""
    from monitor.cli.korean import show_translations

    show_translations(open_store(settings()), since, limit, as_json, out)


@app.command()
def doctor(
    no_sources: Annotated[bool, typer.Option("--no-sources", help="Skip the live fetch of each source.")] = False,
) -> None:
    """Check config, database, SQLite, every source and alert channel, and say what to do about each problem."""
    from rich.table import Table

    from monitor.runtime.doctor import run_checks

    s = settings()
    checks = run_checks(s, sources=not no_sources)
    table = Table(title="monitor doctor")
    for col in ("check", "result", "detail", "what to do"):
        table.add_column(col, overflow="fold")
    for c in checks:
        style = {"ok": "green", "warn": "yellow", "fail": "red"}[c.level]
        table.add_row(c.name, c.level, c.detail, c.advice, style=style)
    out.print(table)
    raise typer.Exit(1 if any(c.level == "fail" for c in checks) else 0)


def main() -> None:
    """Console-script entry point: every failure ends in one line on stderr, never a traceback.

    MONITOR_DEBUG=1 shows the traceback of an unexpected error as well.
    """
    import os
    import sqlite3

    try:
        app()
    except KeyboardInterrupt:
        err.print("interrupted", highlight=False)
        sys.exit(130)
    except sqlite3.OperationalError as exc:
        if os.environ.get("MONITOR_DEBUG"):
            raise
        _one_line(f"database: {exc} (another process may hold it: wait, or stop it; `monitor doctor` checks it)", 1)
    except sqlite3.DatabaseError as exc:
        if os.environ.get("MONITOR_DEBUG"):
            raise
        _one_line(f"the database is damaged: {exc}. Run `monitor doctor`; restore a backup, or move the file "
                  "aside to start a new one", 2)
    except OSError as exc:
        if os.environ.get("MONITOR_DEBUG"):
            raise
        where = f"{exc.filename}: " if exc.filename else ""
        _one_line(f"{where}{exc.strerror or exc}", 1)
    except Exception as exc:
        if os.environ.get("MONITOR_DEBUG"):
            raise
        _one_line(f"unexpected {type(exc).__name__}: {exc} (a bug: please report it; MONITOR_DEBUG=1 shows where)",
                  1)


def _one_line(message: str, code: int) -> NoReturn:
    err.print(f"error: {' '.join(message.split())}", markup=False, highlight=False)
    sys.exit(code)
