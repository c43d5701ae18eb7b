"""Listing pages in the sites' real markup (see the adapters' docstrings), filled with invented headlines."""

from __future__ import annotations

import hashlib
import html
import random
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
LEADER = "Kim Jong Un"
_SUBJECTS = ("Silk Mill", "Fish Farm", "Youth Brigade", "Tideland Project", "Vinylon Complex", "Orchard Workers",
             "Power Station", "Railway Builders", "Textile Factory", "Mushroom Growers", "Ceramics Plant",
             "Goat Ranch", "Flour Mill", "Bridge Crew", "Dam Builders", "Seed Institute")
_VERBS = ("Raise Output", "Finish Overhaul", "Open New Line", "Hold Skill Contest", "Beat Yearly Plan",
          "Adopt New Method", "Celebrate Anniversary", "Plant Saplings", "Repair Machinery", "Win Praise")
_PLACES = ("Hamhung", "Wonsan", "Sinuiju", "Kaesong", "Chongjin", "Nampo", "Haeju", "Hyesan", "Kanggye", "Sariwon")


@dataclass(frozen=True)
class Story:
    """An invented listing entry."""

    title: str
    day: date
    lead: str

    @property
    def hexid(self) -> str:
        """A 32-hex article id derived from the title."""
        return hashlib.md5(self.title.encode()).hexdigest()


