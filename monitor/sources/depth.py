"""A bound on how deeply a page nests its elements, enforced on the text before the HTML parser sees it.

The parser (lexbor) spends time in proportion to the depth of the open elements at each tag, so a page of
nested `<div>`s costs the square of its size: 100,000 of them (1.1 MB) took 27 s. Real pages nest a few dozen
levels. `flatten` counts the depth from the tags themselves (elements that need no end tag, such as `<p>`,
`<li>` or `<br>`, are not counted) and, past MAX_DEPTH levels, drops the tags but keeps their text (and keeps
links, which the parser never nests inside each other): the words and links of a hostile page still parse.

The depth is estimated by following the tags as a parser would (enough of the HTML rules that ignored or
misplaced end tags, comments, scripts or SVG cannot hide depth), not exactly: it can be high (a heading inside
a heading counts twice), or up to 4 times low for nested tables (table, tbody, tr, td count once); a real page
stays far below the bound.
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
# A tag as an HTML tokenizer reads one: `<`, optional `/` (group 1), the name (group 2: up to a space, `/` or
# `>`; a `<` belongs to it), then everything up to the next `>` (group 3: the last character before it), or
# the start of a comment (no groups). A tag without its `>` runs to the end of the page, as in a browser; no
# match is ever given up and tried again from a later position, so the scan is linear in the page.
_TOKEN = re.compile(r"<(?:(/?)([A-Za-z][^\s/>]*)(?:[^>]*([^>]))?>?|!--)")
_COMMENT_END = re.compile(r"--!?>")
# Elements whose text is not markup (a `<div` inside a script is text), and how each ends.
_RAW_TEXT = ("script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes")
_RAW_END = {name: re.compile("</" + name, re.IGNORECASE) for name in _RAW_TEXT}
#: A raw text element whose text holds more `<` than this is read as markup (never let one hide depth).
_RAW_TAGS = 2000
# Elements a parser reopens when an enclosing element closed them before their own end tag.
_FORMATTING = frozenset(["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong",
                         "tt", "u"])
# SVG and MathML: there `<path/>` is complete, and the HTML elements below end them ("break out").
_FOREIGN = ("svg", "math")
_BREAKOUT = frozenset([
    "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu", "meta", "nobr", "ol", "p", "pre",
    "ruby", "s", "small", "span", "strong", "strike", "sub", "sup", "table", "tt", "u", "ul", "var", "font",
])


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


def flatten(text: str, limit: int = MAX_DEPTH, few: int = FEW_TAGS) -> tuple[str, int]:
    """`text` with the tags nested deeper than `limit` removed (links kept), and the depth it had (-1: not
    measured, the page having too few tags to matter).

    The tags are followed as an HTML parser keeps its open elements, closely enough that ignored or misplaced
    end tags cannot hide depth; each element is pushed and popped once, in one pass over the tags:

    - a block's end tag (`</div>`) closes the latest open element of its name and all opened after it, unless
      a table, cell or other boundary lies between; any other end tag (`</span>`, `</b>`) does so only when no
      block lies between, else it is ignored (for `</b>` the parser moves elements around but keeps as many);
    - an end tag with no open element of its name is ignored; a link opened inside a link closes the first
      as `</a>` would (so not when a block lies between: `<h4><a><h4><a>...` nests);
    - comments and the text of scripts, styles and the like are skipped; in SVG and MathML `<x/>` is complete,
      and an HTML element such as `<div>` ends them;
    - a formatting element closed by an enclosing element's end tag is reopened by the parser at the next text
      and may stay open for good (fuzz finding: `<b><font>` so closed, repeated, built 3,010 levels): each
      counts as a level until its own end tag comes.

    A page within the limit is returned unchanged. A page of at most `few` start tags cannot nest deeply enough
    to cost the parser much (2,000 nested divs parse in about 3 ms) and is not followed at all.
    """
    if text.count("<") - text.count("</") <= few:
        return text, -1
    names: list[str] = []  # the open elements, outermost first
    kept: list[bool] = []  # whether each one's tags stay in the page
    where: dict[str, list[int]] = {}  # name -> its positions in `names`, innermost last
    blocks: list[int] = []  # positions of blocks, innermost last
    bounds: list[int] = []  # positions of scope boundaries, innermost last
    foreigns: list[int] = []  # positions of <svg> and <math>, innermost last

    # Formatting elements (<b>, <font>...) closed by an enclosing element's end tag rather than their own are
    # opened again by the parser at the next text, even a line break, and may stay open for good: each counts
    # as a level until its own end tag comes.
    offstack: dict[str, int] = {}  # name -> how many are closed that way
    reopen = [0]  # how many in all

    def pop_to(target: int) -> bool:
        """Close the element at `target` and those above it; whether it was kept."""
        was_kept = False
        while len(names) > target:
            name = names.pop()
            where[name].pop()
            if name in _FORMATTING and len(names) > target and kept[-1]:
                offstack[name] = offstack.get(name, 0) + 1
                reopen[0] += 1
            was_kept = kept.pop()
            top = len(names)
            if blocks and blocks[-1] == top:
                blocks.pop()
            if bounds and bounds[-1] == top:
                bounds.pop()
            if foreigns and foreigns[-1] == top:
                foreigns.pop()
        return was_kept

    deepest = 0
    pieces: list[str] = []
    copied = 0
    pos = 0
    search = _TOKEN.search
    while True:
        m = search(text, pos)
        if m is None:
            break
        pos = m.end()
        slash, tag_name, last = m.groups()
        if tag_name is None:  # a comment: to `-->` or `--!>` (`<!-->` and `<!--->` are complete)
            if text.startswith(">", pos) or text.startswith("->", pos):
                continue
            end = _COMMENT_END.search(text, pos)
            if end is None:
                break
            pos = end.end()
            continue
        name = tag_name.lower()
        if name in _NOT_COUNTED_SET:
            continue
        if slash:  # an end tag: dropped with the element it closes
            positions = where.get(name)
            if not positions:
                if offstack.get(name):  # closes one that an enclosing element's end tag had closed
                    offstack[name] -= 1
                    reopen[0] -= 1
                continue
            target = positions[-1]
            above = bounds if name in _SPECIAL else blocks
            if above and above[-1] > target:
                continue
            drop = not pop_to(target)
        else:
            if foreigns:
                if name in _BREAKOUT:
                    pop_to(foreigns[-1])
                elif last == "/":  # `<path ... />`: complete in SVG and MathML
                    continue
            elif name in _RAW_TEXT:
                end = _RAW_END[name].search(text, pos)
                if end is None:
                    break
                if text.count("<", pos, end.start()) <= _RAW_TAGS:
                    pos = end.start()
                continue
            elif name == "plaintext":
                break
            if name == "a" and where.get("a"):  # a link inside a link: the first one's end tag is implied
                target = where["a"][-1]
                if not (blocks and blocks[-1] > target):
                    pop_to(target)
            elif name == "a" and offstack.get("a"):
                offstack["a"] -= 1
                reopen[0] -= 1
            position = len(names)
            keep = position + reopen[0] < limit or name == "a"
            where.setdefault(name, []).append(position)
            if name in _SPECIAL:
                blocks.append(position)
            if name in _BOUNDARY:
                bounds.append(position)
            if name in _FOREIGN:
                foreigns.append(position)
            names.append(name)
            kept.append(keep)
            if position + reopen[0] >= deepest:
                deepest = position + reopen[0] + 1
            drop = not keep
        if drop:
            pieces.append(text[copied:m.start()])
            copied = m.end()
    if not pieces:
        return text, deepest
    pieces.append(text[copied:])
    return "".join(pieces), deepest


def max_depth(text: str) -> int:
    """The deepest nesting of counted elements in the markup `text`, as `flatten` follows it."""
    return flatten(text, limit=len(text) + 1, few=-1)[1]
