#!/usr/bin/env python3
"""Write monitor/data/countries.toml from the mledoze/countries data, a hand overlay and officials.toml.

Usage:
    git -C <mirror of github.com/mledoze/countries> show HEAD:countries.json > /tmp/countries.json
    python3 tools/make_countries.py /tmp/countries.json --commit <that commit> [--out monitor/data/countries.toml]

Kept: every UN member state (`unMember`), the observers (Holy See, Palestine), Taiwan, Kosovo and Western Sahara
from the source; the canonical names, KCNA spellings, plural demonyms, former names, states that ceased to exist
and international bodies from tools/countries_overlay.toml; the country aliases and demonyms already in
monitor/data/officials.toml (unless another entry owns the phrase). A phrase that names two entries, or that is
listed in the overlay's `ambiguous`, goes to the entry's `ambiguous` list.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OVERLAY = ROOT / "tools" / "countries_overlay.toml"
OFFICIALS = ROOT / "monitor" / "data" / "officials.toml"
OUT = ROOT / "monitor" / "data" / "countries.toml"
EXTRA_STATES = {"PSE", "VAT", "TWN", "UNK", "ESH"}  # observers and partly recognised states
_TOKEN = re.compile(r"[A-Za-z0-9]+")
# demonyms whose plural noun is the same word (or that have no plural noun of their own)
_INVARIANT_ENDINGS = ("ese", "ss", "sh", "ch", "ois", "Lao", "Malagasy", "Burkinabe", "Burkinabé", "Motswana",
                      "Mosotho", "Kirghiz", "Kyrgyz", "Kiribati", "Vanuatu", "Vatican", "Khmer", "Myanmar",
                      "Swati", "Basotho", "Batswana", "Philippine", "Luxembourgish", "Icelandic", "New Zealand")

HEADER = """\
# Countries, historical states and international bodies known to the classifier. GENERATED: do not edit by
# hand; edit tools/countries_overlay.toml (or the source) and run tools/make_countries.py.
#
# Source: github.com/mledoze/countries, countries.json at commit {commit} (names, official names, alternative
# spellings, capitals, English demonyms, ISO 3166-1 alpha-3 codes, UN membership), with the hand-written overlay
# tools/countries_overlay.toml (canonical names used by officials.toml, KCNA spellings, plural demonyms, former
# names with years, states that ceased to exist with ISO 3166-3 codes, international bodies) and the country
# aliases of monitor/data/officials.toml.
#
# [[countries]]: every UN member state, the observers (Holy See, Palestine), Taiwan, Kosovo, Western Sahara, and
#   historical states (those with `end`).
#   name       canonical name (the names officials.toml uses: "DPRK", "ROK", "USA", "UK", "Russia", ...)
#   iso3       ISO 3166-1 alpha-3 code (ISO 3166-3 for a historical state; Kosovo "UNK"); absent when none
#   aliases    every phrase naming the state: the name, official and short names, former names, KCNA spellings,
#              institutions that stand for the state, and the capital (not for historical states)
#   demonyms   adjectives and plural nouns ("Ghanaian", "Ghanaians"; "Swiss"; "Swede", "Swedes")
#   capitals   capital cities (also in aliases for a current state)
#   ambiguous  the phrases of aliases / demonyms / capitals that must not decide alone: a phrase naming two
#              entries ("Korean", "Congolese", "Dominican"), a common word or personal name ("Chad", "Jordan",
#              "Male", "US"), a region or a part of a longer name ("Georgia", "Guinea", "Korea", "Niger")
#   start, end a year or a date: when the state existed (only for historical states)
#   successor  canonical name of the state that continued it (historical states)
#   former     [{{ name, start?, end }}]: names the state had before (also in aliases); the years they were used
#
# [[bodies]]: international organisations (no demonyms).
#   name, aliases, ambiguous as above; kind = un | un_agency | regional | political | economic | military |
#   humanitarian | court | other; parent = name of the body it belongs to; start / end = years it existed.
#
# Phrases are compared as the classifier reads them: lower case, words of letters and digits, "the" dropped.

source_commit = "{commit}"
"""


def words(text: str) -> tuple[str, ...]:
    """The words of a phrase as the classifier compares them: folded, lower case, without "the"."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.replace("\u2019", "'"))
                     if not unicodedata.combining(c))
    return tuple(w for w in (m.group().lower() for m in _TOKEN.finditer(folded)) if w != "the")


