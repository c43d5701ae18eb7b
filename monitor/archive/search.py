"""Full-text search over items (SQLite FTS5, table `items_fts`), ranked by bm25, with highlighted snippets."""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from monitor.language import hangul_terms, has_hangul
from monitor.store import Store
from monitor.store.archive import WEIGHTS, search_rows
from monitor.store.korean import korean_search_rows

#: Markers FTS5 puts around matched terms in snippets; control characters never found in stored text.
MARK_START, MARK_END = "\x02", "\x03"
COLUMNS = ("title", "teaser", "body", "participants")
OPERATORS = ("AND", "OR", "NOT")
#: Characters of text shown on each side of the first match in a Korean hit's snippet.
SNIPPET_CONTEXT = 40

_QUOTED = re.compile(r'"([^"]*)"(\*?)')
_SYLLABLE = re.compile(r"[\uac00-\ud7a3]")
_TOKEN = re.compile(r'(?:(?P<col>[A-Za-z_]+):)?(?:"(?P<phrase>[^"]*)"(?P<pstar>\*)?|(?P<word>[^\s"]+))')


@dataclass(frozen=True)
class SearchHit:
    """One item matching a search, with its snippet (FTS5 markers around the matches) and bm25 rank."""

    id: int
    title: str
    source: str
    url: str
    published: str | None
    category: str | None
    high_level: bool
    first_seen_at: str
    removed_at: str | None
    snippet: str
    rank: float
    participants: list[str] = field(default_factory=list)

    @property
    def plain_snippet(self) -> str:
        """The snippet without highlight markers."""
        return self.snippet.replace(MARK_START, "").replace(MARK_END, "")

    def as_json(self) -> dict[str, Any]:
        """The hit as a JSON object (items --json keys plus snippet and rank)."""
        return {"id": self.id, "source": self.source, "url": self.url, "title": self.title,
                "published": self.published, "category": self.category, "high_level": self.high_level,
                "participants": self.participants, "first_seen_at": self.first_seen_at,
                "removed_at": self.removed_at, "snippet": self.plain_snippet, "rank": self.rank}


def fts_query(text: str) -> str:
    """Turn what a user typed into a safe FTS5 query.

    Plain words become quoted terms (so `Son-hui` or `U.S.` are words, not operators), "quoted phrases" stay
    phrases, `word*` is a prefix search, `title:word` searches one column, and upper-case AND / OR / NOT
    between terms are operators. Raises ValueError for an empty query or an unbalanced quote.
    """
    text = text.strip()
    if not text:
        raise ValueError("the search query is empty: give at least one word")
    if text.count('"') % 2:
        raise ValueError(f'unbalanced quote in search query {text!r}: close each phrase with a second "')
    parts: list[tuple[str, str]] = []  # (kind, fts text): kind is "term" or "op"
    for m in _TOKEN.finditer(text):
        col, phrase, word = m.group("col"), m.group("phrase"), m.group("word")
        if col is not None and col.lower() not in COLUMNS:
            # Not a column name: the colon is part of the word (e.g. "10:30").
            word = m.group(0) if phrase is None else None
            phrase = m.group(0).replace('"', " ") if phrase is not None else None
            col = None
        if word is not None and col is None and word in OPERATORS:
            parts.append(("op", word))
            continue
        if phrase is not None:
            term = f'"{phrase}"' + ("*" if m.group("pstar") else "")
        else:
            assert word is not None
            prefix = word.endswith("*") and len(word.rstrip("*")) > 0
            term = f'"{word.rstrip("*") if prefix else word}"' + ("*" if prefix else "")
        if col is not None:
            term = f"{col.lower()}:{term}"
        parts.append(("term", term))
    out: list[str] = []
    for i, (kind, value) in enumerate(parts):
        if kind == "op":
            prev_term = bool(out) and parts[i - 1][0] == "term"
            next_term = i + 1 < len(parts) and parts[i + 1][0] == "term"
            if not (prev_term and next_term):
                value = f'"{value}"'  # an operator with nothing on one side is just a word
        out.append(value)
    return " ".join(out)


