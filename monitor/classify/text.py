"""Text folding, tokens and a word-sequence lexicon matched in one pass (no per-name loops over the text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
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


class Tokens:
    """The words of an already folded text (without "the"): lower-case forms, spans and capitalisation."""

    __slots__ = ("caps", "ends", "lows", "starts", "uppers", "words")

    def __init__(self, text: str) -> None:
        spans = [m.span() for m in _TOKEN.finditer(text)]
        words = [text[a:b] for a, b in spans]
        keep = [i for i, w in enumerate(words) if w != "the" and w != "The"]
        if len(keep) != len(words):
            spans = [spans[i] for i in keep]
            words = [words[i] for i in keep]
        self.words = words
        self.lows = [w.lower() for w in words]
        self.starts = [a for a, _ in spans]
        self.ends = [b for _, b in spans]
        self.caps = [w[0].isupper() for w in words]
        self.uppers = [w[:2].isupper() for w in words]

    def __len__(self) -> int:
        return len(self.words)


def tokenize(text: str) -> Tokens:
    """Word tokens of an already folded text, "the" left out."""
    return Tokens(text)


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

    def first_words(self) -> frozenset[str]:
        """The words any phrase starts with (to test a text for possible matches with one set operation)."""
        return frozenset(self._by_first)

    def scan(self, tokens: Tokens) -> list[Match]:
        """Longest, leftmost, non-overlapping matches per kind, in text order."""
        out: list[Match] = []
        free_from: dict[str, int] = {}
        lows = tokens.lows
        n = len(lows)
        by_first = self._by_first
        for i in [i for i, w in enumerate(lows) if w in by_first]:
            done: set[str] = set()
            for e in by_first[lows[i]]:
                if e.kind in done or free_from.get(e.kind, 0) > i:
                    continue
                k = len(e.seq)
                if i + k > n:
                    continue
                if k > 1 and lows[i + 1:i + k] != list(e.seq[1:]):
                    continue
                if e.case == "cap" and not tokens.caps[i]:
                    continue
                if e.case == "upper" and not all(tokens.uppers[i:i + k]):
                    continue
                out.append(Match(e.kind, i, i + k, e.key))
                free_from[e.kind] = i + k
                done.add(e.kind)
        return out


def gap(text: str, tokens: Tokens, i: int) -> str:
    """The characters between token i-1 and token i (the text start for i = 0)."""
    start = tokens.ends[i - 1] if i > 0 else 0
    return text[start:tokens.starts[i]]


def joined(items: Iterable[str]) -> str:
    """Items joined by ", " (for reasons)."""
    return ", ".join(items)
