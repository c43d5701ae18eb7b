"""A bound on how deeply a page nests its elements, enforced on the text before the HTML parser sees it.

The parser (lexbor) spends time in proportion to the depth of the open elements at each tag, so a page of
nested `<div>`s costs the square of its size: 100,000 of them (1.1 MB) took 27 s. Real pages nest a few dozen
levels. `flatten` counts the depth from the tags themselves (elements that need no end tag, such as `<p>`,
`<li>` or `<br>`, are not counted) and, past MAX_DEPTH levels, drops the tags but keeps their text (and keeps
links, which the parser never nests inside each other): the words and links of a hostile page still parse.

The depth is estimated by following the tags as a parser would (`_Stack`: enough of the HTML rules that
ignored or misplaced end tags cannot hide depth), not exactly (a `<div>` inside a comment or a script counts
too); a real page stays far below the bound. Following the tags costs about 4 ms per 80 KB of markup.
"""

from __future__ import annotations

import re

#: Levels of counted elements kept; deeper tags are dropped (browsers stop nesting at 512 levels).
MAX_DEPTH = 256
#: Pages with at most this many start tags are parsed as they are (see `flatten`).
FEW_TAGS = 2000

_NOT_COUNTED = ("area|base|br|col|embed|hr|img|input|link|meta|source|track|wbr|param|keygen|basefont|bgsound|"
                "frame|p|li|dt|dd|option|optgroup|tr|td|th|tbody|thead|tfoot|colgroup|caption|rb|rt|rtc|rp|"
                "html|head|body")
_NOT_COUNTED_SET = frozenset(_NOT_COUNTED.split("|"))
# A tag's start: group 1 is "/" for an end tag, group 2 the name (on the lower-cased text). Every match is
# decided within the characters of one tag name: linear in the page.
_TAG_START = re.compile(r"<(/?)([a-z][^\s/<>]*)")
# A whole tag, for the rewrite: `<`, optional `/`, the name, then anything but `<` and `>`, and `>` if present.
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*)[^<>]*>?")


# Elements whose end tags an HTML parser treats as blocks (it closes through to them, never across them), and
# the elements a block's end tag never closes across (its scope boundaries).
_SPECIAL = frozenset([
    "address", "applet", "article", "aside", "blockquote", "button", "center", "details", "dialog", "dir", "div",
    "dl", "fieldset", "figcaption", "figure", "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "iframe", "listing", "main", "marquee", "menu", "nav", "noembed", "noframes", "noscript",
    "object", "ol", "plaintext", "pre", "script", "search", "section", "select", "style", "summary", "table",
    "template", "textarea", "title", "ul", "xmp", "svg", "math"
])
_BOUNDARY = frozenset([
    "applet", "caption", "html", "table", "td", "th", "marquee", "object", "template", "svg", "math"
])


class _Stack:
    """The open elements as an HTML parser keeps them, closely enough to know the depth (each element is
    pushed and popped once, so following a page costs one step per tag):

    - a block's end tag (`</div>`) closes the latest open element of its name and all opened after it, unless
      a table, cell or other boundary lies between; any other end tag (`</span>`, `</b>`) does so only when no
      block lies between, else it is ignored (for `</b>` the parser moves elements around but keeps as many);
    - an end tag with no open element of its name is ignored; a link opened inside a link closes the first.
    """

    __slots__ = ("blocks", "boundaries", "kept", "names", "where")

    def __init__(self) -> None:
        self.names: list[str] = []
        self.kept: list[bool] = []
        self.where: dict[str, list[int]] = {}  # name -> its positions on the stack, innermost last
        self.blocks: list[int] = []  # positions of blocks, innermost last
        self.boundaries: list[int] = []  # positions of scope boundaries, innermost last

    def open(self, name: str, kept: bool) -> None:
        """Push an element (`kept`: whether its tags stay in the page)."""
        if name == "a" and self.where.get("a"):
            self.close("a")
        position = len(self.names)
        self.where.setdefault(name, []).append(position)
        if name in _SPECIAL:
            self.blocks.append(position)
        if name in _BOUNDARY:
            self.boundaries.append(position)
        self.names.append(name)
        self.kept.append(kept)

    def close(self, name: str) -> bool | None:
        """Handle `</name>`: whether the element it closed was kept, or None when it closes nothing."""
        positions = self.where.get(name)
        if not positions:
            return None
        target = positions[-1]
        above = self.boundaries if name in _SPECIAL else self.blocks
        if above and above[-1] > target:
            return None
        names, where, blocks, boundaries = self.names, self.where, self.blocks, self.boundaries
        kept = False
        while len(names) > target:
            where[names.pop()].pop()
            kept = self.kept.pop()
            top = len(names)
            if blocks and blocks[-1] == top:
                blocks.pop()
            if boundaries and boundaries[-1] == top:
                boundaries.pop()
        return kept


def max_depth(text: str) -> int:
    """The deepest nesting of counted elements in the markup `text`."""
    stack = _Stack()
    deepest = 0
    for slash, name in _TAG_START.findall(text.lower()):
        if name in _NOT_COUNTED_SET:
            continue
        if slash:
            stack.close(name)
        else:
            stack.open(name, True)
            if len(stack.names) > deepest:
                deepest = len(stack.names)
    return deepest


def flatten(text: str, limit: int = MAX_DEPTH, few: int = FEW_TAGS) -> tuple[str, int]:
    """`text` with the tags nested deeper than `limit` removed (links kept), and the depth it had (-1: not
    measured, the page being too small to matter).

    A page within the limit is returned unchanged. A page of at most `few` start tags cannot nest deeply enough to
    cost the parser much (2,000 nested divs parse in about 10 ms) and is not scanned at all.
    """
    if text.count("<") - text.count("</") <= few:
        return text, -1
    depth_found = max_depth(text)
    if depth_found <= limit:
        return text, depth_found
    stack = _Stack()

    def rewrite(m: re.Match[str]) -> str:
        name = m.group(2).lower()
        if name in _NOT_COUNTED_SET:
            return m.group(0)
        if m.group(1):  # an end tag: kept when the element it closes was
            return m.group(0) if stack.close(name) else ""
        kept = len(stack.names) < limit or name == "a"
        stack.open(name, kept)
        return m.group(0) if kept else ""

    return _TAG.sub(rewrite, text), depth_found
