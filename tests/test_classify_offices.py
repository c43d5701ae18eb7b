"""The grammar of offices on invented sentences: ranks, offices, states, parties and DPRK offices from titles."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from monitor.classify.offices import Office, find_offices, find_party, is_high, ruling_party

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def _only(text: str) -> Office:
    offices = find_offices(text)
    assert len(offices) == 1, offices
    return offices[0]


def _ranks(text: str) -> list[tuple[str, str]]:
    return [(o.phrase, o.rank) for o in find_offices(text)]


# ---------------------------------------------------------------- rank of a single title
RANKS = [
    # heads of state
    ("Kim Jong Un met the president of Laos.", "president of Laos", "head_of_state", "head_of_state"),
    ("Ri Il Hwan Meets Zambian President", "Zambian President", "head_of_state", "head_of_state"),
    ("greetings to the king of Cambodia", "king of Cambodia", "head_of_state", "head_of_state"),
    ("The Emir of Qatar sent a message.", "Emir of Qatar", "head_of_state", "head_of_state"),
    ("the Sultan of Brunei received him", "Sultan of Brunei", "head_of_state", "head_of_state"),
    ("The Japanese Emperor was not mentioned", "Japanese Emperor", "head_of_state", "head_of_state"),
    ("the Grand Duke of Luxembourg", "Grand Duke of Luxembourg", "head_of_state", "head_of_state"),
    ("the Sovereign Prince of Monaco", "Sovereign Prince of Monaco", "head_of_state", "head_of_state"),
    ("the Governor-General of Jamaica", "Governor-General of Jamaica", "head_of_state", "head_of_state"),
    ("Kim Jong Un, president of the State Affairs of the DPRK, spoke", "president of the State Affairs of the DPRK",
     "head_of_state", "head_of_state"),
    ("the chairman of the State Affairs Commission inspected", "chairman of the State Affairs Commission",
     "head_of_state", "head_of_state"),
    ("Kim Jong Il, chairman of the National Defence Commission, met",
     "chairman of the National Defence Commission", "head_of_state", "head_of_state"),
    ("the first chairman of the NDC of the DPRK", "first chairman of the NDC of the DPRK", "head_of_state",
     "head_of_state"),
    ("Kim Yong Nam, president of the Presidium of the Supreme People's Assembly, met",
     "president of the Presidium of the Supreme People's Assembly", "head_of_state", "head_of_state"),
    ("the chairman of the Council of State of Cuba", "chairman of the Council of State of Cuba", "head_of_state",
     "head_of_state"),
    ("the Supreme Leader of Iran", "Supreme Leader of Iran", "head_of_state", "head_of_state"),
    ("the chairman of the State Peace and Development Council of Ruritania",
     "chairman of the State Peace and Development Council of Ruritania", "head_of_state", "head_of_state"),
    ("the President of the Palestinian National Authority", "President of the Palestinian National Authority",
     "head_of_state", "head_of_state"),
    # heads of government
    ("Gift to Mongolian Prime Minister", "Mongolian Prime Minister", "head_of_government", "head_of_government"),
    ("Nepalese PM Hopes for Good Ties", "Nepalese PM", "head_of_government", "head_of_government"),
    ("Pak Pong Ju, premier of the Cabinet, inspected", "premier of the Cabinet", "head_of_government",
     "head_of_government"),
    ("the premier of the State Council of China said", "premier of the State Council of China",
     "head_of_government", "head_of_government"),
    ("the Austrian Chancellor said", "Austrian Chancellor", "head_of_government", "head_of_government"),
    ("the chairman of the Council of Ministers of Vietnam", "chairman of the Council of Ministers of Vietnam",
     "head_of_government", "head_of_government"),
    ("the President of the Government of Spain", "President of the Government of Spain", "head_of_government",
     "head_of_government"),
    # party leaders
    ("the general secretary of the Central Committee of the Communist Party of Vietnam visited",
     "general secretary of the Central Committee of the Communist Party of Vietnam", "party_leader",
     "party_leader"),
    ("the first secretary of the Central Committee of the Communist Party of Cuba",
     "first secretary of the Central Committee of the Communist Party of Cuba", "party_leader", "party_leader"),
    ("the chairman of the Mongolian People's Party arrived", "chairman of the Mongolian People's Party",
     "party_leader", "party_leader"),
    ("Nepalese Party Leader Praises Songun Politics", "Nepalese Party Leader", "party_leader", "party_leader"),
    ("the leader of the Socialist Party of Ruritania", "leader of the Socialist Party of Ruritania",
     "party_leader", "party_leader"),
    ("Message to General Secretary of WPK", "General Secretary of WPK", "party_leader", "party_leader"),
    # vice heads of state
    ("the vice-president of Vietnam", "vice-president of Vietnam", "vice_head_of_state", None),
    ("Yang Hyong Sop, vice-president of the Presidium of the SPA, met",
     "vice-president of the Presidium of the SPA", "vice_head_of_state", None),
    ("the first vice-chairman of the National Defence Commission",
     "first vice-chairman of the National Defence Commission", "vice_head_of_state", None),
    ("Cuban Vice President Arrives", "Cuban Vice President", "vice_head_of_state", None),
    ("a vice-chairman of the National Defence Commission", "vice-chairman of the National Defence Commission",
     "vice_head_of_state", None),
    # politburo
    ("a member of the Political Bureau of the CC of the CPC", "member of the Political Bureau of the CC of the CPC",
     "politburo", None),
    ("an alternate member of the Political Bureau of the WPK Central Committee",
     "alternate member of the Political Bureau of the WPK Central Committee", "politburo", None),
    ("a member of the Presidium of the Political Bureau of the WPK Central Committee",
     "member of the Presidium of the Political Bureau of the WPK Central Committee", "politburo", None),
    ("a member of the Standing Committee of the Political Bureau of the CPC Central Committee",
     "member of the Standing Committee of the Political Bureau of the CPC Central Committee", "politburo", None),
    ("the CPC Politburo Standing Committee member said", "CPC Politburo Standing Committee member", "politburo",
     None),
    ("Kim Ki Nam, secretary of the WPK Central Committee, met", "secretary of the WPK Central Committee",
     "politburo", None),
    ("a secretary of the Central Committee of the Workers' Party of Korea",
     "secretary of the Central Committee of the Workers' Party of Korea", "politburo", None),
    ("the vice-chairman of the WPK Central Committee", "vice-chairman of the WPK Central Committee", "politburo",
     None),
    # parliament chairs
    ("Choe Thae Bok, chairman of the Supreme People's Assembly, met",
     "chairman of the Supreme People's Assembly", "parliament_chair", "parliament_chair"),
    ("SPA Chairman Meets Guests", "SPA Chairman", "parliament_chair", "parliament_chair"),
    ("the chairman of the SPA Standing Committee", "chairman of the SPA Standing Committee", "parliament_chair",
     "parliament_chair"),
    ("the chairman of the Standing Committee of the National People's Congress of China",
     "chairman of the Standing Committee of the National People's Congress of China", "parliament_chair",
     "parliament_chair"),
    ("the chairman of the Lao National Assembly", "chairman of the Lao National Assembly", "parliament_chair",
     "parliament_chair"),
    ("the chairman of the State Duma of Russia", "chairman of the State Duma of Russia", "parliament_chair",
     "parliament_chair"),
    ("the chairman of the Federation Council", "chairman of the Federation Council", "parliament_chair",
     "parliament_chair"),
    ("the chairman of the State Great Hural of Mongolia", "chairman of the State Great Hural of Mongolia",
     "parliament_chair", "parliament_chair"),
    ("the speaker of the Majlis of Iran", "speaker of the Majlis of Iran", "parliament_chair", "parliament_chair"),
    ("the president of the Senate of Ruritania", "president of the Senate of Ruritania", "parliament_chair",
     "parliament_chair"),
    ("the Speaker of the House of Representatives", "Speaker of the House of Representatives", "parliament_chair",
     "parliament_chair"),
    # ministers
    ("Ri Son Gwon, minister of Foreign Affairs, met", "minister of Foreign Affairs", "minister",
     "foreign_minister"),
    ("Lao Foreign Minister Arrives", "Lao Foreign Minister", "minister", "foreign_minister"),
    ("the minister for foreign affairs of Ruritania", "minister for foreign affairs of Ruritania", "minister",
     "foreign_minister"),
    ("Kim Il Chol, minister of the People's Armed Forces, attended", "minister of the People's Armed Forces",
     "minister", "defence_minister"),
    ("the people's armed forces minister reported", "people's armed forces minister", "minister",
     "defence_minister"),
    ("the Chinese Defence Minister met", "Chinese Defence Minister", "minister", "defence_minister"),
    ("the minister of national defence of Vietnam", "minister of national defence of Vietnam", "minister",
     "defence_minister"),
    ("the minister of culture of Laos", "minister of culture of Laos", "minister", None),
    ("Ri Chol Su, DPRK foreign minister, spoke", "DPRK foreign minister", "minister", "foreign_minister"),
    ("the visiting Ruritanian minister of trade and industry met", "Ruritanian minister of trade and industry",
     "minister", None),
    ("the minister of foreign affairs and international cooperation of Ruritania",
     "minister of foreign affairs and international cooperation of Ruritania", "minister", "foreign_minister"),
    ("the trade minister of Ruritania", "trade minister of Ruritania", "minister", None),
    ("the U.S. Secretary of State said", "U.S. Secretary of State", "minister", "foreign_minister"),
    ("the Secretary of Defense said", "Secretary of Defense", "minister", "defence_minister"),
    ("the British Foreign Secretary said", "British Foreign Secretary", "minister", "foreign_minister"),
    ("the vice-premier of the State Council", "vice-premier of the State Council", "minister", None),
    ("the deputy prime minister of Thailand", "deputy prime minister of Thailand", "minister", None),
    ("Chinese Vice-Premier Arrives", "Chinese Vice-Premier", "minister", None),
    # below minister rank
    ("the minister councilor of the Chinese embassy", "minister councilor of the Chinese embassy", "other", None),
    ("the minister-counsellor of the embassy", "minister-counsellor of the embassy", "other", None),
    ("the Ruritanian Parliamentary Under Secretary of State", "Ruritanian Parliamentary Under Secretary of State",
     "other", None),
    ("the Chinese State Councilor arrived", "Chinese State Councilor", "minister", None),
    ("the head of state of Ruritania", "head of state of Ruritania", "head_of_state", "head_of_state"),
    ("the vice foreign minister of Laos", "vice foreign minister of Laos", "vice_minister", None),
    ("the vice-minister of foreign affairs", "vice-minister of foreign affairs", "vice_minister", None),
    ("the deputy minister of trade", "deputy minister of trade", "vice_minister", None),
    ("First Vice Foreign Minister Meets", "First Vice Foreign Minister", "vice_minister", None),
    ("the vice-chairman of the SPA Standing Committee", "vice-chairman of the SPA Standing Committee", "other",
     None),
    ("the vice-chairman of the Standing Committee of the NPC", "vice-chairman of the Standing Committee of the NPC",
     "other", None),
    ("Chinese NPC Vice-Chairman Arrives", "Chinese NPC Vice-Chairman", "other", None),
    ("the vice-president of the Senate", "vice-president of the Senate", "other", None),
    ("the president of the Korean Red Cross", "president of the Korean Red Cross", "other", None),
    ("the President of Kim Il Sung University", "President of Kim Il Sung University", "other", None),
    ("the president of the Academy of Sciences", "president of the Academy of Sciences", "other", None),
    ("the chairman of the friendship association", "chairman of the friendship association", "other", None),
    ("Korea-Ruritania Friendship Group Chairman", "Korea-Ruritania Friendship Group Chairman", "other", None),
    ("the chairman of the Committee for Cultural Relations", "chairman of the Committee for Cultural Relations",
     "director", None),
    ("the director of the International Department of the WPK Central Committee",
     "director of the International Department of the WPK Central Committee", "director", None),
    ("the department director of the Foreign Ministry", "department director of the Foreign Ministry", "director",
     None),
    ("the Chinese ambassador to the DPRK", "Chinese ambassador", "ambassador", None),
    ("the charge d'affaires ad interim of the Cuban embassy", "charge d'affaires", "ambassador", None),
    ("the consul general of Russia in Chongjin", "consul general of Russia", "ambassador", None),
    ("the special envoy of the Chinese President", "special envoy of the Chinese President", "ambassador", None),
    ("the Ambassador Extraordinary and Plenipotentiary of Ruritania to the DPRK",
     "Ambassador Extraordinary and Plenipotentiary of Ruritania", "ambassador", None),
    ("the president of the Ruritanian Front for National Construction",
     "president of the Ruritanian Front for National Construction", "other", None),
    ("the chairman of the Central Committee of the Ruritanian Fatherland Front",
     "chairman of the Central Committee of the Ruritanian Fatherland Front", "director", None),
    ("the chairman of the Democratic Front for the Reunification of the Fatherland",
     "chairman of the Democratic Front for the Reunification of the Fatherland", "other", None),
    ("the secretary-general of the Non-Aligned Movement", "secretary-general of the Non-Aligned Movement",
     "other", None),
    ("the first secretary of the embassy", "first secretary of the embassy", "other", None),
    ("the secretary of the provincial party committee", "secretary of the provincial party committee", "other",
     None),
    ("the UN Secretary-General said", "UN Secretary-General", "other", None),
    ("the secretary-general of the Ruritanian National Organisation Party",
     "secretary-general of the Ruritanian National Organisation Party", "other", None),
    ("the secretary-general of the Central Committee of the Communist Party of Ruritania",
     "secretary-general of the Central Committee of the Communist Party of Ruritania", "party_leader",
     "party_leader"),
    ("the Crown Prince of Ruritania", "Crown Prince of Ruritania", "other", None),
    ("the former president of Ruritania", "former president of Ruritania", "other", None),
    ("the honorary chairman of the party", "honorary chairman of the party", "other", None),
    ("a vice-chairman of the Central Committee of the Ruritanian Socialist Party",
     "vice-chairman of the Central Committee of the Ruritanian Socialist Party", "other", None),
    ("the chairman of the Juche Idea Study Group", "chairman of the Juche Idea Study Group", "other", None),
    ("KPA Marshal Attends", "KPA Marshal", "other", None),
    ("Colonel General Inspects", "Colonel General", "other", None),
    ("a wreath before the statue of the eternal President", "eternal President", "other", None),
    ("the Ethiopian deputy PM", "Ethiopian deputy PM", "minister", None),
    ("the chairman of the Central Committee of the Ruritanian Women's Association",
     "chairman of the Central Committee of the Ruritanian Women's Association", "director", None),
    ("the president of the Ruritanian National Congress", "president of the Ruritanian National Congress",
     "party_leader", "party_leader"),
    ("the general secretary of the Ruritanian National Liberation Front",
     "general secretary of the Ruritanian National Liberation Front", "party_leader", "party_leader"),
    ("a member of the Central Committee of the Party", "member of the Central Committee of the Party", "other",
     None),
]


@pytest.mark.parametrize(("text", "phrase", "rank", "office"), RANKS, ids=[r[1] for r in RANKS])
def test_rank_of_title(text: str, phrase: str, rank: str, office: str | None) -> None:
    """Each title gives one office phrase with the rank and single-holder office its words say."""
    o = _only(text)
    assert (o.phrase, o.rank, o.office) == (phrase, rank, office)
    assert text[o.start:o.end] == o.phrase


# ---------------------------------------------------------------- state, party, DPRK
def test_state_written_after_of_keeps_the_whole_name() -> None:
    """A state named after "of" is given as written, with "of" and the state's form ("the Republic of ...")."""
    assert _only("the president of the Republic of Cuba").state == "of the Republic of Cuba"
    assert _only("the premier of the State Council of the People's Republic of China").state == \
        "of the People's Republic of China"
    assert _only("the foreign minister of Laos").state == "of Laos"
    assert _only("the U.S. Secretary of State").state == "U.S."


