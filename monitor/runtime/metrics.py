"""Prometheus metrics (`[metrics]`): served on `address`:`port` at /metrics by the daemon, and written to
`textfile` (atomically, for node_exporter's textfile collector) after each source run and alert delivery.

Counters of this process (runs, deliveries) and histograms (run and delivery times) live in memory and start
from zero at each start, as Prometheus counters do; what the database knows (last success and failures of each
source, items by source and category, alerts by channel and status) is read from it at each scrape, so it is
right from the first scrape after a restart. `prometheus_client` is imported only when `[metrics]` is set.

The runner and the daemon (after each source run) and the dispatcher report through `observe_run` and
`observe_delivery`, which do nothing unless a `Metrics` is installed (`start`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from typing import TYPE_CHECKING, Any

from monitor import __version__
from monitor.logging import get_logger

if TYPE_CHECKING:
    from monitor.config import Settings
    from monitor.ingest.pipeline import RunSummary
    from monitor.store import Store

log = get_logger("metrics")

RUN_BUCKETS = (0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0)
ITEMS_MAX_AGE = 60.0  # seconds an item count is reused at most (see _StoreCollector)
DELIVERY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)
_active: Metrics | None = None
_active_lock = threading.Lock()


def observe_run(summary: RunSummary) -> None:
    """Count one source run and time it (a run cut short by a stop is not a run); nothing without metrics."""
    metrics = _active
    if metrics is not None:
        metrics.observe_run(summary)


def observe_delivery(channel: str, outcome: str, seconds: float) -> None:
    """Count and time one delivery attempt; nothing without metrics."""
    metrics = _active
    if metrics is not None:
        metrics.observe_delivery(channel, outcome, seconds)


def _timestamp(value: object) -> float:
    """Unix seconds of an ISO time from the store (0 for none: never succeeded)."""
    if not value:
        return 0.0
    try:
        return datetime.fromisoformat(str(value)).timestamp()
    except ValueError:
        return 0.0


class _StoreCollector:
    """The metrics read from the database at each scrape.

    Counting items by source and category reads the whole table (about 0.15 s for 100,000 items here), so that
    count is kept until a run stores new items, or for ITEMS_MAX_AGE seconds at most (another process, such as
    `monitor import` or `reclassify`, may change it); the rest is read at every scrape.
    """

    def __init__(self, store: Store, sources: list[str]) -> None:
        self.store = store
        self.sources = set(sources)
        self._items: tuple[float, list[dict[str, Any]]] | None = None
        self._items_lock = threading.Lock()

    def items_changed(self) -> None:
        """Count the items again at the next scrape."""
        with self._items_lock:
            self._items = None

    def _item_counts(self) -> list[dict[str, Any]]:
        from monitor.store import metrics as queries

        with self._items_lock:
            now = time.monotonic()
            if self._items is None or now - self._items[0] > ITEMS_MAX_AGE:
                self._items = (now, queries.item_counts(self.store))
            return self._items[1]

    def describe(self) -> list[Any]:
        """Nothing ahead of time: the families are made at each collect."""
        return []

    def collect(self) -> Iterator[Any]:
        """Source health, items and alerts as they are in the database now."""
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

        from monitor.store import metrics as queries

        if self.store.closed:
            return
        try:
            health = queries.source_health(self.store)
            items = self._item_counts()
            alerts = queries.alert_counts(self.store)
        except sqlite3.Error as exc:
            log.warning("metrics: cannot read the database", error=str(exc))
            return
        last_ok = GaugeMetricFamily("monitor_source_last_success_timestamp_seconds",
                                    "When the source last ran without failing (Unix time; 0: never).",
                                    labels=["source"])
        failing = GaugeMetricFamily("monitor_source_consecutive_failures",
                                    "Failed runs of the source in a row (0 after a good run).", labels=["source"])
        for row in health:
            if row["name"] in self.sources:
                last_ok.add_metric([row["name"]], _timestamp(row["last_ok_at"]))
                failing.add_metric([row["name"]], float(row["consecutive_failures"] or 0))
        stored = CounterMetricFamily("monitor_items", "Items stored, by the source that found them first and "
                                     "category.", labels=["source", "category"])
        for row in items:
            stored.add_metric([row["source"], row["category"]], float(row["n"]))
        outbox = GaugeMetricFamily("monitor_alerts", "Alerts in the outbox, by channel and status (pending, sent, "
                                   "dead).", labels=["channel", "status"])
        for row in alerts:
            outbox.add_metric([row["channel"], row["status"]], float(row["n"]))
        yield from (last_ok, failing, stored, outbox)


class Metrics:
    """The registry of one process, its optional HTTP server, and its optional text file."""

    def __init__(self, settings: Settings, store: Store) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        conf = settings.metrics
        assert conf is not None
        self.address, self.port = conf.address, conf.port
        self.textfile = settings.resolve(conf.textfile) if conf.textfile is not None else None
        self.registry = CollectorRegistry()
        Gauge("monitor_build_info", "The running monitor's version (always 1).", ["version"],
              registry=self.registry).labels(__version__).set(1)
        self.runs = Counter("monitor_source_runs", "Source runs since this process started, by outcome (ok, "
                            "not_modified, deferred, error, layout_changed).", ["source", "status"],
                            registry=self.registry)
        self.run_seconds = Histogram("monitor_fetch_seconds", "How long a source run took (listing, articles, "
                                     "parse, store).", ["source"], buckets=RUN_BUCKETS, registry=self.registry)
        self.deliveries = Counter("monitor_alert_deliveries", "Delivery attempts since this process started, by "
                                  "outcome (sent, retry, dead, disable).", ["channel", "outcome"],
                                  registry=self.registry)
        self.delivery_seconds = Histogram("monitor_alert_delivery_seconds", "How long one delivery attempt took.",
                                          ["channel"], buckets=DELIVERY_BUCKETS, registry=self.registry)
        names = [s.name for s in settings.sources if s.enabled]
        for name in names:  # every source shows from the first scrape, at zero
            self.runs.labels(name, "ok")
            self.runs.labels(name, "error")
            self.run_seconds.labels(name)
        self.stored = _StoreCollector(store, [s.name for s in settings.sources])
        self.registry.register(self.stored)
        self._server: Any = None
        self._write_lock = threading.Lock()

    def observe_run(self, summary: RunSummary) -> None:
        """Count one run by outcome and time it; then write the text file."""
        if summary.status == "stopped":
            return
        if summary.new_items:
            self.stored.items_changed()
        self.runs.labels(summary.source, summary.status).inc()
        if summary.status != "deferred":
            self.run_seconds.labels(summary.source).observe(summary.duration)
        self.write_textfile()

    def observe_delivery(self, channel: str, outcome: str, seconds: float) -> None:
        """Count and time one delivery attempt; then write the text file."""
        self.deliveries.labels(channel, outcome).inc()
        self.delivery_seconds.labels(channel).observe(seconds)
        self.write_textfile()

    def text(self) -> str:
        """The metrics in the Prometheus text format, as /metrics serves them."""
        from prometheus_client import generate_latest

        return generate_latest(self.registry).decode("utf-8")

    def serve(self) -> bool:
        """Serve /metrics on the configured address and port (when one is set); False when it cannot be bound
        (the daemon goes on without it: `monitor doctor` says what holds the port)."""
        if self.port is None or self._server is not None:
            return self._server is not None
        from prometheus_client import start_http_server

        try:
            self._server, _thread = start_http_server(self.port, addr=self.address, registry=self.registry)
        except OSError as exc:
            log.error("metrics: cannot listen", address=self.address, port=self.port, error=exc.strerror or str(exc))
            return False
        log.info("metrics served", url=f"http://{self.address}:{self.port}/metrics")
        return True

    def write_textfile(self) -> None:
        """Write the metrics to the text file (a temporary file renamed over it); an error is logged."""
        if self.textfile is None:
            return
        path = self.textfile
        with self._write_lock:
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            try:
                tmp.write_text(self.text(), encoding="utf-8")
                os.replace(tmp, path)
            except OSError as exc:
                log.error("metrics: cannot write the text file", path=str(path), error=exc.strerror or str(exc))
                tmp.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop serving (the text file stays, as node_exporter expects)."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()


def start(settings: Settings, store: Store) -> Metrics | None:
    """The process's metrics when `[metrics]` is set (installed for `observe_*`; not served yet), else None."""
    global _active
    if settings.metrics is None:
        return None
    metrics = Metrics(settings, store)
    with _active_lock:
        _active = metrics
    metrics.write_textfile()
    return metrics


