"""Romanizing the names a Korean text gives that the gazetteer does not know: Korean names in the KCNA English
spelling (박응섭 -> "Pak Ung Sop", 리설주 -> "Ri Sol Ju"), foreign names transliterated back from the DPRK's
Russian-style Hangul (쎄르게이 씌란꼬브 -> "Sergei Syrankov"; a readable spelling, right for most Russian names,
not always for others), and finding such names beside an office or an honorific."""

from __future__ import annotations

import re
from collections.abc import Callable

_BASE = 0xAC00
# KCNA English spelling of surnames (리 "Ri", 로 "No", 림 "Im" as the DPRK's English press writes them)
SURNAMES = {
    "김": "Kim", "리": "Ri", "이": "Ri", "박": "Pak", "최": "Choe", "정": "Jong", "조": "Jo", "강": "Kang", "한": "Han",
    "오": "O", "윤": "Yun", "장": "Jang", "신": "Sin", "로": "No", "노": "No", "림": "Im", "임": "Im", "문": "Mun",
    "량": "Ryang", "양": "Yang", "황": "Hwang", "홍": "Hong", "현": "Hyon", "백": "Paek", "허": "Ho", "안": "An",
    "전": "Jon", "차": "Cha", "주": "Ju", "태": "Thae", "함": "Ham", "송": "Song", "방": "Pang", "권": "Kwon",
    "고": "Ko", "서": "So", "남": "Nam", "류": "Ryu", "변": "Pyon", "손": "Son", "마": "Ma", "길": "Kil", "계": "Kye",
    "곽": "Kwak", "구": "Ku", "명": "Myong", "석": "Sok", "성": "Song", "심": "Sim", "엄": "Om", "염": "Yom",
    "우": "U", "원": "Won", "위": "Wi", "지": "Ji", "진": "Jin", "채": "Chae", "천": "Chon", "탁": "Thak",
    "하": "Ha", "형": "Hyong", "국": "Kuk", "동": "Tong", "두": "Tu", "연": "Yon", "용": "Yong", "기": "Ki",
    "편": "Phyon", "표": "Phyo", "피": "Phi", "경": "Kyong", "라": "Ra", "려": "Ryo", "령": "Ryong",
}
_INITIAL = ["k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"]
_VOWEL = ["a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu",
          "u", "ui", "i"]
_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t",
          "ng", "t", "t", "k", "t", "p", "t"]
_VOICED = {"k": "g", "t": "d", "p": "b"}


def _parts(ch: str) -> tuple[int, int, int] | None:
    code = ord(ch) - _BASE
    if not 0 <= code < 11172:
        return None
    return code // 588, (code % 588) // 28, code % 28


def korean_name(name: str) -> str | None:
    """The KCNA English spelling of a Korean name of two to four syllables ("박응섭" -> "Pak Ung Sop"), or None
    when it is not one (no surname of the table first, or a letter that is not Hangul)."""
    if not 2 <= len(name) <= 4 or name[0] not in SURNAMES or any(_parts(c) is None for c in name):
        return None
    out = [SURNAMES[name[0]]]
    prev_final = ""
    for k, ch in enumerate(name[1:]):
        parts = _parts(ch)
        assert parts is not None
        i, v, f = parts
        init = _INITIAL[i]
        if init in ("kk", "tt", "pp", "ss", "jj"):
            init = init[0]
        if init == "r" and k == 0:
            init = "r"
        if k > 0 and init in _VOICED and (prev_final in ("", "n", "m", "ng", "l")):
            init = _VOICED[init]
        syl = init + _VOWEL[v] + _FINAL[f]
        out.append(syl.capitalize())
        prev_final = _FINAL[f]
    return " ".join(out)


# foreign names: the DPRK writes Russian-style ("쎄", "꼬", "뜨", "브"); read back letter by letter
_F_INITIAL = ["g", "k", "n", "d", "t", "r", "m", "b", "p", "s", "s", "", "j", "ts", "ch", "k", "t", "p", "kh"]
_F_VOWEL = ["a", "e", "ya", "ye", "o", "e", "yo", "ye", "o", "wa", "we", "oe", "yo", "u", "wo", "we", "wi", "yu",
            "", "y", "i"]
_F_FINAL = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "s", "s",
            "ng", "t", "t", "k", "t", "p", "t"]


_BETWEEN = ("사이의", "사이에서", "사이에")
_GLIDES = {"we": "e", "yu": "u", "ya": "a", "wi": "i", "yo": "o"}


