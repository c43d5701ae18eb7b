"""The language of an item's text (Hangul share and the scripts of its letters), and Hangul made searchable.

Pure functions. `detect_language` decides 'ko' when Hangul makes up a good part of the letters, otherwise the
script of most letters ('en' for Latin, 'ru', 'zh', 'ja'), and falls back to the language the source declares
(`[[sources]] language`) when the text has too few letters to say. `hangul_terms` turns text into the terms of
the Korean full-text index: each run of Hangul syllables as its overlapping pairs of syllables (a stem such as
접견 is then found inside 접견하시였다), every other word as it is.
"""

from __future__ import annotations

import re

#: Share of Hangul among the letters of a text from which it is Korean (KCNA's Korean items quote English names
#: and numbers, English items never carry more than a word of Hangul).
KOREAN_SHARE = 0.3
#: Letters needed before the text decides over the source's declared language.
MIN_LETTERS = 4
#: Characters of the body read (the title and the start of the body say which language an item is in).
SAMPLE_CHARS = 2000

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]+")
_WORDS = re.compile(r"[\uac00-\ud7a3]+|[^\W_\uac00-\ud7a3]+")


def _script(ch: str) -> str | None:
    """The script of one letter: latin, cyrillic, han, kana or hangul (None for others)."""
    o = ord(ch)
    if 0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F:
        return "hangul"
    if ch.isascii() or 0x00C0 <= o <= 0x024F:
        return "latin"
    if 0x0400 <= o <= 0x04FF:
        return "cyrillic"
    if 0x3040 <= o <= 0x30FF:
        return "kana"
    if 0x4E00 <= o <= 0x9FFF:
        return "han"
    return None


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of `text` (0.0 when it has no letter)."""
    letters = hangul = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            hangul += _HANGUL.match(ch) is not None
    return hangul / letters if letters else 0.0


def has_hangul(text: str) -> bool:
    """Whether `text` holds any Hangul."""
    return _HANGUL.search(text) is not None


def detect_language(title: str, body: str | None = None, declared: str | None = None) -> str | None:
    """'ko', 'en', 'ru', 'zh' or 'ja' from the title and the start of the body; `declared` (the source's
    language) when the text has fewer than MIN_LETTERS letters, or is Latin and the source says which language
    (a Spanish edition is Latin too). None when neither says."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in f"{title}\n{(body or '')[:SAMPLE_CHARS]}":
        if not ch.isalpha():
            continue
        letters += 1
        script = _script(ch)
        if script is not None:
            counts[script] = counts.get(script, 0) + 1
    if letters < MIN_LETTERS:
        return declared
    if counts.get("hangul", 0) >= KOREAN_SHARE * letters:
        return "ko"
    if counts.get("kana", 0) >= KOREAN_SHARE * letters:
        return "ja"
    top = max(counts, key=lambda k: counts[k], default=None)
    if top == "latin":
        return declared if declared not in (None, "ko", "ru", "zh", "ja") else "en"
    return {"cyrillic": "ru", "han": "zh", "kana": "ja", "hangul": "ko"}.get(top or "", declared)


def hangul_terms(text: str | None) -> str:
    """The text as the Korean index stores it: Hangul runs as overlapping syllable pairs (a lone syllable as
    itself), other words unchanged, separated by spaces."""
    if not text:
        return ""
    out: list[str] = []
    for m in _WORDS.finditer(text):
        word = m.group(0)
        if _SYLLABLES.fullmatch(word) and len(word) > 1:
            out.extend(word[i:i + 2] for i in range(len(word) - 1))
        else:
            out.append(word)
    return " ".join(out)
