"""One bad entry, or a failure of anything but the site, never loses a listing or leaves a run unrecorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from monitor.classify import Classifier
from monitor.config import Settings, load_settings
from monitor.ingest import pipeline
from monitor.ingest.pipeline import Context, run_source
from monitor.runtime.runner import close_context, open_context
from monitor.store import Store
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish

DAY = date(2026, 11, 20)
TALKS = Story("Defence Ministers of DPRK and Belarus Hold Talks", (
    "No Kwang Chol, minister of National Defence of the DPRK, held talks with Viktor Khrenin, minister of Defence of "
    "Belarus, who is on a visit to Pyongyang.",), DAY)
POISON = Story("Vice-Premier Meets Visiting Kyrgyz Minister of Economy", (
    "A vice-premier of the Cabinet met the minister of Economy of Kyrgyzstan on Thursday.",), DAY)
ORCHARD = Story("Apple Orchard Expands in Kwail County", ("The orchard grew by 40 hectares.",), DAY)
HOOK = '[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'


def settings_for(tmp_path: Path, site: LocalSite, extra: str = HOOK) -> Settings:
    """One kcna source on the local site, listing only (no article fetches)."""
    return load_settings(write_config(tmp_path / "monitor.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "interval": 600, "fetch_articles": False}],
        extra))


@pytest.fixture
def ctx(tmp_path: Path, site: LocalSite) -> Iterator[Context]:
    """A context on a local site serving the meeting, the poisoned entry and a domestic item."""
    publish(site, LATEST, [TALKS, POISON, ORCHARD])
    opened = open_context(settings_for(tmp_path, site))
    yield opened
    close_context(opened)


def titles(store: Store) -> set[str]:
    """The titles stored."""
    return {r["title"] for r in store.query("SELECT title FROM items")}


def test_an_entry_that_fails_to_store_is_skipped_and_the_rest_kept(ctx: Context,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose event cannot be recorded is skipped with a warning; the other entries and the meeting's
    alert are stored, and the warning reaches the fetch log and the source's health."""
    from monitor.alerts import rules
    from monitor.alerts.events import MeetingReport

    real = rules.attach_report

    def attach(db: object, report: MeetingReport, now: str) -> object:
        if "Kyrgyz" in report.title:
            raise OverflowError("date value out of range")
        return real(db, report, now)  # type: ignore[arg-type]

    monkeypatch.setattr(rules, "attach_report", attach)
    summary = run_source(ctx, ctx.settings.sources[0])
    assert summary.status == "ok" and summary.new_items == 2
    assert titles(ctx.store) == {TALKS.title, ORCHARD.title}
    assert ctx.store.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'meeting.detected'") == 1
    assert any("Kyrgyz" in w and "OverflowError" in w for w in summary.warnings)
    logged = json.loads(ctx.store.scalar("SELECT warnings FROM fetch_log"))
    assert logged == summary.warnings
    assert json.loads((ctx.store.source("latest") or {})["last_warnings"]) == summary.warnings
    assert ctx.store.scalar("SELECT COUNT(*) FROM item_urls") == 2
    monkeypatch.setattr(rules, "attach_report", real)
    assert run_source(ctx, ctx.settings.sources[0]).new_items == 1  # tried again on the next run


def test_an_entry_the_classifier_fails_on_is_skipped(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry whose classification raises is skipped with a warning naming it; the others are stored."""
    real = Classifier.classify

    def classify(self: Classifier, title: str, text: str | None = None, published: date | None = None) -> object:
        if title.startswith("Apple"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, title, text, published)

    monkeypatch.setattr(Classifier, "classify", classify)
    summary = run_source(ctx, ctx.settings.sources[0])
    assert titles(ctx.store) == {TALKS.title, POISON.title}
    assert [w for w in summary.warnings if "Apple Orchard" in w and "RecursionError" in w]


def test_an_unexpected_failure_is_a_recorded_failed_run(ctx: Context, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure outside the site's fault (a bug, a full disk) fails the run with its error in the health row and
    the fetch log; after the threshold the operator alert is queued; the job itself never raises."""

    def broken(*args: object, **kwargs: object) -> object:
        raise MemoryError("cannot allocate")

    monkeypatch.setattr(pipeline, "_plan", broken)
    src = ctx.settings.sources[0]
    for _ in range(3):
        summary = run_source(ctx, src)
        assert summary.failed and "MemoryError" in (summary.error or "")
    health = ctx.store.source("latest") or {}
    assert health["consecutive_failures"] == 3 and "MemoryError" in health["last_error"]
    assert ctx.store.scalar("SELECT COUNT(*) FROM fetch_log WHERE status = 'error'") == 3
    assert ctx.store.scalar("SELECT COUNT(*) FROM outbox WHERE kind = 'source.failing'") == 1
    assert titles(ctx.store) == set()
