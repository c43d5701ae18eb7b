"""Fuzzing the adapters and the classifier with random and mutated real-markup pages (seeded, deterministic).

Seed pages are the adapters' fixture pages (tests/fixtures/sources: real markup, invented headlines). Each case
mutates one of them (truncation, duplication, deep nesting, attribute and byte garbage, huge text, splicing)
or builds a page from random markup, and hands it to every adapter's `parse_listing` and `parse_article`.
Only LayoutNotRecognised may escape, and no call may take more than a second. The run stops after CASES cases
or SECONDS seconds, whichever comes first (MONITOR_FUZZ_CASES / MONITOR_FUZZ_SECONDS run it longer,
MONITOR_FUZZ_SEED runs other cases).
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from monitor.classify import Classifier
from monitor.models import Document, LayoutNotRecognised
from monitor.sources import get_adapter
from monitor.sources.paging import pager_of
from tests.timelimit import Overrun, time_limit

FIXTURES = Path(__file__).parent / "fixtures" / "sources"
SEED = int(os.environ.get("MONITOR_FUZZ_SEED", "20261202"))
CASES = int(os.environ.get("MONITOR_FUZZ_CASES", "400"))
SECONDS = float(os.environ.get("MONITOR_FUZZ_SECONDS", "7"))
CLASSIFIER_CASES = int(os.environ.get("MONITOR_FUZZ_CLASSIFIER_CASES", "3000"))
CLASSIFIER_SECONDS = float(os.environ.get("MONITOR_FUZZ_CLASSIFIER_SECONDS", "4"))
#: No single parse or classification may take longer than this.
CALL_LIMIT = 1.0
CAPTURED = datetime(2026, 11, 21, 3, 0, tzinfo=UTC)
#: What the classifier is given at most (the pipeline's caps on titles and leads).
TITLE_CAP, TEXT_CAP = 1000, 4000

CSS_OPTIONS: dict[str, Any] = {
    "item": "li.story, h5, .title", "title": "a", "link": "a", "date": ".when, time, nobr", "teaser": "p",
    "article_title": "h1, h2", "article_body": "article p, .story-body", "article_date": "time", "next": "a",
}
ADAPTERS = [("kcna", {}), ("rodong", {}), ("kcnawatch", {}), ("naenara", {}), ("css", CSS_OPTIONS)]

TAGS = ["div", "span", "a", "p", "h1", "h4", "h5", "li", "ul", "nobr", "b", "font", "table", "td", "main",
        "article", "section", "time", "script", "style", "br", "img", "title", "iframe", "svg", "template"]
CLASSES = ["content", "title", "article-content", "article-main-title", "publish-time", "articled-date",
           "ListNewsLineContainer", "ListNewsLineTitleW", "ListNewsLineDate", "date_news_list", "media-body",
           "news_date", "ArticleContent", "TextP", "TitleP", "story", "when", "fSpecCs", "article-desc",
           "archive-list", "article-source", "gallery", "slider", "photo"]
TEXTS = ["[1", "[2026.11.20.]", "[9999.12.31.]", "Juche 115", "Jan", "2026년 11월 20일", "13/04/2024", " ",
         "\u00a0", "&amp;lt;b&amp;gt;", "&#0;", "&#x110000;", "Date: 1/1/2026 | Source: KCNA |", "More From KCNA",
         "Kim Jong Un", "Pyongyang, November 20 (KCNA) --", "-0-", "\u202e", "\x1b[31m", "\ufffd", "'s", "２０２６",
         "javascript:article_open('index.php?x')", "http://127.0.0.1:9/", "/en/article/detail/", "?", "#", "<",
         ">", "\"", "'", "</", "<!--", "]]>", "\x00"]


def _seed_pages() -> list[bytes]:
    pages = [path.read_bytes() for path in sorted(FIXTURES.glob("*.html"))]
    assert pages, "the fixture pages are missing"
    return pages


def _junk(rnd: random.Random, size: int) -> str:
    """Text of about `size` characters made of the adversarial pieces above."""
    unit = "".join(rnd.choice(TEXTS) for _ in range(rnd.randint(1, 4)))
    return unit * max(1, size // max(1, len(unit)))


def _tag(rnd: random.Random) -> str:
    name = rnd.choice(TAGS)
    attrs = ""
    if rnd.random() < 0.5:
        attrs += f' class="{rnd.choice(CLASSES)}"'
    if name == "a" or rnd.random() < 0.2:
        attrs += f' href="{rnd.choice(["/en/article/detail/", "/a/", "?newsID=2026-11-20-0001", "#", ""])}'
        attrs += f'{rnd.randrange(10**6)}"'
    return f"<{name}{attrs}>"


def _random_page(rnd: random.Random) -> bytes:
    """A page of random tags and adversarial text, nested and unclosed at random."""
    out: list[str] = ["<html><body>"]
    open_tags: list[str] = []
    for _ in range(rnd.randint(10, 3000)):
        roll = rnd.random()
        if roll < 0.45:
            tag = _tag(rnd)
            out.append(tag)
            open_tags.append(tag[1:].split(">")[0].split(" ")[0])
        elif roll < 0.75 and open_tags:
            out.append(f"</{open_tags.pop()}>")
        else:
            out.append(_junk(rnd, rnd.randint(1, 60)))
    return "".join(out).encode("utf-8", "surrogatepass")


def _mutate(rnd: random.Random, page: bytes, pages: list[bytes]) -> tuple[str, bytes]:
    """One mutation of `page`, named."""
    kind = rnd.choice(["truncate", "duplicate", "nest", "attributes", "bytes", "huge-text", "splice", "tags"])
    n = len(page)
    i, j = sorted((rnd.randrange(n + 1), rnd.randrange(n + 1)))
    if kind == "truncate":
        return kind, page[: rnd.randrange(n + 1)]
    if kind == "duplicate":
        times = rnd.choice([2, 10, 100, 1000])
        piece = page[i:j][: 1_000_000 // times]
        return kind, page[:i] + piece * times + page[i:]
    if kind == "nest":
        depth = rnd.choice([10, 300, 3000, 20000])
        tag = rnd.choice(["div", "span", "b", "a", "font", "nobr", "h5", "li", "table"])
        return kind, page[:i] + f"<{tag}>".encode() * depth + page[i:j] + f"</{tag}>".encode() * depth + page[j:]
    if kind == "attributes":
        garbage = rnd.choice([b' class="' + b"x " * 5000 + b'"', b" href=" + b"[1" * 5000, b' a="<b>"',
                              b" " + b"x=1 " * 3000, b' href="javascript:article_open(', b" \x00\xff="])
        at = page.find(b">", i)
        return kind, page if at < 0 else page[:at] + garbage + page[at:]
    if kind == "bytes":
        data = bytearray(page)
        for _ in range(rnd.randint(1, 200)):
            if data:
                data[rnd.randrange(len(data))] = rnd.randrange(256)
        return kind, bytes(data)
    if kind == "huge-text":
        return kind, page[:i] + _junk(rnd, rnd.choice([1000, 100_000, 500_000])).encode() + page[i:]
    if kind == "splice":
        other = rnd.choice(pages)
        k, m = sorted((rnd.randrange(len(other) + 1), rnd.randrange(len(other) + 1)))
        return kind, page[:i] + other[k:m] + page[j:]
    return kind, page[:i] + "".join(_tag(rnd) for _ in range(rnd.randint(1, 500))).encode() + page[i:]


def _cases() -> Iterator[tuple[str, bytes]]:
    rnd = random.Random(SEED)
    pages = _seed_pages()
    while True:
        if rnd.random() < 0.15:
            yield "random", _random_page(rnd)
            continue
        page = rnd.choice(pages)
        kinds = []
        for _ in range(rnd.choice([1, 1, 2, 3])):
            kind, page = _mutate(rnd, page, pages)
            kinds.append(kind)
        yield "+".join(kinds), page


def _timed(label: str, call: Callable[..., Any], *args: Any) -> Any:
    """The result of `call`; None for LayoutNotRecognised. Fails on any other exception or a slow call."""
    start = time.perf_counter()
    try:
        with time_limit(10 * CALL_LIMIT):
            result = call(*args)
    except LayoutNotRecognised:
        result = None
    except Overrun:
        raise AssertionError(f"{label}: still running after {10 * CALL_LIMIT:.0f} s") from None
    except Exception as exc:  # the point of the test: report which case broke what
        raise AssertionError(f"{label}: {type(exc).__name__}: {exc}") from exc
    elapsed = time.perf_counter() - start
    assert elapsed <= CALL_LIMIT, f"{label}: took {elapsed:.2f} s"
    return result


def test_fuzz_adapters() -> None:
    """Every adapter survives mutated and random pages: only LayoutNotRecognised escapes, no call over 1 s,
    and what comes back keeps the caps (titles, entries); the older page named on a listing (catch-up's next
    request) is read as fast and points to an http(s) URL."""
    adapters = [(kind, get_adapter(kind, options)) for kind, options in ADAPTERS]
    deadline = time.monotonic() + SECONDS
    done = 0
    for number, (kinds, content) in enumerate(_cases()):
        if number >= CASES or time.monotonic() > deadline:
            break
        doc = Document(f"http://127.0.0.1:9/fuzz/{number % 7}", content, fetched_at=CAPTURED)
        for kind, adapter in adapters:
            label = f"case {number} ({kinds}, {len(content)} bytes) {kind}"
            listing = _timed(f"{label} listing", adapter.parse_listing, doc)
            if listing is not None:
                assert len(listing.entries) <= 1000
                assert all(len(e.title) <= 1000 for e in listing.entries)
                pager = pager_of(adapter)
                if pager is not None:
                    older = _timed(f"{label} older page", pager.older_page, doc, listing, None)
                    assert older is None or older.url.startswith(("http://", "https://")), older
            _timed(f"{label} article", adapter.parse_article, doc)
        done += 1
    assert done >= min(CASES, 20), f"only {done} cases ran in {SECONDS} s"


def _classifier_inputs(rnd: random.Random) -> Iterator[tuple[str, str]]:
    pages = _seed_pages()
    kcna = get_adapter("kcna")
    while True:
        roll = rnd.random()
        if roll < 0.4:
            title = _junk(rnd, rnd.choice([5, 50, 1000, 100_000]))
            text = _junk(rnd, rnd.choice([0, 100, 4000, 200_000]))
        elif roll < 0.7:
            words = ["Kim", "Jong", "Un", "Meets", "Talks", "with", "President", "of", "Russia", "China",
                     "Premier", "Minister", "Delegation", "Receives", "Li", "Qiang", "Wang", "Yi", "[1", ",", "."]
            title = " ".join(rnd.choice(words) for _ in range(rnd.choice([3, 30, 3000])))
            text = " ".join(rnd.choice(words) for _ in range(rnd.choice([0, 100, 20000])))
        else:
            _, content = _mutate(rnd, rnd.choice(pages), pages)
            try:
                article = kcna.parse_article(Document("http://127.0.0.1:9/fuzz/a", content, fetched_at=CAPTURED))
            except LayoutNotRecognised:
                continue
            title, text = article.title or "", article.body
        yield title, text


def test_fuzz_classifier() -> None:
    """The classifier survives random, repetitive and parsed-from-mutated-pages titles and texts (cut to the
    pipeline's caps of 1,000 and 4,000 characters): no exception, no call over 1 s."""
    classifier = Classifier.load()
    rnd = random.Random(SEED + 1)
    deadline = time.monotonic() + CLASSIFIER_SECONDS
    done = 0
    for number, (title, text) in enumerate(_classifier_inputs(rnd)):
        if number >= CLASSIFIER_CASES or time.monotonic() > deadline:
            break
        label = f"classifier case {number} (title {len(title)}, text {len(text)} characters)"
        _timed(label, classifier.classify, title[:TITLE_CAP], text[:TEXT_CAP])
        done += 1
    assert done >= min(CLASSIFIER_CASES, 20)
