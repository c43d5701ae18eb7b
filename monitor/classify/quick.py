"""Cheap lookups run on every item: foreign states and foreign officials' name words, by set and word tests."""

from __future__ import annotations

import re

from monitor.classify.gazetteer import DPRK, Gazetteer
from monitor.classify.rules import ALNUM, Words, lower_words
from monitor.classify.text import fold

_WORD = re.compile(r"[A-Za-z0-9]+")
_FILLER = frozenset({"of", "the", "s", "and"})
# Words common in this press that make poor keys: a country name is keyed on a rarer word when it has one.
_COMMON = frozenset([
    "republic", "democratic", "people", "socialist", "state", "states", "united", "kingdom", "islamic",
    "federation", "party", "communist", "national", "korea", "korean", "workers", "south", "north", "central",
    "committee", "assembly", "council", "congress", "great",
])


def _spelled(text: str) -> list[str]:
    """The runs of [A-Za-z0-9] of a text, in their own case."""
    if text.isascii():
        return text.encode("ascii").translate(ALNUM).decode("ascii").split()
    return _WORD.findall(text)


class View(Words):
    """A folded text as the rules read it (`Words`), plus its own spelling and the states found in it (cached)."""

    __slots__ = ("found", "raw")

    def __init__(self, text: str, words: list[str] | None = None) -> None:
        """The view of `text`; `words` are its words when the caller already has them (lower case, split)."""
        # Words.__init__ inlined (two Python calls fewer on every item)
        low = text.lower()
        self.text = " " + low + " "
        if words is None:
            words = low.encode("ascii").translate(ALNUM).decode("ascii").split() if low.isascii() \
                else lower_words(low)
        self.list = words
        self.set = frozenset(words)
        self.raw = text
        self.found: list[str] | None = None

    def head(self, cut: int) -> View:
        """The view of the first `cut` characters, sharing this view's words when the cut falls between words."""
        raw = self.raw
        if cut >= len(raw):
            return self
        part = raw[:cut]
        if not raw.isascii() or (cut > 0 and raw[cut - 1].isalnum() and raw[cut].isalnum()):
            return View(part)
        n = len(part.encode("ascii").translate(ALNUM).split())
        return View(part, self.list[:n])


# a country phrase: its lower-case words, the index of its key word, the state, whether it is an acronym,
# and the DPRK names that contain it with the offset at which they do
_Entry = tuple[tuple[str, ...], int, str, bool, list[tuple[tuple[str, ...], int]]]


def _back(full: list[str], i: int, n: int) -> int:
    """The position n words before position i, "the" not counted (-1 when the text starts first)."""
    while n > 0:
        i -= 1
        while i >= 0 and full[i] == "the":
            i -= 1
        if i < 0:
            return -1
        n -= 1
    return i


def _at(full: list[str], i: int, seq: tuple[str, ...]) -> bool:
    """Whether the words from position i on ("the" skipped) are `seq`."""
    n = len(full)
    for w in seq:
        while i < n and full[i] == "the":
            i += 1
        if i >= n or full[i] != w:
            return False
        i += 1
    return True


def _start(full: list[str], j: int, entry: _Entry) -> int:
    """Where the phrase of `entry` keyed on the word at position j starts, or -1 when it is not there.

    Not there: other words around the key, "anti-" before it, or inside a longer DPRK name ("the" never counts).
    """
    low, key, _, _, inside = entry
    if len(low) == 1:
        st = j
    else:
        st = _back(full, j, key) if key else j
        if st < 0 or not _at(full, st, low):
            return -1
    before = st - 1
    while before >= 0 and full[before] == "the":
        before -= 1
    if before >= 0 and full[before] == "anti":
        return -1
    for h, off in inside:
        at = _back(full, st, off) if off else st
        if at >= 0 and _at(full, at, h):
            return -1
    return st


# words of officials' names that are also plain words or titles in this press ("May", "Work", "King", "Win"): a
# text is not screened as maybe foreign for them (the rest of the name, or the state, still counts)
_PLAIN_WORDS = frozenset([
    "may", "work", "king", "queen", "prince", "princess", "sheikh", "emir", "sultan", "mark", "young", "man", "win",
    "major", "rice", "brown", "bush", "ford", "carter", "green", "hill", "white", "black", "long", "rich", "hope",
    "grant", "rose", "love", "sun", "lord", "sir", "president", "premier", "minister", "general",
])


