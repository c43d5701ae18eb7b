"""Apprise channels: one channel per URL through the outbox, failures mapped to retry/dead/disable, tokens never
shown or stored, Apprise imported only when used."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.alerts import AlertMessage
from monitor.alerts.apprise import AppriseChannel, Redactor, channel_index, channel_names, classify, probe
from monitor.alerts.channels import configured_channels, enabled_channels, kind
from monitor.alerts.dispatch import Dispatcher
from monitor.cli import app
from monitor.config import ConfigError, load_settings, parse_settings
from monitor.runtime.doctor import check_channels
from monitor.store import Store
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Request, publish
from tests.test_alerts_e2e import FILLER, MEETING

TOKEN = "Tk7fQ2zX9pLmW4vR"  # invented; must never leave the URL
PASSWORD = "Pw3nB8cY"
WORD = "HUSHQUIETWORD"  # a token of letters only: Apprise's own messages quote such a one unmasked


class Receiver:
    """A path of the local site answering POSTs with `statuses` in turn, then 200; keeps what it took (200)."""

    def __init__(self, site: LocalSite, path: str, statuses: list[int]) -> None:
        self.statuses = list(statuses)
        self.taken: list[dict[str, object]] = []
        self.refused = 0
        site.routes[path] = self.answer

    def answer(self, req: Request) -> Reply:
        """The next status; the body kept when it is 200."""
        status = self.statuses.pop(0) if self.statuses else 200
        if status == 200:
            self.taken.append(json.loads(req.body))
        else:
            self.refused += 1
        return Reply(b"", status, {})


def cli(cfg: Path, *args: str) -> tuple[int, str]:
    """Run the CLI in-process; exit code and what it printed on stdout."""
    result = CliRunner().invoke(app, ["--config", str(cfg), *args])
    return result.exit_code, result.stdout


def apprise_config(tmp_path: Path, site: LocalSite, urls: list[str], extra: str = "") -> Path:
    """One KCNA listing on the local site and an [alerts.apprise] table with `urls`."""
    body = "[alerts.apprise]\nurls = [" + ", ".join(json.dumps(u) for u in urls) + "]\n" + extra
    return write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST,
                                               "fetch_articles": True}], body)


def test_one_message_per_url_after_the_receiver_recovers(tmp_path: Path, site: LocalSite,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Two json:// URLs: the one answering 503 gets the meeting once after it recovers, the other once at once."""
    monkeypatch.setattr("monitor.alerts.dispatch.backoff_delay", lambda attempts: 0.0)
    publish(site, LATEST, [MEETING, FILLER])
    first, second = f"/desk/{TOKEN}", "/wall/board"
    desk, wall = Receiver(site, first, [503, 503]), Receiver(site, second, [])
    port = site.base.rsplit(":", 1)[1]
    cfg = apprise_config(tmp_path, site, [f"json://127.0.0.1:{port}{first}", f"json://127.0.0.1:{port}{second}"])
    assert cli(cfg, "run", "--once")[0] == 0
    assert (len(desk.taken), desk.refused, len(wall.taken)) == (0, 1, 1)
    rows = {r["channel"]: r for r in json.loads(cli(cfg, "alerts", "--json")[1])}
    assert rows["apprise"]["status"] == "pending" and "503" in rows["apprise"]["last_error"]
    assert rows["apprise[2]"]["status"] == "sent"
    for _ in range(3):  # the second 503, then the recovery, then nothing left to send
        cli(cfg, "run", "--once")
    assert (len(desk.taken), desk.refused, len(wall.taken)) == (1, 2, 1)
    assert "Turchin" in str(desk.taken[0]["message"]) and "Turchin" in str(desk.taken[0]["title"])
    assert {r["status"] for r in json.loads(cli(cfg, "alerts", "--json")[1])} == {"sent"}


