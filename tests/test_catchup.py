"""Catch-up after a gap: a listing that moved 40 items while the source was not polled is read back page by page
(KCNA POSTs with the session cookie and token, Rodong's calendar, KCNA Watch's offset, a css `next` link); without
a way back the gap is reported; old news found on older pages stores but does not alert."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import parse_qs

from monitor.config import Settings, load_settings
from monitor.ingest.pipeline import Context, RunSummary, run_source
from tests.conftest import write_config
from tests.sitekit import LocalSite, Reply, Request

WORDS = ("Orchard", "Foundry", "Library", "Stadium", "Canal", "Textile Mill", "Ferry", "Observatory", "Dam")
START = date(2026, 11, 1)


def title(n: int) -> str:
    return f"{WORDS[n % len(WORDS)]} No. {n} Opens in Jagang Province"


def day_of(n: int) -> date:
    return START + timedelta(days=n // 5)


def hexid(n: int) -> str:
    return hashlib.md5(str(n).encode()).hexdigest()


def chunks(newest: int, per_page: int) -> list[list[int]]:
    numbers = list(range(newest, 0, -1))
    return [numbers[i:i + per_page] for i in range(0, len(numbers), per_page)]


def settings(tmp_path: Path, source: dict[str, object], extra: str = "") -> Settings:
    return load_settings(write_config(tmp_path / "m.toml", [{"name": "s", "interval": 600, **source}], extra))


def two_polls(ctx: Context, publish: Callable[[int], None]) -> RunSummary:
    """Poll with 10 items published, then again after 40 more: the second run's summary."""
    publish(10)
    assert run_source(ctx, ctx.settings.sources[0]).new_items == 10
    publish(50)
    return run_source(ctx, ctx.settings.sources[0])


def stored_titles(ctx: Context) -> set[str]:
    return {r["title"] for r in ctx.store.query("SELECT title FROM items")}


# ---------------------------------------------------------------- css with `next`

def css_page(numbers: list[int], next_href: str | None) -> str:
    rows = "".join(f'<li class="story"><a class="headline" href="/stories/{n}">{title(n)}</a>'
                   f'<span class="when">{day_of(n).isoformat()}</span></li>' for n in numbers)
    more = f'<a class="older" href="{next_href}">Older</a>' if next_href else ""
    return f'<html><body><ul class="news">{rows}</ul>{more}</body></html>'


def css_publisher(site: LocalSite) -> Callable[[int], None]:
    def publish(newest: int) -> None:
        pages = chunks(newest, 10)
        for i, numbers in enumerate(pages):
            nxt = f"/news?page={i + 2}" if i + 1 < len(pages) else None
            site.put("/news" if i == 0 else f"/news?page={i + 1}", css_page(numbers, nxt))
    return publish


CSS = 'item = "li.story"\ntitle = "a.headline"\nlink = "a.headline"\ndate = "span.when"\n'


def test_css_next_catches_up_forty_items(tmp_path: Path, site: LocalSite, ctx_for: Callable[..., Context]) -> None:
    """A css source with `next` reads older pages until it reaches known items: all 50 stored, no gap left."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "css", "url": site.base + "/news"},
                           f"[sources.css]\n{CSS}next = \"a.older\"\n"))
    summary = two_polls(ctx, css_publisher(site))
    assert (summary.status, summary.new_items, summary.caught_up, summary.gap) == ("ok", 40, 30, False)
    assert stored_titles(ctx) == {title(n) for n in range(1, 51)}
    assert site.count("/news?page=6") == 0  # stopped at the page holding known items
    assert ctx.store.status()["sources"][0]["gap"] is False


def test_without_paging_the_gap_is_reported(tmp_path: Path, site: LocalSite, ctx_for: Callable[..., Context]) -> None:
    """Without `next`, a first page sharing nothing with earlier polls is a gap: in status with its span, warned."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "css", "url": site.base + "/news"}, f"[sources.css]\n{CSS}"))
    summary = two_polls(ctx, css_publisher(site))
    assert summary.gap and summary.new_items == 10
    assert any("possible gap" in w for w in summary.warnings)
    src = ctx.store.status()["sources"][0]
    assert src["gap"] is True and src["gap_since"] is not None and src["gap_detected_at"] is not None


