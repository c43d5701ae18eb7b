"""run_source(): fetch -> parse -> normalize -> store -> classify -> events -> outbox, one transaction per run."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from monitor.alerts.channels import enabled_channels
from monitor.alerts.rules import queue_meeting
from monitor.alerts.signals import NewItem as SignalItem
from monitor.alerts.signals import record_item
from monitor.classify import Classification, Classifier
from monitor.config import Settings, SourceSettings
from monitor.ingest.catchup import walk_back
from monitor.ingest.fetch import Fetcher, FetchError
from monitor.ingest.netpolicy import OriginPolicy
from monitor.ingest.redact import redact_text, strip_userinfo
from monitor.language import detect_language
from monitor.logging import get_logger
from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.normalize import canonical_url, content_hash, folded_item_key, folded_story_key, key_fold, normalize_text
from monitor.sources import adapter_kind, get_adapter
from monitor.sources.base import Adapter
from monitor.sources.paging import PageRequest
from monitor.store import Store, Tx, coverage, iso, korean, runs, utcnow
from monitor.store.outbox import enqueue

log = get_logger("pipeline")


@dataclass
class Context:
    """Everything a source run needs, built once per process."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    classifier: Classifier | None = None  # loaded at the first new item (a pass that finds none never needs it)
    _loading: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def ready_classifier(self) -> Classifier:
        """The classifier, loaded with the packaged gazetteer the first time it is needed."""
        with self._loading:
            if self.classifier is None:
                self.classifier = Classifier.load()
            return self.classifier

    @property
    def channels(self) -> list[str]:
        """The alert channels configured and enabled."""
        return enabled_channels(self.settings)


@dataclass
class RunSummary:
    """The outcome of one source run (also the structured log line)."""

    source: str
    status: str  # ok | not_modified | deferred | error | layout_changed | stopped
    entries: int = 0
    new_items: int = 0
    revisions: int = 0
    alerts: int = 0
    duration: float = 0.0
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    gap: bool = False  # the first page shared nothing with earlier polls and catch-up did not reach them
    caught_up: int = 0  # new items found on older pages by catch-up

    @property
    def failed(self) -> bool:
        """True when the run counts as a failure of the source."""
        return self.status in ("error", "layout_changed")


@dataclass(slots=True)
class _Planned:
    entry: Entry
    url: str
    key: str
    item_id: int | None
    article: Article | None = None
    recheck: bool = False
    gone: bool = False  # a recheck of the article answered 404/410
    inserted: bool = False  # this run created the item
    folded: str = ""  # the entry's title through `key_fold` (for the item and story keys)
    day: str | None = None  # the entry's date in ISO form
    position: int = 0  # the entry's place on the page, from 1 (for warnings)
    live: bool = True  # found on the first page (else on an older page read by catch-up: old news does not alert)


@dataclass
class _Gap:
    """A first page that shared nothing with what the source showed before, and what catch-up made of it."""

    since: str | None  # the last good poll before it
    pages: int = 0
    closed: bool = False  # catch-up reached items already known
    note: str = ""


def run_source(ctx: Context, src: SourceSettings) -> RunSummary:
    """Poll one source once and store what it shows; never raises.

    A site's fault (network, HTTP, a layout not recognised) is a failed run; so is anything else that stops
    the run (a full disk, a damaged database, a bug): it is logged with its traceback and recorded in the
    source's health and fetch log, and counts towards the operator alert, like any other failure. An entry
    that cannot be read, classified or stored is skipped with a warning; the rest of the listing is stored.
    """
    t0 = time.monotonic()
    started = utcnow()
    summary = RunSummary(src.name, "ok")
    try:
        return _run(ctx, src, summary, started, t0)
    except Exception as exc:  # the job must never die unrecorded
        if isinstance(exc, FetchError) and exc.kind == "stopped":
            # the process is stopping: nothing of the run was committed, and it is not the source's failure
            summary.status, summary.error = "stopped", str(exc)
            summary.new_items = summary.revisions = summary.alerts = 0
            return _finish(summary, t0)
        log.exception("source run failed", source=src.name)
        summary.status = "error"
        summary.error = _short(f"run failed: {type(exc).__name__}: {exc}")
        summary.new_items = summary.revisions = summary.alerts = 0  # whatever the run wrote was rolled back
        try:
            _record(ctx, src, summary, started, None)
        except Exception as again:
            log.error("cannot record the failed run", source=src.name, error=_short(repr(again)))
        return _finish(summary, t0)


