"""Text from pages made safe for a terminal: control characters shown, never obeyed.

A title can hold escape sequences (ESC [2J clears the screen, OSC sequences retitle the window or forge links)
and bidirectional overrides that reorder what is shown. Rich passes them through, so every view of stored text
goes through `safe` first. JSON output needs nothing: the encoder escapes control characters itself.
"""

from __future__ import annotations

import unicodedata
from typing import Any

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


class LazyConsole:
    """A Rich console made at its first use: Rich costs a tenth of the start-up of a command whose output is JSON
    or one line, which never needs it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Any = None

    def real(self) -> Any:
        """The Rich console itself (made now if need be), for Rich objects that take one (Progress, Live)."""
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)


def real_console(console: Any) -> Any:
    """The Rich console behind `console` (a LazyConsole or a console already)."""
    return console.real() if isinstance(console, LazyConsole) else console
