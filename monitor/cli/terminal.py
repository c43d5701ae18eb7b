"""Text from pages made safe for a terminal: control characters shown, never obeyed.

A title can hold escape sequences (ESC [2J clears the screen, OSC sequences retitle the window or forge links)
and bidirectional overrides that reorder what is shown. Rich passes them through, so every view of stored text
goes through `safe` first. JSON output needs nothing: the encoder escapes control characters itself.
"""

from __future__ import annotations

import unicodedata

# bidirectional embeddings, overrides and isolates: they reorder the text around them on screen
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _shown(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe(text: str | None, *, newlines: bool = False) -> str:
    """`text` with each control character (and bidi override) written as a visible escape such as \\x1b;
    line breaks kept when `newlines`."""
    if not text:
        return ""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if (ch == "\n" and newlines) or ch == " ":
            out.append(ch)
        elif ch in _BIDI or unicodedata.category(ch) == "Cc":
            out.append(_shown(ch))
        else:
            out.append(ch)
    return "".join(out)