def test_initials_of_a_state_name_belong_to_it() -> None:
    """"S. Korean" and "D.P.R.K." are read whole as the state of the title."""
    assert _only("the S. Korean minister of unification").state == "S. Korean"
    o = _only("the D.P.R.K. ambassador")
    assert o.dprk and o.state == "D.P.R.K."
    o = _only("the chairman of the C. C. of the Ruritanian Party")
    assert (o.rank, o.party) == ("party_leader", "Ruritanian Party")


def test_state_written_before_the_title() -> None:
    """A demonym or state before the title is its state ("Lao", "DPRK"), also inside the organ's name."""
    assert _only("Kim Jong Un Meets Lao President").state == "Lao"
    assert _only("the chairman of the Lao National Assembly").state == "Lao"
    o = _only("chairman of the DPRK National Defence Commission")
    assert o.state == "DPRK" and o.dprk


def test_state_stops_before_a_persons_name() -> None:
    """A state name followed by the holder's name gives the state only, not the name."""
    o = _only("Talks with Premier of the State Council of China Li Hanwen Held")
    assert o.state == "of China"
    assert o.phrase == "Premier of the State Council of China"
    assert _only("Yang Hyong Sop, vice-president of the Presidium of the SPA Yang Hyong Sop").phrase == \
        "vice-president of the Presidium of the SPA"


