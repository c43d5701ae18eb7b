"""Public appearances: who of the DPRK officials of the gazetteer an item shows doing something in person.

Pure: title and lead in, appearances out. An appearance is a person of the gazetteer (of the DPRK: the absences
analysts count are of the leader and the officials around him) who is the subject of an activity done in person
("inspects", "visits", "watches", "meets", "attends", "receives a delegation"), or the guest met in person ("Putin
meets Kim Jong Un"), or an official named as accompanying him. Messages, greetings, gifts and letters sent or
received, works published and names in passing ("a message to Kim Jong Un", "Kim Jong Un's works studied") are
not appearances.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from monitor.classify.gazetteer import DPRK, Gazetteer
from monitor.classify.text import Tokens, fold, squash, tokenize

# the verb of the subject -> the kind of appearance (present, past and the -ing form all given)
_ACTIVITY: dict[str, str] = {}
for _kind, _forms in {
    "inspects": ("inspects", "inspected", "inspect", "inspecting"),
    "visits": ("visits", "visited", "visit", "visiting", "calls", "called", "pays", "paid", "drops", "dropped"),
    "tours": ("tours", "toured", "tour", "looks", "looked", "goes", "went", "walks", "walked", "rides", "rode",
              "strolls", "strolled", "takes", "took"),
    "guides": ("guides", "guided", "guide", "leads", "led", "directs", "directed", "oversees", "oversaw",
               "supervises", "supervised", "gives", "gave", "provides", "provided", "conducts", "conducted",
               "acquaints", "acquainted", "learns", "learned", "examines", "examined", "checks", "checked"),
    "attends": ("attends", "attended", "attend", "participates", "participated", "joins", "joined", "appears",
                "appeared", "presides", "presided", "chairs", "chaired", "opens", "opened", "makes", "made",
                "delivers", "delivered", "addresses", "addressed", "speaks", "spoke", "cuts", "cut", "lays", "laid",
                "plants", "planted", "celebrates", "celebrated", "enjoys", "enjoyed", "rejoices", "poses",
                "posed", "sits", "sat", "stands", "stood", "is", "was", "arrives", "arrived", "leaves", "left",
                "returns", "returned", "departs", "departed", "reviews", "reviewed", "hands", "handed", "honours",
                "honors", "honoured", "honored", "decorates", "decorated", "hoists", "hoisted", "stays", "stayed",
                "holds", "held", "hosts", "hosted", "throws", "threw", "sponsors", "sponsored", "arranges",
                "arranged", "welcomes", "welcomed", "sees", "saw", "bids", "bade", "bid", "expresses",
                "expressed", "says", "said", "clarifies", "clarified", "stresses", "stressed", "sets", "set",
                "has", "had", "drives", "drove", "test-fires", "fires", "fired", "launches", "launched"),
    "watches": ("watches", "watched", "watch", "observes", "observed", "views", "viewed", "appreciates",
                "appreciated", "witnesses", "witnessed"),
    "meets": ("meets", "met", "meet", "talks", "talked", "greets", "greeted", "converses", "conversed",
              "embraces", "embraced", "shakes", "shook", "exchanges", "exchanged", "dines", "dined", "accompanies",
              "accompanied"),
    "receives": ("receives", "received", "receive", "accepts", "accepted"),
}.items():
    for _form in _forms:
        _ACTIVITY.setdefault(_form, _kind)

# verbs that tell of no appearance (a message, an order, a work): the subject did not show himself
_NOT_IN_PERSON = frozenset({
    "sends", "sent", "send", "conveys", "conveyed", "thanks", "thanked", "congratulates", "congratulated",
    "answers", "answered", "publishes", "published", "issues", "issued", "awards", "awarded", "confers",
    "conferred", "appoints", "appointed", "orders", "ordered", "calls", "writes", "wrote", "signs", "signed",
    "dispatches", "dispatched", "replies", "replied", "mourns", "mourned", "condoles", "praises", "praised",
    "hails", "hailed", "wishes", "wished", "gets", "got", "entrusts", "entrusted", "elected", "reelected",
    "re-elected", "nominated", "proclaimed", "forwards", "forwarded", "releases", "released", "instructs",
    "instructed", "underlines", "underlined", "points", "pointed", "notes", "noted", "emphasizes", "emphasized",
})
# what a message is: a verb with one of these as its object tells of no appearance ("receives a letter")
_MESSAGE = frozenset({
    "message", "messages", "letter", "letters", "greeting", "greetings", "gift", "gifts", "card", "cards",
    "telegram", "telegrams", "congratulations", "congratulatory", "condolence", "condolences", "thanks", "reply",
    "replies", "wreath", "wreaths", "basket", "baskets", "flowers", "answer", "answers", "order", "orders",
    "speech", "address", "report", "reports", "work", "works", "book", "books", "article", "articles",
    "birthday", "sympathy", "inscription", "autograph", "written", "signed", "note", "notes", "instructions",
    "decree", "decrees", "copy", "photo", "photos", "portrait", "portraits", "award", "title", "medal",
    "prize", "tribute", "support", "solidarity", "visit", "invitation", "invitations",
})
# verbs whose object also appears in person ("Putin meets Kim Jong Un")
_MEETS_OBJECT = frozenset({"meets", "met", "receives", "received", "greets", "greeted", "welcomes", "welcomed",
                           "accompanies", "accompanied", "hosts", "hosted", "embraces", "embraced", "with",
                           "between", "see", "sees", "saw", "off", "farewell", "honour", "honor"})
# words before a name that make it an object of something else ("message to Kim Jong Un")
_NOT_SUBJECT = frozenset({"to", "for", "from", "of", "by", "about", "on", "in", "at", "praise", "praising",
                          "hail", "hailing", "wish", "wishing", "under", "behalf", "thanks", "towards", "toward",
                          "s", "like", "than", "as", "after", "before", "since", "upon", "against"})
_COORD = frozenset({"and", "together"})
# title and honorific words that may stand before a subject's name ("Respected Comrade Kim Jong Un")
_HONORIFIC = frozenset({"respected", "comrade", "supreme", "leader", "dear", "great", "beloved", "marshal",
                        "general", "secretary", "president", "chairman", "premier", "minister", "first", "vice",
                        "deputy", "member", "director", "department", "wpk", "dprk", "korean", "people", "s",
                        "kpa", "commander", "state", "affairs", "foreign", "party", "central", "committee",
                        "political", "bureau", "presidium", "standing", "assembly", "sac", "cc", "workers",
                        "korea", "of", "and", "mr", "madam", "her", "his", "excellency", "sister", "top",
                        "leaders", "nk", "north", "head", "chief", "senior", "official", "officials", "including",
                        "government", "leading", "cabinet", "ministers", "secretaries", "directors", "members"})
_ACCOMPANIED = ("accompanied by", "escorted by", "together with")
_PRESENT = ("present were", "were present", "also present", "present there were", "were also present",
            "was present", "were on hand", "joined by")
_LIMIT = 1200
# words right after a subject that put the activity in the future ("Kim Jong Un to Visit Russia")
_FUTURE = frozenset({"to", "will", "would", "is", "set", "due", "plans", "planned", "expected"})
# "Pyongyang, August 10 (KCNA) --": the dateline before a lead
_DATELINE = re.compile(r"^[^-()]{0,60}\((?:KCNA|kcna)\)\s*-*\s*")
# a lead telling a story of the past ("One day in May Juche 103 (2014), ... visited"): no appearance today
_PAST_STORY = re.compile(
    r"\b(?:one day|years ago|(?:in|of) (?:the )?(?:19|20)\d\d\b|Juche \d+,? \((?:19|20)\d\d\))", re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


@dataclass(frozen=True)
class Appearance:
    """One person shown in public by an item: who, the kind of activity, and where it was read from."""

    person: str
    kind: str
    where: str  # "title" | "lead"


def _first_sentence(lead: str) -> str:
    """The lead up to the end of its first sentence (a full stop after a lower-case word or a number)."""
    lead = lead[:_LIMIT]
    for i, ch in enumerate(lead):
        if ch == "." and 0 < i < len(lead) - 1 and (lead[i - 1].islower() or lead[i - 1].isdigit()) \
                and lead[i + 1] == " " and i + 2 < len(lead) and lead[i + 2].isupper():
            return lead[:i + 1]
    return lead


def _verb_after(tokens: Tokens, start: int, stop: int) -> tuple[int, str] | None:
    """The first word after a subject that is a verb this module knows, and its position; None when none is.

    An apposition ("Kim Jong Un, general secretary of the WPK, inspected") is skipped: it holds no verb.
    """
    lows = tokens.lows
    if start < stop and lows[start] in _FUTURE and (lows[start] != "is" or (
            start + 1 < stop and lows[start + 1] in ("to", "expected", "scheduled", "due", "set", "going"))):
        return start, "to"
    for j in range(start, min(stop, start + 80)):
        w = lows[j]
        if '"' in tokens.gaps[j] and j > start:
            return None
        if w in _ACTIVITY or w in _NOT_IN_PERSON:
            return j, w
        if tokens.gaps[j].strip() in (".", ";", ":") and j > start and len(tokens.words[j - 1]) > 1:
            return None
    return None


def _object_is_message(tokens: Tokens, verb: int, stop: int) -> bool:
    """Whether the few words after a verb name a message, a gift or a work rather than people or a place."""
    lows = tokens.lows
    for j in range(verb + 1, min(stop, verb + 6)):
        if lows[j] in _MESSAGE:
            return True
        if lows[j] in ("with", "at", "in", "to", "on", "for", "from", "during", "and", "led", "headed"):
            return False
    return False


def _in_person(tokens: Tokens, verb: int, word: str, stop: int) -> str | None:
    """The kind of appearance a subject's verb tells of, or None when it tells of none."""
    if word in _NOT_IN_PERSON:
        return None
    if word in ("greets", "greeted"):
        return "?"  # "X Greets Ugandan President" is a message as often as a welcome: left to the other reading
    kind = _ACTIVITY[word]
    lows = tokens.lows
    nxt = lows[verb + 1] if verb + 1 < stop else ""
    if word in ("is", "was"):
        if nxt in ("present", "on", "at", "in", "greeted", "welcomed", "accompanied", "seen", "joined"):
            return "attends"
        return None
    if word in ("gives", "gave", "provides", "provided"):
        if "guidance" in lows[verb + 1:verb + 4] or nxt == "field":
            return "guides"
        return "?" if nxt in ("gifts", "gift") else None  # gifts handed over or sent: the lead tells which
    if word in ("makes", "made", "delivers", "delivered"):
        after = lows[verb + 1:verb + 5]
        if any(w in ("survey", "inspection", "field", "tour", "round", "trip", "visit") for w in after):
            return "inspects" if any(w in ("survey", "inspection", "field") for w in after) else "visits"
        if any(w in ("speech", "address", "report", "remarks", "appearance", "conclusion") for w in after):
            return "attends"
        return None
    if word in ("expresses", "expressed", "says", "said", "clarifies", "clarified", "stresses", "stressed",
                "sets", "set", "has", "had", "sees", "saw", "takes", "took", "goes", "went", "calls", "called",
                "holds", "held", "sits", "sat", "stands", "stood", "hands", "handed", "welcomes", "welcomed",
                "learns", "learned", "checks", "checked", "examines", "examined", "joins", "joined", "opens",
                "opened", "leaves", "left", "returns", "returned", "cuts", "cut", "plants", "planted"):
        return _weak_verb(lows, verb, word, stop)
    if word in ("receives", "received", "receive", "accepts", "accepted", "exchanges", "exchanged", "lays",
                "laid", "honours", "honors", "honoured", "honored") and _object_is_message(tokens, verb, stop):
        return None
    if word in ("lays", "laid") and "wreath" in lows[verb + 1:verb + 5]:
        return "attends"
    return kind


