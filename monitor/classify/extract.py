"""Finding the people of a text: gazetteer names, and unknown names standing next to a title; their rank and country."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date
from itertools import compress

from monitor.classify.gazetteer import DPRK, HIGH_RANKS, Gazetteer, rank_order
from monitor.classify.names import canonical_form
from monitor.classify.text import Match, Tokens, fold, tokenize

# Capitalised words that are never part of a personal name in this press.
_STOP = frozenset([
    "a", "an", "and", "of", "in", "on", "at", "to", "for", "by", "with", "from", "as", "or", "after", "before",
    "about", "this", "that", "these", "those", "his", "her", "its", "their", "our", "respected", "comrade",
    "comrades", "marshal", "general", "secretary", "secretaries", "president", "presidents", "premier", "chairman",
    "chairwoman", "minister", "ministers", "ministry", "vice", "deputy", "first", "executive", "director",
    "department", "international", "central", "committee", "party", "workers", "political", "bureau", "presidium",
    "standing", "supreme", "people", "assembly", "state", "affairs", "commission", "council", "cabinet",
    "democratic", "republic", "socialist", "federation", "kingdom", "islamic", "federal", "national", "foreign",
    "defence", "defense", "affairs", "external", "economic", "relations", "industry", "trade", "natural",
    "resources", "ecology", "education", "culture", "health", "public", "security", "justice", "finance",
    "agriculture", "energy", "transport", "communications", "sports", "physical", "science", "technology", "labour",
    "labor", "korea", "korean", "pyongyang", "kcna", "dprk", "wpk", "kpa", "army", "navy", "air", "force",
    "military", "delegation", "government", "embassy", "ambassador", "hall", "house", "palace", "square", "hotel",
    "airport", "station", "mansudae", "kumsusan", "kremlin", "moscow", "beijing", "hanoi", "vientiane", "havana",
    "minsk", "tehran", "teheran", "ulaanbaatar", "january", "february", "march", "april", "may", "june", "july",
    "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "juche", "day", "year", "anniversary", "meeting", "talks", "talk", "congress",
    "conference", "forum", "seminar", "treaty", "agreement", "friendship", "cooperation", "office", "spokesman",
    "spokesperson", "press", "statement", "news", "agency", "tass", "xinhua", "university", "institute", "academy",
    "association", "union", "league", "federation", "committee", "member", "members", "officials", "official",
    "chief", "head", "leader", "leaders", "speaker", "duma", "senate", "parliament", "assembly", "hural", "c", "k",
    "p", "s", "the", "nations", "united", "security", "mr", "mrs", "ms", "dr", "his", "excellency", "comrade",
    # words of organisations, places and offices that stand before or after names in this press
    "secretariat", "development", "regional", "coordinating", "overseas", "institutions", "unified", "communist",
    "movement", "resistance", "front", "church", "orthodox", "youth", "women", "group", "company", "corporation",
    "co", "ltd", "inc", "foundation", "organization", "city", "province", "archbishop", "bishop", "mayor", "acting",
    "governor", "bundestag", "european", "senator", "deputy", "colonel", "lieutenant", "major", "admiral", "they",
    "he", "she", "it", "we", "there", "meanwhile", "also", "among", "included", "including", "king", "queen",
    "prince", "princess", "emir", "sultan", "sheikh", "lord", "sir", "general-secretary", "leninist", "marxist",
    "maoist", "social", "liberal", "conservative", "labour", "green", "revolutionary", "people's", "peoples",
    "popular", "liberty", "freedom", "progress", "solidarity", "unity", "renewal", "parliamentary", "chamber",
    "deputies", "council", "reconstruction", "democracy",
])

_VERBS = frozenset([
    "received", "receives", "receive", "met", "meets", "meet", "held", "holds", "hold", "had", "has", "have",
    "paid", "pays", "presented", "presents", "accepted", "accepts", "hosted", "hosts", "visited", "visits",
    "attended", "attends", "led", "headed", "said", "says", "expressed", "talked", "exchanged", "arrived",
    "arrives", "left", "leaves", "sent", "sends", "conveyed", "greeted", "thanked", "noted", "stressed", "welcomed",
    "who", "which", "when", "where", "whose", "that", "gave", "gives", "attend", "saw", "sees", "inspected", "laid",
    "lays", "placed",
])

_BOUNDARY_GAP = re.compile(r"[.;:()\[\]\"]")
_CLAUSE_GAP = re.compile(r"[.,;:()\[\]\"]")
_ABBREVIATION_GAP = re.compile(r"^\.,?\s*$")
# states where one party rules: the leader of a party there is a top leader (elsewhere the party may be in opposition)
ONE_PARTY = frozenset({DPRK, "China", "Vietnam", "Laos", "Cuba"})
_TOP = frozenset({"head_of_state", "head_of_government", "party_leader"})
_STATE_WORDS = frozenset({"republic", "kingdom", "federation", "state", "sultanate", "emirate", "commonwealth"})


@dataclass
class Person:
    """A person found in a text, with the titles the text gives them."""

    name: str
    first: int
    last: int
    known: bool
    titles: list[int] = field(default_factory=list)  # indexes into the title matches
    rank: str | None = None
    country: str = ""


@dataclass
class Found:
    """People, title matches and country matches of one text."""

    text: str
    tokens: Tokens
    people: list[Person]
    titles: list[Match]
    countries: list[Match]
    title_country: dict[int, str]   # title match index -> country attached to it
    title_rank: dict[int, str]      # title match index -> effective rank (needs_state resolved)

    def country_names(self, gaz: Gazetteer) -> list[str]:
        """Countries named in the text, in order, once each."""
        out: list[str] = []
        for m in self.countries:
            name = gaz.countries[m.key].name
            if name not in out:
                out.append(name)
        return out


# what a gap between two words is: (ends a clause, ends a sentence, may follow an abbreviation), by its text;
# gaps repeat (", ", ". ", " ("), so each is looked at once (the table is emptied if it ever grows large)
_GAP_KINDS: dict[str, tuple[bool, bool, bool]] = {}


def _gap_kind(gap: str) -> tuple[bool, bool, bool]:
    kind = (_CLAUSE_GAP.search(gap) is not None, _BOUNDARY_GAP.search(gap) is not None,
            _ABBREVIATION_GAP.match(gap) is not None)
    if len(_GAP_KINDS) >= 4096:
        _GAP_KINDS.clear()
    _GAP_KINDS[gap] = kind
    return kind


class _Bounds:
    """Where clauses end in a text: the words preceded by a full stop, a bracket... (`stops`), or also a comma."""

    __slots__ = ("clauses", "stops")

    def __init__(self, tokens: Tokens) -> None:
        # one pass: a gap that ends a sentence also ends a clause, and the abbreviation exception is the same
        gaps, lows, words = tokens.gaps, tokens.lows, tokens.words
        stops: list[int] = []
        clauses: list[int] = []
        kinds = _GAP_KINDS
        for i in [i for i, g in enumerate(gaps) if g != " "]:
            g = gaps[i]
            clause, boundary, abbreviation = kinds.get(g) or _gap_kind(g)
            if not clause:
                continue
            # "C.C., WPK" and "U.S." are abbreviations, not the end of a clause
            if abbreviation and i > 0 and len(lows[i - 1]) == 1 and words[i - 1][0].isupper():
                continue
            clauses.append(i)
            if boundary:
                stops.append(i)
        self.stops = frozenset(stops)
        self.clauses = frozenset(clauses)


def _initial(tokens: Tokens, j: int) -> bool:
    """Whether word j is an initial of a name ("A. B. Bardhan", "Robert G. Mugabe"): one capital letter, then ". "
    and a capitalised word."""
    w = tokens.words[j]
    return len(w) == 1 and w.isupper() and j + 1 < len(tokens) and tokens.gaps[j + 1] == ". " and tokens.caps[j + 1]


def _name_runs(tokens: Tokens, taken: set[int]) -> list[tuple[int, int]]:
    """Runs of capitalised words that may be a name: two to six words, or one word followed by ", " (checked by
    the caller against a title after it)."""
    runs: list[tuple[int, int]] = []
    caps, lows, gaps = tokens.caps, tokens.lows, tokens.gaps
    n = len(tokens)
    free = 0  # runs do not overlap: the next one starts here or later
    for i in compress(range(n), caps):  # a run starts with a capital
        if i < free:
            continue
        j = i
        while j < n and j not in taken:
            if j > i:
                g = gaps[j]
                if not ((g == " " and caps[j]) or g == "-" or (g == ". " and _initial(tokens, j - 1))):
                    break
            elif not caps[j]:
                break
            if not _initial(tokens, j) and (lows[j] in _STOP or not lows[j].isalpha()):
                break
            j += 1
        if j - i >= 2 or (j - i == 1 and len(lows[i]) > 2 and j < n and gaps[j] == ", "):
            runs.append((i, min(j, i + 6)))
        free = max(j, i + 1)
    return runs


def find_people(text: str, gaz: Gazetteer, when: date | None, *, unknown: bool = True) -> Found:
    """People of `text` (folded or not): gazetteer names anywhere, unknown names only next to a title."""
    text = fold(text)
    tokens = tokenize(text)
    matches = gaz.lexicon.scan(tokens)
    titles = [m for m in matches if m.kind == "title"]
    countries = [m for m in matches if m.kind == "country"]
    names = [m for m in matches if m.kind == "name" and not _other_bearer(tokens, m, gaz)]
    # countries preceded by "anti-" ("anti-Japanese war") do not name a state taking part in anything
    countries = [m for m in countries if not (m.first > 0 and tokens.lows[m.first - 1] == "anti")]
    country_at = {i: m for m in countries for i in range(m.first, m.last)}
    title_start = {m.first: k for k, m in enumerate(titles)}
    taken = {i for m in (*titles, *countries, *names) for i in range(m.first, m.last)}

    people: list[Person] = []
    for m in names:
        official = gaz.names[m.key]
        if not gaz.present(official, when):
            continue  # a leader of the past (Kim Il Sung in a 2012 item) named in passing
        people.append(Person(official, m.first, m.last, True))
    if unknown:
        for a, b in _name_runs(tokens, taken):
            people.append(Person(canonical_form(tokens.between(a, b)), a, b, False))
    people.sort(key=lambda p: p.first)
    starts = [p.first for p in people]

    n_tok = len(tokens)
    bounds = _Bounds(tokens)
    title_country, title_rank = _resolve_titles(tokens, bounds, titles, country_at, gaz)
    kept: list[Person] = []
    for p in people:
        after = bisect_right(starts, p.first)  # the next person's start (people are sorted by start)
        nxt = starts[after] if after < len(starts) else n_tok
        p.titles = _attached(tokens, bounds, p, nxt, title_start)
        if p.last < n_tok and tokens.lows[p.last] in _DENOUNCED:
            continue  # "the Lee Myung Bak group of traitors": a name in a denunciation, not a person present
        if not p.known and not p.titles and not (p.last - p.first >= 2 and (
                _led_by(tokens, p.first) or _role_after(tokens, p.last))):
            continue
        if not p.known and p.last - p.first == 1 and not _title_after(tokens, p, title_start):
            continue  # one capitalised word is a name only with its title after it ("Vishwanath, director ...")
        if p.titles:
            p.rank = min((title_rank[k] for k in p.titles), key=rank_order)
            p.country = next((title_country[k] for k in p.titles if title_country.get(k)), "")
        if p.known:
            p.country = gaz.country_of(p.name) or p.country
            if not p.titles or p.name == "Kim Jong Un":
                p.rank = gaz.rank_of(p.name, when)
        kept.append(p)
    return Found(text, tokens, kept, titles, countries, title_country, title_rank)


def _other_bearer(tokens: Tokens, m: Match, gaz: Gazetteer) -> bool:
    """Whether a surname alone known to the gazetteer ("Enkhbold") belongs here to someone else: it follows an
    initial that is not the official's ("Z. Enkhbold")."""
    if m.last - m.first != 1 or m.first == 0:
        return False
    prev = tokens.words[m.first - 1]
    if tokens.gaps[m.first] != ". " or len(prev) != 1 or not prev.isupper():
        return False
    given = gaz.names[m.key].split()
    return len(given) > 1 and not given[0].lower().startswith(prev.lower())


