"""The packaged data files countries.toml and office_holders.toml are well formed and consistent."""

from __future__ import annotations

import itertools
import tomllib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.classify.text import words as _words

DATA = Path(__file__).resolve().parents[1] / "monitor" / "data"
OFFICES = {"head_of_state", "head_of_government", "party_leader", "foreign_minister", "defence_minister",
           "parliament_chair", "vice_head_of_state"}
# offices held by one person at a time in one country (vice heads of state are often several)
SINGLE_HOLDER = OFFICES - {"vice_head_of_state"}
OVERLAP_DAYS = 7
BODY_KINDS = {"un", "un_agency", "regional", "political", "economic", "military", "humanitarian", "court", "other"}


def words(phrase: str) -> tuple[str, ...]:
    """A phrase as the classifier compares it (lower-case words without "the")."""
    return tuple(_words(phrase))


def _load(name: str) -> dict[str, Any]:
    return tomllib.loads((DATA / name).read_text(encoding="utf-8"))


def _day(value: object, *, end: bool) -> date:
    """A start / end value (year, "YYYY-MM" or date) as a day."""
    if isinstance(value, date):
        return value
    if isinstance(value, int):
        return date(value, 12, 31) if end else date(value, 1, 1)
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")]
        if len(parts) == 2:
            nxt = date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            return nxt - timedelta(days=1) if end else date(parts[0], parts[1], 1)
    raise AssertionError(f"not a year, month or date: {value!r}")


@pytest.fixture(scope="module")
def countries() -> dict[str, Any]:
    """The parsed countries.toml."""
    return _load("countries.toml")


@pytest.fixture(scope="module")
def holders() -> dict[str, Any]:
    """The parsed office_holders.toml."""
    return _load("office_holders.toml")


def _entries(countries: dict[str, Any]) -> list[dict[str, Any]]:
    return [*countries["countries"], *countries["bodies"]]


def test_countries_have_the_documented_fields(countries: dict[str, Any]) -> None:
    """Every country has a name, string aliases / demonyms / capitals, an iso3 code when current, and ambiguous
    phrases that are its own."""
    assert countries["source_commit"]
    for c in countries["countries"]:
        assert isinstance(c["name"], str) and c["name"], c
        for key in ("aliases", "demonyms", "capitals", "ambiguous"):
            assert all(isinstance(v, str) and v for v in c.get(key, [])), (c["name"], key)
        if "end" not in c:
            assert len(c["iso3"]) == 3 and c["iso3"].isupper(), c["name"]
            assert c["capitals"], c["name"]
        own = {words(p) for p in (c["name"], *c["aliases"], *c.get("demonyms", []))}
        assert all(words(p) in own for p in c.get("ambiguous", [])), c["name"]
        assert set(c) <= {"name", "iso3", "aliases", "demonyms", "capitals", "ambiguous", "start", "end",
                          "successor", "former"}, c["name"]


def test_every_un_member_and_observer_is_present(countries: dict[str, Any]) -> None:
    """193 UN members plus the Holy See, Palestine, Taiwan, Kosovo and Western Sahara are current states."""
    current = [c for c in countries["countries"] if "end" not in c]
    assert len(current) == 198
    names = {c["name"] for c in current}
    assert {"Holy See", "Palestine", "Taiwan", "Kosovo", "Western Sahara", "Ghana", "Niger", "Nigeria",
            "Equatorial Guinea", "Guinea-Bissau", "Papua New Guinea", "Dominica", "Dominican Republic",
            "South Sudan", "Fiji", "Malawi", "Gabon", "Panama"} <= names
    assert len({c["iso3"] for c in current}) == 198


def test_historical_states_end_and_have_a_successor(countries: dict[str, Any]) -> None:
    """States that ceased have an end after their start and a successor that is a current state."""
    current = {c["name"] for c in countries["countries"] if "end" not in c}
    names = {c["name"] for c in countries["countries"]}
    historical = {c["name"]: c for c in countries["countries"] if "end" in c}
    assert {"USSR", "Yugoslavia", "Serbia and Montenegro", "Czechoslovakia", "East Germany",
            "Rhodesia"} <= set(historical)
    for name, c in historical.items():
        assert _day(c["start"], end=False) < _day(c["end"], end=True), name
        assert c["successor"] in names and c["successor"] != name, name
    # a chain of successors ends at a current state
    for name in historical:
        seen = name
        while seen not in current:
            seen = historical[seen]["successor"]
        assert seen in current


def test_former_names_are_dated_aliases(countries: dict[str, Any]) -> None:
    """Renamed states carry their former names (Zaire, Burma, Swaziland, Kampuchea) as aliases with an end."""
    by_name = {c["name"]: c for c in countries["countries"]}
    for state, former in (("DR Congo", "Zaire"), ("Myanmar", "Burma"), ("Eswatini", "Swaziland"),
                          ("Cambodia", "Democratic Kampuchea"), ("Belarus", "Byelorussia")):
        entry = by_name[state]
        assert former in entry["aliases"]
        assert any(f["name"] == former and isinstance(f["end"], int) for f in entry["former"])


