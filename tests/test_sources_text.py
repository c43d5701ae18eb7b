"""Text cleanup of titles and bodies: names in <nobr>, apostrophes, entities, end marks, digits."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from monitor.sources.text import clean_text, collapse, fullwidth_digits, node_text, strip_end_mark


def _first(html: str, selector: str = "a") -> object:
    node = LexborHTMLParser(html).css_first(selector)
    assert node is not None
    return node


def test_collapse_whitespace_including_nbsp_and_cr() -> None:
    """Runs of spaces, no-break spaces, CR and LF become one space and the ends are trimmed."""
    assert collapse("  Premier\u00a0Inspects\r\n  Farms \t") == "Premier Inspects Farms"


def test_fullwidth_digits_become_ascii() -> None:
    """Full-width digits (Rodong) are read as ASCII digits; other text is untouched."""
    assert fullwidth_digits("Winners of ２０２６ Prize, some ８０ of them") == "Winners of 2026 Prize, some 80 of them"
    assert fullwidth_digits("plain 2026") == "plain 2026"


def test_possessive_after_name_loses_the_space() -> None:
    """"Kim Jong Un 's" (the name in its own <nobr>) becomes "Kim Jong Un's", curly apostrophes too."""
    assert clean_text("Kim Jong Un 's Revolutionary Activities") == "Kim Jong Un's Revolutionary Activities"
    assert clean_text("Kim Il Sung ’s Demise") == "Kim Il Sung’s Demise"


def test_quoted_words_keep_their_space() -> None:
    """An opening quote that is not a possessive keeps the space before it."""
    assert clean_text("Song 'Spring Rain' Released") == "Song 'Spring Rain' Released"


def test_entities_are_decoded() -> None:
    """Entities left in attribute values or double-escaped text are decoded."""
    assert clean_text("People&#039;s &quot;Front&quot; &amp; Rear") == "People's \"Front\" & Rear"


@pytest.mark.parametrize(("raw", "expected"), [
    ("The talk ended. -0-", "The talk ended."),
    ("The talk ended.\u00a0-0-", "The talk ended."),
    ("The talk ended.-0-", "The talk ended."),
    ('He said "yes."-0-', 'He said "yes."'),
    ("行事を催すことにした。－－－", "行事を催すことにした。"),
    ("No end mark here", "No end mark here"),
    ("Score was 3-0-1 in the final", "Score was 3-0-1 in the final"),
])
def test_strip_end_mark(raw: str, expected: str) -> None:
    """The KCNA end mark is removed in all its variants, and only at the very end."""
    assert strip_end_mark(raw) == expected


def test_name_in_nobr_with_newlines_is_spaced_once() -> None:
    """A name between newlines inside <nobr><span class=fSpecCs> reads as one word between spaces."""
    node = _first("<a>Respected\n<nobr><span class='fSpecCs'>Kim Jong Un</span></nobr>\nVisits Farm</a>")
    assert node_text(node) == "Respected Kim Jong Un Visits Farm"


def test_name_in_nobr_never_glues_to_neighbours() -> None:
    """"General Secretary<nobr>Kim Jong Un</nobr>to" is not read as "General SecretaryKim Jong Unto"."""
    node = _first('<p>the respected General Secretary<nobr><span class="fSpecCs">Kim Jong Un</span></nobr>to turn</p>',
                  "p")
    assert node_text(node) == "the respected General Secretary Kim Jong Un to turn"


def test_name_followed_by_possessive_or_comma_gets_no_space() -> None:
    """No space is inserted before an apostrophe or punctuation after a <nobr> name."""
    node = _first("<p><nobr>Kim Jong Il</nobr>’s care and <nobr>Kim Jong Un</nobr>, leader</p>", "p")
    assert node_text(node) == "Kim Jong Il’s care and Kim Jong Un, leader"


def test_other_inline_tags_do_not_split_words() -> None:
    """Only name wrappers get a space: <b> inside a word does not split it."""
    node = _first("<p>Pyong<b>yang</b> Times and 2<sup>nd</sup> plenum</p>", "p")
    assert node_text(node) == "Pyongyang Times and 2nd plenum"


def test_skip_drops_marked_descendants() -> None:
    """A descendant chosen by `skip` (e.g. a date span inside a link) is left out of the text."""
    node = _first('<a>Head<nobr>Kim</nobr>line <span class="publish-time">[2024.11.10.]</span></a>')
    text = node_text(node, lambda n: n.tag == "span")
    assert text == "Head Kim line"
