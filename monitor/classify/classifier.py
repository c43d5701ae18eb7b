"""The classifier: category, high_level, participants and countries of one item, with the reasons that fired."""

from __future__ import annotations

import hashlib
import re
import string
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Literal

from monitor.classify import offices as _offices
from monitor.classify import rules
from monitor.classify.extract import ONE_PARTY, Found, Person, find_people, is_high
from monitor.classify.gazetteer import DPRK, HIGH_RANKS, Gazetteer, load_gazetteer
from monitor.classify.korean import KoreanClassifier, is_korean
from monitor.classify.korean_gazetteer import korean_digest
from monitor.classify.offices import find_offices, ruling_party
from monitor.classify.offices import is_high as office_is_high
from monitor.classify.quick import QuickWords, View
from monitor.classify.text import fold, squash, unique_in_order

# Bump when the rules change: stored items are classified again when `Classifier.version` changes.
RULES_VERSION = "2026.12.3"

Category = Literal["meeting", "diplomatic", "domestic"]

_STAMP = re.compile(r"^\s*(?:\[[^\]]*\]|date\b[^A-Za-z]*\d{4}-\d\d-\d\d)\s*", re.IGNORECASE)
_PARAGRAPHS = re.compile(r"\n\s*\n|\n(?=\s*[A-Z])")
_LEAD_LIMIT = 700
# a headline is read up to here: no real one is longer, and a hostile megabyte title costs no more than this
_TITLE_LIMIT = 1000


