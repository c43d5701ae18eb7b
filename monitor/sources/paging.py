"""Older pages of a listing: how an adapter says which request reads the page before the one it just parsed.

An adapter that can page back has a method `older_page(doc, listing, previous)` returning the `PageRequest` of
the next older page (or None when there is none or it cannot tell), and may have `resume(first, saved)`, which
rebuilds a saved request on a fresh first page (a KCNA form needs the new session's token). Both are pure: the
catch-up and backfill walks (monitor/ingest/catchup.py) do the fetching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from monitor.models import Document, Listing


@dataclass(frozen=True)
class PageRequest:
    """The request of one older page: a GET of `url`, or a POST of `form` (name, value pairs) to it."""

    url: str
    form: tuple[tuple[str, str], ...] | None = None
    label: str = ""  # how progress and warnings name the page ("page 3", "2026-02-14", "offset 40")

    def to_json(self) -> str:
        """The request as JSON, to be remembered by a resumable backfill."""
        return json.dumps({"url": self.url, "form": [list(p) for p in self.form] if self.form is not None else None,
                           "label": self.label})

    @classmethod
    def from_json(cls, text: str) -> PageRequest:
        """The request saved by `to_json`."""
        data: dict[str, Any] = json.loads(text)
        form = data.get("form")
        return cls(str(data["url"]), tuple((str(k), str(v)) for k, v in form) if form is not None else None,
                   str(data.get("label") or ""))

    def field(self, name: str) -> str | None:
        """The value of the form field `name`, if any."""
        return next((v for k, v in self.form or () if k == name), None)

    def with_field(self, name: str, value: str) -> PageRequest:
        """The same request with the form field `name` set to `value`."""
        pairs = [(k, v) for k, v in self.form or () if k != name]
        return PageRequest(self.url, (*pairs, (name, value)), self.label)


@runtime_checkable
class Pager(Protocol):
    """An adapter that can page back through a listing."""

    def older_page(self, doc: Document, listing: Listing, previous: PageRequest | None) -> PageRequest | None:
        """The request of the page older than `doc` (parsed as `listing`; `previous` is what fetched it, None for
        the first page), or None when there is none."""
        ...


def pager_of(adapter: object) -> Pager | None:
    """The adapter as a Pager, or None when it cannot page back (an adapter whose options decide, such as css
    without `next`, says so with a false `pages_back` attribute)."""
    if not isinstance(adapter, Pager) or not getattr(adapter, "pages_back", True):
        return None
    return adapter


def resume_request(adapter: object, first: Document, saved: PageRequest) -> PageRequest:
    """A saved request made valid again on a freshly fetched first page (identity unless the adapter says)."""
    resume = getattr(adapter, "resume", None)
    return resume(first, saved) if callable(resume) else saved
