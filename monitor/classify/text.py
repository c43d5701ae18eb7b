"""Text folding, tokens and a word-sequence lexicon matched in one pass (no per-name loops over the text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

_TOKEN = re.compile(r"[A-Za-z0-9]+")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-",
                         "\u00a0": " ", "\u2010": "-", "\u2011": "-"})
_SKIPPED = frozenset({"the"})


def fold(text: str) -> str:
    """Plain ASCII letters (accents dropped), straight quotes and hyphens: the text every rule reads."""
    text = text.translate(_QUOTES)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """Lower-case word tokens of a phrase, without "the" (hyphens and apostrophes split words)."""
    return [w for w in (m.group().lower() for m in _TOKEN.finditer(fold(text))) if w not in _SKIPPED]


@dataclass(frozen=True)
class Token:
    """One word of a text: its lower-case form, its span and whether it starts with a capital."""

    low: str
    start: int
    end: int
    cap: bool
    upper: bool


def tokenize(text: str) -> list[Token]:
    """Word tokens of an already folded text, "the" left out."""
    out: list[Token] = []
    for m in _TOKEN.finditer(text):
        w = m.group()
        low = w.lower()
        if low in _SKIPPED:
            continue
        out.append(Token(low, m.start(), m.end(), w[0].isupper(), w[:2].isupper()))
    return out


@dataclass(frozen=True)
class Match:
    """A lexicon entry found at tokens [first, last) of a text."""

    kind: str
    first: int
    last: int
    key: int


@dataclass(frozen=True)
class _Entry:
    kind: str
    seq: tuple[str, ...]
    key: int
    case: str  # "any" | "cap" (every word capitalised) | "upper" (acronym)


@dataclass
class Lexicon:
    """Phrases of several kinds (names, countries, titles) keyed on their first word."""

    _by_first: dict[str, list[_Entry]] = field(default_factory=dict)

    def add(self, kind: str, phrase: str, key: int, case: str = "any") -> None:
        """Register `phrase` (matched on words) as entry `key` of `kind`."""
        seq = tuple(words(phrase))
        if not seq:
            return
        if case == "cap" and phrase.replace(".", "").replace(" ", "").isupper() and len(phrase) <= 6:
            case = "upper"
        entries = self._by_first.setdefault(seq[0], [])
        if any(e.kind == kind and e.seq == seq and e.key == key for e in entries):
            return
        entries.append(_Entry(kind, seq, key, case))
        entries.sort(key=lambda e: -len(e.seq))

    def scan(self, tokens: Sequence[Token]) -> list[Match]:
        """Longest, leftmost, non-overlapping matches per kind, in text order."""
        out: list[Match] = []
        free_from: dict[str, int] = {}
        n = len(tokens)
        for i in range(n):
            cands = self._by_first.get(tokens[i].low)
            if not cands:
                continue
            done: set[str] = set()
            for e in cands:
                if e.kind in done or free_from.get(e.kind, 0) > i:
                    continue
                k = len(e.seq)
                if i + k > n:
                    continue
                if k > 1 and any(tokens[i + j].low != e.seq[j] for j in range(1, k)):
                    continue
                if e.case == "cap" and not all(tokens[i + j].cap for j in range(k)):
                    continue
                if e.case == "upper" and not all(tokens[i + j].upper for j in range(k)):
                    continue
                out.append(Match(e.kind, i, i + k, e.key))
                free_from[e.kind] = i + k
                done.add(e.kind)
        return out


def gap(text: str, tokens: Sequence[Token], i: int) -> str:
    """The characters between token i-1 and token i (the text start for i = 0)."""
    start = tokens[i - 1].end if i > 0 else 0
    return text[start:tokens[i].start]


def joined(items: Iterable[str]) -> str:
    """Items joined by ", " (for reasons)."""
    return ", ".join(items)