def foreign_word(word: str) -> str | None:
    """A foreign name word written in Hangul, read back into Latin letters ("씌란꼬브" -> "Syrankov")."""
    out: list[str] = []
    prev_final = ""
    for k, ch in enumerate(word):
        parts = _parts(ch)
        if parts is None:
            return None
        i, v, f = parts
        init = _F_INITIAL[i]
        vowel = _F_VOWEL[v]
        if init == "j":  # the DPRK writes the Russian z with ㅈ, and zh with ㅈ and a glide (쥐, 줴, 쥬, 쟈)
            if vowel in _GLIDES:
                init, vowel = "zh", _GLIDES[vowel]
            else:
                init = "z"
        elif init == "s" and vowel in _GLIDES:  # and sh with ㅅ and a glide (쉬, 슈, 쇼, 샤: "아쉼바예브")
            init, vowel = "sh", _GLIDES[vowel]
        if init == "r" and prev_final == "l":
            init = ""  # "꼴린": a doubled l
        if init == "b" and vowel == "" and (k == len(word) - 1 or _parts(word[k + 1]) is not None):
            init = "v"  # "라브로브": the Russian v
        if init == "" and vowel == "" and k == 0 and f:
            vowel = ""  # "은골로": a syllabic n
        out.append(init + vowel + _F_FINAL[f])
        prev_final = _F_FINAL[f]
    text = "".join(out)
    return text.capitalize() if text else None


def foreign_name(words: list[str]) -> str | None:
    """A foreign name of several Hangul words read back into Latin letters, or None."""
    parts = [foreign_word(w) for w in words]
    if not parts or any(p is None for p in parts):
        return None
    return " ".join(p for p in parts if p)


_PARTICLE_END = re.compile(r"(?:사이의|사이에서|사이에|동지께서는|동지께서|동지가|동지를|동지와|동지의|동지|"
                           r"녀사께서|녀사와|녀사|께서는|께서|으로부터|로부터|에게서|에게|으로|로|에서|과의|와의|이며|이다|이였다|"
                           r"를|을|와|과|가|이|는|은|의|도|께)$")
# words that follow an office but are not names
_NOT_NAME_LIST = """
    일행 등 일군 일군들 성원 성원들 대표단 단장 부단장 동지 동지들 선생 각하 녀사 일행을 일행과 대표들 사이 사이의
    정부 정부대표단 당 당대표단 겸 및 직무대리 앞 일행이 담화 회담 연회 오찬 만찬 접견 그의 그들 등을 등과"""
_NOT_NAMES = frozenset(_NOT_NAME_LIST.split())
# "X인 NAME": an office, then (in apposition) the name of the person holding it
_APPOSITIVE = ("인 ",)
# words that open the name of an office or a body: after an appositive name they end it ("... 은골로 국회 상원 의장")
_OFFICE_WORD_LIST = """
    국회 의회 상원 하원 국민의회 인민의회 정부 국가 당 당중앙위원회 중앙위원회 위원회 대통령 수상 총리 외무상 외무장관
    장관 의장 부의장 대사 특명전권대사 위원장 부위원장 총비서 서기장 비서 주석 부주석"""
_OFFICE_WORDS = frozenset(_OFFICE_WORD_LIST.split())


def strip_particle(word: str) -> tuple[str, bool]:
    """A word without its particle or honorific, and whether it had one (the last word of a name has)."""
    m = _PARTICLE_END.search(word)
    if m is None or m.start() == 0:
        return word, False
    return word[:m.start()], True


def name_after(text: str, at: int, max_words: int = 4,
               known: Callable[[str], bool] | None = None) -> tuple[str, str, int] | None:
    """The unknown name written after position `at` (after an office): (romanized, Hangul, end), or None.

    A Korean name is one word of two to four syllables beginning with a surname; a foreign name is several words
    ending with a particle ("프라디프 꾸마르 갸왈리를"). `known` tells a word the gazetteer reads (a state, an office:
    "조선대사를" is no name)."""
    rest = text[at:at + 60]
    appositive = rest.startswith(_APPOSITIVE)
    if appositive:  # "총비서인 삐애르 은골로 국회 상원 의장": the name, then the office of the person it names
        at += rest.index(" ")
        rest = text[at:at + 60]
    elif not rest.startswith(" "):
        return None
    words = rest.split()[:max_words + 1]

    def opens_office(word: str) -> bool:
        bare = strip_particle(word)[0]
        return not bare or bare in _NOT_NAMES or word in _NOT_NAMES or bare in _OFFICE_WORDS or (
            known is not None and known(bare))

    taken: list[str] = []
    for k, w in enumerate(words[:max_words]):
        if not w or not all(_parts(c) is not None for c in w):
            return None
        if opens_office(w):
            if appositive and taken:
                break  # the name ends where the office written after it begins
            return None
        if appositive:  # such a name ends where an office begins ("은골로 국회": no particle to strip), at "between"
            if w.endswith(_BETWEEN):  # ("냐벤다사이의 회담"), or it is none
                taken.append(strip_particle(w)[0])
                break
            taken.append(w)
            if k + 1 < len(words) and opens_office(words[k + 1]):
                break
            continue
        bare, ended = strip_particle(w)
        taken.append(bare)
        if ended:
            break
    else:
        return None
    end = at + rest.find(taken[-1]) + len(taken[-1])
    hangul = " ".join(taken)
    if len(taken) == 1:
        roman = korean_name(taken[0])
        return (roman, hangul, end) if roman else None
    roman = foreign_name(taken)
    return (roman, hangul, end) if roman else None
