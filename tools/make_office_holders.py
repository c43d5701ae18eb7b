#!/usr/bin/env python3
"""Write monitor/data/office_holders.toml from the hand-written list tools/office_holders.txt.

Usage: python3 tools/make_office_holders.py [--source tools/office_holders.txt] [--out monitor/data/office_holders.toml]

Each line of the source is one term: `country | office | name ; alias ... | start | end | title | flags`. The script
checks every country against monitor/data/countries.toml, every office against the known offices and every date,
then writes the terms sorted by country, office and start.
"""

from __future__ import annotations

import argparse
import calendar
import re
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tools" / "office_holders.txt"
COUNTRIES = ROOT / "monitor" / "data" / "countries.toml"
OUT = ROOT / "monitor" / "data" / "office_holders.toml"
OFFICES = ("head_of_state", "vice_head_of_state", "head_of_government", "party_leader", "foreign_minister",
           "defence_minister", "parliament_chair")
FLAGS = {"concurrent", "upper_house"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

HEADER = """\
# Dated holders of high offices, read by the classifier to resolve a title ("the Russian President") to the person
# who held it on the item's date. GENERATED from tools/office_holders.txt by tools/make_office_holders.py: edit
# that file and run the script.
#
# Sources: written by hand from the official lists of office holders of each state (as summarised in English
# Wikipedia's lists of heads of state, heads of government and foreign ministers, and the governments' own
# sites); facts only, no text copied. Effective leaders cross-checked against the REIGN leader list
# (github.com/OEFDataScience/REIGN.github.io, data_sets/leaderlist_3_21.csv at commit
# d7a8a6f17c951b68e30bbca6185d7acd9089d60b) by tools/check_office_holders.py. A term whose exact day is not
# certain is given as "YYYY-MM" or a year rather than a guessed day. Coverage: see the counts in the report of
# issue 16; offices and countries not listed are unknown, not vacant.
#
# [[holders]]: one term of one person in one office.
#   name        canonical spelling (as KCNA English writes it where it differs)
#   aliases     other spellings (romanisations, full names, names without diacritics)
#   country     canonical country name of countries.toml
#   office      head_of_state | vice_head_of_state | head_of_government | party_leader | foreign_minister |
#               defence_minister | parliament_chair
#   start, end  a date (2008-05-07), a month ("2016-05") or a year (1993); end absent while in office
#   title       the usual English title of the post ("President", "Premier", "Chairman of the State Affairs
#               Commission")
#   concurrent  true: holds the office beside another holder by the country's constitution (the DPRK's
#               President of the SPA Presidium beside the supreme leader; Iran's President beside the Supreme
#               Leader); such terms may overlap another holder of the same office
#   upper_house true: presides over the upper chamber of a bicameral parliament (a Senate); the rank of a
#               parliament chair, but "the chairman of the parliament" resolves to the other chamber's holder
# A person in two offices, or in one office twice, has one [[holders]] entry per term.
"""


def parse_date(text: str, where: str) -> date | str | int:
    """A date, a "YYYY-MM" string or a year from the source's text."""
    m = _DATE.match(text)
    if not m:
        raise SystemExit(f"{where}: bad date {text!r}")
    year, month, day = m.groups()
    if day:
        return date(int(year), int(month), int(day))
    if month:
        if not 1 <= int(month) <= 12:
            raise SystemExit(f"{where}: bad month {text!r}")
        return f"{year}-{month}"
    return int(year)


def first_day(value: date | str | int) -> date:
    """The earliest day a start / end value can mean."""
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return date(value, 1, 1)
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def last_day(value: date | str | int) -> date:
    """The latest day a start / end value can mean."""
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return date(value, 12, 31)
    year, month = (int(v) for v in value.split("-"))
    return date(year, month, calendar.monthrange(year, month)[1])


def parse(text: str, countries: set[str]) -> list[dict[str, Any]]:
    """The terms of the source text, checked."""
    holders: list[dict[str, Any]] = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"office_holders.txt:{number}"
        parts = [p.strip() for p in line.split("|")]
        if not 5 <= len(parts) <= 7:
            raise SystemExit(f"{where}: expected 5 to 7 fields, got {len(parts)}")
        parts += [""] * (7 - len(parts))
        country, office, names, start, end, title, flags = parts
        if country not in countries:
            raise SystemExit(f"{where}: unknown country {country!r}")
        if office not in OFFICES:
            raise SystemExit(f"{where}: unknown office {office!r}")
        spellings: list[str] = []
        for n in (s.strip() for s in names.split(";")):
            if n and n not in spellings:
                spellings.append(n)
        if not spellings:
            raise SystemExit(f"{where}: no name")
        holder: dict[str, Any] = {"name": spellings[0], "aliases": spellings[1:], "country": country,
                                  "office": office, "start": parse_date(start, where)}
        if end:
            holder["end"] = parse_date(end, where)
            if last_day(holder["end"]) < first_day(holder["start"]):
                raise SystemExit(f"{where}: ends before it starts")
        if title:
            holder["title"] = title
        for flag in (f.strip() for f in flags.split(",") if f.strip()):
            if flag not in FLAGS:
                raise SystemExit(f"{where}: unknown flag {flag!r}")
            holder[flag] = True
        holders.append(holder)
    holders.sort(key=lambda h: (h["country"].casefold(), OFFICES.index(h["office"]), first_day(h["start"])))
    return holders


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def render(holders: list[dict[str, Any]]) -> str:
    """The text of office_holders.toml."""
    out = [HEADER]
    for h in holders:
        out.append("[[holders]]")
        for key in ("name", "aliases", "country", "office", "start", "end", "title", "concurrent", "upper_house"):
            if key in h:
                out.append(f"{key} = {_value(h[key])}")
        out.append("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--countries", type=Path, default=COUNTRIES)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    known = tomllib.loads(args.countries.read_text(encoding="utf-8"))
    holders = parse(args.source.read_text(encoding="utf-8"), {c["name"] for c in known["countries"]})
    text = render(holders)
    tomllib.loads(text)  # never write a file that does not parse
    args.out.write_text(text, encoding="utf-8")
    by_office: dict[str, int] = {}
    for h in holders:
        by_office[h["office"]] = by_office.get(h["office"], 0) + 1
    print(f"{args.out}: {len(holders)} terms, {len({h['country'] for h in holders})} countries, {by_office}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
