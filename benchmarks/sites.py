"""Local sites for the benchmarks: the project's local site with injected latency, and a webhook receiver."""

from __future__ import annotations

from collections.abc import Callable

from monitor.runtime.localsite import LocalSite, Reply, Request

Page = bytes | Callable[[int], bytes]  # a fixed body, or a function of the route's hit count


class Site(LocalSite):
    """A local site answering GETs after `latency` seconds; pages may be functions of their hit count."""

    def __init__(self, address: str = "127.0.0.1", latency: float = 0.0, split_writes: bool = False) -> None:
        super().__init__(address, latency=latency, split_writes=split_writes)

    def put(self, path: str, page: str | Page, **kw: object) -> None:  # type: ignore[override]
        """Serve `page` (text, bytes, or a function of the hit count) at `path`."""
        if callable(page):
            render = page

            def route(req: Request) -> Reply:
                return Reply(render(req.n))

            with self.lock:
                self.routes[path] = route
            return
        super().put(path, page, **kw)


class WebhookReceiver(LocalSite):
    """Records the arrival time (monotonic) and JSON body of every POST."""

    def __init__(self) -> None:
        super().__init__()
        self.url = f"{self.base}/hook"

    @property
    def received(self) -> list[tuple[float, dict[str, object]]]:
        """(arrival time, JSON body) of each delivery, oldest first."""
        return [(r.at, r.json()) for r in self.posts()]  # type: ignore[misc]

    def wait_for(self, count: int, timeout: float) -> bool:
        """Block until `count` webhooks have arrived or `timeout` passes."""
        return self.wait_for_posts(count, timeout)


__all__ = ["Page", "Site", "WebhookReceiver"]
