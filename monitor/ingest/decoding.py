"""Turning page bytes into text when the declared charset is wrong or missing."""

from __future__ import annotations

import codecs
import re

# Possessive runs and no two adjacent optional runs of one kind: linear on any input (tests/test_fetch_decoding.py).
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*+=\s*+(?:["']\s*+)?([A-Za-z0-9._:-]++)""", re.IGNORECASE)


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None


def sniff_charset(content: bytes) -> str | None:
    """Return the charset named by a <meta> tag in the first 4 KiB, if it names a known codec."""
    match = _META_CHARSET.search(content[:4096])
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_html(content: bytes, declared: str | None = None) -> str:
    """Decode HTML bytes: BOM, then the declared charset, the <meta> charset and UTF-8, each strictly.

    When none decodes cleanly the page is read as UTF-8 with replacement characters, so a few bad bytes
    never lose the rest of the page.
    """
    if content.startswith(codecs.BOM_UTF8):
        return content[len(codecs.BOM_UTF8):].decode("utf-8", "replace")
    tried: list[str] = []
    for candidate in (_codec(declared), sniff_charset(content), "utf-8"):
        if candidate is None or candidate in tried:
            continue
        tried.append(candidate)
        try:
            return content.decode(candidate)
        except UnicodeDecodeError:
            continue
    return content.decode("utf-8", "replace")
