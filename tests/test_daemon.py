"""The daemon as a real process: sd_notify READY/STOPPING, SIGTERM, kill -9 safety, alerts not lost across a crash."""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from threading import Thread

import pytest

from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Story, publish

DAY = date(2026, 11, 19)
STORIES = [Story(f"Cooperative Farm {n} Completes Autumn Ploughing", ("The farm completed ploughing.",), DAY)
           for n in range(12)]
MEETING = Story("Kim Jong Un Receives Belarusian Prime Minister", (
    "Kim Jong Un received Alexander Turchin, prime minister of the Republic of Belarus, at the Kumsusan Palace.",),
    DAY)
SECRET = "whsec_ZGFlbW9uLXRlc3Qtc2VjcmV0"


def start(cfg: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start `monitor run` as a child process."""
    return subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(cfg), "run"],
                            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(predicate: object, timeout: float = 20.0) -> bool:
    """Poll `predicate` until true or timeout."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.1)
    return False


def count(db: Path, sql: str) -> int:
    """A COUNT query on the database, 0 when the table is not there yet."""
    try:
        with sqlite3.connect(db) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.Error:
        return 0


@pytest.fixture
def notify_socket(tmp_path: Path) -> Iterator[tuple[str, list[str]]]:
    """A datagram socket standing in for systemd's NOTIFY_SOCKET, collecting messages."""
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    messages: list[str] = []
    running = True

    def read() -> None:
        while running:
            try:
                messages.append(sock.recv(4096).decode())
            except OSError:
                continue

    thread = Thread(target=read, daemon=True)
    thread.start()
    yield path, messages
    running = False
    thread.join(1)
    sock.close()


def test_daemon_ready_polls_and_stops_on_sigterm(tmp_path: Path, site: LocalSite,
                                                  notify_socket: tuple[str, list[str]]) -> None:
    """The daemon says READY, stores items, reports STATUS, and on SIGTERM says STOPPING and exits 0."""
    path, messages = notify_socket
    publish(site, LATEST, STORIES[:3])
    cfg = write_config(tmp_path / "m.toml", [{"name": "s", "adapter": "kcna", "url": site.base + LATEST,
                                              "interval": 1}])
    proc = start(cfg, {"NOTIFY_SOCKET": path})
    try:
        assert wait_for(lambda: any("READY=1" in m for m in messages)), "no READY=1"
        assert wait_for(lambda: count(tmp_path / "monitor.db", "SELECT COUNT(*) FROM items") == 3)
        assert wait_for(lambda: any("STATUS=" in m for m in messages))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert any("STOPPING=1" in m for m in messages)


def test_kill_9_leaves_a_sound_database(tmp_path: Path, site: LocalSite) -> None:
    """kill -9 in the middle of polling: integrity_check ok, and a restart stores every item exactly once."""
    publish(site, LATEST, STORIES)
    for s in STORIES:
        site.routes[f"/en/article/detail/{s.hexid()}"].delay = 0.15  # type: ignore[union-attr]
    cfg = write_config(tmp_path / "m.toml", [{"name": "s", "adapter": "kcna", "url": site.base + LATEST,
                                              "interval": 1, "fetch_articles": True}])
    proc = start(cfg)
    # killed once it is fetching article pages: in the middle of a run, its transaction not yet committed
    assert wait_for(lambda: any(site.hits(f"/en/article/detail/{s.hexid()}") for s in STORIES), 20)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    db = tmp_path / "monitor.db"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), "run", "--once"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-300:]
    assert count(db, "SELECT COUNT(*) FROM items") == len(STORIES)
    assert count(db, "SELECT COUNT(DISTINCT key) FROM items") == len(STORIES)


def test_alert_survives_a_kill_between_store_and_send(tmp_path: Path, site: LocalSite) -> None:
    """A process killed while its alert is in flight delivers it after restart: the alert is not lost."""
    publish(site, LATEST, [MEETING, *STORIES[:2]])
    site.routes["/hanging-hook"] = Reply(b"", 200, {}, delay=60)  # holds the sender mid-delivery
    site.routes["/hook"] = Reply(b"", 200, {})
    src = [{"name": "s", "adapter": "kcna", "url": site.base + LATEST, "interval": 1, "fetch_articles": True}]
    hook = f'[alerts.webhook]\nurl = "{site.base}/hanging-hook"\nsecret = "{SECRET}"\ntimeout = 50\n'
    cfg = write_config(tmp_path / "m.toml", src, hook)
    db = tmp_path / "monitor.db"
    proc = start(cfg)
    try:
        assert site.wait_for_posts(1, 20), "no delivery started"  # the dispatcher is now stuck sending
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 0
    cfg.write_text(cfg.read_text().replace("/hanging-hook", "/hook"))
    done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), "run", "--once"],
                          capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-300:]
    delivered = [r.headers.get("webhook-id", "") for r in site.hits("/hook")]
    assert len(delivered) == 1 and delivered[0].startswith("msg_")
    assert count(db, "SELECT COUNT(*) FROM outbox WHERE status = 'sent'") == 1
    alerts = json.loads(subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), "alerts", "--json"],
                                       capture_output=True, timeout=60).stdout)
    assert alerts[0]["status"] == "sent" and alerts[0]["attempts"] == 2
