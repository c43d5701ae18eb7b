"""Date formats of the sites, including the Juche calendar and the year-less KCNA dateline."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from monitor.sources.dates import (
    capture_day,
    infer_year,
    juche_to_ad,
    parse_date,
    parse_dateline,
    parse_dmy,
    parse_dotted,
    parse_korean,
    parse_named,
    parse_with_format,
)


def test_juche_year_plus_1911() -> None:
    """Juche 113 is 2024 and Juche 1 is 1912."""
    assert juche_to_ad(113) == 2024
    assert juche_to_ad(1) == 1912


@pytest.mark.parametrize(("text", "expected"), [
    ("[Juche113.3.9.]", date(2024, 3, 9)),
    ("[Juche113.8.4.]", date(2024, 8, 4)),
    ("[2024.11.10.]", date(2024, 11, 10)),
    ("[2026.7.19.]", date(2026, 7, 19)),
    ("[2025.01.05]", date(2025, 1, 5)),
    ("www.kcna.kp (Juche108.12.10.)", date(2019, 12, 10)),
    ("www.kcna.kp (2025.12.14.)", date(2025, 12, 14)),
    ("2022.02.11", date(2022, 2, 11)),
    ("2023.3.13.", date(2023, 3, 13)),
    ("２０２６.２.１９.", date(2026, 2, 19)),
])
def test_dotted_dates(text: str, expected: date) -> None:
    """KCNA and Rodong dotted dates, bracketed or not, Juche or Gregorian, padded or not."""
    assert parse_dotted(text) == expected


def test_dotted_rejects_impossible_dates() -> None:
    """A dotted date that does not exist gives None rather than an exception."""
    assert parse_dotted("[2026.2.30.]") is None
    assert parse_dotted("no date") is None


@pytest.mark.parametrize(("text", "expected"), [
    ("Feb. 19, 2026 Thursday [Photo]", date(2026, 2, 19)),
    ("Sept. 3, 2025 Wednesday ", date(2025, 9, 3)),
    ("Sept. 3, 2025", date(2025, 9, 3)),
    ("Feb. 11,\u00a0Juche 111 (2022)\u00a0\u00a0Friday", date(2022, 2, 11)),
    ("Mar. 10, Juche 111 (2022) Thursday", date(2022, 3, 10)),
    (" December 27, 2025", date(2025, 12, 27)),
    ("Friday September 11, 2026", date(2026, 9, 11)),
    ("Dec 27, 2025", date(2025, 12, 27)),
])
def test_named_month_dates(text: str, expected: date) -> None:
    """English month-name dates of Rodong and KCNA Watch, with weekday, [Photo] and Juche year."""
    assert parse_named(text) == expected


def test_named_month_with_juche_year_only() -> None:
    """A Juche year without the Gregorian year in brackets is converted."""
    assert parse_named("Apr. 15, Juche 111 Friday") == date(2022, 4, 15)


def test_day_first_slash_dates() -> None:
    """KCNA Watch writes dd/mm/yyyy: 13/04/2024 is 13 April."""
    assert parse_dmy("Date: 13/04/2024 | Source: Naenara (En)") == date(2024, 4, 13)
    assert parse_dmy("04/13/2024") is None


def test_korean_dates() -> None:
    """Korean dates with the Juche year and the Gregorian year in brackets."""
    assert parse_korean("주체107(2018)년\u00a03월\u00a018일") == date(2018, 3, 18)
    assert parse_korean("2018년 3월 18일") == date(2018, 3, 18)


@pytest.mark.parametrize(("text", "expected"), [
    ("13/04/2024", date(2024, 4, 13)),
    ("Feb. 19, 2026 Thursday [Photo]", date(2026, 2, 19)),
    ("[Juche113.3.9.]", date(2024, 3, 9)),
    ("주체107(2018)년 3월 18일", date(2018, 3, 18)),
    ("nothing here", None),
])
def test_parse_date_tries_every_format(text: str, expected: date | None) -> None:
    """The generic parser recognises each site format."""
    assert parse_date(text) == expected


def test_dateline_year_from_capture_date() -> None:
    """`Pyongyang, September 10 (KCNA) --` takes the capture year when that date is not in the future."""
    captured = datetime(2026, 9, 12, 3, 0, tzinfo=UTC)
    assert parse_dateline("Pyongyang, September 10 (KCNA) -- The premier", captured) == date(2026, 9, 10)


def test_dateline_steps_back_a_year() -> None:
    """A dateline after the capture date belongs to the previous year (captured in January)."""
    captured = datetime(2027, 1, 3, tzinfo=UTC)
    assert parse_dateline("Pyongyang, December 30 (KCNA) -- Text", captured) == date(2026, 12, 30)


def test_dateline_uses_pyongyang_day() -> None:
    """Captured late on Dec 31 UTC (already Jan 1 in Pyongyang), a January 1 dateline stays in the new year."""
    captured = datetime(2026, 12, 31, 20, 0, tzinfo=UTC)
    assert capture_day(captured) == date(2027, 1, 1)
    assert parse_dateline("Pyongyang, January 1 (KCNA) -- Text", captured) == date(2027, 1, 1)


def test_dateline_other_cities_and_missing() -> None:
    """Datelines of other cities parse; a paragraph without a dateline gives None."""
    captured = datetime(2026, 7, 20, tzinfo=UTC)
    assert parse_dateline("Beijing, July 2 (KCNA) -- Text", captured) == date(2026, 7, 2)
    assert parse_dateline("An anecdote with no dateline, July 2 it was.", captured) is None


def test_infer_year_for_february_29() -> None:
    """February 29 resolves to the latest leap year not after the capture."""
    assert infer_year(2, 29, datetime(2026, 3, 1, tzinfo=UTC)) == date(2024, 2, 29)


def test_parse_with_format() -> None:
    """A user's strptime format applies to the whitespace-normalised text."""
    assert parse_with_format("  14 June\u00a02025 ", "%d %B %Y") == date(2025, 6, 14)
    assert parse_with_format("June 14", "%d %B %Y") is None


def test_iso_dates_are_read_by_parse_date() -> None:
    """Year-first dashed dates (Naenara's `[2026-02-16]`, a css site's `2026-11-03`) are read; bad ones are not."""
    from monitor.sources.dates import parse_iso

    assert parse_date("2026-11-03") == date(2026, 11, 3)
    assert parse_date("[2026-02-16]") == date(2026, 2, 16)
    assert parse_iso("2026-02-30") is None and parse_iso("12026-02-03") is None
