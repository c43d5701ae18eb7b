"""Appearances and absences, the order of names and watchlists, on invented reports."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.alerts import AlertMessage
from monitor.alerts.render import render
from monitor.alerts.signals import NewItem, check_absences, rank_changes, record_item
from monitor.classify import Classification, Classifier
from monitor.config import ConfigError, Settings, parse_settings
from monitor.store import Store, iso, runs

GAZ = Classifier.load().gazetteer
START = date(2026, 3, 1)
HOOK = {"url": "http://127.0.0.1:9/hook", "secret": "whsec_dGVzdHNlY3JldHRlc3RzZWNyZXQ="}
MAIL = {"host": "127.0.0.1", "sender": "m@example.org", "recipients": ["a@example.org"]}


def settings(**extra: Any) -> Settings:
    """A config with a webhook and an email channel, plus `extra` top-level tables."""
    data: dict[str, Any] = {"alerts": {"webhook": HOOK, "email": MAIL, **extra.pop("alerts", {})}, **extra}
    return parse_settings(data)


def domestic() -> Classification:
    """The classification of a domestic item."""
    return Classification("domestic", False, [], [], {}, 0.9, [])


def store_item(store: Store, cfg: Settings, n: int, title: str, text: str, day: date, seen: datetime,
               channels: list[str]) -> int:
    """Store an item as the pipeline does (row, URL, then its signals; the run recorded) and return how many alerts
    it queued."""
    store.sync_sources([("kcna", "kcna", "http://x/")])
    with store.transaction() as db:
        item_id = runs.insert_item(db, runs.NewItem(
            f"k{n}", "kcna", f"http://x/{n}", title, day.isoformat(), None, text, None, f"h{n}", f"s{n}", "domestic",
            False, [], [], 0.9, [], "v", True), iso(seen))
        assert item_id is not None
        runs.add_url(db, f"http://x/{n}", item_id, "kcna", None, iso(seen))
        queued = record_item(db, cfg, channels, GAZ, NewItem(item_id, title, text, day, f"http://x/{n}", "kcna",
                                                             "domestic"), domestic(), iso(seen))
        runs.record_run(db, runs.RunRecord("kcna", iso(seen), 0.1, "ok", False, 200, 1, 1, None, []), iso(seen))
    return queued


def kinds(store: Store) -> list[str]:
    """The kinds of the alerts queued, oldest first."""
    return [r["kind"] for r in store.query("SELECT kind FROM outbox ORDER BY created_at, id")]


def test_absence_and_reappearance_once_each(tmp_path: Path) -> None:
    """Appearances on days 1, 3 and 20 with absence_days = 14: one absence alert on day 17, one reappearance on
    day 20, each once however often the check runs."""
    cfg = settings(alerts={"watch_people": [{"name": "Kim Jong-un"}], "rules": {"absence_days": 14}})
    store = Store(tmp_path / "m.db")
    store.sync_sources([("kcna", "kcna", "http://x/")])
    seen_on: dict[str, int] = {}
    for day in range(1, 23):
        when = datetime.combine(START + timedelta(days=day - 1), datetime.min.time(), UTC) + timedelta(hours=9)
        store_item(store, cfg, day, f"Farm Work Brisk on Day {day}", "Farmers are busy with rice transplanting.",
                   when.date(), when, ["webhook"])
        if day in (1, 3, 20):
            store_item(store, cfg, 100 + day, "Kim Jong Un Inspects Machine Plant",
                       "Kim Jong Un inspected a machine plant in the capital.", when.date(), when, ["webhook"])
        for _ in range(2):  # the check runs after every pass: twice here
            check_absences(store, cfg, ["webhook"], when + timedelta(minutes=5))
        for kind in kinds(store):
            seen_on.setdefault(kind, day)
    assert kinds(store) == ["person.absent", "person.reappeared"]
    assert seen_on == {"person.absent": 17, "person.reappeared": 20}
    absent, back = (json.loads(r["payload"]) for r in store.query("SELECT payload FROM outbox ORDER BY created_at"))
    assert absent["person"] == "Kim Jong Un" and absent["last_seen"] == "2026-03-03" and absent["days"] == 14
    assert absent["sources"] == ["kcna"]
    assert back["item"]["title"] == "Kim Jong Un Inspects Machine Plant" and back["days"] == 17
    store.close()


def test_no_absence_while_sources_are_down(tmp_path: Path) -> None:
    """When no source has run successfully lately, a long silence is an outage, not an absence: no alert."""
    cfg = settings(alerts={"watch_people": [{"name": "Kim Jong Un", "absence_days": 5}]})
    store = Store(tmp_path / "m.db")
    store.sync_sources([("kcna", "kcna", "http://x/")])
    day1 = datetime(2026, 3, 1, 9, tzinfo=UTC)
    store_item(store, cfg, 1, "Kim Jong Un Visits Hospital", "Kim Jong Un visited a hospital.", day1.date(), day1,
               ["webhook"])
    assert check_absences(store, cfg, ["webhook"], day1 + timedelta(days=10)) == 0
    assert kinds(store) == []
    store.close()


def test_nobody_followed_by_default(tmp_path: Path) -> None:
    """Without [[alerts.watch_people]] no absence is alerted, the leader's included."""
    cfg = settings()
    store = Store(tmp_path / "m.db")
    store.sync_sources([("kcna", "kcna", "http://x/")])
    day1 = datetime(2026, 3, 1, 9, tzinfo=UTC)
    store_item(store, cfg, 1, "Kim Jong Un Visits Hospital", "Kim Jong Un visited a hospital.", day1.date(), day1,
               ["webhook"])
    later = day1 + timedelta(days=30)
    store_item(store, cfg, 2, "Rain Expected", "Rain is expected in the north.", later.date(), later, ["webhook"])
    assert check_absences(store, cfg, ["webhook"], later) == 0
    store.close()