def test_state_after_an_organ_of_the_state() -> None:
    """A chain of organs ("the State Duma of the Federal Assembly of ...") gives the state at its end."""
    o = _only("the chairman of the State Duma of the Federal Assembly of the Russian Federation")
    assert (o.rank, o.state) == ("parliament_chair", "of the Russian Federation")


@pytest.mark.parametrize(("text", "state"), [
    ("Kim Jong Un Replies To Zambian President", "Zambian"),
    ("Kim Jong Un Whistles at Zambian President", "Zambian"),
    ("Kim Yong Nam Ponders South African President", "South African"),
])
def test_state_before_a_title_after_a_headline_verb(text: str, state: str) -> None:
    """In a title-case headline, the state before the title is read without the verb or name before it."""
    assert _only(text).state == state


def test_premier_alone_has_no_state() -> None:
    """A bare "Premier" gives head of government with no state and no DPRK mark."""
    o = _only("Premier Meets Guests")
    assert (o.rank, o.state, o.dprk) == ("head_of_government", None, False)


def test_party_of_party_posts() -> None:
    """Party posts give the party's name as written, on either side of the title."""
    o = _only("the general secretary of the Central Committee of the Communist Party of China")
    assert o.party == "Communist Party of China"
    assert o.state == "of the Communist Party of China"
    assert _only("Lao People's Revolutionary Party General Secretary Arrives").party == \
        "Lao People's Revolutionary Party"
    assert _only("General Secretary of the CPV Central Committee").party == "CPV"
    assert _only("secretary of the WPK Central Committee").party == "WPK"
    assert _only("member of the Political Bureau of the Central Committee of the Communist Party of Vietnam"
                 ).party == "Communist Party of Vietnam"


