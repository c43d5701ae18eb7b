"""The classifier for Korean text in DPRK orthography: the rules of labels.md read from Hangul, with the Korean
gazetteer (states, offices, officials mapped to their canonical romanized names) and the morphological analyser's
meeting cues (monitor/classify/korean_morph.py)."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from monitor.classify import korean_morph as morph
from monitor.classify import korean_names as names
from monitor.classify.gazetteer import DPRK, HIGH_RANKS, Gazetteer
from monitor.classify.korean_gazetteer import PARTICLES, Hit, KoreanGazetteer, is_hangul, load_korean
from monitor.classify.text import unique_in_order

if TYPE_CHECKING:
    from monitor.classify.classifier import Category, Classification

_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_TITLE_LIMIT = 1000
_LEAD_LIMIT = 700
# "(평양 9월 3일발 조선중앙통신)", "【평양 9월 3일발 조선중앙통신】": the dateline before the lead
_DATELINE = re.compile(r"^\s*[(\[【〔]\s*[^)\]】〕]{0,40}?발\s*[^)\]】〕]{0,20}[)\]】〕]\s*")
_SENTENCE_END = re.compile(r"(?<=[\uac00-\ud7a3])\.(?:\s+|$)|(?<=[다])\s*\n")
_LEADERS = ("Kim Jong Un", "Kim Jong Il", "Kim Il Sung")
# "리설주녀사께서는", "김철동지가": a Korean name with an honorific
_HONORIFIC = re.compile(r"(?<![\uac00-\ud7a3])([\uac00-\ud7a3]{2,4}?)(?:동지|녀사)"
                        r"(?:께서|께서는|가|를|와|의|는|)(?=\s|$|[,.])")
# a signing reported as done: "조약에 조인하였다", "협정에 서명하시였다", "문건을 체결하였다"
_SIGNED = re.compile(r"(?:조인|서명|체결)(?:하였다|하시였다|했다|하였으며|하시였으며)")
# what an office sends rather than attends: "대통령의 특사", "...의 친서"
_SENT = ("특사", "특별대표", "대표단", "친서", "축전", "메쎄지", "대리", "명의", "위임")
# "정치국 위원인 NAME", "위원이며 ...": the office said of the person named next (an office that stands)
_COPULAS = frozenset({"인", "이며", "이신", "이시며"})
# a sentence opening with a Korean name before the office ("조영만 ... 특명전권대사가")
_OPENING_NAME = re.compile(r"([\uac00-\ud7a3]{3}) (?=[\uac00-\ud7a3])")

# words that show the other side comes from abroad
FOREIGN_SIDE = ("대표단", "대사", "대사관", "외국", "손님", "사절", "특사", "귀빈", "국빈", "방문단", "외교", "령사",
                "친선", "국제기구", "대표부")
# Koreans living abroad: not a foreign side (labels.md; README rule 4)
OVERSEAS = ("총련", "재일", "재중", "재미", "해외동포", "해외교포", "재외동포", "동포", "조선인총련합회", "조청")
# genres of foreign relations that are not meetings, in a title: messages (a word of their own: "예술축전" is a
# festival), statements, floral baskets
MESSAGES = ("축전", "답전", "축하편지", "축하문", "편지", "전문", "조전", "조의", "위문", "감사전문")
NOT_MEETING = ("성명", "론평", "비망록", "꽃바구니", "화환", "기자회견")
# other words of foreign relations in a title
DIPLOMATIC_GENRE = ("대변인", "공보", "신임장", "조약", "협정", "의정서", "련대성", "대답", "외무성", "국방성", "외교",
                    "친선", *NOT_MEETING)
# who speaks for the state: a statement of theirs is about foreign states (labels.md)
SPEAKERS = ("외무성", "대변인", "외무상", "국방성", "김여정", "부상", "대표부", "군축", "외교")
WEATHER = ("태풍", "기상", "날씨", "폭우", "큰물", "가물", "장마", "황사")
TRAVEL = ("도착", "출발", "떠나", "귀국", "환영", "환송", "참관", "방문")
# a statement (담화 발표) is a diplomatic genre when it is about foreign states
STATEMENT = ("담화 발표", "담화를 발표", "담화발표")
# sport, and prizes won abroad (a result of the country's own people: domestic, as in the English corpus)
SPORT = ("경기", "선수권", "올림픽", "축구", "탁구", "권투", "역기", "마라손", "배구", "롱구", "체육대회", "선수들",
         "메달", "최고상", "1등", "우승")
# the heads of the DPRK's reported world: items on it are reports on foreign countries (diplomatic)
ABROAD = ("세계", "국제", "외신", "해외", "각국", "나라들")


def is_korean(title: str, text: str | None) -> bool:
    """Whether an item is written in Korean: its title and the start of its text hold more Hangul than Latin."""
    if _HANGUL.search(title) is None and (not text or _HANGUL.search(text, 0, 400) is None):
        return False
    sample = title + " " + (text or "")[:400]
    return len(_HANGUL.findall(sample)) * 2 > len(_LATIN.findall(sample))


def korean_lead(text: str | None) -> str:
    """The first real paragraph of a Korean text, its dateline cut, at most ~700 characters."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text[:4000])
    for para in re.split(r"\n\s*\n|\n", text):
        para = _DATELINE.sub("", " ".join(para.split()))
        if len(para) >= 15:
            return para[:_LEAD_LIMIT]
    return _DATELINE.sub("", " ".join(text.split()))[:_LEAD_LIMIT]