_LED = frozenset({"led", "headed"})
_DENOUNCED = frozenset({"group", "regime", "clique", "gang", "puppets", "traitors", "junta"})


def _led_by(tokens: Tokens, first: int) -> bool:
    """Whether a name follows "led by" / "headed by", perhaps after a few words of title ("headed by Deputy Leader
    X", "led by its acting Mayor X")."""
    lows = tokens.lows
    for j in range(first - 1, max(first - 6, 0), -1):
        if lows[j] == "by" and lows[j - 1] in _LED:
            return True
        if tokens.gaps[j + 1].strip():
            return False
    return False


_ROLES = frozenset({"member", "members", "director", "head", "chairman", "chairwoman", "chairperson", "president",
                    "secretary", "leader", "deputy", "vice", "general", "minister", "ambassador", "mayor", "governor",
                    "editor", "professor", "representative", "senator", "founder", "coordinator", "chief", "honorary",
                    "former", "executive", "special", "adviser", "advisor"})


def _role_after(tokens: Tokens, last: int) -> bool:
    """Whether a name is followed by ", " and a word of a role ("Lena Hart, member of the European Parliament")."""
    return last < len(tokens) and tokens.gaps[last] == ", " and tokens.words[last] in _ROLES


def _title_after(tokens: Tokens, p: Person, title_start: dict[int, int]) -> bool:
    """Whether a title follows the name right after its comma ("Vishwanath, director-general of ...")."""
    return any(title_start.get(j) in p.titles for j in range(p.last, min(p.last + 3, len(tokens))))