def test_non_party_posts_have_no_party() -> None:
    """A head of state or a minister gives no party."""
    assert _only("the president of Laos").party is None
    assert _only("the foreign minister of Laos").party is None


@pytest.mark.parametrize("text", [
    "the chairman of the Supreme People's Assembly",
    "SPA Chairman",
    "general secretary of the Workers' Party of Korea",
    "secretary of the WPK Central Committee",
    "the first vice-chairman of the NDC",
    "president of the State Affairs",
    "chairman of the State Affairs Commission",
    "premier of the Cabinet",
    "the minister of People's Armed Forces",
    "KPA Marshal",
    "Marshal of the Korean People's Army",
    "DPRK ambassador",
    "the minister of Foreign Affairs of the DPRK",
    "a deputy to the SPA and the chairman of the Korean Workers' Party",
])
def test_dprk_offices_by_their_own_name(text: str) -> None:
    """DPRK offices are marked as such from their own words, even with no state written."""
    assert find_offices(text)[-1].dprk


@pytest.mark.parametrize("text", [
    "Premier of the State Council", "the Lao President", "chairman of the National Assembly",
    "the Chinese ambassador to the DPRK", "the minister of national defence of Vietnam",
])
def test_foreign_offices_are_not_dprk(text: str) -> None:
    """Foreign offices are not marked as DPRK offices (an ambassador *to* the DPRK included)."""
    assert not _only(text).dprk


