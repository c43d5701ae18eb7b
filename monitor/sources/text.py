"""Text cleanup shared by the adapters: whitespace, names in <nobr>, apostrophes, end marks, digits.

Everything here is pure. `node_text` reads a selectolax node so that a leader's name wrapped in
`<nobr><span class="fSpecCs">` never glues to its neighbours ("General SecretaryKim Jong Unto").
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

# A space the markup put between a name and its possessive: "Kim Jong Un 's" -> "Kim Jong Un's".
_SPACE_APOSTROPHE = re.compile(r"(\w) (['’][sS])\b")
# KCNA's end mark, also after a no-break space, a full stop or a closing quote; 2017 Japanese and Korean variants.
_END_MARK = re.compile(r"[\s\u00a0]*(?:-0-|－－－|‐‐‐)[\s\u00a0]*$")
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
    """Normalise a title or paragraph: entities decoded, full-width digits, whitespace, possessives."""
    if "&" in text:
        text = html.unescape(text)
    text = collapse(fullwidth_digits(text))
    if " '" in text or " ’" in text:
        text = _SPACE_APOSTROPHE.sub(r"\1\2", text)
    return text


def strip_end_mark(text: str) -> str:
    """Remove a trailing `-0-` end mark (with any space or no-break space before it)."""
    return _END_MARK.sub("", text).rstrip()


def _is_name_node(node: Any) -> bool:
    if node.tag in _NAME_TAGS:
        return True
    if node.tag == "span":
        cls = node.attributes.get("class") or ""
        return "fSpecCs" in cls
    return False


def _walk(node: Any, out: list[str], skip: Callable[[Any], bool] | None) -> None:
    for child in node.iter(include_text=True):
        if child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag in ("script", "style") or (skip is not None and skip(child)):
            continue
        elif _is_name_node(child):
            out.append(_SEP)
            _walk(child, out, skip)
            out.append(_SEP)
        elif child.tag == "br":
            out.append(" ")
        else:
            _walk(child, out, skip)


def _join_names(pieces: str) -> str:
    """Join text split at name boundaries, adding a space only where two words would touch."""
    parts = pieces.split(_SEP)
    out = parts[0]
    for part in parts[1:]:
        if out and part and out[-1].isalnum() and part[0].isalnum():
            out += " "
        out += part
    return out


def node_text(node: Any, skip: Callable[[Any], bool] | None = None, memo: dict[str, str] | None = None) -> str:
    """The cleaned text of a selectolax node; names in <nobr>/span.fSpecCs never glue to their neighbours.

    `skip` drops descendant elements (e.g. a `span.publish-time` inside a KCNA listing link). `memo` (a
    listing page's table of texts, see monitor.sources.memo) remembers cleaned texts by raw text, where the
    raw text alone decides the result: a listing is re-read at every poll and its titles barely change.
    """
    if skip is None:
        raw = node.text(separator=_SEP)
        if memo is not None:
            cleaned = memo.get(raw)
            if cleaned is not None:
                return cleaned
        if _SEP not in raw:
            cleaned = clean_text(raw)
        elif not _touching(raw):
            # No two words touch across a tag boundary, so plain text is right.
            cleaned = clean_text(raw.replace(_SEP, ""))
        else:
            cleaned = None
        if cleaned is not None:
            if memo is not None:
                memo[raw] = cleaned
            return cleaned
    out: list[str] = []
    _walk(node, out, skip)
    return clean_text(_join_names("".join(out)))


def _touching(raw: str) -> bool:
    start = 0
    while True:
        i = raw.find(_SEP, start)
        if i < 0:
            return False
        if 0 < i < len(raw) - 1 and raw[i - 1].isalnum() and raw[i + 1].isalnum():
            return True
        start = i + 1