@dataclass
class Classification:
    """The decision for one item (see ../shared/docs/labels.md); not to be changed once made.

    Not a frozen dataclass: a frozen one costs an `object.__setattr__` per field to make, and most items are
    decided in a few microseconds.
    """

    category: Category
    high_level: bool
    participants: list[str]
    countries: list[str]
    participant_countries: dict[str, str]
    confidence: float
    reasons: list[str] = field(default_factory=list)
    # the participants as a Korean text writes them, one per participant ("" where it names an office only);
    # empty for an English item
    participants_hangul: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form: category, high_level, participants, countries, confidence, reasons (and the
        participants in Hangul for a Korean item)."""
        out: dict[str, object] = {
            "category": self.category, "high_level": self.high_level, "participants": list(self.participants),
            "countries": list(self.countries), "confidence": self.confidence, "reasons": list(self.reasons)}
        if self.participants_hangul:
            out["participants_hangul"] = list(self.participants_hangul)
        return out


def _result(category: Category, high_level: bool, participants: list[str], countries: list[str],
            participant_countries: dict[str, str], confidence: float, reasons: list[str]) -> Classification:
    """A Classification from positional fields (the rules' one way of making one)."""
    return Classification(category, high_level, participants, countries, participant_countries, confidence, reasons)


def lead_of(text: str | None) -> str:
    """The first real paragraph of a text (scraper stamps and short lines skipped), at most ~700 characters."""
    if not text:
        return ""
    text = fold(text[:4000])
    paras = _PARAGRAPHS.split(text) if "\n" in text else [text]
    for para in paras:
        para = squash(para)
        if para[:1] == "[" or para[:4].lower() == "date":
            para = _STAMP.sub("", para)
        if len(para) >= 40:
            return para[:_LEAD_LIMIT]
    return squash(text)[:_LEAD_LIMIT]


# the phrases that start the list of people present, after the principals: all but two contain "present"
_PRESENT = (" present there", " also present", " were present", " present at ", " present on ", " present were",
            "present there")
_ESCORTED = (" accompanied by", " attended by")
_SENTENCE_BEFORE = frozenset("abcdefghijklmnopqrstuvwxyz0123456789)\"'")


def principal_end(lead: str) -> int:
    """Where the sentence naming the principals ends: the first full stop, or where "present were ..." starts.

    A full stop ends a sentence after a lower-case word or a number (not "U.S." or "C.C.") and before a capital,
    with or without a space ("said.The meeting").
    """
    end = len(lead)
    i = lead.find(".")
    while i != -1:
        if i > 0 and lead[i - 1] in _SENTENCE_BEFORE:
            j = i + 1
            while j < len(lead) and lead[j] == " ":
                j += 1
            if j < len(lead) and (lead[j].isupper() or lead[j] == '"'):
                end = i
                break
        i = lead.find(".", i + 1)
    low = lead[:end].lower()
    phrases = (*_PRESENT, *_ESCORTED) if "present" in low else _ESCORTED
    for phrase in phrases:
        k = low.find(phrase)
        if k != -1:
            end = min(end, k)
    return end


class Classifier:
    """Rules over title and lead plus a gazetteer of officials, countries and titles."""

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self._quick_words: QuickWords | None = None  # built on first use
        self._korean: KoreanClassifier | None = None  # built at the first Korean item
        self.version = hashlib.sha256(f"{RULES_VERSION}:{gazetteer.digest}:{korean_digest()}".encode()).hexdigest()[:16]

    @classmethod
    def load(cls, gazetteer: Path | None = None, *, officials: bool = True) -> Classifier:
        """A classifier with the packaged gazetteer, extended and overridden by the file `gazetteer` when given;
        without the named officials when `officials` is false."""
        return cls(load_gazetteer(gazetteer, officials=officials))

    def classify(self, title: str, text: str | None = None, published: date | None = None) -> Classification:
        """Classify one item from its title and text (lead or body); `published` dates the ranks when known.
        A Korean item (mostly Hangul) is classified by the Korean rules (monitor/classify/korean.py)."""
        if is_korean(title or "", text):
            return self.korean.classify(title, text, published)
        title_f = squash(fold((title or "")[:_TITLE_LIMIT]))
        if title_f[1:].islower():
            title_f = string.capwords(title_f)  # a lower-case headline (1999-2002 style): names as capitalised
        tw = View(title_f)
        lead = lead_of(text)
        lw = View(lead)
        quick = self._quick
        if rules.no_title_cue(tw) and _OVERSEAS_LEAD.isdisjoint(lw.set) and quick.names_nothing_foreign(lw) \
                and quick.names_nothing_foreign(tw) and rules.foreign_memorial(lw) is None \
                and ("korean" not in lw.set or not rules.overseas_koreans(lead, lw)):
            # no cue in the title, and the lead names no foreign state or official, no Koreans abroad and no
            # memorial to foreign soldiers: domestic
            return _result("domestic", False, [], [], {}, 0.9, ["no foreign-relations cue"])
        cut = principal_end(lead)
        rest = lead[cut:].lstrip(". ")
        if rest.startswith(_GUEST_LIST):  # "... met foreign guests. They included X, ...": one sentence more
            cut = len(lead) - len(rest) + principal_end(rest)
        sw = lw.head(cut)
        return _decide(_Item(self.gazetteer, published, tw, lw, sw, quick))

    @property
    def korean(self) -> KoreanClassifier:
        """The Korean classifier over this gazetteer, made at the first Korean item."""
        kc = self._korean
        if kc is None:
            kc = self._korean = KoreanClassifier(self.gazetteer)
        return kc

    @property
    def _quick(self) -> QuickWords:
        cached = self._quick_words
        if cached is None:
            cached = self._quick_words = QuickWords(self.gazetteer)
        return cached


# words of a principal sentence that show a guest from abroad when the title reports a meeting
_GUEST_WORDS = frozenset({"ambassador", "ambassadors", "credentials", "foreigners", "foreign", "embassy", "envoy",
                          "diplomats", "diplomatic"})


def _later_sentence(it: _Item) -> tuple[str, View] | None:
    """A later sentence of the lead that reports a meeting ("..., he said when receiving the DPRK ambassador"), when
    the title and the first sentence do not: the cue and that sentence's view."""
    lead = it.lead
    start = len(it.sentence)
    for _ in range(4):
        if start >= len(lead):
            return None
        rest = lead[start:].lstrip(" .")
        if not rest:
            return None
        cut = principal_end(rest)
        view = View(rest[:cut])
        if cue := rules.meeting_cue(view):
            return cue, view
        nxt = rest.find(".", cut)
        if nxt == -1:
            return None
        start = len(lead) - len(rest) + nxt + 1
    return None


# a sentence that goes on naming the guests of the one before
_GUEST_LIST = ("They included", "Among them", "They were", "It was given in honour", "It was given in honor",
               "The delegation was led", "The delegation is led", "Present on invitation")
# the head words of the grammar of offices: a text with none of them names no office
_HEAD_WORDS = frozenset(_offices._HEADS)
_LEADERS = ((" kim jong un", "Kim Jong Un"), (" kim jong il", "Kim Jong Il"), (" kim il sung", "Kim Il Sung"))
_OVERSEAS_LEAD = frozenset({"koreans", "chongryon", "chongsanghoe", "compatriots", "overseas"})
_FOREIGN_SIDE_WORDS = frozenset({"delegation", "delegations", "embassy", "ambassador", "ambassadors", "envoy",
                                 "counterpart", "counterparts", "visiting", "visit", "foreign", "charge"})


class _Item:
    """One item being classified, with its parts computed once, lazily."""

    def __init__(self, gaz: Gazetteer, when: date | None, tw: View, lw: View, sw: View, quick: QuickWords) -> None:
        self.gaz, self.when, self.quick = gaz, when, quick
        self.title, self.lead, self.sentence = tw.raw, lw.raw, sw.raw
        self.tw, self.lw, self.sw = tw, lw, sw
        self.title_countries = quick.countries(tw)
        self.title_officials = quick.may_name_official(tw)
        self._tf: Found | None = None
        self._lf: Found | None = None

    @property
    def tf(self) -> Found:
        """Gazetteer people, titles and countries of the title."""
        if self._tf is None:
            self._tf = find_people(self.title, self.gaz, self.when, unknown=False)
        return self._tf

    @property
    def lf(self) -> Found:
        """People, titles and countries of the principal sentence of the lead."""
        if self._lf is None:
            self._lf = find_people(self.sentence, self.gaz, self.when)
        return self._lf

    @property
    def title_foreign_people(self) -> list[Person]:
        """Foreign officials of the gazetteer named in the title."""
        if not self.title_officials:
            return []
        return [p for p in self.tf.people if p.country and p.country != DPRK]

    @property
    def sentence_countries(self) -> list[str]:
        """Foreign states named in the principal sentence."""
        return self.quick.countries(self.sw)

    def sentence_may_be_foreign(self) -> bool:
        """Cheap test: the principal sentence names something foreign (a state, a foreign official, an envoy)."""
        return bool(self.sentence_countries or self.quick.may_name_official(self.sw)
                    or self.sw.set & _FOREIGN_SIDE_WORDS)

    @property
    def lead_foreign(self) -> list[str]:
        """Foreign states named anywhere in the lead."""
        return self.quick.countries(self.lw)


# ----------------------------------------------------------------------------------------------------------------
def _foreign_countries(found: Found, gaz: Gazetteer) -> list[str]:
    out: list[str] = []
    for m in found.countries:
        name = gaz.countries[m.key].name
        if name != DPRK and name not in out:
            out.append(name)
    return out


def _foreign_titles(found: Found) -> list[int]:
    """Title matches that belong to a foreign state: "Lao ambassador", "president of Equatorial Guinea"."""
    return [k for k in range(len(found.titles)) if found.title_country.get(k) not in ("", DPRK, None)]


def _two_heads(found: Found) -> list[str]:
    """The states whose officers of minister rank or above a sentence names, when there are two or more of them
    ("the President of Kyrgyzstan and the visiting President of Uzbekistan"), else []."""
    states = unique_in_order([found.title_country.get(k) or "" for k in range(len(found.titles))
                              if found.title_rank.get(k) in HIGH_RANKS])
    states = [s for s in states if s]
    return states if len(states) >= 2 else []


def _dedupe(people: list[Person]) -> list[Person]:
    """People once each by name, in order (a country found for a later mention kept)."""
    by_name: dict[str, Person] = {}
    for p in people:
        same = by_name.get(p.name)
        if same is None:
            by_name[p.name] = p
        elif not same.country and p.country:
            same.country = p.country
    # a surname alone ("Ryzhenkov") is the same person as a full name ending with it
    surnames = {p.name.rsplit(" ", 1)[1] for p in by_name.values() if " " in p.name}
    return [p for p in by_name.values() if " " in p.name or p.name not in surnames]


def _decide(it: _Item) -> Classification:
    gaz = it.gaz
    reasons: list[str] = []
    tw, sw = it.tw, it.sw
    title_foreign = it.title_countries
    # the supreme leader of the item's time (Kim Jong Un; Kim Jong Il before 2012; Kim Il Sung before 1994)
    leader = next((name for low, name in _LEADERS if (low in tw.text or low in sw.text) and gaz.present(name, it.when)),
                  None)
    kju = leader is not None

    # ---- meeting?
    not_meeting = rules.not_meeting_genre(tw)
    to_come = rules.future(tw)
    at_home = rules.home_international(tw)
    cue = None if to_come else rules.meeting_cue(tw)
    if cue and at_home and cue not in ("met", "meets", "meet", "talks"):
        cue = None  # a banquet for the participants in an international festival at home
    strong = bool(cue)
    if to_come:
        cue_text = ""
    elif cue:
        cue_text = f"meeting words in title: {cue!r}"
    elif kju and rules.with_leader(tw) and it.title_foreign_people:
        cue_text = f"{leader} together with a foreign leader"
        strong = True
    elif kju and title_foreign and rules.embassy_visit(tw):
        cue_text = f"{leader} visits a foreign embassy"
        strong = True
    elif not not_meeting and not at_home and (lead_cue := rules.meeting_cue(sw)):
        cue_text = f"meeting words in lead: {lead_cue!r}"
    elif not not_meeting and not at_home and (found := _later_sentence(it)) is not None:
        lead_cue, it.sw = found
        it.sentence, it._lf, sw = it.sw.raw, None, it.sw
        cue_text = f"meeting words in lead: {lead_cue!r}"
    elif not not_meeting and not at_home and (signed := rules.signed_in_person(sw)) and _two_heads(it.lf):
        cue_text = f"{signed} in person by officials of two states: {', '.join(_two_heads(it.lf))}"
    else:
        cue_text = ""
    overseas = rules.overseas_koreans(it.title + " . " + it.sentence, tw, sw)
    guests = rules.international_guests(tw) or rules.international_guests(sw)
    if cue_text and (title_foreign or it.title_foreign_people or it.sentence_may_be_foreign() or guests):
        lf = it.lf
        # a title that does not report the meeting ("King Wishes Kim Jong Un Success") names no participant
        people = _dedupe(it.tf.people + lf.people if strong or not lf.people else lf.people)
        foreign_people = [p for p in people if p.country and p.country != DPRK]
        foreign_titles = _foreign_titles(lf) + _foreign_titles(it.tf)
        principal_foreign = _foreign_countries(lf, gaz)
        foreign_side = bool(title_foreign or foreign_people or foreign_titles or
                            (principal_foreign and sw.set & _FOREIGN_SIDE_WORDS)
                            or (strong and not sw.set.isdisjoint(_GUEST_WORDS)) or (strong and guests))
        if foreign_side and not (overseas and not foreign_people and not foreign_titles and not guests):
            reasons.append(cue_text)
            return _meeting(it, people, title_foreign, principal_foreign, reasons, strong=strong)
    if cue_text:
        reasons.append(cue_text + (", but with Koreans abroad (not a foreign side)" if overseas
                                   else ", but no foreign side"))

    # ---- diplomatic?
    principal_foreign = it.sentence_countries
    countries = unique_in_order([*title_foreign, *principal_foreign])
    sport = rules.sport(tw)
    home = rules.home_event(tw)
    history = rules.anti_history(tw) or rules.anti_history(sw)
    cues: list[str] = []
    if overseas:
        cues.append("Koreans abroad")
    if hit := rules.foreign_memorial(tw) or rules.foreign_memorial(sw):
        cues.append(f"memorial to foreign soldiers: {hit!r}")
    if hit := rules.diplomatic_genre(tw):
        cues.append(f"foreign-relations genre: {hit!r}")
    if hit := rules.delegation_travel(tw):
        cues.append(f"travel: {hit!r}")
    if (hit := rules.message(tw)) and (title_foreign or it.title_foreign_people
                                       or (title_foreign and _foreign_titles(it.tf))
                                       or rules.abroad(tw) or principal_foreign):
        cues.append(f"message to or from abroad: {hit!r}")
    if title_foreign and not sport and not at_home and not rules.anti_history(tw):
        cues.append(f"foreign state in title: {', '.join(title_foreign)}")
    elif not cues and (foreign_named := it.title_foreign_people):
        cues.append(f"foreign official in title: {foreign_named[0].name}")
    if not cues and not home and (hit := rules.inter_korean(tw)):
        cues.append(f"relations with the south: {hit!r}")
    if not cues and not sport and not home and (hit := rules.abroad(tw)):
        cues.append(f"abroad: {hit!r}")
    if not cues and not sport and not home and not history:
        lead_foreign = it.lead_foreign
        if principal_foreign or len(lead_foreign) >= 2:
            cues.append(f"foreign states in lead: {', '.join(principal_foreign or lead_foreign)}")
    travel = any(c.startswith("travel") for c in cues)
    if cues and not (sport and not travel and not overseas and not rules.diplomatic_genre(tw)):
        reasons.extend(cues)
        weak = all(c.startswith(("foreign states in lead", "abroad")) for c in cues)
        return _result("diplomatic", False, [], countries or it.lead_foreign[:3], {},
                              0.65 if weak else 0.9, reasons)
    if sport:
        reasons.append(f"sport: {sport!r}")
    if home:
        reasons.append(f"event at home: {home!r}")
    reasons.append("no foreign-relations cue")
    return _result("domestic", False, [], [], {}, 0.7 if cue_text else 0.9, reasons)


def _of_the_past(it: _Item, after: str) -> bool:
    """Whether the words after an office name a leader of the past who cannot be present on the item's date."""
    after = after.lstrip(" ,")
    return any(after.startswith(name) and not it.gaz.present(name, it.when) for name in it.gaz.historical)


def high_offices(it: _Item, text: str) -> list[str]:
    """The offices of minister rank or above a text names, read by the grammar of offices: "premier of the
    Cabinet", "member of the Political Bureau of the CC of the CPV". An office of a party counts only while the
    party rules (by parties.toml); the leader of a party it does not know counts only in a one-party state."""
    out: list[str] = []
    if _HEAD_WORDS.isdisjoint(rules.lower_words(text.lower())):
        return out  # no head word of an office ("president", "minister", ...): nothing to read
    for office in find_offices(text):
        if _of_the_past(it, text[office.end:office.end + 40]):
            continue  # "President Kim Il Sung" named in passing, long after his death
        if not office_is_high(office.rank) or office.dprk:
            if office.dprk and office_is_high(office.rank):
                out.append(office.phrase)
            continue
        ruling = ruling_party(office.party, it.when) if office.party else None
        if ruling is False:
            continue  # an office of a party out of power
        if ruling is None and office.rank == "party_leader" and not (
                set(it.quick.countries(View(office.state or ""))) & ONE_PARTY):
            continue  # the leader of a party not known to rule, in a state where parties compete
        out.append(office.phrase)
    return out


def _meeting(it: _Item, people: list[Person], title_foreign: list[str], principal_foreign: list[str],
             reasons: list[str], *, strong: bool) -> Classification:
    gaz, when = it.gaz, it.when
    named = {p.name for p in people}
    anonymous: list[tuple[str, str]] = []
    for found in (it.tf, it.lf):
        owned = {k for p in found.people for k in p.titles}
        for k, t in enumerate(found.titles):
            rank = found.title_rank[k]
            country = found.title_country.get(k, "")
            info = gaz.titles[t.key]
            if k not in owned and info.office and country and rank in HIGH_RANKS:
                holder = gaz.holder(country, info.office, when)
                if holder and holder not in named:
                    anonymous.append((holder, country))
                    named.add(holder)
    participants = [p.name for p in people] + [h for h, _ in anonymous]
    pc = {p.name: p.country for p in people}
    pc.update(dict(anonymous))
    # a known official's rank: the title the text gives him, else the gazetteer's on the date; an unknown person's
    # rank is that of his title, among the offices above
    high_people = [p for p in people if p.known and (is_high(p.rank) or p.name == "Kim Jong Un")]
    # other ranks from the words of the titles (the grammar of offices): the gazetteer only resolves names
    high_titles = [] if high_people else high_offices(it, it.title) + high_offices(it, it.sentence)
    high = bool(high_people or high_titles or any(is_high(gaz.rank_of(h, when)) for h, _ in anonymous))
    host = None if high or any(p.known and p.rank for p in people) else rules.high_host(it.tw, it.sw)
    if high_people:
        reasons.append("high level: " + ", ".join(f"{p.name} ({p.rank or 'leader'})" for p in high_people))
    elif high_titles:
        reasons.append("high level by title: " + ", ".join(high_titles[:3]))
    elif host:
        high = True
        reasons.append(f"high level by the body holding it: {host}")
    else:
        reasons.append("below minister rank")
    if anonymous:
        reasons.append("office holders from gazetteer: " + ", ".join(h for h, _ in anonymous))
    home = DPRK in pc.values() or any(gaz.countries[m.key].name == DPRK for f in (it.tf, it.lf) for m in f.countries)
    countries = unique_in_order([DPRK if home else "", *pc.values(), *title_foreign, *principal_foreign])
    reasons.append("participants: " + (", ".join(participants) or "none named"))
    conf = 0.95 if strong and participants else 0.8 if strong else 0.7
    return _result("meeting", high, participants, countries, pc, conf, reasons)
