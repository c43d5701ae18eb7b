"""Plain value types passed between the stages of the pipeline (fetch -> parse -> normalize -> store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from monitor.ingest.decoding import decode_html


@dataclass(frozen=True)
class Document:
    """A fetched (or saved) page: raw bytes plus what the server said of their charset."""

    url: str
    content: bytes
    charset: str | None = None
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    def text(self) -> str:
        """Decode the page, surviving a wrong or missing charset declaration."""
        return decode_html(self.content, self.charset)


@dataclass(frozen=True)
class Entry:
    """One item of a listing page."""

    url: str
    title: str
    published: date | None = None
    teaser: str | None = None
    outlet: str | None = None  # original outlet when a mirror says so ("Naenara (En)", "KCNA")


@dataclass(frozen=True)
class Listing:
    """What an adapter found on a listing page."""

    entries: list[Entry]
    layout: str  # name of the layout recognised, e.g. "kcna-detail"
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Article:
    """What an adapter found on an article page."""

    title: str | None
    body: str
    published: date | None = None
    outlet: str | None = None
    warnings: list[str] = field(default_factory=list)


class LayoutNotRecognised(Exception):
    """The page does not carry the markers of any layout the adapter knows.

    Raised instead of returning nothing, so that a redesign or a session problem is never read as "no news".
    """