def _latin(text: str) -> bool:
    """Whether every letter of `text` is a Latin letter."""
    return all(not c.isalpha() or "LATIN" in unicodedata.name(c, "") for c in text)


def _plural(demonym: str) -> str | None:
    """The plural noun of a demonym, or None when it is the same word."""
    if demonym.endswith(_INVARIANT_ENDINGS) and demonym != "Czech":
        return None
    return demonym + "s"


def _add(target: list[str], phrases: list[str] | tuple[str, ...]) -> None:
    """Append the phrases whose words are not yet in `target`."""
    seen = {words(p) for p in target}
    for p in phrases:
        key = words(p)
        if key and key not in seen:
            seen.add(key)
            target.append(p)


def _demonyms(raw: dict[str, str]) -> list[str]:
    """English demonyms of the source (masculine and feminine, split at commas and "or") with their plurals."""
    out: list[str] = []
    for value in (raw.get("m", ""), raw.get("f", "")):
        for part in re.split(r",\s*|\s+or\s+", value):
            part = part.strip()
            if part:
                plural = _plural(part)
                _add(out, [part] + ([plural] if plural else []))
    return out


def _state(src: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """One current state from its source record with the overlay applied."""
    iso3 = src["cca3"]
    name = overlay.get("canonical", {}).get(iso3, src["name"]["common"])
    drop = {words(d) for d in overlay.get("drop", {}).get(iso3, [])}
    aliases: list[str] = []
    candidates = [name, src["name"]["common"], src["name"]["official"]]
    candidates += [n["official"] for n in src["name"].get("native", {}).values() if "eng" in src["name"]["native"]]
    candidates += [a for a in src.get("altSpellings", []) if not (len(a) <= 2 and a.isupper())]
    _add(aliases, [a for a in candidates if _latin(a) and words(a) not in drop])
    demonyms = [d for d in _demonyms(src.get("demonyms", {}).get("eng", {})) if words(d) != words(name)]
    capitals = [c for c in src.get("capital", []) if _latin(c)]
    former: list[dict[str, Any]] = []
    for extra in overlay.get("extra", []):
        if extra["iso3"] != iso3:
            continue
        _add(aliases, extra.get("aliases", []))
        _add(demonyms, extra.get("demonyms", []))
        _add(capitals, extra.get("capitals", []))
        former += extra.get("former", [])
    _add(aliases, [f["name"] for f in former])
    _add(aliases, capitals)
    return {"name": name, "iso3": iso3, "aliases": aliases, "demonyms": demonyms, "capitals": capitals,
            "former": former}


def _historical(entry: dict[str, Any]) -> dict[str, Any]:
    """A state that ceased to exist, as written in the overlay (its name first among the aliases)."""
    out = dict(entry)
    aliases: list[str] = []
    _add(aliases, [entry["name"], *entry.get("aliases", [])])
    out["aliases"] = aliases
    out.setdefault("demonyms", [])
    out.setdefault("capitals", [])
    return out


def _phrases(entry: dict[str, Any]) -> list[str]:
    """Every phrase that names an entry (a current state's capitals are among its aliases)."""
    return [entry["name"], *entry.get("aliases", []), *entry.get("demonyms", [])]


def _import_officials(entries: list[dict[str, Any]], officials: dict[str, Any]) -> list[str]:
    """Add officials.toml's country aliases / demonyms to the entry of the same name; returns what was skipped."""
    owner: dict[tuple[str, ...], set[str]] = {}
    for e in entries:
        for p in _phrases(e):
            owner.setdefault(words(p), set()).add(e["name"])
    by_name = {e["name"]: e for e in entries}
    skipped: list[str] = []
    for c in officials.get("countries", []):
        entry = by_name.get(c["name"])
        if entry is None:
            raise SystemExit(f"officials.toml country {c['name']!r} has no entry: add it to the overlay")
        for key in ("aliases", "demonyms"):
            keep = []
            for phrase in c.get(key, []):
                others = owner.get(words(phrase), {entry["name"]})
                if entry["name"] not in others:
                    skipped.append(f"{c['name']}: {phrase!r} (belongs to {', '.join(sorted(others))})")
                else:
                    keep.append(phrase)
            _add(entry.setdefault(key, []), keep)
    return skipped


def _flag_ambiguous(entries: list[dict[str, Any]], listed: list[str]) -> None:
    """Set each entry's `ambiguous`: phrases naming two entries or listed in the overlay."""
    listed_keys = {words(p) for p in listed}
    names: dict[tuple[str, ...], set[str]] = {}
    for e in entries:
        for p in _phrases(e):
            names.setdefault(words(p), set()).add(e["name"])
    for e in entries:
        flagged: list[str] = []
        _add(flagged, [p for p in _phrases(e) if words(p) in listed_keys or len(names[words(p)]) > 1])
        if flagged:
            e["ambiguous"] = flagged
        else:
            e.pop("ambiguous", None)


def _value(value: Any) -> str:
    """A TOML value: string, integer, date, list or inline table."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, date)):
        return str(value) if not isinstance(value, date) else value.isoformat()
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r}")


def _line(key: str, value: Any, width: int = 118) -> str:
    """`key = value`, a list wrapped at `width` characters."""
    if not isinstance(value, list):
        return f"{key} = {_value(value)}"
    lines: list[str] = []
    current = f"{key} = ["
    indent = " " * len(current)
    for i, item in enumerate(value):
        piece = _value(item) + (", " if i < len(value) - 1 else "")
        if len(current) + len(piece.rstrip()) > width and current.strip() not in (f"{key} = [",):
            lines.append(current.rstrip())
            current = indent
        current += piece
    lines.append(current + "]")
    return "\n".join(lines)


FIELDS = ("name", "iso3", "aliases", "demonyms", "capitals", "ambiguous", "start", "end", "successor", "former")
BODY_FIELDS = ("name", "aliases", "ambiguous", "kind", "parent", "start", "end")


def render(commit: str, countries: list[dict[str, Any]], bodies: list[dict[str, Any]]) -> str:
    """The text of countries.toml."""
    out = [HEADER.format(commit=commit)]
    for table, items, fields in (("countries", countries, FIELDS), ("bodies", bodies, BODY_FIELDS)):
        out.append(f"# {'-' * 64} {table}\n")
        for item in items:
            out.append(f"[[{table}]]")
            for f in fields:
                if f == "aliases" or item.get(f) not in (None, []):
                    out.append(_line(f, item.get(f, [])))
            out.append("")
    return "\n".join(out)


def build(source: list[dict[str, Any]], overlay: dict[str, Any], officials: dict[str, Any],
          ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[str]]:
    """Countries and bodies (with their ambiguous phrases) and the officials.toml phrases not taken."""
    states = [_state(s, overlay) for s in source if s.get("unMember") or s["cca3"] in EXTRA_STATES]
    states.sort(key=lambda e: e["name"].casefold())
    historical = [_historical(h) for h in overlay.get("historical", [])]
    bodies = [_historical(b) for b in overlay.get("bodies", [])]
    for b in bodies:
        b.pop("demonyms", None)
        b.pop("capitals", None)
    countries = states + historical
    skipped = _import_officials(countries + bodies, officials)
    for b in bodies:
        b.pop("demonyms", None)
    _flag_ambiguous(countries + bodies, overlay.get("ambiguous", []))
    return countries, bodies, skipped


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="countries.json of github.com/mledoze/countries")
    parser.add_argument("--commit", required=True, help="the source commit, written in the header")
    parser.add_argument("--overlay", type=Path, default=OVERLAY)
    parser.add_argument("--officials", type=Path, default=OFFICIALS)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8"))
    overlay = tomllib.loads(args.overlay.read_text(encoding="utf-8"))
    officials = tomllib.loads(args.officials.read_text(encoding="utf-8"))
    countries, bodies, skipped = build(source, overlay, officials)
    text = render(args.commit, countries, bodies)
    tomllib.loads(text)  # never write a file that does not parse
    args.out.write_text(text, encoding="utf-8")
    for s in skipped:
        print(f"officials.toml phrase not imported: {s}", file=sys.stderr)
    print(f"{args.out}: {len(countries)} countries ({sum('end' in c for c in countries)} historical), "
          f"{len(bodies)} bodies", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
