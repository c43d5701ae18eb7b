"""The genre rules, as word sets and phrases: what makes an item a meeting, foreign relations, or domestic.

Every rule reads a `Words` view of a lower-cased text: its word list, its word set and the text itself (for
phrases). Set intersections and substring tests run in C, which keeps classification fast.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")
# bytes.translate table: ASCII letters and digits kept, every other byte a space (then str.split gives the words)
ALNUM = bytes(c if chr(c).isalnum() and c < 128 else 32 for c in range(256))


def lower_words(low: str) -> list[str]:
    """The runs of [a-z0-9] of a lower-cased text (a fast path for ASCII text, the common case)."""
    if low.isascii():
        return low.encode("ascii").translate(ALNUM).decode("ascii").split()
    return _WORD.findall(low)


class Words:
    """A lower-cased text with its words, as the rules read it."""

    __slots__ = ("list", "set", "text")

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.text = " " + low + " "
        self.list = lower_words(low)
        self.set = frozenset(self.list)

    def any(self, words: frozenset[str]) -> str | None:
        """One of `words` found in the text, or None."""
        if self.set.isdisjoint(words):
            return None
        return min(self.set & words)

    def phrase(self, phrases: Phrases) -> str | None:
        """The first of `phrases` found in the text, or None."""
        if phrases.gate is not None and self.set.isdisjoint(phrases.gate):
            return None
        for p in phrases.items:
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


_FIRST_WORD = re.compile(r" ([a-z0-9]+)[^a-z0-9]")


class Phrases:
    """Phrases looked for in a `Words` text (lower case, a space before the first word), and a word gate.

    A phrase " w ..." found in the text means its first word w is one of the text's words (a space before it
    and a non-word character after it); `gate` holds these words, so one set test rules out every phrase.
    It is None when some phrase has no such word (then every phrase is tried).
    """

    __slots__ = ("gate", "items")

    def __init__(self, *items: str) -> None:
        self.items = items
        firsts = [_FIRST_WORD.match(p) for p in items]
        self.gate = frozenset(m.group(1) for m in firsts if m) if all(firsts) else None


# -- meetings -------------------------------------------------------------------------------------------------
_RECEIVE = _ws("receive receives received")
_THINGS = _ws("""greeting greetings message messages letter letters floral flower basket baskets congratulations
congratulatory card cards reply replies gift gifts wreath wreaths telegram telegrams sympathy sympathies condolence
condolences condolatory credentials thanks answer answers report new birthday support medal medals order orders
prize prizes award awards decoration decorations title titles honorary""")
_MET = _ws("met meets")
_TALK_CONTEXT = _ws("had has have hold holds held between took")
_MEAL = _ws("banquet banquets luncheon dinner reception")
_MEAL_FOR = Phrases(" in honour of ", " in honor of ", " in welcome of ", " for comrade ", " for visiting ",
             " for the visiting ")
_GUEST = _ws("""delegation delegations comrade president premier visiting guests minister ministers chairman secretary
embassy diplomats party parliamentarians leader""")
_CALLS = Phrases(" courtesy call", " courtesy visit", " farewell call", " farewell visit", " strategic dialogue ",
          " dialogue between ", " when meeting ", " while meeting ", " when receiving ", " while receiving ",
          " meeting with ")


_FUTURE = Phrases(" to be held", " will be held", " will hold", " to hold ", " to meet ", " will meet ", " to visit ",
                  " scheduled ")
# a "talk" that is a speech or a published work, not a conversation: "the full text of the talk he had with officials"
_SPEECH = _ws("text texts work works published posted carried speech lecture")


def future(w: Words) -> str | None:
    """Words announcing an event still to come ("Talks to Be Held"): not a meeting that took place."""
    return w.phrase(_FUTURE)


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
    if "talk" in w.set and ("had" in w.set or "has" in w.set) and w.set.isdisjoint(_SPEECH):
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


_SIGNED = _ws("signed signs inked")
_IN_PERSON = Phrases(" visiting ", " on a visit ", " on an official visit ", " on a state visit ", " who is visiting ",
                     " during his visit ", " during her visit ", " during the visit ")


def signed_in_person(w: Words) -> str | None:
    """A signing the sentence places in one room ("the President and the visiting President signed"): the signing
    word, or None. Whether the signatories are officials of two states is the caller's question."""
    if (hit := w.any(_SIGNED)) and w.phrase(_IN_PERSON):
        return hit
    return None


_HOSTED = _ws("hosted hosts host gave gives given arranged arranges provided")
_HIGH_BODIES = ("central committee of the workers party of korea", "wpk central committee",
                "central committee of the wpk", "c c the workers party of korea", "c c of the workers party of korea",
                "supreme people s assembly", "spa")
_HIGH_DELEGATION = Phrases(" high-ranking", " high ranking", " high-level", " high level")