def _short(text: str, limit: int = 500) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _run(ctx: Context, src: SourceSettings, summary: RunSummary, started: str, t0: float) -> RunSummary:
    state = ctx.store.source(src.name) or {}
    not_before = state.get("next_fetch_not_before")
    if not_before and not_before > started:
        summary.status = "deferred"
        summary.error = f"server asked to wait (Retry-After) until {not_before}"
        return _finish(summary, t0)
    http_status: int | None = None
    try:
        result = ctx.fetcher.get(src.url_str, etag=state.get("etag"), last_modified=state.get("last_modified"),
                                 policy=OriginPolicy.for_source(src))
        http_status = result.status
        if result.not_modified or result.doc is None:
            summary.status = "not_modified"
            _record(ctx, src, summary, started, http_status, validators=(result.etag, result.last_modified))
            return _finish(summary, t0)
        adapter = get_adapter(src.adapter, src.adapter_options)
        listing = adapter.parse_listing(result.doc)
        if not listing.entries:
            raise LayoutNotRecognised("the listing parsed to zero entries")
    except FetchError as exc:
        if exc.kind == "stopped":
            raise
        summary.status, summary.error = "error", str(exc)
        retry_at = iso(datetime.now(UTC) + timedelta(seconds=exc.retry_after)) if exc.retry_after else None
        _record(ctx, src, summary, started, exc.status, retry_at=retry_at)
        return _finish(summary, t0)
    except LayoutNotRecognised as exc:
        summary.status = "layout_changed"
        summary.error = f"layout not recognised at {src.shown_url}: {exc} (run `monitor check {src.name}`)"
        _record(ctx, src, summary, started, http_status, validators=(None, None))
        return _finish(summary, t0)
    summary.entries = len(listing.entries)
    summary.warnings.extend(listing.warnings)
    planned = _plan(ctx, src, listing, summary)
    gap = None
    if not any(p.item_id is not None for p in planned) and coverage.has_history(ctx.store, src.name):
        gap = _catch_up(ctx, src, adapter, result.doc, listing, planned, summary, state.get("last_ok_at"))
    _fetch_articles(ctx, src, planned, summary)
    classified = _classify_new(ctx, planned, summary)
    planned = [p for p in planned if p.item_id is not None or id(p) in classified]
    _store(ctx, src, planned, classified, summary, started, http_status, (result.etag, result.last_modified),
           listing.layout, gap)
    return _finish(summary, t0)


def _catch_up(ctx: Context, src: SourceSettings, adapter: Adapter, doc: Document, listing: Listing,
              planned: list[_Planned], summary: RunSummary, since: str | None) -> _Gap:
    """Page back from a first page that shares nothing with earlier polls until known items are reached (or
    `[catchup] max_pages`), adding the new entries of the older pages to `planned` (as not live)."""
    gap = _Gap(since)
    taken = {p.url for p in planned}

    def on_page(request: PageRequest, page: Listing, following: PageRequest | None) -> bool:
        found = _plan(ctx, src, page, summary)
        for p in found:
            if p.url not in taken:
                taken.add(p.url)
                p.live = False
                planned.append(p)
        return any(p.item_id is not None for p in found)

    max_pages = ctx.settings.catchup.max_pages
    walk = walk_back(ctx.fetcher, src, adapter, doc, listing, max_pages=max_pages, on_page=on_page)
    gap.pages, gap.closed = walk.pages, walk.stopped
    older = sum(not p.live for p in planned)
    if walk.stopped:
        gap.note = f"caught up: {older} entries on {walk.pages} older page(s) before known items were reached"
        log.info("gap caught up", source=src.name, pages=walk.pages, entries=older)
    else:
        gap.note = (f"possible gap since {since or 'the last good poll'}: the first page shares no item with earlier "
                    f"polls and catch-up did not reach known items ({walk.ended}; {walk.pages} older page(s) "
                    "read); items published meanwhile may be missing")
        summary.warnings.append(gap.note)
        log.warning("possible gap", source=src.name, since=since, pages=walk.pages, reason=walk.ended)
    return gap


