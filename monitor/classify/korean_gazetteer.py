"""The Korean gazetteer: states, offices and officials in Hangul (monitor/data/korean.toml), found in a text in one
regular-expression pass and mapped to the canonical names of the English gazetteer."""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monitor.classify.gazetteer import DATA, OFFICES, RANKS, Gazetteer, GazetteerError

KOREAN = DATA / "korean.toml"

# what may follow a name or a state's name inside the same word: particles and the honorifics of this press
_PARTICLE_LIST = """
    이 가 은 는 을 를 의 와 과 도 만 에 에게 께 께서 께서는 께서도 과의 와의 에게서 으로 로 이며 이다 이였다
    이시며 등 측 님 씨 동지 동지께서 동지께서는 동지의 동지와 동지가 동지는 동지를 동지에게 동지께 동무 선생
    각하 녀사 동지께서와 께서와 들 들과 들을 들이 들은 들의 에서 에서는 에서의 으로부터 로부터 에는 에도 까지 과는
    와는 에서도 로서 으로서 사이 사이의 사이에 사이에서 간의"""
PARTICLES = frozenset(["", *_PARTICLE_LIST.split()])
# what may follow an ambiguous spelling of a state ("수단" is also "means"): a state's own words only
STATE_WORDS = ("공화국", "정부", "대통령", "주재", "대사", "대표단", "외무", "국가", "수상", "총리", "인민", "국왕",
               "왕국", "련방", "공산당", "로동당", "우호", "친선", "관계", "조약", "협정", "외교", "국경",
               "수뇌", "회담", "경제", "무역", "사이", "량국", "두 나라")
_HANGUL = re.compile(r"[\uac00-\ud7a3]")


def is_hangul(ch: str) -> bool:
    """Whether a character is a Hangul syllable."""
    return "\uac00" <= ch <= "\ud7a3"


@dataclass(frozen=True)
class Hit:
    """One phrase of the gazetteer found in a text: kind (country, title, name), the canonical value, where."""

    kind: str
    value: str
    start: int
    end: int
    written: str


def _trie_pattern(phrases: list[str]) -> str:
    """A regular expression matching any of `phrases`, longest first, built as a trie (fast in the re engine)."""
    trie: dict[str, Any] = {}
    for p in phrases:
        node = trie
        for ch in p:
            node = node.setdefault(ch, {})
        node[""] = True

    def emit(node: dict[str, Any]) -> str:
        end = "" in node
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if end:
            return "(?:" + body + ")?" if len(alts) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie)


@dataclass(frozen=True)
class KoreanTitle:
    """An office as written in Hangul, with its rank and (for "the X of state Y") its office."""

    rank: str
    office: str | None


