"""Signals end to end: local site -> `monitor run --once` -> outbox -> a real webhook receiver and SMTP server;
the `appearances`, `ranks`, `status` and `reclassify` commands on what was stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import app
from monitor.store import Store
from tests.sitekit import EXTERNAL, LATEST, LocalSite, Story, publish
from tests.test_alerts_e2e import HookReceiver, Inbox, channels, config  # noqa: F401 (the fixture)

TODAY = datetime.now(UTC).date()
VISIT = Story("Kim Jong Un Inspects Newly Built Fish Farm", (
    "Kim Jong Un inspected a fish farm newly built on the east coast, accompanied by Jo Yong Won and Kim Yo Jong.",
    "Present there were Jo Yong Won, Kim Yo Jong and Ri Il Hwan, and officials of the farm."),
    TODAY - timedelta(days=20))
BACK = Story("Kim Jong Un Watches Artillery Firing Drill", ("Kim Jong Un watched an artillery firing drill.",), TODAY)
LAVROV = Story("Russian Foreign Minister Lavrov Arrives in Pyongyang", (
    "Sergei Lavrov, minister of Foreign Affairs of the Russian Federation, arrived in Pyongyang on a visit.",), TODAY)
GREETING = Story("Kim Jong Un Sends Greetings to Lao President", (
    "Kim Jong Un sent a message of greeting to the president of Laos.",), TODAY - timedelta(days=1))
FILLER = Story("Potato Harvest Ends in Taehongdan County", ("The harvest ended.",), TODAY)

WATCHES = ('\n[[alerts.watch_people]]\nname = "Kim Jong Un"\nabsence_days = 14\n\n[[watches]]\nname = "russia-desk"\n'
           'people = ["Lavrov"]\nchannels = ["webhook"]\n')


def cli(cfg: Path, *args: str) -> str:
    """Run a command; its standard output (it must succeed)."""
    result = CliRunner().invoke(app, ["--config", str(cfg), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def kinds(hook: HookReceiver) -> list[str]:
    """The `type` of every webhook received."""
    return sorted(b[0]["type"] for b in hook.bodies.values())


def test_absence_reappearance_and_watch(tmp_path: Path, site: LocalSite,
                                        channels: tuple[HookReceiver, Inbox, int]) -> None:  # noqa: F811
    """A leader last seen 20 days ago: one person.absent at the first run, none at the second, one
    person.reappeared when he is seen again; a watch sent to the webhook only never goes out by email."""
    hook, inbox, port = channels
    publish(site, LATEST, [GREETING, VISIT, FILLER])
    publish(site, EXTERNAL, [FILLER], salt="ext")
    cfg = config(tmp_path, site, hook, port)
    cfg.write_text(cfg.read_text() + WATCHES)
    cli(cfg, "run", "--once")
    cli(cfg, "run", "--once")
    assert kinds(hook) == ["person.absent"]
    absent = next(iter(hook.bodies.values()))[0]["data"]
    assert absent["person"] == "Kim Jong Un" and absent["days"] == 20 and absent["sources"] == ["external", "latest"]
    status = json.loads(cli(cfg, "status", "--json"))
    assert status["leader"]["days"] == 20 and status["leader"]["last_seen"] == VISIT.day.isoformat()
    apps = json.loads(cli(cfg, "appearances", "--person", "Kim Jong-un", "--json"))
    assert [(a["kind"], a["days_since_previous"]) for a in apps] == [("inspects", None)]
    people = {a["person"] for a in json.loads(cli(cfg, "appearances", "--json"))}
    assert people == {"Kim Jong Un", "Jo Yong Won", "Kim Yo Jong"}  # the greeting is no appearance
    ranks = json.loads(cli(cfg, "ranks", "--person", "Kim Yo Jong", "--json"))
    assert sorted((r["kind"], r["position"]) for r in ranks) == [("accompanying", 2), ("present", 2)]
    publish(site, LATEST, [BACK, LAVROV, GREETING, VISIT, FILLER])
    cli(cfg, "run", "--once")
    cli(cfg, "run", "--once")
    assert kinds(hook) == ["person.absent", "person.reappeared", "watch.matched"]
    watch = next(b[0] for b in hook.bodies.values() if b[0]["type"] == "watch.matched")
    assert watch["data"]["watch"] == "russia-desk" and "Lavrov" in watch["data"]["title"]
    subjects = sorted(str(message_from_bytes(m, policy=policy.default)["Subject"]) for m in inbox.messages)
    assert len(subjects) == 2 and subjects[0].startswith("Not seen for 20 days: Kim Jong Un")
    assert subjects[1].startswith("Seen again: Kim Jong Un after 20 days")
    apps = json.loads(cli(cfg, "appearances", "--person", "Kim Jong Un", "--since", TODAY.isoformat(), "--json"))
    assert [(a["kind"], a["days_since_previous"]) for a in apps] == [("watches", 20)]


def test_reclassify_reads_history_quietly(tmp_path: Path, site: LocalSite,
                                          channels: tuple[HookReceiver, Inbox, int]) -> None:  # noqa: F811
    """Items stored before the signals existed are read by `monitor reclassify`: their appearances count, and
    nothing is alerted for them."""
    hook, _inbox, port = channels
    publish(site, LATEST, [VISIT, FILLER])
    publish(site, EXTERNAL, [FILLER], salt="ext")
    cfg = config(tmp_path, site, hook, port)
    cli(cfg, "run", "--once")
    store = Store(tmp_path / "monitor.db")
    with store.transaction() as db:  # as a database of before m007 holds them: never read
        db.execute("DELETE FROM appearances")
        db.execute("UPDATE items SET signals_read = 0")
    store.close()
    assert json.loads(cli(cfg, "appearances", "--json")) == []
    cli(cfg, "reclassify")
    apps = json.loads(cli(cfg, "appearances", "--person", "Kim Jong Un", "--json"))
    assert [a["kind"] for a in apps] == ["inspects"]
    store = Store(tmp_path / "monitor.db")
    assert store.scalar("SELECT COUNT(*) FROM appearances WHERE quiet = 0") == 0
    assert store.scalar("SELECT COUNT(*) FROM items WHERE signals_read = 0") == 0
    store.close()
    assert kinds(hook) == []
