"""A grammar of offices: the rank of an official read from the words of the title, without any list of names.

`find_offices` reads every office phrase of a text ("president of the Presidium of the Supreme People's
Assembly", "Lao Foreign Minister", "member of the Political Bureau of the CC of the CPC") and gives its rank,
the single-holder office it names, the words naming its state or party as written, and whether it is a DPRK
office by its own name. The text is read once, word by word: a head word (president, minister, secretary,
member, ...) is looked up in a table, then a bounded number of words on each side are read (the modifiers
on the left, the chain of "of ..." complements on the right). The cost is linear in the length of the text.

`ruling_party` (from monitor.classify.parties) tells whether a party was in power at a date.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate

from monitor.classify.parties import find_party, ruling_party

__all__ = ["RANKS", "Office", "find_offices", "find_party", "is_high", "ruling_party"]

RANKS = ("head_of_state", "head_of_government", "party_leader", "vice_head_of_state", "politburo",
         "parliament_chair", "minister", "vice_minister", "ambassador", "director", "other")
_HIGH = frozenset(RANKS[:7])


@dataclass(frozen=True)
class Office:
    """One office phrase of a text, with the rank its words give.

    `start`/`end`: the span of `phrase` in the text given. `rank`: one of RANKS (the first seven are minister
    rank or above). `office`: the single-holder office named (head_of_state, head_of_government, party_leader,
    foreign_minister, defence_minister, parliament_chair), None for other ranks and plural titles. `state`: the
    words naming the state or party the office belongs to, as written ("Lao", "of the Republic of Cuba", "of
    the Communist Party of China"), None when the phrase carries none (a bare "Premier" or "President": the
    caller decides what a stateless title means). `dprk`: a DPRK office by its own words (SPA, WPK, NDC, KPA,
    State Affairs, the Cabinet, People's Armed Forces, DPRK). `party`: the party's name as written, for posts
    in a party.
    """

    start: int
    end: int
    phrase: str
    rank: str
    office: str | None
    state: str | None
    dprk: bool
    party: str | None


def is_high(rank: str) -> bool:
    """Whether `rank` is minister rank or above (high level by the labelling guide)."""
    return rank in _HIGH


# ---------------------------------------------------------------- vocabulary (words of titles and organs, no people)
def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# head word (folded, lower case, apostrophes dropped) -> (canonical head, plural)
_HEADS: dict[str, tuple[str, bool]] = {}


def _heads(head: str, singular: str, plural: str = "") -> None:
    for w in singular.split():
        _HEADS[w] = (head, False)
    for w in plural.split():
        _HEADS[w] = (head, True)


_heads("president", "president vicepresident", "presidents")
_heads("chairman", "chairman chairperson chairwoman chair", "chairmen chairpersons chairwomen")
_heads("premier", "premier vicepremier", "premiers")
_heads("minister", "minister", "ministers")
_heads("secretary", "secretary", "secretaries")
_heads("member", "member", "members")
_heads("monarch", "king queen emir amir sultan emperor empress monarch", "kings queens")
_heads("duke", "duke duchess")
_heads("prince", "prince")
_heads("governor", "governor", "governors")
_heads("chancellor", "chancellor")
_heads("speaker", "speaker", "speakers")
_heads("leader", "leader", "leaders")
_heads("head", "head")
_heads("director", "director", "directors")
_heads("ambassador", "ambassador", "ambassadors")
_heads("charge", "charge", "charges")
_heads("consul", "consul", "consuls")
_heads("envoy", "envoy", "envoys")
_heads("marshal", "marshal", "marshals")
_heads("general", "general", "generals")
_heads("commander", "commander")
_heads("pm", "pm")
_heads("taoiseach", "taoiseach")
_heads("councilor", "councilor councillor", "councilors councillors")

_HEAD_WORDS = frozenset(_HEADS)
# qualifiers written before the head word
_QUALS = _set("under parliamentary eternal honor honour vice deputy first acting interim alternate honorary "
              "assistant general prime grand supreme crown sovereign former ex late permanent press special chief "
              "executive junior senior colonel lieutenant major brigadier field reigning")
_PAST = _set("former ex late honorary honor honour eternal")  # not (or no longer) an office held in person
_VICE = _set("vice deputy assistant under")
# words that end a phrase on either side (verbs and function words of headlines and leads, titles of address)
_STOP = _set(
    "of the a an and or but with to from for by on in at as into onto between among upon about after before during "
    "that which who whom whose this these those his her its their our my your he she it they we i is are was were "
    "be been being has have had will would shall should can could may might must not no yes so than then also "
    "meets meet met meeting meetings receives receive received reception receptions greets greet greeted "
    "greeting greetings visits visit visited visiting calls call called hosts host hosted honours honors "
    "honoured honored sends send sent congratulates congratulate congratulations thanks thank hopes hope "
    "hoped supports support supported praises praise praised says say said tells tell told welcomes welcome "
    "welcomed hails hail hailed lauds laud invites invite invited pays pay paid gives give given gave held "
    "hold holds arrives arrive arrived leaves leave left returns return returned talks talk talked speech "
    "message messages letter letters gift gifts reply replies condolence condolences banquet banquets "
    "luncheon dinner credentials delegation delegations presents present presented accepts accept accepted "
    "expresses express expressed stresses stress stressed notes note noted urges urge urged calls "
    "answers answered conveys conveyed hands handed delivers delivered extends extended offers offered wishes "
    "mourns condoles salutes backs denounces slams blasts flays rejects accuses voices reiterates appreciates "
    "admires awards awarded confers conferred decorates addresses speaks spoke interviews interviewed quotes "
    "cites cited names named appoints dismisses elects tours toured inspects inspected attends attended watches "
    "watched opens opened gets got takes took becomes became asks asked stresses notes "
    "appointed elected reelected headed led posted new newly outgoing incoming visitor visitors guest guests party's "
    "mr mrs ms dr madame comrade comrades excellency respected dear beloved esteemed "
    "today yesterday tomorrow monday tuesday wednesday thursday friday saturday sunday "
    "january february march april may june july august september october november december "
    "kcna here there when where while if because since until")
# multi-word (and single-word) organ phrases -> (kind, DPRK office by its own name)
_ORGANS: dict[tuple[str, ...], tuple[str, bool]] = {}


def _organs(kind: str, phrases: str, dprk: bool = False) -> None:
    for p in phrases.split(","):
        _ORGANS[tuple(p.split())] = (kind, dprk)


_organs("parliament", "national assembly,peoples assembly,assembly,national peoples congress,npc,congress,"
        "state duma,duma,federation council,great hural,state great hural,hural,khural,majlis,majilis,mazhilis,"
        "senate,parliament,diet,national diet,sejm,knesset,rada,verkhovna rada,bundestag,storting,riksdag,"
        "folketing,althing,eduskunta,cortes,house of representatives,house of commons,house of lords,"
        "house of councillors,house of the people,chamber of deputies,national council,legislative assembly,"
        "legislative council,supreme soviet,supreme council,national peoples assembly,consultative assembly,"
        "peoples consultative assembly,shura council,congress of deputies,house,legislature,lok sabha,"
        "rajya sabha,national parliament,peoples majlis,oliy majlis,jogorku kenesh,mejlis,peoples congress")
_organs("parliament", "supreme peoples assembly,spa", dprk=True)
_organs("presidium", "presidium")
_organs("politburo", "political bureau,politburo,politbureau")
_organs("cc", "central committee,cc")
_organs("standing_committee", "standing committee,permanent committee")
_organs("secretariat", "secretariat")
_organs("state_council", "state council,council of state,councils of state and ministers,presidential council,"
        "state peace and development council,state law and order restoration council,revolutionary command council,"
        "sovereign council,sovereignty council,supreme council of the armed forces,national authority")
_organs("state_council", "central peoples committee", dprk=True)
_organs("council_of_ministers", "council of ministers,cabinet of ministers,government,federal government")
_organs("council_of_ministers", "administration council", dprk=True)
_organs("cabinet", "cabinet")
_organs("state_affairs", "state affairs,state affairs commission,sac", dprk=True)
_organs("ndc", "national defence commission,national defense commission,ndc", dprk=True)
_organs("cmc", "central military commission,military commission")
_organs("party", "party,workers party,movement,communist league,league of communists,national congress,"
        "liberation front,patriotic front,popular front,national front,national liberation front")
_organs("party", "wpk,kwp,workers party of korea,korean workers party", dprk=True)
_organs("military", "army,armed forces,navy,air force,peoples army,peoples liberation army,pla")
_organs("military", "kpa,korean peoples army", dprk=True)
_organs("state", "dprk,democratic peoples republic of korea,north korea,north korean", dprk=True)
_organs("org", "association,society,group,university,college,academy,institute,institution,foundation,company,"
        "corporation,bank,court,red cross,red crescent,committee,commission,agency,office,department,bureau,"
        "ministry,school,club,centre,center,council,organisation,organization,federation,confederation,union,"
        "chamber,troupe,ensemble,team,delegation,embassy,mission,consulate,newspaper,station,hospital,province,"
        "city,county,region,district,prefecture,municipality,authority,fund,board,general assembly,"
        "united nations,nations,forum,network,circle,trust,cooperative,enterprise,complex,works,firm,branch,"
        "chapter,headquarters,command,service,press,daily,journal,magazine,television,radio,agency,studio,"
        "museum,library,hotel,airline,airport,railway,exchange,general staff,staff,secretariat of the un,"
        "institutes,associations,societies,groups,committees,federations,unions,companies,universities,"
        "youth league,womens union,red cross society,chamber of commerce,party committee,club,circle,"
        "study group,friendship group,friendship association,solidarity committee,front,fatherland front,"
        "non aligned movement,front for national construction,front for the reunification of the fatherland")
# the state itself, when a phrase names it by its form ("the Republic of Cuba", "the Kingdom of Cambodia")
_organs("state", "republic,kingdom,emirates,united states,principality,sultanate,state,commonwealth,jamahiriya,"
        "soviet union,union of myanmar,russian federation,grand duchy,islamic republic,peoples republic,"
        "democratic republic,federal republic,socialist republic,arab republic,united kingdom,swiss confederation")
# these end words take an "of X" that belongs to the same name ("Republic of Cuba", "Communist Party of China")
_MERGE_OF = _set("republic kingdom principality sultanate state commonwealth emirates union duchy party korea "
                 "jamahiriya")
# the longest organ phrase beginning with each word
_ORGAN_LENGTH: dict[str, int] = {}
for _phrase in _ORGANS:
    _ORGAN_LENGTH[_phrase[0]] = max(_ORGAN_LENGTH.get(_phrase[0], 0), len(_phrase))

# subjects of ministers and secretaries ("minister of X", "X minister")
_FOREIGN = frozenset({("foreign",), ("foreign", "affairs"), ("external", "affairs"), ("external", "relations"),
                      ("foreign", "relations"), ("international", "relations"), ("foreign", "trade", "affairs")})
_DEFENCE = frozenset({("defence",), ("defense",), ("national", "defence"), ("national", "defense"),
                      ("peoples", "armed", "forces"), ("armed", "forces"), ("war",), ("peoples", "defence"),
                      ("defence", "affairs"), ("defense", "affairs")})
_DOMAIN = _set(
    "foreign affairs external relations international defence defense national peoples armed forces war trade "
    "commerce industry industries agriculture forestry fisheries fishery culture cultural education health "
    "public finance financial economy economic economics planning justice interior internal home labour labor "
    "energy mines mining oil petroleum gas power electric electricity transport transportation communication "
    "communications railways railway construction building land environment environmental tourism sports sport "
    "physical youth information security social welfare science sciences technology higher state investment "
    "development cooperation water resources natural urban rural housing posts telecommunications chemical "
    "metal metallurgical machine light heavy food procurement shipping maritime marine aviation women family "
    "children religious veterans immigration treasury exchequer overseas portfolio without mineral minerals "
    "coal nuclear atomic digital media press propaganda ideology organisational organizational land "
    "protection affairs relations unification reunification emergency disaster management production supply "
    "crops livestock telecommunication post trade fishing shipbuilding electronics")
# lower-case words allowed inside a phrase of running prose (the vocabulary of titles)
_LOWER_OK = _DOMAIN | _set("vice deputy first acting interim alternate honorary assistant general prime grand supreme "
                           "presidium political bureau central committee standing party council state government "
                           "national assembly workers peoples revolutionary socialist communist democratic republic "
                           "kingdom federation affairs commission cabinet army secretariat member members "
                           "politburo permanent executive chief special senior junior elect designate federal")

_LOWER_OK |= frozenset(k[0] for k in _ORGANS if len(k) == 1)
_DPRK_WORDS = _set("dprk wpk kwp spa ndc kpa")
_DASH_SUFFIX = _set("general elect designate")  # secretary-general, president-elect, ambassador-designate
_COUNSELLOR = _set("councilor counsellor counselor councillor counsel")

_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")
_SPLIT = re.compile(r"([A-Za-z0-9]+(?:'[A-Za-z0-9]+)*)")
_DOTTED = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\. ?[A-Za-z](?![A-Za-z0-9])")  # "D.P.R.K.", "U.S.", "C. C."
_LONG = re.compile(r"(?<![A-Za-z0-9'])[A-Za-z][A-Za-z]{3}")  # a word of four letters or more (its start)
_LONG_CAPITALISED = re.compile(r"(?<![A-Za-z0-9'])[A-Z][A-Za-z]{3}")
_TRANSLATE = {0x2019: "'", 0x2018: "'", 0x02BC: "'", 0x2032: "'", 0x0060: "'", 0x00B4: "'", 0x2013: "-",
              0x2014: "-", 0x2010: "-", 0x2011: "-", 0x2012: "-", 0x00A0: " "}


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    """One character made ASCII where it has an ASCII base letter (the length of the text never changes)."""
    t = _TRANSLATE.get(ord(c))
    if t is not None:
        return t
    base = unicodedata.normalize("NFKD", c)[:1]
    return base if base.isascii() and base.isalpha() else c


def _fold(text: str) -> str:
    """The text with accents and typographic quotes and dashes made ASCII, character for character."""
    if text.isascii():
        return text
    return "".join(c if c < "\x80" else _fold_char(c) for c in text)


class _Tokens:
    """The words of a text: spans, lower-case keys (apostrophes dropped), capitals and the gaps between them."""

    __slots__ = ("hyphen", "join", "keys", "n", "prose", "spans", "words")

    def __init__(self, text: str) -> None:
        folded = _fold(text)
        parts = _SPLIT.split(folded)  # gap, word, gap, word, ..., gap (the split runs in C)
        words = parts[1::2]
        gaps = parts[2:-1:2]  # gaps[i]: the characters between word i and word i+1
        offsets = list(accumulate(map(len, parts)))
        self.spans = list(zip(offsets[0::2], offsets[1::2], strict=False))
        self.words = words
        self.keys = " ".join(words).lower().replace("'", "").split(" ") if words else []
        self.n = 0
        self.join: list[bool] = []
        self.hyphen: list[bool] = []
        self.prose = False
        if _HEAD_WORDS.isdisjoint(self.keys):
            return  # no office in this text: nothing more to read
        if _DOTTED.search(folded) is not None:
            gaps = self._dotted(words, gaps)
        self.n = len(self.keys)
        # join[i]: word i follows word i-1 inside one phrase (only blanks, hyphens or an apostrophe between)
        # (an initial's full stop joins too: "S. Korean", "N. Korea")
        self.join = [False, *[g == " " or (len(g) <= 3 and not g.strip(" -'")) or (g == ". " and len(w) == 1)
                              for w, g in zip(words, gaps, strict=False)]]
        self.hyphen = [False, *[g == "-" for g in gaps]]  # "Guinea-Bissau"
        # running prose (mixed case): capitals tell names from words; a headline in title or lower case does not
        capitalised = len(_LONG_CAPITALISED.findall(folded))
        self.prose = 0 < capitalised < 0.75 * len(_LONG.findall(folded))

    def _dotted(self, words: list[str], gaps: list[str]) -> list[str]:
        """Letters written with full stops ("D.P.R.K.", "U.S.") made one word; the gaps left between the words."""
        new_words: list[str] = []
        new_spans: list[tuple[int, int]] = []
        new_gaps: list[str] = []
        spans = self.spans
        i = 0
        n = len(words)
        while i < n:
            j = i
            while j < n - 1 and len(words[j]) == 1 and gaps[j] in (".", ". ") and len(words[j + 1]) == 1:
                j += 1
            new_words.append("".join(words[i:j + 1]) if j > i else words[i])
            end = spans[j][1]
            if j < n - 1:
                gap = gaps[j]
                if j > i and gap[:1] == ".":  # "U.S. Secretary": the full stop is the abbreviation's
                    gap = gap[1:]
                    end += 1
                new_gaps.append(gap)
            new_spans.append((spans[i][0], end))
            i = j + 1
        words[:] = new_words
        self.spans = new_spans
        self.keys = " ".join(new_words).lower().replace("'", "").split(" ")
        return new_gaps


# ---------------------------------------------------------------- noun phrases
@dataclass
class _NP:
    """A run of words naming an organ, a state, a party or a subject."""

    first: int  # first word (after "the")
    last: int  # one past the last word
    link: int  # the word "of"/"for" before it (the first word for a phrase on the left)
    words: tuple[str, ...]
    kinds: list[str]  # organ kinds, the outermost first ("NPC Standing Committee": standing_committee, parliament)
    matches: list[tuple[int, int, str]]  # the organ phrases found, left to right: (first, last, kind)
    dprk: bool
    domain: str | None  # "foreign", "defence" or "other" for the subject of a minister
    prefix_end: int  # words first..prefix_end-1 stand before the first organ or subject word
    unknown: int  # words outside the vocabulary


def _match_organ(keys: list[str], i: int, last: int) -> tuple[int, str, bool] | None:
    """The longest organ phrase starting at word i (not past `last`): (its end, kind, dprk)."""
    longest = _ORGAN_LENGTH.get(keys[i], 0)
    if not longest:
        return None
    best: tuple[int, str, bool] | None = None
    for n in range(1, min(longest, last - i) + 1):
        hit = _ORGANS.get(tuple(keys[i:i + n]))
        if hit is not None:
            best = (i + n, hit[0], hit[1])
    return best


def _domain_of(words: tuple[str, ...]) -> str | None:
    """The subject of a minister named by `words` ("foreign", "defence", "other"), when all are subject words."""
    words = tuple(w for w in words if w != "and")
    if not words or not all(w in _DOMAIN for w in words):
        return None
    for n in (len(words), 3, 2, 1):
        if words[-n:] in _FOREIGN or words[:n] in _FOREIGN:
            return "foreign"
        if words[-n:] in _DEFENCE or words[:n] in _DEFENCE:
            return "defence"
    return "other"


def _analyse(tok: _Tokens, first: int, last: int, link: int) -> _NP:
    """The organs, subject and prefix of the words first..last-1."""
    keys = tok.keys
    words = tuple(keys[first:last])
    joined = " ".join(words)
    dprk = "peoples armed forces" in joined or any(k in _DPRK_WORDS for k in words)
    domain = _domain_of(words)
    whole = _ORGANS.get(words)
    if domain is not None and whole is None:  # "Foreign Affairs", "People's Armed Forces" (not "State Affairs")
        return _NP(first, last, link, words, [], [], dprk, domain, first, 0)
    matches: list[tuple[int, int, str]] = []
    i = first
    while i < last:
        hit = _match_organ(keys, i, last) if keys[i] not in ("of", "the", "and") else None
        if hit is None:
            i += 1
            continue
        end, kind, d = hit
        matches.append((i, end, kind))
        dprk = dprk or d
        i = end
    prefix_end = matches[0][0] if matches else last
    j = prefix_end
    while j > first and keys[j - 1] in _DOMAIN:
        j -= 1
    if j < prefix_end:
        domain = _domain_of(tuple(keys[j:prefix_end]))
        if domain is not None:
            prefix_end = j
    if domain is None and matches and matches[-1][1] < last:
        domain = _domain_of(tuple(keys[matches[-1][1]:last]))  # "DPRK Foreign", "Lao Trade"
    unknown = sum(1 for k in keys[first:prefix_end] if k not in _LOWER_OK and k not in ("of", "the", "and"))
    kinds = [m[2] for m in reversed(matches)]
    if not matches and domain is None and unknown:
        kinds = ["state"]
    return _NP(first, last, link, words, kinds, matches, dprk, domain, prefix_end, unknown)


def _word_ok(tok: _Tokens, i: int) -> bool:
    """Whether word i may stand inside a title phrase."""
    k = tok.keys[i]
    if k in _STOP or k.isdigit():
        return False
    return not tok.prose or tok.words[i][0].isupper() or k in _LOWER_OK


def _after_of(tok: _Tokens, i: int, limit: int) -> int:
    """Past "of [the]" at word i when that "of" continues a name ("Republic of Cuba"), else i."""
    keys = tok.keys
    if i + 1 < limit and keys[i] == "of" and keys[i - 1] in _MERGE_OF and tok.join[i] and tok.join[i + 1]:
        i += 1
        if i + 1 < limit and keys[i] == "the" and tok.join[i + 1]:
            i += 1
    return i


def _np_right(tok: _Tokens, start: int, minister: bool) -> _NP | None:
    """The noun phrase after the link word at `start - 1` ("of the Lao National Assembly"), or None."""
    keys = tok.keys
    limit = tok.n
    i = start
    if i + 1 < limit and keys[i] == "the" and tok.join[i + 1]:
        i += 1
    first = i
    run = -1  # the first word of the run of unknown words since the last organ word or "of"
    run_words = 0
    closed = False  # an organ was named and no "of" continues its name: a name after it is not part of it
    subject = False  # a minister's subject was named ("Foreign Trade"): a name after it is not part of it
    while i < limit and i - first < 10 and (i == first or tok.join[i]):
        hit = _match_organ(keys, i, limit)
        k = keys[i]
        if hit is not None:
            i = _after_of(tok, hit[0], limit)
            closed = i == hit[0]
            run, run_words = -1, 0
            continue
        if k == "and" and minister and i > first and i + 1 < limit and keys[i + 1] in _DOMAIN:
            i += 1
            continue
        if k in _HEADS or ((closed or subject) and k not in _LOWER_OK):
            break
        subject = subject or k in _DOMAIN
        if not _word_ok(tok, i):
            break
        if k not in _LOWER_OK:
            if run < 0:
                run = i
            run_words += not tok.hyphen[i]
        i += 1
        if _after_of(tok, i, limit) > i:
            i = _after_of(tok, i, limit)
            closed = False
            run, run_words = -1, 0
    if run >= 0 and run_words >= 3:
        # a state's name and a person's name run together ("of China Wen Jiabao"): the state is the first word
        i = run + 1
        while i < limit and tok.hyphen[i]:
            i += 1
    if i == first:
        return None
    return _analyse(tok, first, i, start - 1)


# ---------------------------------------------------------------- the parse of one office
@dataclass
class _Parse:
    """The words of one office phrase: head, qualifiers, the phrase on its left and the chain on its right."""

    head: str
    plural: bool
    quals: set[str]
    left: _NP | None
    chain: list[_NP]
    first: int
    last: int
    suffix: set[str]  # words joined after the head: "general", "elect", "councilor", "plenipotentiary"


def _parse(tok: _Tokens, h: int, floor: int) -> _Parse | None:
    """The office phrase around head word h (never reaching before word `floor`), or None if h heads none."""
    keys = tok.keys
    n = tok.n
    head, plural = _HEADS[keys[h]]
    nxt = keys[h + 1] if h + 1 < n and tok.join[h + 1] else ""
    prev = keys[h - 1] if h > floor and tok.join[h] else ""
    if head == "general" and (nxt in _HEADS or nxt in ("assembly", "staff")):
        return None  # "general secretary", "General Assembly"
    if ((head == "charge" and nxt not in ("daffaires", "d")) or (head == "duke" and prev != "grand")
            or (head == "commander" and prev != "supreme") or (head == "head" and nxt != "of")):
        return None
    if head == "councilor" and prev != "state":
        return None  # only a state councilor is an office of its own ("minister councilor" is read with "minister")
    if head == "pm" and ((tok.prose and not tok.words[h][0].isupper()) or (h > 0 and keys[h - 1].isdigit())):
        return None  # "3 pm"
    last = h + 1
    suffix: set[str] = set()
    if head == "charge":
        last = h + 2 if nxt == "daffaires" else min(n, h + 3)
    if head == "ambassador" and keys[h + 1:h + 4] == ["extraordinary", "and", "plenipotentiary"] and all(
            tok.join[h + 1:h + 4]):
        last = h + 4
    while last < n and tok.join[last] and (keys[last] in _DASH_SUFFIX or (head == "minister" and (
            keys[last] in _COUNSELLOR or keys[last] == "plenipotentiary"))):
        if keys[last] == "general" and last + 1 < n and tok.join[last + 1] and keys[last + 1] in _HEADS:
            break
        suffix.add(keys[last])
        last += 1
    # the modifiers on the left
    left_first = h
    while left_first > floor and tok.join[left_first] and h - left_first < 7:
        k = keys[left_first - 1]
        if k not in _QUALS and (k in _HEADS or k in ("of", "the") or not _word_ok(tok, left_first - 1)):
            break
        left_first -= 1
    np_words = [i for i in range(left_first, h) if keys[i] not in _QUALS]
    left = None
    if np_words:
        left = _analyse(tok, np_words[0], np_words[-1] + 1, np_words[0])
        if left.kinds == ["state"] and left.unknown > 2 and np_words[-1] - np_words[0] == len(np_words) - 1:
            # a run of unknown words before the title: a name or a verb and the state word nearest the title
            # ("Kim Jong Un Answers Chinese President"); two words still name a state ("South African")
            left_first = np_words[-2]
            left = _analyse(tok, left_first, np_words[-1] + 1, left_first)
    quals = {k for k in keys[left_first:h] if k in _QUALS}
    # the chain of complements on the right
    chain: list[_NP] = []
    minister = head in ("minister", "secretary")
    j = last
    while j + 1 < n and len(chain) < 6 and tok.join[j] and tok.join[j + 1] and (
            keys[j] == "of" or (keys[j] == "for" and (minister or (chain and chain[-1].kinds[:1] == ["org"])))):
        np = _np_right(tok, j + 1, minister and (not chain or keys[j] == "for"))
        if np is None:
            break
        chain.append(np)
        j = np.last
    if chain:
        last = chain[-1].last
    return _Parse(head, plural, quals, left, chain, left_first, last, suffix)


_BODIES = _set("parliament presidium politburo cc standing_committee secretariat state_council council_of_ministers "
               "cabinet state_affairs ndc cmc party military org")
_PARTY_ORGANS = _set("cc politburo secretariat")
_CHAIRED_OFFICES = _set("committee commission agency bureau department office ministry council board authority")


def _kinds(p: _Parse) -> list[str]:
    """The organ kinds of the phrase, the one nearest the head first (the right side, then the left)."""
    out: list[str] = []
    for np in p.chain:
        out.extend(np.kinds)
    if p.left is not None:
        out.extend(p.left.kinds)
    return out


def _domain(p: _Parse) -> str | None:
    """The subject of a minister or secretary ("foreign", "defence", "other"), from either side."""
    found = [np.domain for np in ([*p.chain, p.left] if p.left is not None else p.chain) if np.domain is not None]
    for d in ("foreign", "defence"):
        if d in found:
            return d
    return found[0] if found else None


def _is_state_word(words: tuple[str, ...]) -> bool:
    """Whether a complement is "state" itself ("secretary of state", "head of state of X"), not a state's name."""
    return words[:1] == ("state",) and (len(words) == 1 or words[1] == "of")


def _body(kinds: list[str]) -> str | None:
    """The organ nearest the head, read as its owner says: the central committee of a society is a society's."""
    bodies = [k for k in kinds if k in _BODIES]
    if not bodies:
        return None
    body, owner = bodies[0], (bodies[1] if len(bodies) > 1 else None)
    if owner == "org" and body in ("cc", "politburo", "secretariat", "presidium", "standing_committee", "parliament"):
        return "org"
    if owner == "party" and body == "parliament":
        return "party"  # "the Supreme Council of the Socialist Party"
    return body


def _outer_organ(np: _NP) -> tuple[str, ...]:
    """The words of the outermost organ a phrase names ("Friendship Association" -> ("friendship", "association"))."""
    if not np.matches:
        return ()
    s, e, _ = np.matches[-1]
    return np.words[s - np.first:e - np.first]


def _state_level(vice: bool) -> tuple[str, str | None]:
    return ("vice_head_of_state", None) if vice else ("head_of_state", "head_of_state")


def _rank(p: _Parse) -> tuple[str, str | None] | None:
    """(rank, office) of a parsed phrase, or None when its words name no office after all."""
    head = p.head
    q = p.quals
    kinds = _kinds(p)
    body = _body(kinds)
    vice = bool(q & _VICE)
    if q & _PAST:
        return "other", None
    if head == "president":
        if body in ("presidium", "state_affairs", "state_council", "ndc") or body is None:
            return _state_level(vice)
        if body in ("parliament", "standing_committee"):
            return ("other", None) if vice else ("parliament_chair", "parliament_chair")
        if body in ("party", "cc"):
            return ("other", None) if vice else ("party_leader", "party_leader")
        if body in ("council_of_ministers", "cabinet"):
            return ("minister", None) if vice else ("head_of_government", "head_of_government")
        return "other", None
    if head == "chairman":
        return _chairman(p, kinds, body, vice)
    if head == "premier":
        return ("minister", None) if vice else ("head_of_government", "head_of_government")
    if head == "councilor":
        return "minister", None  # a state councilor ranks with the vice-premiers
    if head in ("taoiseach", "pm"):
        return ("minister", None) if vice else ("head_of_government", "head_of_government")
    if head == "minister":
        return _minister(p, body, vice)
    if head == "secretary":
        return _secretary(p, kinds, body, vice)
    if head == "member":
        if body is None:
            return None
        if "politburo" in kinds:
            inner = kinds[:kinds.index("politburo")]
            if all(k in ("presidium", "standing_committee") for k in inner):
                return "politburo", None
        return "other", None
    if head == "monarch":
        return ("other", None) if body in ("org", "party") or q & _set("crown") else _state_level(False)
    if head == "duke":
        return _state_level(False)
    if head == "prince":
        reigning = q & _set("sovereign reigning") or (p.chain and p.chain[0].kinds[:1] == ["state"])
        return ("other", None) if "crown" in q or not reigning else _state_level(False)
    if head == "governor":
        return _state_level(False) if "general" in p.suffix or "general" in q else ("other", None)
    if head == "chancellor":
        if vice or body == "org":
            return "other", None
        if p.chain and p.chain[0].domain is not None:
            return "minister", None  # chancellor of the exchequer
        return "head_of_government", "head_of_government"
    if head == "speaker":
        if vice or body == "org":
            return "other", None
        return ("parliament_chair", "parliament_chair") if body == "parliament" or p.chain else None
    if head == "leader":
        if "supreme" in q:
            return _state_level(False)
        if body in ("party", "cc") and not vice:
            return "party_leader", "party_leader"
        return ("other", None) if p.chain else None
    if head == "head":
        first = p.chain[0].words if p.chain else ()
        if _is_state_word(first):
            return _state_level(False)
        if first == ("government",):
            return "head_of_government", "head_of_government"
        if body in ("party", "cc"):
            return "party_leader", "party_leader"
        return ("director", None) if body == "org" else ("other", None)
    if head == "director":
        return ("other", None) if vice else ("director", None)
    if head in ("ambassador", "charge", "consul", "envoy"):
        return ("other", None) if vice else ("ambassador", None)
    if head == "commander":
        return "head_of_state", None
    if head == "general" and not (q & _set("colonel lieutenant major brigadier") or "military" in kinds):
        return None
    return "other", None  # marshals and generals


def _chairman(p: _Parse, kinds: list[str], body: str | None, vice: bool) -> tuple[str, str | None]:
    """Rank of a chairman (or chairperson, chair), from the organ chaired."""
    if body in ("state_affairs", "ndc", "state_council", "presidium"):
        return _state_level(vice)
    if body == "council_of_ministers":
        return ("minister", None) if vice else ("head_of_government", "head_of_government")
    if body == "cmc":
        return "politburo", None
    if body == "standing_committee":
        owner = next((k for k in kinds[kinds.index("standing_committee") + 1:] if k in _BODIES), None)
        if owner == "politburo":
            return "politburo", None
        if owner in (None, "parliament"):
            return ("other", None) if vice else ("parliament_chair", "parliament_chair")
        return "other", None
    if body == "parliament":
        return ("other", None) if vice else ("parliament_chair", "parliament_chair")
    if body in ("cc", "party"):
        if vice:
            # the WPK's vice-chairmen of its CC (2016-2021) held the rank of its CC secretaries; elsewhere the
            # title is a party's deputy leader, below the Political Bureau
            return ("politburo", None) if body == "cc" and _dprk(p, None) else ("other", None)
        return "party_leader", "party_leader"
    if body == "org" and not vice:
        np = p.chain[0] if p.chain else p.left
        organ = _outer_organ(np) if np is not None else ()
        if organ[-1:] and organ[-1] in _CHAIRED_OFFICES and "friendship" not in organ:
            return "director", None
    return "other", None


def _minister(p: _Parse, body: str | None, vice: bool) -> tuple[str, str | None]:
    """Rank of a minister: prime minister, vice-minister, minister-counsellor, foreign or defence minister."""
    q = p.quals
    if p.suffix & _COUNSELLOR:
        return "other", None  # a diplomat's rank
    if "plenipotentiary" in p.suffix:
        return "ambassador", None
    if "prime" in q:
        return ("minister", None) if vice else ("head_of_government", "head_of_government")
    if "chief" in q:
        return "other", None  # the head of a province's government
    dom = _domain(p)
    if body == "org" and dom is None:
        return "other", None  # "minister of the embassy"
    if vice:
        return "vice_minister", None
    return "minister", {"foreign": "foreign_minister", "defence": "defence_minister"}.get(dom or "")


def _secretary(p: _Parse, kinds: list[str], body: str | None, vice: bool) -> tuple[str, str | None]:
    """Rank of a secretary: general or first secretary, CC secretary, secretary of state, foreign secretary."""
    q = p.quals
    if vice:
        return "other", None
    if "general" in p.suffix and "general" not in q and "first" not in q:
        # "secretary-general": a party's chief administrator (UMNO, LDP, ANC), not its leader, unless of a CC
        return ("party_leader", "party_leader") if body == "cc" else ("other", None)
    if "general" in q or "first" in q:
        if body in ("cc", "party", "politburo"):
            return "party_leader", "party_leader"
        if body is None and "general" in q and (not p.chain or p.chain[0].kinds == ["state"]):
            return "party_leader", "party_leader"  # "General Secretary To Lam", "General Secretary of the CPV"
        return "other", None
    if q & _set("executive permanent press chief parliamentary"):
        return "other", None
    if p.chain and _is_state_word(p.chain[0].words):
        dom = p.chain[1].domain if len(p.chain) > 1 else None
        return "minister", {"foreign": "foreign_minister", "defence": "defence_minister"}.get(dom or "foreign")
    if body == "cc" or (body == "party" and _dprk(p, None) and p.head == "secretary"):
        return "politburo", None  # "secretary of the CC of the WPK", "WPK secretary"
    dom = _domain(p)
    if dom is not None and body is None:
        return "minister", {"foreign": "foreign_minister", "defence": "defence_minister"}.get(dom)
    if body == "cabinet" and not p.chain:
        return "minister", None
    return "other", None


# ---------------------------------------------------------------- state, party, DPRK
def _text(text: str, tok: _Tokens, first: int, last: int) -> str:
    """The text of words first..last-1, as written."""
    return text[tok.spans[first][0]:tok.spans[last - 1][1]]


def _state_party(text: str, tok: _Tokens, p: _Parse, rank: str) -> tuple[str | None, str | None]:
    """The words naming the office's state (or party) and the party's name, as written."""
    # a party post names its party after "of" ("General Secretary of the CPV") unless the party stood on the left
    party_post = rank in ("party_leader", "politburo") and not (
        p.left is not None and any(m[2] == "party" for m in p.left.matches))
    end = p.chain[-1].last if p.chain else 0
    for idx, np in enumerate(p.chain):
        if np.words == ("state",):
            continue  # "secretary of state", "head of state"
        if _is_state_word(np.words):
            return _text(text, tok, np.first + 2, end), None  # "head of state of Ruritania"
        after_party_organ = idx > 0 and p.chain[idx - 1].kinds[:1] and p.chain[idx - 1].kinds[0] in _PARTY_ORGANS
        if "party" in np.kinds or (np.kinds == ["state"] and (after_party_organ or party_post)):
            # the party's name: its own words, not an organ of it named after them ("WPK Central Committee")
            k = next((k for k, m in enumerate(np.matches) if m[2] == "party"), -1)
            name_end = np.matches[k][1] if 0 <= k < len(np.matches) - 1 else np.last
            return _text(text, tok, np.link, end), _text(text, tok, np.first, name_end)
        if np.kinds[:1] == ["state"]:
            return _text(text, tok, np.link, end), _left_party(text, tok, p.left)
        if np.prefix_end > np.first and np.unknown:
            party = _text(text, tok, np.first, np.prefix_end) if np.kinds[:1] and np.kinds[0] in _PARTY_ORGANS \
                and "org" not in np.kinds else None
            return _text(text, tok, np.first, np.prefix_end), party
        inner = next((m for m in np.matches if m[2] == "state"), None)
        if inner is not None:
            return _text(text, tok, inner[0], inner[1]), None
    left = p.left
    if left is None:
        return None, None
    name = _left_party(text, tok, left)
    if name is not None:
        return name, name
    if left.prefix_end > left.first and left.unknown:
        words = _text(text, tok, left.first, left.prefix_end)
        organ_party = bool(left.kinds) and left.kinds[-1] in _PARTY_ORGANS
        return words, words if organ_party or (party_post and left.kinds in (["state"], [])) else None
    inner = next((m for m in left.matches if m[2] == "state"), None)
    return (_text(text, tok, inner[0], inner[1]), None) if inner is not None else (None, None)


def _left_party(text: str, tok: _Tokens, left: _NP | None) -> str | None:
    """The party named before the title ("Lao People's Revolutionary Party General Secretary"), or None."""
    if left is None:
        return None
    match = next((m for m in left.matches if m[2] == "party"), None)
    return _text(text, tok, left.first, match[1]) if match is not None else None


def _dprk(p: _Parse, state: str | None) -> bool:
    """Whether the phrase names a DPRK office by its own words (SPA, WPK, NDC, KPA, the Cabinet, ...)."""
    if (p.left is not None and p.left.dprk) or any(np.dprk for np in p.chain):
        return True
    return p.head == "premier" and state is None and "cabinet" in _kinds(p)


# ---------------------------------------------------------------- the grammar
def find_offices(text: str) -> list[Office]:
    """Every office phrase of `text`, left to right, with its rank read from its own words."""
    tok = _Tokens(text)
    keys = tok.keys
    out: list[Office] = []
    floor = 0
    i = 0
    while i < tok.n:
        if keys[i] not in _HEADS:
            i += 1
            continue
        p = _parse(tok, i, floor)
        ranked = _rank(p) if p is not None else None
        if p is None or ranked is None:
            i += 1
            continue
        rank, office = ranked
        if p.head == "envoy":
            p = _absorb(tok, p)  # "special envoy of the Chinese President": one office, the envoy's
        state, party = _state_party(text, tok, p, rank)
        if p.plural:
            office = None
        out.append(Office(tok.spans[p.first][0], tok.spans[p.last - 1][1], _text(text, tok, p.first, p.last),
                          rank, office, state, _dprk(p, state), party))
        floor = i = p.last
    return out


def _absorb(tok: _Tokens, p: _Parse) -> _Parse:
    """An envoy's phrase extended over "of [the] <office>" that names whom the envoy represents."""
    j = p.chain[0].link if p.chain else p.last
    keys = tok.keys
    if not (j + 1 < tok.n and keys[j] == "of" and tok.join[j] and tok.join[j + 1]):
        return p
    k = j + 1
    while k < tok.n and k - j < 6 and tok.join[k] and keys[k] not in _HEADS:
        k += 1
    if k < tok.n and tok.join[k] and keys[k] in _HEADS:
        inner = _parse(tok, k, j + 1)
        if inner is not None and inner.first > j:
            return _Parse(p.head, p.plural, p.quals, p.left, [], p.first, inner.last, p.suffix)
    return p
