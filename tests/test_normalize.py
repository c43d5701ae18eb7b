"""Canonical URLs, normalized text and the keys that make an item one item."""

from __future__ import annotations

from datetime import date

from monitor.normalize import canonical_url, content_hash, item_key, normalize_text, story_key


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
