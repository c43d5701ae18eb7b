"""Alerts end to end: pipeline -> outbox -> dispatcher -> a real webhook receiver and a real SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from standardwebhooks.webhooks import Webhook
from typer.testing import CliRunner

from monitor.cli import app
from tests.conftest import write_config
from tests.sitekit import EXTERNAL, LATEST, LocalSite, Story, publish

SECRET = "whsec_ZTJlLWFsZXJ0cy10ZXN0LXNlY3JldA=="
DAY = date(2026, 11, 21)
MEETING = Story("Kim Jong Un Receives Belarusian Prime Minister", (
    "Kim Jong Un received Alexander Turchin, prime minister of the Republic of Belarus, on November 21.",), DAY)
MIRROR = Story("Respected Comrade Kim Jong Un Meets Belarusian Premier Turchin", (
    "The respected Comrade Kim Jong Un met Alexander Turchin, premier of Belarus, who is in Pyongyang.",), DAY)
LATER = Story("DPRK Premier Holds Talks with Belarusian Prime Minister", (
    "Pak Thae Song, premier of the Cabinet, held talks with Alexander Turchin, prime minister of Belarus.",),
    date(2026, 11, 22))
SCRIPT = Story('Kim Jong Un Receives <script>alert("x")</script> Cuban Foreign Minister', (
    "Kim Jong Un received Bruno Rodriguez Parrilla, minister of Foreign Affairs of Cuba.",), DAY)
FILLER = Story("Potato Harvest Ends in Taehongdan County", ("The harvest ended.",), DAY)


class HookReceiver:
    """Verifies each webhook with the standardwebhooks package; can fail the first N attempts."""

    def __init__(self) -> None:
        self.bodies: dict[str, list[dict[str, Any]]] = {}
        self.attempts: dict[str, int] = {}
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                wid = headers["webhook-id"]
                receiver.attempts[wid] = receiver.attempts.get(wid, 0) + 1
                if receiver.status == 200:
                    Webhook(SECRET).verify(body, headers)
                    receiver.bodies.setdefault(wid, []).append(json.loads(body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"


class Inbox:
    """aiosmtpd handler keeping every message."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


@pytest.fixture
def channels() -> Iterator[tuple[HookReceiver, Inbox, int]]:
    """A webhook receiver and an SMTP server on 127.0.0.1."""
    hook, inbox = HookReceiver(), Inbox()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    smtp = Controller(inbox, hostname="127.0.0.1", port=port)
    smtp.start()
    yield hook, inbox, port
    smtp.stop()
    hook.server.shutdown()


def config(tmp_path: Path, site: LocalSite, hook: HookReceiver, port: int) -> Path:
    """Two KCNA listings on the local site, webhook and email channels."""
    extra = (f'[alerts.webhook]\nurl = "{hook.url}"\nsecret = "{SECRET}"\n\n[alerts.email]\nhost = "127.0.0.1"\n'
             f'port = {port}\nsender = "monitor@example.org"\nrecipients = ["desk@example.org"]\n')
    srcs = [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True},
            {"name": "external", "adapter": "kcna", "url": site.base + EXTERNAL, "fetch_articles": True}]
    return write_config(tmp_path / "m.toml", srcs, extra)


def run_once(cfg: Path) -> int:
    """`monitor run --once`; its exit code."""
    return CliRunner().invoke(app, ["--config", str(cfg), "run", "--once"]).exit_code


