"""Canonical URLs, normalized text and the keys that make an item one item."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.normalize import (
    canonical_url,
    content_hash,
    folded_item_key,
    folded_story_key,
    item_key,
    key_fold,
    normalize_text,
    story_key,
)


def test_canonical_url_forms() -> None:
    """Scheme and host are lower-cased, default ports and fragments dropped, path and query kept."""
    assert canonical_url("HTTP://WWW.KCNA.KP:80/en/Article/x#top") == "http://www.kcna.kp/en/Article/x"
    assert canonical_url("http://www.kcna.kp/en/article/detail/ab12") == "http://www.kcna.kp/en/article/detail/ab12"
    assert canonical_url("http://127.0.0.1:8000/x?a=1&b=2") == "http://127.0.0.1:8000/x?a=1&b=2"
    assert canonical_url("https://kcnawatch.org") == "https://kcnawatch.org/"
    assert canonical_url("https://kcnawatch.org:443/a") == "https://kcnawatch.org/a"
    assert canonical_url(" http://h/p ") == "http://h/p"


def test_normalize_text() -> None:
    """Full-width digits, curly quotes, nbsp and runs of white space become plain ASCII text."""
    assert normalize_text("  Kim  Jong\u00a0Un\u2019s  \uff12\uff10\uff12\uff16 ") == "Kim Jong Un's 2026"
    assert normalize_text("a\n\tb  c") == "a b c"


def test_item_key_ignores_spacing_case_and_punctuation_but_not_date() -> None:
    """The same headline with other spacing or case is the same item; another date is another item."""
    day = date(2026, 11, 20)
    assert item_key("Talks Held  between DPRK and Laos", day) == item_key("talks held between DPRK and Laos.", day)
    assert item_key("Talks Held between DPRK and Laos", day) != item_key("Talks Held between DPRK and Laos",
                                                                           date(2026, 11, 21))


def test_content_hash_changes_with_the_body() -> None:
    """An edit of the body changes the content hash; re-spacing does not."""
    assert content_hash("T", "Body text.") == content_hash("T", "Body   text.")
    assert content_hash("T", "Body text.") != content_hash("T", "Body text, edited.")


def test_story_key() -> None:
    """Story keys carry the date and the folded title."""
    assert story_key("Greetings to Syria!", date(2026, 1, 2)) == "2026-01-02:greetings to syria"
    assert story_key("X", None).startswith("undated:")


def test_keys_of_existing_databases_are_unchanged() -> None:
    """Item and story keys are the very strings the stored items carry, so new sightings still dedup."""
    day = date(2026, 11, 20)
    assert item_key("Talks Held between Choe Son-hui and Lavrov", day) == (
        "346dbcea9746131e9e1ae13f295adf8ba8d8b11d7e86f1b3072258ccf133a2d1")
    assert story_key("  KIM JONG UN's  Letter -- to\tRuritania!! ", day) == (
        "2026-11-20:kim jong un s letter to ruritania")
    title = "\u201cPaduk\u201d Widely Encouraged \u2013 \uff12\uff10\uff12\uff16"
    assert item_key(title, None) == "1b739f5b9a34b2257557cefd049937bbc436a1b8bf778c6ccf74b9a4b22da3a5"
    assert story_key(title, None) == "undated:paduk widely encouraged 2026"


def test_key_fold_of_ascii_and_other_text() -> None:
    """key_fold lower-cases, turns every run of anything but letters and digits into one space, reads text through
    NFKC, and keeps the letters of every script (two Korean titles never fold to the same empty key)."""
    assert key_fold("  Kim Jong Un's VISIT -- to\tLaos (2nd)!") == "kim jong un s visit to laos 2nd"
    assert key_fold("Caf\u00e9 \u2160 \ufb01nal") == "caf\u00e9 i final"
    assert key_fold("평양의 새 거리에 봄빛이 비낀다!") == "평양의 새 거리에 봄빛이 비낀다"
    assert key_fold("under_score") == "under score"
    assert key_fold("\x00\x1f") == ""


@pytest.mark.parametrize("text", ["\u2019\u0301 odd\u00a0space", "\u201cA\u201d \u2013 \uff21\uff12",
                                  "e\u0301t\u00e9 \u212b", "\u2013\u0338 < \u0338", "\u3000tab\u00a0\u2009thin",
                                  "Caf\u00e9 \u2160 \ufb01nal"])
def test_folded_keys_of_an_entry_title_equal_those_of_its_normalized_title(text: str) -> None:
    """normalize_text is idempotent, so keys from the entry's title equal story_key of the stored title."""
    day = date(2026, 1, 2)
    assert normalize_text(normalize_text(text)) == normalize_text(text)
    assert folded_story_key(key_fold(text), day.isoformat()) == story_key(normalize_text(text), day)
    assert folded_item_key(key_fold(text), day.isoformat()) == item_key(text, day) \
        == item_key(normalize_text(text), day)
    assert folded_item_key(key_fold(text), None) == item_key(text, None)
