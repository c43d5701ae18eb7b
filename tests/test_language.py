"""Item language from the text, Hangul as the Korean index stores it, and the Korean editions' dates."""

from __future__ import annotations

from datetime import date, datetime

from monitor.language import detect_language, hangul_share, hangul_terms
from monitor.models import Document
from monitor.sources.kcna import KcnaAdapter, korean_dateline
from monitor.sources.rodong import RodongAdapter
from tests.koreankit import KoStory, ko_article, ko_listing

STORY = KoStory("평안남도 과수농장들에서 사과수확 한창", (
    "평안남도의 과수농장들에서 올해 1,250t의 사과를 거두어들이였다.",
    "농장원들은 수확을 다그치고있다."), date(2026, 10, 14))


def test_korean_text_is_ko_and_english_text_is_en() -> None:
    """Mostly Hangul is 'ko' (English names and numbers inside do not change that); Latin text is 'en'."""
    assert detect_language("김정은동지께서 Maxim Ryzhenkov를 접견하시였다") == "ko"
    assert detect_language("Apple Harvest in Full Swing", "Orchards gathered 1,250 tons.") == "en"
    assert detect_language("Министр посетил завод") == "ru"
    assert hangul_share("사과 apple") == 2 / 7  # syllables and letters each count once


def test_declared_language_decides_only_when_the_text_cannot() -> None:
    """A source's language is used for a text with too few letters, never against a clearly Korean text."""
    assert detect_language("2026", None, "ko") == "ko"
    assert detect_language("", None, None) is None
    assert detect_language("Noticia de la agencia", None, "es") == "es"
    assert detect_language("사과수확이 한창이다", None, "en") == "ko"


def test_hangul_terms_are_syllable_pairs() -> None:
    """A Hangul run becomes its overlapping syllable pairs; a lone syllable and other words stay as they are."""
    assert hangul_terms("접견하시였다") == "접견 견하 하시 시였 였다"
    assert hangul_terms("10월 14일 Kim") == "10 월 14 일 Kim"
    assert hangul_terms(None) == ""


def test_korean_dateline_dates_the_article() -> None:
    """`(평양 10월 14일발 조선중앙통신)` gives the date, the year from the capture; other text gives none."""
    captured = datetime(2026, 12, 2)
    assert korean_dateline("(평양 10월 14일발 조선중앙통신)", captured) == date(2026, 10, 14)
    assert korean_dateline("(평양 12월 30일발 조선중앙통신) 본문", captured) == date(2025, 12, 30)
    assert korean_dateline("평양에서 10월 14일", captured) is None


def test_kcna_korean_listing_and_article() -> None:
    """A `/kp/` listing gives its entries with dates; the article is dated by the Korean dateline, which is
    dropped from the body when it stands alone."""
    listing = KcnaAdapter().parse_listing(Document(url="http://kcna.test/kp/article/list/x",
                                                   content=ko_listing([STORY]).encode()))
    [entry] = listing.entries
    assert entry.title == STORY.title and entry.published == STORY.day
    assert entry.url == f"http://kcna.test/kp/article/detail/{STORY.hexid()}"
    article = KcnaAdapter().parse_article(Document(url=entry.url, content=ko_article(STORY).encode(),
                                                   fetched_at=datetime(2026, 12, 2)))
    assert article.published == STORY.day and article.title == STORY.title
    assert article.body == "\n".join(STORY.paragraphs) and not article.warnings


def test_rodong_korean_page_date() -> None:
    """A Rodong article of the Korean edition dated in Korean (`주체115(2026)년 2월 19일`) is read."""
    page = ('<html><body><div id="article-date">주체115(2026)년 2월 19일 목요일</div><div id="articleContent">'
            '<div id="ContDIV"><p class="TitleP">제목</p><p class="TextP">본문입니다.</p></div></div></body></html>')
    url = "http://rodong.test/ko/index.php?MTJAMjAyNi0wMi0xOS0wMDFAMUAxQEAwQDFA"
    article = RodongAdapter().parse_article(Document(url=url, content=page.encode()))
    assert article.published == date(2026, 2, 19) and article.title == "제목"


def test_korean_name_in_nobr_stays_glued_to_its_title() -> None:
    """A leader's name in its own <nobr> is joined to a Korean title without a space (김정은동지께서), while
    English words on either side of a name still get one."""
    from monitor.sources.common import parse_html, select_first
    from monitor.sources.text import node_text

    page = ("<html><body><h1>경애하는 <nobr><strong>김정은</strong></nobr>동지께서</h1>"
            "<h2>General Secretary<nobr>Kim Jong Un</nobr>visits</h2></body></html>")
    parser = parse_html(Document(url="http://kcna.test/kp/x", content=page.encode()), "test")
    assert node_text(select_first(parser, "h1")) == "경애하는 김정은동지께서"
    assert node_text(select_first(parser, "h2")) == "General Secretary Kim Jong Un visits"