def test_a_token_appears_nowhere(tmp_path: Path, site: LocalSite) -> None:
    """Tokens of a refused, an unreachable and an unparseable URL are in no output, log line or database byte."""
    publish(site, LATEST, [MEETING])
    refused = f"/hook/{TOKEN}"
    Receiver(site, refused, [403] * 50)
    port = site.base.rsplit(":", 1)[1]
    urls = [f"json://user:{PASSWORD}@127.0.0.1:{port}{refused}?key={TOKEN}x",
            f"json://127.0.0.1:9/{TOKEN}y",
            f"tgram://{WORD}"]
    cfg = apprise_config(tmp_path, site, urls, "\n[alerts.operator]\nfailure_threshold = 1\n")
    cfg.write_text(cfg.read_text().replace("[alerts.apprise]", '[[sources]]\nname = "dead"\nadapter = "kcna"\n'
                                           'url = "http://127.0.0.1:9/gone"\n\n[alerts.apprise]'))
    env = {**os.environ, "MONITOR_DEBUG": ""}
    outputs, stdouts = [], []
    for args in (["run", "--once"], ["alerts"], ["alerts", "--json"], ["status"], ["status", "--json"],
                 ["doctor"], ["alerts", "test"], ["alerts", "retry", "msg_nothing"], ["alerts", "enable", "apprise"]):
        done = subprocess.run([sys.executable, "-m", "monitor", "--config", str(cfg), *args], capture_output=True,
                              text=True, env=env, timeout=120)
        outputs.append(done.stdout + done.stderr)
        stdouts.append(done.stdout)
    text = "\n".join(outputs)
    assert "apprise[3]" in text and "does not parse" in text  # the checks ran and said something
    assert "403" in text  # the refusal is reported...
    for secret in (TOKEN, PASSWORD, WORD):
        assert secret not in text  # ...without the token
        for db in tmp_path.glob("monitor.db*"):
            assert secret.encode() not in db.read_bytes(), db.name
    queued = {(r["channel"], r["kind"]) for r in json.loads(stdouts[2])}
    assert queued == {(c, k) for c in ("apprise", "apprise[2]", "apprise[3]")
                      for k in ("meeting.detected", "source.failing")}  # operator alerts go to each URL too


def test_failures_map_to_outbox_decisions() -> None:
    """503/429 and connection errors retry, 404 is dead, 410 disables, an unknown failure retries."""
    where = "apprise (JSON, json://…)"
    said = "Failed to send JSON POST notification: {}, error={}."
    assert classify(True, [], where).outcome == "sent"
    assert classify(False, [said.format("Service Unavailable", 503)], where).outcome == "retry"
    assert classify(False, [said.format("Too Many Requests", 429)], where).outcome == "retry"
    assert classify(False, [said.format("Not Found", 404)], where).outcome == "dead"
    assert classify(False, [said.format("Unauthorized", 401)], where).outcome == "dead"
    assert classify(False, [said.format("Gone", 410)], where).outcome == "disable"
    assert classify(False, ["A Connection error occurred sending JSON notification to ***."], where).outcome == \
        "retry"
    assert classify(False, [], where).outcome == "retry"
    assert classify(False, ["dbus:// is disabled on this system."], where).outcome == "dead"


def test_redactor_removes_every_piece_of_the_url() -> None:
    """The whole URL, its host-position token, path parts, password and query values, raw or %-encoded, go."""
    url = f"tgram://{TOKEN}:AAE-{TOKEN}/chat%2F{TOKEN}?user={PASSWORD}"
    redact = Redactor(url)
    for leak in (url, TOKEN, f"AAE-{TOKEN}", f"chat/{TOKEN}", PASSWORD, f"chat%2F{TOKEN}"):
        assert TOKEN not in redact(f"error near {leak} here") and PASSWORD not in redact(f"x {leak} y")
    assert redact("HTTP error=503.") == "HTTP error=503."