def _weak_verb(lows: list[str], verb: int, word: str, stop: int) -> str | None:
    """Verbs that are an appearance only with the right words after them ("holds talks", "sees a performance",
    "sets off", "has a photo session"); "says" only when the lead reports what was said there."""
    after = lows[verb + 1:min(stop, verb + 7)]
    if word in ("expresses", "expressed", "says", "said", "clarifies", "clarified", "stresses", "stressed"):
        return None
    if word in ("holds", "held", "has", "had"):
        if any(w in ("talks", "talk", "meeting", "session", "photo", "photos", "conversation", "banquet", "reception",
                     "luncheon", "dinner", "summit", "ceremony", "rally", "parade", "consultation", "meeting",
                     "plenary", "conference", "review") for w in after):
            return "meets" if any(w in ("talks", "talk", "conversation", "summit") for w in after) else "attends"
        return None
    if word in ("sees", "saw"):
        return "watches" if not any(w in ("message", "letter") for w in after[:3]) else None
    if word in ("takes", "took", "goes", "went"):
        return "tours" if any(w in ("round", "tour", "walk", "ride", "part", "trip", "aboard", "look")
                              for w in after[:3]) else None
    if word in ("calls", "called"):
        return "visits" if after[:1] in (["at"], ["on"]) else None
    if word in ("sits", "sat", "stands", "stood"):
        return "attends"
    if word in ("hands", "handed", "welcomes", "welcomed", "cuts", "cut", "plants", "planted", "opens", "opened"):
        return "attends" if not any(w in _MESSAGE for w in after[:3]) else None
    if word in ("learns", "learned", "checks", "checked", "examines", "examined"):
        return "guides" if any(w in ("about", "on", "at", "work", "production", "situation") for w in after) else None
    if word in ("joins", "joined"):
        return "attends" if any(w in ("in", "workers", "soldiers", "students", "people", "officials")
                                for w in after[:3]) else None
    if word in ("leaves", "left", "returns", "returned"):
        return "visits" if any(w in ("for", "home", "pyongyang", "after", "here", "by") for w in after[:3]) \
            else None
    return None