def test_a_later_overlapping_poll_keeps_the_gap_open_until_closed(tmp_path: Path, site: LocalSite,
                                                                  ctx_for: Callable[..., Context]) -> None:
    """A gap stays reported after later normal polls (items are still missing), and no second gap is opened."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "css", "url": site.base + "/news"}, f"[sources.css]\n{CSS}"))
    publish = css_publisher(site)
    two_polls(ctx, publish)
    publish(52)
    again = run_source(ctx, ctx.settings.sources[0])
    assert (again.gap, again.new_items) == (False, 2)
    assert ctx.store.status()["sources"][0]["gap"] is True
    assert ctx.store.scalar("SELECT COUNT(*) FROM gaps") == 1


def test_catch_up_stops_at_max_pages_and_reports_the_gap(tmp_path: Path, site: LocalSite,
                                                         ctx_for: Callable[..., Context]) -> None:
    """With `[catchup] max_pages = 2` the walk reads two older pages only and the gap stays open."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "css", "url": site.base + "/news"},
                           f"[sources.css]\n{CSS}next = \"a.older\"\n\n[catchup]\nmax_pages = 2\n"))
    summary = two_polls(ctx, css_publisher(site))
    assert summary.gap and summary.new_items == 30
    assert site.count("/news?page=3") == 1 and site.count("/news?page=4") == 0


# ---------------------------------------------------------------- KCNA: POSTed pages with session and token

def kcna_page(numbers: list[int], page: int, count: int, token: str) -> str:
    rows = "".join(f'<div class="article"><h5 class="block"><a href="/en/article/detail/{hexid(n)}">{title(n)}</a>'
                   f'<span><nobr>[{day_of(n).year}.{day_of(n).month}.{day_of(n).day}.]</nobr></span></h5></div>'
                   for n in numbers)
    return (f"<html><body><main>{rows}</main><script> var total = 0; var cur_page = {page}; var per_page = 10; "
            f"var page_cnt = {count}; </script>"
            f'<form id="article_form" method="POST" action="/en/article/list/feed">'
            f'<input type="hidden" name="page_num" value="{page}"><input type="hidden" name="cnt_per_page" '
            f'value="10"><input type="hidden" name="keyword" value=""><input type="hidden" name="_csrf" '
            f'value="{token}"></form></body></html>')


class KcnaSite:
    """The listing at /en/article/list/feed: a GET gives page 1 and a session; POSTs need session and token."""

    def __init__(self, site: LocalSite) -> None:
        self.pages: list[list[int]] = []
        self.sessions = 0
        self.refused = 0
        site.routes["/en/article/list/feed"] = self.answer

    def publish(self, newest: int) -> None:
        self.pages = chunks(newest, 10)

    def answer(self, req: Request) -> Reply:
        if req.method == "GET":
            self.sessions += 1
            sid = f"S{self.sessions}"
            return Reply(kcna_page(self.pages[0], 1, len(self.pages), f"tok-{sid}").encode(),
                         headers={"Content-Type": "text/html; charset=utf-8",
                                  "Set-Cookie": f"JSESSIONID={sid}; Path=/"})
        form = {k: v[0] for k, v in parse_qs(req.body.decode()).items()}
        sid = req.headers.get("cookie", "").removeprefix("JSESSIONID=")
        if not sid or form.get("_csrf") != f"tok-{sid}":
            self.refused += 1
            return Reply(b"<html><body><main></main></body></html>")
        page = int(form["page_num"])
        return Reply(kcna_page(self.pages[page - 1], page, len(self.pages), f"tok-{sid}").encode())


def test_kcna_posts_older_pages_with_cookie_and_token(tmp_path: Path, site: LocalSite,
                                                      ctx_for: Callable[..., Context]) -> None:
    """KCNA pages >= 2 are POSTs of the listing form carrying the first GET's session cookie and `_csrf`."""
    kcna = KcnaSite(site)
    ctx = ctx_for(settings(tmp_path, {"adapter": "kcna", "url": site.base + "/en/article/list/feed"}))
    summary = two_polls(ctx, kcna.publish)
    assert (summary.new_items, summary.gap, kcna.refused) == (40, False, 0)
    assert stored_titles(ctx) == {title(n) for n in range(1, 51)}
    posts = [r for r in site.requests if r.method == "POST"]
    assert [parse_qs(r.body.decode())["page_num"] for r in posts] == [["2"], ["3"], ["4"], ["5"]]