def sentences(lead: str) -> list[str]:
    """The sentences of a lead (cut after a full stop that ends a Hangul word)."""
    out: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(lead):
        part = lead[start:m.start()].strip()
        if part:
            out.append(part)
        start = m.end()
    rest = lead[start:].strip()
    if rest:
        out.append(rest)
    return out or [lead]


def _contains(text: str, words: tuple[str, ...]) -> str | None:
    return next((w for w in words if w in text), None)


def _word_initial(text: str, words: tuple[str, ...]) -> str | None:
    """The first of `words` that starts a word of `text` ("축전을" yes, "예술축전" no)."""
    for w in words:
        i = text.find(w)
        while i != -1:
            if i == 0 or not is_hangul(text[i - 1]):
                return w
            i = text.find(w, i + 1)
    return None


def _not_meeting(title: str) -> str | None:
    """A title's genre that is not a meeting: a message, a statement, an arrival or a departure, flowers."""
    return _word_initial(title, MESSAGES) or _contains(title, NOT_MEETING) or _contains(title, STATEMENT) \
        or _contains(title, TRAVEL)


class KoreanClassifier:
    """Classifies Korean items by the rules of labels.md; participants come out romanized (and in Hangul)."""

    def __init__(self, english: Gazetteer, korean: KoreanGazetteer | None = None) -> None:
        self.english = english
        self.gaz = korean if korean is not None else load_korean(english)

    def classify(self, title: str, text: str | None = None, published: date | None = None) -> Classification:
        """Classify one Korean item from its title and text (lead or body)."""
        t = " ".join(unicodedata.normalize("NFC", (title or "")[:_TITLE_LIMIT]).split())
        lead = korean_lead(text)
        sents = sentences(lead) if lead else [""]
        return _Decision(self, t, lead, sents, published).decide()


