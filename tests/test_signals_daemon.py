"""The daemon checks absences after each source run: a real `monitor run` process queues one absence alert."""

from __future__ import annotations

import signal
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Story, publish
from tests.test_daemon import count, start, wait_for

TODAY = datetime.now(UTC).date()
OLD_VISIT = Story("Kim Jong Un Inspects Silk Mill", ("Kim Jong Un inspected a silk mill.",), TODAY - timedelta(days=30))
NEWS = Story("Spring Sowing Begins", ("Farmers began sowing.",), TODAY)


def test_daemon_alerts_an_absence_once(tmp_path: Path, site: LocalSite) -> None:
    """A leader last seen 30 days ago and followed with absence_days = 14: the daemon queues one person.absent
    and no second one however many runs follow."""
    publish(site, LATEST, [NEWS, OLD_VISIT])
    cfg = write_config(tmp_path / "m.toml", [{"name": "s", "adapter": "kcna", "url": site.base + LATEST,
                                              "interval": 1}],
                       '[[alerts.watch_people]]\nname = "Kim Jong Un"\n\n[alerts.webhook]\nurl = "http://127.0.0.1:9/"\n'
                       'secret = "whsec_ZGFlbW9uLXRlc3Qtc2VjcmV0"\n')
    db = tmp_path / "monitor.db"
    proc = start(cfg)
    try:
        assert wait_for(lambda: count(db, "SELECT COUNT(*) FROM outbox WHERE kind = 'person.absent'") == 1)
        runs = count(db, "SELECT COUNT(*) FROM fetch_log")
        assert wait_for(lambda: count(db, "SELECT COUNT(*) FROM fetch_log") >= runs + 2)
        assert count(db, "SELECT COUNT(*) FROM outbox WHERE kind = 'person.absent'") == 1
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
