"""Canonical spelling of personal names: case, hyphens, spacing, honorifics and Russian patronymics."""

from __future__ import annotations

import re

from monitor.classify.text import fold

_PARTS = re.compile(r"[A-Za-z0-9']+")
_HONORIFICS = frozenset({
    "respected", "comrade", "comrades", "marshal", "general", "secretary", "president", "premier", "chairman",
    "chairwoman", "minister", "mr", "mrs", "ms", "dr", "his", "her", "excellency", "supreme", "leader", "the",
    "dear", "fatherly", "beloved", "ambassador", "prime", "foreign", "speaker", "king", "emir", "ayatollah",
})
_PATRONYMIC = re.compile(r"(?:ovich|evich|ovna|evna|ichna|yevich|ievich|vich|vna)$")


def _cap(part: str) -> str:
    if part.isupper() or part.islower():
        return part[:1].upper() + part[1:].lower()
    return part[:1].upper() + part[1:]


def canonical_form(name: str) -> str:
    """Spelling-only canonical form: "Choe Son-hui", "CHOE SON HUI" -> "Choe Son Hui"; titles and patronymics dropped.

    It does not consult the gazetteer; see `canonical_name` for that.
    """
    parts = _PARTS.findall(fold(name).replace("'s ", " "))
    parts = [p.strip("'") for p in parts if p.strip("'")]
    while len(parts) > 1 and parts[0].lower() in _HONORIFICS:
        parts = parts[1:]
    if len(parts) >= 3:
        parts = [parts[0]] + [p for p in parts[1:-1] if not _PATRONYMIC.search(p.lower())] + [parts[-1]]
    return " ".join(_cap(p) for p in parts)


_DEFAULT_ALIASES: dict[str, str] | None = None


def _packaged_spellings() -> dict[str, str]:
    """Every spelling the packaged gazetteer knows (canonical form) -> the official's canonical name, loaded once."""
    global _DEFAULT_ALIASES
    if _DEFAULT_ALIASES is None:
        from monitor.classify.gazetteer import load_gazetteer

        _DEFAULT_ALIASES = load_gazetteer(None).alias_to_name
    return _DEFAULT_ALIASES


def canonical_name(name: str) -> str:
    """The canonical spelling of a person's name, using the packaged gazetteer's spellings when it knows the person.

    "Choe Son-hui" / "CHOE SON HUI" / "Choe Son Hui" -> "Choe Son Hui"; "Kim Jong-un" -> "Kim Jong Un".
    """
    form = canonical_form(name)
    return _packaged_spellings().get(form, form)


def known_spelling(name: str) -> bool:
    """Whether a name is spelt as the packaged gazetteer spells one of its officials (a canonical spelling, not a
    reading of Hangul)."""
    return canonical_form(name) in _packaged_spellings()


# Letters that Hangul cannot tell apart, or writes one way, as one letter: a name read back from its DPRK Hangul
# spelling ("Robertu Kolin") and the same name as the English edition spells it ("Roberto Colin") get one key.
_SOFT_C = re.compile(r"c(?=[eiy])")  # "Marcelo", "Francisco": the c heard as s, which Hangul writes 쎄, 씨
_SOUND_SWAPS = (("kh", "h"), ("ph", "p"), ("th", "t"), ("sh", "s"), ("ch", "c"), ("ck", "k"), ("c", "k"), ("q", "k"),
                ("f", "p"), ("v", "b"), ("z", "j"), ("x", "ks"), ("l", "r"))
_NOT_CONSONANT = re.compile(r"[aeiouyhw]+")
_DOUBLED = re.compile(r"(.)\1+")


def sound_key(name: str) -> str:
    """A loose key of a romanized name: the consonants of each word as Hangul hears them (c/k, f/p, v/b, l/r are one;
    kh, which the DPRK's Russian-style reading gives every ㅎ, is h; vowels, h and doubled letters dropped). Two
    spellings of one foreign name, one read back from Korean, share it."""
    words = []
    for part in canonical_form(name).lower().split():
        part = _SOFT_C.sub("s", part)
        for old, new in _SOUND_SWAPS:
            part = part.replace(old, new)
        key = _DOUBLED.sub(r"\1", _NOT_CONSONANT.sub("", part))
        if key:
            words.append(key)
    return " ".join(words)


def match_key(name: str) -> str:
    """What two reports compare a participant by: the sound key when it is long enough to tell people apart (four
    consonants or more: "Li Qiang" yes, "Wang Yi" no), else the canonical form."""
    key = sound_key(name)
    return key if len(key.replace(" ", "")) >= 4 else canonical_form(name)