class _Decision:
    """One Korean item being decided: its parts found once."""

    def __init__(self, kc: KoreanClassifier, title: str, lead: str, sents: list[str], when: date | None) -> None:
        self.kc, self.gaz, self.eng, self.when = kc, kc.gaz, kc.english, when
        self.title, self.lead, self.sentence = title, lead, sents[0]
        self.later = sents[1:4]
        self.th = self.gaz.scan(title)
        self.sh = self.gaz.scan(self.sentence)
        self.reasons: list[str] = []
        self._lead_hits: list[Hit] | None = None
        self.holder_hangul: dict[str, str] = {}  # an office holder found by the office, as the text writes the name

    @property
    def lead_hits(self) -> list[Hit]:
        """The gazetteer's finds in the whole lead (computed once, when asked)."""
        if self._lead_hits is None:
            self._lead_hits = self.gaz.scan(self.lead) if self.lead else []
        return self._lead_hits

    # ---------------------------------------------------------------- what the gazetteer found
    def _foreign_countries(self, hits: list[Hit]) -> list[str]:
        return unique_in_order([h.value for h in hits if h.kind == "country" and h.value != DPRK])

    def _people(self, hits: list[Hit]) -> list[Hit]:
        return [h for h in hits if h.kind == "name" and self.eng.present(h.value, self.when)]

    def _foreign_people(self, hits: list[Hit]) -> list[Hit]:
        return [h for h in self._people(hits) if self.gaz.country_of(h.value) not in ("", DPRK)]

    def decide(self) -> Classification:
        """The classification of the item."""
        title, sentence = self.title, self.sentence
        title_foreign = self._foreign_countries(self.th)
        both = title + " " + sentence
        overseas = _contains(both, OVERSEAS)
        # a meeting needs a side from abroad: without a trace of one the analyser is not asked (most items)
        foreignish = bool(title_foreign or self._foreign_people(self.th) or _contains(title + self.lead, FOREIGN_SIDE)
                          or self._foreign_countries(self.lead_hits) or self._foreign_people(self.lead_hits))
        to_come = foreignish and morph.future(title)
        cue = None if to_come or not foreignish else morph.meeting_cue(title)
        strong = cue is not None
        cue_text = f"meeting words in title: {cue!r}" if cue else ""
        genre = _not_meeting(title)
        if not cue and not to_come and (together := self._together()):
            cue, strong, cue_text = together, True, f"{together} together with a foreign leader"
        if not cue and not to_come and title_foreign and "대사관" in title and "방문" in title and any(
                p.value in _LEADERS for p in self._people(self.th)):
            cue, strong, cue_text = "대사관 방문", True, "the leader visits a foreign embassy"
        if not cue and not to_come and not genre and foreignish:
            lead_cue = morph.meeting_cue(sentence)
            if lead_cue is None:
                for later in self.later:  # "..., 접견하시였다" in a later sentence of the lead
                    lead_cue = morph.meeting_cue(later)
                    if lead_cue is not None:
                        self.sentence, self.sh = later, self.gaz.scan(later)
                        sentence, both = later, title + " " + later
                        break
            if lead_cue is not None:
                cue = lead_cue
                cue_text = f"meeting words in lead: {lead_cue!r}"
        if not cue and not to_come and not genre and foreignish and (states := self._signed_in_person()):
            cue, cue_text = "조인", f"signed in person by officials of two states: {', '.join(states)}"
        if cue:
            people = self._people(self.th) + self._people(self.sh) if strong else \
                self._people(self.sh) or self._people(self.th)
            foreign_people = [p for p in people if self.gaz.country_of(p.value) not in ("", DPRK)]
            principal_foreign = self._foreign_countries(self.sh)
            side_word = _contains(both, FOREIGN_SIDE)
            foreign_side = bool(title_foreign or foreign_people or principal_foreign or
                                (side_word and (strong or principal_foreign)))
            embassy_banquet = cue == "연회" and "대사관" in both and not any(p.value in _LEADERS for p in people)
            if foreign_side and not embassy_banquet and not (overseas and not foreign_people):
                self.reasons.append(cue_text)
                return self._meeting(people, title_foreign, principal_foreign, strong)
            self.reasons.append(cue_text + (", but with Koreans abroad (not a foreign side)" if overseas
                                            else ", but held by an embassy" if embassy_banquet
                                            else ", but no foreign side"))
        return self._other(title_foreign, overseas, bool(cue_text))

    def _unknown_people(self, named: list[str], resolved: dict[tuple[str, int], str]) -> list[tuple[str, str, str]]:
        """People the gazetteer does not know, romanized: (name, Hangul, country) of a name written after an office
        ("대사 박응섭이", "외무상 프라디프 꾸마르 갸왈리를"), against one ("박응섭대사"), with an honorific
        ("리설주녀사"), or opening the sentence before an office ("조영만 ... 대사가"). An office `resolved` to its
        holder on the date answers for the name written after it (that name is the holder's, in Hangul: kept in
        `holder_hangul` when it sounds like the holder's)."""
        out: list[tuple[str, str, str]] = []
        seen = set(named)
        known = {h.written for h in (*self.th, *self.sh) if h.kind == "name"}

        def add(roman: str | None, written: str, country: str) -> None:
            if roman and roman not in seen and written not in known and self.gaz.names.get(written) is None:
                seen.add(roman)
                out.append((roman, written, country))

        for text, hits in ((self.title, self.th), (self.sentence, self.sh)):
            for k, h in enumerate(hits):
                if h.kind != "title":
                    continue
                country = _country_before(text, hits, k) or DPRK
                holder = resolved.get((text, h.start))
                if not (k + 1 < len(hits) and hits[k + 1].kind == "name" and hits[k + 1].start - h.end <= 2):
                    found = names.name_after(text, h.end, known=lambda w: bool(self.gaz.scan(w)))
                    if found is not None and holder is None:
                        roman, written, _ = found
                        add(roman, written, DPRK if " " not in written else country)
                    elif found is not None and holder and self.eng.sounds_like(found[0], country, self.when) == holder:
                        self.holder_hangul[holder] = found[1]
                word_start = h.start
                while word_start > 0 and is_hangul(text[word_start - 1]):
                    word_start -= 1
                if h.start - word_start == 3 and not any(x.end == h.start for x in hits):
                    glued = text[word_start:h.start]
                    add(names.korean_name(glued), glued, DPRK)
            for m in _HONORIFIC.finditer(text):
                if not any(x.start <= m.start(1) < x.end for x in hits):
                    add(names.korean_name(m.group(1)), m.group(1), DPRK)
        for run in self._name_runs():
            run = self._before_hits(run)
            written = " ".join(run)
            at = self.sentence.find(written) if run else -1
            if at < 0 or any(h.start < at + len(written) and at < h.end for h in self.sh):
                continue  # not written so, or a state, an office or a known name
            after = [h for h in self.sh if h.start >= at + len(written)]
            if not any(h.kind == "title" and h.start - at < 60 for h in after):
                continue  # a name comes with its office
            country = next((h.value for h in after if h.kind == "country"), "") or next(
                (h.value for h in reversed(self.sh) if h.kind == "country" and h.end <= at), "")
            add(names.foreign_name(list(run)), written, country)
        opening = _OPENING_NAME.match(self.sentence)
        if opening and self.sh and self.sh[0].start > 0 and any(h.kind == "title" and h.start < 60 for h in self.sh):
            add(names.korean_name(opening.group(1)), opening.group(1), DPRK)
        return out

    def _before_hits(self, run: tuple[str, ...]) -> tuple[str, ...]:
        """A run of proper nouns cut where a state, an office or a known name begins ("프라디프 꾸마르 갸왈리 네팔" ->
        the name's three words); a single word left is no foreign name (a Korean name glued to its state)."""
        at = self.sentence.find(" ".join(run))
        if at < 0:
            return ()
        kept: list[str] = []
        for word in run:
            start = self.sentence.find(word, at)
            if start < 0 or any(h.start < start + len(word) and start < h.end for h in self.sh):
                break
            kept.append(word)
            at = start + len(word)
        return tuple(kept) if len(kept) == len(run) or len(kept) >= 2 else ()

    def _name_runs(self) -> list[tuple[str, ...]]:
        """Runs of proper nouns the analyser finds in the 50 characters before each office of the principal sentence
        (not in the whole sentence: the analyser's time grows with the length of what it reads)."""
        out: list[tuple[str, ...]] = []
        sentence = self.sentence
        for h in [h for h in self.sh if h.kind == "title"][:4]:
            start = max(0, h.start - 50)
            if start:
                space = sentence.find(" ", start)
                start = space + 1 if 0 <= space < h.start else h.start
            for run in morph.name_runs(sentence[start:h.start]):
                if run not in out:
                    out.append(run)
        return out

    def _signed_in_person(self) -> list[str]:
        """The states whose officers of minister rank or above sign together, one of them on a visit
        ("까자흐스딴대통령과 이 나라를 방문한 뚜르크메니스딴대통령이 ... 협정에 서명하였다"): two or more, else []."""
        sentence = self.sentence
        if _SIGNED.search(sentence) is None or "방문" not in sentence:
            return []
        states = unique_in_order([_country_before(sentence, self.sh, k) for k, h in enumerate(self.sh)
                                  if h.kind == "title" and self.gaz.titles[h.value].rank in HIGH_RANKS])
        states = [s for s in states if s]
        return states if len(states) >= 2 else []

    def _together(self) -> str | None:
        """The leader named in a title with a foreign official, together ("...와 함께"): a meeting (labels.md)."""
        if "함께" not in self.title:
            return None
        people = self._people(self.th)
        leader = next((p.value for p in people if p.value in _LEADERS), None)
        if leader and any(self.gaz.country_of(p.value) not in ("", DPRK) for p in people):
            return leader
        return None

    # ---------------------------------------------------------------- meeting
    def _meeting(self, people: list[Hit], title_foreign: list[str], principal_foreign: list[str],
                 strong: bool) -> Classification:
        eng, when = self.eng, self.when
        names = unique_in_order([p.value for p in people])
        hangul = {p.value: p.written for p in people}
        anonymous: list[tuple[str, str]] = []
        high_titles: list[str] = []
        resolved: dict[tuple[str, int], str] = {}
        for text, hits in ((self.title, self.th), (self.sentence, self.sh)):
            for k, h in enumerate(hits):
                if h.kind != "title" or not _title_stands(text, hits, k):
                    continue
                info = self.gaz.titles[h.value]
                country = _country_before(text, hits, k)
                owned = k + 1 < len(hits) and hits[k + 1].kind == "name" and hits[k + 1].start - h.end <= 2
                if info.rank in HIGH_RANKS and (country or owned):
                    high_titles.append(h.value)
                if info.office and country and not owned and info.rank in HIGH_RANKS and when is not None \
                        and not _sender(text, h):
                    holder = eng.holder(country, info.office, when)
                    if holder:
                        resolved[(text, h.start)] = holder  # the name written after it is this holder's
                    if holder and holder not in names:
                        anonymous.append((holder, country))
                        names.append(holder)
        unknown = []
        for roman, written, country in self._unknown_people(names, resolved):
            if " " in written and country != DPRK:  # a foreign name read back from Hangul: the gazetteer's spelling
                roman = eng.sounds_like(roman, country, when) or roman
            if roman not in names:
                unknown.append((roman, written, country))
                names.append(roman)
            hangul.setdefault(roman, written)  # also for an office holder the text names in Hangul
        for holder, written in self.holder_hangul.items():
            hangul.setdefault(holder, written)
        participants = names
        pc = {n: self.gaz.country_of(n) for n in participants}
        pc.update(dict(anonymous))
        pc.update({roman: country for roman, _, country in unknown})
        high_people = [n for n in participants if n == "Kim Jong Un" or (eng.rank_of(n, when) or "") in HIGH_RANKS
                       or self.gaz.extra.get(n, {}).get("rank") in HIGH_RANKS]
        high = bool(high_people or high_titles)
        if high_people:
            self.reasons.append("high level: " + ", ".join(high_people))
        elif high_titles:
            self.reasons.append("high level by title: " + ", ".join(high_titles[:3]))
        else:
            self.reasons.append("below minister rank")
        if anonymous:
            self.reasons.append("office holders from gazetteer: " + ", ".join(h for h, _ in anonymous))
        home = DPRK in pc.values() or any(h.kind == "country" and h.value == DPRK for h in (*self.th, *self.sh))
        countries = unique_in_order([DPRK if home else "", *pc.values(), *title_foreign, *principal_foreign])
        self.reasons.append("participants: " + (", ".join(participants) or "none named"))
        conf = 0.95 if strong and participants else 0.8 if strong else 0.7
        return _result("meeting", high, participants, countries, pc, conf, self.reasons,
                       [hangul.get(n) or self.gaz.hangul_of.get(n, "") for n in participants])

    # ---------------------------------------------------------------- diplomatic or domestic
    def _other(self, title_foreign: list[str], overseas: str | None, had_cue: bool) -> Classification:
        title, sentence = self.title, self.sentence
        principal_foreign = self._foreign_countries(self.sh)
        countries = unique_in_order([*title_foreign, *principal_foreign])
        sport = _contains(title, SPORT)
        cues: list[str] = []
        if overseas:
            cues.append(f"Koreans abroad: {overseas!r}")
        if (hit := _contains(title, STATEMENT)) and (speaker := _contains(title, SPEAKERS)):
            cues.append(f"statement of {speaker!r}")
        if (hit := _word_initial(title, MESSAGES) or _contains(title, DIPLOMATIC_GENRE)) and (
                title_foreign or principal_foreign or
                                                             self._foreign_people(self.th) or
                                                             _contains(title + sentence, FOREIGN_SIDE)):
            cues.append(f"foreign-relations genre: {hit!r}")
        if (hit := _contains(title, STATEMENT)) and (title_foreign or principal_foreign):
            cues.append(f"statement on foreign states: {hit!r}")
        travel = _contains(title, TRAVEL)
        if travel and (title_foreign or principal_foreign or _contains(title + sentence, FOREIGN_SIDE)
                       or _contains(title, ABROAD)):
            cues.append(f"travel: {travel!r}")
        weather = _contains(title, WEATHER)
        if title_foreign and not sport:
            cues.append(f"foreign state in title: {', '.join(title_foreign)}")
        elif not cues and (named := self._foreign_people(self.th)):
            cues.append(f"foreign official in title: {named[0].value}")
        if not cues and not sport and (hit := _contains(title, ABROAD)) and principal_foreign:
            cues.append(f"abroad: {hit!r}")
        if not cues and not sport and not weather:
            lead_foreign = self._foreign_countries([h for h in self.lead_hits if not _hostile(self.lead, h)])
            principal_foreign = self._foreign_countries([h for h in self.sh if not _hostile(sentence, h)])
            if principal_foreign or len(lead_foreign) >= 2:
                cues.append(f"foreign states in lead: {', '.join(principal_foreign or lead_foreign)}")
                countries = countries or lead_foreign[:3]
        if cues and not (sport and not overseas and not any(c.startswith("travel") for c in cues)):
            self.reasons.extend(cues)
            weak = all(c.startswith(("foreign states in lead", "abroad")) for c in cues)
            return _result("diplomatic", False, [], countries, {}, 0.65 if weak else 0.9, self.reasons, [])
        if sport:
            self.reasons.append(f"sport: {sport!r}")
        self.reasons.append("no foreign-relations cue")
        return _result("domestic", False, [], [], {}, 0.7 if had_cue else 0.9, self.reasons, [])