def names(*people: str) -> str:
    """An invented report whose list of those present is `people`, in order."""
    return "A meeting was held in Pyongyang. Present there were " + ", ".join(people) + ", and other officials."


ROSTER = ["Choe Ryong Hae", "Jo Yong Won", "Pak Thae Song", "Kim Tok Hun", "Ri Il Hwan", "Ri Pyong Chol",
          "Kim Jae Ryong", "Jong Kyong Thaek", "Ri Yong Gil", "Pak Jong Chon", "Kim Yo Jong", "Choe Son Hui",
          "No Kwang Chol", "Kim Song Nam"]


def test_rank_change_alerts_once(tmp_path: Path) -> None:
    """Two lists of the same kind where a person moves from 3rd to 12th give one ranks.changed, naming the move."""
    cfg = settings(alerts={"rules": {"rank_changes": True}})
    store = Store(tmp_path / "m.db")
    moved = [n for n in ROSTER if n != "Pak Thae Song"]
    moved.insert(11, "Pak Thae Song")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert store_item(store, cfg, 1, "Meeting Held", names(*ROSTER), day.date(), day, ["webhook"]) == 0
    later = day + timedelta(days=2)
    assert store_item(store, cfg, 2, "Meeting Held Again", names(*moved), later.date(), later, ["webhook"]) == 1
    payload = json.loads(store.query("SELECT payload FROM outbox WHERE kind = 'ranks.changed'")[0]["payload"])
    assert payload["changes"] == [{"person": "Pak Thae Song", "change": "moved", "from": 3, "to": 12}]
    assert payload["kind"] == "present"
    store.close()


def test_rank_changes_off_by_default(tmp_path: Path) -> None:
    """Without `rank_changes = true` the lists are stored but nothing is alerted."""
    cfg = settings()
    store = Store(tmp_path / "m.db")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    store_item(store, cfg, 1, "Meeting Held", names(*ROSTER), day.date(), day, ["webhook"])
    store_item(store, cfg, 2, "Meeting Held Again", names(*reversed(ROSTER)), day.date(), day, ["webhook"])
    assert kinds(store) == []
    assert store.scalar("SELECT COUNT(*) FROM name_lists") == 2 * len(ROSTER)
    store.close()