def _entry_name(entry: Entry, position: int) -> str:
    """How a warning names an entry: its position on the page and the start of its title."""
    title = " ".join(str(entry.title or "").split())
    return f"entry {position} ({title[:80]!r})"


def _classify_new(ctx: Context, planned: list[_Planned], summary: RunSummary) -> dict[int, Classification]:
    """The classification of each new entry; an entry the classifier fails on is skipped with a warning (it is
    tried again on the next run)."""
    classified: dict[int, Classification] = {}
    classifier = ctx.ready_classifier
    for p in planned:
        if p.item_id is not None:
            continue
        try:
            classified[id(p)] = _classify(classifier, p)
        except Exception as exc:
            log.exception("entry not classified", entry=_entry_name(p.entry, p.position))
            summary.warnings.append(f"{_entry_name(p.entry, p.position)} skipped: not classified: "
                                    f"{type(exc).__name__}: {_short(str(exc), 200)}")
    return classified


def _finish(summary: RunSummary, t0: float) -> RunSummary:
    summary.duration = round(time.monotonic() - t0, 3)
    event = log.warning if summary.failed else log.info
    event("source run", source=summary.source, status=summary.status, entries=summary.entries,
          new_items=summary.new_items, revisions=summary.revisions, alerts=summary.alerts,
          duration=summary.duration, error=summary.error, warnings=len(summary.warnings))
    for warning in summary.warnings[:MAX_WARNINGS]:
        log.warning("source run warning", source=summary.source, warning=warning)
    return summary


#: The warnings of one run that are logged and stored (a page of a thousand bad entries says so once each).
MAX_WARNINGS = 50


def _plan(ctx: Context, src: SourceSettings, listing: Listing, summary: RunSummary) -> list[_Planned]:
    """Which entries are new, which are known items (under this or another URL), which are due a recheck.

    An entry whose URL, title or date cannot be read is skipped with a warning.
    """
    planned: list[_Planned] = []
    seen: set[str] = set()
    fragment_ids = not adapter_kind(src.adapter).articles  # an item known only by `#id` on its listing
    for position, entry in enumerate(listing.entries, 1):
        try:
            url = strip_userinfo(canonical_url(entry.url, keep_fragment=fragment_ids))
            if url in seen:
                continue
            folded = key_fold(entry.title)
            day = entry.published.isoformat() if entry.published else None
            key = folded_item_key(folded, day)
        except Exception as exc:
            summary.warnings.append(f"{_entry_name(entry, position)} skipped: {type(exc).__name__}: "
                                    f"{_short(str(exc), 200)}")
            continue
        seen.add(url)
        planned.append(_Planned(entry, url, key, None, folded=folded, day=day, position=position))
    by_url = runs.known_by_url(ctx.store, [p.url for p in planned])
    by_key = runs.known_by_key(ctx.store, [p.key for p in planned if p.url not in by_url])
    archive = ctx.settings.archive
    recheck_before = iso(datetime.now(UTC) - timedelta(seconds=archive.recheck_interval))
    recent = (datetime.now(UTC) - timedelta(days=archive.recheck_days)).date().isoformat()
    for p in planned:
        row = by_url.get(p.url) or by_key.get(p.key)
        if row is None:
            continue
        p.item_id = row["id"]
        if src.reads_articles and archive.recheck_days > 0:
            fetched = row["article_fetched_at"]
            p.recheck = (fetched is None or fetched <= recheck_before) and row["first_seen_at"][:10] >= recent
    return planned


