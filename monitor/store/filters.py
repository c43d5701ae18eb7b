"""The item filters shared by search, export and stories: source, category and a date range."""

from __future__ import annotations

from datetime import date
from typing import Any

#: The date of an item: its publication date, or the day it was first seen when the site gave none.
ITEM_DAY = "COALESCE(i.published, substr(i.first_seen_at, 1, 10))"


def day_text(value: str | date | None, name: str) -> str | None:
    """A filter date as `YYYY-MM-DD` text; ValueError naming the option when it is not a date."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError:
        raise ValueError(f"{name} must be a date as YYYY-MM-DD, not {value!r}") from None


def item_filters(*, source: str | None = None, category: str | None = None, since: str | date | None = None,
                 until: str | date | None = None, language: str | None = None,
                 korean_only: bool = False) -> tuple[list[str], list[Any]]:
    """SQL conditions on the items alias `i` and their parameters; `since` and `until` are inclusive days;
    `language` an item language ('ko', 'en'), `korean_only` the Korean items with no English version that were
    marked "Korean only"."""
    where: list[str] = []
    params: list[Any] = []
    if source:
        where.append("(i.source = ? OR i.id IN (SELECT item_id FROM item_urls WHERE source = ?))")
        params += [source, source]
    if category:
        where.append("i.category = ?")
        params.append(category)
    if language:
        where.append("i.language = ?")
        params.append(language)
    if korean_only:
        where.append("i.korean_only_at IS NOT NULL AND i.translation_id IS NULL")
    lo, hi = day_text(since, "since"), day_text(until, "until")
    if lo:
        where.append(f"{ITEM_DAY} >= ?")
        params.append(lo)
    if hi:
        where.append(f"{ITEM_DAY} <= ?")
        params.append(hi)
    return where, params
