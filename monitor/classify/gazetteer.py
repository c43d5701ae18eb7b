"""The gazetteer: countries with aliases and demonyms, title phrases with ranks, officials with spellings."""

from __future__ import annotations

import calendar
import hashlib
import json
import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from monitor.classify.names import canonical_form, sound_key
from monitor.classify.text import Lexicon, words

RANKS = ("head_of_state", "head_of_government", "party_leader", "vice_head_of_state", "politburo",
         "parliament_chair", "minister", "vice_minister", "ambassador", "director", "other")
HIGH_RANKS = frozenset(RANKS[:7])
OFFICES = frozenset({"head_of_state", "head_of_government", "party_leader", "foreign_minister", "defence_minister",
                     "parliament_chair"})
DPRK = "DPRK"
DATA = Path(__file__).resolve().parent.parent / "data"
PACKAGED = DATA / "officials.toml"
COUNTRIES = DATA / "countries.toml"
OFFICE_HOLDERS = DATA / "office_holders.toml"


def rank_order(rank: str) -> int:
    """Position of a rank, 0 the highest (unknown ranks last)."""
    return RANKS.index(rank) if rank in RANKS else len(RANKS)


@dataclass(frozen=True)
class Country:
    """A state (or international body) with the words that name it."""

    name: str
    aliases: tuple[str, ...]
    demonyms: tuple[str, ...]


@dataclass(frozen=True)
class Title:
    """A title phrase and the rank (and office) it gives whoever holds it."""

    phrase: str
    rank: str
    office: str | None
    needs_state: bool


@dataclass(frozen=True)
class Official:
    """One person in one post: canonical name, spellings, country, rank, offices and the years held."""

    name: str
    aliases: tuple[str, ...]
    country: str
    rank: str
    offices: tuple[str, ...]
    start: date | None
    end: date | None
    historical: bool

    def holds_at(self, when: date | None) -> bool:
        """Whether the post was held on `when` (always, when the date is unknown)."""
        if when is None:
            return True
        return (self.start is None or self.start <= when) and (self.end is None or when <= self.end)



class GazetteerError(ValueError):
    """A gazetteer file that cannot be read or has a wrong entry."""


def _bound(value: object, *, end: bool, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, int) and 1900 <= value <= 2100:
        return date(value, 12, 31) if end else date(value, 1, 1)
    if isinstance(value, str):
        parts = value.split("-")
        try:
            nums = [int(p) for p in parts]
        except ValueError:
            nums = []
        if len(nums) == 1:
            return _bound(nums[0], end=end, where=where)
        if len(nums) == 2 and 1 <= nums[1] <= 12:
            last = calendar.monthrange(nums[0], nums[1])[1]
            return date(nums[0], nums[1], last if end else 1)
        if len(nums) == 3:
            return date(nums[0], nums[1], nums[2])
    raise GazetteerError(f"{where}: expected a year, YYYY-MM or a date, got {value!r}")


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise GazetteerError(f"{where}: expected a list of strings")
    return tuple(value)


def _phrase_key(phrase: str) -> tuple[str, ...]:
    return tuple(words(phrase))