def korean_query(text: str) -> str:
    """`fts_query` for the Korean index: each quoted term's Hangul as the index stores it (syllable pairs, see
    `monitor.language.hangul_terms`), so that a stem (접견) finds its inflected forms (접견하시였다). A single
    syllable is a prefix search (it finds the words it begins)."""
    match = fts_query(text)
    out: list[str] = []
    pos = 0
    for m in _QUOTED.finditer(match):
        out.append(match[pos:m.start()])
        inner = m.group(1)
        terms = hangul_terms(inner)
        star = m.group(2) or ""
        if len(terms) == 1 and _SYLLABLE.fullmatch(terms):
            star = "*"  # a lone syllable: the pairs it begins
        out.append(f'"{terms}"{star}' if terms else '""')
        pos = m.end()
    out.append(match[pos:])
    return "".join(out)


def search(store: Store, query: str, *, source: str | None = None, category: str | None = None,
           since: str | date | None = None, until: str | date | None = None, limit: int = 50) -> list[SearchHit]:
    """Items matching `query` (see fts_query), best first by bm25, filtered like `items`; ValueError on a bad query.

    A query with Hangul searches the Korean index (`korean_query`); any other query the full-text index as before.
    """
    if has_hangul(query):
        return _korean_search(store, query, source=source, category=category, since=since, until=until,
                              limit=limit)
    match = fts_query(query)
    try:
        rows = search_rows(store, match, MARK_START, MARK_END, source=source, category=category, since=since,
                           until=until, limit=limit)
    except sqlite3.OperationalError as exc:
        raise ValueError(f"cannot search for {query!r}: {exc}") from None
    return [SearchHit(
        id=r["id"], title=r["title"], source=r["source"], url=r["url"], published=r["published"],
        category=r["category"], high_level=bool(r["high_level"]), first_seen_at=r["first_seen_at"],
        removed_at=r["removed_at"], snippet=r["snip"] or "", rank=float(r["score"]),
        participants=json.loads(r["participants"] or "[]"),
    ) for r in rows]


def _korean_search(store: Store, query: str, *, source: str | None, category: str | None,
                   since: str | date | None, until: str | date | None, limit: int) -> list[SearchHit]:
    """Hits of a Hangul query in the Korean index, each with a snippet around its first match."""
    match = korean_query(query)
    try:
        rows = korean_search_rows(store, match, WEIGHTS, source=source, category=category, since=since,
                                  until=until, limit=limit)
    except sqlite3.OperationalError as exc:
        raise ValueError(f"cannot search for {query!r}: {exc}") from None
    words = [inner for inner, _ in _QUOTED.findall(fts_query(query)) if has_hangul(inner)]
    return [SearchHit(
        id=r["id"], title=r["title"], source=r["source"], url=r["url"], published=r["published"],
        category=r["category"], high_level=bool(r["high_level"]), first_seen_at=r["first_seen_at"],
        removed_at=r["removed_at"], snippet=korean_snippet(r["body"] or r["teaser"] or r["title"], words),
        rank=float(r["score"]), participants=json.loads(r["participants"] or "[]"),
    ) for r in rows]


def korean_snippet(text: str, words: list[str]) -> str:
    """The text around the first of `words` found in it, the match between MARK_START and MARK_END (the start
    of the text when none is found)."""
    text = " ".join(text.split())
    found = [(i, w) for w in words for i in [text.find(w)] if i >= 0]
    if not found:
        return text[: 2 * SNIPPET_CONTEXT] + ("…" if len(text) > 2 * SNIPPET_CONTEXT else "")
    at, word = min(found)
    start, end = max(0, at - SNIPPET_CONTEXT), min(len(text), at + len(word) + SNIPPET_CONTEXT)
    return ("…" if start else "") + text[start:at] + MARK_START + word + MARK_END + text[at + len(word):end] + (
        "…" if end < len(text) else "")
