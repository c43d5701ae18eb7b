"""sd_notify client against a local AF_UNIX datagram socket standing in for systemd."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from monitor.runtime.sdnotify import Notifier

# The suite blocks network access (pytest-recording); local Unix socket paths and abstract names are fine.
pytestmark = pytest.mark.block_network(allowed_hosts=["/", "\x00"])


@pytest.fixture
def listener(tmp_path: Path) -> Iterator[tuple[str, socket.socket]]:
    """A bound datagram socket and its path."""
    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(2.0)
    yield path, sock
    sock.close()


def recv(sock: socket.socket) -> str:
    """One datagram as text."""
    return sock.recv(4096).decode()


def test_messages_reach_the_socket(listener: tuple[str, socket.socket]) -> None:
    """READY, STATUS, WATCHDOG and STOPPING each arrive as one datagram with the protocol's text."""
    path, sock = listener
    n = Notifier({"NOTIFY_SOCKET": path})
    assert n.enabled
    assert n.ready() and recv(sock) == "READY=1"
    assert n.status("3 sources, 0 failing") and recv(sock) == "STATUS=3 sources, 0 failing"
    assert n.watchdog() and recv(sock) == "WATCHDOG=1"
    assert n.stopping() and recv(sock) == "STOPPING=1"


def test_status_cannot_smuggle_other_assignments(listener: tuple[str, socket.socket]) -> None:
    """A newline in a status text is flattened, so it cannot add READY=1 or another key."""
    path, sock = listener
    Notifier({"NOTIFY_SOCKET": path}).status("error\nREADY=1\r\nWATCHDOG=trigger")
    assert recv(sock) == "STATUS=error READY=1 WATCHDOG=trigger"


def test_abstract_namespace_socket() -> None:
    """A NOTIFY_SOCKET starting with '@' is an abstract-namespace address."""
    name = f"monitor-test-{uuid.uuid4().hex}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind("\0" + name)
        sock.settimeout(2.0)
        assert Notifier({"NOTIFY_SOCKET": "@" + name}).ready()
        assert recv(sock) == "READY=1"


def test_disabled_without_notify_socket() -> None:
    """Without NOTIFY_SOCKET every call is a no-op that returns False."""
    n = Notifier({})
    assert not n.enabled
    assert (n.ready(), n.status("x"), n.watchdog(), n.stopping()) == (False, False, False, False)
    assert not Notifier({"NOTIFY_SOCKET": "vsock:2:1234"}).enabled


def test_missing_socket_never_raises(tmp_path: Path) -> None:
    """A NOTIFY_SOCKET path nobody listens on makes sends fail quietly."""
    n = Notifier({"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})
    assert n.enabled and n.ready() is False and n.watchdog() is False


def test_reads_the_process_environment(listener: tuple[str, socket.socket], monkeypatch: pytest.MonkeyPatch) -> None:
    """With no mapping given, the Notifier uses os.environ."""
    path, sock = listener
    monkeypatch.setenv("NOTIFY_SOCKET", path)
    assert Notifier().ready() and recv(sock) == "READY=1"


def test_watchdog_interval() -> None:
    """Half of WATCHDOG_USEC when WATCHDOG_PID is unset or ours; None otherwise or when malformed."""
    me = os.getpid()
    assert Notifier({"WATCHDOG_USEC": "30000000"}).watchdog_interval() == 15.0
    assert Notifier({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(me)}).watchdog_interval() == 15.0
    assert Notifier({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(me + 1)}).watchdog_interval() is None
    assert Notifier({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "x"}).watchdog_interval() is None
    assert Notifier({"WATCHDOG_USEC": "soon"}).watchdog_interval() is None
    assert Notifier({"WATCHDOG_USEC": "0"}).watchdog_interval() is None
    assert Notifier({}).watchdog_interval() is None
    assert Notifier({"WATCHDOG_USEC": "1000000", "WATCHDOG_PID": "42"}, pid=42).watchdog_interval() == 0.5
