"""systemd/monitor.service: hardening score, `systemd-analyze verify`, required directives, and the
native libraries working under MemoryDenyWriteExecute (emulated with the kernel's PR_SET_MDWE)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

UNIT = Path(__file__).resolve().parents[1] / "systemd" / "monitor.service"
ANALYZE = shutil.which("systemd-analyze")
needs_analyze = pytest.mark.skipif(ANALYZE is None, reason="systemd-analyze is not installed")


def directives(text: str) -> dict[str, list[str]]:
    """`Key` -> every value it is given in the unit (systemd allows repeated keys), comments skipped."""
    found: dict[str, list[str]] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";", "[")):
            continue
        key, _, value = line.partition("=")
        found.setdefault(key.strip(), []).append(value.strip())
    return found


def runnable_copy(tmp_path: Path) -> Path:
    """The unit with ExecStart's binary replaced by this Python (which exists), under the same file name.

    `systemd-analyze verify` checks that the ExecStart binary exists and is executable; on a development
    machine /opt/monitor/venv/bin/monitor does not, so the copy runs `python -m monitor run` instead.
    """
    text = UNIT.read_text(encoding="utf-8")
    replaced, n = re.subn(r"^ExecStart=\S+ run$", f"ExecStart={sys.executable} -m monitor run", text, flags=re.M)
    assert n == 1, "expected exactly one `ExecStart=... run` line"
    copy = tmp_path / UNIT.name
    copy.write_text(replaced, encoding="utf-8")
    return copy


@needs_analyze
def test_security_score_at_most_2() -> None:
    """`systemd-analyze security --offline=true` rates the unit 2.0 or better (and --threshold=20 passes)."""
    assert ANALYZE is not None
    run = subprocess.run([ANALYZE, "security", "--offline=true", "--threshold=20", str(UNIT)],
                         capture_output=True, text=True, timeout=60)
    match = re.search(r"Overall exposure level for \S+: (\d+\.\d)", run.stdout)
    assert match, run.stdout[-2000:] + run.stderr
    assert float(match.group(1)) <= 2.0
    assert run.returncode == 0, run.stderr


@needs_analyze
def test_verify_is_clean(tmp_path: Path) -> None:
    """`systemd-analyze verify` reports nothing at all for the unit (ExecStart pointed at an existing binary)."""
    assert ANALYZE is not None
    run = subprocess.run([ANALYZE, "verify", str(runnable_copy(tmp_path))], capture_output=True, text=True,
                         timeout=60)
    assert run.returncode == 0 and run.stderr.strip() == "" and run.stdout.strip() == "", run.stderr + run.stdout


@needs_analyze
def test_verify_only_misses_the_installed_binary() -> None:
    """On the unit as shipped, the only complaint verify may have is the not-yet-installed ExecStart binary."""
    assert ANALYZE is not None
    run = subprocess.run([ANALYZE, "verify", str(UNIT)], capture_output=True, text=True, timeout=60)
    complaints = [line for line in (run.stderr + run.stdout).splitlines() if line.strip()]
    assert all("/opt/monitor/venv/bin/monitor" in line for line in complaints), complaints


def test_unit_has_the_service_contract() -> None:
    """Type=notify with a watchdog, restart policy, dynamic user, state dir, config path, credentials, no .pyc."""
    d = directives(UNIT.read_text(encoding="utf-8"))
    one = {k: v[-1] for k, v in d.items()}
    assert one["Type"] == "notify" and one["NotifyAccess"] == "main"
    assert one["Restart"] == "on-failure" and one["DynamicUser"] == "yes" and one["StateDirectory"] == "monitor"
    assert one["ExecStart"] == "/opt/monitor/venv/bin/monitor run"
    env = set(d["Environment"])
    assert {"MONITOR_CONFIG=/etc/monitor/monitor.toml", "PYTHONDONTWRITEBYTECODE=1"} <= env
    creds = {v.split(":", 1)[0] for v in d["LoadCredential"]}
    assert creds == {"smtp_password", "webhook_secret"}
    assert one["MemoryDenyWriteExecute"] == "yes" and one["ProtectSystem"] == "strict"


def test_watchdog_leaves_room_for_two_heartbeats() -> None:
    """WatchdogSec is at least twice the daemon's heartbeat interval (the heartbeat sends WATCHDOG=1)."""
    from monitor.runtime.daemon import HEARTBEAT_SECONDS as heartbeat

    watchdog = directives(UNIT.read_text(encoding="utf-8"))["WatchdogSec"][-1]
    assert watchdog.isdigit() and int(watchdog) >= 2 * heartbeat


def _mdwe_available() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    probe = "import ctypes,sys; sys.exit(0 if ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) == 0 else 1)"
    return subprocess.run([sys.executable, "-c", probe], timeout=30).returncode == 0


WORKLOAD = textwrap.dedent("""
    import ctypes, hashlib, json, mmap, sqlite3, ssl, sys, tempfile, os
    try:
        mmap.mmap(-1, 4096, prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
        sys.exit("W+X memory was allowed: MDWE is not in force")
    except OSError:
        pass
    from selectolax.lexbor import LexborHTMLParser
    tree = LexborHTMLParser("<main><ul><li><a href='/a/1'>Talks &amp; a banquet</a></li></ul></main>")
    assert [a.text() for a in tree.css("li a")] == ["Talks & a banquet"], "selectolax"
    assert tree.css_first("a").attributes["href"] == "/a/1"
    from monitor.config import parse_settings
    s = parse_settings({"sources": [{"name": "k", "adapter": "kcna", "url": "http://127.0.0.1/x"}]})
    assert s.sources[0].name == "k", "pydantic"
    with tempfile.TemporaryDirectory() as d:
        db = sqlite3.connect(os.path.join(d, "t.db"))
        db.execute("PRAGMA journal_mode=WAL"); db.execute("CREATE TABLE t(x)"); db.execute("INSERT INTO t VALUES (1)")
        db.commit(); assert db.execute("SELECT x FROM t").fetchone() == (1,); db.close()
    ssl.create_default_context(); hashlib.sha256(b"x").hexdigest()
    assert ctypes.CFUNCTYPE(ctypes.c_int)(lambda: 7)() == 7, "ctypes callback"
    import httpx, apscheduler, sqlite_utils, structlog  # noqa: F401
    from monitor.alerts.webhook import sign; sign("whsec_c2VjcmV0", "m", 1, b"{}")
    print("ok")
""")


@pytest.mark.skipif(not _mdwe_available(), reason="kernel without PR_SET_MDWE (Linux < 6.3) or not Linux")
def test_native_libraries_work_without_writable_executable_memory() -> None:
    """With W+X memory refused (PR_SET_MDWE, kept across exec), selectolax, pydantic-core, sqlite, ssl and
    ctypes callbacks all work: what MemoryDenyWriteExecute=yes would break shows up here."""
    launcher = ("import ctypes, os, sys\n"
                "assert ctypes.CDLL(None).prctl(65, 1, 0, 0, 0) == 0\n"
                "os.execv(sys.executable, [sys.executable, '-c', sys.argv[1]])\n")
    run = subprocess.run([sys.executable, "-c", launcher, WORKLOAD], capture_output=True, text=True, timeout=60,
                         cwd=UNIT.parents[1])
    assert run.returncode == 0 and run.stdout.strip() == "ok", run.stderr[-3000:]