def _resolve_titles(tokens: Tokens, bounds: _Bounds, titles: list[Match], country_at: dict[int, Match],
                    gaz: Gazetteer) -> tuple[dict[int, str], dict[int, str]]:
    """The country each title belongs to ("Russian Foreign Minister", "premier of ... China") and its rank."""
    title_country: dict[int, str] = {}
    title_rank: dict[int, str] = {}
    n = len(tokens)
    lows = tokens.lows
    clauses = bounds.clauses
    title_firsts = {x.first for x in titles}
    for k, t in enumerate(titles):
        info = gaz.titles[t.key]
        country = ""
        statelike = False
        # a state word right before the title: "Russian President", "Lao National Assembly President"
        for j in range(t.first - 1, max(t.first - 3, -1), -1):
            if j + 1 in clauses:
                break
            if j in country_at:
                country = gaz.countries[country_at[j].key].name
                statelike = True
                break
        # or in the tail: "premier of the State Council of the People's Republic of China"
        party = False
        if not country:
            j = t.last
            while j < min(n, t.last + 12):
                if j in clauses or lows[j] in _VERBS:
                    break
                if j > t.last and j in title_firsts:
                    break
                if j in country_at:
                    country = gaz.countries[country_at[j].key].name
                    statelike = True
                    break
                if lows[j] in _STATE_WORDS and j > t.last:
                    statelike = True
                if lows[j] == "party":
                    party = True  # "president of the Socialist Party of X": a party's office, not the state's
                j += 1
        title_country[k] = country
        rank = info.rank if (statelike or not info.needs_state) else "other"
        if party and rank in _TOP:
            rank = "party_leader"
        if rank == "party_leader" and country and country not in ONE_PARTY:
            rank = "other"  # the leader of a party of a state where parties compete: not known to rule
        title_rank[k] = rank
    return title_country, title_rank