@pytest.mark.parametrize(("text", "rank"), [
    ("kim yong nam meets chinese premier", "head_of_government"),
    ("greetings to cuban president", "head_of_state"),
    ("talks between dprk and lao premiers", "head_of_government"),
    ("kim jong il receives russian foreign minister", "minister"),
    ("vice-president of spa presidium meets guests", "vice_head_of_state"),
    ("chairman of ndc receives credentials", "head_of_state"),
    ("premier of administration council meets delegation", "head_of_government"),
    ("chairman of spa standing committee meets delegation", "parliament_chair"),
    ("wpk secretary meets party delegation", "politburo"),
    ("vice foreign minister meets swedish guests", "vice_minister"),
])
def test_lower_case_headlines_of_the_older_style(text: str, rank: str) -> None:
    """Headlines written all in lower case, with the DPRK offices of their decade, give the same ranks."""
    assert _only(text).rank == rank


def test_dprk_offices_through_the_decades() -> None:
    """The DPRK's offices from the 1990s to today are read from their own words as DPRK offices of high rank."""
    for text in ("premier of the Administration Council", "chairman of the Standing Committee of the SPA",
                 "president of the Presidium of the SPA", "chairman of the National Defence Commission",
                 "first chairman of the National Defence Commission", "first secretary of the WPK",
                 "chairman of the Workers' Party of Korea", "chairman of the State Affairs Commission",
                 "president of the State Affairs", "general secretary of the WPK",
                 "vice-chairman of the WPK Central Committee", "member of the Presidium of the Political Bureau "
                 "of the WPK Central Committee", "minister of the People's Armed Forces", "premier of the Cabinet"):
        o = _only(text)
        assert o.dprk and is_high(o.rank), text


