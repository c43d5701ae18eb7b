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
SAMPLE_CHARS = 600

_HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_SYLLABLES = re.compile(r"[\uac00-\ud7a3]+")
_WORDS = re.compile(r"[\uac00-\ud7a3]+|[^\W_\uac00-\ud7a3]+")


_SCRIPTS = {
    "hangul": _HANGUL,
    "latin": re.compile(r"[A-Za-z\u00c0-\u024f]"),
    "cyrillic": re.compile(r"[\u0400-\u04ff]"),
    "kana": re.compile(r"[\u3040-\u30ff]"),
    "han": re.compile(r"[\u4e00-\u9fff]"),
}
_LETTER = re.compile(r"[^\W\d_]")
_LANGUAGE_OF = {"hangul": "ko", "cyrillic": "ru", "han": "zh", "kana": "ja"}


def _count(pattern: re.Pattern[str], text: str) -> int:
    return len(text) - len(pattern.sub("", text))


def hangul_share(text: str) -> float:
    """Share of Hangul among the letters of `text` (0.0 when it has no letter)."""
    letters = _count(_LETTER, text)
    return _count(_HANGUL, text) / letters if letters else 0.0


def has_hangul(text: str) -> bool:
    """Whether `text` holds any Hangul."""
    return _HANGUL.search(text) is not None


def detect_language(title: str, body: str | None = None, declared: str | None = None) -> str | None:
    """'ko', 'en', 'ru', 'zh' or 'ja' from the title and the start of the body; `declared` (the source's
    language) when the text has fewer than MIN_LETTERS letters, or is Latin and the source says which language
    (a Spanish edition is Latin too). None when neither says."""
    text = f"{title}\n{(body or '')[:SAMPLE_CHARS]}"
    if text.isascii():  # most items: English text, no need to count the scripts
        letters = _count(_SCRIPTS["latin"], text)
        if letters < MIN_LETTERS:
            return declared
        return declared if declared not in (None, "ko", "ru", "zh", "ja") else "en"
    letters = _count(_LETTER, text)
    if letters < MIN_LETTERS:
        return declared
    counts = {name: _count(pattern, text) for name, pattern in _SCRIPTS.items()}
    if counts["hangul"] >= KOREAN_SHARE * letters:
        return "ko"
    if counts["kana"] >= KOREAN_SHARE * letters:
        return "ja"
    top = max(counts, key=lambda k: counts[k])
    if counts[top] == 0:
        return declared
    if top == "latin":
        return declared if declared not in (None, "ko", "ru", "zh", "ja") else "en"
    return _LANGUAGE_OF[top]


def hangul_terms(text: str | None) -> str:
    """The text as the Korean index stores it: Hangul runs as overlapping syllable pairs (a lone syllable as
    itself), other words unchanged, separated by spaces."""
    if not text:
        return ""
    out: list[str] = []
    for m in _WORDS.finditer(text):
        word = m.group(0)
        if len(word) > 1 and _SYLLABLES.fullmatch(word):
            out.extend(map(str.__add__, word, word[1:]))
        else:
            out.append(word)
    return " ".join(out)
