"""Stopping the fetcher: waits, stalled servers and slow name lookups give way within about a second."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from monitor.config import FetchSettings, load_settings
from monitor.ingest.fetch import Fetcher, FetchError
from monitor.ingest.pipeline import RunSummary, _fetch_articles, _plan
from monitor.runtime.runner import close_context, open_context
from monitor.sources import get_adapter
from tests.conftest import write_config
from tests.sitekit import LATEST, LocalSite, Reply, Story, publish


def fetcher(**kw: Any) -> Fetcher:
    """A fetcher with a long timeout, so only the stop can end a stalled request quickly."""
    return Fetcher(FetchSettings(**{"timeout": 60, "connect_timeout": 30, "min_delay": 0, "retries": 0, **kw}))


def stop_after(f: Fetcher, seconds: float) -> threading.Timer:
    """Set the fetcher's stop event `seconds` from now."""
    timer = threading.Timer(seconds, f.stop.set)
    timer.start()
    return timer


def stopped_within(f: Fetcher, url: str, limit: float) -> FetchError:
    """Fetch `url` expecting a stop; assert it came within `limit` s (from the start of the fetch)."""
    t0 = time.monotonic()
    with pytest.raises(FetchError) as exc:
        f.get(url)
    assert time.monotonic() - t0 < limit, f"took {time.monotonic() - t0:.1f} s"
    return exc.value


def test_stop_ends_a_request_waiting_for_headers(site: LocalSite) -> None:
    """A server that holds back its answer for 30 s is left within ~1 s of the stop."""
    site.put("/slow", b"<html></html>", delay=30)
    with fetcher() as f:
        stop_after(f, 0.5)
        exc = stopped_within(f, site.base + "/slow", 2.0)
    assert exc.kind == "stopped" and "/slow" in str(exc)


def test_stop_ends_a_request_mid_body(site: LocalSite) -> None:
    """A body trickling in one KiB every 5 s is abandoned within ~1 s of the stop."""
    site.put("/trickle", b"x" * 20_000, chunk_delay=5)
    with fetcher() as f:
        stop_after(f, 0.5)
        exc = stopped_within(f, site.base + "/trickle", 2.0)
    assert exc.kind == "stopped"


def test_stop_ends_the_politeness_wait(site: LocalSite) -> None:
    """A second request to a host with a 30 s politeness delay gives up at once on stop, and gives back its slot."""
    site.put("/p", b"<html></html>")
    with fetcher(min_delay=30) as f:
        f.get(site.base + "/p")
        stop_after(f, 0.3)
        exc = stopped_within(f, site.base + "/p", 1.5)
        assert exc.kind == "stopped" and len(site.hits("/p")) == 1
        slot = f.gate._slot(f"127.0.0.1:{site.base.rsplit(':', 1)[1]}")
        assert slot.semaphore.acquire(blocking=False)


def test_stop_ends_the_retry_backoff(site: LocalSite) -> None:
    """A 503 followed by a 30 s backoff ends at the stop, without the retry."""
    site.put("/busy", b"busy", status=503)
    with fetcher(retries=2, backoff=30) as f:
        stop_after(f, 0.3)
        exc = stopped_within(f, site.base + "/busy", 1.5)
    assert exc.kind == "stopped" and len(site.hits("/busy")) == 1


def test_stopped_fetcher_sends_nothing(site: LocalSite) -> None:
    """Once stopped, a fetch fails at once without a request."""
    site.put("/p", b"<html></html>")
    with fetcher() as f:
        f.stop.set()
        assert stopped_within(f, site.base + "/p", 0.2).kind == "stopped"
    assert site.hits("/p") == []


def test_stop_event_given_to_the_constructor(site: LocalSite) -> None:
    """An event passed as `stop` (the daemon's) is the one the fetcher watches."""
    site.put("/slow", b"<html></html>", delay=30)
    event = threading.Event()
    with Fetcher(FetchSettings(timeout=60, min_delay=0, retries=0), stop=event) as f:
        threading.Timer(0.3, event.set).start()
        assert stopped_within(f, site.base + "/slow", 1.8).kind == "stopped"