def test_a_party_on_the_left_and_a_state_on_the_right() -> None:
    """A party named before the title and a state after it are both given."""
    o = _only("the political party leaders of Ruritania")
    assert (o.party, o.state) == ("political party", "of Ruritania")


# ---------------------------------------------------------------- several offices, case and form
def test_every_office_of_a_lead_left_to_right() -> None:
    """A lead with several officials gives each office once, in the order written."""
    lead = ("Pyongyang, March 3 (KCNA) -- Kim Jong Il, general secretary of the Workers' Party of Korea, chairman "
            "of the DPRK National Defence Commission and supreme commander of the Korean People's Army, received "
            "Bounthong Chanthavong, member of the Political Bureau of the Central Committee of the Lao People's "
            "Revolutionary Party and vice-president of the Lao PDR, and the Lao ambassador to the DPRK.")
    got = [(o.rank, o.dprk) for o in find_offices(lead)]
    assert got == [("party_leader", True), ("head_of_state", True), ("head_of_state", True), ("politburo", False),
                   ("vice_head_of_state", False), ("ambassador", False)]
    offices = find_offices(lead)
    assert offices == sorted(offices, key=lambda o: o.start)
    assert all(lead[o.start:o.end] == o.phrase for o in offices)


def test_titles_joined_by_and_are_separate() -> None:
    """Two titles joined by "and" are two offices."""
    assert _ranks("the Deputy Prime Minister and Minister of Foreign Affairs of Thailand") == [
        ("Deputy Prime Minister", "minister"), ("Minister of Foreign Affairs of Thailand", "minister")]


