"""Text folding, tokens and a word-sequence lexicon matched in one pass (no per-name loops over the text)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from monitor.normalize import QUOTES

_TOKEN = re.compile(r"[A-Za-z0-9]+")
# every word but "the" / "The", captured so that re.split returns the words between the gaps
_SPLIT = re.compile(r"(?<![A-Za-z0-9])(?!(?:the|The)(?![A-Za-z0-9]))([A-Za-z0-9]+)")
_SKIPPED = frozenset({"the"})


# the apostrophe of McCune-Reischauer aspirates ("Ch'oe", "P'yongyang", "Kim Ch'ol"): dropped, as in the usual
# spelling ("Choe"); "Workers'", "People's" and "don't" keep theirs
_MR_APOSTROPHE = re.compile(r"(?<=[CKPTckpt])'(?=[aeiouwy])|(?<=[CKPTckpt]h)'(?=[aeiouwy])")


def fold(text: str) -> str:
    """Plain ASCII letters (accents dropped), straight quotes and hyphens, and no McCune-Reischauer apostrophes
    ("Ch'oe" is "Choe"): the text every rule reads."""
    if text.isascii():  # the common case: nothing to translate (every character mapped below is non-ASCII)
        return _unapostrophe(text)
    text = text.translate(QUOTES)
    if text.isascii():
        return _unapostrophe(text)
    decomposed = unicodedata.normalize("NFKD", text)
    return _unapostrophe("".join(c for c in decomposed if not unicodedata.combining(c)))


def _unapostrophe(text: str) -> str:
    """The text without McCune-Reischauer apostrophes; the pattern is tried only where one may stand (cheap tests
    rule out most texts, whose apostrophes are "Workers'" and "People's")."""
    if "'" not in text:
        return text
    if "h'" in text or "k'" in text or "p'" in text or "t'" in text or "K'" in text or "P'" in text \
            or "T'" in text or "C'" in text:
        return _MR_APOSTROPHE.sub("", text)
    return text


def _single_spaced(text: str) -> bool:
    """Whether `text` has no white space but single spaces between words (so squash has nothing to do)."""
    if "  " in text or text[:1] == " " or text[-1:] == " ":
        return False
    if text.isascii():  # the ASCII blanks str.split() knows, by memchr: cheaper than isprintable's lookups
        return ("\n" not in text and "\t" not in text and "\r" not in text and "\x0b" not in text
                and "\x0c" not in text and "\x1c" not in text and "\x1d" not in text and "\x1e" not in text
                and "\x1f" not in text)
    # every white space character but the space is unprintable: a printable text has only spaces to check
    return text.isprintable()


def squash(text: str) -> str:
    """The text with runs of white space made one space, and none at either end (" ".join(text.split()))."""
    if _single_spaced(text):
        return text
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-case word tokens of a phrase, without "the" (hyphens and apostrophes split words)."""
    return [w for w in (m.group().lower() for m in _TOKEN.finditer(fold(text))) if w not in _SKIPPED]


class Tokens:
    """The words of an already folded text (without "the"), with the characters before each and capitalisation."""

    __slots__ = ("_caps", "gaps", "lows", "words")

    def __init__(self, text: str) -> None:
        parts = _SPLIT.split(text)  # gap, word, gap, word, ..., gap; "the" stays inside a gap
        words = parts[1::2]
        gaps = parts[0:-1:2]  # gaps[i]: the characters between word i-1 (or the start) and word i
        self.words = words
        self.gaps = gaps
        self.lows = " ".join(words).lower().split()
        self._caps: list[bool] | None = None

    def __len__(self) -> int:
        return len(self.words)

    @property
    def caps(self) -> list[bool]:
        """Whether each word starts with a capital."""
        if self._caps is None:
            self._caps = [w[0].isupper() for w in self.words]
        return self._caps

    def between(self, first: int, last: int) -> str:
        """The text from the start of word `first` to the end of word `last - 1`."""
        pieces = [self.words[first]]
        for i in range(first + 1, last):
            pieces.append(self.gaps[i])
            pieces.append(self.words[i])
        return "".join(pieces)


def tokenize(text: str) -> Tokens:
    """Word tokens of an already folded text, "the" left out."""
    return Tokens(text)


class Match(NamedTuple):
    """A lexicon entry found at tokens [first, last) of a text."""

    kind: str
    first: int
    last: int
    key: int


class _Entry(NamedTuple):
    kind: str
    seq: tuple[str, ...]
    rest: list[str]  # seq[2:], as a list to compare with a slice of the words (the first two are keys)
    size: int  # len(seq)
    key: int
    case: str  # "any" | "cap" (every word capitalised) | "upper" (acronym)


@dataclass
class Lexicon:
    """Phrases of several kinds (names, countries, titles) keyed on their first word, and on their first two."""

    _by_first: dict[str, list[_Entry]] = field(default_factory=dict)
    # one-word phrases by their word; longer ones by their first two words (longest first in each list)
    _single: dict[str, list[_Entry]] = field(default_factory=dict)
    _by_pair: dict[tuple[str, str], list[_Entry]] = field(default_factory=dict)

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
        entry = _Entry(kind, seq, list(seq[2:]), len(seq), key, case)
        entries.append(entry)
        entries.sort(key=lambda e: -len(e.seq))
        if len(seq) == 1:
            self._single.setdefault(seq[0], []).append(entry)
        else:
            same = self._by_pair.setdefault((seq[0], seq[1]), [])
            same.append(entry)
            same.sort(key=lambda e: -len(e.seq))

    def first_words(self) -> frozenset[str]:
        """The words any phrase starts with (to test a text for possible matches with one set operation)."""
        return frozenset(self._by_first)

    def scan(self, tokens: Tokens) -> list[Match]:
        """Longest, leftmost, non-overlapping matches per kind, in text order.

        At each word only the phrases starting with it and the next word are tried (then the one-word ones),
        longest first, as `_by_first` orders them.
        """
        out: list[Match] = []
        free_from = {"name": 0, "title": 0, "country": 0}  # per kind: the first word a new match may start at
        lows = tokens.lows
        n = len(lows)
        by_first, single, by_pair = self._by_first, self._single, self._by_pair
        spelled = tokens.words  # the case tests read the few words they need, not a list made for every word
        for i in [i for i, w in enumerate(lows) if w in by_first]:
            w = lows[i]
            longer = by_pair.get((w, lows[i + 1])) if i + 1 < n else None
            one = single.get(w)
            for entries in (longer, one):
                if entries is None:
                    continue
                for e in entries:
                    k = e.size
                    if k > 2 and lows[i + 2:i + k] != e.rest:
                        continue
                    kind = e.kind
                    if free_from.get(kind, 0) > i:
                        continue
                    case = e.case
                    if case == "cap":
                        if not spelled[i][0].isupper():
                            continue
                    elif case == "upper" and not all(spelled[j][:2].isupper() for j in range(i, i + k)):
                        continue
                    out.append(Match(kind, i, i + k, e.key))
                    free_from[kind] = i + k
        return out


def joined(items: Iterable[str]) -> str:
    """Items joined by ", " (for reasons)."""
    return ", ".join(items)


def unique_in_order(items: list[str]) -> list[str]:
    """The non-empty items, each once, in the order they first come."""
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out