def test_demonyms_include_plural_nouns(countries: dict[str, Any]) -> None:
    """Adjectives and plural nouns are both listed, and invariant ones once."""
    by_name = {c["name"]: c for c in countries["countries"]}
    assert {"Ghanaian", "Ghanaians"} <= set(by_name["Ghana"]["demonyms"])
    assert {"Russian", "Russians"} <= set(by_name["Russia"]["demonyms"])
    assert by_name["Switzerland"]["demonyms"] == ["Swiss"]
    assert {"Nigerien", "Nigeriens"} <= set(by_name["Niger"]["demonyms"])
    assert {"Swedish", "Swedes"} <= set(by_name["Sweden"]["demonyms"])
    for name in ("Norway", "Italy", "Fiji", "Belgium", "Malawi", "Gabon", "Panama"):
        assert by_name[name]["demonyms"], name


def test_kcna_spellings_name_the_right_state(countries: dict[str, Any]) -> None:
    """KCNA's names of states ("Viet Nam", "Lao", "Kampuchea", "the south side") belong to the intended state."""
    owner: dict[tuple[str, ...], set[str]] = {}
    for e in _entries(countries):
        for p in (e["name"], *e["aliases"], *e.get("demonyms", [])):
            owner.setdefault(words(p), set()).add(e["name"])
    expected = {"Viet Nam": "Vietnam", "Lao": "Laos", "Kampuchea": "Cambodia", "Byelorussia": "Belarus",
                "the south side": "ROK", "south Korean puppets": "ROK", "Soviet Union": "USSR",
                "European Parliament": "European Parliament", "Zaire": "DR Congo", "Nigerien": "Niger"}
    for phrase, name in expected.items():
        assert owner[words(phrase)] == {name}, phrase


def test_no_phrase_names_two_entries_unless_flagged(countries: dict[str, Any]) -> None:
    """A phrase shared by two entries is in the ambiguous list of every entry that has it."""
    owner: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for e in _entries(countries):
        for key in {words(p) for p in (e["name"], *e["aliases"], *e.get("demonyms", []))}:
            owner.setdefault(key, []).append(e)
    for key, entries in owner.items():
        if len(entries) > 1:
            for e in entries:
                assert key in {words(p) for p in e.get("ambiguous", [])}, (key, e["name"])


def test_known_ambiguous_words_are_flagged(countries: dict[str, Any]) -> None:
    """Short words that are also names, regions or parts of longer names are flagged ambiguous."""
    flagged = {(e["name"], words(p)) for e in _entries(countries) for p in e.get("ambiguous", [])}
    for name, phrase in (("Chad", "Chad"), ("Jordan", "Jordan"), ("Georgia", "Georgia"), ("Niger", "Niger"),
                         ("Guinea", "Guinea"), ("DPRK", "Korea"), ("ROK", "Korean"), ("Congo", "Congolese"),
                         ("DR Congo", "Congolese"), ("Dominica", "Dominican"), ("Dominican Republic", "Dominican")):
        assert (name, words(phrase)) in flagged, (name, phrase)
    unflagged = {"Ghana", "Nigeria", "Equatorial Guinea", "Vietnam", "China"}
    for e in _entries(countries):
        if e["name"] in unflagged:
            assert words(e["name"]) not in {words(p) for p in e.get("ambiguous", [])}, e["name"]


def test_bodies_are_well_formed(countries: dict[str, Any]) -> None:
    """Bodies have a known kind, a parent that is a body, and start before end; the usual ones are present."""
    bodies = {b["name"]: b for b in countries["bodies"]}
    for name, b in bodies.items():
        assert b["kind"] in BODY_KINDS, name
        assert b.get("parent", name) in bodies, name
        assert "demonyms" not in b, name
        if "end" in b:
            assert _day(b["start"], end=False) < _day(b["end"], end=True), name
    assert {"United Nations", "European Union", "European Parliament", "European Commission", "African Union",
            "ASEAN", "Non-Aligned Movement", "International Committee of the Red Cross", "IAEA", "WFP", "UNICEF",
            "WHO", "FAO", "UNDP", "OPEC", "Shanghai Cooperation Organization", "BRICS", "Arab League",
            "NATO"} <= set(bodies)
    assert not set(bodies) & {c["name"] for c in countries["countries"]}


def test_canonical_names_of_officials_toml_are_kept(countries: dict[str, Any]) -> None:
    """Every country name of the existing gazetteer (and every country of its officials) is an entry name."""
    officials = _load("officials.toml")
    names = {e["name"] for e in _entries(countries)}
    assert {c["name"] for c in officials["countries"]} <= names
    assert {o["country"] for o in officials["officials"]} <= names


def _earliest(value: object) -> date:
    return _day(value, end=False)


def _latest(value: object) -> date:
    return _day(value, end=True)