@pytest.mark.parametrize("text", [
    "kim yong nam meets lao president",
    "KIM YONG NAM MEETS LAO PRESIDENT",
    "Kim Yong Nam Meets Lao President",
    "Kim Yong Nam met the Lao president",
])
def test_case_does_not_matter(text: str) -> None:
    """Lower-case, upper-case, title-case and running text read the same title the same way."""
    o = _only(text)
    assert (o.rank, o.state.lower() if o.state else None) == ("head_of_state", "lao")


@pytest.mark.parametrize("text", ["vice-president of Vietnam", "vice president of Vietnam",
                                  "Vice - President of Vietnam", "vice\u2011president of Viet\u00a0Nam"])
def test_hyphens_and_spaces_vary(text: str) -> None:
    """Hyphens, spaces and typographic dashes between the words of a title do not change it."""
    assert _only(text).rank == "vice_head_of_state"


def test_accents_and_curly_quotes_are_read() -> None:
    """Accented letters and typographic apostrophes are read as their plain forms; spans stay in the text."""
    text = "the chargé d\u2019affaires and the chairman of the Supreme People\u2019s Assembly"
    got = find_offices(text)
    assert [o.rank for o in got] == ["ambassador", "parliament_chair"]
    assert got[0].phrase == "chargé d\u2019affaires"
    assert got[1].dprk


def test_punctuation_ends_a_title() -> None:
    """A comma or a full stop ends a title: the words after it do not belong to it."""
    o = _only("He met the president, Laos said.")
    assert (o.phrase, o.state) == ("president", None)


def test_words_that_are_no_office() -> None:
    """Common words that share a title's spelling give no office."""
    assert find_offices("the general meeting at 3 pm heard the speakers and the members") == []
    assert find_offices("a head start for the general public") == []
    assert find_offices("") == []


def test_envoy_of_a_head_of_state_is_one_envoy() -> None:
    """An envoy of a president is one office, the envoy's, not a second head of state."""
    assert _ranks("Kim Jong Un received the special envoy of the Chinese President") == [
        ("special envoy of the Chinese President", "ambassador")]


def test_plural_titles_have_rank_but_no_single_office() -> None:
    """A plural title keeps its rank but names no single-holder office."""
    o = _only("the foreign ministers of the two countries")
    assert (o.rank, o.office) == ("minister", None)


def test_is_high() -> None:
    """Minister rank and above are high; vice-ministers, ambassadors, directors and others are not."""
    assert all(is_high(r) for r in ("head_of_state", "head_of_government", "party_leader", "vice_head_of_state",
                                    "politburo", "parliament_chair", "minister"))
    assert not any(is_high(r) for r in ("vice_minister", "ambassador", "director", "other", "bogus"))


# ---------------------------------------------------------------- speed and bounded cost
LEAD = ("Pyongyang, May 3 (KCNA) -- Kim Yong Nam, president of the Presidium of the Supreme People's Assembly of "
        "the DPRK, met the delegation of the Ruritanian People's Party led by Alma Varga, member of the Political "
        "Bureau of its Central Committee and vice-chairman of the National Assembly, at the Mansudae Assembly Hall "
        "on Friday. Present there were Ri Chol Su, vice foreign minister, and the Ruritanian ambassador to the DPRK.")


def test_speed_on_a_realistic_lead() -> None:
    """A 400-character lead with five offices is read well over a thousand times a second."""
    assert len(find_offices(LEAD)) == 5
    n = 300
    t0 = time.perf_counter()
    for _ in range(n):
        find_offices(LEAD)
    per_second = n / (time.perf_counter() - t0)
    assert per_second > 1000


