"""One polling process per database: a lock file the operating system frees when the process ends.

Two daemons on one database would both poll and both dispatch, and an alert could go out twice. The lock is an
`flock` on `<database>.lock`: it is released by the kernel when the process exits in any way (kill -9 included),
so a crash never leaves a stale lock behind. The file holds the holder's pid and start time, for the message.
"""

from __future__ import annotations

import fcntl
import os
from datetime import UTC, datetime
from pathlib import Path


class AlreadyRunning(Exception):
    """Another process holds the database's lock."""


class InstanceLock:
    """The lock of one database; `acquire` it before polling or dispatching, `release` it (or exit) after."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self.path = db_path.with_name(db_path.name + ".lock")
        self._fd: int | None = None

    def acquire(self, what: str) -> None:
        """Take the lock for `what` (e.g. "monitor run"); raise AlreadyRunning naming the holder when taken."""
        if str(self.db_path) == ":memory:":
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 512).decode("utf-8", "replace").strip() or "another process"
            os.close(fd)
            raise AlreadyRunning(
                f"{holder} is already using the database {self.db_path}; two processes polling one database "
                "would send alerts twice. Stop it first (systemctl stop monitor), or give this one another "
                "storage.path") from None
        os.ftruncate(fd, 0)
        started = datetime.now(UTC).isoformat(timespec="seconds")
        os.write(fd, f"{what} (pid {os.getpid()}, since {started})\n".encode())
        self._fd = fd

    def release(self) -> None:
        """Give the lock up (the file stays; an unlocked file means nothing)."""
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
