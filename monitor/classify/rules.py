"""The genre rules, as word sets and phrases: what makes an item a meeting, foreign relations, or domestic.

Every rule reads a `Words` view of a lower-cased text: its word list, its word set and the text itself (for
phrases). Set intersections and substring tests run in C, which keeps classification fast.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")


class Words:
    """A lower-cased text with its words, as the rules read it."""

    __slots__ = ("list", "set", "text")

    def __init__(self, text: str) -> None:
        self.text = " " + text.lower() + " "
        self.list = _WORD.findall(self.text)
        self.set = frozenset(self.list)

    def any(self, words: frozenset[str]) -> str | None:
        """One of `words` found in the text, or None."""
        hit = self.set & words
        return min(hit) if hit else None

    def phrase(self, phrases: tuple[str, ...]) -> str | None:
        """The first of `phrases` (lower case, spaces around words) found in the text, or None."""
        for p in phrases:
            if p in self.text:
                return p.strip()
        return None

    def after(self, word: str, n: int = 3) -> list[str]:
        """The words following each occurrence of `word`, up to n of them per occurrence."""
        out: list[str] = []
        for i, w in enumerate(self.list):
            if w == word:
                out.extend(self.list[i + 1:i + 1 + n])
        return out


def _ws(text: str) -> frozenset[str]:
    return frozenset(text.split())


# -- meetings -------------------------------------------------------------------------------------------------
_RECEIVE = _ws("receive receives received")
_THINGS = _ws("""greeting greetings message messages letter letters floral flower basket baskets congratulations
congratulatory card cards reply replies gift gifts wreath wreaths telegram telegrams sympathy sympathies condolence
condolences condolatory credentials thanks answer answers report new birthday support""")
_MET = _ws("met meets")
_TALK_CONTEXT = _ws("had has have hold holds held between took")
_MEAL = _ws("banquet banquets luncheon dinner reception")
_MEAL_FOR = (" in honour of ", " in honor of ", " in welcome of ", " for comrade ", " for visiting ",
             " for the visiting ")
_GUEST = _ws("delegation delegations comrade president premier visiting guests")
_CALLS = (" courtesy call", " courtesy visit", " farewell call", " farewell visit", " strategic dialogue ",
          " dialogue between ")


def meeting_cue(w: Words) -> str | None:
    """The words that report a meeting, talks, a reception of someone, or None."""
    if hit := w.any(_MET):
        return hit
    if "meet" in w.set:
        nxt = w.after("meet", 1)
        if not nxt or nxt[0] in ("with", "and", "in", "on", "at"):
            return "meet"
    if "talks" in w.set and w.set & _TALK_CONTEXT:
        return "talks"
    if "talk" in w.set and ("had" in w.set or "has" in w.set):
        return "had a talk"
    for verb in _RECEIVE & w.set:
        nxt = w.after(verb, 3)
        if nxt and not (set(nxt) & _THINGS):
            return verb
    if "credentials" in w.set:
        return "credentials"
    if hit := w.phrase(_CALLS):
        return hit
    if w.set & _MEAL:
        if hit := w.phrase(_MEAL_FOR):
            return hit
        if set(w.after("for", 3)) & _GUEST:
            return "banquet for guests"
    if ("envoy" in w.set or "attends" in w.set or "attended" in w.set) and (
            "inaugural" in w.set or "inauguration" in w.set) and ("president" in w.set or "envoy" in w.set):
        return "attends an inauguration"
    return None


def with_leader(title: Words) -> bool:
    """A joint activity "with Comrade X" (the caller checks that X is a foreign leader)."""
    return "with" in title.set


def embassy_visit(title: Words) -> bool:
    """A visit paid to an embassy ("Pays Condolatory Visit to Russian Embassy")."""
    return "embassy" in title.set and "visit" in title.set


_NOT_MEETING = _ws("""arrives arrived arrival leaves left departs returns returned ceremony welcoming performance
wreath wreaths lays laid places basket baskets tours statement commentary commentator greetings greeting message
messages letter letters congratulations congratulatory condolences sympathy reply cards forum seminar exhibition
games camping""")
_NOT_MEETING_PHRASES = (" back home", " sees off", " see off", " pays tribute", " various places",
                        " different places", " several places", " here ")


def not_meeting_genre(title: Words) -> str | None:
    """Words of a title that make an item foreign relations but not a meeting (arrivals, ceremonies, messages)."""
    if hit := title.any(_NOT_MEETING):
        return hit
    if title.text.endswith(" here "):
        return "here"
    return title.phrase(_NOT_MEETING_PHRASES[:-1])


# -- foreign relations ----------------------------------------------------------------------------------------
_DIPLOMATIC = _ws("""commentary commentator statement spokesman spokesperson spokeswoman embassy embassies ambassador
ambassadors consul consulate credentials abroad foreign envoy puppet impeachment candlelight treaty fm fms
progressives""")
_DIPLOMATIC_PHRASES = (" comments on ", " kim yo jong", " white paper", " gives answers", " answer to question",
                       " charge d'affaires", " diplomatic corps", " dprk mission", " international forum",
                       " international seminar", " int'l security", " security analyst", " foreign ministry")


def diplomatic_genre(title: Words) -> str | None:
    """Foreign-relations genre words of a title: statements, commentaries, embassies, envoys."""
    return title.any(_DIPLOMATIC) or title.phrase(_DIPLOMATIC_PHRASES)


_TRAVEL = _ws("leaves left arrives arrived returns returned back here tours visits visit pays departs")


def delegation_travel(title: Words) -> str | None:
    """A delegation (or minister) leaving, arriving, touring or returning."""
    if (title.set & _ws("delegation delegations")) and title.set & _TRAVEL:
        return "delegation " + str(min(title.set & _TRAVEL))
    if " leaves for " in title.text or " left for " in title.text:
        return "leaves for"
    if title.set & _ws("minister fm") and title.set & _ws("back returns leaves arrives"):
        return "minister travels"
    if title.set & _ws("group team") and title.phrase((" arrives here", " leaves here", " arrives in pyongyang",
                                                        " leaves pyongyang")):
        return "group travels"
    return None


_MESSAGE = _ws("""greetings greeting message messages letter letters congratulations congratulatory congratulates
condolences condolence sympathy sympathies reply replies cards floral wreath wreaths basket baskets telegram""")


def message(title: Words) -> str | None:
    """Messages, greetings, letters, condolences, floral baskets."""
    return title.any(_MESSAGE)


_OVERSEAS = re.compile(r"\bkoreans?\s+(?:[\w']+\s+){0,3}?(?:in|living\s+in|resident\s+in|residing\s+in)\s+"
                       r"(?!dprk|korea|pyongyang)(?-i:[A-Z])|chongryon|chongsanghoe|general\s+association\s+of\s+"
                       r"korean|compatriots\s+in|overseas\s+koreans|korean\s+residents", re.IGNORECASE)
_OVERSEAS_WORDS = _ws("korean koreans chongryon chongsanghoe compatriots overseas")


def overseas_koreans(text: str, *views: Words) -> bool:
    """Koreans living abroad (Chongryon and the like): not a foreign side."""
    return any(w.set & _OVERSEAS_WORDS for w in views) and bool(_OVERSEAS.search(text))


_ABROAD = _ws("abroad europe africa african foreign international int")
_ABROAD_PHRASES = (" asia-pacific", " latin america", " middle east", " different countries", " various countries",
                   " world political", " overseas compatriots")


def abroad(title: Words) -> str | None:
    """Words that place an item abroad."""
    return title.any(_ABROAD) or title.phrase(_ABROAD_PHRASES)


# -- at home --------------------------------------------------------------------------------------------------
_SPORT = _ws("""win wins won medal medals championship championships cup olympiad olympic olympics advances
qualified match league quarterfinals quarterfinal semifinals semi finals final players player footballers team
tournament contest games sports""")


def sport(title: Words) -> str | None:
    """Sport results (domestic, even abroad), unless a delegation travels."""
    if title.set & _ws("delegation delegations"):
        return None
    return title.any(_SPORT)


_HOME = _ws("plenary plenum inspects inspected drill oversees firing kumsusan launch launching launches session test")
_HOME_PHRASES = (" political bureau", " national meeting", " national conference", " field guidance", " test-fire",
                 " photo session", " in dprk ", " of dprk ")


def home_event(title: Words) -> str | None:
    """Party meetings, inspections, tests and other events at home."""
    return title.any(_HOME) or title.phrase(_HOME_PHRASES)


_HISTORY = (" anti-japanese", " fatherland liberation war", " overseas military operations")


def anti_history(w: Words) -> str | None:
    """History of the wars at home ("anti-Japanese armed struggle"): not a foreign state taking part."""
    return w.phrase(_HISTORY)


_MEMORIAL = (" cpv fallen", " cpv martyrs", " chinese people's volunteers", " liberation tower", " friendship tower",
             " soviet army", " soviet soldiers")


def foreign_memorial(w: Words) -> str | None:
    """Homage at memorials of foreign soldiers (Chinese People's Volunteers, Soviet army)."""
    return w.phrase(_MEMORIAL)


_ALL_TITLE_CUES = (_RECEIVE | _THINGS | _MET | _MEAL | _NOT_MEETING | _DIPLOMATIC | _MESSAGE | _OVERSEAS_WORDS
                   | _ABROAD | _ws("""meet talks talk credentials envoy inaugural inauguration embassy delegation
                   delegations leaves left minister fm comments yo paper answers answer charge corps mission missions
                   analyst courtesy farewell dialogue asia latin middle countries world cpv tower towers soviet
                   volunteers"""))


def no_title_cue(title: Words) -> bool:
    """Whether a title has none of the words any meeting or foreign-relations rule looks for."""
    return title.set.isdisjoint(_ALL_TITLE_CUES)
