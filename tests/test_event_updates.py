"""Events over several reports: one detection, then one update per new report; the undated window is 3 days."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from monitor.alerts.events import MeetingReport, attach_report
from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.runtime.runner import close_context, open_context
from monitor.store import Store, Tx, iso
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish

DAY = date(2026, 11, 20)
FIRST = Story("Kim Jong Un Receives Visiting Lao Prime Minister", (
    "Kim Jong Un received Sonexay Siphandone, prime minister of the Lao People's Democratic Republic.",), DAY)
SECOND = Story("DPRK Leader Meets Lao Premier", (
    "The respected Comrade Kim Jong Un met Sonexay Siphandone, premier of Laos, who is visiting Pyongyang.",), DAY)
THIRD = Story("Talks Held between Kim Jong Un and Lao Premier", (
    "Kim Jong Un held talks with Sonexay Siphandone, prime minister of Laos, at the Kumsusan Palace.",),
    DAY + timedelta(days=1))
HOOK = '[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'


def test_three_reports_give_one_detection_and_two_updates(tmp_path: Path, site: LocalSite) -> None:
    """With update_on_new_report on, three reports of one meeting over three runs queue one `meeting.detected`
    and two `meeting.updated` per channel; a run that finds no new report queues nothing."""
    cfg = write_config(tmp_path / "monitor.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": False}],
        HOOK + "\n[alerts.rules]\nupdate_on_new_report = true\n")
    ctx = open_context(load_settings(cfg))
    try:
        src = ctx.settings.sources[0]
        for shown in ([FIRST], [SECOND, FIRST], [THIRD, SECOND, FIRST], [THIRD, SECOND, FIRST]):
            publish(site, LATEST, shown)
            assert run_source(ctx, src).status == "ok"
        kinds = [r["kind"] for r in ctx.store.query("SELECT kind FROM outbox ORDER BY created_at")]
        assert kinds == ["meeting.detected", "meeting.updated", "meeting.updated"]
        assert ctx.store.scalar("SELECT COUNT(*) FROM events") == 1
    finally:
        close_context(ctx)


def test_undated_reports_join_events_of_the_last_three_days_only(tmp_path: Path) -> None:
    """An undated report joins an event created 2 days before, not one created 3 days and an hour before."""
    store = Store(tmp_path / "m.db")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
    try:
        with store.transaction() as db:
            _bare_items(db, (1, 2), now)
            old = attach_report(db, MeetingReport(1, "t", None, ["A One", "B Two"], {}, [], True),
                                iso(now - timedelta(days=3, hours=1)))
            recent = attach_report(db, MeetingReport(2, "t", None, ["C Three", "D Four"], {}, [], True),
                                   iso(now - timedelta(days=2)))
            db.execute("INSERT INTO items (id, key, source, url, title, content_hash, story_key, first_seen_at, "
                       "last_seen_at) VALUES (3, 'k3', 's', 'u3', 't', 'h', 'k', ?, ?)", [iso(now), iso(now)])
            db.execute("INSERT INTO items (id, key, source, url, title, content_hash, story_key, first_seen_at, "
                       "last_seen_at) VALUES (4, 'k4', 's', 'u4', 't', 'h', 'k', ?, ?)", [iso(now), iso(now)])
            late = attach_report(db, MeetingReport(3, "t", None, ["A One", "B Two"], {}, [], True), iso(now))
            joined = attach_report(db, MeetingReport(4, "t", None, ["C Three", "D Four"], {}, [], True), iso(now))
        assert late.created and late.event_id != old.event_id
        assert not joined.created and joined.event_id == recent.event_id
    finally:
        store.close()


def test_a_foreign_name_read_back_from_korean_joins_the_english_report(tmp_path: Path) -> None:
    """The Korean report's "Robertu Kolin" and the English report's "Roberto Colin" are heard the same: one event,
    whose participants take the printed English spelling in place of the reading of the Hangul; a different foreigner
    with the same DPRK host is another event."""
    from monitor.alerts.events import same_meeting
    from monitor.classify.names import match_key, sound_key

    assert sound_key("Robertu Kolin") == sound_key("Roberto Colin")
    assert match_key("Wang Yi") == "Wang Yi"  # too short to hear apart: compared as written
    day = date(2016, 6, 22)
    store = Store(tmp_path / "m.db")
    now = datetime(2016, 6, 23, 12, 0, tzinfo=UTC)
    try:
        with store.transaction() as db:
            _bare_items(db, (1, 2, 3), now)
            korean = attach_report(db, MeetingReport(1, "ko", day, ["Ri Yong Ho", "Robertu Kolin"],
                                                     {"Ri Yong Ho": "DPRK", "Robertu Kolin": "Brazil"}, ["Brazil"],
                                                     True, printed_spelling=False), iso(now))
            read_back = db.scalar("SELECT participants FROM events WHERE id = ?", [korean.event_id])
            english = attach_report(db, MeetingReport(2, "en", day, ["Ri Yong Ho", "Roberto Colin"],
                                                      {"Ri Yong Ho": "DPRK", "Roberto Colin": "Brazil"}, ["Brazil"],
                                                      True), iso(now))
            other = attach_report(db, MeetingReport(3, "en", day, ["Ri Yong Ho", "Carlos Kaiser"],
                                                    {"Ri Yong Ho": "DPRK", "Carlos Kaiser": "Brazil"}, ["Brazil"],
                                                    True), iso(now))
            people = db.scalar("SELECT participants FROM events WHERE id = ?", [korean.event_id])
        assert korean.created and not english.created and english.event_id == korean.event_id
        assert other.created and other.event_id != korean.event_id
        assert read_back == '["Ri Yong Ho", "Robertu Kolin"]'
        assert people == '["Ri Yong Ho", "Roberto Colin"]'
        assert not same_meeting(["Kim Jong Un", "Wang Yi"], {"Kim Jong Un": "DPRK", "Wang Yi": "China"},
                                ["Kim Jong Un", "Wang Ya"])
    finally:
        store.close()


def test_a_korean_report_keeps_the_english_spelling_of_the_event(tmp_path: Path) -> None:
    """An event opened by the English report keeps its printed spelling when the Korean report (a reading of the
    Hangul) joins it; nobody is listed twice."""
    day = date(2016, 6, 22)
    store = Store(tmp_path / "m.db")
    now = datetime(2016, 6, 23, 12, 0, tzinfo=UTC)
    try:
        with store.transaction() as db:
            _bare_items(db, (1, 2), now)
            english = attach_report(db, MeetingReport(1, "en", day, ["Ri Yong Ho", "Roberto Colin"],
                                                      {"Ri Yong Ho": "DPRK", "Roberto Colin": "Brazil"}, ["Brazil"],
                                                      True), iso(now))
            korean = attach_report(db, MeetingReport(2, "ko", day, ["Ri Yong Ho", "Robertu Kolin"],
                                                     {"Ri Yong Ho": "DPRK", "Robertu Kolin": "Brazil"}, ["Brazil"],
                                                     True, printed_spelling=False), iso(now))
            people = db.scalar("SELECT participants FROM events WHERE id = ?", [english.event_id])
        assert korean.event_id == english.event_id
        assert people == '["Ri Yong Ho", "Roberto Colin"]'
    finally:
        store.close()

def _bare_items(db: Tx, ids: tuple[int, ...], now: datetime) -> None:
    """Stored items with these ids and nothing else, for reports to point at."""
    for n in ids:
        db.execute("INSERT INTO items (id, key, source, url, title, content_hash, story_key, first_seen_at, "
                   "last_seen_at) VALUES (?, ?, 's', ?, 't', 'h', 'k', ?, ?)",
                   [n, f"k{n}", f"u{n}", iso(now), iso(now)])