def _subject_start(tokens: Tokens, first: int, begin: int) -> bool:
    """Whether a name at `first` can be the subject: only title and honorific words (or another subject and
    "and") stand between the start of the sentence (`begin`) and it."""
    lows, gaps = tokens.lows, tokens.gaps
    for j in range(first - 1, begin - 1, -1):
        if (lows[j] in _ACTIVITY or lows[j] in _NOT_IN_PERSON) and lows[j] not in _HONORIFIC:
            return False
        if lows[j] in _NOT_SUBJECT and not (lows[j] in ("of", "s") and tokens.caps[j + 1]):
            return False
        if lows[j] not in _HONORIFIC and not tokens.caps[j] and lows[j] not in _COORD:
            return False
        if gaps[j + 1].strip() in (".", ";", ":", '"') and j < first - 1:
            return False
    return True


def _meets_object(tokens: Tokens, first: int, begin: int) -> bool:
    """Whether a name is the guest of a verb of meeting before it ("Putin meets Kim Jong Un", "talks with")."""
    lows, caps = tokens.lows, tokens.caps
    if first >= 2 and lows[first - 1] == "of" and lows[first - 2] in ("guidance", "presence"):
        return True  # "held under the guidance of X", "in the presence of X"
    led = False
    for j in range(first - 1, max(begin - 1, first - 20), -1):
        if lows[j] == "by" and j > 0 and lows[j - 1] in ("led", "headed"):
            led = True  # "met the delegation (of the DPRK) led by (its Minister of Trade) X": its head was met
            continue
        if (led or not any(lows[k] == "by" for k in range(j, first))) and (
                lows[j] in ("of", "its", "and", "s", "delegation", "headed", "led", "government") or caps[j]) \
                and lows[j] not in _MEETS_OBJECT and lows[j] not in _ACTIVITY:
            if lows[j] == "of" and not led and not caps[j + 1]:
                return False
            continue  # title words before the name ("Minister of Foreign Trade X")
        if lows[j] in _MEETS_OBJECT:
            if lows[j] == "with" and j > 0 and lows[j - 1] in ("message", "letter", "greetings", "gift"):
                return False
            if lows[j] in ("honour", "honor"):
                return j > 0 and lows[j - 1] == "in" and any(
                    w in ("banquet", "reception", "luncheon", "dinner", "performance") for w in lows[max(0, j - 6):j])
            if lows[j] == "between":
                return any(w in ("talks", "summit", "meeting") for w in lows[max(0, j - 3):j])
            if lows[j] == "with":
                return any(w in ("talks", "meeting", "meets", "met", "photo", "session", "together", "summit",
                                 "talk", "conversation") for w in lows[max(0, j - 5):j])
            return True
        if lows[j] in _NOT_SUBJECT or lows[j] in _NOT_IN_PERSON:
            return False
    return False


