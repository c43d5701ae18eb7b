"""A monitor daemon as a subprocess (`python -m monitor --config X run`), and what /proc says of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from types import TracebackType

CHECKOUT = Path(__file__).resolve().parents[1]


class DaemonProcess:
    """Starts the daemon on a config; stops it with SIGTERM (then SIGKILL) on exit."""

    def __init__(self, config: Path) -> None:
        self.config = config
        self.log = config.with_suffix(".log")
        env = dict(os.environ, PYTHONPATH=str(CHECKOUT))
        env.pop("NOTIFY_SOCKET", None)
        self._log_file = self.log.open("wb")
        self.proc = subprocess.Popen([sys.executable, "-m", "monitor", "--config", str(config), "run"],
                                     stdout=self._log_file, stderr=subprocess.STDOUT, env=env, cwd=config.parent)

    @property
    def pid(self) -> int:
        """The daemon's process id."""
        return self.proc.pid

    def alive(self) -> bool:
        """True while the daemon runs."""
        return self.proc.poll() is None

    def rss_kib(self) -> int:
        """Resident memory (VmRSS) in KiB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        raise RuntimeError("no VmRSS line")

    def open_fds(self) -> int:
        """How many file descriptors the daemon holds open."""
        return len(os.listdir(f"/proc/{self.pid}/fd"))

    def tail(self, chars: int = 600) -> str:
        """The end of the daemon's log."""
        self._log_file.flush()
        return self.log.read_text(errors="replace")[-chars:]

    def stop(self) -> int:
        """SIGTERM, wait, SIGKILL if needed; the exit code."""
        if self.alive():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._log_file.close()
        return int(self.proc.returncode)

    def __enter__(self) -> DaemonProcess:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()