def test_rank_changes_rules() -> None:
    """Moves of five places or more, appearances and disappearances among the first 20 are changes; a move of
    four is not, and a first list has nothing to compare with."""
    before = [f"P{i}" for i in range(1, 26)]
    after = [n for n in before if n not in ("P2", "P22")]
    after.insert(6, "P2")  # 2nd -> 7th: a move of five
    after.insert(0, "New")
    assert rank_changes([], after) == []
    changes = {c["person"]: c["change"] for c in rank_changes(before, after)}
    assert changes == {"P2": "moved", "New": "appeared"}
    assert rank_changes(before, before[1:]) == [{"person": "P1", "change": "disappeared", "from": 1, "to": None}]
    shifted = before[:2] + before[3:7] + [before[2]] + before[7:]  # 3rd -> 7th: four places
    assert rank_changes(before, shifted) == []


def test_watch_routed_to_its_channel_once(tmp_path: Path) -> None:
    """A watch on "Lavrov" sent to the webhook only alerts there, once per item (a second reading adds nothing)."""
    cfg = settings(watches=[{"name": "russia-desk", "people": ["Sergei Lavrov"], "channels": ["webhook"]}])
    store = Store(tmp_path / "m.db")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    title = "Russian Foreign Minister Lavrov Arrives in Pyongyang"
    text = "Sergei Lavrov, foreign minister of the Russian Federation, arrived in Pyongyang on Friday."
    assert store_item(store, cfg, 1, title, text, day.date(), day, ["webhook", "email"]) == 1
    rows = store.query("SELECT channel, kind, payload FROM outbox")
    assert [(r["channel"], r["kind"]) for r in rows] == [("webhook", "watch.matched")]
    assert json.loads(rows[0]["payload"])["watch"] == "russia-desk"
    with store.transaction() as db:  # the same item read again (a rerun): the outbox key makes it a no-op
        again = record_item(db, cfg, ["webhook", "email"], GAZ, NewItem(1, title, text, day.date(), "http://x/1",
                                                                        "kcna", "domestic"), domestic(), iso(day))
    assert again == 0 and len(store.query("SELECT id FROM outbox")) == 1
    assert store_item(store, cfg, 2, "Apple Harvest Begins", "Orchards start picking.", day.date(), day,
                      ["webhook", "email"]) == 0
    store.close()


def test_watch_words_and_countries(tmp_path: Path) -> None:
    """A watch by words matches through the full-text index, one by country through the countries named; the
    default channels are all enabled ones."""
    cfg = settings(watches=[{"name": "grain", "words": "rice OR wheat"}, {"name": "laos", "countries": ["Laos"]}])
    store = Store(tmp_path / "m.db")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert store_item(store, cfg, 1, "Wheat Sowing Starts", "Farmers sow wheat.", day.date(), day,
                      ["webhook", "email"]) == 2
    assert store_item(store, cfg, 2, "Lao Art Troupe Performs", "An art troupe of Laos gave a performance.",
                      day.date(), day, ["webhook"]) == 1
    watches = [json.loads(r["payload"])["watch"] for r in store.query("SELECT payload FROM outbox ORDER BY id")]
    assert sorted(watches) == ["grain", "grain", "laos"]
    store.close()


def test_old_items_never_alert(tmp_path: Path) -> None:
    """An item found off a live page long after its date is stored with its appearance, quietly: no watch alert."""
    cfg = settings(watches=[{"name": "w", "words": "greenhouse"}])
    store = Store(tmp_path / "m.db")
    seen = datetime(2026, 3, 30, 9, tzinfo=UTC)
    with store.transaction() as db:
        item_id = runs.insert_item(db, runs.NewItem("k", "kcna", "u", "Kim Jong Un Visits Greenhouse", "2026-03-01",
                                                    None, None, None, "h", "s", "domestic", False, [], [], 0.9, [],
                                                    "v", False), iso(seen))
        assert item_id is not None
        queued = record_item(db, cfg, ["webhook"], GAZ, NewItem(item_id, "Kim Jong Un Visits Greenhouse", None,
                                                                date(2026, 3, 1), "u", "kcna", "domestic"),
                             domestic(), iso(seen), live=False)
    assert queued == 0
    assert store.one("SELECT person, quiet FROM appearances") == {"person": "Kim Jong Un", "quiet": 1}
    store.close()


