"""Date formats of the DPRK state-media sites, parsed to `datetime.date` (pure functions).

Juche year + 1911 = year AD. Every function returns None when the text holds no valid date.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache

from monitor.sources.text import fullwidth_digits

JUCHE_OFFSET = 1911
PYONGYANG = timezone(timedelta(hours=9))

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# At most 6 letters after the abbreviation ("Sep" + "tember"): an unbounded `[a-z]*` made a search on "JanJanJan..."
# cost the square of its length.
_MONTH_RE = r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]{0,6}\.?"
# [Juche113.3.9.]  [2024.11.10.]  [2026.7.19.]  (Juche108.12.10.)  2022.02.11  2023.3.13.
_DOTTED = re.compile(r"(Juche\s*)?(\d{1,4})\.(\d{1,2})\.(\d{1,2})(?!\d)", re.IGNORECASE)
# 2026-02-16, [2026-02-16] (Naenara, and ISO dates of any site)
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
# 13/04/2024 (KCNA Watch, day first)
_DMY = re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)")
# Feb. 19, 2026 | Sept. 3, 2025 | December 27, 2025 | Feb. 11, Juche 111 (2022)
_NAMED = re.compile(
    _MONTH_RE + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s*(?:Juche\s*(\d{1,3})\s*(?:\(\s*(\d{4})\s*\))?|(\d{4}))",
    re.IGNORECASE,
)
# 주체107(2018)년 3월 18일 | 2018년 3월 18일
_KOREAN = re.compile(r"(?:주체\s*(\d{1,3})\s*)?(?:\(?\s*(\d{4})\s*\)?)?\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")
# Pyongyang, September 10 (KCNA) --
_DATELINE = re.compile(
    r"^\W*[A-Z][A-Za-z .'’-]{1,40},\s+" + _MONTH_RE + r"\s+(\d{1,2})\s*\(\s*[A-Z][A-Za-z ]{1,20}\)\s*[-–—]",
)


def juche_to_ad(year: int) -> int:
    """Year AD of a Juche year (Juche 1 = 1912)."""
    return year + JUCHE_OFFSET


def _make(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


#: Characters of a text read for a date: a date is in a short label, a dateline at the start of a paragraph.
MAX_DATE_TEXT = 1000


def _prepare(text: str) -> str:
    """The text as the patterns read it: its first MAX_DATE_TEXT characters, full-width digits made ASCII and
    every run of whitespace one space (so no pattern meets a long run of spaces: `_KOREAN`, all of whose parts
    before `년` are optional, would try every position of such a run against the whole run)."""
    return " ".join(fullwidth_digits(text[:MAX_DATE_TEXT]).split())


def _short(text: str) -> str:
    """The part of `text` a date is looked for in; the caches below are keyed by it, never by a whole page."""
    return text[: MAX_DATE_TEXT + 1]


def parse_dotted(text: str) -> date | None:
    """`[Juche113.3.9.]`, `[2024.11.10.]`, `www.kcna.kp (Juche108.12.10.)`, `2022.02.11`, `2023.3.13.`."""
    return _parse_dotted(_short(text))


@lru_cache(maxsize=4096)
def _parse_dotted(text: str) -> date | None:
    m = _DOTTED.search(_prepare(text))
    if not m:
        return None
    year = int(m.group(2))
    if m.group(1) or year < 1000:
        year = juche_to_ad(year)
    return _make(year, int(m.group(3)), int(m.group(4)))


def parse_iso(text: str) -> date | None:
    """`2026-02-16`, `[2026-02-16]`, `2026-02-16T09:00:00+09:00` (year first, dashes)."""
    m = _ISO.search(_prepare(_short(text)))
    return _make(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m else None


def parse_dmy(text: str) -> date | None:
    """`13/04/2024`: day, month, year as KCNA Watch writes them."""
    return _parse_dmy(_short(text))


@lru_cache(maxsize=4096)
def _parse_dmy(text: str) -> date | None:
    m = _DMY.search(_prepare(text))
    return _make(int(m.group(3)), int(m.group(2)), int(m.group(1))) if m else None


def parse_named(text: str) -> date | None:
    """`Feb. 19, 2026 Thursday [Photo]`, `Sept. 3, 2025`, ` December 27, 2025`, `Friday September 11, 2026`,
    `Feb. 11, Juche 111 (2022) Friday`."""
    return _parse_named(_short(text))


@lru_cache(maxsize=4096)
def _parse_named(text: str) -> date | None:
    m = _NAMED.search(_prepare(text))
    if not m:
        return None
    month = _MONTHS[m.group(1)[:3].lower()]
    if m.group(5):
        year = int(m.group(5))
    elif m.group(4):
        year = int(m.group(4))
    else:
        year = juche_to_ad(int(m.group(3)))
    return _make(year, month, int(m.group(2)))


def parse_korean(text: str) -> date | None:
    """`주체107(2018)년 3월 18일` or `2018년 3월 18일`."""
    return _parse_korean(_short(text))


@lru_cache(maxsize=4096)
def _parse_korean(text: str) -> date | None:
    m = _KOREAN.search(_prepare(text))
    if not m or not (m.group(1) or m.group(2)):
        return None
    year = int(m.group(2)) if m.group(2) else juche_to_ad(int(m.group(1)))
    return _make(year, int(m.group(3)), int(m.group(4)))


def capture_day(captured: datetime) -> date:
    """The calendar day in Pyongyang when a page was captured (naive datetimes are taken as UTC)."""
    if captured.tzinfo is None:
        captured = captured.replace(tzinfo=UTC)
    return captured.astimezone(PYONGYANG).date()


def infer_year(month: int, day: int, captured: datetime) -> date | None:
    """The date of `month`/`day` no later than the capture day: this year, else the year before."""
    today = capture_day(captured)
    for year in range(today.year, today.year - 8, -1):
        found = _make(year, month, day)
        if found is not None and found <= today + timedelta(days=1):
            return found
    return None


def parse_dateline(text: str, captured: datetime) -> date | None:
    """`Pyongyang, September 10 (KCNA) --`: month and day, the year inferred from the capture date."""
    return _parse_dateline(_short(text), captured)


@lru_cache(maxsize=4096)
def _parse_dateline(text: str, captured: datetime) -> date | None:
    m = _DATELINE.match(_prepare(text))
    if not m:
        return None
    return infer_year(_MONTHS[m.group(1)[:3].lower()], int(m.group(2)), captured)


def parse_date(text: str) -> date | None:
    """Any of the site formats above (without inference); None when no date is found."""
    return _parse_date(_short(text))


@lru_cache(maxsize=4096)
def _parse_date(text: str) -> date | None:
    for parse in (parse_iso, parse_dmy, parse_named, parse_dotted, parse_korean):
        found = parse(text)
        if found is not None:
            return found
    return None


def parse_with_format(text: str, fmt: str) -> date | None:
    """`strptime` with a user's format, on the cleaned text; None when it does not match."""
    return _parse_with_format(_short(text), fmt)


@lru_cache(maxsize=4096)
def _parse_with_format(text: str, fmt: str) -> date | None:
    cleaned = _prepare(text)
    try:
        return datetime.strptime(cleaned, fmt).date()
    except ValueError:
        return None
