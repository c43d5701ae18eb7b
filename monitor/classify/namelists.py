"""The ordered lists of officials an item names: who accompanied, who was present, who sat on a presidium or a
committee. Pure: text in, (kind, names in protocol order) out."""

from __future__ import annotations

import re

from monitor.classify.extract import _STOP
from monitor.classify.gazetteer import Gazetteer
from monitor.classify.names import canonical_form
from monitor.classify.text import fold, squash

#: the phrases that open a list, by kind of list (the first found of a kind is read)
CUES: dict[str, tuple[str, ...]] = {
    "accompanying": ("accompanied by", "was accompanied by", "escorted by"),
    "present": ("present were", "were present", "also present were", "present there were", "present on the "
                "occasion were", "among those present were", "were also present"),
    "presidium": ("on the platform were", "seated on the platform were", "presidium of the meeting",
                  "elected to the presidium", "presidium were"),
    "committee": ("funeral committee", "committee for the funeral", "committee composed of",
                  "committee is composed of"),
}
MAX_NAMES = 60
_TEXT_LIMIT = 20_000
_NAME = re.compile(r"[A-Z][a-z]{0,14}(?:[ -][A-Z][a-z]{0,14}){1,3}")
_SPLIT = re.compile(r",|;|:| and (?=[A-Z])")


def _segment(text: str, start: int) -> str:
    """The text from `start` to the end of its sentence (a full stop before a capital after a lower-case word)."""
    end = start
    limit = min(len(text), start + 3000)
    while end < limit:
        k = text.find(". ", end, limit)
        if k == -1:
            return text[start:limit]
        if k > 0 and text[k - 1].islower() and len(text[:k].rsplit(" ", 1)[-1]) > 2:
            return text[start:k]
        end = k + 2
    return text[start:limit]


def _name_of(piece: str, gaz: Gazetteer) -> str | None:
    """The personal name a piece of a list starts with (titles before it skipped), canonical; None if none."""
    words = piece.strip().split()
    while words and (words[0].lower().strip(".'") in _STOP or not words[0][:1].isupper()):
        if not words[0][:1].isupper():
            return None  # "member of the Presidium ...": the titles after a name, not a name
        words = words[1:]
    m = _NAME.match(" ".join(words))
    if m is None:
        return None
    parts = [w for w in m.group(0).replace("-", " - ").split() if w != "-"]
    kept: list[str] = []
    for w in parts:
        if w.lower() in _STOP:
            break
        kept.append(w)
    if len(kept) < 2 or len(kept) > 4:
        return None
    name = canonical_form(" ".join(kept))
    return gaz.alias_to_name.get(name, name)


def name_lists(text: str | None, gaz: Gazetteer) -> list[tuple[str, list[str]]]:
    """Each kind of list the text holds, with its names in order (once each); lists of fewer than two names are
    left out."""
    if not text:
        return []
    body = squash(fold(text[:_TEXT_LIMIT]))
    low = body.lower()
    out: list[tuple[str, list[str]]] = []
    for kind, cues in CUES.items():
        at = min((k + len(c) for c in cues if (k := low.find(c)) != -1), default=-1)
        if at == -1:
            continue
        names: list[str] = []
        for piece in _SPLIT.split(_segment(body, at)):
            name = _name_of(piece, gaz)
            if name and name not in names:
                names.append(name)
            if len(names) >= MAX_NAMES:
                break
        if len(names) >= 2:
            out.append((kind, names))
    return out
