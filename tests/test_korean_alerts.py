"""One meeting reported by the Korean edition first and the English edition later: one event, one webhook and one
email (from the Korean report), the English report joining the event; the two items paired as one story.

Both orders run with the real classifier (Korean text classified by the Korean rules).
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from monitor.archive.pairing import check
from monitor.cli import app
from monitor.store import Store
from tests.conftest import write_config
from tests.koreankit import KO_LATEST, KoStory, publish_ko
from tests.sitekit import LATEST, LocalSite, Story, publish
from tests.test_alerts_e2e import SECRET, HookReceiver, Inbox
from tests.test_alerts_e2e import channels as channels  # the webhook receiver and SMTP server fixture

DAY = date(2026, 10, 14)
KO_MEETING = KoStory("김정은동지께서 벨라루씨공화국 외무상을 접견하시였다", (
    "김정은동지께서는 10월 14일 우리 나라를 방문하고있는 벨라루씨공화국 외무상 막심 리젠꼬브를 접견하시였다.",
    "접견은 따뜻한 분위기속에서 진행되였다."), DAY)
EN_MEETING = Story("Kim Jong Un Receives Foreign Minister of Belarus", (
    "Kim Jong Un received Maxim Ryzhenkov, minister of Foreign Affairs of Belarus, who is visiting the DPRK, on "
    "October 14.", "The meeting proceeded in a warm atmosphere."), DAY)
KO_FILLER = KoStory("평양에서 가을철체육경기 진행", ("여러 단위의 선수들이 경기에 참가하였다.",), DAY)


def test_korean_report_first_alerts_once_english_joins(tmp_path: Path, site: LocalSite,
                                                       channels: tuple[HookReceiver, Inbox, int]) -> None:
    """Korean report first: one signed webhook and one email naming it; the English report a pass later joins
    the event (its second report) without another meeting alert, and the two items are paired."""
    _korean_then_english(tmp_path, site, channels)


def test_english_first_then_korean(tmp_path: Path, site: LocalSite,
                                   channels: tuple[HookReceiver, Inbox, int]) -> None:
    """English report first: it alerts, the Korean one joins its event without another meeting alert, and the
    Korean item is never marked "Korean only" (its English version is there)."""
    hook, inbox, port = channels
    publish_ko(site, [KO_MEETING])
    publish(site, LATEST, [EN_MEETING])
    cfg = _config(tmp_path, site, hook, port)
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(cfg), "run", "--once", "--source", "kcna-en"]).exit_code == 0
    assert runner.invoke(app, ["--config", str(cfg), "run", "--once", "--source", "kcna-ko"]).exit_code == 0
    kinds = [b["type"] for bodies in hook.bodies.values() for b in bodies]
    assert kinds == ["meeting.detected"] and len(inbox.messages) == 1
    assert next(iter(hook.bodies.values()))[0]["data"]["source"] == "kcna-en"
    store = Store(tmp_path / "monitor.db")
    check(store, datetime.now(UTC) + timedelta(days=3))
    assert store.items(korean_only=True) == []


def _korean_then_english(tmp_path: Path, site: LocalSite, channels: tuple[HookReceiver, Inbox, int]) -> None:
    """The scenario: the Korean edition's pass, then the English edition's, checked as the tests say."""
    hook, inbox, port = channels
    publish_ko(site, [KO_MEETING, KO_FILLER])
    publish(site, LATEST, [EN_MEETING])
    cfg = _config(tmp_path, site, hook, port)
    runner = CliRunner()
    assert runner.invoke(app, ["--config", str(cfg), "run", "--once", "--source", "kcna-ko"]).exit_code == 0
    assert len(hook.bodies) == 1 and len(inbox.messages) == 1
    first = next(iter(hook.bodies.values()))[0]
    assert first["type"] == "meeting.detected" and first["data"]["title"] == KO_MEETING.title
    assert first["data"]["source"] == "kcna-ko" and "Maxim Ryzhenkov" in first["data"]["participants"]
    assert runner.invoke(app, ["--config", str(cfg), "run", "--once", "--source", "kcna-en"]).exit_code == 0
    kinds = [b["type"] for bodies in hook.bodies.values() for b in bodies]
    assert kinds.count("meeting.detected") == 1 and len(inbox.messages) == 1
    store = Store(tmp_path / "monitor.db")
    reports = store.query("SELECT i.source, i.language, i.translation_id, r.event_id FROM event_reports r "
                          "JOIN items i ON i.id = r.item_id ORDER BY r.added_at")
    assert [(r["source"], r["language"]) for r in reports] == [("kcna-ko", "ko"), ("kcna-en", "en")]
    assert len({r["event_id"] for r in reports}) == 1 and all(r["translation_id"] for r in reports)
    items = json.loads(runner.invoke(app, ["--config", str(cfg), "items", "--json"]).stdout)
    assert {i["language"] for i in items} == {"ko", "en"}


def _config(tmp_path: Path, site: LocalSite, hook: HookReceiver, port: int) -> Path:
    """The Korean and the English KCNA listing on the local site, webhook and email channels."""
    extra = (f'[alerts.webhook]\nurl = "{hook.url}"\nsecret = "{SECRET}"\n\n[alerts.email]\nhost = "127.0.0.1"\n'
             f'port = {port}\nsender = "monitor@example.org"\nrecipients = ["desk@example.org"]\n')
    return write_config(tmp_path / "m.toml", [
        {"name": "kcna-ko", "adapter": "kcna", "url": site.base + KO_LATEST, "fetch_articles": True,
         "language": "ko"},
        {"name": "kcna-en", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}], extra)
