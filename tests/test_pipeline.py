"""run_source end to end against a local site: dedup, revisions, 304, Retry-After, layout drift, alerts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.config import Settings, load_settings
from monitor.ingest import pipeline
from monitor.ingest.pipeline import run_source
from monitor.models import Entry, Listing
from monitor.runtime.runner import close_context, open_context, run_all
from monitor.store import utcnow
from tests.conftest import write_config
from tests.sitekit import EXTERNAL, LATEST, LocalSite, Story, publish

DAY = date(2026, 11, 20)
MEETING = Story("Kim Jong Un Receives Visiting Lao Prime Minister", (
    "Kim Jong Un received Sonexay Siphandone, prime minister of the Lao People's Democratic Republic.",
    "They had a friendly talk."), DAY)
MEETING_MIRROR = Story("DPRK Leader Meets Lao Premier", (
    "The respected Comrade Kim Jong Un met Sonexay Siphandone, premier of Laos, who is visiting Pyongyang.",), DAY)
PEARS = Story("Pear Harvest Brisk in South Hwanghae Province", ("Farmers gather pears.",), DAY)
BRIDGE = Story("New Footbridge Opens over Pothong River", ("A footbridge was opened.",), DAY)
HOOK = '[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'


def make(tmp_path: Path, site: LocalSite, paths: dict[str, str], extra: str = "", articles: bool = True) -> Settings:
    """Settings with one kcna source per (name -> listing path) on the local site."""
    srcs = [{"name": n, "adapter": "kcna", "url": site.base + p, "interval": 600, "fetch_articles": articles}
            for n, p in paths.items()]
    return load_settings(write_config(tmp_path / "monitor.toml", srcs, extra))


def test_same_article_under_two_urls_is_one_item(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """One article listed under two URLs on two listings is stored once, with both URLs."""
    publish(site, LATEST, [MEETING, PEARS])
    publish(site, EXTERNAL, [MEETING], salt="ext")
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST, "external": EXTERNAL}))  # type: ignore[operator]
    for src in ctx.settings.sources:
        assert run_source(ctx, src).status == "ok"
    assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 2
    assert ctx.store.scalar("SELECT COUNT(*) FROM item_urls") == 3
    assert len(site.hits(f"/en/article/detail/{MEETING.hexid('ext')}")) == 0  # known item: no second article fetch


def test_edited_body_adds_one_revision(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """An article whose body changes after the fact keeps one item and gains one revision."""
    publish(site, LATEST, [PEARS, BRIDGE])
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}, "[archive]\nrecheck_interval = 0\n"))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    run_source(ctx, src)
    edited = Story(PEARS.title, ("Farmers gather pears and apples in record amounts.",), DAY)
    publish(site, LATEST, [edited, BRIDGE])
    summary = run_source(ctx, src)
    assert summary.revisions == 1 and summary.new_items == 0
    item = ctx.store.one("SELECT id, body FROM items WHERE title = ?", (PEARS.title,))
    assert item is not None and "apples" in item["body"]
    assert ctx.store.scalar("SELECT COUNT(*) FROM revisions WHERE item_id = ?", (item["id"],)) == 2
    assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 2


def test_unchanged_listing_costs_a_304(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """The second poll of an unchanged listing sends If-None-Match, gets 304 and fetches nothing else."""
    publish(site, LATEST, [PEARS], etag='"v1"')
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    assert run_source(ctx, src).status == "ok"
    before = len(site.requests)
    assert run_source(ctx, src).status == "not_modified"
    assert len(site.requests) == before + 1
    assert ctx.store.source("latest")["consecutive_failures"] == 0  # type: ignore[index]


def test_retry_after_defers_the_next_poll(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """A 429 with Retry-After makes the next run wait without contacting the site."""
    site.put(LATEST, b"too many", status=429, headers={"Retry-After": "300"})
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    first = run_source(ctx, src)
    assert first.status == "error" and "429" in (first.error or "")
    assert ctx.store.source("latest")["next_fetch_not_before"]  # type: ignore[index]
    assert run_source(ctx, src).status == "deferred"
    assert len(site.hits(LATEST)) == 1


def test_empty_main_is_layout_changed(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """KCNA's empty <main></main> answer is reported as a layout problem, not as no news."""
    site.put(LATEST, "<html><body><main></main></body></html>")
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}))  # type: ignore[operator]
    summary = run_source(ctx, ctx.settings.sources[0])
    assert summary.status == "layout_changed"
    row = ctx.store.source("latest")
    assert row is not None and "layout" in row["last_error"] and row["consecutive_failures"] == 1


