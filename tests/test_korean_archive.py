"""The Korean editions in the archive: items stored with their language, Hangul search, Korean-English pairs
with the translation lag, and the "Korean only" mark 48 hours after first sight (time injected, no sleep)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlite_utils import Database
from typer.testing import CliRunner

from monitor.archive import search, stories
from monitor.archive.pairing import KOREAN_ONLY_AFTER, check, numbers_in, pair_score, side
from monitor.cli import app
from monitor.store import Store
from monitor.store.schema import migrations
from tests.conftest import write_config
from tests.koreankit import KO_LATEST, KoStory, publish_ko, store_item
from tests.sitekit import LATEST, LocalSite, Story, publish

DAY = date(2026, 10, 14)
APPLES_KO = KoStory("평안남도 과수농장들에서 사과수확 한창", (
    "평안남도의 과수농장들에서 올해 1,250t의 사과를 거두어들이였다.", "농장원들은 수확을 다그치고있다."), DAY)
SHOES_KO = KoStory("신의주신발공장에서 새 제품 생산", ("신의주신발공장에서 새형의 운동신발 38종을 생산하였다.",), DAY)
APPLES_EN = Story("Apple Harvest in Full Swing in South Phyongan Province", (
    "Orchards in South Phyongan Province have gathered 1,250 tons of apples this year.",), DAY)
T0 = datetime(2026, 10, 14, 6, 0, tzinfo=UTC)


def cli(cfg: Path, *args: str) -> str:
    """Run the command line with this config; its output (exit code 0 asserted)."""
    result = CliRunner().invoke(app, ["--config", str(cfg), *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_korean_listing_stored_with_language_ko(tmp_path: Path, site: LocalSite) -> None:
    """A Korean listing and its articles on the local site are stored as items in 'ko' (two Korean titles of one
    day are two items), the English one in 'en'; `items --json`, `--language` and export show it."""
    publish_ko(site, [APPLES_KO, SHOES_KO])
    publish(site, LATEST, [APPLES_EN])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "kcna-ko", "adapter": "kcna", "url": site.base + KO_LATEST, "fetch_articles": True,
         "language": "ko"},
        {"name": "kcna-en", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}])
    cli(cfg, "run", "--once")
    items = json.loads(cli(cfg, "items", "--json"))
    assert sorted((i["title"], i["language"]) for i in items) == sorted(
        [(APPLES_KO.title, "ko"), (SHOES_KO.title, "ko"), (APPLES_EN.title, "en")])
    korean = json.loads(cli(cfg, "items", "--json", "--language", "ko"))
    assert {i["published"] for i in korean} == {"2026-10-14"} and len(korean) == 2
    exported = [json.loads(line) for line in cli(cfg, "export").splitlines() if line.startswith("{")]
    assert {r["language"] for r in exported} == {"ko", "en"}
    # the pass paired the Korean apples item with the English one (same day, same 1,250)
    apples = next(i for i in items if i["title"] == APPLES_KO.title)
    english = next(i for i in items if i["title"] == APPLES_EN.title)
    assert apples["translation_id"] == english["id"] and english["translation_id"] == apples["id"]
    assert json.loads(cli(cfg, "translations", "--json"))[0]["en_id"] == english["id"]


def test_hangul_search_finds_inflected_forms(tmp_path: Path) -> None:
    """A stem (접견) finds the item whose text has only inflected forms (접견하시였다); a longer form and a
    phrase narrow it; English search is unchanged and the Korean index follows an edit of the text."""
    store = Store(tmp_path / "m.db")
    met = store_item(store, "경애하는 김정은동지께서 라오스 총리를 접견하시였다",
                     "김정은동지께서는 우리 나라를 방문하고있는 라오스 총리를 접견하시였다.", language="ko",
                     first_seen_at="2026-10-14T06:00:00+00:00", published="2026-10-14")
    talk = store_item(store, "조선로동당 대표단 회담", "대표단은 회담을 진행하였다.", language="ko",
                      first_seen_at="2026-10-14T06:01:00+00:00", published="2026-10-14")
    eng = store_item(store, "Kim Jong Un Receives Lao Premier", "Kim Jong Un received the premier of Laos.",
                     language="en", first_seen_at="2026-10-14T07:00:00+00:00", published="2026-10-14")
    assert [h.id for h in search(store, "접견")] == [met]
    assert [h.id for h in search(store, "접견하시")] == [met]
    assert [h.id for h in search(store, '"라오스 총리"')] == [met]
    assert sorted(h.id for h in search(store, "접견 OR 회담")) == sorted([met, talk])
    assert search(store, "접견")[0].plain_snippet.count("접견") == 1
    assert [h.id for h in search(store, "received")] == [eng]
    assert search(store, "만나시였다") == []
    with store.transaction() as db:
        db.execute("UPDATE items SET body = '대표단은 담화를 나누었다.', content_hash = 'x' WHERE id = ?", [talk])
    check(store, T0)
    assert [h.id for h in search(store, "담화")] == [talk]
    assert search(store, "회담을") == []


def test_migration_gives_old_items_a_language_and_indexes_korean_ones(tmp_path: Path) -> None:
    """Items stored before m008 get their language from their text, and the Korean ones are searchable."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    migrations.apply(Database(conn), stop_before="m008_item_language")
    for n, (title, body) in enumerate((("평양에서 체육경기 진행", "선수들이 경기를 진행하였다."),
                                       ("Sports Games Held", "Athletes competed."))):
        conn.execute("INSERT INTO items (key, source, url, title, body, content_hash, story_key, first_seen_at, "
                     "last_seen_at) VALUES (?, 'kcna', ?, ?, ?, 'h', 's', '2026-10-01T00:00:00+00:00', "
                     "'2026-10-01T00:00:00+00:00')", [f"k{n}", f"http://x/{n}", title, body])
    conn.commit()
    conn.close()
    store = Store(path)
    assert [r["language"] for r in store.items()] == ["en", "ko"]
    assert [h.title for h in search(store, "경기")] == ["평양에서 체육경기 진행"]