def _countries(officials: list[dict[str, Any]], data: dict[str, Any]) -> list[dict[str, Any]]:
    """The states and international bodies of countries.toml, with the aliases and demonyms officials.toml gives.

    A phrase countries.toml marks `ambiguous` is kept only where it names one state and is not a capital ("Niger",
    "Chad"); a phrase naming two entries ("Congolese", "Korean"), an ambiguous capital ("Victoria") or an ambiguous
    name of a body ("Red Cross", "WHO") is dropped, unless officials.toml itself gives it to that entry.
    """
    own = {str(c.get("name")): c for c in officials}
    bodies = [{**b, "capitals": list(b.get("ambiguous", []))} for b in data.get("bodies", [])]  # none alone
    rows = [*data.get("countries", []), *bodies]
    owners: dict[tuple[str, ...], set[str]] = {}
    for c in rows:
        for phrase in (*c.get("aliases", []), *c.get("demonyms", [])):
            owners.setdefault(_phrase_key(phrase), set()).add(str(c["name"]))
    out: list[dict[str, Any]] = []
    for c in rows:
        name = str(c["name"])
        mine = own.pop(name, {})
        kept_own = {_phrase_key(p) for p in (*mine.get("aliases", []), *mine.get("demonyms", []))}
        ambiguous = {_phrase_key(p) for p in c.get("ambiguous", [])}
        capitals = {_phrase_key(p) for p in c.get("capitals", [])}

        def keep(phrase: str, ambiguous: set[tuple[str, ...]] = ambiguous, capitals: set[tuple[str, ...]] = capitals,
                 kept_own: set[tuple[str, ...]] = kept_own) -> bool:
            key = _phrase_key(phrase)
            if key in kept_own or key not in ambiguous:
                return True
            return len(owners.get(key, ())) == 1 and key not in capitals

        aliases = [a for a in c.get("aliases", []) if keep(a)]
        demonyms = [d for d in c.get("demonyms", []) if keep(d)]
        aliases += [a for a in mine.get("aliases", []) if a not in aliases]
        demonyms += [d for d in mine.get("demonyms", []) if d not in demonyms]
        out.append({"name": name, "aliases": aliases, "demonyms": demonyms})
    out.extend(own.values())  # entries only officials.toml knows
    # the DPRK first, as officials.toml has it (its names are looked up before the others')
    out.sort(key=lambda c: c["name"] != DPRK)
    return out


# office in office_holders.toml -> the rank it gives
_OFFICE_RANK = {"head_of_state": "head_of_state", "head_of_government": "head_of_government",
                "party_leader": "party_leader", "vice_head_of_state": "vice_head_of_state",
                "foreign_minister": "minister", "defence_minister": "minister", "parliament_chair": "parliament_chair"}


