"""The CLI through its real entry points: run --once exit codes, status/items JSON shapes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import app
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish
from tests.test_pipeline import BRIDGE, MEETING, PEARS

runner = CliRunner()


def cli(cfg: Path, *args: str) -> tuple[int, str]:
    """Run `monitor --config cfg ARGS`; return exit code and stdout."""
    result = runner.invoke(app, ["--config", str(cfg), *args])
    return result.exit_code, result.stdout


def test_run_once_then_status_and_items_json(tmp_path: Path, site: LocalSite) -> None:
    """A healthy run exits 0; status --json and items --json have the contract's keys and values."""
    publish(site, LATEST, [MEETING, PEARS, BRIDGE])
    cfg = write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST,
                                              "fetch_articles": True}])
    code, _ = cli(cfg, "run", "--once")
    assert code == 0
    code, text = cli(cfg, "status", "--json")
    status = json.loads(text)
    assert code == 0 and set(status) >= {"sources", "alerts", "items"}
    src = status["sources"][0]
    assert set(src) >= {"name", "adapter", "url", "last_ok_at", "last_error", "consecutive_failures", "items"}
    assert src["name"] == "latest" and src["items"] == 3 and src["consecutive_failures"] == 0
    assert set(status["alerts"]) >= {"pending", "sent", "dead"}
    code, text = cli(cfg, "items", "--json")
    items = json.loads(text)
    assert len(items) == 3
    assert set(items[0]) >= {"id", "source", "url", "title", "published", "category", "high_level", "participants",
                             "first_seen_at"}
    meeting = next(i for i in items if i["title"] == MEETING.title)
    assert meeting["published"] == "2026-11-20" and meeting["category"] == "meeting" and meeting["high_level"]
    assert "Kim Jong Un" in meeting["participants"]
    code, text = cli(cfg, "items", "--json", "--category", "domestic")
    assert {i["title"] for i in json.loads(text)} == {PEARS.title, BRIDGE.title}


def test_run_once_with_a_dead_source_exits_1(tmp_path: Path, site: LocalSite) -> None:
    """One unreachable source: exit 1, the healthy one stored, status names the error."""
    publish(site, LATEST, [PEARS])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "ok", "adapter": "kcna", "url": site.base + LATEST},
        {"name": "dead", "adapter": "kcna", "url": "http://127.0.0.1:9/en/article/list/x"}])
    code, _ = cli(cfg, "run", "--once")
    assert code == 1
    status = json.loads(cli(cfg, "status", "--json")[1])
    dead = next(s for s in status["sources"] if s["name"] == "dead")
    assert dead["consecutive_failures"] == 1 and "connection refused" in dead["last_error"]
    assert next(s for s in status["sources"] if s["name"] == "ok")["items"] == 1


def test_status_table_renders(tmp_path: Path, site: LocalSite) -> None:
    """The human status table names each source."""
    publish(site, LATEST, [Story("Apple Orchard Expanded", ("Text.",), PEARS.day)])
    cfg = write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST}])
    cli(cfg, "run", "--once")
    code, text = cli(cfg, "status")
    assert code == 0 and "latest" in text


def test_items_date_filters_and_bad_date(tmp_path: Path, site: LocalSite) -> None:
    """items --since/--until filter by publication day; a date that is not YYYY-MM-DD exits 2 naming it."""
    old = Story("Reservoir Dredging Finished", ("Done.",), PEARS.day.replace(day=1))
    publish(site, LATEST, [PEARS, old])
    cfg = write_config(tmp_path / "m.toml", [{"name": "latest", "adapter": "kcna", "url": site.base + LATEST}])
    cli(cfg, "run", "--once")
    assert [i["title"] for i in json.loads(cli(cfg, "items", "--json", "--since", "2026-11-10")[1])] == [PEARS.title]
    assert [i["title"] for i in json.loads(cli(cfg, "items", "--json", "--until", "2026-11-10")[1])] == [old.title]
    result = runner.invoke(app, ["--config", str(cfg), "items", "--since", "yesterday"])
    assert result.exit_code == 2 and "since" in result.output
