"""Canonical URLs, normalized text, content hashes and story keys."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from urllib.parse import urlsplit, urlunsplit

#: Hangul is kept (a Korean title folded to nothing would give every Korean item of a day one key).
_NOT_WORD = re.compile(r"[^0-9a-z\uac00-\ud7a3]+")
#: Typographic quotes, dashes, hyphens and the no-break space as the plain characters every comparison uses; the
#: one table of the project (the classifier's `fold` reads text through it too).
QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " ", "\u2013": "-",
                        "\u2014": "-", "\u2010": "-", "\u2011": "-"})
_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the default port and the fragment; keep path and query as they are."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    netloc = host
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        netloc = f"{host}:{parts.port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def normalize_text(text: str) -> str:
    """NFKC (full-width digits become ASCII), straight quotes, one space between words, trimmed."""
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).translate(QUOTES)
    return " ".join(text.split())


def key_fold(text: str) -> str:
    """Text as identity keys compare it: normalized, case-folded, runs of anything but [0-9a-z] and Hangul
    syllables one space."""
    return _NOT_WORD.sub(" ", normalize_text(text).casefold()).strip()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def item_key(title: str, published: date | None) -> str:
    """Identity of an item: the hash of its folded title and date, the same under every URL it is listed at."""
    return folded_item_key(key_fold(title), published.isoformat() if published else None)


def folded_item_key(folded: str, day: str | None) -> str:
    """`item_key` of a title already passed through `key_fold` and a date already in ISO form."""
    return _sha(f"{folded}|{day or ''}")


def content_hash(title: str, body: str | None) -> str:
    """Hash of the normalized title and body: changes when the article is edited."""
    return _sha(f"{normalize_text(title)}\n{normalize_text(body or '')}")


def story_key(title: str, published: date | None) -> str:
    """Key grouping the same story across outlets: date plus folded title."""
    return folded_story_key(key_fold(title), published.isoformat() if published else None)


def folded_story_key(folded: str, day: str | None) -> str:
    """`story_key` of a title already passed through `key_fold` and a date already in ISO form."""
    return f"{day or 'undated'}:{folded[:120]}"
