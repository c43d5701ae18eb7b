"""`monitor doctor`: checks config, database, SQLite, sources and alert channels, each with what to do."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

from monitor.alerts.channels import configured_channels, kind
from monitor.config import FetchSettings, Settings, exposed_secrets
from monitor.ingest.fetch import Fetcher, FetchError
from monitor.ingest.redact import redact_text
from monitor.models import LayoutNotRecognised
from monitor.sources import adapter_kind, get_adapter
from monitor.store import Store, StoreError

Level = Literal["ok", "warn", "fail"]
SAFE_SQLITE = (3, 51, 3)


@dataclass(frozen=True)
class Check:
    """One finding: what was checked, how it went, and what to do about it."""

    name: str
    level: Level
    detail: str
    advice: str = ""


def check_sqlite_version() -> Check:
    """The SQLite library version; below 3.51.3 the WAL-reset bug needs a single writer (which the daemon is)."""
    version = sqlite3.sqlite_version
    parts = tuple(int(x) for x in version.split(".")[:3])
    if parts >= SAFE_SQLITE:
        return Check("sqlite", "ok", f"SQLite {version}")
    return Check("sqlite", "warn", f"SQLite {version} is older than 3.51.3 (WAL-reset bug)",
                 "run one `monitor run` per database and no other writer; upgrade SQLite when you can")


def check_database(settings: Settings) -> Check:
    """The database opens, is migrated, and passes SQLite's integrity check."""
    path = settings.db_path
    try:
        store = Store(path)
    except StoreError as exc:
        return Check("database", "fail", str(exc), f"check the permissions of {path.parent}, or move the damaged "
                     "file aside and restore a backup (sqlite3 .recover can salvage rows)")
    try:
        result, mode, items = store.health()
    except sqlite3.DatabaseError as exc:
        result, mode, items = str(exc), None, None
    finally:
        store.close()
    if result != "ok":
        return Check("database", "fail", f"{path}: integrity_check says {result}",
                     "stop the daemon, back up the file, then `sqlite3 monitor.db .recover | sqlite3 fixed.db`")
    return Check("database", "ok", f"{path}: integrity ok, journal {mode}, {items} items")


def check_source(settings: Settings, name: str, fetcher: Fetcher) -> Check:
    """One live fetch and parse of a source's listing."""
    src = settings.source(name)
    try:
        result = fetcher.get(src.url_str)
    except FetchError as exc:
        advice = {"network": "check DNS, routing and firewalls from this machine (KCNA blocks cloud address space)",
                  "timeout": "the site is slow: raise fetch.timeout, or try again later",
                  "retry_after": "the site asks us to slow down: raise the interval or fetch.min_delay",
                  }.get(exc.kind, "check the URL in the config")
        return Check(f"source {name}", "fail", redact_text(str(exc), src.url_str) or "", advice)
    if result.doc is None:
        return Check(f"source {name}", "ok", f"HTTP {result.status}")
    try:
        listing = get_adapter(src.adapter, src.adapter_options).parse_listing(result.doc)
    except LayoutNotRecognised as exc:
        return Check(f"source {name}", "fail", f"layout not recognised: {exc}",
                     f"save the page and run `monitor check {name} --file PAGE`; the site may have been redesigned")
    if src.fetch_articles and not adapter_kind(src.adapter).articles:
        return Check(f"source {name}", "warn", f"{len(listing.entries)} entries ({listing.layout}); article fetching "
                     f"is not available for the {src.adapter} adapter (its items have no article URL)",
                     "set fetch_articles = false for this source: titles are all it can give")
    return Check(f"source {name}", "ok", f"{len(listing.entries)} entries ({listing.layout})")


def check_channels(settings: Settings) -> list[Check]:
    """Each configured alert channel's self-check (nothing is sent)."""
    checks = []
    for name in configured_channels(settings):
        found = kind(name)
        assert found is not None
        probe = found.probe(settings, name)
        checks.append(Check(name, probe.level, probe.detail, probe.advice))
    return checks


def check_metrics(settings: Settings) -> list[Check]:
    """`[metrics]`: the port is free (or already serves this monitor's metrics) and the text file's directory
    exists."""
    conf = settings.metrics
    if conf is None:
        return []
    from monitor.runtime.metrics import port_in_use

    checks = []
    if conf.port is not None:
        taken = port_in_use(conf.address, conf.port)
        if taken is None:
            checks.append(Check("metrics port", "ok", f"{conf.address}:{conf.port} is free for /metrics"))
        elif "monitor's /metrics" in taken:
            checks.append(Check("metrics port", "ok", taken))
        else:
            checks.append(Check("metrics port", "fail", taken, "choose another metrics.port, or stop the program "
                                "that holds it (`ss -ltnp` shows which)"))
    if conf.textfile is not None:
        path = settings.resolve(conf.textfile)
        if not path.parent.is_dir():
            checks.append(Check("metrics textfile", "fail", f"{path.parent} is not a directory",
                                "create it, or point metrics.textfile at node_exporter's textfile directory"))
        else:
            note = "" if path.suffix == ".prom" else " (node_exporter reads only *.prom files)"
            checks.append(Check("metrics textfile", "warn" if note else "ok", f"{path}{note}"))
    return checks


def check_config(settings: Settings) -> Check:
    """The config file: how many sources, and whether secrets in it are readable by other users."""
    detail = f"{settings.config_path}: {len(settings.sources)} sources"
    if warning := exposed_secrets(settings):
        return Check("config", "warn", warning, "make the file readable by its owner only")
    return Check("config", "ok", detail)


def run_checks(settings: Settings, *, sources: bool = True) -> list[Check]:
    """Every check, in order; sources are fetched once each with no retries."""
    checks = [check_config(settings), check_sqlite_version(), check_database(settings)]
    if sources and settings.sources:
        quick = FetchSettings(**{**settings.fetch.model_dump(), "retries": 0, "min_delay": 0.0})
        with Fetcher(quick) as fetcher:
            checks += [check_source(settings, s.name, fetcher) for s in settings.sources if s.enabled]
    checks += check_channels(settings)
    checks += check_metrics(settings)
    return checks