def _hostile(text: str, hit: Hit) -> bool:
    """Whether a state is named as the enemy of a campaign at home ("미국반대", "일본제국주의"), not as a party."""
    after = text[hit.end:hit.end + 8]
    return after.startswith(("반대", "제국주의", "놈", "침략자"))


def _title_stands(text: str, hits: list[Hit], k: int) -> bool:
    """Whether an office found in a text is one ("외무상을", "대사 박응섭", "위원인"), not the start of another word
    ("장관을 이루었다" is a sight, "수상자" a prize winner): nothing but particles or a copula after it, and a state, a
    body or a space before it."""
    h = hits[k]
    j = h.end
    while j < len(text) and is_hangul(text[j]):
        j += 1
    rest = text[h.end:j]
    if rest not in PARTICLES and rest not in _COPULAS and not (k + 1 < len(hits) and hits[k + 1].start == h.end):
        return False
    if h.start == 0 or not is_hangul(text[h.start - 1]):
        return True
    return (k > 0 and hits[k - 1].end == h.start) or text[h.start - 1] in "성부원회국당군"


def _sender(text: str, hit: Hit) -> bool:
    """Whether an office is named as the one who sent someone or something ("남조선대통령의 특사대표단", "대통령의
    친서"), not as a person present."""
    after = text[hit.end:hit.end + 12]
    return after.startswith("의") and after[1:].lstrip().startswith(_SENT)


def _country_before(text: str, hits: list[Hit], k: int) -> str:
    """The state an office belongs to: the state named just before it ("벨라루씨공화국 외무상")."""
    h = hits[k]
    for j in range(k - 1, -1, -1):
        prev = hits[j]
        if prev.kind == "name":
            return ""
        if prev.kind == "country":
            return prev.value if h.start - prev.end <= 12 else ""
    return ""


def _result(category: Category, high: bool, participants: list[str], countries: list[str], pc: dict[str, str],
            confidence: float, reasons: list[str], hangul: list[str]) -> Classification:
    from monitor.classify.classifier import Classification

    return Classification(category, high, participants, countries, pc, confidence, reasons,
                          participants_hangul=hangul)