def test_operator_alert_once_per_episode(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """A source failing N runs in a row raises one alert, and one more when it recovers; never one per run."""
    site.put(LATEST, b"err", status=404)
    extra = HOOK + "[alerts.operator]\nfailure_threshold = 2\n"
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}, extra))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    for _ in range(4):
        run_source(ctx, src)
    kinds = [r["kind"] for r in ctx.store.query("SELECT kind FROM outbox ORDER BY created_at")]
    assert kinds == ["source.failing"]
    publish(site, LATEST, [PEARS])
    run_source(ctx, src)
    run_source(ctx, src)
    kinds = [r["kind"] for r in ctx.store.query("SELECT kind FROM outbox ORDER BY created_at")]
    assert kinds == ["source.failing", "source.recovered"]


def test_one_meeting_on_two_sources_is_one_event_one_alert(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """A meeting reported under another headline on a second listing joins the same event: one alert."""
    publish(site, LATEST, [MEETING, PEARS])
    publish(site, EXTERNAL, [MEETING_MIRROR, BRIDGE], salt="ext")
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST, "external": EXTERNAL}, HOOK))  # type: ignore[operator]
    for src in ctx.settings.sources:
        run_source(ctx, src)
    assert ctx.store.scalar("SELECT COUNT(*) FROM items WHERE category = 'meeting' AND high_level = 1") == 2
    assert ctx.store.scalar("SELECT COUNT(*) FROM events") == 1
    rows = ctx.store.query("SELECT kind, channel FROM outbox")
    assert rows == [{"kind": "meeting.detected", "channel": "webhook"}]


def test_a_crash_before_commit_loses_nothing(tmp_path: Path, site: LocalSite, ctx_for: object,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """If storing fails midway the run leaves no half-written items and is recorded as failed; the next run stores
    them all."""
    import monitor.ingest.pipeline as pipeline

    publish(site, LATEST, [PEARS, BRIDGE])
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    real = pipeline._record

    crashes = [1]

    def boom(*args: object, **kw: object) -> None:
        if kw.get("db") is not None and crashes:
            crashes.pop()
            raise RuntimeError("simulated crash")
        real(*args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "_record", boom)
    failed = run_source(ctx, src)
    assert failed.failed and "simulated crash" in (failed.error or "")
    assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 0
    health = ctx.store.source(src.name) or {}
    assert health["consecutive_failures"] == 1 and "simulated crash" in health["last_error"]
    assert ctx.store.scalar("SELECT status FROM fetch_log") == "error"
    monkeypatch.setattr(pipeline, "_record", real)
    assert run_source(ctx, src).new_items == 2


def test_vanished_article_is_marked_removed(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """An article gone from its listing while its same-day neighbours remain is marked removed, and alerted."""
    older = Story("Seed Potato Stock Secured for Spring", ("Stock secured.",), date(2026, 11, 19))
    publish(site, LATEST, [PEARS, BRIDGE, older])
    extra = HOOK + "[archive]\nalert_on_removal = true\n"
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}, extra, articles=False))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    run_source(ctx, src)
    publish(site, LATEST, [BRIDGE, older])
    run_source(ctx, src)
    removed = ctx.store.query("SELECT title FROM items WHERE removed_at IS NOT NULL")
    assert removed == [{"title": PEARS.title}]
    assert ctx.store.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'item.removed'") == 1
    publish(site, LATEST, [PEARS, BRIDGE, older])  # relisted: no longer removed
    run_source(ctx, src)
    assert ctx.store.scalar("SELECT COUNT(*) FROM items WHERE removed_at IS NOT NULL") == 0


