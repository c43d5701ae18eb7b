"""A small standard-library sd_notify client: READY, STATUS, WATCHDOG and STOPPING to systemd.

The protocol is one datagram of newline-separated `KEY=value` assignments to the AF_UNIX socket named by
$NOTIFY_SOCKET (a leading `@` means the abstract namespace). Without $NOTIFY_SOCKET every call is a no-op,
so tests and foreground runs behave the same; no call ever raises.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping


class Notifier:
    """Sends notifications to the service manager when run under `Type=notify`; otherwise does nothing."""

    def __init__(self, environ: Mapping[str, str] | None = None, pid: int | None = None) -> None:
        env = os.environ if environ is None else environ
        self._pid = os.getpid() if pid is None else pid
        self._address = self._parse_address(env.get("NOTIFY_SOCKET", ""))
        self._watchdog_usec = env.get("WATCHDOG_USEC")
        self._watchdog_pid = env.get("WATCHDOG_PID")

    @staticmethod
    def _parse_address(value: str) -> str | bytes | None:
        if value.startswith("@") and len(value) > 1:
            return b"\0" + value[1:].encode()
        if value.startswith("/"):
            return value
        return None  # unset, empty, or a kind of address we do not speak (e.g. vsock:)

    @property
    def enabled(self) -> bool:
        """True when $NOTIFY_SOCKET names a socket we can send to."""
        return self._address is not None

    def notify(self, *assignments: str) -> bool:
        """Send `KEY=value` assignments in one datagram; True when sent, False when disabled or it failed."""
        if self._address is None or not assignments:
            return False
        data = "\n".join(assignments).encode("utf-8", errors="replace")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.settimeout(1.0)
                sock.connect(self._address)
                sock.sendall(data)
        except Exception:  # notifications are best effort; the daemon must never fail on them
            return False
        return True

    def ready(self) -> bool:
        """READY=1: start-up is complete (config valid, database open, scheduler running)."""
        return self.notify("READY=1")

    def status(self, text: str) -> bool:
        """STATUS=<one line> shown by `systemctl status`; newlines are flattened so no other key can be smuggled in."""
        line = " ".join(str(text).split())
        return self.notify(f"STATUS={line}")

    def watchdog(self) -> bool:
        """WATCHDOG=1: the keep-alive; call it from real progress (the scheduler), not from a timer thread."""
        return self.notify("WATCHDOG=1")

    def stopping(self) -> bool:
        """STOPPING=1: shutdown has begun."""
        return self.notify("STOPPING=1")

    def watchdog_interval(self) -> float | None:
        """Seconds between keep-alives (half of $WATCHDOG_USEC) when the watchdog is on for this process, else None."""
        if not self._watchdog_usec:
            return None
        if self._watchdog_pid:
            try:
                if int(self._watchdog_pid) != self._pid:
                    return None
            except ValueError:
                return None
        try:
            usec = int(self._watchdog_usec)
        except ValueError:
            return None
        return usec / 2_000_000 if usec > 0 else None


__all__ = ["Notifier"]
