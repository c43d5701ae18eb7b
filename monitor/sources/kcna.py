"""KCNA (www.kcna.kp) English: the "detail" layout (2026-07 ->) and the "q" layout (2020-11 .. 2026-07).

Listings: `main h5 > a[href*=/article/detail/]` + `<span><nobr>[2026.7.19.]</nobr></span>` (detail), or
`ul.article-link li > a` with `span.publish-time` inside the link (q). Articles: first non-empty `h1` in
`<article>` and its direct `<p>` siblings, dated by the dateline (detail); `div.article-main-title`,
`div.content-wrapper > p` and `span.publish-time` (q). An empty `<main>` is a session/layout problem.
The Korean edition (`/kp/`) has the same markup; its articles are dated by the Korean dateline
`(평양 10월 14일발 조선중앙통신)`, dropped from the body when it is a paragraph of its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from selectolax.lexbor import LexborHTMLParser

from monitor.models import Article, Document, Entry, LayoutNotRecognised, Listing
from monitor.sources.common import TAG_A, blocked_reason, new_entry, parse_html, resolver, select, select_first
from monitor.sources.dates import infer_year, parse_dateline, parse_dotted
from monitor.sources.limits import MAX_ENTRIES, bounded_article, bounded_listing
from monitor.sources.paging import PageRequest
from monitor.sources.text import node_text, strip_end_mark, tidy_text

_DATE_TEXT = re.compile(r"(?:Juche\s*)?\d{1,4}\.\d{1,2}\.\d{1,2}")
# Links and date stamps of one listing, queried once, in document order.
# (Links are matched on "/detail/" here and on the exact paths by `_is_detail_link`: one selector, not three.)
_DETAIL_STREAM = 'a[href*="/detail/"], h5 > a[href]:not([href*="/detail/"]), h5 nobr, .gallery nobr, .video nobr'
_Q_STREAM = ("ul.article-link a[href], div.photo span.title a[href], div.video span.title a[href], "
             "ul.article-link span.publish-time, div.photo span.publish-time, div.video span.publish-time")
_TITLE_PREFIX = re.compile(r"^(?:KCNA|조선중앙통신)\s*\|\s*(?:Article\s*\||기사\s*\|)?\s*")


_DIGIT = re.compile(r"\d")
# The Korean edition's dateline: (평양 10월 14일발 조선중앙통신), at the start of the first paragraph or alone in it.
_KO_DATELINE = re.compile(r"^\s*\(\s*[\uac00-\ud7a3]{1,12}\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일\s*발?\s*"
                          r"[\uac00-\ud7a3 ]{2,20}\)")
_KO_DATELINE_ONLY = re.compile(_KO_DATELINE.pattern + r"\s*$")


def korean_dateline(text: str, captured: datetime) -> date | None:
    """The date of a Korean dateline `(평양 10월 14일발 조선중앙통신)`: month and day, the year inferred from the
    capture date as for the English dateline."""
    m = _KO_DATELINE.match(text[:200])
    return infer_year(int(m.group(1)), int(m.group(2)), captured) if m else None


def strip_trailing_stamp(title: str) -> str:
    """The title without a trailing bracketed stamp holding a digit (`... [2024.11.10.]`), and the spaces before it.

    The stamp is the last `]` and the first `[` after the `]` before it; string searches, linear in the title
    (the regular expression this replaces took seconds on a title of "[1" repeated a few thousand times).
    """
    body = title.rstrip()
    if not body.endswith("]"):
        return title
    close = len(body) - 1
    start = body.find("[", body.rfind("]", 0, close) + 1, close)
    if start < 0 or _DIGIT.search(body, start + 1, close) is None:
        return title
    return body[:start].rstrip()


#: Characters of a stamp's text read (`[Juche113.12.10.]` is 17): the cache below is keyed by it.
_MAX_STAMP = 100


@lru_cache(maxsize=4096)
def _stamp_date(text: str) -> date | None:
    """The date of a stamp such as `[2026.7.19.]`; None for text that is not a date (a name in its own <nobr>)."""
    return parse_dotted(text) if _DATE_TEXT.search(text) else None


def _link_title(a: Any) -> str:
    title = node_text(a)
    if title and "[" in title:  # q layout: the publish-time span sits inside the link
        title = strip_trailing_stamp(title)
    if not title:
        img = select_first(a, "img[alt]")
        if img is not None:
            title = tidy_text(img.attributes.get("alt") or "")
    return title


def _is_detail_link(node: Any) -> bool:
    """A link of the detail layout: to an article, gallery or video page, or any link that is a headline (an
    `<h5>`'s link: an entry even when it points elsewhere, so that the fetch policy, not the parser, decides
    whether it is followed)."""
    href = node.attributes.get("href")
    if href is None:
        return False
    if "/article/detail/" in href or "/gallery/detail/" in href or "/video/detail/" in href:
        return True
    parent = node.parent
    return parent is not None and parent.tag == "h5"


def _collect(doc: Document, stream: list[Any], wanted: Callable[[Any], bool] | None,
             ) -> tuple[list[Entry], list[str]]:
    """Assemble entries from links and date stamps given in document order.

    A stamp dates the latest link that has no date yet; stamps that are not dates (a name in its own
    <nobr>) are ignored. Links `wanted` refuses are not links of the layout. One pass, no
    per-item CSS queries.
    """
    resolve = resolver(doc.url)
    found: dict[str, list[Any]] = {}  # url -> [title, date]
    current: list[Any] | None = None
    warnings: list[str] = []
    for position, node in enumerate(stream, 1):
        try:
            if node.tag_id == TAG_A:
                if wanted is not None and not wanted(node):
                    continue
                href = node.attributes.get("href")
                url = resolve(href)
                if url is None:
                    continue
                current = found.get(url)
                if current is None:
                    if len(found) >= MAX_ENTRIES:
                        warnings.append(f"more than {MAX_ENTRIES} links on the page; the rest were not read")
                        break
                    current = found[url] = [_link_title(node), None]
                elif not current[0]:
                    current[0] = _link_title(node)
            elif current is not None and current[1] is None:
                current[1] = _stamp_date(node.text()[:_MAX_STAMP])
        except Exception as exc:  # one unreadable link or stamp never loses the rest of the listing
            warnings.append(f"node {position} of the listing could not be read ({type(exc).__name__}: "
                            f"{str(exc)[:200]}); skipped")
    entries: list[Entry] = []
    for url, (title, published) in found.items():
        if not title:
            warnings.append(f"no title for {url}; skipped")
            continue
        if published is None:
            warnings.append(f"no date for {title!r}")
        entries.append(new_entry(url, title, published))
    return entries, warnings


def _empty_main(parser: LexborHTMLParser) -> bool:
    main = select_first(parser, "main")
    return main is not None and not main.text().strip() and select_first(main, "img, a") is None


def _unrecognised(parser: LexborHTMLParser, what: str) -> LayoutNotRecognised:
    reason = blocked_reason(parser)
    if reason:
        return LayoutNotRecognised(f"KCNA {what}: {reason}")
    if _empty_main(parser):
        return LayoutNotRecognised(
            f"KCNA {what}: the page has an empty <main> (what KCNA answers without a valid session, "
            "or a layout change), not an empty news list")
    return LayoutNotRecognised(f"KCNA {what}: no KCNA layout markers found (no detail or q links)")


class KcnaAdapter:
    """Adapter for both KCNA layouts; the layout is recognised from the page, never from the URL."""

    kind = "kcna"

    @bounded_listing
    def parse_listing(self, doc: Document) -> Listing:
        """Entries of a KCNA listing page (detail or q layout), with absolute URLs and dates."""
        parser = parse_html(doc, "KCNA listing")
        main = select_first(parser, "main")
        scope: Any = main if main is not None else parser
        # A first link is found early on a detail page; without one the full query would be wasted.
        stream = select(scope, _DETAIL_STREAM) if select_first(scope, 'a[href*="/detail/"]') is not None else []
        if stream:
            entries, warnings = _collect(doc, stream, _is_detail_link)
            if entries:
                return Listing(entries=entries, layout="kcna-detail", warnings=warnings)
        stream = select(parser, _Q_STREAM)
        if stream:
            entries, warnings = _collect(doc, stream, None)
            if entries:
                return Listing(entries=entries, layout="kcna-q", warnings=warnings)
        raise _unrecognised(parser, "listing")

    def older_page(self, doc: Document, listing: Listing, previous: PageRequest | None) -> PageRequest | None:
        """Pages >= 2 are POSTs of the page's listing form (`page_num` + 1, with its `_csrf`; the session cookie
        of the first GET goes with it); None after the last page (`page_cnt`) or without a form."""
        form = _listing_form(doc)
        if form is None and previous is not None and previous.form is not None:
            form = previous  # a POSTed page that does not repeat the form: count on from the last request
        if form is None:
            return None
        current = _number(form.field("page_num")) or 1
        count = _page_count(doc)
        if count is not None and current >= count:
            return None
        return PageRequest(form.url, form.with_field("page_num", str(current + 1)).form, f"page {current + 1}")

    def resume(self, first: Document, saved: PageRequest) -> PageRequest:
        """A saved page request on a fresh first page: the new form (its token) with the saved page number."""
        form = _listing_form(first)
        page = saved.field("page_num")
        if form is None or page is None:
            return saved
        return PageRequest(form.url, form.with_field("page_num", page).form, saved.label)

    @bounded_article
    def parse_article(self, doc: Document) -> Article:
        """Title, body (direct paragraphs, end mark removed) and date of a KCNA article page."""
        parser = parse_html(doc, "KCNA article")
        article = select_first(parser, "article")
        if article is not None:
            found = _detail_article(doc, parser, article)
            if found is not None:
                return found
        q_title = select_first(parser, "div.article-main-title")
        if q_title is not None:
            return _q_article(doc, parser, q_title)
        gallery = select_first(parser, "main .gallery .slider")
        if gallery is not None:
            return _gallery_article(parser)
        raise _unrecognised(parser, "article")


def _direct_paragraphs(container: Any) -> list[str]:
    paras = [node_text(child) for child in container.iter() if child.tag == "p"]
    paras = [p for p in paras if p]
    if paras:
        paras[-1] = strip_end_mark(paras[-1])
        if not paras[-1]:
            paras.pop()
    return paras


def _detail_article(doc: Document, parser: LexborHTMLParser, article: Any) -> Article | None:
    heads = select(article, "h1")
    if not heads:
        return None
    title = ""
    for h in heads:
        title = node_text(h)
        if title:
            break
    warnings: list[str] = []
    container = heads[0].parent or article
    paras = _direct_paragraphs(container)
    if not paras and container is not article:
        paras = _direct_paragraphs(article)
    published = parse_dateline(paras[0], doc.fetched_at) if paras else None
    if published is None and paras:
        published = korean_dateline(paras[0], doc.fetched_at)
        if published is not None and _KO_DATELINE_ONLY.match(paras[0]):
            paras.pop(0)  # a paragraph of its own holding only the dateline: the date is kept, not the text
    if published is None:
        stamp = select_first(article, "span.publish-time")
        published = parse_dotted(stamp.text()) if stamp is not None else None
    if not title:
        warnings.append("article has no non-empty <h1>")
    if not paras:
        warnings.append("article has no paragraphs (photo or video item?)")
    if published is None:
        warnings.append("no date: no dateline such as 'Pyongyang, September 10 (KCNA) --' or "
                        "'(평양 9월 10일발 조선중앙통신)'")
    return Article(title=title or _page_title(parser), body="\n".join(paras), published=published,
                   warnings=warnings)


def _q_article(doc: Document, parser: LexborHTMLParser, title_node: Any) -> Article:
    warnings: list[str] = []
    title = node_text(title_node)
    wrapper = select_first(parser, "div.content-wrapper") or select_first(parser, "div.article-content-body")
    paras = _direct_paragraphs(wrapper) if wrapper is not None else []
    stamp = select_first(parser, "span.publish-time")
    published = parse_dotted(stamp.text()) if stamp is not None else None
    if published is None and paras:
        published = parse_dateline(paras[0], doc.fetched_at)
    if not paras:
        warnings.append("article has no paragraphs (photo or video item?)")
    if published is None:
        warnings.append("no date: no span.publish-time and no dateline")
    return Article(title=title or _page_title(parser), body="\n".join(paras), published=published,
                   warnings=warnings)


def _gallery_article(parser: LexborHTMLParser) -> Article:
    return Article(title=_page_title(parser), body="", published=None,
                   warnings=["photo gallery page: no text and no date"])


def _page_title(parser: LexborHTMLParser) -> str | None:
    node = select_first(parser, "title")
    if node is None:
        return None
    title = strip_title_prefix(node_text(node))
    return title or None


def strip_title_prefix(title: str) -> str:
    """A page title without its `KCNA | Article |` prefix."""
    return _TITLE_PREFIX.sub("", title)


_FORMS = "form#article_form, form#gallery_form, form#video_form"
_PAGE_COUNT = re.compile(r"\bpage_cnt\s*=\s*(\d{1,7})")


def _number(text: str | None) -> int | None:
    text = (text or "").strip()
    return int(text) if text.isdigit() and len(text) < 8 else None


def _listing_form(doc: Document) -> PageRequest | None:
    """The listing's paging form as a request (action resolved, hidden fields kept), or None."""
    parser = parse_html(doc, "KCNA listing")
    form = select_first(parser, _FORMS)
    if form is None:
        form = next((f for f in select(parser, "form") if select_first(f, 'input[name="page_num"]') is not None),
                    None)
    if form is None:
        return None
    action = resolver(doc.url)(form.attributes.get("action")) or doc.url.split("#")[0]
    if not action.startswith(("http://", "https://")):
        return None
    fields = tuple((str(i.attributes.get("name")), str(i.attributes.get("value") or ""))
                   for i in select(form, "input[name]")[:64])
    return PageRequest(action, fields)


def _page_count(doc: Document) -> int | None:
    """The `var page_cnt = N;` of the listing's script, if any."""
    parser = parse_html(doc, "KCNA listing")
    for script in select(parser, "script")[:32]:
        found = _PAGE_COUNT.search((script.text() or "")[:20_000])
        if found:
            return int(found[1])
    return None


def make(options: Mapping[str, Any]) -> KcnaAdapter:
    """The adapter for a source with these options (see the registry in monitor/sources/__init__.py)."""
    return KcnaAdapter()

