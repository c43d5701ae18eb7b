"""Fault suite: every fault a site can produce leaves the run going, health accurate, nothing lost or doubled."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.runtime.runner import close_context, open_context, run_all
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Story, kcna_listing, publish

DAY = date(2026, 11, 19)
GOOD = [Story("Rice Transplanting Machines Produced in Kangso", ("Machines were produced.",), DAY),
        Story("Flood Barriers Reinforced along Chongchon River", ("Barriers were reinforced.",), DAY)]


def faults(site: LocalSite) -> dict[str, str]:
    """Install one route per fault; return fault name -> path."""
    listing = kcna_listing(GOOD).encode()
    routes: dict[str, Reply] = {
        "e500": Reply(b"<html>Internal Server Error</html>", 500),
        "e429": Reply(b"slow down", 429, headers={"Retry-After": "600"}),
        "reset": Reply(reset=True),
        "read_timeout": Reply(listing, delay=3.0),
        "slow_body": Reply(listing * 10, chunk_delay=0.3),
        "huge": Reply(b"<html>" + b"x" * (3 * 1024 * 1024)),
        "truncated": Reply(listing[: len(listing) // 3], headers={"Content-Type": "text/html",
                                                                   "Content-Length": str(len(listing))}),
        "garbage": Reply(os.urandom(50_000)),
        "empty_main": Reply(b"<html><body><main></main></body></html>"),
        "loop": Reply(b"", 302, headers={"Location": "/loop/en/article/list/x"}),
    }
    paths = {}
    for name, reply in routes.items():
        path = f"/{name}/en/article/list/x"
        site.routes[path] = reply
        paths[name] = path
    other = Story("Textile Mill Renovates Spinning Shop", ("The shop was renovated.",), DAY)
    wrong = kcna_listing([other]).encode() + b"\xff\xfe caf\xe9"
    site.routes["/charset/en/article/list/x"] = Reply(wrong, headers={"Content-Type": "text/html; charset=ascii"})
    paths["charset"] = "/charset/en/article/list/x"
    return paths


def test_faults_leave_health_accurate(tmp_path: Path, site: LocalSite) -> None:
    """Each fault is reported on its own source; the healthy source is stored in full; nothing is duplicated."""
    publish(site, LATEST, GOOD)
    paths = faults(site)
    srcs = [{"name": "healthy", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}]
    srcs += [{"name": n, "adapter": "kcna", "url": site.base + p} for n, p in paths.items()]
    cfg = write_config(tmp_path / "m.toml", srcs)
    cfg.write_text(cfg.read_text().replace("timeout = 10", "timeout = 1.5").replace(
        "[fetch]", "[fetch]\nmax_bytes = 1048576\nretries = 1"))
    settings = load_settings(cfg)
    ctx = open_context(settings)
    try:
        summaries = {s.source: s for s in run_all(ctx, settings.sources)}
        again = {s.source: s for s in run_all(ctx, settings.sources)}
        status = {s["name"]: s for s in ctx.store.status()["sources"]}
    finally:
        close_context(ctx)
    assert summaries["healthy"].status == "ok" and summaries["healthy"].new_items == 2
    assert again["healthy"].new_items == 0
    for name in ("e500", "reset", "read_timeout", "slow_body", "huge", "garbage", "empty_main", "loop", "truncated"):
        assert summaries[name].failed, (name, summaries[name])
        assert status[name]["consecutive_failures"] == 2 and status[name]["last_error"], name
    assert "layout" in status["empty_main"]["last_error"]
    assert "layout" in status["garbage"]["last_error"]
    assert "cap" in status["huge"]["last_error"]
    assert "redirect" in status["loop"]["last_error"]
    assert "429" in status["e429"]["last_error"] and status["e429"]["next_fetch_not_before"]
    assert again["e429"].status == "deferred"
    assert summaries["charset"].status == "ok" and status["charset"]["items"] == 1
    assert status["healthy"]["consecutive_failures"] == 0 and status["healthy"]["items"] == 2


@pytest.mark.parametrize("fault", ["e500", "reset", "garbage"])
def test_fault_then_recovery_stores_everything_once(tmp_path: Path, site: LocalSite, fault: str) -> None:
    """A listing that fails and then recovers yields its items once, and health returns to ok."""
    paths = faults(site)
    path = paths[fault]
    cfg = write_config(tmp_path / "m.toml", [{"name": "s", "adapter": "kcna", "url": site.base + path}])
    ctx = open_context(load_settings(cfg))
    try:
        src = ctx.settings.sources[0]
        assert run_source(ctx, src).failed
        publish(site, path, GOOD)
        assert run_source(ctx, src).new_items == 2
        assert run_source(ctx, src).new_items == 0
        row = ctx.store.source("s")
        assert row is not None and row["consecutive_failures"] == 0 and row["last_error"] is None
        assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 2
    finally:
        close_context(ctx)
