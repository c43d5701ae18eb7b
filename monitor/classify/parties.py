"""Parties in power: `ruling_party(name, date)` from the dated spells of `monitor/data/parties.toml`."""

from __future__ import annotations

import calendar
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources

_WORD = re.compile(r"[a-z0-9]+")


@dataclass(frozen=True)
class _Party:
    name: str
    country: str
    spells: tuple[tuple[date, date | None], ...]


def key(name: str) -> str:
    """A party name compared loosely: accents dropped, lower case, no "the", no apostrophes or punctuation."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    plain = plain.replace("\u2019", "'").replace("'", "").lower()
    return " ".join(w for w in _WORD.findall(plain) if w != "the")


def _day(value: object, end: bool) -> date:
    """A date from a TOML value: a date, or "YYYY" / "YYYY-MM" (the first or the last day of that span)."""
    if isinstance(value, date):
        return value
    parts = [int(x) for x in str(value).split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    year = parts[0]
    month = parts[1] if len(parts) == 2 else (12 if end else 1)
    return date(year, month, calendar.monthrange(year, month)[1] if end else 1)


@lru_cache(maxsize=1)
def _parties() -> dict[str, _Party]:
    """Every name and alias of monitor/data/parties.toml, loosely keyed, to its party."""
    raw = tomllib.loads(resources.files("monitor").joinpath("data/parties.toml").read_text("utf-8"))
    out: dict[str, _Party] = {}
    for entry in raw.get("parties", []):
        spells = tuple((_day(s["start"], False), _day(s["end"], True) if "end" in s else None)
                       for s in entry.get("spells", []))
        party = _Party(str(entry["name"]), str(entry["country"]), spells)
        for name in [entry["name"], *entry.get("aliases", [])]:
            out[key(str(name))] = party
    return out


def find_party(party: str) -> tuple[str, str] | None:
    """(name, country) of a party known to `monitor/data/parties.toml`, or None."""
    found = _lookup(party)
    return (found.name, found.country) if found is not None else None


def _lookup(party: str) -> _Party | None:
    table = _parties()
    loose = key(party)
    if loose.startswith("central committee of "):
        loose = loose[len("central committee of "):]
    return table.get(loose)


def ruling_party(party: str, on: date | None) -> bool | None:
    """Whether `party` was in power on the date `on` (None: in power at the end of the data); None if unknown."""
    found = _lookup(party)
    if found is None:
        return None
    for start, end in found.spells:
        if on is None:
            if end is None:
                return True
        elif start <= on and (end is None or on <= end):
            return True
    return False