def test_article_answering_404_on_recheck_is_removed(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """A listed article whose page starts to answer 404 on a recheck is marked removed."""
    publish(site, LATEST, [PEARS, BRIDGE])
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}, "[archive]\nrecheck_interval = 0\n"))  # type: ignore[operator]
    src = ctx.settings.sources[0]
    run_source(ctx, src)
    del site.routes[f"/en/article/detail/{PEARS.hexid()}"]
    run_source(ctx, src)
    assert ctx.store.query("SELECT title FROM items WHERE removed_at IS NOT NULL") == [{"title": PEARS.title}]


def test_entry_stored_by_another_source_meanwhile_gains_only_its_url(tmp_path: Path, site: LocalSite,
                                                                      ctx_for: object) -> None:
    """An item another source stores between a run's lookup and its transaction stays one item with both URLs."""
    publish(site, EXTERNAL, [PEARS], salt="ext")
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST, "external": EXTERNAL}, articles=False))  # type: ignore[operator]
    latest, external = ctx.settings.sources
    entries = [Entry(url=f"{site.base}/en/article/detail/{s.hexid()}", title=s.title, published=s.day)
               for s in (PEARS, BRIDGE)]
    summary = pipeline.RunSummary(latest.name, "ok", entries=2)
    planned = pipeline._plan(ctx, latest, Listing(entries=entries, layout="kcna-detail"), summary)
    assert [p.item_id for p in planned] == [None, None]
    assert run_source(ctx, external).new_items == 1  # stores PEARS first
    classified = {id(p): pipeline._classify(ctx.ready_classifier, p) for p in planned}
    pipeline._store(ctx, latest, planned, classified, summary, utcnow(), 200, (None, None), "kcna-detail")
    assert summary.new_items == 1
    pears = ctx.store.scalar("SELECT id FROM items WHERE title = ?", (PEARS.title,))
    assert planned[0].item_id == pears and not planned[0].inserted and planned[1].inserted
    assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 2
    assert ctx.store.scalar("SELECT COUNT(*) FROM item_urls WHERE item_id = ?", (pears,)) == 2
    assert ctx.store.scalar("SELECT COUNT(*) FROM revisions") == 2


def test_new_items_get_the_ids_of_their_own_rows(tmp_path: Path, site: LocalSite, ctx_for: object) -> None:
    """Each new entry's URL and first revision point at the items row stored for that entry."""
    stories = [Story(f"Cooperative Farm {n} Completes Autumn Ploughing", ("Done.",), DAY) for n in range(7)]
    publish(site, LATEST, [PEARS, *stories])
    ctx = ctx_for(make(tmp_path, site, {"latest": LATEST}, articles=False))  # type: ignore[operator]
    assert run_source(ctx, ctx.settings.sources[0]).new_items == 8
    assert ctx.store.scalar("SELECT COUNT(*) FROM item_urls u JOIN items i ON i.id = u.item_id "
                            "WHERE u.url = i.url") == 8
    assert ctx.store.scalar("SELECT COUNT(*) FROM revisions r JOIN items i ON i.id = r.item_id "
                            "WHERE r.title = i.title AND r.content_hash = i.content_hash") == 8


def test_a_cycle_leaves_every_stored_item_in_the_search_index(tmp_path: Path, site: LocalSite) -> None:
    """After `run_all` the full-text index holds every item the cycle stored."""
    publish(site, LATEST, [PEARS, BRIDGE])
    publish(site, EXTERNAL, [MEETING], salt="ext")
    ctx = open_context(make(tmp_path, site, {"latest": LATEST, "external": EXTERNAL}))
    run_all(ctx, ctx.settings.sources)
    assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 3
    assert ctx.store.scalar("SELECT COUNT(*) FROM items_fts WHERE items_fts MATCH 'footbridge'") == 1
    close_context(ctx)
    close_context(ctx)  # a second close is harmless

