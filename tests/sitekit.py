"""Test helpers: the project's local site (monitor.runtime.localsite) and pages in KCNA's current markup."""

from __future__ import annotations

from monitor.runtime.demo import SampleStory, kcna_article, kcna_listing
from monitor.runtime.localsite import LocalSite, Reply, Request

__all__ = ["EXTERNAL", "LATEST", "LocalSite", "Reply", "Request", "Story", "publish"]

Story = SampleStory
LATEST = "/en/article/list/a666dda1282180e0ee1b4427b0574ae7"
EXTERNAL = "/en/article/list/e2f336db98b5e69c75e0da264e037e8d"


def publish(site: LocalSite, path: str, stories: list[SampleStory], salt: str = "", etag: str | None = None) -> None:
    """Serve a listing at `path` and the article page of each story."""
    site.put(path, kcna_listing(stories, salt), etag=etag)
    for s in stories:
        site.put(f"/en/article/detail/{s.hexid(salt)}", kcna_article(s))