def test_one_channel_per_url_with_stable_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Three URLs make apprise, apprise[2], apprise[3]; a missing variable still leaves `apprise`, retrying."""
    conf = parse_settings({"alerts": {"apprise": {"urls": ["json://a/1", "json://b/2", "json://c/3"]},
                                      "webhook": {"url": "http://127.0.0.1:9/h"}}})
    assert enabled_channels(conf) == ["webhook", "apprise", "apprise[2]", "apprise[3]"]
    assert kind("apprise[2]") is kind("apprise") is not None and channel_index("apprise[3]") == 2
    listed = tmp_path / "urls.txt"
    listed.write_text("# desk\njson://a/1\n\n  json://b/2 json://c/3\n")
    from_file = parse_settings({"alerts": {"apprise": {"urls_file": str(listed)}}})
    assert channel_names(from_file) == ["apprise", "apprise[2]", "apprise[3]"]
    monkeypatch.delenv("I20_APPRISE_URLS", raising=False)
    from_env = parse_settings({"alerts": {"apprise": {"urls_env": "I20_APPRISE_URLS", "enabled": False}}})
    assert channel_names(from_env) == ["apprise"] and enabled_channels(from_env) == []
    assert configured_channels(from_env) == ["apprise"]
    msg = AlertMessage("msg_x", "test", {"message": "m"}, datetime.now(UTC))
    result = AppriseChannel(from_env, "apprise").send(msg)
    assert result.outcome == "retry" and "I20_APPRISE_URLS is not set" in result.detail
    monkeypatch.setenv("I20_APPRISE_URLS", f"json://x/{TOKEN} json://y/2")
    assert channel_names(from_env) == ["apprise", "apprise[2]"]
    assert AppriseChannel(from_env, "apprise[3]").send(msg).outcome == "retry"
    monkeypatch.delenv("I20_APPRISE_URLS")  # gone for a moment: a queued apprise[2] alert waits, it is not dead
    dispatcher = Dispatcher(from_env, Store(":memory:"))
    assert dispatcher.deliver("apprise[2]", msg).outcome == "retry"
    dispatcher.close()


def test_config_refuses_mixed_or_malformed_urls() -> None:
    """Two of urls/urls_env/urls_file, none, or a value that is no URL: one-line errors without the value."""
    for table in ({"urls": ["json://a"], "urls_env": "X"}, {}, {"urls": [f"{TOKEN} not a url"]}):
        with pytest.raises(ConfigError) as err:
            parse_settings({"alerts": {"apprise": table}})
        assert "alerts.apprise" in str(err.value) and TOKEN not in str(err.value)


def test_doctor_checks_each_url_without_showing_it(tmp_path: Path) -> None:
    """A parsing URL is ok, an unparseable one fails; the doctor's lines name the scheme only."""
    cfg = write_config(tmp_path / "m.toml", [], f'[alerts.apprise]\nurls = ["json://127.0.0.1:9/{TOKEN}", '
                                                f'"tgram://{TOKEN}"]\n')
    checks = {c.name: c for c in check_channels(load_settings(cfg))}
    assert checks["apprise"].level == "ok" and "json://…" in checks["apprise"].detail
    assert checks["apprise[2]"].level == "fail" and "tgram://…" in checks["apprise[2]"].detail
    assert all(TOKEN not in c.detail + c.advice for c in checks.values())
    assert probe(load_settings(cfg), "apprise[3]").level == "fail"


def test_status_imports_neither_apprise_nor_prometheus(tmp_path: Path) -> None:
    """`monitor status` with both configured loads neither library (they are imported on use only)."""
    cfg = write_config(tmp_path / "m.toml", [], '[alerts.apprise]\nurls = ["json://127.0.0.1:9/x"]\n\n'
                                                '[metrics]\nport = 9\ntextfile = "m.prom"\n')
    code = ("import sys\nfrom typer.testing import CliRunner\nfrom monitor.cli import app\n"
            f"r = CliRunner().invoke(app, ['--config', {str(cfg)!r}, 'status'])\n"
            "print(r.exit_code, 'apprise' in sys.modules, 'prometheus_client' in sys.modules)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["0", "False", "False"], done.stderr[-500:]


def test_alerts_test_reaches_every_url(tmp_path: Path, site: LocalSite) -> None:
    """`monitor alerts test` sends one test message to each Apprise URL and reports each."""
    port = site.base.rsplit(":", 1)[1]
    cfg = apprise_config(tmp_path, site, [f"json://127.0.0.1:{port}/one", f"json://127.0.0.1:{port}/two"])
    code, out = cli(cfg, "alerts", "test")
    assert code == 0 and "apprise: ok" in out and "apprise[2]: ok" in out
    assert sorted(r.path for r in site.posts()) == ["/one", "/two"]


def test_gone_disables_then_enable_and_retry_deliver(tmp_path: Path, site: LocalSite) -> None:
    """A 410 from one URL disables its channel only; `alerts enable` and `alerts retry` then deliver it once."""
    publish(site, LATEST, [MEETING])
    gone, fine = Receiver(site, "/gone", [410]), Receiver(site, "/fine", [])
    port = site.base.rsplit(":", 1)[1]
    cfg = apprise_config(tmp_path, site, [f"json://127.0.0.1:{port}/fine", f"json://127.0.0.1:{port}/gone"])
    cli(cfg, "run", "--once")
    rows = {r["channel"]: r for r in json.loads(cli(cfg, "alerts", "--json")[1])}
    assert rows["apprise"]["status"] == "sent" and rows["apprise[2]"]["status"] == "dead"
    assert "410" in rows["apprise[2]"]["last_error"] and "alerts enable apprise[2]" in rows["apprise[2]"]["last_error"]
    assert "enabled again" in cli(cfg, "alerts", "enable", "apprise[2]")[1]
    code, out = cli(cfg, "alerts", "retry", rows["apprise[2]"]["id"])
    assert code == 0 and "sent" in out
    assert (len(fine.taken), len(gone.taken), gone.refused) == (1, 1, 1)