@pytest.mark.parametrize("bad, said", [
    ({"watches": [{"name": "w", "words": "x", "channels": ["pager"]}]}, "unknown channel 'pager'"),
    ({"watches": [{"name": "w", "words": "\"unclosed"}]}, "is not a full-text query"),
    ({"watches": [{"name": "w"}]}, "needs at least one of"),
    ({"alerts": {"watch_people": [{"name": "X", "absence_days": 0}]}}, "absence_days"),
])
def test_config_errors(bad: dict[str, Any], said: str) -> None:
    """Wrong watch and watch_people settings are refused with a message saying what is wrong."""
    with pytest.raises(ConfigError, match=said):
        parse_settings(bad)


@pytest.mark.parametrize("kind, payload, subject", [
    ("person.absent", {"person": "Kim Jong Un", "days": 15, "last_seen": "2026-03-03", "sources": ["kcna"]},
     "Not seen for 15 days: Kim Jong Un (last seen 2026-03-03)"),
    ("person.reappeared", {"person": "Kim Jong Un", "days": 17, "date": "2026-03-20",
                           "item": {"title": "Kim Jong Un Inspects Plant", "url": "http://x/1"}},
     "Seen again: Kim Jong Un after 17 days (2026-03-20)"),
    ("ranks.changed", {"kind": "present", "changes": [{"person": "Pak Thae Song", "change": "moved", "from": 3,
                                                        "to": 12}], "title": "Meeting"},
     "Order of names changed (present): Pak Thae Song"),
    ("watch.matched", {"watch": "russia-desk", "title": "Lavrov Arrives", "url": "http://x/2"},
     "Watch russia-desk: Lavrov Arrives"),
])
def test_render_new_kinds(kind: str, payload: dict[str, Any], subject: str) -> None:
    """Each new alert kind has its own email subject and rows (not the generic dump)."""
    msg = AlertMessage("msg_1", kind, payload, datetime(2026, 3, 1, tzinfo=UTC))
    out = render(msg)
    assert out.subject == subject
    assert "Alert of kind" not in out.text
    if kind == "ranks.changed":
        assert "Pak Thae Song: 3 -> 12" in out.text
    if kind == "person.reappeared":
        assert "http://x/1" in out.text and "Kim Jong Un Inspects Plant" in out.html


def test_digest_groups_watch_matches(tmp_path: Path) -> None:
    """The digest of a window lists the items each watch matched in it, under `watches`, even on a day with no
    diplomatic item."""
    from monitor.alerts.digest import queue_digest

    cfg = settings(watches=[{"name": "grain", "words": "wheat"}])
    store = Store(tmp_path / "m.db")
    seen = datetime(2026, 3, 1, 9, tzinfo=UTC)
    store_item(store, cfg, 1, "Wheat Sowing Starts", "Farmers sow wheat.", seen.date(), seen, ["webhook"])
    assert queue_digest(store, ["email"], 60, seen + timedelta(minutes=30)) == 1
    payload = json.loads(store.query("SELECT payload FROM outbox WHERE kind = 'digest'")[0]["payload"])
    assert payload["items"] == []
    assert [(w["watch"], w["title"]) for w in payload["watches"]] == [("grain", "Wheat Sowing Starts")]
    msg = AlertMessage("msg_d", "digest", payload, seen)
    assert "[grain] Wheat Sowing Starts" in render(msg).text
    store.close()


def test_a_fault_in_signals_never_loses_the_item(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When reading an item's signals fails, what they wrote is undone and the item stays stored."""
    import monitor.alerts.signals as signals

    def broken(*args: object, **kwargs: object) -> list[tuple[str, list[str]]]:
        raise RuntimeError("bug")

    monkeypatch.setattr(signals, "name_lists", broken)
    cfg = settings()
    store = Store(tmp_path / "m.db")
    day = datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert store_item(store, cfg, 1, "Kim Jong Un Visits Farm", "Kim Jong Un visited a farm.", day.date(), day,
                      ["webhook"]) == 0
    assert store.scalar("SELECT COUNT(*) FROM items") == 1
    assert store.scalar("SELECT COUNT(*) FROM appearances") == 0  # undone with the rest of the signals
    store.close()
