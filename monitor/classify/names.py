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


def canonical_name(name: str) -> str:
    """The canonical spelling of a person's name, using the packaged gazetteer's spellings when it knows the person.

    "Choe Son-hui" / "CHOE SON HUI" / "Choe Son Hui" -> "Choe Son Hui"; "Kim Jong-un" -> "Kim Jong Un".
    """
    global _DEFAULT_ALIASES
    form = canonical_form(name)
    if _DEFAULT_ALIASES is None:
        from monitor.classify.gazetteer import load_gazetteer

        _DEFAULT_ALIASES = load_gazetteer(None).alias_to_name
    return _DEFAULT_ALIASES.get(form, form)