def _fetch_articles(ctx: Context, src: SourceSettings, planned: list[_Planned], summary: RunSummary) -> None:
    """Fetch the article page of each new entry (and of known ones due a recheck), politely and bounded.

    Only links the source's fetch policy allows are fetched (its listing's origin and `article_hosts`); a
    refused link stays an entry, with a warning. When the fetcher is stopped, FetchError "stopped" is raised
    once the fetches under way have ended, so nothing half-fetched is stored.
    """
    if not src.reads_articles:
        return
    wanted = [p for p in planned if p.item_id is None or p.recheck][: ctx.settings.fetch.max_articles_per_run]
    if not wanted:
        return
    policy = OriginPolicy.for_source(src)
    allowed = []
    for p in wanted:
        refusal = policy.refusal(p.entry.url)
        if refusal is None:
            allowed.append(p)
        else:
            summary.warnings.append(f"article {p.entry.url}: not fetched: {refusal}")
    if not allowed:
        return
    adapter = get_adapter(src.adapter, src.adapter_options)
    stopped: list[FetchError] = []

    def fetch_one(p: _Planned) -> None:
        try:
            res = ctx.fetcher.get(p.entry.url, policy=policy)
            if res.doc is not None:
                p.article = adapter.parse_article(res.doc)
        except FetchError as exc:
            if exc.kind == "stopped":
                stopped.append(exc)
                return
            p.gone = p.item_id is not None and exc.status in (404, 410)
            summary.warnings.append(f"article {p.entry.url}: {exc}")
        except LayoutNotRecognised as exc:
            summary.warnings.append(f"article {p.entry.url}: {exc}")

    workers = min(ctx.settings.fetch.article_concurrency, len(allowed))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"art-{src.name}") as pool:
        list(pool.map(fetch_one, allowed))
    if stopped:
        raise stopped[0]


def _text_of(p: _Planned) -> str:
    if p.article and p.article.body:
        return p.article.body
    return p.entry.teaser or ""


def _classify(classifier: Classifier, p: _Planned) -> Classification:
    return classifier.classify(_title_of(p), _text_of(p) or None, published=_published(p))


def _title_of(p: _Planned) -> str:
    title = normalize_text(p.entry.title)
    if not title and p.article and p.article.title:
        title = normalize_text(p.article.title)
    return title


def _published(p: _Planned) -> date | None:
    return p.entry.published or (p.article.published if p.article else None)


def _record(ctx: Context, src: SourceSettings, summary: RunSummary, started: str, http_status: int | None, *,
            validators: tuple[str | None, str | None] | None = None, retry_at: str | None = None,
            layout: str | None = None, db: Tx | None = None) -> None:
    """Write the fetch log line and the source's health; raise operator alerts on failure thresholds.

    A password in the source URL is masked in the error and warnings first (they are logged, stored and sent).
    """
    summary.error = redact_text(summary.error, src.url_str)
    summary.warnings = [redact_text(w, src.url_str) or "" for w in summary.warnings]
    if db is None:
        with ctx.store.transaction() as tx:
            _record(ctx, src, summary, started, http_status, validators=validators, retry_at=retry_at,
                    layout=layout, db=tx)
        return
    now = utcnow()
    duration = round((datetime.now(UTC) - datetime.fromisoformat(started)).total_seconds(), 3)
    run = runs.RunRecord(src.name, started, duration, summary.status, summary.failed, http_status, summary.entries,
                         summary.new_items, summary.error, summary.warnings[:MAX_WARNINGS])
    failures, alerted = runs.record_run(db, run, now, validators=validators, retry_at=retry_at, layout=layout)
    _operator_alerts(ctx, src, summary, db, now, failures, alerted)