def test_pair_score_needs_agreement() -> None:
    """Same day and number make a pair; different participants, a gap of days or no common evidence do not."""
    ko = side({"id": 1, "title": "사과수확", "body": "1,250t의 사과", "published": "2026-10-14",
               "category": "domestic", "participants": "[]", "countries": "[]"})
    en = side({"id": 2, "title": "Apples", "body": "1250 tons of apples", "published": "2026-10-14",
               "category": "domestic", "participants": "[]", "countries": "[]"})
    far = side({**{"id": 3, "title": "Apples", "body": "1250 tons"}, "published": "2026-10-17",
                "participants": "[]", "countries": "[]"})
    other = side({"id": 4, "title": "Shoes", "body": "38 kinds of shoes", "published": "2026-10-14",
                  "category": "domestic", "participants": "[]", "countries": "[]"})
    assert numbers_in("1,250t의 사과 10월 14일") == {"1250", "10", "14"}
    assert (pair_score(ko, en) or 0) >= 0.45
    assert pair_score(ko, far) is None
    assert (pair_score(ko, other) or 0) < 0.45
    met_ko = side({"id": 5, "title": "접견", "published": "2026-10-14", "category": "meeting",
                   "participants": '["Kim Jong Un", "Maxim Ryzhenkov"]', "countries": '["Belarus"]'})
    met_en = side({"id": 6, "title": "Receives", "published": "2026-10-14", "category": "meeting",
                   "participants": '["Kim Jong Un", "Maxim Ryzhenkov"]', "countries": '["Belarus"]'})
    met_next_day = side({"id": 8, "title": "Receives", "published": "2026-10-15", "category": "meeting",
                         "participants": '["Kim Jong Un", "Maxim Ryzhenkov"]', "countries": '["Belarus"]'})
    assert (pair_score(met_ko, met_next_day) or 0) >= 0.45
    met_other = side({"id": 7, "title": "Receives", "published": "2026-10-14", "category": "meeting",
                      "participants": '["Kim Jong Un", "Sonexay Siphandone"]', "countries": '["Laos"]'})
    assert (pair_score(met_ko, met_en) or 0) >= 0.9
    assert (pair_score(met_ko, met_other) or 0) < 0.45