def high_host(*views: Words) -> str | None:
    """A meeting whose rank comes from the body that holds it, when the text names nobody: a reception given by the
    WPK Central Committee or the Supreme People's Assembly (a CC secretary or the SPA chairman hosts), talks
    between delegations of the WPK and a foreign party (a CC secretary leads), a "high-ranking" delegation."""
    words = set().union(*(v.set for v in views))
    joined = " " + " . ".join(" ".join(v.list) for v in views) + " "
    if words & _MEAL and words & _HOSTED:
        for body in _HIGH_BODIES:
            if f" {body} " in joined:
                return f"reception given by the {body}"
    if "talks" in words and ("delegations" in words or "delegation" in words):
        # the WPK and another party: "party" written once more than "Workers' Party" (or the WPK by its initials)
        wpk = joined.count(" workers party ")
        if (wpk or " wpk " in joined) and joined.count(" party ") > wpk:
            return "talks between party delegations"
    for v in views:
        if (hit := v.phrase(_HIGH_DELEGATION)) and "delegation" in v.set:
            return hit + " delegation"
    return None


_BODY = _ws("organization organisation foundation union institute federation committee association")
_INTERNATIONAL = _ws("international int")
_MANY = Phrases(" various countries", " different countries", " many countries", " foreign countries")


def international_guests(w: Words) -> str | None:
    """Guests from abroad without a state: an international organization, foundation or union, or the
    delegations "of various countries"."""
    if not w.set.isdisjoint(_INTERNATIONAL) and not w.set.isdisjoint(_BODY):
        return "international " + min(w.set & _BODY)
    return w.phrase(_MANY)


def with_leader(title: Words) -> bool:
    """A joint activity "with Comrade X" (the caller checks that X is a foreign leader)."""
    return "with" in title.set


def embassy_visit(title: Words) -> bool:
    """A visit paid to an embassy ("Pays Condolatory Visit to Russian Embassy")."""
    return "embassy" in title.set and "visit" in title.set


_NOT_MEETING = _ws("""arrives arrived arrival leaves left departs returns returned ceremony welcoming performance
wreath wreaths lays laid places basket baskets tours statement commentary commentator greetings greeting message
messages letter letters congratulations congratulatory condolences sympathy reply cards forum seminar exhibition
games camping accuses accused denounces denounced slams censures censured condemns condemned""")
_NOT_MEETING_PHRASES = Phrases(" back home", " sees off", " see off", " pays tribute", " various places",
                               " different places", " several places")


def not_meeting_genre(title: Words) -> str | None:
    """Words of a title that make an item foreign relations but not a meeting (arrivals, ceremonies, messages)."""
    if hit := title.any(_NOT_MEETING):
        return hit
    if title.text.endswith(" here "):
        return "here"
    return title.phrase(_NOT_MEETING_PHRASES)


# -- foreign relations ----------------------------------------------------------------------------------------
_DIPLOMATIC = _ws("""commentary commentator statement spokesman spokesperson spokeswoman embassy embassies ambassador
ambassadors consul consulate credentials abroad foreign envoy puppet impeachment candlelight treaty fm fms
progressives""")
_DIPLOMATIC_PHRASES = Phrases(" comments on ", " kim yo jong", " white paper", " gives answers", " answer to question",
                       " charge d'affaires", " diplomatic corps", " dprk mission", " international forum",
                       " international seminar", " int'l security", " security analyst", " foreign ministry")


def diplomatic_genre(title: Words) -> str | None:
    """Foreign-relations genre words of a title: statements, commentaries, embassies, envoys."""
    return title.any(_DIPLOMATIC) or title.phrase(_DIPLOMATIC_PHRASES)


_TRAVEL = _ws("leaves left arrives arrived returns returned back here tours visits visit pays departs")
_DELEGATION = _ws("delegation delegations")
_MINISTER = _ws("minister fm")
_MINISTER_TRAVEL = _ws("back returns leaves arrives")
_GROUP = _ws("group team")
_GROUP_TRAVEL = Phrases(" arrives here", " leaves here", " arrives in pyongyang", " leaves pyongyang")


def delegation_travel(title: Words) -> str | None:
    """A delegation (or minister) leaving, arriving, touring or returning."""
    if not title.set.isdisjoint(_DELEGATION) and not title.set.isdisjoint(_TRAVEL):
        return "delegation " + min(title.set & _TRAVEL)
    if " leaves for " in title.text or " left for " in title.text:
        return "leaves for"
    if not title.set.isdisjoint(_MINISTER) and not title.set.isdisjoint(_MINISTER_TRAVEL):
        return "minister travels"
    if not title.set.isdisjoint(_GROUP) and title.phrase(_GROUP_TRAVEL):
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


# the words every match of _OVERSEAS starts with
_OVERSEAS_STARTS = ("korean", "chongryon", "chongsanghoe", "general", "compatriots", "overseas")


