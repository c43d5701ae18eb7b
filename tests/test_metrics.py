"""Prometheus metrics: /metrics parses and moves as sources run and alerts are sent, the database-backed numbers
are right after a restart, the text file is written, the daemon serves them, doctor checks the port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from monitor import __version__
from monitor.config import ConfigError, load_settings, parse_settings
from monitor.runtime import metrics as metrics_module
from monitor.runtime.app import Poller
from monitor.runtime.doctor import check_metrics
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, publish
from tests.test_alerts_e2e import FILLER, MEETING

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def samples(text: str) -> Samples:
    """Every sample of a Prometheus text exposition, parsed by prometheus_client's own parser."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def scrape(port: int) -> Samples:
    """GET /metrics on 127.0.0.1:`port`, parsed."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as answer:
        return samples(answer.read().decode())


def value(found: Samples, name: str, **labels: str) -> float | None:
    """The value of one sample, or None when it is not there."""
    return found.get((name, tuple(sorted(labels.items()))))


def metrics_config(tmp_path: Path, site: LocalSite, port: int) -> Path:
    """One KCNA listing, a webhook on the local site, and [metrics] with a port and a text file."""
    extra = (f'[alerts.webhook]\nurl = "{site.base}/hook"\n\n[metrics]\nport = {port}\n'
             'textfile = "metrics/monitor.prom"\n')
    (tmp_path / "metrics").mkdir()
    return write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST,
                                               "fetch_articles": True}], extra)


def test_metrics_move_as_sources_run_and_alerts_are_sent(tmp_path: Path, site: LocalSite) -> None:
    """Runs, run times, items, alerts and deliveries show on /metrics and in the text file, and they move."""
    publish(site, LATEST, [MEETING, FILLER])
    port = free_port()
    cfg = metrics_config(tmp_path, site, port)
    with Poller(load_settings(cfg), holder="test") as poller:
        assert poller.metrics is not None and poller.metrics.serve()
        before = scrape(port)
        assert value(before, "monitor_build_info", version=__version__) == 1
        assert value(before, "monitor_source_runs_total", source="latest", status="ok") == 0
        assert value(before, "monitor_source_last_success_timestamp_seconds", source="latest") == 0
        poller.poll()
        after_run = scrape(port)
        assert value(after_run, "monitor_source_runs_total", source="latest", status="ok") == 1
        assert value(after_run, "monitor_fetch_seconds_count", source="latest") == 1
        assert value(after_run, "monitor_items_total", source="latest", category="meeting") == 1
        assert value(after_run, "monitor_items_total", source="latest", category="domestic") == 1
        assert value(after_run, "monitor_alerts", channel="webhook", status="pending") == 1
        assert value(after_run, "monitor_source_consecutive_failures", source="latest") == 0
        assert abs((value(after_run, "monitor_source_last_success_timestamp_seconds", source="latest") or 0)
                   - time.time()) < 60
        poller.deliver()
        after_send = scrape(port)
        assert value(after_send, "monitor_alerts", channel="webhook", status="sent") == 1
        assert value(after_send, "monitor_alert_deliveries_total", channel="webhook", outcome="sent") == 1
        assert value(after_send, "monitor_alert_delivery_seconds_count", channel="webhook") == 1
        site.put(LATEST, "<html><body>gone</body></html>", status=500)
        poller.poll()
        failing = scrape(port)
        assert value(failing, "monitor_source_runs_total", source="latest", status="error") == 1
        assert value(failing, "monitor_source_consecutive_failures", source="latest") == 1
        written = samples((tmp_path / "metrics" / "monitor.prom").read_text())
        assert value(written, "monitor_source_runs_total", source="latest", status="error") == 1
        assert value(written, "monitor_alerts", channel="webhook", status="sent") == 1
    assert not list((tmp_path / "metrics").glob(".*tmp"))  # no temporary file left behind
    with pytest.raises(OSError):
        scrape(port)  # closed with the poller


def test_database_numbers_survive_a_restart(tmp_path: Path, site: LocalSite) -> None:
    """After a restart, items, alerts and last success come from the database before any run; counters restart."""
    publish(site, LATEST, [MEETING])
    port = free_port()
    cfg = metrics_config(tmp_path, site, port)
    with Poller(load_settings(cfg), holder="test") as poller:
        poller.poll()
    with Poller(load_settings(cfg), holder="test") as poller:
        assert poller.metrics is not None
        found = samples(poller.metrics.text())
    assert value(found, "monitor_items_total", source="latest", category="meeting") == 1
    assert value(found, "monitor_alerts", channel="webhook", status="pending") == 1
    assert (value(found, "monitor_source_last_success_timestamp_seconds", source="latest") or 0) > 0
    assert value(found, "monitor_source_runs_total", source="latest", status="ok") == 0


def test_no_metrics_unless_configured(tmp_path: Path, site: LocalSite) -> None:
    """Without [metrics] nothing is installed and a run reports to no one; an empty [metrics] table is refused."""
    publish(site, LATEST, [FILLER])
    cfg = write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST}])
    with Poller(load_settings(cfg), holder="test") as poller:
        assert poller.metrics is None and metrics_module._active is None
        poller.poll()
    with pytest.raises(ConfigError, match="metrics"):
        parse_settings({"metrics": {"address": "127.0.0.1"}})


def test_the_daemon_serves_moving_metrics(tmp_path: Path, site: LocalSite) -> None:
    """`monitor run` serves /metrics on its port; its run counter climbs while it runs."""
    publish(site, LATEST, [FILLER])
    port = free_port()
    cfg = write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST,
                                              "interval": 0.5, "jitter": 0}], f"[metrics]\nport = {port}\n")
    daemon = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
                              env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        runs = 0.0
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and runs < 3:
            time.sleep(0.3)
            try:
                found = scrape(port)
            except OSError:
                continue
            runs = sum(v for (name, labels), v in found.items() if name == "monitor_source_runs_total"
                       and ("source", "latest") in labels)
        assert runs >= 3
        checks = {c.name: c for c in check_metrics(load_settings(cfg))}
        assert checks["metrics port"].level == "ok" and "monitor's /metrics" in checks["metrics port"].detail
    finally:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=30)


def test_doctor_checks_the_port_and_the_text_file(tmp_path: Path) -> None:
    """A free port is ok, a port another program holds fails, a text file in a missing directory fails."""
    port = free_port()
    cfg = write_config(tmp_path / "m.toml", [], f'[metrics]\nport = {port}\ntextfile = "nowhere/m.prom"\n')
    checks = {c.name: c for c in check_metrics(load_settings(cfg))}
    assert checks["metrics port"].level == "ok" and "free" in checks["metrics port"].detail
    assert checks["metrics textfile"].level == "fail"
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", port))
        holder.listen()
        taken = {c.name: c for c in check_metrics(load_settings(cfg))}["metrics port"]
    assert taken.level == "fail" and "does not serve /metrics" in taken.detail and taken.advice