def _operator_alerts(ctx: Context, src: SourceSettings, summary: RunSummary, db: Tx, now: str, failures: int,
                     alerted: str | None) -> None:
    """One alert when a source has failed N runs in a row (or its layout changed), one when it recovers."""
    op = ctx.settings.alerts.operator
    if not op.enabled:
        return
    if summary.failed and failures >= op.failure_threshold and not alerted:
        episode = now
        payload = {"source": src.name, "url": src.shown_url, "status": summary.status, "error": summary.error,
                   "consecutive_failures": failures, "since": now}
        for channel in ctx.channels:
            enqueue(db, channel=channel, kind="source.failing", subject=f"{src.name}|{episode}", payload=payload,
                    now=now)
        runs.set_failing_episode(db, src.name, episode)
    elif not summary.failed and summary.status != "deferred" and alerted:
        payload = {"source": src.name, "url": src.shown_url, "status": summary.status, "failing_since": alerted}
        for channel in ctx.channels:
            enqueue(db, channel=channel, kind="source.recovered", subject=f"{src.name}|{alerted}", payload=payload,
                    now=now)
        runs.set_failing_episode(db, src.name, None)


def _store(ctx: Context, src: SourceSettings, planned: list[_Planned], classified: dict[int, Classification],
           summary: RunSummary, started: str, http_status: int | None,
           validators: tuple[str | None, str | None], layout: str, gap: _Gap | None = None) -> None:
    """Everything of one run in one transaction: items, URLs, revisions, classification, events, outbox, health.

    Each entry is written under a savepoint of its own: one that fails is undone and skipped with a warning,
    and the rest of the listing is stored. A failure of the database itself (full, locked, damaged) fails the
    whole run, which is then recorded as failed.
    """
    with ctx.store.transaction() as db:
        now = utcnow()
        _write_entries(ctx, db, src, planned, classified, summary, now)
        _mark_removals(ctx, db, src, [p for p in planned if p.item_id is not None], now)
        if gap is not None:
            summary.caught_up = sum(p.inserted and not p.live for p in planned)
            record = coverage.closed_gap if gap.closed else coverage.open_gap
            record(db, src.name, gap.since, now, gap.pages, summary.caught_up, gap.note)
            summary.gap = not gap.closed
        _record(ctx, src, summary, started, http_status, validators=validators, layout=layout, db=db)


def ingest_page(ctx: Context, src: SourceSettings, listing: Listing, summary: RunSummary, *, live: bool,
                then: Callable[[Tx, int], None] | None = None) -> int:
    """Store the entries of one page outside a poll (backfill): plan, fetch articles, classify, and write them in
    one transaction with `then(db, new items)` (the backfill's position), without touching the source's health.
    Entries not `live` (older pages) that are old news raise no alert. How many new items."""
    before = summary.new_items
    planned = _plan(ctx, src, listing, summary)
    for p in planned:
        p.live = live
    _fetch_articles(ctx, src, planned, summary)
    classified = _classify_new(ctx, planned, summary)
    planned = [p for p in planned if p.item_id is not None or id(p) in classified]
    with ctx.store.transaction() as db:
        _write_entries(ctx, db, src, planned, classified, summary, utcnow())
        if then is not None:
            then(db, summary.new_items - before)
    return summary.new_items - before


def _write_entries(ctx: Context, db: Tx, src: SourceSettings, planned: list[_Planned],
                   classified: dict[int, Classification], summary: RunSummary, now: str) -> None:
    """Each planned entry written under a savepoint of its own: a new item with its classification, event and
    alerts, or a known one touched (and revised); one that fails is undone and skipped with a warning."""
    version = ctx.ready_classifier.version if any(p.item_id is None for p in planned) else ""
    for p in planned:
        try:
            with db.savepoint():
                if p.item_id is None:
                    _insert_new(ctx, db, src, p, classified[id(p)], version, now, summary)
                else:
                    _update_item(db, p, now, summary)
                assert p.item_id is not None
                runs.add_url(db, p.url, p.item_id, src.name, p.entry.outlet, now)
        except (sqlite3.OperationalError, MemoryError):
            raise  # the database or the machine, not the entry: the run fails
        except Exception as exc:
            log.exception("entry not stored", source=src.name, entry=_entry_name(p.entry, p.position))
            summary.warnings.append(f"{_entry_name(p.entry, p.position)} skipped: not stored: "
                                    f"{type(exc).__name__}: {_short(str(exc), 200)}")
            if p.inserted:
                summary.new_items -= 1
            p.item_id, p.inserted, p.gone = None, False, False