def _attached(tokens: Tokens, bounds: _Bounds, p: Person, nxt: int, title_start: dict[int, int]) -> list[int]:
    """Title matches that describe person p: "X, minister of ..." after, or "Foreign Minister X" before."""
    out: list[int] = []
    n = len(tokens)
    lows = tokens.lows
    # after: "Name, title of ... and title of ..." up to a verb, the next person or the end of the clause
    if p.last < n and tokens.gaps[p.last].strip() == ",":
        stops = bounds.stops
        j = p.last
        end = min(n, nxt)
        while j < end:
            if j > p.last and (j in stops or lows[j] in _VERBS):
                break
            if j in title_start:
                out.append(title_start[j])
            j += 1
    # before: "Russian Foreign Minister Name", "Vice-Minister of Defence Name"
    clauses = bounds.clauses
    j = p.first - 1
    steps = 0
    while j >= 0 and steps < 10:
        if j + 1 in clauses or lows[j] in _VERBS:
            break
        if j in title_start:
            out.append(title_start[j])
        j -= 1
        steps += 1
    return out


def best_rank(people: list[Person]) -> str | None:
    """The highest rank among people (None when nobody has one)."""
    ranks = [p.rank for p in people if p.rank]
    return min(ranks, key=rank_order) if ranks else None


def is_high(rank: str | None) -> bool:
    """Whether a rank is minister or above."""
    return rank in HIGH_RANKS


def foreign(people: list[Person]) -> list[Person]:
    """People of a known country other than the DPRK."""
    return [p for p in people if p.country and p.country != DPRK]
