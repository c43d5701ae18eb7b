"""Text cleanup shared by the adapters: whitespace, names in <nobr>, apostrophes, end marks, digits.

Everything here is pure. `node_text` reads a selectolax node so that a leader's name wrapped in
`<nobr><span class="fSpecCs">` never glues to its neighbours ("General SecretaryKim Jong Unto").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

# A space the markup put between a name and its possessive: "Kim Jong Un 's" -> "Kim Jong Un's".
_SPACE_APOSTROPHE = re.compile(r"(\w) (['’][sS])\b")
# KCNA's end mark, also after a no-break space, a full stop or a closing quote; 2017 Japanese and Korean variants.
_END_MARKS = ("-0-", "－－－", "‐‐‐")
_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_HAS_FULLWIDTH = re.compile("[０-９]")
_NAME_TAGS = frozenset({"nobr"})
_SEP = "\x00"


def fullwidth_digits(text: str) -> str:
    """Replace full-width digits (２０２６) by ASCII digits (2026)."""
    if text.isascii() or _HAS_FULLWIDTH.search(text) is None:
        return text
    return text.translate(_FULLWIDTH_DIGITS)


def collapse(text: str) -> str:
    """Collapse every run of whitespace (no-break spaces, CR, LF included) to one space and trim."""
    return " ".join(text.split())


def clean_text(text: str) -> str:
    """Normalise a raw title or paragraph (markup source): entities decoded, then as `tidy_text`.

    Text read from a parsed page (a node's text, an attribute) has its entities decoded already by the
    parser: give it to `tidy_text`, or `&amp;lt;` on the page would end up as `<` instead of `&lt;`.
    """
    if "&" in text:
        text = html.unescape(text)
    return tidy_text(text)


def tidy_text(text: str) -> str:
    """Normalise text already decoded by the parser: full-width digits, whitespace, possessives."""
    text = collapse(fullwidth_digits(text))
    if " '" in text or " ’" in text:
        text = _SPACE_APOSTROPHE.sub(r"\1\2", text)
    return text


def strip_end_mark(text: str) -> str:
    """Remove a trailing `-0-` end mark (with any space or no-break space before it).

    String operations, not a regular expression: a search for the mark from every position of a long run of
    spaces would cost the square of its length.
    """
    stripped = text.rstrip()
    for mark in _END_MARKS:
        if stripped.endswith(mark):
            return stripped[: -len(mark)].rstrip()
    return stripped


def _is_name_node(node: Any) -> bool:
    if node.tag in _NAME_TAGS:
        return True
    if node.tag == "span":
        cls = node.attributes.get("class") or ""
        return "fSpecCs" in cls
    return False


def _walk(node: Any, out: list[str], skip: Callable[[Any], bool] | None, limit: int | None = None) -> None:
    """Append the text under `node` to `out`, names between separators; iterative, so page depth cannot
    exhaust the Python stack. With `limit`, stop once that many characters of text were read."""
    stack: list[tuple[Iterator[Any], bool]] = [(node.iter(include_text=True), False)]
    size = 0
    while stack:
        children, closes_name = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if closes_name:
                out.append(_SEP)
            continue
        tag = child.tag
        if tag == "-text":
            text = child.text_content or ""
            out.append(text)
            size += len(text)
            if limit is not None and size >= limit:
                return
        elif tag in ("script", "style") or (skip is not None and skip(child)):
            continue
        elif _is_name_node(child):
            out.append(_SEP)
            stack.append((child.iter(include_text=True), True))
        elif tag == "br":
            out.append(" ")
        else:
            stack.append((child.iter(include_text=True), False))


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def _words_touch(before: str, after: str) -> bool:
    """Whether two characters on either side of a name's tag would glue two words: letters or digits, unless
    both are Hangul (Korean writes a name and its title or ending as one word: 김정은동지께서)."""
    return before.isalnum() and after.isalnum() and not (_is_hangul(before) and _is_hangul(after))


def _join_names(pieces: str) -> str:
    """Join text split at name boundaries, adding a space only where two words would touch."""
    parts = pieces.split(_SEP)
    out = [parts[0]]
    last = parts[0][-1:]  # the last character written so far
    for part in parts[1:]:
        if not part:
            continue
        if _words_touch(last, part[0]):
            out.append(" ")
        out.append(part)
        last = part[-1]
    return "".join(out)


def node_text(node: Any, skip: Callable[[Any], bool] | None = None, limit: int | None = None) -> str:
    """The cleaned text of a selectolax node; names in <nobr>/span.fSpecCs never glue to their neighbours.

    `skip` drops descendant elements (e.g. a `span.publish-time` inside a KCNA listing link). `limit` reads only
    about that many characters (an element holding a whole hostile page costs no more than a short one).
    """
    if skip is None and limit is None:
        raw = node.text(separator=_SEP)
        if _SEP not in raw:
            return tidy_text(raw)
        if not _touching(raw):  # no two words touch across a tag boundary, so plain text is right
            return tidy_text(raw.replace(_SEP, ""))
    out: list[str] = []
    _walk(node, out, skip, limit)
    return tidy_text(_join_names("".join(out)))


def _touching(raw: str) -> bool:
    start = 0
    while True:
        i = raw.find(_SEP, start)
        if i < 0:
            return False
        if 0 < i < len(raw) - 1 and _words_touch(raw[i - 1], raw[i + 1]):
            return True
        start = i + 1
