"""`monitor doctor`: each check reports what is wrong and what to do."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import app
from monitor.config import load_settings
from monitor.runtime.doctor import run_checks
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish
from tests.test_pipeline import DAY


def test_doctor_reports_sources_database_and_channels(tmp_path: Path, site: LocalSite) -> None:
    """A healthy source and database pass; a dead source and an unreachable webhook fail with advice."""
    publish(site, LATEST, [Story("Tidal Power Station Completed", ("Text.",), DAY)])
    cfg = write_config(tmp_path / "m.toml", [
        {"name": "ok", "adapter": "kcna", "url": site.base + LATEST},
        {"name": "empty", "adapter": "kcna", "url": site.base + "/empty"},
        {"name": "dead", "adapter": "kcna", "url": "http://127.0.0.1:9/x"}],
        '[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "whsec_ZG9jdG9y"\n')
    site.put("/empty", "<html><body><main></main></body></html>")
    checks = {c.name: c for c in run_checks(load_settings(cfg))}
    assert checks["database"].level == "ok" and "integrity ok" in checks["database"].detail
    assert checks["source ok"].level == "ok" and "1 entries" in checks["source ok"].detail
    assert checks["source empty"].level == "fail" and "monitor check empty" in checks["source empty"].advice
    assert checks["source dead"].level == "fail" and checks["source dead"].advice
    assert checks["webhook"].level == "fail" and "refused" in checks["webhook"].detail


def test_doctor_finds_a_corrupt_database(tmp_path: Path) -> None:
    """A database file that is not SQLite is reported as a failure with recovery advice; exit 1."""
    cfg = write_config(tmp_path / "m.toml", [])
    (tmp_path / "monitor.db").write_bytes(b"this is not a database" * 100)
    checks = {c.name: c for c in run_checks(load_settings(cfg), sources=False)}
    assert checks["database"].level == "fail" and checks["database"].advice
    result = CliRunner().invoke(app, ["--config", str(cfg), "doctor"])
    assert result.exit_code == 1