class KoreanGazetteer:
    """Hangul spellings of states, offices and officials, mapped to the English gazetteer's canonical names."""

    def __init__(self, data: dict[str, Any], english: Gazetteer, source: str = "korean.toml") -> None:
        self.english = english
        self.countries: dict[str, str] = {}
        self.ambiguous: set[str] = set()
        self.titles: dict[str, KoreanTitle] = {}
        self.names: dict[str, str] = {}
        self.hangul_of: dict[str, str] = {}  # canonical name -> its first (full) Hangul spelling
        self.extra: dict[str, dict[str, Any]] = {}  # officials known only here: country, rank
        known_countries = {c.name for c in english.countries}
        for i, c in enumerate(data.get("countries", [])):
            name = c.get("name")
            if not isinstance(name, str) or name not in known_countries:
                raise GazetteerError(f"{source}: countries[{i}]: {name!r} is not a country of the English gazetteer")
            for h in c.get("hangul", []):
                self.countries[str(h)] = name
            self.ambiguous.update(str(a) for a in c.get("ambiguous", []))
        for i, t in enumerate(data.get("titles", [])):
            rank, office = t.get("rank"), t.get("office")
            if rank not in RANKS or (office is not None and office not in OFFICES):
                raise GazetteerError(f"{source}: titles[{i}]: bad rank {rank!r} or office {office!r}")
            self.titles[str(t["hangul"])] = KoreanTitle(str(rank), office)
        for i, o in enumerate(data.get("officials", [])):
            name = o.get("name")
            spellings = [str(h) for h in o.get("hangul", [])]
            if not isinstance(name, str) or not spellings:
                raise GazetteerError(f"{source}: officials[{i}]: `name` and `hangul` are required")
            if name not in english.by_name:
                if not english.by_name and not o.get("country"):
                    continue  # the English gazetteer was loaded without its officials (`--no-gazetteer`)
                if not o.get("country"):
                    raise GazetteerError(f"{source}: officials[{i}]: {name!r} is not in the English gazetteer; "
                                         "give its `country` and `rank`")
                self.extra[name] = {"country": str(o["country"]), "rank": str(o.get("rank", "other"))}
            self.hangul_of.setdefault(name, spellings[0])
            for h in spellings:
                self.names[h] = name
        self._kind = {**{p: "country" for p in self.countries}, **{p: "title" for p in self.titles},
                      **{p: "name" for p in self.names}}
        # spaces in a phrase match any run of spaces, or none ("정치국 위원", "정치국위원")
        pattern = _trie_pattern(sorted(self._kind, key=len, reverse=True))
        self._pattern = re.compile(pattern.replace(r"\ ", " ?"))
        self._squeezed = {p.replace(" ", ""): p for p in self._kind}
        self.digest = hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def country_of(self, name: str) -> str:
        """The country of an official (English gazetteer first)."""
        return self.english.country_of(name) or str(self.extra.get(name, {}).get("country", ""))

    def scan(self, text: str) -> list[Hit]:
        """Every state, office and official of the gazetteer in `text`, left to right, with word boundaries."""
        out: list[Hit] = []
        for m in self._pattern.finditer(text):
            written = m.group()
            phrase = self._squeezed.get(written.replace(" ", ""), written)
            kind = self._kind.get(phrase)
            if kind is None:
                continue
            start, end = m.start(), m.end()
            rest = _rest_of_word(text, end)
            if kind == "name":
                if start > 0 and is_hangul(text[start - 1]) and not _after_title(text, start, self.titles):
                    continue
                if len(phrase) <= 2 and rest not in PARTICLES and not _title_prefix(rest, self.titles):
                    continue  # "한정된" is not Han Zheng
                out.append(Hit("name", self.names[phrase], start, end, written))
            elif kind == "country":
                if phrase in self.ambiguous and not (rest.startswith(STATE_WORDS) or (
                        rest in PARTICLES and not _HANGUL.search(text[end + len(rest):end + len(rest) + 1])
                        and _next_word_is_state(text, end + len(rest)))):
                    continue
                if start > 0 and is_hangul(text[start - 1]) and (phrase in self.ambiguous or len(phrase) <= 2) \
                        and not (out and out[-1].end == start) and text[start - 1] not in "주재":
                    continue  # inside another word ("전국련합"), unless after a state ("조선로씨야") or 주/재
                if phrase in _PARTY_WORDS and out and out[-1].end == start and out[-1].kind == "country" \
                        and out[-1].value != self.countries[phrase]:
                    continue  # "꽁고로동당": the Congolese Party of Labour, not the Workers' Party of Korea
                out.append(Hit("country", self.countries[phrase], start, end, written))
            else:
                out.append(Hit("title", phrase, start, end, written))
        return out


# words of a party that other states' parties share: glued to another state's name they are that state's party
_PARTY_WORDS = frozenset({"로동당"})


def _rest_of_word(text: str, end: int) -> str:
    """The Hangul letters after `end` up to the end of the word."""
    j = end
    while j < len(text) and is_hangul(text[j]):
        j += 1
    return text[end:j]


def _next_word_is_state(text: str, at: int) -> bool:
    """Whether the word after position `at` is a state's word ("수단 정부", "가나 대통령")."""
    return text[at:at + 1] == " " and text[at + 1:].startswith(STATE_WORDS)


def _title_prefix(rest: str, titles: dict[str, KoreanTitle]) -> bool:
    """Whether the rest of a word starts with an office ("리강총리를")."""
    return any(rest.startswith(t) for t in titles if " " not in t)


def _after_title(text: str, start: int, titles: dict[str, KoreanTitle]) -> bool:
    """Whether a name written against the word before it follows an office ("대사박응섭")."""
    head = text[max(0, start - 6):start]
    return any(head.endswith(t) for t in titles if " " not in t)


def load_korean(english: Gazetteer, path: Path = KOREAN) -> KoreanGazetteer:
    """The packaged Korean gazetteer over the English one."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GazetteerError(f"{path}: {exc}") from exc
    return KoreanGazetteer(data, english, str(path))


def korean_digest(path: Path = KOREAN) -> str:
    """A digest of the Korean gazetteer file (part of the classifier's version: a change classifies items again)."""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return "none"
