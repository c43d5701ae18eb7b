"""The daemon: one scheduled job per source, a dispatcher job, signals, and sd_notify READY/STATUS/WATCHDOG."""

from __future__ import annotations

import signal
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor import __version__
from monitor.config import Settings, SourceSettings
from monitor.dispatch import Dispatcher
from monitor.logging import get_logger
from monitor.pipeline import Context, run_source
from monitor.runner import close_context, enabled_sources, index_new_items, open_context
from monitor.sdnotify import Notifier

log = get_logger("daemon")
HEARTBEAT_SECONDS = 5.0
#: How often new items are added to the full-text index in one batch (`monitor search` never waits for it).
SEARCH_INDEX_SECONDS = 60.0


class Daemon:
    """Polls every source on its interval and delivers alerts until SIGTERM or SIGINT."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.ctx: Context = open_context(settings)
        self.dispatcher = Dispatcher(settings, self.ctx.store)
        self.notifier = Notifier()
        self.stop_event = threading.Event()
        self.last_tick = time.monotonic()
        self.runs = 0
        self.failures: dict[str, int] = {}
        executor = ThreadPoolExecutor(max_workers=min(32, len(settings.sources) + 4))
        self.scheduler = BackgroundScheduler(executors={"default": executor}, timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        self.scheduler.add_listener(self._on_job_problem, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    def _on_job_problem(self, event: JobExecutionEvent) -> None:
        log.error("scheduler job problem", job=event.job_id, code=event.code,
                  exception=repr(getattr(event, "exception", None)))

    def _source_job(self, src: SourceSettings) -> None:
        summary = run_source(self.ctx, src)
        self.runs += 1
        self.failures[src.name] = 1 if summary.failed else 0
        if summary.alerts:
            self.dispatcher.run_once()
        if summary.new_items and self.settings.archive.feeds_dir is not None:
            self._write_feeds()

    def _write_feeds(self) -> None:
        from monitor.archive import write_feeds

        archive = self.settings.archive
        assert archive.feeds_dir is not None
        try:
            write_feeds(self.ctx.store, self.settings.resolve(archive.feeds_dir), archive.feeds_base_url)
        except OSError as exc:
            log.error("cannot write feeds", error=str(exc), dir=str(archive.feeds_dir))

    def _digest_job(self) -> None:
        from monitor.digest import queue_digest

        if queue_digest(self.ctx.store, self.ctx.channels, self.settings.alerts.rules.digest_minutes):
            self.dispatcher.run_once()

    def _search_index_job(self) -> None:
        index_new_items(self.ctx.store)

    def _dispatch_job(self) -> None:
        self.dispatcher.run_once()

    def _heartbeat_job(self) -> None:
        """Runs on the scheduler itself: proof of progress for the systemd watchdog."""
        self.last_tick = time.monotonic()
        self.notifier.watchdog()
        failing = sum(self.failures.values())
        status = self.ctx.store.status()["alerts"]
        self.notifier.status(f"{len(self.settings.sources)} sources, {failing} failing, {self.runs} runs, "
                             f"{status['pending']} alerts pending, {status['dead']} dead")

    def schedule(self) -> None:
        """Add one interval job per source (first run now, spread by jitter), the dispatcher, the full-text index
        batch and the heartbeat."""
        now = datetime.now(UTC)
        for i, src in enumerate(enabled_sources(self.settings)):
            jitter = src.jitter if src.jitter is not None else min(src.interval * 0.1, 30.0)
            self.scheduler.add_job(
                self._source_job, IntervalTrigger(seconds=src.interval, jitter=jitter or None), args=[src],
                id=f"source:{src.name}", name=src.name, next_run_time=now + timedelta(milliseconds=10 * i),
                misfire_grace_time=max(60, int(src.interval // 2)))
        self.scheduler.add_job(self._dispatch_job, IntervalTrigger(seconds=self.settings.alerts.dispatch_interval),
                               id="dispatch", next_run_time=now)
        self.scheduler.add_job(self._search_index_job, IntervalTrigger(seconds=SEARCH_INDEX_SECONDS),
                               id="search-index")
        digest = self.settings.alerts.rules.digest_minutes
        if digest:
            self.scheduler.add_job(self._digest_job, IntervalTrigger(minutes=digest), id="digest")
        self.scheduler.add_job(self._heartbeat_job, IntervalTrigger(seconds=HEARTBEAT_SECONDS), id="heartbeat",
                               next_run_time=now)

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        log.info("stopping", signal=signal.Signals(signum).name)
        self.stop_event.set()

    def run(self) -> None:
        """Start, block until a stop signal, then drain running jobs and close the database."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        self.schedule()
        self.scheduler.start()
        log.info("daemon started", sources=len(self.settings.sources), db=str(self.settings.db_path),
                 sqlite=sqlite3.sqlite_version, version=__version__)
        if sqlite3.sqlite_version_info < (3, 51, 3):
            log.warning("SQLite older than 3.51.3: keep this daemon the only writer of its database",
                        sqlite=sqlite3.sqlite_version)
        self.notifier.ready()
        try:
            while not self.stop_event.wait(1.0):
                pass
        finally:
            self.notifier.stopping()
            self.scheduler.shutdown(wait=True)
            self.dispatcher.close()
            close_context(self.ctx)
            log.info("daemon stopped")