def test_korean_only_after_48_hours(tmp_path: Path) -> None:
    """A Korean item with no English version is marked "Korean only" once 48 hours after it was first seen (not
    before, not twice); one whose English version came is not; `items --korean-only` lists the marked one, and
    the story of the pair shows the translation lag."""
    store = Store(tmp_path / "monitor.db")
    seen = T0.isoformat(timespec="microseconds")
    lone = store_item(store, SHOES_KO.title, SHOES_KO.paragraphs[0], language="ko", first_seen_at=seen,
                      source="kcna-ko",
                      published="2026-10-14")
    ko = store_item(store, APPLES_KO.title, " ".join(APPLES_KO.paragraphs), language="ko", source="kcna-ko",
                    first_seen_at="2026-10-14T06:05:00.000000+00:00", published="2026-10-14")
    en = store_item(store, APPLES_EN.title, APPLES_EN.paragraphs[0], language="en",
                    first_seen_at="2026-10-14T09:35:00.000000+00:00", published="2026-10-14")
    early = check(store, T0 + KOREAN_ONLY_AFTER - timedelta(minutes=1))
    assert early.pairs == [(ko, en, early.pairs[0][2])] and early.korean_only == []
    marked = check(store, T0 + KOREAN_ONLY_AFTER + timedelta(minutes=1))
    assert [r["id"] for r in marked.korean_only] == [lone]
    assert check(store, T0 + timedelta(days=3)).korean_only == []
    assert [i["id"] for i in store.items(korean_only=True)] == [lone]
    assert [i["korean_only"] for i in store.items(language="ko")] == [False, True]
    [story] = stories(store)
    assert story.item_ids == sorted([ko, en])
    assert story.translation_lag == timedelta(hours=3, minutes=30)
    assert [o.label for o in story.outlets] == ["kcna-ko [ko]", "kcna"]
    cfg = write_config(tmp_path / "m.toml", [])
    assert SHOES_KO.title in cli(cfg, "items", "--korean-only")
    assert "English +3h 30m after Korean" in cli(cfg, "stories")


def test_korean_only_items_are_digested(tmp_path: Path) -> None:
    """The digest after the mark carries the Korean-only item (flagged `korean_only`), once."""
    from monitor.alerts.digest import queue_digest

    store = Store(tmp_path / "m.db")
    lone = store_item(store, SHOES_KO.title, SHOES_KO.paragraphs[0], language="ko",
                      first_seen_at=T0.isoformat(timespec="microseconds"), published="2026-10-14")
    marked_at = T0 + KOREAN_ONLY_AFTER + timedelta(minutes=5)
    check(store, marked_at)
    assert queue_digest(store, ["webhook"], 60, marked_at + timedelta(minutes=10)) == 1
    payload = json.loads(store.query("SELECT payload FROM outbox WHERE kind = 'digest'")[0]["payload"])
    assert [(i["id"], i.get("korean_only")) for i in payload["items"]] == [(lone, True)]
    assert queue_digest(store, ["webhook"], 60, marked_at + timedelta(minutes=80)) == 0


def test_a_korean_only_watch_alerts_once_on_its_channel_when_the_mark_is_made(tmp_path: Path) -> None:
    """A `korean_only` watch sends one `watch.matched` per marked item, only on the channel it names; a watch that
    also names words takes only the marked items that match them; the next check sends nothing again."""
    from monitor.alerts.signals import queue_korean_only
    from monitor.config import load_settings

    hook = 'url = "http://127.0.0.1:9/hook"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'
    extra = ("[alerts.webhook]\n" + hook + "\n[alerts.email]\nhost = \"127.0.0.1\"\nport = 9\nsender = \"m@x.org\"\n"
             "recipients = [\"a@x.org\"]\n\n[[watches]]\nname = \"korean-desk\"\nkorean_only = true\n"
             "channels = [\"webhook\"]\n\n[[watches]]\nname = \"shoes\"\nkorean_only = true\nwords = \"운동신발\"\n\n"
             "[[watches]]\nname = \"rice\"\nkorean_only = true\nwords = \"벼모\"\n")
    settings = load_settings(write_config(tmp_path / "m.toml", [], extra))
    store = Store(settings.db_path)
    lone = store_item(store, SHOES_KO.title, SHOES_KO.paragraphs[0], language="ko",
                      first_seen_at=T0.isoformat(timespec="microseconds"), published="2026-10-14")
    marked = check(store, T0 + KOREAN_ONLY_AFTER + timedelta(minutes=1)).korean_only
    assert queue_korean_only(store, settings, ["webhook", "email"], marked) == 3
    rows = store.query("SELECT channel, kind, payload FROM outbox ORDER BY channel, id")
    watches = sorted((r["channel"], json.loads(r["payload"])["watch"]) for r in rows)
    assert watches == [("email", "shoes"), ("webhook", "korean-desk"), ("webhook", "shoes")]
    assert all(json.loads(r["payload"])["item_id"] == lone and r["kind"] == "watch.matched" for r in rows)
    assert queue_korean_only(store, settings, ["webhook", "email"], marked) == 0
    assert check(store, T0 + timedelta(days=3)).korean_only == []