class QuickWords:
    """Foreign states (and whether a foreign official may be named) found by word lookups, without a full scan.

    Each country name is keyed on its rarest word and checked word by word where that word occurs; a match
    inside a longer one ("Republic of Korea" inside "Democratic People's Republic of Korea") does not count.
    """

    def __init__(self, gaz: Gazetteer) -> None:
        self.entries: dict[str, list[_Entry]] = {}
        self.generic: list[tuple[str, list[str], str]] = []
        home = [tuple(w.lower() for w in _WORD.findall(fold(p)) if w.lower() != "the")
                for c in gaz.countries if c.name == DPRK for p in (c.name, *c.aliases, *c.demonyms)]
        for c in gaz.countries:
            if c.name == DPRK:
                continue
            for phrase in (c.name, *c.aliases, *c.demonyms):
                ws = [w for w in _WORD.findall(fold(phrase)) if w.lower() != "the"]
                if not ws:
                    continue
                low = tuple(w.lower() for w in ws)
                # DPRK names that contain this one ("Republic of Korea" in "Democratic People's Republic of Korea")
                inside = [(h, off) for h in home for off in range(len(h) - len(low) + 1)
                          if len(h) > len(low) and h[off:off + len(low)] == low]
                if all(w in _COMMON or w in _FILLER for w in low):
                    # made of common words only ("South Korea"): looked up as a phrase
                    self.generic.append((" ".join(low), [" ".join(h) for h, _ in inside], c.name))
                    continue
                key = max(range(len(low)), key=lambda i: (low[i] not in _FILLER, low[i] not in _COMMON,
                                                          len(low[i])))
                acronym = (len(ws) == 1 and ws[0].isupper()) or (
                    phrase.replace(".", "").isupper() and len(phrase) <= 6)
                entry = (low, key, c.name, acronym, inside)
                same = self.entries.setdefault(low[key], [])
                if entry not in same:
                    same.append(entry)
        self.keys = frozenset(self.entries)
        # generic phrases, each with the set of its words: a text lacking one of them cannot contain the phrase
        self.generic_words = [(frozenset(phrase.split()), phrase, supers, country)
                              for phrase, supers, country in self.generic]
        # keys whose phrases are all acronyms: the capitals a text must contain for any of them to count
        self.capitals = {k: k[:2].upper() for k, es in self.entries.items() if all(e[3] for e in es)}
        home_words = {w for h in home for w in h}
        # words of DPRK officials' names ("Kim", "Ri") in a southern or foreign name do not make a text foreign
        home_words |= {w.lower() for o in gaz.officials if o.country == DPRK for p in (o.name, *o.aliases)
                       for w in _WORD.findall(fold(p))}
        self.official_words = frozenset(
            w.lower() for o in gaz.officials if o.country != DPRK for p in (o.name, *o.aliases)
            for w in _WORD.findall(fold(p)) if len(w) > 2 and w.lower() not in home_words
            and w.lower() not in _PLAIN_WORDS)
        # a text with none of these words names no foreign official, and no state but by an acronym (counted only
        # in capitals: the "Un" of Kim Jong Un is not the UN) or a generic phrase
        self.acronyms = frozenset(self.capitals)
        self.screen = self.official_words | (self.keys - self.acronyms)

    def names_nothing_foreign(self, view: View) -> bool:
        """Whether a text names no foreign state and no word of a foreign official's name: `countries(view)` is
        empty and `may_name_official(view)` false, found by one set test for most texts."""
        words = view.set
        if self.screen.isdisjoint(words):
            if not self.acronyms.isdisjoint(words):
                raw = view.raw
                if any(self.capitals[w] in raw for w in self.acronyms & words):
                    return not self.countries(view)  # an acronym in capitals: the full lookup decides
            return not self._generic(view)
        return not self._names_official(view) and not self.countries(view)

    def countries(self, view: View) -> list[str]:
        """Foreign states named in a text, in order, once each; "anti-Japanese" names none. Cached on the view.

        The list returned is shared: callers must not change it.
        """
        if view.found is not None:
            return view.found
        out = self._generic(view)
        keyed = self.keys & view.set
        if keyed:
            # an acronym ("UN", "U.S.") counts only in capitals: "Kim Jong Un" does not name the UN
            raw = view.raw
            hits = [w for w in keyed if w not in self.capitals or self.capitals[w] in raw]
            if hits:
                out = self._keyed(view, hits, out)
        view.found = out
        return out

    def _generic(self, view: View) -> list[str]:
        """The states named by a generic phrase ("South Korea"), in the order of the phrases; the DPRK's own names
        ("Democratic People's Republic of Korea") not counted."""
        out: list[str] = []
        words = view.set
        low_text = ""
        for needed, phrase, supers, country in self.generic_words:
            if not needed <= words:
                continue
            if not low_text:
                low_text = " ".join(view.list)
            if phrase in low_text:
                n = low_text.count(phrase)
                if n > sum(low_text.count(h) for h in supers) and country not in out:
                    out.append(country)
        return out

    def _keyed(self, view: View, hits: list[str], out: list[str]) -> list[str]:
        """`out` with the states keyed on one of `hits` added in text order.

        Phrases are matched on the words without "the"; a one-word phrase (most of them) is checked in place.
        """
        full = view.list
        spelled: list[str] | None = None  # the same words in their own case, made when first needed
        found: list[tuple[int, str]] = []
        for w in hits:
            entries = self.entries[w]
            count = full.count(w)
            j = full.index(w)
            while True:
                for entry in entries:
                    if len(entry[0]) == 1 and not entry[4]:  # one word: only "anti-" before it rules it out
                        st = j
                        before = j - 1
                        while before >= 0 and full[before] == "the":
                            before -= 1
                        if before >= 0 and full[before] == "anti":
                            continue
                    else:
                        st = _start(full, j, entry)
                        if st < 0:
                            continue
                    if spelled is None:
                        spelled = _spelled(view.raw)
                    if entry[3]:  # an acronym: in capitals
                        if not spelled[j][:2].isupper() and not spelled[j].isupper():
                            continue
                    elif not spelled[st][:1].isupper():
                        continue
                    found.append((st, entry[2]))
                count -= 1
                if not count:
                    break
                j = full.index(w, j + 1)
        found.sort()
        for _, country in found:
            if country not in out:
                out.append(country)
        return out

    def may_name_official(self, view: Words) -> bool:
        """Whether a text may name a foreign official of the gazetteer (one of their name words occurs)."""
        return self._names_official(view)

    def _names_official(self, view: Words) -> bool:
        """A word of a foreign official's name, written with a capital ("Rice" the name, not the rice harvest)."""
        hits = self.official_words & view.set
        if not hits:
            return False
        if not isinstance(view, View):
            return True  # no spelling to look at: it may
        raw = view.raw
        return any(w.capitalize() in raw or w.upper() in raw for w in hits)
