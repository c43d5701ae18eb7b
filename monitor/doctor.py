"""`monitor doctor`: checks config, database, SQLite, sources and alert channels, each with what to do."""

from __future__ import annotations

import smtplib
import socket
import sqlite3
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from monitor.classify import compiled
from monitor.config import ConfigError, FetchSettings, Settings, exposed_secrets
from monitor.fetch import Fetcher, FetchError
from monitor.models import LayoutNotRecognised
from monitor.redact import redact_text
from monitor.sources import get_adapter
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


def check_classifier() -> Check:
    """Whether the classifier was compiled at install (about twice as fast) or runs as pure Python."""
    if compiled():
        return Check("classifier", "ok", "compiled with mypyc")
    return Check("classifier", "ok", "pure Python (editable install, MONITOR_PURE_PYTHON set, or no C compiler at "
                 "install); the same results, about half the speed: reinstall with `pip install .` where gcc is "
                 "installed to compile it")


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
    return Check(f"source {name}", "ok", f"{len(listing.entries)} entries ({listing.layout})")


def _connect(host: str, port: int, timeout: float) -> None:
    with socket.create_connection((host, port), timeout=timeout):
        pass


def check_webhook(settings: Settings, connect: Callable[[str, int, float], None] = _connect) -> Check | None:
    """The webhook endpoint accepts TCP connections and the secret can be read (nothing is posted)."""
    hook = settings.alerts.webhook
    if hook is None:
        return None
    parts = urlsplit(str(hook.url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        secret = hook.resolved_secret()
        connect(parts.hostname or "", port, 5.0)
    except ConfigError as exc:
        return Check("webhook", "fail", str(exc), "set the variable or create the file the config names")
    except OSError as exc:
        return Check("webhook", "fail", f"cannot connect to {parts.hostname}:{port}: {exc}",
                     "check the receiver is running and reachable; `monitor alerts test` sends a real test")
    note = "" if secret else " (unsigned: no secret configured)"
    return Check("webhook", "ok" if secret else "warn", f"{parts.hostname}:{port} reachable{note}",
                 "" if secret else "set alerts.webhook.secret_env or secret_file to sign deliveries")


def check_email(settings: Settings) -> Check | None:
    """The SMTP server answers EHLO (and STARTTLS/login when configured); no message is sent."""
    conf = settings.alerts.email
    if conf is None:
        return None
    try:
        password = conf.resolved_password()
        client: smtplib.SMTP
        if conf.security == "tls":
            client = smtplib.SMTP_SSL(conf.host, conf.port, timeout=conf.timeout, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(conf.host, conf.port, timeout=conf.timeout)
        with client:
            client.ehlo()
            if conf.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if conf.username and password:
                client.login(conf.username, password)
            client.noop()
    except ConfigError as exc:
        return Check("email", "fail", str(exc), "set the variable or create the file the config names")
    except (OSError, smtplib.SMTPException) as exc:
        return Check("email", "fail", f"SMTP {conf.host}:{conf.port}: {exc}",
                     "check host, port and security (plain, starttls, tls); `monitor alerts test` sends a test")
    return Check("email", "ok", f"SMTP {conf.host}:{conf.port} answers ({conf.security})")


def check_config(settings: Settings) -> Check:
    """The config file: how many sources, and whether secrets in it are readable by other users."""
    detail = f"{settings.config_path}: {len(settings.sources)} sources"
    if warning := exposed_secrets(settings):
        return Check("config", "warn", warning, "make the file readable by its owner only")
    return Check("config", "ok", detail)


def run_checks(settings: Settings, *, sources: bool = True) -> list[Check]:
    """Every check, in order; sources are fetched once each with no retries."""
    checks = [check_config(settings), check_sqlite_version(), check_classifier(), check_database(settings)]
    if sources and settings.sources:
        quick = FetchSettings(**{**settings.fetch.model_dump(), "retries": 0, "min_delay": 0.0})
        with Fetcher(quick) as fetcher:
            checks += [check_source(settings, s.name, fetcher) for s in settings.sources if s.enabled]
    checks += [c for c in (check_webhook(settings), check_email(settings)) if c is not None]
    return checks