def test_kcna_without_a_session_gets_an_empty_page_and_reports_the_gap(tmp_path: Path, site: LocalSite,
                                                                       ctx_for: Callable[..., Context]) -> None:
    """When a POST is answered with KCNA's empty page (no valid session), the walk ends and the gap is reported."""
    kcna = KcnaSite(site)
    ctx = ctx_for(settings(tmp_path, {"adapter": "kcna", "url": site.base + "/en/article/list/feed"}))
    kcna.publish(10)
    run_source(ctx, ctx.settings.sources[0])
    kcna.publish(50)
    real = kcna.answer

    def no_cookie(req: Request) -> Reply:
        req.headers.pop("cookie", None)
        return real(req)

    site.routes["/en/article/list/feed"] = no_cookie
    summary = run_source(ctx, ctx.settings.sources[0])
    assert summary.gap and summary.new_items == 10 and kcna.refused == 1
    assert any("page 2 could not be read" in w for w in summary.warnings)


# ---------------------------------------------------------------- Rodong: the calendar, one day at a time

def rodong_rows(numbers: list[int]) -> str:
    return "".join(
        f'<div class="ListNewsLineContainer"><div class="ListNewsLineTitleW"><a href="javascript:article_open('
        f"'index.php?strPageID=SF01_02_01&newsID={day_of(n).isoformat()}-{n:04d}')\">{title(n)}</a></div>"
        f'<div class="ListNewsLineWriter">Rodong Sinmun</div><div class="ListNewsLineDate">'
        f'{day_of(n).strftime("%Y.%m.%d")}</div></div>' for n in numbers)