def _best_time(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.process_time()
        find_offices(text)
        best = min(best, time.process_time() - t0)
    return best


def test_cost_is_linear_on_hostile_text() -> None:
    """Long runs of title words, "of" chains and capitals cost time in proportion to their length.

    Ten times the text may cost up to 40 times the CPU time (caches, a loaded machine); a cost growing with the
    square of the length would cost a hundred times.
    """
    for unit in ("vice president of the ", "Of The Of The ", "Minister Minister ", "A" * 50 + " ", "of " * 5,
                 "member of the Political Bureau of the Presidium of the Standing Committee ",
                 "D.P.R.K.", "A. ", "chairman of the Lao Ruritanian Freedonian Sylvanian "):
        t_small = _best_time(unit * 300)
        t_big = _best_time(unit * 3000)
        assert t_big < 40 * max(t_small, 1e-3), unit


@pytest.mark.parametrize("name", ["kcna-2011-2024-labeled.jsonl", "kcna-real-labeled.jsonl"])
def test_high_level_meetings_of_the_shared_corpora_name_a_high_office(name: str) -> None:
    """In the shared labeled corpora, most high-level meetings name an office of minister rank or above in their
    title or lead, and the grammar reads it (those that name nobody by title are the rest)."""
    path = SHARED / name
    if not path.exists():
        pytest.skip("../shared corpus absent")
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    high = [r for r in rows if r["label"] == "meeting" and r["high_level"]]
    found = [r for r in high if any(is_high(o.rank) for o in find_offices(f"{r['title']}\n{r.get('lead') or ''}"))]
    assert len(found) >= 0.85 * len(high)


# ---------------------------------------------------------------- ruling parties
def test_ruling_party_by_date() -> None:
    """A party is ruling inside a spell in power and not outside it; names and aliases both resolve."""
    assert ruling_party("Communist Party of China", date(2011, 6, 1)) is True
    assert ruling_party("CPC", date(1940, 1, 1)) is False
    assert ruling_party("the Mongolian People's Party", date(2014, 1, 1)) is False
    assert ruling_party("Mongolian People's Revolutionary Party", date(2009, 1, 1)) is True
    assert ruling_party("Workers Party of Korea", date(1999, 1, 1)) is True


def test_ruling_party_now_and_unknown() -> None:
    """Without a date the answer is for the latest spell; a non-ruling party is False, an unknown one None."""
    assert ruling_party("Lao People's Revolutionary Party", None) is True
    assert ruling_party("Communist Party of the Soviet Union", None) is False
    assert ruling_party("Communist Party of India", date(2012, 1, 1)) is False
    assert ruling_party("Party of Communists of the Republic of Moldova", date(2005, 1, 1)) is True
    assert ruling_party("Party of Communists of the Republic of Moldova", date(2012, 1, 1)) is False
    assert ruling_party("Party of Imaginary Friends", None) is None


def test_find_party_gives_country() -> None:
    """A party's name as KCNA writes it maps to the party and its country."""
    assert find_party("Central Committee of the Communist Party of Vietnam") == ("Communist Party of Vietnam",
                                                                                  "Vietnam")
    assert find_party("LPRP") == ("Lao People's Revolutionary Party", "Laos")


def test_parties_file_names_are_unique() -> None:
    """No name or alias of parties.toml is shared by two parties (a loose comparison would merge them)."""
    import tomllib
    from importlib import resources

    from monitor.classify.parties import key

    raw = tomllib.loads(resources.files("monitor").joinpath("data/parties.toml").read_text("utf-8"))
    seen: dict[str, str] = {}
    for entry in raw["parties"]:
        for name in [entry["name"], *entry.get("aliases", [])]:
            key_ = key(name)
            assert seen.setdefault(key_, entry["name"]) == entry["name"], name
        for spell in entry["spells"]:
            assert set(spell) <= {"start", "end"}