def test_one_meeting_three_reports_one_webhook_one_email(tmp_path: Path, site: LocalSite,
                                                          channels: tuple[HookReceiver, Inbox, int]) -> None:
    """A meeting under two URLs and a third headline a day later: one signed webhook and one email in all."""
    hook, inbox, port = channels
    publish(site, LATEST, [MEETING, FILLER])
    publish(site, EXTERNAL, [MEETING, MIRROR], salt="ext")
    cfg = config(tmp_path, site, hook, port)
    assert run_once(cfg) == 0
    publish(site, LATEST, [LATER, MEETING, FILLER])
    assert run_once(cfg) == 0
    assert len(hook.bodies) == 1 and len(inbox.messages) == 1
    body = next(iter(hook.bodies.values()))[0]
    assert body["type"] == "meeting.detected"
    assert {"Kim Jong Un", "Alexander Turchin"} <= set(body["data"]["participants"])
    assert set(body["data"]) >= {"event_id", "title", "url", "source", "date", "participants", "countries",
                                 "high_level", "reports"}
    mail = message_from_bytes(inbox.messages[0], policy=policy.default)
    assert "Turchin" in str(mail["Subject"]) and str(mail["Message-ID"]).startswith("<msg_")
    alerts = json.loads(CliRunner().invoke(app, ["--config", str(cfg), "alerts", "--json"]).stdout)
    assert sorted(a["channel"] for a in alerts) == ["email", "webhook"]
    assert all(a["status"] == "sent" and a["attempts"] == 1 and a["event_id"] for a in alerts)


def test_receiver_down_then_up_gets_it_once(tmp_path: Path, site: LocalSite,
                                            channels: tuple[HookReceiver, Inbox, int]) -> None:
    """A receiver answering 500 gets the alert after it recovers, once per webhook-id."""
    hook, _inbox, port = channels
    hook.status = 500
    publish(site, LATEST, [MEETING])
    publish(site, EXTERNAL, [FILLER], salt="ext")
    cfg = config(tmp_path, site, hook, port)
    run_once(cfg)
    alerts = json.loads(CliRunner().invoke(app, ["--config", str(cfg), "alerts", "--json"]).stdout)
    webhook = next(a for a in alerts if a["channel"] == "webhook")
    assert webhook["status"] == "pending" and "500" in webhook["last_error"]
    hook.status = 200
    result = CliRunner().invoke(app, ["--config", str(cfg), "alerts", "retry", webhook["id"]])
    assert result.exit_code == 0, result.output
    run_once(cfg)
    assert list(hook.bodies) == [webhook["id"]] and len(hook.bodies[webhook["id"]]) == 1


def test_html_in_title_escaped_in_email_intact_in_json(tmp_path: Path, site: LocalSite,
                                                       channels: tuple[HookReceiver, Inbox, int]) -> None:
    """A title carrying <script> arrives verbatim in the webhook JSON and escaped in the email's HTML part."""
    hook, inbox, port = channels
    publish(site, LATEST, [SCRIPT])
    publish(site, EXTERNAL, [FILLER], salt="ext")
    run_once(config(tmp_path, site, hook, port))
    body = next(iter(hook.bodies.values()))[0]
    assert '<script>alert("x")</script>' in body["data"]["title"]
    mail = message_from_bytes(inbox.messages[0], policy=policy.default)
    html_part = mail.get_body(("html",))
    assert html_part is not None
    html = html_part.get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_gone_endpoint_disables_the_channel(tmp_path: Path, site: LocalSite,
                                            channels: tuple[HookReceiver, Inbox, int]) -> None:
    """A 410 Gone marks the alert dead and disables the webhook until `monitor alerts enable webhook`."""
    hook, _inbox, port = channels
    hook.status = 410
    publish(site, LATEST, [MEETING])
    publish(site, EXTERNAL, [FILLER], salt="ext")
    cfg = config(tmp_path, site, hook, port)
    run_once(cfg)
    alerts = json.loads(CliRunner().invoke(app, ["--config", str(cfg), "alerts", "--json"]).stdout)
    webhook = next(a for a in alerts if a["channel"] == "webhook")
    assert webhook["status"] == "dead" and "410" in webhook["last_error"]
    result = CliRunner().invoke(app, ["--config", str(cfg), "alerts", "enable", "webhook"])
    assert "enabled again" in result.stdout
