"""The archive analysts use: full-text search, revisions, export, Datasette metadata, stories and Atom feeds."""

from __future__ import annotations

from monitor.archive.export import export_items
from monitor.archive.feeds import atom_feed, write_feeds
from monitor.archive.revisions import Revision, get_item, revisions
from monitor.archive.search import SearchHit, search
from monitor.archive.stories import Story, StoryOutlet, stories
from monitor.store.datasette import datasette_metadata

__all__ = [
    "Revision",
    "SearchHit",
    "Story",
    "StoryOutlet",
    "atom_feed",
    "datasette_metadata",
    "export_items",
    "get_item",
    "revisions",
    "search",
    "stories",
    "write_feeds",
]