def test_holders_have_the_documented_fields(holders: dict[str, Any], countries: dict[str, Any]) -> None:
    """Every holder has a name, string aliases, a known office, a start, and a country that is a canonical name."""
    names = {c["name"] for c in countries["countries"]}
    assert holders["holders"]
    for h in holders["holders"]:
        assert isinstance(h["name"], str) and h["name"], h
        assert all(isinstance(a, str) and a and a != h["name"] for a in h.get("aliases", [])), h["name"]
        assert h["country"] in names, (h["name"], h["country"])
        assert h["office"] in OFFICES, (h["name"], h["office"])
        assert set(h) <= {"name", "aliases", "country", "office", "start", "end", "title", "concurrent",
                          "upper_house"}, h["name"]
        _earliest(h["start"])


def test_every_term_starts_before_it_ends(holders: dict[str, Any]) -> None:
    """A term's start is before its end, and no term ends in the future of the data."""
    for h in holders["holders"]:
        if "end" in h:
            assert _earliest(h["start"]) < _latest(h["end"]), (h["name"], h["start"], h["end"])
            assert _earliest(h["end"]) <= date.today(), h["name"]


def _middle(h: dict[str, Any]) -> date:
    """The middle of a term, read at its widest (an open term: its start, placed after every closed one)."""
    start = _earliest(h["start"])
    if "end" not in h:
        return date.max - (date.max - start) // 2
    return start + (_latest(h["end"]) - start) // 2


def test_single_holder_offices_do_not_overlap(holders: dict[str, Any]) -> None:
    """Two holders of one single-holder office of one country overlap by at most a few days (reading months and
    years at their most lenient), unless one holds it concurrently by the constitution; the chairs of the two
    chambers of a parliament are two offices."""
    terms: dict[tuple[str, str, bool], list[dict[str, Any]]] = {}
    for h in holders["holders"]:
        if h["office"] in SINGLE_HOLDER and not h.get("concurrent"):
            terms.setdefault((h["country"], h["office"], bool(h.get("upper_house"))), []).append(h)
    for key, group in terms.items():
        group.sort(key=_middle)  # a term given by years or months is placed by its middle, not by its first day
        for a, b in itertools.pairwise(group):
            assert "end" in a, (key, a["name"], "is still in office when", b["name"], "starts")
            overlap = (_earliest(a["end"]) - _latest(b["start"])).days
            assert overlap <= OVERLAP_DAYS, (key, a["name"], a["end"], b["name"], b["start"])


def test_at_most_one_open_term_per_office(holders: dict[str, Any]) -> None:
    """Each single-holder office of a country (each chamber's chair) has at most one holder still in office
    (concurrent ones aside)."""
    open_terms: dict[tuple[str, str, bool], list[str]] = {}
    for h in holders["holders"]:
        if "end" not in h and h["office"] in SINGLE_HOLDER and not h.get("concurrent"):
            open_terms.setdefault((h["country"], h["office"], bool(h.get("upper_house"))), []).append(h["name"])
    assert {k: v for k, v in open_terms.items() if len(v) > 1} == {}


def test_dprk_leaders_of_each_period(holders: dict[str, Any]) -> None:
    """The DPRK's leaders are known for their own periods: Kim Il Sung to 1994-07-08, Kim Jong Il to 2011-12-17,
    then Kim Jong Un; Kim Yong Nam is the nominal head of state from 1998 to 2019."""
    def holder_on(day: date, office: str, concurrent: bool = False) -> set[str]:
        return {h["name"] for h in holders["holders"]
                if h["country"] == "DPRK" and h["office"] == office and bool(h.get("concurrent")) == concurrent
                and _earliest(h["start"]) <= day and ("end" not in h or day <= _latest(h["end"]))}

    assert holder_on(date(1993, 5, 1), "head_of_state") == {"Kim Il Sung"}
    assert holder_on(date(2005, 5, 1), "head_of_state") == {"Kim Jong Il"}
    assert holder_on(date(2018, 5, 1), "head_of_state") == {"Kim Jong Un"}
    assert holder_on(date(2005, 5, 1), "head_of_state", concurrent=True) == {"Kim Yong Nam"}
    assert holder_on(date(2005, 5, 1), "head_of_government") == {"Pak Pong Ju"}
    assert holder_on(date(2005, 5, 1), "foreign_minister") == {"Paek Nam Sun"}


def test_partner_states_are_covered(holders: dict[str, Any]) -> None:
    """Heads of state or government are known across 1994-2025 for the DPRK's usual partners."""
    for country in ("China", "Russia", "Vietnam", "Laos", "Cuba", "Mongolia", "Belarus", "Iran", "Syria",
                    "Indonesia", "Cambodia", "ROK", "USA", "Japan"):
        for year in (1995, 2005, 2015, 2025):
            day = date(year, 7, 1)
            assert any(h["country"] == country and h["office"] in ("head_of_state", "head_of_government")
                       and _earliest(h["start"]) <= day and ("end" not in h or day <= _latest(h["end"]))
                       for h in holders["holders"]), (country, year)