def _holders(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The terms of office_holders.toml as officials entries: one post per term, dated.

    A `concurrent` term (the DPRK's President of the SPA Presidium beside the supreme leader) or an `upper_house`
    one (the President of a Senate) gives the rank but does not answer for the office: "the head of state" resolves
    to the other holder.
    """
    out: list[dict[str, Any]] = []
    for h in data.get("holders", []):
        office = str(h.get("office", ""))
        if office not in _OFFICE_RANK:
            continue
        entry: dict[str, Any] = {"name": h["name"], "aliases": list(h.get("aliases", [])),
                                 "country": h.get("country", ""), "rank": _OFFICE_RANK[office]}
        if office in OFFICES and not h.get("concurrent", False) and not h.get("upper_house", False):
            entry["offices"] = [office]
        for key in ("start", "end"):
            if key in h:
                entry[key] = h[key]
        out.append(entry)
    return out


def _packaged() -> dict[str, Any]:
    """officials.toml with the states and bodies of countries.toml folded into its countries and the dated terms
    of office_holders.toml added to its officials (each file when present)."""
    data = tomllib.loads(PACKAGED.read_text(encoding="utf-8"))
    if COUNTRIES.exists():
        data["countries"] = _countries(list(data.get("countries", [])),
                                       tomllib.loads(COUNTRIES.read_text(encoding="utf-8")))
    if OFFICE_HOLDERS.exists():
        data["officials"] = [*data.get("officials", []),
                             *_holders(tomllib.loads(OFFICE_HOLDERS.read_text(encoding="utf-8")))]
    return data


def _read(path: Path | None) -> tuple[dict[str, Any], str]:
    if path is None:
        return _packaged(), "officials.toml (packaged)"
    try:
        return tomllib.loads(path.read_text(encoding="utf-8")), str(path)
    except OSError as exc:
        raise GazetteerError(f"{path}: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise GazetteerError(f"{path}: {exc}") from exc


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """The packaged data with a user file laid over it (see the header of officials.toml)."""
    countries = {c.get("name"): dict(c) for c in base.get("countries", [])}
    for c in extra.get("countries", []):
        old = countries.get(c.get("name"))
        if old is None:
            countries[c.get("name")] = dict(c)
        else:
            for key in ("aliases", "demonyms"):
                old[key] = list(old.get(key, [])) + [a for a in c.get(key, []) if a not in old.get(key, [])]
    titles = {" ".join(words(str(t.get("phrase", "")))): dict(t) for t in base.get("titles", [])}
    for t in extra.get("titles", []):
        titles[" ".join(words(str(t.get("phrase", ""))))] = dict(t)
    replaced = {canonical_form(str(o.get("name", ""))) for o in extra.get("officials", [])}
    officials = [o for o in base.get("officials", []) if canonical_form(str(o.get("name", ""))) not in replaced]
    officials += list(extra.get("officials", []))
    return {"version": f"{base.get('version', '')}+{extra.get('version', '')}", "countries": list(countries.values()),
            "titles": list(titles.values()), "officials": officials}


class Gazetteer:
    """Countries, titles and officials, with one lexicon to find all of them in a text in one pass."""

    def __init__(self, data: dict[str, Any], source: str, *, officials: bool = True) -> None:
        """The gazetteer of `data`; with `officials` false the named officials are left out (countries and the
        grammar of titles kept), to measure what the rules decide without the names list."""
        if not officials:
            data = {**data, "officials": []}
        self.source = source
        self.countries: list[Country] = []
        self.titles: list[Title] = []
        self.officials: list[Official] = []
        self.lexicon = Lexicon()
        self.by_name: dict[str, list[Official]] = {}
        self._sound_index: dict[str, list[str]] | None = None
        self.alias_to_name: dict[str, str] = {}
        for i, c in enumerate(data.get("countries", [])):
            where = f"{source}: countries[{i}]"
            name = c.get("name")
            if not isinstance(name, str) or not name:
                raise GazetteerError(f"{where}: `name` is required")
            self.countries.append(Country(name, _strings(c.get("aliases"), where), _strings(c.get("demonyms"), where)))
        for i, t in enumerate(data.get("titles", [])):
            where = f"{source}: titles[{i}]"
            phrase, rank, office = t.get("phrase"), t.get("rank"), t.get("office")
            if not isinstance(phrase, str) or not phrase.strip():
                raise GazetteerError(f"{where}: `phrase` is required")
            if rank not in RANKS:
                raise GazetteerError(f"{where} ({phrase!r}): rank must be one of {', '.join(RANKS)}, got {rank!r}")
            if office is not None and office not in OFFICES:
                raise GazetteerError(f"{where} ({phrase!r}): office must be one of {', '.join(sorted(OFFICES))}")
            self.titles.append(Title(phrase, str(rank), office, bool(t.get("needs_state", False))))
        for i, o in enumerate(data.get("officials", [])):
            where = f"{source}: officials[{i}]"
            name, rank, country = o.get("name"), o.get("rank", "other"), o.get("country", "")
            if not isinstance(name, str) or not name.strip():
                raise GazetteerError(f"{where}: `name` is required")
            if rank not in RANKS:
                raise GazetteerError(f"{where} ({name!r}): rank must be one of {', '.join(RANKS)}, got {rank!r}")
            offices = _strings(o.get("offices"), where)
            for off in offices:
                if off not in OFFICES:
                    raise GazetteerError(f"{where} ({name!r}): unknown office {off!r}")
            self.officials.append(Official(
                canonical_form(name), _strings(o.get("aliases"), where), str(country), str(rank), offices,
                _bound(o.get("start"), end=False, where=f"{where}.start"),
                _bound(o.get("end"), end=True, where=f"{where}.end"), bool(o.get("historical", False))))
        self._index()
        payload = json.dumps(data, sort_keys=True, default=str)
        self.digest = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]

    def _index(self) -> None:
        for key, c in enumerate(self.countries):
            for phrase in (c.name, *c.aliases, *c.demonyms):
                self.lexicon.add("country", phrase, key, case="cap")
        for key, t in enumerate(self.titles):
            short = len(t.phrase) <= 3 and t.phrase.isalpha()
            self.lexicon.add("title", t.phrase, key, case="upper" if short else "any")
        self._holders: dict[tuple[str, str], list[Official]] = {}  # (country, office) -> officials, in file order
        for o in self.officials:
            self.by_name.setdefault(o.name, []).append(o)
            if not o.historical or o.start is not None or o.end is not None:
                for office in dict.fromkeys(o.offices):
                    self._holders.setdefault((o.country, office), []).append(o)
        for key, (name, posts) in enumerate(self.by_name.items()):
            for phrase in {name, *(a for p in posts for a in p.aliases)}:
                self.lexicon.add("name", phrase, key, case="cap")
                self.alias_to_name[canonical_form(phrase)] = name
        self.names = list(self.by_name)
        # the leaders of the past (Kim Il Sung, Kim Jong Il): never present outside their terms
        self.historical = [name for name, posts in self.by_name.items() if any(p.historical for p in posts)]

    def present(self, name: str, when: date | None) -> bool:
        """Whether an official can be a participant on `when`: a leader of the past (`historical` in any of his
        posts) only inside one of his dated terms (Kim Jong Il before his death), never when the date is unknown;
        anyone else always (a name as written)."""
        posts = self.by_name.get(name, [])
        if not any(p.historical for p in posts):
            return True
        return when is not None and any((p.start or p.end) and p.holds_at(when) for p in posts)

    def country_of(self, name: str) -> str:
        """Country of an official in the gazetteer ("" when unknown)."""
        posts = self.by_name.get(name)
        return posts[0].country if posts else ""

    def rank_of(self, name: str, when: date | None) -> str | None:
        """Highest rank of an official on a date (any date when unknown), None when not in the gazetteer."""
        posts = self.by_name.get(name)
        if not posts:
            return None
        held = [p for p in posts if p.holds_at(when)] if when is not None else posts
        if not held:
            return None  # known, but in no post on that date: the rank is the one the text gives, if any
        return min((p.rank for p in held), key=rank_order)

    def sounds_like(self, name: str, country: str = "", when: date | None = None) -> str | None:
        """The official whose spelling sounds like `name` (`names.sound_key`: "Pradip Kumar Gyawali", read back from
        Hangul, is "Pradeep Kumar Gyawali"), or None unless exactly one is left: of `country` when given, and of those
        the one in a post on `when` when several are. Names of under four consonants ("Wang Yi") never match."""
        key = sound_key(name)
        if len(key.replace(" ", "")) < 4:
            return None
        parts, index = key.split(), self._sounds()
        cands = index.get(key) or (index.get(f"{parts[0]} {parts[-1]}", []) if len(parts) > 2 else [])
        if country:
            cands = [n for n in cands if any(p.country == country for p in self.by_name[n])]
        if len(cands) > 1 and when is not None:
            cands = [n for n in cands if any(p.holds_at(when) for p in self.by_name[n])] or cands
        return cands[0] if len(cands) == 1 else None

    def _sounds(self) -> dict[str, list[str]]:
        """Sound key of every spelling of every official (and of its first and last words) -> names, built once."""
        if self._sound_index is None:
            index: dict[str, list[str]] = {}
            for name, posts in self.by_name.items():
                for spelling in {name, *(a for p in posts for a in p.aliases)}:
                    key = sound_key(spelling)
                    parts = key.split()
                    for k in {key, f"{parts[0]} {parts[-1]}" if len(parts) > 2 else key}:
                        if k and name not in index.setdefault(k, []):
                            index[k].append(name)
            self._sound_index = index
        return self._sound_index

    def holder(self, country: str, office: str, when: date | None) -> str | None:
        """The official holding `office` of `country` on `when` (the latest holder when the date is unknown)."""
        cands = self._holders.get((country, office), [])
        if when is not None:
            cands = [o for o in cands if o.holds_at(when)]
        else:
            cands = [o for o in cands if o.end is None] or cands
        if not cands:
            return None
        return max(cands, key=lambda o: o.start or date.min).name


def load_gazetteer(path: Path | None = None, *, officials: bool = True) -> Gazetteer:
    """The packaged gazetteer, extended and overridden by the user file at `path` when given.

    With `officials` false the named officials are dropped (`monitor eval --no-gazetteer`).
    """
    base, source = _read(None)
    if path is None:
        return Gazetteer(base, source, officials=officials)
    extra, extra_source = _read(path)
    Gazetteer(extra, extra_source)  # errors name the user file's own entries
    return Gazetteer(_merge(base, extra), extra_source, officials=officials)