def _names(tokens: Tokens, gaz: Gazetteer, when: date | None) -> list[tuple[str, int, int]]:
    """The DPRK officials of the gazetteer in a text, as (name, first token, last token + 1)."""
    out: list[tuple[str, int, int]] = []
    for m in gaz.lexicon.scan(tokens):
        if m.kind != "name":
            continue
        name = gaz.names[m.key]
        if gaz.country_of(name) != DPRK or not gaz.present(name, when):
            continue
        if m.last - m.first < 2 and not (m.first > 0 and tokens.lows[m.first - 1] in _HONORIFIC):
            continue  # a surname alone is too ambiguous
        out.append((name, m.first, m.last))
    return out


def _read(text: str, gaz: Gazetteer, when: date | None, where: str) -> tuple[list[Appearance], set[str]]:
    """Appearances read from one sentence, and the people it names as subjects of something not in person."""
    tokens = tokenize(text)
    n = len(tokens)
    found: list[Appearance] = []
    denied: set[str] = set()
    names = _names(tokens, gaz, when)
    for name, first, last in names:
        if last < n and tokens.lows[last] == "s" and tokens.gaps[last] == "'":
            continue  # "Kim Jong Un's works": a possessive
        if _subject_start(tokens, first, 0):
            hit = _verb_after(tokens, last, n)
            if hit is None:
                continue
            verb, word = hit
            kind = None if word == "to" else _in_person(tokens, verb, word, n)
            if kind == "?":
                continue
            if kind is None:
                denied.add(name)
            else:
                found.append(Appearance(name, kind, where))
        elif _meets_object(tokens, first, 0):
            found.append(Appearance(name, "meets", where))
    return found, denied


