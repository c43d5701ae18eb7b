"""Hostile listings and slow peers against real local servers: a poisoned entry, pathological titles, and a stop
in the middle of an article fetch or of a delivery."""

from __future__ import annotations

import signal
import sqlite3
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Story, publish
from tests.test_daemon import start, wait_for

DAY = date(2026, 11, 20)
TALKS = Story("Foreign Ministers of DPRK and Belarus Hold Talks", (
    "Choe Son Hui, minister of Foreign Affairs of the DPRK, held talks with Maxim Ryzhenkov, minister of Foreign "
    "Affairs of Belarus, in Pyongyang on Wednesday.",), DAY)
FUTURE = Story("Paduk Contest Opens in Sinuiju", ("Players from every province take part.",), date(9999, 12, 31))
ORCHARD = Story("Apple Orchard Expands in Kwail County", ("The orchard grew by 40 hectares.",), DAY)
SECRET = "whsec_dGVzdHNlY3JldA=="


def once(cfg: Path) -> int:
    """`monitor run --once` in process; its exit code."""
    return CliRunner().invoke(app, ["--config", str(cfg), "run", "--once"]).exit_code


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on the database."""
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def test_an_entry_dated_in_year_9999_loses_nothing(tmp_path: Path, site: LocalSite) -> None:
    """A listing with an entry dated [9999.12.31.] stores every other entry and queues its meeting's alert."""
    publish(site, LATEST, [TALKS, FUTURE, ORCHARD])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}],
        f'[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "{SECRET}"\n')
    once(cfg)
    titles = {r[0] for r in query(tmp_path / "monitor.db", "SELECT title FROM items")}
    assert {TALKS.title, ORCHARD.title} <= titles
    assert query(tmp_path / "monitor.db", "SELECT COUNT(*) FROM outbox WHERE kind = 'meeting.detected'") == [(1,)]
    assert all(r[0] is None or r[0] < "2100" for r in query(tmp_path / "monitor.db", "SELECT published FROM items"))
    assert query(tmp_path / "monitor.db", "SELECT last_status FROM sources") == [("ok",)]


def test_pathological_titles_finish_a_run_quickly(tmp_path: Path, site: LocalSite) -> None:
    """Titles of "[1" x 25,000 and of 2 MB of names do not stall `run --once`; the ordinary entry is stored."""
    brackets = Story("[1" * 25000, ("x.",), DAY)
    huge = Story(" ".join(["Kim Jong Un Meets Li Qiang and Wang Yi"] * 50000), ("x.",), DAY)
    publish(site, LATEST, [brackets, huge, ORCHARD])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": False}])
    t0 = time.monotonic()
    once(cfg)
    assert time.monotonic() - t0 < 10
    titles = [r[0] for r in query(tmp_path / "monitor.db", "SELECT title FROM items")]
    assert ORCHARD.title in titles and all(len(t) <= 2000 for t in titles)


@pytest.fixture
def slow_receiver() -> Iterator[LocalSite]:
    """A webhook receiver (the project's local site) whose /hook takes a minute to answer."""
    receiver = LocalSite()
    receiver.routes["/hook"] = Reply(b"", 204, {}, delay=60)
    yield receiver
    receiver.close()


def stop_within(proc: object, seconds: float) -> float:
    """Send SIGTERM and return how long the process took to exit (killing it past `seconds`)."""
    t0 = time.monotonic()
    proc.send_signal(signal.SIGTERM)  # type: ignore[attr-defined]
    try:
        proc.wait(seconds)  # type: ignore[attr-defined]
    finally:
        if proc.poll() is None:  # type: ignore[attr-defined]
            proc.kill()  # type: ignore[attr-defined]
            proc.wait(5)  # type: ignore[attr-defined]
    return time.monotonic() - t0


def test_sigterm_during_an_article_fetch_ends_the_daemon_within_10_s(tmp_path: Path, site: LocalSite) -> None:
    """SIGTERM while an article page takes a minute to answer stops the daemon in under 10 s, and nothing of that
    run is stored half-done (the next start does it again)."""
    publish(site, LATEST, [ORCHARD])
    page = site.routes[f"/en/article/detail/{ORCHARD.hexid()}"]
    assert isinstance(page, Reply)
    site.routes[f"/en/article/detail/{ORCHARD.hexid()}"] = Reply(page.body, delay=60)
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}])
    proc = start(cfg)
    assert wait_for(lambda: site.hits(f"/en/article/detail/{ORCHARD.hexid()}"), 20)
    time.sleep(0.3)
    assert stop_within(proc, 10) < 10
    assert query(tmp_path / "monitor.db", "SELECT COUNT(*) FROM items") == [(0,)]


def test_sigterm_during_a_delivery_ends_the_daemon_within_10_s(tmp_path: Path, site: LocalSite,
                                                                slow_receiver: LocalSite) -> None:
    """SIGTERM while the webhook receiver hangs stops the daemon in under 10 s; the alert is not lost (it is
    still to be delivered)."""
    publish(site, LATEST, [TALKS])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": False}],
        f'[alerts.webhook]\nurl = "{slow_receiver.base}/hook"\nsecret = "{SECRET}"\ntimeout = 120\n')
    proc = start(cfg)
    assert slow_receiver.wait_for_posts(1, 20)
    assert stop_within(proc, 10) < 10
    assert query(tmp_path / "monitor.db", "SELECT status FROM outbox WHERE kind = 'meeting.detected'") == \
        [("pending",)]