def rodong_publisher(site: LocalSite) -> Callable[[int], None]:
    def publish(newest: int) -> None:
        site.put("/en/index.php?strPageID=SF01_01_02&iMenuID=1",
                 f"<html><body>{rodong_rows(list(range(newest, max(newest - 10, 0), -1)))}</body></html>")
        for d in range(0, newest // 5 + 1):
            day = START + timedelta(days=d)
            numbers = [n for n in range(newest, 0, -1) if day_of(n) == day]
            site.put(f"/en/index.php?strPageID=SF01_01_03&strDate={day.isoformat()}",
                     f"<html><body>{rodong_rows(numbers)}</body></html>")
    return publish


def test_rodong_reads_the_calendar_back_day_by_day(tmp_path: Path, site: LocalSite,
                                                   ctx_for: Callable[..., Context]) -> None:
    """Rodong's catch-up reads the calendar page of the first page's oldest day, then each day before."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "rodong",
                                      "url": site.base + "/en/index.php?strPageID=SF01_01_02&iMenuID=1"}))
    summary = two_polls(ctx, rodong_publisher(site))
    assert (summary.new_items, summary.gap) == (40, False)
    assert stored_titles(ctx) == {title(n) for n in range(1, 51)}
    asked = [r.path.rsplit("=", 1)[1] for r in site.requests if "strDate" in r.path]
    assert asked[0] == day_of(41).isoformat() and asked[-1] == day_of(10).isoformat()


# ---------------------------------------------------------------- KCNA Watch: the AJAX listing's `from` offset

AJAX = "/wp-admin/admin-ajax.php?action=get_cat_by_source&die=true&from={start}&to={end}&sort=&id=189661"


def kcnawatch_publisher(site: LocalSite) -> Callable[[int], None]:
    def publish(newest: int) -> None:
        for i, numbers in enumerate(chunks(newest, 10)):
            blocks = "".join(
                f'<div class="article-desc"><h4><a href="/newstream/{1700000000 + n}-{n}/item-{n}/">{title(n)}</a>'
                f'</h4><p class="articled-date"><span>{day_of(n).strftime("%B %d, %Y")}</span></p></div>'
                for n in numbers)
            site.put(AJAX.format(start=i * 10, end=i * 10 + 10), f"<html><body>{blocks}</body></html>")
    return publish


def test_kcnawatch_moves_the_from_offset(tmp_path: Path, site: LocalSite, ctx_for: Callable[..., Context]) -> None:
    """KCNA Watch's AJAX listing is paged back by moving `from` and `to` one window at a time."""
    ctx = ctx_for(settings(tmp_path, {"adapter": "kcnawatch", "url": site.base + AJAX.format(start=0, end=10)}))
    summary = two_polls(ctx, kcnawatch_publisher(site))
    assert (summary.new_items, summary.gap) == (40, False)
    assert stored_titles(ctx) == {title(n) for n in range(1, 51)}
    assert site.count(AJAX.format(start=40, end=50)) == 1 and site.count(AJAX.format(start=50, end=60)) == 0


# ---------------------------------------------------------------- old news on older pages

def test_an_old_meeting_found_by_catch_up_does_not_alert_but_a_recent_one_does(
        tmp_path: Path, site: LocalSite, ctx_for: Callable[..., Context]) -> None:
    """Meetings on older pages alert only when published within `max_age_days` of being found; both are stored."""
    today = date.today()
    meetings = {
        31: ("Kim Jong Un Receives Foreign Minister of Laos", today - timedelta(days=1)),
        32: ("Kim Jong Un Receives Foreign Minister of Mongolia", today - timedelta(days=30)),
    }

    def publish(newest: int) -> None:
        pages = chunks(newest, 10)
        for i, numbers in enumerate(pages):
            rows = "".join(
                f'<li class="story"><a class="headline" href="/stories/{n}">{meetings.get(n, (title(n),))[0]}</a>'
                f'<span class="when">{meetings.get(n, ("", day_of(n)))[1].isoformat()}</span></li>'
                for n in numbers)
            more = f'<a class="older" href="/news?page={i + 2}">Older</a>' if i + 1 < len(pages) else ""
            site.put("/news" if i == 0 else f"/news?page={i + 1}", f"<html><body><ul>{rows}</ul>{more}</body></html>")

    hook = '[alerts.webhook]\nurl = "http://127.0.0.1:9/hook"\nsecret = "whsec_dGVzdHNlY3JldA=="\n'
    ctx = ctx_for(settings(tmp_path, {"adapter": "css", "url": site.base + "/news"},
                           f"[sources.css]\n{CSS}next = \"a.older\"\n\n{hook}"))
    summary = two_polls(ctx, publish)
    assert summary.new_items == 40
    kinds = ctx.store.query("SELECT kind, payload FROM outbox")
    assert len(kinds) == 1 and "Laos" in kinds[0]["payload"]
    assert ctx.store.scalar("SELECT COUNT(*) FROM items WHERE category = 'meeting'") == 2


def test_the_watchdog_allows_a_catch_up_its_time(tmp_path: Path) -> None:
    """A source job may read `[catchup] max_pages` older pages before the watchdog takes it for stuck: each page
    (with its retries and the politeness delay) adds to the limit."""
    from monitor.runtime.daemon import longest_run

    none = settings(tmp_path, {"adapter": "kcna", "url": "http://127.0.0.1:9/x"}, "[catchup]\nmax_pages = 0\n")
    many = settings(tmp_path, {"adapter": "kcna", "url": "http://127.0.0.1:9/x"}, "[catchup]\nmax_pages = 20\n")
    per_page = none.fetch.timeout * (none.fetch.retries + 1)
    assert longest_run(many) - longest_run(none) >= 20 * (per_page + none.fetch.min_delay)


def test_check_says_how_the_older_page_is_asked_for(tmp_path: Path) -> None:
    """`monitor check` names the older page of a listing (a KCNA form POST, a css `next` link), or says none is
    known, so that a user can see catch-up will work before an outage."""
    from monitor.models import Document
    from monitor.sources.check import check_document

    base = "http://127.0.0.1:9"
    kcna = check_document("kcna", Document(url=base + "/en/article/list/feed",
                                           content=kcna_page([3, 2, 1], 1, 4, "tok-x").encode()))
    assert kcna.older_page == f"POST {base}/en/article/list/feed (page 2)"
    css = {"item": "li.story", "title": "a.headline", "link": "a.headline", "date": "span.when"}
    page = css_page([3, 2, 1], "/news?page=2").encode()
    assert check_document("css", Document(url=base + "/news", content=page), {**css, "next": "a.older"}
                          ).older_page == f"GET {base}/news?page=2"
    without = check_document("css", Document(url=base + "/news", content=page), css)
    assert without.older_page is None and without.as_json()["older_page"] is None