def _escorts(lead: str, gaz: Gazetteer, when: date | None) -> list[Appearance]:
    """Officials named after "accompanied by" or "present were" in the lead (only read when someone appears)."""
    low = lead.lower()
    out: list[Appearance] = []
    for phrases, kind in ((_ACCOMPANIED, "accompanies"), (_PRESENT, "present")):
        for phrase in phrases:
            k = low.find(phrase)
            if k == -1:
                continue
            segment = lead[k + len(phrase):]
            end = segment.find(". ")
            segment = segment[:end if end != -1 else len(segment)]
            tokens = tokenize(segment)
            out.extend(Appearance(name, kind, "lead") for name, _, _ in _names(tokens, gaz, when))
    return out


def _of_the_past(lead: str, when: date | None) -> bool:
    """Whether a lead tells a story of the past: "one day", or a year before the item's own."""
    hit = _PAST_STORY.search(lead)
    if hit is None:
        return False
    if hit.group(0).lower().startswith(("one day", "years")) or when is None:
        return True
    return any(int(y) < when.year for y in _YEAR.findall(hit.group(0)))


def find_appearances(title: str, lead: str | None, gaz: Gazetteer, when: date | None = None) -> list[Appearance]:
    """The appearances an item reports, once per person (the title's reading first, then the lead's).

    A person the title shows doing something not in person ("Kim Jong Un Sends Greetings") is not made to
    appear by the lead repeating it.
    """
    title_f = squash(fold((title or "")[:_LIMIT]))
    lead_f = _first_sentence(_DATELINE.sub("", squash(fold((lead or "")[:_LIMIT * 2]))))
    in_title, denied = _read(title_f, gaz, when, "title")
    in_lead, lead_denied = _read(lead_f, gaz, when, "lead") if lead_f and not _of_the_past(lead_f, when) \
        else ([], set())
    out: dict[str, Appearance] = {}
    for a in in_title:
        out.setdefault(a.person, a)
    for a in in_lead:
        if a.person not in denied:
            out.setdefault(a.person, a)
    if out:
        for a in _escorts(lead_f, gaz, when):
            if a.person not in denied and a.person not in lead_denied:
                out.setdefault(a.person, a)
    return list(out.values())
