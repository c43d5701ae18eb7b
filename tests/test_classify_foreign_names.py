"""Foreign names in Korean items: found between two offices and before a state's office, read back from Hangul and
matched by sound to the gazetteer's English spelling; signings in person between the officers of two states. Every
Korean and English sentence here is invented for these tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.classify import Classifier
from monitor.classify.gazetteer import DPRK, load_gazetteer
from monitor.classify.korean_gazetteer import load_korean
from monitor.classify.names import sound_key

# a user gazetteer of two foreign officers: the packaged one knows neither, so every match below comes from it
EXTRA = """
[[officials]]
name = "Pascal Nyabenda"
country = "Burundi"
rank = "minister"
offices = ["parliament_chair"]
start = 2015-08-01
end = 2020-08-01

[[officials]]
name = "Marcelo Quintana Ferreira"
aliases = ["Marcelo Quintana"]
country = "Bolivia"
rank = "minister"
offices = ["foreign_minister"]
start = 2021-02-01
end = 2023-06-01
"""


@pytest.fixture(scope="module")
def clf(tmp_path_factory: pytest.TempPathFactory) -> Classifier:
    path = tmp_path_factory.mktemp("gaz") / "extra.toml"
    path.write_text(EXTRA, encoding="utf-8")
    return Classifier.load(path)


def test_name_between_a_party_office_and_a_parliament_office(clf: Classifier) -> None:
    """"총비서인 NAME 국민의회 의장": the name written in apposition between two offices is a participant, read back
    and matched by sound to the gazetteer's spelling of the chair of that state's parliament."""
    r = clf.classify("최룡해위원장 부룬디 국민의회 의장과 회담",
                     "조선민주주의인민공화국 최고인민회의 상임위원회 위원장 최룡해동지와 부룬디공화국 대표단 단장으로 "
                     "우리 나라를 방문하고있는 부룬디민족방위민주리사회 총서기인 빠스깔 냐벤다 국민의회 의장사이의 "
                     "회담이 5일 만수대의사당에서 진행되였다.", published=date(2019, 5, 6))
    assert r.category == "meeting" and r.high_level
    assert "Pascal Nyabenda" in r.participants
    assert r.participants_hangul[r.participants.index("Pascal Nyabenda")] == "빠스깔 냐벤다"
    assert r.participant_countries.get("Pascal Nyabenda") == "Burundi"


def test_name_before_its_state_and_office_with_no_date(clf: Classifier) -> None:
    """A three-word name written before "볼리비아...국 외무상" is cut where the state begins and matched by sound
    ("Marselo Kintana Pereira" is Marcelo Quintana Ferreira); with no date, no holder is guessed for the office."""
    r = clf.classify("조선대사가 볼리비아외무상을 만났다",
                     "볼리비아다민족국주재 조선민주주의인민공화국 특명전권대사 김철수가 3일 마르쎌로 낀따나 페레이라 "
                     "볼리비아다민족국 외무상을 만나 담화하였다.", published=None)
    assert r.category == "meeting" and r.high_level
    assert "Marcelo Quintana Ferreira" in r.participants
    assert "Kim Chol Su" in r.participants
    assert len(r.participants) == 2


def test_a_reading_of_another_state_is_not_matched(tmp_path: Path) -> None:
    """The sound match keeps to the state named with the office: the same reading for another state's office is left
    as read back from Hangul."""
    path = tmp_path / "extra.toml"
    path.write_text(EXTRA, encoding="utf-8")
    gaz = load_gazetteer(path)
    assert gaz.sounds_like("Marselo Kintana Pereira", "Bolivia") == "Marcelo Quintana Ferreira"
    assert gaz.sounds_like("Marselo Kintana", "Bolivia") == "Marcelo Quintana Ferreira"
    assert gaz.sounds_like("Marselo Kintana Pereira", "Peru") is None
    assert gaz.sounds_like("Wang I") is None  # too few consonants to tell people apart


def test_soft_c_sounds_as_hangul_writes_it() -> None:
    """c before e, i, y is heard as s (마르쎌로 for Marcelo), elsewhere as k (꼴린 for Colin)."""
    assert sound_key("Marcelo") == sound_key("Marselo")
    assert sound_key("Colin") == sound_key("Kolin")
    assert sound_key("Marcelo") != sound_key("Markelo")


def test_a_foreign_partys_labour_party_is_not_the_wpk() -> None:
    """"부룬디로동당" glued to a foreign state is that state's party, not the Workers' Party of Korea."""
    gaz = load_korean(load_gazetteer(None))
    hits = gaz.scan("부룬디로동당 총서기")
    assert [h.value for h in hits if h.kind == "country"] == ["Burundi"]
    assert any(h.value == DPRK for h in gaz.scan("조선로동당 총비서"))


# ---------------------------------------------------------------- signings in person
def test_korean_signing_by_two_presidents_one_visiting_is_a_meeting(clf: Classifier) -> None:
    """Two presidents signing together, one on a visit, met: a high-level meeting between foreign officials, the
    holders of both offices on the date named."""
    r = clf.classify("까자흐스딴과 뚜르크메니스딴 전략적동반자관계에 관한 협정 체결",
                     "까자흐스딴대통령과 이 나라를 방문한 뚜르크메니스딴대통령이 10월 2일 두 나라사이의 "
                     "전략적동반자관계에 관한 협정에 서명하였다.", published=date(2025, 10, 4))
    assert r.category == "meeting" and r.high_level
    assert "Kazakhstan" in r.countries and "Turkmenistan" in r.countries


def test_korean_signing_without_a_visit_or_without_two_heads_stays_diplomatic(clf: Classifier) -> None:
    """An agreement signed by two governments' bodies, or by officers with nobody on a visit, is an agreement
    (diplomatic), not a meeting."""
    bodies = clf.classify("조선과 라오스사이의 문화교류협정 체결",
                          "조선민주주의인민공화국 정부와 라오스인민민주주의공화국 정부사이의 문화교류협정이 평양에서 "
                          "조인되였다.", published=date(2025, 6, 2))
    assert bodies.category == "diplomatic"
    remote = clf.classify("까자흐스딴과 뚜르크메니스딴 협정 체결",
                          "까자흐스딴대통령과 뚜르크메니스딴대통령이 화상으로 협정에 서명하였다.",
                          published=date(2025, 10, 4))
    assert remote.category == "diplomatic"


def test_english_signing_in_person_matches_the_korean_rule(clf: Classifier) -> None:
    """The English rule is the same: "the President of X and the visiting President of Y signed" is a high-level
    meeting; a treaty signed by governments with no officers named stays diplomatic."""
    r = clf.classify("Kazakhstan and Turkmenistan Sign Agreement",
                     "The President of Kazakhstan and the visiting President of Turkmenistan signed an agreement on "
                     "strategic partnership on October 2.", published=date(2025, 10, 4))
    assert r.category == "meeting" and r.high_level
    plain = clf.classify("Agreement on Cultural Exchange Signed between DPRK and Laos",
                         "An agreement on cultural exchange between the governments of the DPRK and Laos was signed in "
                         "Pyongyang by the visiting delegation.", published=date(2025, 6, 2))
    assert plain.category == "diplomatic"


def test_an_upper_chamber_chair_is_high_level_but_names_nobody(clf: Classifier) -> None:
    """"꽁고공화국 상원 의장" and "the President of the Senate of Congo" without a name are of parliament-chair rank
    but are not resolved to the chair of the other chamber (the office holder list's `upper_house` terms)."""
    holders = load_gazetteer(None)
    lower = holders.holder("Congo", "parliament_chair", date(2019, 5, 6))
    assert lower is not None
    ko = clf.classify("경애하는 김정은동지께서 꽁고공화국 상원 의장을 접견하시였다",
                      "조선로동당 총비서이시며 조선민주주의인민공화국 국무위원장이신 김정은동지께서 "
                      "우리 나라를 방문하고있는 꽁고공화국 상원 의장을 5일 접견하시였다.", published=date(2019, 5, 6))
    en = clf.classify("Kim Jong Un Receives President of Senate of Congo",
                      "Kim Jong Un received the President of the Senate of Congo, who is on a visit to the DPRK, on "
                      "May 5.", published=date(2019, 5, 6))
    for r in (ko, en):
        assert r.category == "meeting" and r.high_level
        assert lower not in r.participants


def test_an_appositive_name_ends_at_between(clf: Classifier) -> None:
    """"의장인 NAME사이의 회담": the name in apposition ends at "사이의" (between), and ㅅ with a glide reads sh."""
    r = clf.classify("최룡해위원장 부룬디 국민의회 의장과 회담",
                     "조선민주주의인민공화국 최고인민회의 상임위원회 위원장 최룡해동지와 부룬디공화국 국회 의장인 "
                     "빠스깔 냐벤다사이의 회담이 5일 평양에서 진행되였다.", published=date(2019, 5, 6))
    assert "Pascal Nyabenda" in r.participants
    assert r.participants_hangul[r.participants.index("Pascal Nyabenda")] == "빠스깔 냐벤다"


def test_sh_is_read_from_a_glide_after_s() -> None:
    """The DPRK writes sh as ㅅ with a glide (쇼, 쉬, 샤): read back as sh, as zh is read from ㅈ with one."""
    from monitor.classify.korean_names import foreign_word
    assert foreign_word("쇼이구") == "Shoigu"
    assert foreign_word("샤브까뜨") == "Shavkat"
    assert foreign_word("쥬가노브") == "Zhuganov"


def test_an_office_said_of_the_person_named_next_gives_the_rank(clf: Classifier) -> None:
    """"정치국 위원인 NAME": the office before a copula stands for the person after it, so a foreign Politburo member
    nobody knows makes the meeting high level."""
    r = clf.classify("국제부장 윁남공산당대표단과 회담",
                     "조선로동당 중앙위원회 국제부장 김성남동지와 윁남공산당 중앙위원회 정치국 위원인 응웬 반 하 "
                     "당중앙위원회 비서사이의 회담이 3일 평양에서 진행되였다.", published=date(2024, 7, 4))
    assert r.category == "meeting" and r.high_level
    assert "Kim Song Nam" in r.participants


def test_the_spa_standing_committee_chairman_is_not_the_spa_chairman(clf: Classifier) -> None:
    """Credentials presented to "the chairman of the SPA Standing Committee" named nobody else: the SPA's own chairman
    (another office) is not added as a participant, in Korean or in English."""
    spa_chair = load_gazetteer(None).holder("DPRK", "parliament_chair", date(2025, 6, 1))
    assert spa_chair is not None
    ko = clf.classify("최고인민회의 상임위원회 위원장에게 스웨리예대사가 신임장 제정",
                      "조선민주주의인민공화국 최고인민회의 상임위원회 위원장에게 주조 스웨리예왕국 특명전권대사가 "
                      "1일 신임장을 제정하였다.", published=date(2025, 6, 2))
    en = clf.classify("Swedish Ambassador Presents Credentials to Chairman of SPA Standing Committee",
                      "The Swedish ambassador presented his credentials to the chairman of the SPA Standing Committee "
                      "on June 1.", published=date(2025, 6, 2))
    for r in (ko, en):
        assert r.category == "meeting"
        assert spa_chair not in r.participants


def test_an_office_that_sends_an_envoy_is_not_a_participant(clf: Classifier) -> None:
    """"꽁고대통령의 특사" received by Kim Jong Un: the envoy met him, the president who sent the envoy did not."""
    president = load_gazetteer(None).holder("Congo", "head_of_state", date(2024, 5, 2))
    assert president is not None
    r = clf.classify("김정은동지께서 꽁고대통령의 특사를 접견하시였다",
                     "조선로동당 총비서이시며 조선민주주의인민공화국 국무위원장이신 김정은동지께서 꽁고공화국 "
                     "대통령의 특사를 1일 접견하시였다.", published=date(2024, 5, 2))
    assert r.category == "meeting" and r.high_level
    assert president not in r.participants
