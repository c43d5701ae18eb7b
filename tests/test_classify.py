"""The classifier on invented KCNA-style items: meetings, diplomatic genres, hard negatives, names and ranks."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.classify import Classification, Classifier, GazetteerError, canonical_name


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return Classifier.load()


def _c(clf: Classifier, title: str, text: str | None = None, when: date | None = None) -> Classification:
    return clf.classify(title, text, published=when)


# ---------------------------------------------------------------- meetings
def test_leader_receives_foreign_minister_is_high_level_meeting(clf: Classifier) -> None:
    """A reception of a foreign minister by Kim Jong Un is a high-level meeting with both named canonically."""
    c = _c(clf, "Respected Comrade Kim Jong Un Receives Foreign Minister of Belarus",
           "Pyongyang, May 3 (KCNA) -- Kim Jong Un, general secretary of the Workers' Party of Korea, received "
           "Maxim Ryzhenkov, minister of Foreign Affairs of the Republic of Belarus, on May 2.")
    assert c.category == "meeting" and c.high_level
    assert c.participants == ["Kim Jong Un", "Maxim Ryzhenkov"]
    assert c.participant_countries == {"Kim Jong Un": "DPRK", "Maxim Ryzhenkov": "Belarus"}
    assert c.countries == ["DPRK", "Belarus"]


def test_surname_only_headline_resolves_through_gazetteer(clf: Classifier) -> None:
    """A headline naming only a surname ("Receives Lavrov") gives the full canonical name from the gazetteer."""
    c = _c(clf, "Kim Jong Un Receives Lavrov")
    assert c.category == "meeting" and c.high_level
    assert c.participants == ["Kim Jong Un", "Sergei Lavrov"]


def test_talks_between_parliament_chairs_keep_principals_not_people_present(clf: Classifier) -> None:
    """Talks between two leaders name them as participants; officials merely "present" are not principals."""
    text = ("Talks took place in Pyongyang on May 9 between Choe Ryong Hae, chairman of the Standing Committee of the "
            "Supreme People's Assembly of the DPRK, and Zhao Leji, chairman of the Standing Committee of the "
            "National People's Congress of China.\n\nPresent there were Kim Song Nam, director of a department of "
            "the WPK Central Committee, and Wang Yajun, Chinese ambassador to the DPRK.")
    c = _c(clf, "Talks Held between Choe Ryong Hae and Zhao Leji", text)
    assert c.category == "meeting" and c.high_level
    assert c.participants[:2] == ["Choe Ryong Hae", "Zhao Leji"]
    assert "Wang Yajun" not in c.participants


def test_wire_report_of_chinese_premier_meeting_north_korean_minister(clf: Classifier) -> None:
    """A wire story ("Premier Li Qiang met North Korean Foreign Minister Choe Son-hui") is a high-level meeting."""
    text = ("date 2025-09-29 Chinese Premier Li Qiang met with North Korean Foreign Minister Choe Son-hui on Monday "
            "in Beijing, the ministry said.Later Choe also talked with Wang Yi and praised Xi Jinping.")
    c = _c(clf, "Chinese premier meets N. Korean foreign minister", text)
    assert c.category == "meeting" and c.high_level
    assert c.participants == ["Li Qiang", "Choe Son Hui"]
    assert set(c.countries) == {"China", "DPRK"}


def test_unknown_people_get_rank_from_their_titles(clf: Classifier) -> None:
    """People absent from the gazetteer get their rank from the title beside their name."""
    c = _c(clf, "Minister of Railways Meets Visiting Mongolian Official",
           "Ko Yong Chan, minister of Railways of the DPRK, met Tumur Baatar, state secretary of the Ministry of "
           "Road and Transport of Mongolia, on June 2.")
    assert c.category == "meeting" and c.high_level
    assert c.participants == ["Ko Yong Chan", "Tumur Baatar"]
    assert c.participant_countries["Tumur Baatar"] == "Mongolia"


def test_vice_ministers_meeting_is_not_high_level(clf: Classifier) -> None:
    """Two vice-ministers meeting is a meeting, but not a high-level one ("vice-minister" is not minister rank)."""
    c = _c(clf, "Talks between Vice Foreign Ministers of DPRK and Laos Held",
           "Talks between Ri Sang Hun, vice-minister of Foreign Affairs of the DPRK, and Phet Sayavong, deputy "
           "minister of Foreign Affairs of the Lao People's Democratic Republic, took place on June 5.")
    assert c.category == "meeting"
    assert not c.high_level
    assert c.participants == ["Ri Sang Hun", "Phet Sayavong"]


def test_ambassador_meeting_department_director_is_low_level(clf: Classifier) -> None:
    """A department director receiving an ambassador is a meeting below minister rank."""
    c = _c(clf, "Department Director of WPK Central Committee Meets Cuban Ambassador",
           "Jang Myong Su, a department director of the WPK Central Committee, met the Cuban ambassador on Monday.")
    assert (c.category, c.high_level) == ("meeting", False)


def test_credentials_to_head_of_state_name_the_office_holder(clf: Classifier) -> None:
    """Credentials presented to "the president of X" are a high-level meeting with the president of that date."""
    c = _c(clf, "Credentials Presented to President of Iran",
           "DPRK Ambassador Pang Myong Su presented his credentials to the president of the Islamic Republic of Iran "
           "on September 3.", date(2024, 9, 4))
    assert (c.category, c.high_level) == ("meeting", True)
    assert c.participants == ["Pang Myong Su", "Masoud Pezeshkian"]


def test_banquet_in_honour_of_visiting_leader_is_meeting(clf: Classifier) -> None:
    """A banquet given in honour of a visiting head of state is a meeting."""
    c = _c(clf, "Respected Comrade Kim Jong Un Hosts Banquet in Honour of Lao President",
           "Kim Jong Un hosted a banquet in honour of Thongloun Sisoulith, president of the Lao People's Democratic "
           "Republic, on his visit to the DPRK.")
    assert c.category == "meeting" and c.high_level
    assert set(c.participants) == {"Kim Jong Un", "Thongloun Sisoulith"}


# ---------------------------------------------------------------- diplomatic genres
@pytest.mark.parametrize(("title", "text"), [
    ("Respected Comrade Kim Jong Un Sends Greetings to Cuban President",
     "Kim Jong Un sent a message of greeting to Miguel Diaz-Canel on the national holiday of Cuba."),
    ("Respected Comrade Kim Jong Un Receives Floral Basket from Vietnamese President", None),
    ("Spokesperson for DPRK Foreign Ministry Issues Press Statement on Naval Drills",
     "The U.S. has again staged provocative war drills, the spokesperson said."),
    ("KCNA Commentary Slams Japan's Militarist Moves", None),
    ("Mongolian Trade Delegation Arrives in Pyongyang", None),
    ("DPRK Foreign Minister Leaves for Iran", None),
    ("Russian Embassy Gives Reception", None),
    ("Ceremony Held to Welcome Lao President",
     "A welcome ceremony was held at Kim Il Sung Square where Kim Jong Un met the president of Laos."),
    ("Agreement on Cultural Exchange Signed between DPRK and Belarus", None),
    ("Congratulatory Group of Koreans in Japan Arrives", None),
])
def test_foreign_relations_items_that_are_not_meetings_are_diplomatic(clf: Classifier, title: str,
                                                                    text: str | None) -> None:
    """Messages, statements, commentaries, travel, embassy events, ceremonies and overseas Koreans are diplomatic."""
    c = _c(clf, title, text)
    assert c.category == "diplomatic", c.reasons
    assert not c.high_level and c.participants == []


# ---------------------------------------------------------------- hard negatives
@pytest.mark.parametrize(("title", "text"), [
    ("Enlarged Plenary Meeting of Ninth WPK Central Committee Opens",
     "The enlarged plenary meeting of the Central Committee of the Workers' Party of Korea opened on June 20."),
    ("Meeting of Political Bureau of WPK Central Committee Held", None),
    ("Respected Comrade Kim Jong Un Meets Participants in National Meeting of Teachers",
     "Kim Jong Un met the participants in the national meeting of teachers and had a photo session with them."),
    ("Kim Jong Un Meets Officials of Provincial Party Committees",
     "Kim Jong Un met officials of the provincial Party committees and received their reports."),
    ("Talks Given on Revolutionary History", "Talks were given on the revolutionary history of the leaders."),
    ("Respected Comrade Kim Jong Un Inspects Munitions Enterprise", None),
    ("DPRK Missile Administration Test-fires New-type Cruise Missile", None),
    ("Pak Thae Song Meets Visiting Art Troupe of Koreans in Japan",
     "Pak Thae Song met members of the art troupe of Koreans in Japan visiting the homeland on May 3."),
    ("DPRK Team Wins Gold Medal at Asian Weightlifting Championships", None),
    ("Bumper Maize Harvest at Farms in South Hwanghae Province", None),
])
def test_hard_negatives_are_not_meetings(clf: Classifier, title: str, text: str | None) -> None:
    """Party meetings, meetings with DPRK groups or Koreans abroad, talks given, inspections, tests: no meeting."""
    c = _c(clf, title, text)
    assert c.category != "meeting", c.reasons
    assert not c.high_level


def test_overseas_koreans_meeting_is_diplomatic_not_meeting(clf: Classifier) -> None:
    """A senior official meeting Koreans living in Japan is diplomatic (corpus rule), never a meeting."""
    c = _c(clf, "Pak Thae Song Meets Visiting Art Troupe of Koreans in Japan",
           "Pak Thae Song met members of the art troupe of Koreans in Japan visiting the homeland on May 3.")
    assert c.category == "diplomatic"


def test_domestic_items_are_domestic(clf: Classifier) -> None:
    """Economy and culture items with no foreign side are domestic with no participants or countries."""
    c = _c(clf, "New Houses Built at Rural Village", "Farmers in a county of Kangwon Province moved into new houses.")
    assert (c.category, c.participants, c.countries) == ("domestic", [], [])


@pytest.mark.parametrize(("title", "text", "category"), [
    ("Homage Paid", "Officials paid homage at the Friendship Tower in Pyongyang on Monday.", "diplomatic"),
    ("Homage Paid", "Working people paid homage to the Chinese People's Volunteers' fallen at a cemetery.",
     "diplomatic"),
    ("Homage Paid", "Working people paid homage to the fallen heroes at the Revolutionary Martyrs Cemetery.",
     "domestic"),
    ("Hymn Sung", "Members of the General Association of Korean Residents in the capital of a neighbour sang.",
     "diplomatic"),
    ("New Year Celebrated", "Working people across the country saw the new year in at a celebration.", "domestic"),
])
def test_title_without_cue_defers_to_what_the_lead_names(clf: Classifier, title: str, text: str,
                                                          category: str) -> None:
    """A title with no cue word is decided by its lead: a memorial to foreign soldiers or Koreans abroad count."""
    assert _c(clf, title, text).category == category


# ---------------------------------------------------------------- names
@pytest.mark.parametrize(("raw", "canonical"), [
    ("Choe Son-hui", "Choe Son Hui"), ("CHOE SON HUI", "Choe Son Hui"), ("Choe  Son Hui", "Choe Son Hui"),
    ("Kim Jong-un", "Kim Jong Un"), ("Respected Comrade Kim Jong Un", "Kim Jong Un"),
    ("Sergei Viktorovich Lavrov", "Sergei Lavrov"), ("Pak Thae-song", "Pak Thae Song"),
    ("Tô Lâm", "To Lam"), ("Andrei Beloussov", "Andrei Belousov"), ("Ri Chol Man", "Ri Chol Man"),
])
def test_canonical_name(raw: str, canonical: str) -> None:
    """Spelling, hyphen, case, spacing, honorific, patronymic and accent variants map to one canonical name."""
    assert canonical_name(raw) == canonical


def test_as_dict_is_json_ready(clf: Classifier) -> None:
    """as_dict() has exactly the contract keys."""
    d = _c(clf, "Kim Jong Un Receives Lavrov").as_dict()
    assert set(d) == {"category", "high_level", "participants", "countries", "confidence", "reasons"}
    assert 0.0 <= float(d["confidence"]) <= 1.0  # type: ignore[arg-type]


# ---------------------------------------------------------------- gazetteer
def test_user_gazetteer_adds_official_and_changes_version(tmp_path: Path) -> None:
    """A user gazetteer adds an official (resolved from a bare headline) and changes the classifier version."""
    base = Classifier.load()
    extra = tmp_path / "officials.toml"
    extra.write_text('[[officials]]\nname = "Aung Kyaw Min"\naliases = ["Kyaw Min"]\ncountry = "Myanmar"\n'
                     'rank = "minister"\n', encoding="utf-8")
    user = Classifier.load(extra)
    assert user.version != base.version
    assert Classifier.load(extra).version == user.version
    c = user.classify("Kim Jong Un Meets Kyaw Min")
    assert c.participants == ["Kim Jong Un", "Aung Kyaw Min"]
    assert c.participant_countries["Aung Kyaw Min"] == "Myanmar"
    assert base.classify("Kim Jong Un Meets Kyaw Min").category != "meeting"


def test_user_gazetteer_overrides_rank_of_packaged_official(tmp_path: Path) -> None:
    """An official listed again in the user file replaces the packaged entry (here: a lower rank)."""
    extra = tmp_path / "officials.toml"
    extra.write_text('[[officials]]\nname = "Maxim Ryzhenkov"\naliases = ["Ryzhenkov"]\ncountry = "Belarus"\n'
                     'rank = "vice_minister"\n', encoding="utf-8")
    c = Classifier.load(extra).classify("Vice Department Director Meets Ryzhenkov")
    assert c.category == "meeting"
    assert not c.high_level
    assert Classifier.load().classify("Vice Department Director Meets Ryzhenkov").high_level


def test_user_gazetteer_adds_country_alias(tmp_path: Path) -> None:
    """A country entry with an existing name adds aliases to it."""
    extra = tmp_path / "officials.toml"
    extra.write_text('[[countries]]\nname = "Laos"\naliases = ["Lane Xang"]\n', encoding="utf-8")
    c = Classifier.load(extra).classify("Delegation of Lane Xang Arrives")
    assert c.category == "diplomatic" and c.countries == ["Laos"]


def test_bad_gazetteer_names_file_and_entry(tmp_path: Path) -> None:
    """A wrong rank in a user gazetteer is an error naming the file, the entry and the allowed ranks."""
    extra = tmp_path / "officials.toml"
    extra.write_text('[[officials]]\nname = "Someone"\nrank = "emperor"\n', encoding="utf-8")
    with pytest.raises(GazetteerError, match=r"officials\.toml.*officials\[0\].*rank must be one of"):
        Classifier.load(extra)
