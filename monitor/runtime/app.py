"""The parts of a polling process, wired once: `monitor run`, `monitor run --once` and `monitor demo` all open a
`Poller` and differ only in how they drive it."""

from __future__ import annotations

import threading
from types import TracebackType

from monitor.alerts.dispatch import Dispatcher, DispatchSummary
from monitor.alerts.signals import check_absences, queue_korean_only
from monitor.archive.pairing import PassCheck
from monitor.archive.pairing import check as languages_check
from monitor.config import Settings, SourceSettings
from monitor.ingest.pipeline import Context, RunSummary
from monitor.logging import get_logger
from monitor.runtime.instance import InstanceLock
from monitor.runtime.metrics import start as start_metrics
from monitor.runtime.metrics import stop as stop_metrics
from monitor.runtime.runner import close_context, enabled_sources, open_context, run_all

log = get_logger("app")


class Poller:
    """The database lock, store, fetcher, classifier and dispatcher of one process that polls and alerts.

    Opening takes the database's lock first (AlreadyRunning when another process has it), so two processes never
    poll or dispatch on one database. `stop`, when set, cuts fetches and deliveries short.
    """

    def __init__(self, settings: Settings, *, holder: str, stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.stop = stop or threading.Event()
        self.lock = InstanceLock(settings.db_path)
        self.lock.acquire(holder)
        try:
            self.ctx: Context = open_context(settings, stop=self.stop)
        except BaseException:
            self.lock.release()
            raise
        self.dispatcher = Dispatcher(settings, self.ctx.store, stop=self.stop)
        self.metrics = start_metrics(settings, self.ctx.store)  # None without [metrics]

    def poll(self, names: list[str] | None = None) -> list[RunSummary]:
        """One pass over the enabled sources (or those named), hosts in parallel; then the absences of the
        people followed are checked, and Korean items paired with their English versions."""
        summaries = run_all(self.ctx, self.sources(names))
        check_absences(self.ctx.store, self.settings, self.ctx.channels)
        self.check_languages()
        return summaries

    def check_languages(self) -> PassCheck | None:
        """Pair Korean items with their English versions and mark those left "Korean only" (logged, never
        raised: a failure here never loses the pass)."""
        try:
            result = languages_check(self.ctx.store)
        except Exception:
            log.exception("languages check failed")
            return None
        if result.pairs or result.korean_only:
            log.info("languages check", pairs=len(result.pairs), korean_only=len(result.korean_only))
        if result.korean_only:
            try:
                queue_korean_only(self.ctx.store, self.settings, self.ctx.channels, result.korean_only)
            except Exception:
                log.exception("Korean-only watches failed")
        return result

    def sources(self, names: list[str] | None = None) -> list[SourceSettings]:
        """The sources a pass polls: every enabled one, or those named (ConfigError for an unknown name)."""
        return enabled_sources(self.settings, names)

    def deliver(self) -> DispatchSummary:
        """Deliver every alert that is due."""
        return self.dispatcher.run_once()

    def close(self) -> None:
        """Close the channels, the fetcher and the database, then give the lock up."""
        try:
            stop_metrics(self.metrics)
            self.dispatcher.close()
            close_context(self.ctx)
        finally:
            self.lock.release()

    def __enter__(self) -> Poller:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