def stop(metrics: Metrics | None) -> None:
    """Uninstall and close the metrics `start` made (None: nothing to do); the text file is written once more."""
    global _active
    if metrics is None:
        return
    with _active_lock:
        if _active is metrics:
            _active = None
    metrics.write_textfile()
    metrics.close()


def port_in_use(address: str, port: int) -> str | None:
    """Who holds `address`:`port`: None when it is free, else a sentence (our own /metrics, or another program)."""
    import socket
    import urllib.request

    try:
        with socket.socket(socket.AF_INET6 if ":" in address else socket.AF_INET) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: TIME_WAIT is free
            sock.bind((address, port))
        return None
    except OSError as exc:
        bind_error = exc.strerror or str(exc)
    host = f"[{address}]" if ":" in address else address
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/metrics", timeout=3) as answer:
            body = answer.read(1 << 20).decode("utf-8", "replace")
    except (OSError, ValueError):
        return f"{address}:{port} is taken ({bind_error}) by a program that does not serve /metrics"
    if "monitor_build_info" in body:
        return f"{address}:{port} serves monitor's /metrics already (a running `monitor run`)"
    return f"{address}:{port} is taken ({bind_error}) by another program's /metrics"


__all__ = ["Metrics", "observe_delivery", "observe_run", "port_in_use", "start", "stop"]
