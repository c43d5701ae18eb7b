"""The command line under hostile or unlucky input: it refuses what would destroy data, ends every failure in
one line (never a traceback), shows control characters instead of obeying them, and keeps passwords hidden."""

from __future__ import annotations

import json
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app, main
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish

DAY = date(2026, 11, 20)
RAIL = Story("Railway Station Renovated in Kimchaek", ("The station was renovated.",), DAY)
ESCAPED = Story("Orchard\x1b[2J\x1b]0;owned\x07 Report", ("An orchard grew.",), DAY)


def run_main(args: list[str]) -> int:
    """`main()` with argv set, as the console script calls it; its exit code."""
    argv = sys.argv
    sys.argv = ["monitor", *args]
    try:
        with pytest.raises(SystemExit) as stop:
            main()
    finally:
        sys.argv = argv
    return int(stop.value.code or 0)


@pytest.fixture
def stored(tmp_path: Path, site: LocalSite) -> Path:
    """A config whose database holds two items of a local site (one with escape sequences in its title)."""
    publish(site, LATEST, [RAIL, ESCAPED])
    cfg = write_config(tmp_path / "monitor.toml", [
        {"name": "latest", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": False}])
    assert CliRunner().invoke(app, ["--config", str(cfg), "run", "--once"]).exit_code == 0
    return cfg


def test_export_never_writes_over_the_database_or_its_files(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`export -o` naming the database, its WAL or lock file exits 2 with one line and leaves the database whole."""
    db = stored.parent / "monitor.db"
    for target in (db, db.with_name("monitor.db-wal"), db.with_name("monitor.db.lock")):
        code = run_main(["--config", str(stored), "export", "-o", str(target), "--force"])
        assert code == 2
        lines = capsys.readouterr().err.strip().splitlines()
        assert lines and lines[-1].startswith("error: ") and "database" in lines[-1]
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 2


def test_export_keeps_an_existing_file_unless_forced(stored: Path, tmp_path: Path) -> None:
    """An existing output file is refused without --force and replaced with it; a directory is refused."""
    out = tmp_path / "items.jsonl"
    out.write_text("keep me\n")
    refused = CliRunner().invoke(app, ["--config", str(stored), "export", "-o", str(out)])
    assert refused.exit_code == 2 and "--force" in refused.output and out.read_text() == "keep me\n"
    assert CliRunner().invoke(app, ["--config", str(stored), "export", "-o", str(tmp_path)]).exit_code == 2
    device = CliRunner().invoke(app, ["--config", str(stored), "export", "-o", "/dev/full", "--force"])
    assert device.exit_code == 2 and "not a regular file" in device.output and Path("/dev/full").is_char_device()
    forced = CliRunner().invoke(app, ["--config", str(stored), "export", "-o", str(out), "--force"])
    assert forced.exit_code == 0
    assert len([json.loads(line) for line in out.read_text().splitlines()]) == 2
    assert not list(tmp_path.glob(".items.jsonl.*"))  # no temporary file left behind


def test_a_damaged_database_ends_every_command_in_one_line(stored: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """With pages in the middle of the database overwritten, status, items and doctor print one clear line or a
    failed check, never a traceback."""
    db = stored.parent / "monitor.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page = conn.execute("PRAGMA page_size").fetchone()[0]
    size = db.stat().st_size
    with db.open("r+b") as fh:
        for offset in range(page * 2, size - page, page):
            fh.seek(offset)
            fh.write(os.urandom(page // 2))
    for command in (["status"], ["items"], ["search", "station"], ["doctor", "--no-sources"]):
        code = run_main(["--config", str(stored), *command])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err + captured.out
        assert code != 0, command
        if command[0] != "doctor":
            assert captured.err.strip().startswith("error: "), (command, captured.err)


def test_control_characters_in_titles_are_shown_not_sent(stored: Path) -> None:
    """Escape sequences stored in a title reach the terminal as visible text (\\x1b), not as raw escapes."""
    result = CliRunner().invoke(app, ["--config", str(stored), "items"], color=True)
    assert result.exit_code == 0
    assert "\x1b[2J" not in result.output and "\x1b]0;" not in result.output and "\x07" not in result.output
    assert "\\x1b" in result.output


def test_classify_reports_binary_lines_and_goes_on(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 JSON give an error line each; the valid lines after them are classified."""
    data = tmp_path / "in.jsonl"
    data.write_bytes(b"\xff\xfe\x00garbage\x9c\n" + json.dumps({"title": "Apple Harvest Brisk"}).encode() + b"\n")
    result = CliRunner().invoke(app, ["classify", str(data)])
    assert result.exit_code == 0
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert "error" in first and second["category"] == "domestic"


def test_huge_item_id_is_a_clear_error() -> None:
    """`revisions` with an id beyond SQLite's integers says there is no such item, without a traceback."""
    result = CliRunner().invoke(app, ["revisions", "9223372036854775808"])
    assert result.exit_code == 1 and "no item" in result.output


def test_a_password_in_a_source_url_is_never_shown_or_stored(tmp_path: Path, site: LocalSite) -> None:
    """A source URL's password appears in neither `status`, `sources`, `status --json`, the database, nor the
    failure's error text; the user name stays to say which account."""
    publish(site, LATEST, [RAIL])
    base = site.base.replace("http://", "http://reader:s3cr3t-pw@")
    cfg = write_config(tmp_path / "monitor.toml", [
        {"name": "latest", "adapter": "kcna", "url": base + LATEST, "fetch_articles": False},
        {"name": "dead", "adapter": "kcna", "url": "http://reader:s3cr3t-pw@127.0.0.1:9/list",
         "fetch_articles": False}])
    cfg.chmod(0o600)
    runner = CliRunner()
    outputs = [runner.invoke(app, ["--config", str(cfg), *args]).output
               for args in (["run", "--once"], ["status"], ["status", "--json"], ["sources"], ["items", "--json"])]
    assert all("s3cr3t-pw" not in text for text in outputs)
    assert "reader:***@" in outputs[3]
    dump = "\n".join(sqlite3.connect(tmp_path / "monitor.db").iterdump())
    assert "s3cr3t-pw" not in dump and "cannot reach" in dump


def test_a_config_readable_by_others_with_a_secret_is_warned_about(tmp_path: Path) -> None:
    """A config that holds a webhook secret and is readable by every user gets a warning naming the key."""
    cfg = write_config(tmp_path / "monitor.toml", [], '[alerts.webhook]\nurl = "http://127.0.0.1:9/h"\n'
                       'secret = "whsec_dGVzdHNlY3JldA=="\n')
    cfg.chmod(0o644)
    loose = CliRunner().invoke(app, ["--config", str(cfg), "sources"])
    assert "alerts.webhook.secret" in loose.output and "chmod 600" in loose.output
    cfg.chmod(0o600)
    tight = CliRunner().invoke(app, ["--config", str(cfg), "sources"])
    assert "chmod" not in tight.output


def test_a_full_disk_during_export_leaves_the_old_file_and_no_debris(tmp_path: Path) -> None:
    """When the disk fills up mid-export, the file named by -o keeps its old content and no partial file stays."""
    import errno

    from monitor.archive.export import write_atomically

    out = tmp_path / "items.jsonl"
    out.write_text("previous export\n")

    def fill_up(fh: object) -> int:
        fh.write("half a record")  # type: ignore[attr-defined]
        raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(OSError):
        write_atomically(out, fill_up)
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["items.jsonl"]
