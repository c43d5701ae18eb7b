#!/usr/bin/env python3
"""Cross-check monitor/data/office_holders.toml against the REIGN leader list (effective leaders, to early 2021).

Usage:
    git -C <mirror of github.com/OEFDataScience/REIGN.github.io> show HEAD:data_sets/leaderlist_3_21.csv > leaders.csv
    python3 tools/check_office_holders.py leaders.csv [--since 1994]

For every REIGN leader of a covered country whose term starts on or after `--since`, the script looks for a term in
office_holders.toml (head of state, head of government or party leader) held by a person whose name contains the
REIGN surname and that starts within `--days` days of the REIGN start date; it prints the leaders it cannot match
and exits 1 when there are any. REIGN codes the one effective leader of each state, so a state whose effective
leader is not in our data (a caretaker, a junta chief) shows up here and is judged by hand.
"""

from __future__ import annotations

import argparse
import csv
import sys
import tomllib
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOLDERS = ROOT / "monitor" / "data" / "office_holders.toml"
OFFICES = {"head_of_state", "head_of_government", "party_leader"}
# REIGN / Correlates of War state abbreviations of the countries office_holders.toml covers
STATES = {
    "PRK": "DPRK", "ROK": "ROK", "CHN": "China", "RUS": "Russia", "DRV": "Vietnam", "LAO": "Laos", "CUB": "Cuba",
    "MON": "Mongolia", "BLR": "Belarus", "IRN": "Iran", "SYR": "Syria", "INS": "Indonesia", "CAM": "Cambodia",
    "THI": "Thailand", "MAL": "Malaysia", "SIN": "Singapore", "IND": "India", "PAK": "Pakistan", "BNG": "Bangladesh",
    "SRI": "Sri Lanka", "EGY": "Egypt", "NIC": "Nicaragua", "VEN": "Venezuela", "BOL": "Bolivia", "BRA": "Brazil",
    "SAF": "South Africa", "NIG": "Nigeria", "ETH": "Ethiopia", "UGA": "Uganda", "TAZ": "Tanzania",
    "ZIM": "Zimbabwe", "MZM": "Mozambique", "ANG": "Angola", "EQG": "Equatorial Guinea", "GUI": "Guinea",
    "MLI": "Mali", "SEN": "Senegal", "CON": "Congo", "DRC": "DR Congo", "ERI": "Eritrea", "LEB": "Lebanon",
    "KUW": "Kuwait", "QAT": "Qatar", "UAE": "United Arab Emirates", "KZK": "Kazakhstan", "KYR": "Kyrgyzstan",
    "TKM": "Turkmenistan", "UZB": "Uzbekistan", "TAJ": "Tajikistan", "AZE": "Azerbaijan", "JPN": "Japan",
    "UKG": "UK", "FRN": "France", "GMY": "Germany", "SWD": "Sweden", "ITA": "Italy", "MYA": "Myanmar",
    "USA": "USA", "ALG": "Algeria", "TUR": "Turkey", "UKR": "Ukraine", "PHI": "Philippines", "NEP": "Nepal",
    "MEX": "Mexico", "PER": "Peru", "IRQ": "Iraq", "ISR": "Israel", "CZR": "Czech Republic", "POL": "Poland",
    "YEM": "Yemen", "BFO": "Burkina Faso", "NAM": "Namibia", "GHA": "Ghana", "LIB": "Libya",
}


def fold(text: str) -> str:
    """Lower case without accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(c if c.isalnum() else " " for c in plain)


def first_day(value: Any) -> date:
    """The earliest day a start value can mean."""
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return date(value, 1, 1)
    year, month = str(value).split("-")[:2]
    return date(int(year), int(month), 1)


def unmatched(rows: list[dict[str, str]], holders: list[dict[str, Any]], since: int, days: int) -> list[str]:
    """The REIGN leaders (as printable lines) with no matching term."""
    missing: list[str] = []
    for row in rows:
        country = STATES.get(row["stateabb"])
        if country is None or not row["syear"] or int(row["syear"]) < since:
            continue
        start = date(int(row["syear"]), int(row["smonth"] or 1), int(row["sdate"] or 1))
        surname = fold(row["leader"]).split()[-1] if fold(row["leader"]).split() else ""
        found = False
        for h in holders:
            if h["country"] != country or h["office"] not in OFFICES:
                continue
            names = " ".join(fold(n) for n in (h["name"], *h.get("aliases", []))).split()
            if surname in names and abs((first_day(h["start"]) - start).days) <= days:
                found = True
                break
        if not found:
            missing.append(f"{country}: {row['leader']} from {start}")
    return missing


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("leaders", type=Path, help="REIGN leaderlist CSV")
    parser.add_argument("--holders", type=Path, default=HOLDERS)
    parser.add_argument("--since", type=int, default=1994)
    parser.add_argument("--days", type=int, default=45)
    args = parser.parse_args(argv)
    with args.leaders.open(encoding="utf-8", errors="replace", newline="") as f:
        rows = list(csv.DictReader(f))
    holders = tomllib.loads(args.holders.read_text(encoding="utf-8"))["holders"]
    missing = unmatched(rows, holders, args.since, args.days)
    for line in missing:
        print(line)
    checked = sum(1 for r in rows if r["stateabb"] in STATES and r["syear"] and int(r["syear"]) >= args.since)
    print(f"{checked - len(missing)} of {checked} REIGN leaders since {args.since} matched", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
