"""Building the runtime context and running every source once (used by `run --once` and the daemon)."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from concurrent.futures import ThreadPoolExecutor

from monitor.classify import Classifier
from monitor.config import Settings, SourceSettings
from monitor.ingest.fetch import Fetcher, host_key
from monitor.ingest.pipeline import Context, RunSummary, run_source
from monitor.logging import get_logger
from monitor.runtime.metrics import observe_run
from monitor.store import Store
from monitor.store.outbox import release_stale_claims

log = get_logger("runner")


def open_context(settings: Settings, *, stop: threading.Event | None = None) -> Context:
    """Open the database, the HTTP client and the classifier for a polling process (daemon or --once).

    Alerts left claimed by a process killed mid-send are released here, so they go out on this run. `stop`, when
    set, makes the fetches under way give up early (the daemon's stop).
    """
    store = Store(settings.db_path)
    store.sync_sources([(s.name, s.adapter, s.shown_url) for s in settings.sources])
    release_stale_claims(store)
    gazetteer = settings.resolve(settings.classify.gazetteer) if settings.classify.gazetteer else None
    # a user's gazetteer is loaded now, so that a mistake in it stops the start; the packaged one at first use
    classifier = Classifier.load(gazetteer) if gazetteer is not None else None
    return Context(settings=settings, store=store, fetcher=_fetcher(settings, stop), classifier=classifier)


def _fetcher(settings: Settings, stop: threading.Event | None) -> Fetcher:
    """The HTTP client of a polling process."""
    return Fetcher(settings.fetch, stop=stop)


def close_context(ctx: Context) -> None:
    """Release what open_context took (a second call does nothing)."""
    ctx.fetcher.close()
    if not ctx.store.closed:
        ctx.store.close()


def enabled_sources(settings: Settings, names: list[str] | None = None) -> list[SourceSettings]:
    """The sources to poll: all enabled ones, or those named."""
    if names:
        return [settings.source(n) for n in names]
    return [s for s in settings.sources if s.enabled]


def run_all(ctx: Context, sources: list[SourceSettings]) -> list[RunSummary]:
    """Run every source once: hosts in parallel, each host's sources in lanes of their own.

    Each host gets one lane more than its allowed connections: while one source parses and stores, the next
    one's request is already out (the fetcher's host gate still holds requests to the allowed number). So a
    cycle takes about the per-host politeness bound (sources per host x request time), whatever the order
    of the config.
    """
    if not sources:
        return []
    by_host: dict[str, deque[SourceSettings]] = defaultdict(deque)
    for src in sources:
        by_host[host_key(src.url_str)].append(src)
    lanes_per_host = ctx.settings.fetch.per_host_concurrency + 1
    results: dict[str, RunSummary] = {}

    def lane(queue: deque[SourceSettings]) -> None:
        while True:
            try:
                src = queue.popleft()
            except IndexError:
                return
            results[src.name] = summary = run_source(ctx, src)
            observe_run(summary)

    lanes = [q for q in by_host.values() for _ in range(min(lanes_per_host, len(q)))]
    with ThreadPoolExecutor(max_workers=min(len(lanes), 64), thread_name_prefix="source") as pool:
        for future in [pool.submit(lane, q) for q in lanes]:
            future.result()
    return [results[s.name] for s in sources]
