"""A bound on how deeply a page nests its elements, enforced on the text before the HTML parser sees it.

The parser (lexbor) spends time in proportion to the depth of the open elements at each tag, so a page of
nested `<div>`s costs the square of its size: 100,000 of them (1.1 MB) took 27 s. Real pages nest a few dozen
levels. `flatten` counts the depth from the tags themselves (elements that need no end tag, such as `<p>`,
`<li>` or `<br>`, are not counted) and, past MAX_DEPTH levels, drops the tags but keeps their text (and keeps
links, which the parser never nests inside each other): the words and links of a hostile page still parse.

The count is an estimate (a `<div>` written inside a comment or a script counts too); a real page stays far
below the bound, so the only cost there is one scan of the text by a regular expression.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import accumulate

#: Levels of counted elements kept; deeper tags are dropped (browsers stop nesting at 512 levels).
MAX_DEPTH = 256

_NOT_COUNTED = ("area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|param|keygen|basefont|bgsound|"
                "frame|p|li|dt|dd|option|optgroup|tr|td|th|tbody|thead|tfoot|colgroup|caption|rb|rt|rtc|rp|"
                "html|head|body")
_NOT_COUNTED_SET = frozenset(_NOT_COUNTED.split("|"))
# Opening and closing tags of counted elements: group 1 is "/" for a closing tag. Each match is decided within
# the few characters of a tag name: linear in the page.
# (Read on the lower-cased text: a case-insensitive pattern costs twice as much.)
_COUNTED = re.compile(r"<(/?)(?!(?:" + _NOT_COUNTED + r")(?![^\s/<>]))[a-z]")
# A whole tag, for the rewrite: `<`, optional `/`, the name, then anything but `<` and `>`, and `>` if present.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*>?")
_STEP = {"": 1, "/": -1}


def _deeper(depth: int, step: int) -> int:
    return depth + step if depth + step > 0 else 0


def max_depth(text: str) -> int:
    """The deepest nesting of counted elements in the markup `text` (a stray closing tag never goes below 0)."""
    steps: Iterable[int] = map(_STEP.__getitem__, _COUNTED.findall(text.lower()))
    return max(accumulate(steps, _deeper, initial=0))


def flatten(text: str, limit: int = MAX_DEPTH) -> tuple[str, int]:
    """`text` with the tags nested deeper than `limit` removed (links kept), and the depth it had.

    A page within the limit is returned unchanged (the common case: one scan).
    """
    depth_found = max_depth(text)
    if depth_found <= limit:
        return text, depth_found
    depth = 0

    def rewrite(m: re.Match[str]) -> str:
        nonlocal depth
        name = m.group(2).lower()
        if name in _NOT_COUNTED_SET:
            return m.group(0)
        if m.group(1):  # a closing tag
            dropped = depth > limit
            depth = max(depth - 1, 0)
        else:
            depth += 1
            dropped = depth > limit
        return "" if dropped and name != "a" else m.group(0)

    return _TAG.sub(rewrite, text), depth_found