def test_stop_ends_a_slow_name_lookup(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name lookup that hangs for 10 s does not hold a stop back."""
    port = int(site.base.rsplit(":", 1)[1])
    real = socket.getaddrinfo

    def slow(host: Any, *args: Any, **kw: Any) -> Any:
        if host == "slow.example":
            time.sleep(10)
        return real(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", slow)
    with fetcher() as f:
        stop_after(f, 0.3)
        assert stopped_within(f, f"http://slow.example:{port}/p", 1.5).kind == "stopped"


def test_overall_deadline_holds_against_a_trickle(site: LocalSite) -> None:
    """A body that keeps trickling (never silent for a whole read timeout) still ends at fetch.timeout."""
    site.put("/trickle", b"x" * 100_000, chunk_delay=0.2)
    with fetcher(timeout=1.5) as f:
        t0 = time.monotonic()
        with pytest.raises(FetchError) as exc:
            f.get(site.base + "/trickle")
    assert exc.value.kind == "timeout" and time.monotonic() - t0 < 3.0
    assert "fetch.timeout" in str(exc.value)


def test_unresolved_name_is_known_by_its_exception(site: LocalSite, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name the resolver does not know (EAI_NONAME, EAI_AGAIN) fails at once, unretried, marked unresolved."""
    def missing(host: Any, *args: Any, **kw: Any) -> Any:
        raise socket.gaierror(socket.EAI_AGAIN if host == "again.example" else socket.EAI_NONAME, "no answer")

    monkeypatch.setattr(socket, "getaddrinfo", missing)
    slept: list[float] = []
    with Fetcher(FetchSettings(timeout=5, min_delay=0, retries=2), sleep=slept.append) as f:
        for host in ("nowhere.example", "again.example"):
            with pytest.raises(FetchError) as exc:
                f.get(f"http://{host}/list")
            assert exc.value.unresolved and exc.value.kind == "network" and exc.value.attempts == 1
            assert "host name not found (DNS)" in str(exc.value)
    assert slept == []


@pytest.fixture
def slow_articles(tmp_path: Path, site: LocalSite) -> Iterator[tuple[Any, Any]]:
    """A context whose source lists three stories whose article pages each take 30 s to answer."""
    stories = [Story(f"Story Number {n}", ("Text.",), date(2026, 11, 20)) for n in range(3)]
    publish(site, LATEST, stories)
    for s in stories:
        site.routes[f"/en/article/detail/{s.hexid()}"] = Reply(b"<html></html>", delay=30)
    settings = load_settings(write_config(tmp_path / "m.toml", [
        {"name": "s", "adapter": "kcna", "url": site.base + LATEST, "fetch_articles": True}]))
    ctx = open_context(settings)
    yield ctx, settings.sources[0]
    close_context(ctx)


def test_article_fetches_end_on_stop(slow_articles: tuple[Any, Any]) -> None:
    """Stopping during the article fetches of a run ends them within ~1 s with FetchError "stopped"."""
    ctx, src = slow_articles
    listing = get_adapter("kcna", {}).parse_listing(ctx.fetcher.get(src.url_str).doc)
    summary = RunSummary(src.name, "ok")
    planned = _plan(ctx, src, listing, summary)
    threading.Timer(0.5, ctx.fetcher.stop.set).start()
    t0 = time.monotonic()
    with pytest.raises(FetchError) as exc:
        _fetch_articles(ctx, src, planned, summary)
    assert exc.value.kind == "stopped" and time.monotonic() - t0 < 2.5


@pytest.fixture
def stalled_port() -> Iterator[int]:
    """A port on 127.0.0.1 whose listener never accepts and whose backlog is full: new connects hang."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(0)
    port = server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=2)
    yield port
    filler.close()
    server.close()


def test_stop_ends_a_hanging_connect(stalled_port: int) -> None:
    """A connect that hangs (30 s connect timeout) is abandoned within ~1 s of the stop."""
    with fetcher() as f:
        stop_after(f, 0.3)
        assert stopped_within(f, f"http://127.0.0.1:{stalled_port}/p", 1.8).kind == "stopped"


def test_connect_timeout_still_applies(stalled_port: int) -> None:
    """Without a stop, a hanging connect ends at fetch.connect_timeout as a timeout."""
    with fetcher(connect_timeout=0.5) as f:
        t0 = time.monotonic()
        with pytest.raises(FetchError) as exc:
            f.get(f"http://127.0.0.1:{stalled_port}/p")
    assert exc.value.kind == "timeout" and "connecting to" in str(exc.value) and time.monotonic() - t0 < 1.5


def test_stop_ends_a_stalled_tls_handshake() -> None:
    """A server that accepts the connection but never answers the TLS hello is left within ~1 s of the stop."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(4)
    held: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: held.append(server.accept()[0]), daemon=True)
    accepting.start()
    try:
        with fetcher() as f:
            stop_after(f, 0.3)
            assert stopped_within(f, f"https://127.0.0.1:{server.getsockname()[1]}/p", 1.8).kind == "stopped"
    finally:
        accepting.join(2)
        for conn in held:
            conn.close()
        server.close()