def overseas_koreans(text: str, *views: Words) -> bool:
    """Koreans living abroad (Chongryon and the like): not a foreign side."""
    if all(w.set.isdisjoint(_OVERSEAS_WORDS) for w in views):
        return False
    if not text.isascii():
        return bool(_OVERSEAS.search(text))
    # try the pattern only where one of its first words stands (much faster than searching every position)
    low = text.lower()
    for start in _OVERSEAS_STARTS:
        i = low.find(start)
        while i != -1:
            if _OVERSEAS.match(text, i):
                return True
            i = low.find(start, i + 1)
    return False


_ABROAD = _ws("abroad europe africa african foreign international int")
_ABROAD_PHRASES = Phrases(" asia-pacific", " latin america", " middle east", " different countries",
                          " various countries", " world political", " overseas compatriots")


def abroad(title: Words) -> str | None:
    """Words that place an item abroad."""
    return title.any(_ABROAD) or title.phrase(_ABROAD_PHRASES)


# -- at home --------------------------------------------------------------------------------------------------
_SPORT = _ws("""win wins won medal medals championship championships cup olympiad olympic olympics advances
qualified match league quarterfinals quarterfinal semifinals semi finals final players player footballers team
tournament contest games sports judoists paddlers wrestlers boxers weightlifters gymnasts athletes ittf fifa
footballer""")


_HONOURED = _ws("receive receives received conferred awarded confers awards")


def sport(title: Words) -> str | None:
    """Sport results (domestic, even abroad), unless a delegation travels or a medal is an honour received."""
    if not title.set.isdisjoint(_DELEGATION) or not title.set.isdisjoint(_HONOURED):
        return None
    return title.any(_SPORT)


_HOME = _ws("plenary plenum inspects inspected drill oversees firing kumsusan launch launching launches session test")
_HOME_PHRASES = Phrases(" political bureau", " national meeting", " national conference", " field guidance",
                        " test-fire", " photo session", " in dprk ", " of dprk ")


_EVENT = _ws("""festival festivals fair fairs symposium exhibition exhibitions film games contest book marathon
tourists tourist tourism sightsee sightseeing""")
_HOME_INTERNATIONAL = _ws("international int participants tourists tourist tourism sightsee sightseeing")


def home_international(title: Words) -> str | None:
    """An "international" festival, fair or symposium held at home, its participants, or foreign tourists touring
    the country: domestic events, whatever guests take part."""
    if title.set.isdisjoint(_EVENT) or title.set.isdisjoint(_HOME_INTERNATIONAL):
        return None
    return "international event at home: " + min(title.set & _EVENT)


def home_event(title: Words) -> str | None:
    """Party meetings, inspections, tests and other events at home."""
    return title.any(_HOME) or title.phrase(_HOME_PHRASES) or home_international(title)


_HISTORY = Phrases(" anti-japanese", " fatherland liberation war", " overseas military operations")


_INTER_KOREAN = _ws("reunification north-south inter-korean traitor traitors")
_INTER_KOREAN_PHRASES = Phrases(" north-south", " inter-korean", " lee myung bak", " park geun hye", " lee group",
                                " south side", " north and south")


def inter_korean(w: Words) -> str | None:
    """Relations with the south: reunification, north-south contacts, its rulers by name."""
    return w.any(_INTER_KOREAN) or w.phrase(_INTER_KOREAN_PHRASES)


def anti_history(w: Words) -> str | None:
    """History of the wars at home ("anti-Japanese armed struggle"): not a foreign state taking part."""
    return w.phrase(_HISTORY)


_MEMORIAL = Phrases(" cpv fallen", " cpv martyrs", " chinese people's volunteers", " liberation tower",
                    " friendship tower", " soviet army", " soviet soldiers")


def foreign_memorial(w: Words) -> str | None:
    """Homage at memorials of foreign soldiers (Chinese People's Volunteers, Soviet army)."""
    return w.phrase(_MEMORIAL)


# The title words some rule acts on even when neither title nor lead names a foreign state or official (the
# classifier checks those apart): foreign-relations genres, travel, places abroad, Koreans abroad, memorials to
# foreign soldiers; and the meeting words, so that a meeting without a foreign side is told as one. Words that
# only qualify another cue (the things received, "Greetings", "Ceremony", "New") are not among them.
_TITLE_CUES = (_RECEIVE | _MET | _MEAL | _DIPLOMATIC | _DELEGATION | _MINISTER | _OVERSEAS_WORDS | _ABROAD
               | _ws("""meet talks talk credentials envoy inaugural inauguration courtesy farewell dialogue leaves left
               arrives comments yo paper answers answer charge corps mission missions analyst asia latin middle
               countries cpv tower towers soviet volunteers reunification traitor traitors south"""))
# a phrase cue whose words are common alone: the title counts when one of these phrases is in it
_TITLE_PHRASE_CUES = Phrases(" world political")


def no_title_cue(title: Words) -> bool:
    """Whether a title has none of the words (or phrases) a rule acts on without a foreign state or official."""
    return title.set.isdisjoint(_TITLE_CUES) and title.phrase(_TITLE_PHRASE_CUES) is None