def invented_stories(n: int, seed: int = 7, start: date = date(2026, 9, 30)) -> list[Story]:
    """`n` distinct invented domestic headlines, newest first, a few naming the leader."""
    rng = random.Random(seed)
    out: list[Story] = []
    for i in range(n):
        subject, verb, place = rng.choice(_SUBJECTS), rng.choice(_VERBS), rng.choice(_PLACES)
        title = f"{subject} in {place} {verb} ({i})"
        if i % 7 == 3:
            title = f"{LEADER} Visits {subject} in {place} ({i})"
        lead = (f"Pyongyang, {MONTHS[(start.month - 1)]} {start.day} (KCNA) -- The {subject.lower()} in {place} "
                f"reported that its workers {verb.lower()} this month, according to local officials.")
        out.append(Story(title, start - timedelta(days=i // 6), lead))
    return out


def _names(escaped: str) -> str:
    """Leader names in their own <nobr>, with white space around it as on the sites."""
    return escaped.replace(LEADER, f"\n<nobr><span class='fSpecCs'>{LEADER}</span></nobr>\n")


def kcna_detail(stories: list[Story]) -> str:
    """A KCNA listing in the "detail" layout (2026-07 ->)."""
    rows = "\n".join(
        f'<div class="article">\n  <h5 class="block">\n    <a href="/en/article/detail/{s.hexid}">  '
        f"{_names(html.escape(s.title))} </a>\n    <span><nobr>[{s.day.year}.{s.day.month}.{s.day.day}.]"
        f"</nobr></span>\n  </h5>\n</div>" for s in stories)
    menu = "".join(f'<li><a href="/en/article/list/{hashlib.md5(m.encode()).hexdigest()}">{m}</a></li>'
                   for m in ("Latest News", "Top News", "Home News", "External", "Documents"))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA | Article</title></head><body>\n'
            f'<nav class="navbar"><ul>{menu}</ul></nav>\n<main>\n{rows}\n'
            f"<script> var total = {len(stories)}; var cur_page = 1; var per_page = {len(stories)}; </script>\n"
            f'<form id="article_form" method="POST" action="/en/article/list/x"><input type="hidden" '
            f'name="page_num" value="1"><input type="hidden" name="_csrf" value="tok"></form>\n'
            f"</main></body></html>")


def kcna_q(stories: list[Story]) -> str:
    """A KCNA listing in the "q" layout (2020-11 .. 2026-07): the date span sits inside the link."""
    rows = "\n".join(
        f'<li><a href="/en/article/q/64e900f5bd0353837ca02d7babcce3ad{s.hexid}.kcmsf">'
        f"{_names(html.escape(s.title))}&#13;\n<span class=\"publish-time\">"
        f"[{s.day.year}.{s.day.month:02d}.{s.day.day:02d}.]</span></a></li>" for s in stories)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA</title></head><body>\n'
            f'<div class="col-md-12 menu-block"><a href="/en/category/articles/q/1ee9.kcmsf">Latest News</a></div>\n'
            f'<ul class="article-link">\n{rows}\n</ul></body></html>')


_PHOTO = ' <img src="images/icon_photo.gif">'


def rodong_old(stories: list[Story]) -> str:
    """A Rodong Sinmun listing in the old layout (to ~2022): `javascript:article_open(...)` popups."""
    rows = "".join(
        f'<div class="ListNewsLineContainer"><div class="ListNewsLineNo">{i}.</div>'
        f'<div class="ListNewsLineTitleW"><a href="javascript:article_open(\'index.php?strPageID=SF01_02_01'
        f"&newsID={s.day.isoformat()}-{i:04d}')\">{_names(html.escape(s.title))}</a>"
        f"{_PHOTO if i % 3 == 0 else ''} </div>"
        f'<div class="ListNewsLineWriter">Rodong Sinmun</div>'
        f'<div class="ListNewsLineDate">{s.day.year}.{s.day.month:02d}.{s.day.day:02d}</div></div>\n'
        for i, s in enumerate(stories, 1))
    d = stories[0].day
    return (f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            f"<title>Rodong Sinmun</title></head><body>\n"
            f'<div class="TopMarkDate">{MONTHS[d.month - 1][:3]}. {d.day},&nbsp;Juche {d.year - 1911} '
            f"({d.year})</div>\n"
            f'<div class="ListNewsContainer">\n{rows}</div></body></html>')


def _slug(title: str) -> str:
    return "-".join("".join(c.lower() if c.isalnum() else " " for c in title).split())[:60]


def kcnawatch(stories: list[Story], outlet: str = "KCNA") -> str:
    """A KCNA Watch per-source listing: cards with `h4 > a`, `p.articled-date` and a teaser."""
    cards = []
    for i, s in enumerate(stories):
        href = f"/newstream/{1760000000 + i * 3600}-{40000 + i}/{_slug(s.title)}/"
        title = html.escape(s.title)
        cards.append(
            f'<article class="clearfix"><div class="article-thumb"><a href="{href}"><img class="img-fluid" '
            f'src="/wp-content/uploads/{i}.jpg" alt="{title}"></a></div>\n'
            f'<div class="article-desc"><h4><a href="{href}">{title}</a></h4>\n'
            f'<p class="articled-date"> {MONTHS[s.day.month - 1]} {s.day.day}, {s.day.year}</p>\n'
            f"<p>{html.escape(s.lead[:130])}</p></div></article>")
    return (f'<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8"><title>{outlet} | KCNA Watch</title>'
            f'</head><body class="page-template-source"><div class="container">\n'
            f'<h2 class="source-title">Latest from {outlet}</h2>\n<div id="latest_article_wrapper">\n'
            + "\n".join(cards) + '\n</div>\n<a href="#" class="load-more" data-from="3">Load More</a>\n'
            "</div></body></html>")


CSS_OPTIONS = {"item": "li.story", "title": "a.headline", "link": "a.headline", "date": "span.when",
               "date_format": "%d %B %Y",
               "teaser": "p.lead"}


def css_site(stories: list[Story]) -> str:
    """A plain news site described to the generic `css` adapter by CSS_OPTIONS."""
    rows = "\n".join(
        f'  <li class="story"><a class="headline" href="/stories/{s.day.isoformat()}/{_slug(s.title)}">'
        f"{html.escape(s.title)}</a>\n    <span class=\"when\">{s.day.day} {MONTHS[s.day.month - 1]} {s.day.year}"
        f'</span><p class="lead">{html.escape(s.lead[:100])}</p></li>' for s in stories)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Weekly Digest</title></head><body>\n'
            f'<ul class="news">\n{rows}\n</ul></body></html>')


def kcna_article(s: Story) -> str:
    """A KCNA article page in the current layout: first h1 is the title, direct paragraphs, -0- end mark."""
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>KCNA | {html.escape(s.title)}</title></head>'
            f'<body><main><article><div class="container"><h1 class="text-center text-danger">'
            f'{_names(html.escape(s.title))}</h1><h1 class="text-center text-danger"></h1>'
            f"<p>{html.escape(s.lead)}</p><p>The event ended with a pledge to do better. -0-</p>"
            f"</div></article></main></body></html>")
