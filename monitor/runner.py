"""Building the runtime context and running every source once (used by `run --once` and the daemon)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from monitor.classify import Classifier
from monitor.config import Settings, SourceSettings
from monitor.fetch import Fetcher
from monitor.outbox import release_stale_claims
from monitor.pipeline import Context, RunSummary, run_source
from monitor.store import Store


def open_context(settings: Settings) -> Context:
    """Open the database, the HTTP client and the classifier for a polling process (daemon or --once).

    Alerts left claimed by a process killed mid-send are released here, so they go out on this run.
    """
    store = Store(settings.db_path)
    store.sync_sources([(s.name, s.adapter, s.url_str) for s in settings.sources])
    release_stale_claims(store)
    gazetteer = settings.resolve(settings.classify.gazetteer) if settings.classify.gazetteer else None
    classifier = Classifier.load(gazetteer)
    return Context(settings=settings, store=store, fetcher=Fetcher(settings.fetch), classifier=classifier)


def close_context(ctx: Context) -> None:
    """Release what open_context took."""
    ctx.fetcher.close()
    ctx.store.close()


def enabled_sources(settings: Settings, names: list[str] | None = None) -> list[SourceSettings]:
    """The sources to poll: all enabled ones, or those named."""
    if names:
        return [settings.source(n) for n in names]
    return [s for s in settings.sources if s.enabled]


def run_all(ctx: Context, sources: list[SourceSettings]) -> list[RunSummary]:
    """Run every source once, hosts in parallel (politeness per host is the fetcher's job)."""
    if not sources:
        return []
    with ThreadPoolExecutor(max_workers=min(len(sources), 32), thread_name_prefix="source") as pool:
        return list(pool.map(lambda s: run_source(ctx, s), sources))
