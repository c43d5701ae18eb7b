"""The daemon as a real process: one per database, and SIGTERM honoured within 10 s whatever it is doing."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Story, publish
from tests.test_daemon import start, wait_for

DAY = date(2026, 11, 19)
RAIL = Story("Railway Station Renovated in Kimchaek", ("The station was renovated.",), DAY)


def slow_config(tmp_path: Path, site: LocalSite, delay: float) -> Path:
    """A config whose one source answers after `delay` seconds."""
    publish(site, LATEST, [RAIL])
    reply = site.routes[LATEST]
    site.routes[LATEST] = Reply(reply.body, delay=delay)
    return write_config(tmp_path / "monitor.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "interval": 5, "fetch_articles": False}])


def test_a_second_daemon_on_one_database_exits_2_naming_the_first(tmp_path: Path, site: LocalSite) -> None:
    """While a daemon runs, a second `monitor run` (and `run --once`) on the same database exits 2 saying which
    process holds it; after a kill -9 of the first, a new daemon starts (the lock died with it)."""
    cfg = slow_config(tmp_path, site, 0.0)
    first = start(cfg)
    try:
        assert wait_for(lambda: (tmp_path / "monitor.db.lock").exists() and site.hits(LATEST))
        for args in (["run"], ["run", "--once"]):
            second = subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), *args],
                                    capture_output=True, text=True, timeout=30)
            assert second.returncode == 2, second.stderr
            assert f"pid {first.pid}" in second.stderr and "Traceback" not in second.stderr
        assert first.poll() is None
    finally:
        first.kill()
        first.wait(10)
    polls = site.count(LATEST)
    again = start(cfg)
    try:
        assert wait_for(lambda: site.count(LATEST) > polls, 20)  # the new daemon got the lock and polls
        assert again.poll() is None
    finally:
        again.send_signal(signal.SIGTERM)
        code = again.wait(15)
        assert code == 0, again.stderr.read().decode()[-2000:] if again.stderr else ""


def test_sigterm_during_a_slow_fetch_ends_the_daemon_within_10_s(tmp_path: Path, site: LocalSite) -> None:
    """SIGTERM while a listing takes a minute to answer stops the daemon in under 10 s; the next start works."""
    cfg = slow_config(tmp_path, site, 60.0)
    proc = start(cfg)
    try:
        assert wait_for(lambda: site.hits(LATEST), 20)
        time.sleep(0.5)
        t0 = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
        assert time.monotonic() - t0 < 10
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)


def test_a_stuck_job_withholds_the_watchdog(tmp_path: Path, site: LocalSite, monkeypatch: object) -> None:
    """While a job runs past the stuck limit the heartbeat sends no WATCHDOG=1 (systemd then restarts the
    service); once it ends, the pings resume."""
    import threading

    from monitor.config import load_settings
    from monitor.runtime.daemon import Daemon

    cfg = slow_config(tmp_path, site, 0.0)
    daemon = Daemon(load_settings(cfg))
    pings: list[str] = []
    daemon.notifier.watchdog = lambda: pings.append("WATCHDOG=1") or True  # type: ignore[method-assign]
    release = threading.Event()
    started = threading.Event()

    def hang() -> None:
        started.set()
        release.wait(10)

    worker = threading.Thread(target=daemon._job(hang, "source:hung"))
    try:
        daemon.stuck_after = 0.2
        worker.start()
        assert started.wait(5)
        daemon._heartbeat_job()
        assert len(pings) == 1  # running, not yet past the limit
        time.sleep(0.3)
        daemon._heartbeat_job()
        assert len(pings) == 1 and [name for name, _ in daemon.stuck_jobs()] == ["source:hung"]
        release.set()
        worker.join(5)
        daemon._heartbeat_job()
        assert len(pings) == 2
    finally:
        release.set()
        daemon.poller.close()
