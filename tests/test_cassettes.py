"""The pipeline against recorded KCNA interactions (cassettes/, replayed with --record-mode=none)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.runtime.runner import close_context, open_context
from tests.cassette_builder import CASSETTES, HOST, RODONG, RODONG_ARTICLE, RODONG_LISTING, STORIES, cassettes, render
from tests.conftest import write_config
from tests.sitekit import EXTERNAL, LATEST


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """Cassettes live in the repository's cassettes/ folder."""
    return str(CASSETTES)


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, object]:
    """Replay only; match on method and full URL."""
    return {"record_mode": "none", "match_on": ("method", "scheme", "host", "port", "path", "query")}


def _settings(tmp_path: Path, paths: dict[str, str]):  # type: ignore[no-untyped-def]
    srcs = [{"name": n, "adapter": "kcna", "url": HOST + p, "interval": 600, "fetch_articles": True}
            for n, p in paths.items()]
    return load_settings(write_config(tmp_path / "m.toml", srcs))


@pytest.mark.vcr("kcna_latest_then_304.yaml")
def test_replayed_poll_then_304(tmp_path: Path) -> None:
    """A replayed KCNA poll stores the three listed articles with exact titles and dates; the next is a 304."""
    ctx = open_context(_settings(tmp_path, {"kcna-latest": LATEST}))
    try:
        src = ctx.settings.sources[0]
        first = run_source(ctx, src)
        assert first.status == "ok" and first.new_items == 3
        rows = ctx.store.query("SELECT title, published, category, body FROM items ORDER BY id")
        assert [(r["title"], r["published"]) for r in rows] == [(s.title, s.day.isoformat()) for s in STORIES]
        assert rows[0]["category"] == "meeting" and "-0-" not in rows[0]["body"]
        assert run_source(ctx, src).status == "not_modified"
    finally:
        close_context(ctx)


@pytest.mark.vcr("kcna_two_lists.yaml")
def test_replayed_article_under_two_urls(tmp_path: Path) -> None:
    """The same article on KCNA's Latest and External lists, under two ids, is one item."""
    ctx = open_context(_settings(tmp_path, {"kcna-latest": LATEST, "kcna-external": EXTERNAL}))
    try:
        for src in ctx.settings.sources:
            assert run_source(ctx, src).status == "ok"
        assert ctx.store.scalar("SELECT COUNT(*) FROM items") == 3
        assert ctx.store.scalar("SELECT COUNT(*) FROM item_urls") == 4
    finally:
        close_context(ctx)


@pytest.mark.vcr("rodong_real_listing.yaml")
def test_replayed_real_rodong_listing_then_304(tmp_path: Path) -> None:
    """A replayed poll of a real Rodong Sinmun listing stores its 40 items with exact titles and dates, fetches the
    first one's real article page into its body, and the next poll is a conditional GET answered 304."""
    cfg = tmp_path / "m.toml"
    cfg.write_text(f'[storage]\npath = "m.db"\n\n[fetch]\nmin_delay = 0\nmax_articles_per_run = 1\n\n'
                   f'[[sources]]\nname = "rodong"\nadapter = "rodong"\nurl = "{RODONG + RODONG_LISTING}"\n'
                   f'fetch_articles = true\n', encoding="utf-8")
    ctx = open_context(load_settings(cfg))
    try:
        src = ctx.settings.sources[0]
        first = run_source(ctx, src)
        assert first.status == "ok" and first.new_items == 40 and first.warnings == []
        row = ctx.store.one("SELECT title, published, body FROM items WHERE url = ?", (RODONG + RODONG_ARTICLE,))
        assert row is not None and row["published"] == "2022-02-11"
        assert row["title"] == "2nd Grand Workshop for Officials in Construction Sector Continues"
        assert row["body"] and len(row["body"]) > 500
        assert ctx.store.scalar("SELECT COUNT(*) FROM items WHERE body IS NOT NULL") == 1
        assert run_source(ctx, src).status == "not_modified"
    finally:
        close_context(ctx)


def test_cassettes_are_up_to_date() -> None:
    """The committed cassettes are what the builder writes (regenerate: python -m tests.cassette_builder)."""
    for name, data in cassettes().items():
        assert (CASSETTES / name).read_text(encoding="utf-8") == render(data), name


def test_cassettes_carry_no_secrets() -> None:
    """No cookie, authorization header or key-looking string is stored in a cassette."""
    pattern = re.compile(r"(?i)(set-cookie|authorization|jsessionid|whsec_|api[_-]?key)")
    for path in CASSETTES.glob("*.yaml"):
        assert not pattern.search(path.read_text(encoding="utf-8")), path.name