def _mark_removals(ctx: Context, db: Tx, src: SourceSettings, planned: list[_Planned], now: str) -> None:
    """Mark items removed: gone from this listing while items of the same date remain, or answering 404.

    The oldest date on the page is left out: its items may simply have scrolled off the first page.
    """
    removed = {p.item_id for p in planned if p.gone and p.item_id is not None}
    listed = {p.url for p in planned}
    dates = sorted({p.day for p in planned if p.day is not None})
    if len(dates) >= 2:
        removed |= {item_id for url, item_id in runs.listed_on_days(db, src.name, dates[1:]) if url not in listed}
    removed -= {p.item_id for p in planned if not p.gone}
    for item_id in removed:
        if item_id is None:
            continue
        item = runs.mark_removed(db, item_id, now)
        if item is not None and ctx.settings.archive.alert_on_removal:
            payload = {"item_id": item_id, "title": item["title"], "url": item["url"], "source": item["source"],
                       "date": item["published"], "last_seen_at": item["last_seen_at"], "removed_at": now}
            for channel in ctx.channels:
                enqueue(db, channel=channel, kind="item.removed", subject=str(item_id), payload=payload, now=now)


def _insert_new(ctx: Context, db: Tx, src: SourceSettings, p: _Planned, cls: Classification, version: str,
                now: str, summary: RunSummary) -> None:
    """Store a new entry as an item with its first revision; a meeting goes on to its event and alerts.

    An article listed twice in the run, or stored by another source since `_plan` looked, is found by its key
    and only gains this URL.
    """
    entry, article = p.entry, p.article
    title, folded = normalize_text(entry.title), p.folded
    if not title and article is not None and article.title:
        title = normalize_text(article.title)
        folded = key_fold(title)
    body = article.body if article is not None else None
    day = p.day
    if day is None and article is not None and article.published is not None:
        day = article.published.isoformat()
    item = runs.NewItem(
        p.key, src.name, p.url, title, day, entry.teaser, body,
        entry.outlet or (article.outlet if article is not None else None), content_hash(title, body),
        folded_story_key(folded, day), cls.category, cls.high_level, cls.participants, cls.countries,
        cls.confidence, cls.reasons, version, article is not None)
    item_id = runs.insert_item(db, item, now)
    if item_id is None:  # already stored (listed twice, or by another source meanwhile)
        p.item_id = runs.item_id_of_key(db, p.key)
        runs.touch_item(db, p.item_id, now)
        return
    p.item_id, p.inserted = item_id, True
    summary.new_items += 1
    summary.alerts += record_item(db, ctx.settings, ctx.channels, ctx.ready_classifier.gazetteer, SignalItem(
        item_id, _title_of(p), _text_of(p) or None, _published(p), p.url, src.name, cls.category), cls, now,
        live=p.live)
    korean.set_language(db, item_id, detect_language(title, body or entry.teaser, src.language))
    if cls.category == "meeting":
        summary.alerts += queue_meeting(db, ctx.settings.alerts.rules, ctx.channels, item_id, _title_of(p),
                                        _published(p), cls, now, live=p.live)


def _update_item(db: Tx, p: _Planned, now: str, summary: RunSummary) -> None:
    """A known item seen again: touch it, and add a revision when its article text changed."""
    assert p.item_id is not None
    runs.touch_item(db, p.item_id, now)
    if p.article is None:
        return
    chash = content_hash(runs.item_title(db, p.item_id), p.article.body)
    if runs.store_article(db, p.item_id, p.article.body, chash, now):
        summary.revisions += 1
