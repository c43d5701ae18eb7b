"""The daemon: one scheduled job per source, a dispatcher job, signals, and sd_notify READY/STATUS/WATCHDOG."""

from __future__ import annotations

import os
import signal
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_MAX_INSTANCES, EVENT_JOB_MISSED, JobExecutionEvent
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from monitor import __version__
from monitor.alerts.signals import check_absences
from monitor.config import Settings, SourceSettings
from monitor.ingest.pipeline import Context, run_source
from monitor.logging import get_logger
from monitor.runtime.app import Poller
from monitor.runtime.metrics import observe_run
from monitor.runtime.runner import enabled_sources
from monitor.runtime.sdnotify import Notifier

#: Seconds without a Korean item after which the Korean analyser (~300 MiB) is let go until the next one.
KOREAN_IDLE = 240.0

log = get_logger("daemon")
HEARTBEAT_SECONDS = 5.0
#: How often Korean items are paired with their English versions and marked "Korean only" (Poller.check_languages).
LANGUAGES_SECONDS = 300.0
#: How long a stop waits for the jobs under way (a fetch, a delivery) before the process exits without them.
#: Their work is not committed and is done again at the next start (systemd's stop timeout is 45 s).
STOP_GRACE_SECONDS = 7.0


def longest_run(settings: Settings) -> float:
    """Seconds past which a job is taken for stuck: longer than a source run can last with every request of it
    timing out after all its retries (the listing, the older pages of a catch-up one after another, then the
    article pages, so many at a time), plus a margin."""
    fetch = settings.fetch
    per_request = fetch.timeout * (fetch.retries + 1) + fetch.backoff * 2 ** (fetch.retries + 1)
    article_rounds = -(-fetch.max_articles_per_run // max(1, fetch.article_concurrency))
    catchup = settings.catchup.max_pages * (per_request + fetch.min_delay)
    return float(per_request * (1 + article_rounds) + catchup + 300.0)


class Daemon:
    """Polls every source on its interval and delivers alerts until SIGTERM or SIGINT."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.stop_event = threading.Event()
        self.poller = Poller(settings, holder="monitor run", stop=self.stop_event)  # AlreadyRunning when taken
        self.ctx: Context = self.poller.ctx
        self.dispatcher = self.poller.dispatcher
        self.notifier = Notifier()
        self.stopped_by = ""
        self._busy = 0  # jobs under way
        self._busy_cond = threading.Condition()
        self._running: dict[int, tuple[str, float]] = {}  # worker thread -> (job, monotonic start)
        self.stuck_after = longest_run(settings)
        # Korean text is analysed in a worker process that ends when idle (KOREAN_IDLE): ~300 MiB given back whole
        from monitor.classify import korean_morph

        korean_morph.use_worker(True)
        self.runs = 0
        self.failures: dict[str, int] = {}
        executor = ThreadPoolExecutor(max_workers=min(32, len(settings.sources) + 4))
        self.scheduler = BackgroundScheduler(executors={"default": executor}, timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": 60})
        self.scheduler.add_listener(self._on_job_problem, EVENT_JOB_ERROR | EVENT_JOB_MISSED | EVENT_JOB_MAX_INSTANCES)

    def _on_job_problem(self, event: JobExecutionEvent) -> None:
        log.error("scheduler job problem", job=event.job_id, code=event.code,
                  exception=repr(getattr(event, "exception", None)))

    def _job(self, work: Callable[..., None], name: str) -> Callable[..., None]:
        """`work` as a scheduler job: not started once a stop is under way, counted and timed while it runs."""

        def job(*args: object) -> None:
            with self._busy_cond:
                if self.stop_event.is_set():
                    return
                self._busy += 1
                self._running[threading.get_ident()] = (name, time.monotonic())
            try:
                work(*args)
            finally:
                with self._busy_cond:
                    self._busy -= 1
                    self._running.pop(threading.get_ident(), None)
                    self._busy_cond.notify_all()

        return job

    def stuck_jobs(self) -> list[tuple[str, float]]:
        """The jobs running for longer than any sound run could take: (name, seconds so far)."""
        now = time.monotonic()
        with self._busy_cond:
            running = list(self._running.values())
        return [(name, now - since) for name, since in running if now - since > self.stuck_after]

    def _wait_idle(self, timeout: float) -> bool:
        """Wait until no job runs, at most `timeout` seconds; whether they all finished."""
        deadline = time.monotonic() + timeout
        with self._busy_cond:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._busy_cond.wait(left)
        return True

    def _source_job(self, src: SourceSettings) -> None:
        summary = run_source(self.ctx, src)
        observe_run(summary)
        self.runs += 1
        self.failures[src.name] = 1 if summary.failed else 0
        summary.alerts += check_absences(self.ctx.store, self.settings, self.ctx.channels)
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
        from monitor.alerts.digest import queue_digest

        if queue_digest(self.ctx.store, self.ctx.channels, self.settings.alerts.rules.digest_minutes):
            self.dispatcher.run_once()

    def _languages_job(self) -> None:
        self.poller.check_languages()
        from monitor.classify import korean_morph

        if korean_morph.release_if_idle(KOREAN_IDLE):
            log.info("Korean analyser released (idle)", idle_seconds=KOREAN_IDLE)

    def _dispatch_job(self) -> None:
        self.dispatcher.run_once()

    def _heartbeat_job(self) -> None:
        """Proof of progress for the systemd watchdog: sent while the scheduler runs and no job is stuck.

        A job stuck past `stuck_after` (a hung connection, a deadlock) withholds the ping, so systemd restarts
        the service; what the stuck job had not committed is done again after the restart.
        """
        stuck = self.stuck_jobs()
        if stuck:
            log.error("job stuck: watchdog withheld, systemd will restart the service",
                      jobs=[f"{name} ({age:.0f} s)" for name, age in stuck], limit=round(self.stuck_after))
        else:
            self.notifier.watchdog()
        failing = sum(self.failures.values())
        status = self.ctx.store.status()["alerts"]
        self.notifier.status(f"{len(self.settings.sources)} sources, {failing} failing, {self.runs} runs, "
                             f"{status['pending']} alerts pending, {status['dead']} dead")

    def schedule(self) -> None:
        """Add one interval job per source (first run now, spread by jitter), the dispatcher, the full-text index
        batch and the heartbeat."""
        now = datetime.now(UTC)
        add = self.scheduler.add_job
        for i, src in enumerate(enabled_sources(self.settings)):
            jitter = src.jitter if src.jitter is not None else min(src.interval * 0.1, 30.0)
            name = f"source:{src.name}"
            add(self._job(self._source_job, name), IntervalTrigger(seconds=src.interval, jitter=jitter or None),
                args=[src], id=name, name=src.name, next_run_time=now + timedelta(milliseconds=10 * i),
                misfire_grace_time=max(60, int(src.interval // 2)))
        add(self._job(self._dispatch_job, "dispatch"), IntervalTrigger(seconds=self.settings.alerts.dispatch_interval),
            id="dispatch", next_run_time=now)
        digest = self.settings.alerts.rules.digest_minutes
        if digest:
            add(self._job(self._digest_job, "digest"), IntervalTrigger(minutes=digest), id="digest")
        add(self._heartbeat_job, IntervalTrigger(seconds=HEARTBEAT_SECONDS), id="heartbeat", next_run_time=now)
        add(self._job(self._languages_job, "languages"), IntervalTrigger(seconds=LANGUAGES_SECONDS), id="languages")

    def _on_signal(self, signum: int, frame: FrameType | None) -> None:
        # only the event: a signal handler may run in the middle of anything the main thread does (an import,
        # a log call), so it takes no lock; the main loop says why it stops
        self.stopped_by = signal.Signals(signum).name
        self.stop_event.set()

    def run(self) -> None:
        """Start, block until a stop signal, then stop within STOP_GRACE_SECONDS and close the database.

        Jobs under way get the grace period to finish (a fetch or a delivery in flight notices the stop and gives
        up early); if one is still running then, the process exits without it: what it had not committed is
        rolled back by SQLite and done again at the next start, an alert it was sending is sent again then.
        """
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        self.schedule()
        self.scheduler.start()
        if self.poller.metrics is not None:
            self.poller.metrics.serve()
        log.info("daemon started", sources=len(self.settings.sources), db=str(self.settings.db_path),
                 sqlite=sqlite3.sqlite_version, version=__version__)
        if sqlite3.sqlite_version_info < (3, 51, 3):
            log.warning("SQLite older than 3.51.3: keep this daemon the only writer of its database",
                        sqlite=sqlite3.sqlite_version)
        self.notifier.ready()
        try:
            while not self.stop_event.wait(1.0):
                pass
            log.info("stopping", signal=self.stopped_by)
        finally:
            self.notifier.stopping()
            self.stop_event.set()
            self.scheduler.pause()  # no job is handed out any more, then the executor is shut down
            self.scheduler.shutdown(wait=False)
            if not self._wait_idle(STOP_GRACE_SECONDS):
                log.warning("stopping with jobs still under way; their uncommitted work is done again at the next "
                            "start", jobs=self._busy, grace=STOP_GRACE_SECONDS)
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(0)  # the worker threads cannot be interrupted; the kernel frees the lock
            from monitor.classify import korean_morph

            korean_morph.use_worker(False)  # the worker process, if one runs, ends with the daemon
            self.poller.close()
            log.info("daemon stopped")
