"""The archive through the CLI, on a database filled by replaying recorded KCNA pages."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import feedparser
import pytest
from typer.testing import CliRunner

from monitor.cli import app
from monitor.config import load_settings
from monitor.ingest.pipeline import run_source
from monitor.runtime.runner import close_context, open_context
from tests.cassette_builder import CASSETTES, HOST, STORIES
from tests.conftest import write_config
from tests.sitekit import EXTERNAL, LATEST

runner = CliRunner()


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    """Cassettes live in the repository's cassettes/ folder."""
    return str(CASSETTES)


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    """A config whose database holds the replayed KCNA items."""
    srcs = [{"name": n, "adapter": "kcna", "url": HOST + p, "fetch_articles": True}
            for n, p in {"kcna-latest": LATEST, "kcna-external": EXTERNAL}.items()]
    cfg = write_config(tmp_path / "m.toml", srcs)
    return cfg


def fill(cfg: Path) -> None:
    """Run both sources once against the cassette."""
    ctx = open_context(load_settings(cfg))
    try:
        for src in ctx.settings.sources:
            assert run_source(ctx, src).status == "ok"
    finally:
        close_context(ctx)


def cli(cfg: Path, *args: str) -> tuple[int, str]:
    """`monitor --config cfg ARGS`: exit code and stdout."""
    result = runner.invoke(app, ["--config", str(cfg), *args])
    return result.exit_code, result.stdout


@pytest.mark.vcr("kcna_two_lists.yaml")
def test_search_export_stories_feeds_on_replayed_items(filled: Path, tmp_path: Path) -> None:
    """search finds by a name in the body, export has one line per item, feeds parse, metadata is JSON."""
    fill(filled)
    code, text = cli(filled, "search", "Bui Thanh Son", "--json")
    hits = json.loads(text)
    assert code == 0 and [h["title"] for h in hits] == [STORIES[0].title]
    code, text = cli(filled, "search", "greenhouse", "--json")
    assert [h["title"] for h in json.loads(text)] == [STORIES[2].title]
    code, text = cli(filled, "export", "--format", "jsonl")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert code == 0 and len(rows) == 3 and {r["title"] for r in rows} == {s.title for s in STORIES}
    code, text = cli(filled, "export", "--format", "csv")
    records = list(csv.DictReader(io.StringIO(text)))
    assert code == 0 and len(records) == 3 and {r["title"] for r in records} == {s.title for s in STORIES}
    code, _ = cli(filled, "feeds", str(tmp_path / "feeds"))
    assert code == 0
    feed = feedparser.parse((tmp_path / "feeds" / "diplomatic.xml").read_bytes())
    assert not feed.bozo and [e.title for e in feed.entries] == [STORIES[0].title]
    code, text = cli(filled, "datasette-metadata")
    assert code == 0 and "items" in json.loads(text)["databases"]["monitor"]["tables"]
    code, text = cli(filled, "stories")
    assert code == 0
    code, text = cli(filled, "revisions", "1")
    assert code == 0 and STORIES[0].title in " ".join(text.split())


def test_search_with_bad_syntax_is_a_clear_error(tmp_path: Path) -> None:
    """An unbalanced quote in a search is exit 2 with a message, not a traceback."""
    cfg = write_config(tmp_path / "m.toml", [])
    result = runner.invoke(app, ["--config", str(cfg), "search", '"unbalanced'])
    assert result.exit_code == 2 and "quote" in result.output.lower()


def test_revisions_of_a_missing_item(tmp_path: Path) -> None:
    """`monitor revisions` of an id that does not exist says so and exits 1."""
    cfg = write_config(tmp_path / "m.toml", [])
    result = runner.invoke(app, ["--config", str(cfg), "revisions", "999"])
    assert result.exit_code == 1 and "no such item" in result.output.lower()
